package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/secrets"
	"arendestod/data"
	"arendestod/data/pgserver"
	"arendestod/data/pgtest"
)

// The team demo without its windows: a private server started, the demo's
// staff seeded into it, and the two windows' commands built with the
// right arguments and environment.
func TestTeamDemoPrepare(t *testing.T) {
	pgtest.Need(t)
	var out bytes.Buffer
	var srv *pgserver.Server
	r := &Run{Ctx: context.Background(), DBSource: DBFromDefault, DB: DefaultDBPath(), Env: Env{
		Stdout: &out, Stderr: &out,
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm) },
		Open:   func(p string) (Store, error) { return data.Open(p) },
		StartPostgres: func() (string, func() error, error) {
			var err error
			if srv, err = pgserver.Start(); err != nil {
				return "", nil, err
			}
			if err := srv.CreateDatabase(context.Background(), "arendestod_demo", ""); err != nil {
				return "", nil, err
			}
			return srv.URL("arendestod_demo"), srv.Stop, nil
		},
	}}
	// No key file set for the run (as on a desktop): the team demo picks
	// the demo's own, and both windows get it.
	keyFile := filepath.Join(t.TempDir(), "cache", "demo.db.server.audit-key")
	t.Setenv("XDG_CACHE_HOME", filepath.Dir(filepath.Dir(keyFile)))
	t.Setenv(secrets.EnvKeyFile, "")
	os.Unsetenv(secrets.EnvKeyFile)
	if got := demoKeyFile("postgres://x@127.0.0.1/y"); filepath.Base(got) != "demo.db.server.audit-key" {
		t.Fatalf("demoKeyFile of a server %q", got)
	}
	parent := []string{"HOME=/home/eva", "ARENDESTOD_DB=/home/eva/riktig.db", "ARENDESTOD_DEMO_HEADLESS=1", "DISPLAY=:0",
		secrets.EnvKeyFile + "=/home/eva/annan.key"}
	plan, err := prepareTeamDemo(r, "", "/opt/arendestod", parent)
	if err != nil {
		t.Fatal(err)
	}
	defer plan.stop()
	if srv == nil || plan.url != srv.URL("arendestod_demo") {
		t.Fatalf("not the private server: %q", plan.url)
	}

	// Seeded: the demo's staff, the database marked as the demo's.
	db, err := data.Open(plan.url)
	if err != nil {
		t.Fatal(err)
	}
	staff, err := db.ListStaff(context.Background(), true)
	if err != nil || len(staff) != 6 {
		t.Errorf("staff: %d, %v", len(staff), err)
	}
	for _, w := range teamWindows {
		s, err := db.StaffByHSAID(context.Background(), w.HSAID)
		if err != nil || s.Name != w.Name {
			t.Errorf("window's staff member %s: %+v, %v", w.HSAID, s, err)
		}
	}
	if v, _ := db.Setting(context.Background(), app.SettingDemo); v != "1" {
		t.Errorf("not marked as the demo's: %q", v)
	}
	db.Close()

	// The two windows: the demo with its mail server, and a plain window,
	// on the same database, each signed in as its own staff member; the
	// user's own database and the headless switch not passed on.
	if len(plan.cmds) != 2 {
		t.Fatalf("%d commands", len(plan.cmds))
	}
	want := []struct {
		args []string
		env  []string
	}{
		{[]string{"/opt/arendestod", "demo"}, []string{EnvDemoDB + "=" + plan.url, EnvDemoLogin + "=" + teamWindows[0].HSAID}},
		{[]string{"/opt/arendestod"}, []string{EnvDB + "=" + plan.url, EnvDemoLogin + "=" + teamWindows[1].HSAID}},
	}
	kf := os.Getenv(secrets.EnvKeyFile)
	if kf == "" || kf != demoKeyFile(plan.url) {
		t.Fatalf("the seeding's key file %q, want the demo's %q", kf, demoKeyFile(plan.url))
	}
	if _, err := os.Stat(kf); err != nil {
		t.Fatalf("the key was not written to the demo's key file: %v", err)
	}
	for i, c := range plan.cmds {
		if n := slices.Index(c.Env, secrets.EnvKeyFile+"="+kf); n < 0 || slices.Contains(c.Env, secrets.EnvKeyFile+"=/home/eva/annan.key") {
			t.Errorf("window %d: not the seeding's key file %s in %q", i+1, kf, c.Env)
		}
		if !slices.Equal(c.Args, want[i].args) {
			t.Errorf("window %d: args %q, want %q", i+1, c.Args, want[i].args)
		}
		for _, kv := range want[i].env {
			if !slices.Contains(c.Env, kv) {
				t.Errorf("window %d: %s not in its environment %q", i+1, kv, c.Env)
			}
		}
		for _, kv := range []string{"HOME=/home/eva", "DISPLAY=:0"} {
			if !slices.Contains(c.Env, kv) {
				t.Errorf("window %d: %s not passed on", i+1, kv)
			}
		}
		for _, kv := range c.Env {
			if strings.HasPrefix(kv, EnvDemoHeadless+"=") || kv == "ARENDESTOD_DB=/home/eva/riktig.db" {
				t.Errorf("window %d: %s passed on", i+1, kv)
			}
		}
		for _, a := range c.Args {
			if strings.Contains(a, "postgres") {
				t.Errorf("window %d: the URL on the command line: %q", i+1, c.Args)
			}
		}
	}
	if plan.cmds[0].Env[len(plan.cmds[0].Env)-1] == plan.cmds[1].Env[len(plan.cmds[1].Env)-1] {
		t.Error("both windows sign in as the same person")
	}

	// Stopping the demo stops the server and removes its folder.
	if err := plan.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(srv.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("server folder left: %v", err)
	}
}

// Closing one window ends the demo: the other is asked to close.
func TestRunTeamWindowsOneClosesAll(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	closed := dir + "/andra-stängt"
	first := exec.Command("sh", "-c", "sleep 0.3")
	// The second window closes on the interrupt, as the real one does
	// (its context ends and it closes its window).
	second := exec.Command("sh", "-c", `trap 'echo stängt > "`+closed+`"; exit 0' INT; while :; do sleep 0.05; done`)
	start := time.Now()
	if err := runTeamWindows(context.Background(), []*exec.Cmd{first, second}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("took %v", d)
	}
	if _, err := os.Stat(closed); err != nil {
		t.Errorf("the second window was not asked to close: %v", err)
	}
	if second.ProcessState == nil || !second.ProcessState.Exited() {
		t.Errorf("second still running: %v", second.ProcessState)
	}

	// A window that ignores the request is ended by force.
	defer func(g time.Duration) { teamGrace = g }(teamGrace)
	teamGrace = 500 * time.Millisecond
	ready := dir + "/redo"
	stubborn := exec.Command("sh", "-c", `trap '' INT; touch "`+ready+`"; while :; do sleep 0.05; done`)
	quick := exec.Command("sh", "-c", `while [ ! -f "`+ready+`" ]; do sleep 0.02; done; exit 3`)
	start = time.Now()
	err := runTeamWindows(context.Background(), []*exec.Cmd{quick, stubborn})
	if err == nil || !strings.Contains(app.ErrorMessage(err), "status 3") {
		t.Errorf("a window's failure: %v", err)
	}
	if stubborn.ProcessState == nil || stubborn.ProcessState.Exited() {
		t.Errorf("stubborn window not killed: %v", stubborn.ProcessState)
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("killed after %v, before its grace", d)
	}
}
