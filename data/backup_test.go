package data_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

func addCase(tb testing.TB, db *data.DB, ref string) int64 {
	tb.Helper()
	c := app.NewCase(app.TypeFornyaRecept, testNow.Add(-time.Hour), db.Calendar())
	c.Reference = ref
	if err := db.CreateCase(context.Background(), c, hsaMe); err != nil {
		tb.Fatalf("CreateCase: %v", err)
	}
	return c.ID
}

func TestBackupDuringWrites(t *testing.T) {
	sqliteOnly(t, "VACUUM INTO a file; PostgreSQL backs up with pg_dump (ui/cli tests)")
	ctx := context.Background()
	db := MustOpenDB(t)
	for i := 0; i < 50; i++ {
		addCase(t, db, fmt.Sprintf("pre-%d", i))
	}
	// Keep writing while the backup runs.
	var committed atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := addCase(t, db, fmt.Sprintf("during-%d", i))
			committed.Store(id)
		}
	}()
	for committed.Load() < 60 {
		time.Sleep(time.Millisecond)
	}
	before := committed.Load() // every case up to here was committed before the backup began
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	close(stop)
	<-done

	if v, err := data.CheckBackup(ctx, dest); err != nil || v != data.SchemaVersion() {
		t.Fatalf("CheckBackup = %d, %v", v, err)
	}
	// Restore over a fresh path and find every committed row, in one
	// unbroken run of ids (a snapshot, not a torn copy).
	target := filepath.Join(t.TempDir(), "restored.db")
	aside, err := data.Restore(ctx, dest, target, testNow)
	if err != nil || aside != "" {
		t.Fatalf("Restore = %q, %v", aside, err)
	}
	restored := mustOpenAt(t, target)
	cases, total, err := restored.Cases(ctx, app.CaseFilter{View: app.ViewAll})
	if err != nil {
		t.Fatal(err)
	}
	if int64(total) < before {
		t.Fatalf("backup has %d cases, want at least the %d committed before it began", total, before)
	}
	seen := map[int64]bool{}
	for _, c := range cases {
		seen[c.ID] = true
	}
	for id := int64(1); id <= int64(total); id++ {
		if !seen[id] {
			t.Fatalf("case %d missing from a backup of %d cases", id, total)
		}
	}
	if s, err := restored.IntegrityCheck(ctx); err != nil || s != "ok" {
		t.Fatalf("integrity_check = %q, %v", s, err)
	}
}

func TestRestoreKeepsReplacedAside(t *testing.T) {
	sqliteOnly(t, "restore replaces a file; refused on PostgreSQL (ui/cli tests)")
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	db := mustOpenAt(t, path)
	addCase(t, db, "A-1")
	backup := filepath.Join(dir, "b.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	addCase(t, db, "A-2") // after the backup: gone after restore, kept aside
	db.Close()

	aside, err := data.Restore(ctx, backup, path, testNow)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if aside == "" {
		t.Fatal("the replaced database was not kept aside")
	}
	// The copy was put in place by rename: no temporary file stays.
	// (Beside the databases: their anchor files and the lock file.)
	var names []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if n := filepath.Join(dir, e.Name()); n != data.AnchorPath(path) && n != data.AnchorPath(backup) && n != data.LockPath(path) {
			names = append(names, e.Name())
		}
	}
	if len(names) != 3 {
		t.Errorf("folder holds %q, want live.db, b.db and the one aside", names)
	}
	for _, tc := range []struct {
		path string
		want int
	}{{path, 1}, {aside, 2}} {
		d := mustOpenAt(t, tc.path)
		_, n, err := d.Cases(ctx, app.CaseFilter{View: app.ViewAll})
		if err != nil || n != tc.want {
			t.Errorf("%s: %d cases (%v), want %d", filepath.Base(tc.path), n, err, tc.want)
		}
	}
}

func TestRestoreRefusesBadBackup(t *testing.T) {
	sqliteOnly(t, "checks SQLite backup files")
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	db := mustOpenAt(t, path)
	addCase(t, db, "B-1")
	db.Close()
	before, _ := os.ReadFile(path)

	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte("inte en databas"), 0o600)
	newer := filepath.Join(dir, "newer.db")
	n := mustOpenAt(t, newer)
	n.Close()
	raw := rawDB(t, newer)
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	for name, b := range map[string]string{"garbage": garbage, "newer": newer, "missing": filepath.Join(dir, "nope.db")} {
		t.Run(name, func(t *testing.T) {
			if _, err := data.Restore(ctx, b, path, testNow); err == nil {
				t.Fatal("Restore accepted a bad backup")
			} else if app.ErrorMessage(err) == "" {
				t.Fatal("no message")
			}
			after, _ := os.ReadFile(path)
			if string(after) != string(before) {
				t.Fatal("the live database changed")
			}
		})
	}
}

func TestBackupRotate(t *testing.T) {
	sqliteOnly(t, "the daily backup copies a file; skipped on a server (app/jobs)")
	ctx := context.Background()
	db := MustOpenDB(t)
	dir := t.TempDir()
	var last string
	for i := 0; i < 5; i++ {
		p, err := db.BackupRotate(ctx, dir, 3, testNow.Add(time.Duration(i)*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		last = p
	}
	list, err := data.ListBackups(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[2] != last {
		t.Fatalf("kept %v, want the 3 newest ending with %s", list, last)
	}
	if filepath.Base(list[0]) != "arendestod-20261203-100000.db" {
		t.Errorf("oldest kept = %s", filepath.Base(list[0]))
	}
}
