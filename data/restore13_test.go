package data_test

// Issue 13 item 4: restore no longer loses writes made by a running
// program, and it checks the very copy it installs.

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
)

// TestHelperHoldOpen is not a test: TestRestoreRefusedWhileOpen runs the
// test binary again with it, as another process that has the database
// open (an import, the window) until its stdin closes.
func TestHelperHoldOpen(t *testing.T) {
	path := os.Getenv("ARENDESTOD_HOLD_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	db, err := data.Open(path)
	if err != nil {
		os.Exit(3)
	}
	if _, _, err := db.Cases(context.Background(), app.CaseFilter{View: app.ViewAll}); err != nil {
		os.Exit(4)
	}
	os.Stdout.WriteString("öppen\n")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
	os.Exit(0)
}

// liveWithBackup makes a database with one case, a backup of it, and a
// second case after the backup; the database is closed.
func liveWithBackup(t *testing.T) (path, backup string) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "live.db")
	db := mustOpenAt(t, path)
	addCase(t, db, "R-1")
	auditRows(t, db, 3)
	backup = filepath.Join(dir, "b.db")
	if err := db.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	addCase(t, db, "R-2")
	db.Close()
	return path, backup
}

func caseCount(t *testing.T, path string) int {
	t.Helper()
	db := mustOpenAt(t, path)
	defer db.Close()
	_, n, err := db.Cases(context.Background(), app.CaseFilter{View: app.ViewAll})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// wantInUse fails unless err is restore's refusal while the database is
// open.
func wantInUse(t *testing.T, err error) {
	t.Helper()
	if err == nil || app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "är öppen i ett annat program") {
		t.Fatalf("Restore: %v, want the refusal while the database is open", err)
	}
}

