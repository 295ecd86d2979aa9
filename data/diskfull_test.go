package data_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
)

// mountSmallFS mounts a tmpfs of size bytes and returns its path. It needs
// root; elsewhere the test is skipped, except in CI where it must run.
func mountSmallFS(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot mount a small tmpfs (CI runs as root): %v %s", err, out)
		}
		t.Skipf("cannot mount a small tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestDiskFull fills a small file system until writes fail, and checks
// that the user gets a Swedish message, the database stays whole and every
// case that was reported saved is there.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := mountSmallFS(t, "2m")
	path := filepath.Join(dir, "full.db")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	committed := 0
	var failure error
	for i := 0; i < 20000 && failure == nil; i++ {
		c := app.NewCase(app.TypeSkickaMeddelande, testNow, db.Calendar())
		c.Reference = fmt.Sprintf("FULL-%05d", i)
		c.Unit = strings.Repeat("BUP Uddevalla ", 8)
		if err := db.CreateCase(ctx, c, hsaMe); err != nil {
			failure = err
		} else {
			committed++
		}
	}
	if failure == nil {
		t.Fatal("the small file system never filled")
	}
	if msg := app.ErrorMessage(failure); !strings.Contains(msg, "Disken är full") {
		t.Errorf("message = %q (%v), want the Swedish disk-full message", msg, failure)
	}
	db.Close()

	// Reopen where it lies (reading needs no space) and check.
	db2, err := data.Open(path)
	if err != nil {
		t.Fatalf("reopen after disk full: %v", err)
	}
	defer db2.Close()
	if s, err := db2.IntegrityCheck(ctx); err != nil || s != "ok" {
		t.Fatalf("integrity_check = %q, %v", s, err)
	}
	_, n, err := db2.Cases(ctx, app.CaseFilter{View: app.ViewAll})
	if err != nil {
		t.Fatal(err)
	}
	if n != committed {
		t.Fatalf("%d cases in the database, %d were reported saved", n, committed)
	}
	t.Logf("%d cases saved before the disk was full", committed)
}
