package cli

// The team demo (demo --team): one PostgreSQL database, two windows as two
// staff members, so that what one does shows in the other. It starts a
// private PostgreSQL server when the programs are on the machine (or uses
// --db postgres://…), seeds the demo's staff into it, and runs two
// processes of this binary: the first is the ordinary demo (mail server
// and intake, window signed in as the 1177-ansvarig who fördelar), the
// second a plain window signed in as a nurse. Closing either ends the
// demo.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/app/secrets"
)

// Environment variables of the team demo's windows, used by nothing else.
const (
	// EnvDemoDB is the database of the demo run in the team demo's first
	// window (the URL stays out of the command line, where other users of
	// the computer could read it).
	EnvDemoDB = "ARENDESTOD_DEMO_DB"
	// EnvDemoLogin is the HSA-ID the window signs in as at once.
	EnvDemoLogin = "ARENDESTOD_DEMO_LOGIN"
)

// teamWindow is one window of the team demo: who works in it.
type teamWindow struct {
	HSAID, Name, Role string
}

// teamWindows are the two: the 1177-ansvarig of the week who fördelar
// (the demo mailbox's owner), and a nurse who gets cases.
var teamWindows = [2]teamWindow{
	{demo.Owner, "Erik Ek", "ärendemottagare, fördelar"},
	{"SE2321000131-P000000000001", "Sara Sjöberg", "sjuksköterska"},
}

// teamPlan is a prepared team demo: the database seeded, the two windows'
// commands built but not started.
type teamPlan struct {
	url  string // the database, password and all; never printed
	cmds []*exec.Cmd
	stop func() error // stops the private server; nil for --db
}

func runDemoTeam(r *Run, dbFlag string, headless bool, seconds time.Duration) error {
	exe, err := os.Executable()
	if err != nil {
		return app.Errorf(app.EINTERNAL, "Programfilen hittades inte: %v", err)
	}
	plan, err := prepareTeamDemo(r, dbFlag, exe, os.Environ())
	if err != nil {
		return err
	}
	stopServer := func() {
		if plan.stop != nil {
			if err := plan.stop(); err != nil {
				fmt.Fprintln(r.Env.Stderr, "arendestod: PostgreSQL-servern stoppades inte:", err)
			}
		}
	}
	defer stopServer()
	out := &lockedWriter{w: r.Env.Stdout}
	fmt.Fprintf(out, "Demo för två: gemensam databas %s.\n", app.StripDBPassword(plan.url))
	for i, w := range teamWindows {
		fmt.Fprintf(out, "Fönster %d: %s (%s).\n", i+1, w.Name, w.Role)
	}
	if headless {
		// No windows (tests, or a look at what would run): the commands,
		// without the database's URL, then wait.
		for i, c := range plan.cmds {
			fmt.Fprintf(out, "Fönster %d startas med: %s\n", i+1, strings.Join(c.Args, " "))
		}
		if seconds > 0 {
			select {
			case <-r.Ctx.Done():
			case <-time.After(seconds):
			}
		} else {
			<-r.Ctx.Done()
		}
		return nil
	}
	fmt.Fprintln(out, "Fördela ett ärende i det ena fönstret och se det i det andra. Stäng ett fönster för att avsluta demot.")
	errw := &lockedWriter{w: r.Env.Stderr}
	for _, c := range plan.cmds {
		c.Stdout, c.Stderr = out, errw
	}
	return runTeamWindows(r.Ctx, plan.cmds)
}

