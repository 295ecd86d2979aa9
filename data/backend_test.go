package data_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// The contract suite runs on the backend it says it runs on.
func TestBackendSelected(t *testing.T) {
	db := MustOpenDB(t)
	if db.IsServer() != onPG() {
		t.Fatalf("IsServer = %v on the %s run", db.IsServer(), map[bool]string{false: "SQLite", true: "PostgreSQL"}[onPG()])
	}
	if data.IsPostgresURL(location(t, db)) != onPG() {
		t.Fatalf("location %s", db.Path())
	}
}

// pgURLWithPassword is u with a user that has a password (the test server
// trusts every local connection, so the password only has to be carried).
func pgURLWithPassword(t *testing.T, u, password string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.User = url.UserPassword(p.User.Username(), password)
	return p.String()
}

// A postgres:// or postgresql:// location is a server: Open makes no file
// or folder for it, and neither its display name nor its errors carry the
// password.
func TestOpenPostgres(t *testing.T) {
	pgtest.Need(t)
	const secret = "hemligt-lösen-42"
	base := pgURLWithPassword(t, pgtest.DB(t), secret)
	dir := t.TempDir()
	t.Chdir(dir)
	for _, scheme := range []string{"postgres", "postgresql", "PostgreSQL"} {
		t.Run(scheme, func(t *testing.T) {
			loc := scheme + strings.TrimPrefix(base, "postgres")
			db, err := data.Open(loc)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer db.Close()
			if !db.IsServer() {
				t.Error("not a server")
			}
			if strings.Contains(db.Path(), secret) || !strings.Contains(db.Path(), "127.0.0.1") {
				t.Errorf("Path = %q", db.Path())
			}
			if s, err := db.IntegrityCheck(context.Background()); err != nil || s != "ok" {
				t.Errorf("IntegrityCheck = %q, %v", s, err)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("Open left %v in the working folder (%v)", entries, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postgres:")); err == nil {
		t.Error("Open made a folder named after the URL")
	}

	t.Run("NoSuchDatabase", func(t *testing.T) {
		u, _ := url.Parse(base)
		u.Path = "/finns_inte"
		_, err := data.Open(u.String())
		if err == nil {
			t.Fatal("opened a database that does not exist")
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error carries the password: %v", err)
		}
		if !strings.Contains(app.ErrorMessage(err), "finns inte") {
			t.Errorf("error %q, want the Swedish message", app.ErrorMessage(err))
		}
	})
	t.Run("NoServer", func(t *testing.T) {
		u, _ := url.Parse(base)
		u.Host = "127.0.0.1:1"
		_, err := data.Open(u.String())
		if err == nil {
			t.Fatal("opened a server that is not there")
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error carries the password: %v", err)
		}
		if app.ErrorCode(err) != app.EINTERNAL || !strings.Contains(app.ErrorMessage(err), "Databasservern") {
			t.Errorf("error %q (%s), want the Swedish message", app.ErrorMessage(err), app.ErrorCode(err))
		}
	})
}

// A desk that waits on another's lock longer than the lock timeout gets
// the same Swedish "busy" conflict as on SQLite, and nothing is stored.
func TestPGLockTimeout(t *testing.T) {
	if !onPG() {
		t.Skip("PostgreSQL run only: SQLite's busy error is in dberror_internal_test.go")
	}
	ctx := context.Background()
	loc := newLocation(t)
	db := mustOpenAt(t, loc+"&lock_timeout=200")
	c := mustCreate(t, db, newCase(db, app.TypeEgenremiss, sthlm(2026, 11, 30, 9, 0)))
	raw := rawStore(t, db)
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, c.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
		return c.AddNote("väntar", hsaMe, testNow)
	})
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "upptagen") {
		t.Fatalf("UpdateCase while the case is locked = %v (%s), want the busy conflict", err, app.ErrorCode(err))
	}
	tx.Rollback()
	if evs := mustEvents(t, db, c.ID); len(evs) != 1 {
		t.Errorf("%d events, want only the received one", len(evs))
	}
}

// Two desks adding the same person at once: the loser gets the message
// SQLite's check gives, from the unique constraint.
func TestAddStaffRace(t *testing.T) {
	ctx := context.Background()
	loc := newLocation(t)
	a, b := mustOpenAt(t, loc), mustOpenAt(t, loc)
	for i := 0; i < 10; i++ {
		hsa := "SE1111111111-RACE" + string(rune('A'+i)) + "001"
		errs := make(chan error, 2)
		for _, db := range []*data.DB{a, b} {
			go func() {
				errs <- db.AddStaff(ctx, &app.Staff{HSAID: hsa, Name: "Kim Testsson", Roles: []app.Role{app.RoleSjukskoterska}})
			}()
		}
		e1, e2 := <-errs, <-errs
		if (e1 == nil) == (e2 == nil) {
			t.Fatalf("both or neither added: %v, %v", e1, e2)
		}
		err := e1
		if err == nil {
			err = e2
		}
		if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "finns redan personal med HSA-ID") {
			t.Errorf("the second AddStaff = %v (%s)", err, app.ErrorCode(err))
		}
	}
}

// Two desks storing the same notices at the same moment: each notice
// becomes one case, new on one desk and a duplicate on the other.
func TestIngestSameNoticesTwoDesks(t *testing.T) {
	ctx := context.Background()
	loc := newLocation(t)
	a, b := mustOpenAt(t, loc), mustOpenAt(t, loc)
	for round := 0; round < 5; round++ {
		var items []app.Inbound
		for i := 0; i < 20; i++ {
			items = append(items, app.Inbound{Key: fmt.Sprintf("<r%d-%d@test>", round, i), Source: "test", Notice: &app.Notice{
				Kind: app.NoticeInkommit, Unit: "BUP Uddevalla", Type: app.TypeEgenremiss,
				Reference: fmt.Sprintf("1177-%d-%02d", round, i), ReceivedAt: sthlm(2026, 11, 30, 9, i)}})
		}
		type out struct {
			res []app.IngestResult
			err error
		}
		outs := make(chan out, 2)
		for _, db := range []*data.DB{a, b} {
			go func() {
				r, err := db.IngestBatch(ctx, items, nil)
				outs <- out{r, err}
			}()
		}
		o1, o2 := <-outs, <-outs
		if o1.err != nil || o2.err != nil {
			t.Fatalf("round %d: %v, %v", round, o1.err, o2.err)
		}
		for i := range items {
			k1, k2 := o1.res[i].Outcome, o2.res[i].Outcome
			if !(k1 == app.OutcomeNew && k2 == app.OutcomeDuplicate || k1 == app.OutcomeDuplicate && k2 == app.OutcomeNew) {
				t.Errorf("round %d notice %d: %s and %s", round, i, k1, k2)
			}
		}
	}
	if n := countRows(t, a, "cases"); n != 100 {
		t.Errorf("%d cases, want 100", n)
	}
}