// A restore while anyone has the database open deleted the live WAL
// under them: now it is refused, and nothing changes.
func TestRestoreRefusedWhileOpen(t *testing.T) {
	sqliteOnly(t, "restore replaces a SQLite file")
	ctx := context.Background()

	t.Run("StoreInThisProcess", func(t *testing.T) {
		path, backup := liveWithBackup(t)
		db, err := data.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = data.Restore(ctx, backup, path, testNow)
		wantInUse(t, err)
		// The open store goes on writing into the live database.
		addCase(t, db, "R-3")
		db.Close()
		if n := caseCount(t, path); n != 3 {
			t.Errorf("%d cases, want 3", n)
		}
		if _, err := data.Restore(ctx, backup, path, testNow); err != nil {
			t.Fatalf("Restore once closed: %v", err)
		}
		if n := caseCount(t, path); n != 1 {
			t.Errorf("after restore %d cases, want 1", n)
		}
	})

	t.Run("OtherProgram", func(t *testing.T) {
		// As the sqlite3 tool would: a plain connection, no lock file.
		path, backup := liveWithBackup(t)
		raw, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		_, err = data.Restore(ctx, backup, path, testNow)
		wantInUse(t, err)
		raw.Close()
		if _, err := data.Restore(ctx, backup, path, testNow); err != nil {
			t.Fatalf("Restore once closed: %v", err)
		}
	})

	t.Run("OtherProcess", func(t *testing.T) {
		path, backup := liveWithBackup(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldOpen$")
		cmd.Env = append(os.Environ(), "ARENDESTOD_HOLD_DB="+path)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		if line != "öppen\n" {
			stdin.Close()
			cmd.Wait()
			t.Fatalf("helper: %q", line)
		}
		_, err := data.Restore(ctx, backup, path, testNow)
		stdin.Close()
		if werr := cmd.Wait(); werr != nil {
			t.Fatalf("helper: %v", werr)
		}
		wantInUse(t, err)
		if n := caseCount(t, path); n != 2 {
			t.Errorf("%d cases, want 2 (nothing restored)", n)
		}
		if _, err := data.Restore(ctx, backup, path, testNow); err != nil {
			t.Fatalf("Restore once the other process ended: %v", err)
		}
	})
}

// `x.db#evil` beside `x.db`: the check opened "file:x.db#evil" as a URI,
// whose #evil is a fragment, so it checked x.db and installed x.db#evil.
func TestRestoreChecksTheFileItInstalls(t *testing.T) {
	sqliteOnly(t, "restore replaces a SQLite file")
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "x.db")
	db := mustOpenAt(t, good)
	addCase(t, db, "G-1")
	db.Close()
	evil := good + "#evil"
	if err := os.WriteFile(evil, []byte("inte en databas"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := data.CheckBackup(ctx, evil); err == nil {
		t.Error("CheckBackup accepted x.db#evil")
	}
	live := filepath.Join(t.TempDir(), "live.db")
	l := mustOpenAt(t, live)
	addCase(t, l, "L-1")
	l.Close()
	if _, err := data.Restore(ctx, evil, live, testNow); err == nil {
		t.Fatal("Restore installed x.db#evil")
	}
	if n := caseCount(t, live); n != 1 {
		t.Errorf("live database has %d cases, want 1", n)
	}
	// The good backup itself, named with a ? too, is restored.
	odd := filepath.Join(dir, "b?mode=ro.db")
	if err := os.Rename(good, odd); err != nil {
		t.Fatal(err)
	}
	os.Rename(data.AnchorPath(good), data.AnchorPath(odd))
	if _, err := data.Restore(ctx, odd, live, testNow); err != nil {
		t.Fatalf("Restore of %s: %v", odd, err)
	}
}

// A backup is compared with the whole schema this version makes, its
// foreign keys checked, and its access log verified, before restore
// accepts it.
func TestRestoreRefusesAlteredBackup(t *testing.T) {
	sqliteOnly(t, "restore replaces a SQLite file")
	ctx := context.Background()
	tests := []struct {
		name   string
		alter  func(t *testing.T, raw *rawConn)
		reason string
	}{
		{"ExtraTable", func(t *testing.T, raw *rawConn) {
			mustExec(t, raw, `CREATE TABLE smuggled (x TEXT)`)
		}, "tabellen smuggled finns inte i programmets schema"},
		{"DroppedTrigger", func(t *testing.T, raw *rawConn) {
			mustExec(t, raw, `DROP TRIGGER audit_log_no_delete`)
		}, "triggern audit_log_no_delete saknas"},
		{"DroppedIndex", func(t *testing.T, raw *rawConn) {
			mustExec(t, raw, `DROP INDEX audit_log_patient`)
		}, "indexet audit_log_patient saknas"},
		{"ChangedTable", func(t *testing.T, raw *rawConn) {
			mustExec(t, raw, `ALTER TABLE cases ADD COLUMN extra TEXT`)
		}, "tabellen cases är ändrad"},
		{"DanglingReference", func(t *testing.T, raw *rawConn) {
			mustExec(t, raw, `INSERT INTO case_steps (case_id, step, done_by, done_at) VALUES (9999, 'melior', 'x', '2026-12-01T09:00:00.000Z')`)
		}, "foreign_key_check"},
		{"RehashedLog", func(t *testing.T, raw *rawConn) {
			rows := readAuditRows(t, raw)
			withoutTriggers(t, raw, func() {
				r := rows[1]
				h := plainHash(r.prevH, r.at, r.actor, r.unit, r.patient, r.caseID, r.action, "oskyldig")
				mustExec(t, raw, `UPDATE audit_log SET detail = 'oskyldig', hash = ? WHERE id = ?`, h, r.id)
				mustExec(t, raw, `UPDATE audit_log SET prev_hash = ? WHERE id = ?`, h, rows[2].id)
			})
		}, "första brutna rad är nr 2"},
		{"TruncatedLog", func(t *testing.T, raw *rawConn) {
			withoutTriggers(t, raw, func() {
				mustExec(t, raw, `DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`)
			})
		}, "Åtkomstloggen har kortats"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, backup := liveWithBackup(t)
			raw := rawDB(t, backup)
			tt.alter(t, &rawConn{DB: raw})
			raw.Close()
			before, _ := os.ReadFile(path)
			_, err := data.Restore(ctx, backup, path, testNow)
			if err == nil {
				t.Fatal("Restore accepted the altered backup")
			}
			if !strings.Contains(app.ErrorMessage(err), tt.reason) {
				t.Errorf("Restore: %q, want %q", app.ErrorMessage(err), tt.reason)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("the live database changed")
			}
			ents, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range ents {
				if strings.HasSuffix(e.Name(), ".restore") {
					t.Errorf("staged copy %s left behind", e.Name())
				}
			}
		})
	}
}

// Without the key the backup's log cannot be checked: refused.
func TestRestoreNeedsTheKey(t *testing.T) {
	sqliteOnly(t, "restore replaces a SQLite file")
	path, backup := liveWithBackup(t)
	_, err := data.RestoreWith(data.WithAuditKeys(newMemKeys()))(context.Background(), backup, path, testNow)
	if err == nil || !strings.Contains(app.ErrorMessage(err), "kan inte kontrolleras") {
		t.Fatalf("Restore without the key: %v", err)
	}
}

// Every backup has its anchor beside it, owner-only; after a restore the
// anchors of the replaced database no longer apply, and the log checks
// whole.
func TestBackupAnchorAndRestoredLog(t *testing.T) {
	sqliteOnly(t, "restore replaces a SQLite file")
	ctx := context.Background()
	path, backup := liveWithBackup(t)
	fi, err := os.Stat(data.AnchorPath(backup))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("side file mode %v", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(data.AnchorPath(backup))
	if !strings.Contains(string(b), "rows=3 last=3 ") || !strings.Contains(string(b), "kind=backup") {
		t.Errorf("side file %q", b)
	}
	// More rows after the backup: the live anchors reach further.
	db := mustOpenAt(t, path)
	auditRows(t, db, 2)
	db.Close()
	if _, err := data.Restore(ctx, backup, path, testNow); err != nil {
		t.Fatal(err)
	}
	db = mustOpenAt(t, path)
	c := wantWhole(t, db)
	if c.Rows != 3 || c.Anchor == nil || c.Anchor.LastID != 3 {
		t.Errorf("after restore: %d rows, anchor %+v", c.Rows, c.Anchor)
	}
	auditRows(t, db, 1)
	wantWhole(t, db)
}
