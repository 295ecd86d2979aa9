package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data/pgtest"

	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL's SQLSTATEs become the same Swedish messages and codes as
// SQLite's result codes for the same situations (TestWrapDBError); a
// constraint violation and anything unknown pass unchanged.
func TestWrapDBErrorPG(t *testing.T) {
	for _, tc := range []struct {
		state, code, msg string
	}{
		{"53100", app.EINTERNAL, msgDiskFull},
		{"40001", app.ECONFLICT, msgBusy},
		{"40P01", app.ECONFLICT, msgBusy},
		{"55P03", app.ECONFLICT, msgBusy},
		{"57014", app.ECONFLICT, msgBusy},
		{"58030", app.EINTERNAL, msgIOError},
		{"25006", app.EINTERNAL, msgReadOnly},
		{"42501", app.EINTERNAL, msgReadOnly},
		{"08006", app.EINTERNAL, "Databasservern svarar inte"},
		{"57P01", app.EINTERNAL, "Databasservern svarar inte"},
		{"28P01", app.EINTERNAL, "Fel användare eller lösenord"},
		{"3D000", app.EINTERNAL, "Databasen finns inte"},
	} {
		pe := &pgconn.PgError{Code: tc.state, Message: "server text"}
		got := wrapDBError(fmt.Errorf("statement: %w", pe))
		if app.ErrorCode(got) != tc.code || !strings.Contains(app.ErrorMessage(got), tc.msg) {
			t.Errorf("%s: %v (%s), want %s %q", tc.state, got, app.ErrorCode(got), tc.code, tc.msg)
		}
		var back *pgconn.PgError
		if !errors.As(got, &back) || back.Code != tc.state {
			t.Errorf("%s: the server's error is not kept in the chain", tc.state)
		}
	}
	for _, state := range []string{"23505", "23503", "42601", "P0001"} {
		err := &pgconn.PgError{Code: state}
		if got := wrapDBError(err); got != error(err) {
			t.Errorf("%s changed: %v", state, got)
		}
	}
	if !retryable(&pgconn.PgError{Code: "40P01"}) || retryable(&pgconn.PgError{Code: "55P03"}) || retryable(errors.New("x")) {
		t.Error("retryable")
	}
}

// A transaction the server aborted as a deadlock or serialization
// failure is run once more; a second failure is the busy conflict.
func TestInTxRetriesOnce(t *testing.T) {
	db, err := Open(pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		fails, calls int
		code         string
	}{{0, 1, ""}, {1, 2, ""}, {2, 2, app.ECONFLICT}} {
		calls := 0
		err := db.inTx(ctx, func(tx *txn) error {
			calls++
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, "k", fmt.Sprint(calls)); err != nil {
				return err
			}
			if calls <= tc.fails {
				return &pgconn.PgError{Code: "40P01"}
			}
			return nil
		})
		if calls != tc.calls || app.ErrorCode(err) != tc.code {
			t.Errorf("%d failures: %d calls, %v; want %d calls, code %q", tc.fails, calls, err, tc.calls, tc.code)
		}
		if tc.code != "" && !strings.Contains(app.ErrorMessage(err), "upptagen") {
			t.Errorf("message %q", app.ErrorMessage(err))
		}
	}
}

// The password of a connection URL stays out of pg_dump's command line.
func TestLibpqURL(t *testing.T) {
	conn, pw := libpqURL("postgres://kim:s%C3%A4kert@db.example:5433/bup?sslmode=verify-full&lock_timeout=5&password=x")
	if pw != "x" || strings.Contains(conn, "säkert") || strings.Contains(conn, "s%C3") || strings.Contains(conn, "lock_timeout") ||
		conn != "postgres://kim@db.example:5433/bup?sslmode=verify-full" {
		t.Errorf("libpqURL = %q, %q", conn, pw)
	}
	if conn, pw := libpqURL("postgres://kim:hemligt@h/db"); pw != "hemligt" || conn != "postgres://kim@h/db" {
		t.Errorf("libpqURL = %q, %q", conn, pw)
	}
}
