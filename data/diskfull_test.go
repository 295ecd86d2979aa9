//go:build unix

package data_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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
	sqliteOnly(t, "a database file on a full tmpfs")
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

// TestHelperWriteErrors is not a test: TestWriteErrors runs the test
// binary again with it, as a process whose file-size limit makes SQLite's
// writes fail with an I/O error (EFBIG).
func TestHelperWriteErrors(t *testing.T) {
	path := os.Getenv("ARENDESTOD_IOERR_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	db, err := data.Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	signal.Ignore(syscall.SIGXFSZ) // get EFBIG instead of being killed
	var limit uint64 = 256 << 10
	for _, f := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(f); err == nil && uint64(fi.Size())+256<<10 > limit {
			limit = uint64(fi.Size()) + 256<<10
		}
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(3)
	}
	for i := 0; i < 10000; i++ {
		c := app.NewCase(app.TypeEgenremiss, testNow, db.Calendar())
		c.Reference = fmt.Sprintf("IO-%d", i)
		c.Unit = strings.Repeat("BUP Uddevalla ", 12)
		if err := db.CreateCase(ctx, c, hsaMe); err != nil {
			fmt.Printf("saved=%d\nmessage=%s\n", i, app.ErrorMessage(err))
			os.Exit(0)
		}
	}
	fmt.Println("never failed")
	os.Exit(4)
}

// TestWriteErrors makes writes fail with I/O errors (a file-size limit on
// a child process) and checks that the user gets a Swedish message, that
// every case reported saved is there and that the database is whole.
func TestWriteErrors(t *testing.T) {
	sqliteOnly(t, "I/O errors of a database file")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "io.db")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriteErrors$")
	cmd.Env = append(os.Environ(), "ARENDESTOD_IOERR_DB="+path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("writer: %v\n%s", err, out)
	}
	var saved int
	var msg string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "saved="); ok {
			saved, _ = strconv.Atoi(v)
		}
		if v, ok := strings.CutPrefix(line, "message="); ok {
			msg = v
		}
	}
	if msg == "" || !strings.Contains(msg, "sparades inte") {
		t.Errorf("message %q, want a Swedish message that the change was not saved\n%s", msg, out)
	}
	db2, err := data.Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	if s, err := db2.IntegrityCheck(ctx); err != nil || s != "ok" {
		t.Fatalf("integrity_check = %q, %v", s, err)
	}
	if _, n, _ := db2.Cases(ctx, app.CaseFilter{View: app.ViewAll}); n != saved {
		t.Fatalf("%d cases in the database, %d were reported saved", n, saved)
	}
	t.Logf("%d cases saved before the I/O error: %s", saved, msg)
}
