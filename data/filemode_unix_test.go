//go:build unix

package data_test

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

// looseUmask sets the umask most desktops have (022: new files 0644) for
// the test, so that owner-only modes are the product's doing.
func looseUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", filepath.Base(path), got, want)
	}
}

// TestFilesOwnerOnly: the database, its -wal and -shm, its folder and
// every backup are owner-only, whatever the umask (issue 13, item 5).
func TestFilesOwnerOnly(t *testing.T) {
	sqliteOnly(t, "file modes")
	looseUmask(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ny")
	path := filepath.Join(dir, "arendestod.db")
	db := mustOpenAt(t, path)
	mustCreate(t, db, newCase(db, app.TypeJournalkopia, sthlm(2026, 11, 30, 9, 0)))
	wantMode(t, dir, 0o700)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}

	backups := filepath.Join(t.TempDir(), "kopior")
	dest, err := db.BackupRotate(ctx, backups, 3, testNow)
	if err != nil {
		t.Fatal(err)
	}
	wantMode(t, backups, 0o700)
	wantMode(t, dest, 0o600)
	// The backup and its access-log anchor (AnchorPath), both owner-only.
	wantMode(t, data.AnchorPath(dest), 0o600)
	if es, _ := os.ReadDir(backups); len(es) != 2 {
		t.Errorf("backup folder holds %d files, want the backup and its anchor", len(es))
	}

	// A database made 0644 by an earlier version is made owner-only.
	old := filepath.Join(t.TempDir(), "gammal.db")
	mustOpenAt(t, old).Close()
	for _, p := range []string{old, old + "-wal", old + "-shm"} {
		os.Chmod(p, 0o644)
	}
	mustOpenAt(t, old)
	for _, p := range []string{old, old + "-wal", old + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			wantMode(t, p, 0o600)
		}
	}
}

// TestBackupNameNoURI: `backup --out file:x.db` writes a file of that very
// name; SQLite never reads it as a URI (issue 13, item 5).
func TestBackupNameNoURI(t *testing.T) {
	sqliteOnly(t, "VACUUM INTO")
	looseUmask(t)
	db := MustOpenDB(t)
	mustCreate(t, db, newCase(db, app.TypeJournalkopia, sthlm(2026, 11, 30, 9, 0)))
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"file:x.db", "file:y.db?mode=memory"} {
		if err := db.Backup(context.Background(), name); err != nil {
			t.Fatalf("Backup(%s): %v", name, err)
		}
		wantMode(t, filepath.Join(dir, name), 0o600)
		wantMode(t, data.AnchorPath(filepath.Join(dir, name)), 0o600)
	}
	es, _ := os.ReadDir(dir)
	var names []string
	for _, e := range es {
		if !strings.HasSuffix(e.Name(), data.AnchorPath("")) {
			names = append(names, e.Name())
		}
	}
	if len(names) != 2 {
		t.Errorf("files %v, want the two backups only", names)
	}
}
