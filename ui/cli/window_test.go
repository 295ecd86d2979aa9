package cli_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/ui/cli"
)

// Without a command the run asks main for the window, on the store it
// opened and without an intake of its own; the window's error is the
// run's.
func TestPlainStartAsksForWindow(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00")
	h.env["DISPLAY"] = ":0"
	var got *cli.Window
	var n int
	h.window = func(ctx context.Context, s cli.Store, w *cli.Window) error {
		got = w
		cs, _, err := s.Cases(ctx, app.CaseFilter{})
		n = len(cs)
		return err
	}
	if r := h.run("--db", db); r.code != cli.ExitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got == nil || got.Demo || got.Intake != nil || n != 1 {
		t.Fatalf("window %+v with %d cases", got, n)
	}
	h.window = func(context.Context, cli.Store, *cli.Window) error {
		return app.Errorf(app.ECONFLICT, "Fönstret gick inte att öppna.")
	}
	if r := h.run("--db", db); r.code != cli.ExitError || !strings.Contains(r.stderr, "Fönstret gick inte att öppna.") {
		t.Errorf("window error: exit %d, stderr %q", r.code, r.stderr)
	}
}

// Without a screen neither the window nor the demo starts: a Swedish
// line, exit 1, before the database is created or the demo's mail server
// started.
func TestNoDisplayStartsNothing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("DISPLAY is an X11/Wayland matter")
	}
	h := newHarness(t) // its environment has no DISPLAY
	h.window = func(context.Context, cli.Store, *cli.Window) error {
		t.Error("window opened without a screen")
		return nil
	}
	for _, args := range [][]string{{}, {"demo"}} {
		db := tempDB(t)
		r := h.run(append([]string{"--db", db}, args...)...)
		if r.code != cli.ExitError || !strings.Contains(r.stderr, "Ingen skärm") || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
		if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v created the database", args)
		}
	}
	if r := h.run("demo"); !strings.Contains(r.stderr, cli.EnvDemoHeadless+"=1") {
		t.Errorf("the demo does not say how to run without a window: %q", r.stderr)
	}
}

// The demo's database is the user's own: under the user's cache folder,
// else a folder named for the user in the temporary one.
func TestDemoDBPathPerUser(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CACHE_HOME is Linux's")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	if got, want := cli.DemoDBPath(), filepath.Join(cache, "arendestod", "demo.db"); got != want {
		t.Errorf("DemoDBPath() = %q, want %q", got, want)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	got := cli.DemoDBPath()
	if want := "arendestod-demo-" + strconv.Itoa(os.Getuid()); !strings.HasPrefix(got, os.TempDir()) || !strings.Contains(got, want) {
		t.Errorf("without a home: %q, want a path under %s with %s", got, os.TempDir(), want)
	}
}
