package cli

import (
	"arendestod/app/secrets"

	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/app/intake"
)

// The demo: its own mail server, database and intake, with the window or
// without (EnvDemoHeadless).

// Environment variables of the demo.
const (
	// EnvDemoHeadless, set to 1, runs the demo without a window (tests).
	EnvDemoHeadless = "ARENDESTOD_DEMO_HEADLESS"
	// EnvDemoSeconds ends a headless demo after that many seconds.
	EnvDemoSeconds = "ARENDESTOD_DEMO_SECONDS"
)

// DemoDBPath is the demo's own database unless told otherwise: in the
// user's cache folder (~/.cache/arendestod on Linux), so that each user has
// their own and no one else's start removes it.
func DemoDBPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		// No home folder: a folder of the user's own in the temporary one.
		dir = filepath.Join(os.TempDir(), "arendestod-demo-"+strconv.Itoa(os.Getuid()))
	}
	return filepath.Join(dir, "arendestod", "demo.db")
}

// demoKeyFile is the file of the demo's access-log key: beside its
// database file, or for a database on a server (the team demo's), beside
// the demo's own file.
func demoKeyFile(db string) string {
	if app.IsServerDB(db) {
		return DemoDBPath() + ".server.audit-key"
	}
	return db + ".audit-key"
}

func runDemo(r *Run, args []string) error {
	fl := newFlagSet("demo")
	dbFlag := fl.String("db", "", "databasfil för demot")
	team := fl.Bool("team", false, "två fönster på en gemensam PostgreSQL-databas")
	if err := Parse(fl, args); err != nil {
		return err
	}
	headless := r.Env.Getenv(EnvDemoHeadless) == "1"
	var seconds time.Duration
	if v := strings.TrimSpace(r.Env.Getenv(EnvDemoSeconds)); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			return Usagef("%s: %q är inget positivt antal sekunder", EnvDemoSeconds, v)
		}
		seconds = time.Duration(n * float64(time.Second))
	}
	if !headless {
		// Before anything starts: without a screen the demo would run
		// its server for a window that cannot open.
		if err := needDisplay(r.Env.Getenv, true); err != nil {
			return err
		}
	}

	if *team {
		return runDemoTeam(r, *dbFlag, headless, seconds)
	}

	// The demo's database: its own --db (or, in a window of the team demo,
	// EnvDemoDB), else the global --db, else a file of its own that each
	// run starts afresh. The user's real database (the default one, the
	// saved one, or ARENDESTOD_DB) is never the demo's.
	path := *dbFlag
	if path == "" {
		path = r.Env.Getenv(EnvDemoDB)
	}
	if path == "" && r.DBSource == DBFromFlag && r.DB != DefaultDBPath() && r.DB != r.Env.Getenv("ARENDESTOD_DB") {
		path = r.DB
	}
	if path == "" {
		path = DemoDBPath()
		for _, suffix := range []string{"", "-wal", "-shm", ".audit-anchor"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return app.Errorf(app.EINTERNAL, "Den förra demodatabasen %s kunde inte tas bort: %s", path, fileProblem(err))
			}
		}
	}
	r.DB = path
	// The demo's access log is keyed from a file beside its database,
	// one key for every run, rather than a new keyring entry each start
	// (in the team demo's windows the file the team demo chose).
	if os.Getenv(secrets.EnvKeyFile) == "" {
		os.Setenv(secrets.EnvKeyFile, demoKeyFile(path))
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	// On a team database the login says who works (whoami.go).
	login, err := r.windowLogin(r.Env.Getenv(EnvDemoLogin))
	if err != nil {
		return err
	}
	if err := markDemo(r.Ctx, s, path); err != nil {
		return err
	}
	if err := demo.SeedStaff(r.Ctx, s, app.DateOf(r.Env.Now())); err != nil {
		return err
	}
	if err := demo.AllowSender(r.Ctx, s); err != nil {
		return err
	}
	if err := demo.SeedUnits(r.Ctx, s); err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(r.Ctx)
	srv, err := demo.Start(ctx, demo.Options{Now: r.Env.Now})
	if err != nil {
		cancel()
		return err
	}

	out := &lockedWriter{w: r.Env.Stdout}
	errw := &lockedWriter{w: r.Env.Stderr}
	cal := s.Calendar()
	live := newLiveIntake()
	var sumMu sync.Mutex
	var sum app.IngestSummary
	live.OnCase(func(res app.IngestResult, n *app.Notice) {
		sumMu.Lock()
		sum.Add(res)
		sumMu.Unlock()
		if l := caseLine(cal, res, n); l != "" {
			fmt.Fprintln(out, l)
		}
	})
	live.OnState(func(st app.IntakeState, err error) {
		if st == app.IntakeError {
			fmt.Fprintln(errw, st.Text(err))
		}
	})
	acc := srv.Account()
	live.in = intake.New(acc, intake.Options{
		Store:      s,
		Now:        r.Env.Now,
		OnCase:     live.fireCase,
		OnState:    live.fireState,
		OnProgress: live.fireProgress,
		MinBackoff: 200 * time.Millisecond,
		MaxBackoff: 5 * time.Second,
	})
	fmt.Fprintf(out, "Demo: e-postserver på %s (användare %s, lösenord %s), databas %s.\n",
		srv.Addr(), demo.User, srv.Password(), app.StripDBPassword(path))
	fmt.Fprintln(out, "En ny notis kommer var 20–30:e sekund.")

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		live.in.Watch(ctx)
	}()
	go func() {
		defer wg.Done()
		srv.AppendEvery(ctx, 20*time.Second, 30*time.Second, live.SyncNow)
	}()
	// end stops the server and the intake and prints the summary.
	end := func(runErr error) error {
		cancel()
		wg.Wait()
		srv.Close()
		sumMu.Lock()
		fmt.Fprintln(out, sum.String())
		sumMu.Unlock()
		return runErr
	}

	if !headless {
		// main opens the window; end runs when it has closed.
		r.wantWindow(&Window{Demo: true, Intake: live, end: end, Login: login})
		return nil
	}
	if seconds > 0 {
		t := time.NewTimer(seconds)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	} else {
		<-ctx.Done()
	}
	return end(nil)
}

// markDemo marks the database as the demo's, refusing one that already
// holds cases or staff of its own.
func markDemo(ctx context.Context, s Store, path string) error {
	if v, err := s.Setting(ctx, app.SettingDemo); err != nil {
		return err
	} else if v == "1" {
		return nil
	}
	cases, _, err := s.Cases(ctx, app.CaseFilter{View: app.ViewAll, Limit: 1})
	if err != nil {
		return err
	}
	staff, err := s.ListStaff(ctx, true)
	if err != nil {
		return err
	}
	if len(cases) > 0 || len(staff) > 0 {
		return Usagef("databasen %s har redan ärenden eller personal och är ingen demodatabas; demot skriver bara i en egen databas (utelämna --db eller ange en ny fil)", app.StripDBPassword(path))
	}
	return s.SetSetting(ctx, app.SettingDemo, "1")
}
