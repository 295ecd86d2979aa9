package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"

	sqlite3 "modernc.org/sqlite/lib"
)

// TestWrapDBError makes SQLite fail for real and checks that the failures
// the user can act on become Swedish messages by their result code, and
// that every other error passes through unchanged. (Disk full and I/O
// errors: diskfull_test.go.)
func TestWrapDBError(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fel.db")
	open := func(query string) *sql.DB {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+query)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	rw := open("_pragma=busy_timeout(0)&_pragma=journal_mode(WAL)")
	if _, err := rw.Exec(`CREATE TABLE t (k TEXT UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := rw.Exec(`INSERT INTO t (k) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}

	t.Run("Busy", func(t *testing.T) {
		hold, err := rw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer hold.Close()
		if _, err := hold.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			t.Fatal(err)
		}
		defer hold.ExecContext(ctx, `ROLLBACK`)
		other := open("_pragma=busy_timeout(0)")
		_, err = other.Exec(`INSERT INTO t (k) VALUES ('b')`)
		if code := sqliteCode(err) & 0xff; code != sqlite3.SQLITE_BUSY {
			t.Fatalf("error %v has code %d, want SQLITE_BUSY", err, sqliteCode(err))
		}
		got := wrapDBError(fmt.Errorf("insert: %w", err))
		if app.ErrorCode(got) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(got), "upptagen") {
			t.Errorf("wrapDBError = %v (%s), want the Swedish busy message", got, app.ErrorCode(got))
		}
	})

	t.Run("ReadOnly", func(t *testing.T) {
		ro := open("mode=ro")
		_, err := ro.Exec(`INSERT INTO t (k) VALUES ('c')`)
		if code := sqliteCode(err) & 0xff; code != sqlite3.SQLITE_READONLY {
			t.Fatalf("error %v has code %d, want SQLITE_READONLY", err, sqliteCode(err))
		}
		got := wrapDBError(err)
		if app.ErrorCode(got) != app.EINTERNAL || !strings.Contains(app.ErrorMessage(got), "skrivskyddad") {
			t.Errorf("wrapDBError = %v (%s), want the Swedish read-only message", got, app.ErrorCode(got))
		}
	})

	t.Run("Unique", func(t *testing.T) {
		_, err := rw.Exec(`INSERT INTO t (k) VALUES ('a')`)
		if code := sqliteCode(err); code != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
			t.Fatalf("error %v has code %d, want SQLITE_CONSTRAINT_UNIQUE (extended)", err, code)
		}
		if got := wrapDBError(err); got != err {
			t.Errorf("wrapDBError changed a constraint error: %v", got)
		}
	})

	t.Run("PassThrough", func(t *testing.T) {
		_, syntax := rw.Exec(`INSERT INTO nowhere VALUES (1)`)
		if syntax == nil || sqliteCode(syntax) == 0 {
			t.Fatalf("want an SQLite error, got %v", syntax)
		}
		// Text that once decided the message decides nothing now.
		plain := errors.New("database is locked; disk I/O error; database or disk is full")
		ours := app.Errorf(app.ENOTFOUND, "Ärende nr 1 finns inte.")
		for _, err := range []error{syntax, plain, ours} {
			if got := wrapDBError(err); got != err {
				t.Errorf("wrapDBError(%v) = %v, want it unchanged", err, got)
			}
		}
		if wrapDBError(nil) != nil || sqliteCode(nil) != 0 {
			t.Error("nil is not nil")
		}
	})
}
