//go:build unix

package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"arendestod/app"
	"arendestod/data"
)

// looseUmask sets the umask most desktops have (022) for the test, so that
// owner-only modes are the product's doing.
func looseUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantPerm(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		t.Errorf("%s: mode %v, want a plain file or folder", filepath.Base(path), fi.Mode())
	} else if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", filepath.Base(path), got, want)
	}
}

// TestCommandFilesOwnerOnly: what the command line writes is owner-only
// (the database and its folder, a backup, an extract and its CSV), a
// backup named "file:x.db" is a file of that name, and an extract does
// not write through a link planted at its name or at a temporary name
// (issue 13, item 5).
func TestCommandFilesOwnerOnly(t *testing.T) {
	looseUmask(t)
	dir := t.TempDir()
	t.Chdir(dir)
	h := newHarness(t)
	db := filepath.Join(dir, "ny", "arendestod.db")
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-20 09:00")
	wantPerm(t, filepath.Join(dir, "ny"), 0o700)
	wantPerm(t, db, 0o600) // -wal and -shm: data's TestFilesOwnerOnly

	if code, out, errs := runAdmin(t, "--db", db, "backup", "--out", "file:x.db"); code != 0 || !strings.Contains(out, filepath.Join(dir, "file:x.db")) {
		t.Errorf("backup: exit %d %q %q", code, out, errs)
	}
	wantPerm(t, filepath.Join(dir, "file:x.db"), 0o600)
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("backup --out file:x.db wrote x.db")
	}

	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(context.Background(), app.AuditEntry{Actor: "SE2321000131-P000000000001", Unit: "BUP Uddevalla",
		Patient: "201903129805", Action: app.AuditView}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	victim := filepath.Join(dir, "annan.txt")
	if err := os.WriteFile(victim, []byte("orörd"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ut", "utdrag.pdf")
	os.Mkdir(filepath.Dir(out), 0o700)
	for _, link := range []string{out, out + ".tmp", filepath.Join(dir, "ut", ".utdrag.pdf.tmp"), filepath.Join(dir, "ut", "utdrag.csv")} {
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
	}
	if code, stdout, errs := runAdmin(t, "--db", db, "audit", "extract", "--pnr", "20190312-9805", "--out", out); code != 0 {
		t.Fatalf("extract: exit %d %q %q", code, stdout, errs)
	}
	if b, _ := os.ReadFile(victim); string(b) != "orörd" {
		t.Errorf("the linked file was written: %q", b)
	}
	wantPerm(t, out, 0o600)
	wantPerm(t, filepath.Join(dir, "ut", "utdrag.csv"), 0o600)
}