// prepareTeamDemo finds or starts the database, seeds it and builds the
// two windows' commands (exe with env, the parent's environment).
func prepareTeamDemo(r *Run, dbFlag, exe string, env []string) (*teamPlan, error) {
	plan := &teamPlan{}
	dbURL := dbFlag
	if dbURL == "" && r.DBSource == DBFromFlag {
		dbURL = r.DB
	}
	switch {
	case dbURL != "" && !app.IsServerDB(dbURL):
		return nil, Usagef("demo --team behöver en PostgreSQL-databas: ange --db postgres://… till en tom databas, eller inget --db så startar demot en egen PostgreSQL-server")
	case dbURL == "":
		if r.Env.StartPostgres == nil {
			return nil, app.Errorf(app.EINTERNAL, "Den här versionen kan inte starta en egen PostgreSQL-server; ange --db postgres://… till en tom databas.")
		}
		fmt.Fprintln(r.Env.Stdout, "Startar en egen PostgreSQL-server för demot …")
		u, stop, err := r.Env.StartPostgres()
		if err != nil {
			return nil, app.Errorf(app.ECONFLICT, "PostgreSQL-servern för demot kunde inte startas (%s). Installera paketet postgresql (apt-get install postgresql; dess egen tjänst behöver inte vara igång), eller ange en tom databas med --db postgres://….", redactURLs(err.Error()))
		}
		dbURL, plan.stop = u, stop
	}
	plan.url = dbURL
	fail := func(err error) (*teamPlan, error) {
		if plan.stop != nil {
			plan.stop()
		}
		return nil, err
	}
	// One access-log key for the seeding and both windows: the demo's
	// key file (or the one set for this run). The windows are their own
	// processes; without it each looked for the key in its own place.
	keyFile := os.Getenv(secrets.EnvKeyFile)
	if keyFile == "" {
		keyFile = demoKeyFile(dbURL)
		os.Setenv(secrets.EnvKeyFile, keyFile)
	}
	s, err := r.Env.Open(dbURL)
	if err != nil {
		return fail(err)
	}
	err = markDemo(r.Ctx, s, dbURL)
	if err == nil {
		err = demo.SeedStaff(r.Ctx, s, app.DateOf(r.Env.Now()))
	}
	if err == nil {
		err = demo.SeedUnits(r.Ctx, s)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	plan.cmds = teamCommands(exe, env, dbURL, keyFile)
	return plan, nil
}

// teamCommands builds the two windows' processes: the demo (mail server,
// intake and window) on the database, and a plain window on it, each
// signed in as its staff member, both with the access log's key file
// keyFile. The URL goes in the environment only.
func teamCommands(exe string, env []string, dbURL, keyFile string) []*exec.Cmd {
	var base []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case EnvDB, EnvDemoDB, EnvDemoLogin, EnvDemoHeadless, EnvDemoSeconds, secrets.EnvKeyFile:
			continue
		}
		base = append(base, kv)
	}
	base = append(base, secrets.EnvKeyFile+"="+keyFile)
	first := exec.Command(exe, "demo")
	first.Env = append(append([]string(nil), base...), EnvDemoDB+"="+dbURL, EnvDemoLogin+"="+teamWindows[0].HSAID)
	second := exec.Command(exe)
	second.Env = append(append([]string(nil), base...), EnvDB+"="+dbURL, EnvDemoLogin+"="+teamWindows[1].HSAID)
	return []*exec.Cmd{first, second}
}

// runTeamWindows starts the windows' processes and waits until one ends;
// then it asks the others to close (as a window's close button would) and
// waits for them, ending them by force after a few seconds. It returns the
// first process's failure, if any. ctx done closes them all.
func runTeamWindows(ctx context.Context, cmds []*exec.Cmd) error {
	var started []*exec.Cmd
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			stopAll(started, nil)
			return app.Errorf(app.EINTERNAL, "Demots fönster kunde inte startas: %v", err)
		}
		started = append(started, c)
	}
	type exit struct {
		i   int
		err error
	}
	exits := make(chan exit, len(started))
	for i, c := range started {
		go func() { exits <- exit{i, c.Wait()} }()
	}
	var first exit
	select {
	case first = <-exits:
	case <-ctx.Done():
		first = exit{-1, nil}
	}
	done := map[int]bool{first.i: true}
	stopAll(started, done)
	for range len(started) - len(done) {
		<-exits
	}
	var ee *exec.ExitError
	if first.err != nil && !errors.As(first.err, &ee) {
		return first.err
	}
	if errors.As(first.err, &ee) {
		return app.Errorf(app.EINTERNAL, "Ett av demots fönster avslutades med fel (status %d).", ee.ExitCode())
	}
	return nil
}

// teamGrace is how long a window has to close when asked.
var teamGrace = 10 * time.Second

// stopAll asks each running process not in done to end, and kills those
// still running after a grace period.
func stopAll(cmds []*exec.Cmd, done map[int]bool) {
	var wg sync.WaitGroup
	for i, c := range cmds {
		if done[i] || c.Process == nil {
			continue
		}
		if runtime.GOOS == "windows" {
			c.Process.Kill()
			continue
		}
		c.Process.Signal(os.Interrupt)
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTimer(teamGrace)
			defer t.Stop()
			for {
				// Signal 0 fails once Wait (in runTeamWindows) has
				// reaped the process.
				select {
				case <-t.C:
					c.Process.Kill()
					return
				case <-time.After(50 * time.Millisecond):
					if err := c.Process.Signal(syscall.Signal(0)); err != nil {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// redactURLs takes passwords out of URLs in a message.
func redactURLs(s string) string {
	var out []string
	for _, f := range strings.Fields(s) {
		if app.IsServerDB(f) {
			f = app.StripDBPassword(f)
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}
