package main

import (
	"arendestod/app/secrets"

	"fmt"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the real one: with
// ARENDESTOD_AS_MAIN set it runs main, so the window test needs no second
// build of the cgo binary.
func TestMain(m *testing.M) {
	if os.Getenv("ARENDESTOD_AS_MAIN") == "1" {
		os.Args = append([]string{"arendestod"}, strings.Fields(os.Getenv("ARENDESTOD_ARGS"))...)
		main()
		return
	}
	os.Exit(secrets.RunIsolated(m.Run))
}

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed; make test installs it", name)
		}
		t.Skipf("%s is not installed (make test installs it)", name)
	}
	return p
}

// freeDisplay finds an X display number nobody uses.
func freeDisplay(t *testing.T) int {
	for n := 90; n < 140; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 6000+n)); err == nil {
			l.Close()
			return n
		}
	}
	t.Fatal("no free X display")
	return 0
}

// TestWindowUnderXvfb starts the real program on the demo under Xvfb,
// takes a screenshot, and checks that the window painted something.
func TestWindowUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	xvfb := needTool(t, "Xvfb")
	importCmd := needTool(t, "import")
	n := freeDisplay(t)
	display := fmt.Sprintf(":%d", n)
	x := exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })

	dir := t.TempDir()
	app := exec.Command(os.Args[0], "-test.run=^$")
	app.Env = append(os.Environ(), "ARENDESTOD_AS_MAIN=1", "DISPLAY="+display, "LIBGL_ALWAYS_SOFTWARE=1",
		"HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"ARENDESTOD_ARGS=--db "+filepath.Join(dir, "demo.db")+" demo")
	out, _ := os.Create(filepath.Join(dir, "app.log"))
	app.Stdout, app.Stderr = out, out
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })

	shot := filepath.Join(dir, "shot.png")
	var colours int
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(2 * time.Second)
		if app.ProcessState != nil {
			break
		}
		if err := exec.Command(importCmd, "-display", display, "-window", "root", shot).Run(); err != nil {
			continue
		}
		colours = countColours(t, shot)
		if colours > 50 {
			break
		}
	}
	if colours <= 50 {
		log, _ := os.ReadFile(filepath.Join(dir, "app.log"))
		t.Fatalf("the screen is blank (%d colours) after 60 s; program output:\n%s", colours, log)
	}
	if keep := os.Getenv("ARENDESTOD_SHOT"); keep != "" {
		b, _ := os.ReadFile(shot)
		os.WriteFile(keep, b, 0o644)
	}
}

// countColours counts the distinct colours of a PNG: a blank or
// black screen has one or two, a painted window hundreds (text is
// anti-aliased).
func countColours(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0
	}
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r, g, bl}] = true
		}
	}
	return len(seen)
}

// Without a screen the program says so in Swedish and exits 1, instead of
// a GLFW panic; the demo (make run) says so before it starts its server.
func TestNoDisplay(t *testing.T) {
	for _, args := range []string{"", "demo"} {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		var env []string
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "DISPLAY=") && !strings.HasPrefix(e, "WAYLAND_DISPLAY=") {
				env = append(env, e)
			}
		}
		cmd.Env = append(env, "ARENDESTOD_AS_MAIN=1", "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "c"),
			"XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "ARENDESTOD_ARGS=--db "+filepath.Join(dir, "x.db")+" "+args)
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Fatalf("%q: exit %v, want 1\n%s", args, err, out)
		}
		if !strings.Contains(string(out), "Ingen skärm") || strings.Contains(string(out), "panic") ||
			strings.Contains(string(out), "e-postserver") {
			t.Fatalf("%q: output %q", args, out)
		}
	}
}
