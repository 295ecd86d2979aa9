//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFIFONeverRead: a FIFO named to import is refused without being
// opened, so the program does not hang (issue 13, item 7).
func TestFIFONeverRead(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "notiser.eml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan struct{})
	var code int
	var stderr string
	go func() {
		code, stderr = runMain(t, "--db", filepath.Join(dir, "x.db"), "import", fifo)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		// Unblock the reader so the test can end, then fail.
		f, _ := os.OpenFile(fifo, os.O_WRONLY, 0)
		if f != nil {
			f.Close()
		}
		<-done
		t.Fatal("import of a FIFO hung")
	}
	if code != 2 || !strings.Contains(stderr, "varken en vanlig fil eller en mapp") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
