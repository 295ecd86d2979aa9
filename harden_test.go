package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runMain runs the real program with args and returns its exit status and
// stderr.
func runMain(t *testing.T, args ...string) (int, string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ARENDESTOD_AS_MAIN=1", "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"ARENDESTOD_ARGS="+strings.Join(args, " "))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, errb.String()
}

// TestStderrRedacted: what the command line prints on stderr passes the
// personnummer filter, as SECURITY.md promises (issue 13, item 8).
func TestStderrRedacted(t *testing.T) {
	dir := t.TempDir()
	code, stderr := runMain(t, "--db", filepath.Join(dir, "x.db"), "import", filepath.Join(dir, "19121212-1212.eml"))
	if code != 2 || strings.Contains(stderr, "19121212-1212") || !strings.Contains(stderr, "[personnummer]") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestTopLevelFlagErrors: a bad top-level flag gives exit 2 and one
// Swedish line (issue 13, item 8).
func TestTopLevelFlagErrors(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"--db"}} {
		code, stderr := runMain(t, args...)
		if code != 2 || !strings.HasPrefix(stderr, "arendestod: ") || strings.Count(stderr, "\n") != 1 ||
			!(strings.Contains(stderr, "okänd flagga") || strings.Contains(stderr, "behöver ett värde")) {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// TestSecondInterruptExits: the first Ctrl-C cancels the run's context,
// the second ends the program at once (issue 13, item 7).
func TestSecondInterruptExits(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	done := make(chan struct{})
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited := make(chan int, 1)
	var out lockedBuf
	go watchInterrupts(sigs, done, cancel, &out, func(code int) { exited <- code })
	sigs <- syscall.SIGINT
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first interrupt did not cancel")
	}
	select {
	case <-exited:
		t.Fatal("the first interrupt exited")
	case <-time.After(50 * time.Millisecond):
	}
	sigs <- syscall.SIGTERM
	select {
	case code := <-exited:
		if code != 130 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second interrupt did not exit")
	}
}
