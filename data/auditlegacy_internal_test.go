package data

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data/pgtest"
)

// The MAC's fields are length-prefixed: moving a character from one
// field to the next changes it (a separator could be forged inside a
// field).
func TestLengthPrefixedMAC(t *testing.T) {
	key := make([]byte, app.AuditKeySize)
	pairs := [][2][]string{
		{{"ab", "c"}, {"a", "bc"}},
		{{"a\x1fb", ""}, {"a", "b"}},
		{{"", "x"}, {"x", ""}},
	}
	for _, p := range pairs {
		if lpMAC(key, p[0]...) == lpMAC(key, p[1]...) {
			t.Errorf("%q and %q have one MAC", p[0], p[1])
		}
	}
	e := app.AuditEntry{Actor: "a", Unit: "b", Action: "visa"}
	if auditMAC(key, 1, "", "t", e) == auditMAC(key, 2, "", "t", e) {
		t.Error("the id is not part of the MAC")
	}
}

// A database from before the key (schema 7, a plain SHA-256 chain) is
// upgraded: its rows keep verifying as they are, the rows after them are
// keyed, and rewriting an old row is found where the keyed chain begins.
func TestAuditLegacyUpgrade(t *testing.T) {
	ctx := context.Background()
	var loc string
	var raw *sql.DB
	q := func(s string) string { return s }
	if os.Getenv("ARENDESTOD_TEST_BACKEND") == "postgres" {
		loc = pgtest.DB(t)
		raw = openPGTest(t, loc)
		ms, err := pgMigrations()
		if err != nil {
			t.Fatal(err)
		}
		if err := migratePG(ctx, raw, "test", ms[:auditKeyVersion-1], time.Now); err != nil {
			t.Fatal(err)
		}
		q = rebind
	} else {
		loc = filepath.Join(t.TempDir(), "old.db")
		var err error
		if raw, err = sql.Open("sqlite", dsn(loc, false)); err != nil {
			t.Fatal(err)
		}
		raw.SetMaxOpenConns(1)
		t.Cleanup(func() { raw.Close() })
		ms, _ := migrations()
		if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for _, m := range ms[:auditKeyVersion-1] {
			if _, err := raw.Exec(m.sql); err != nil {
				t.Fatal(err)
			}
			raw.Exec(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01')`, m.version, m.name)
		}
	}
	// Three rows as the old program wrote them.
	prev := ""
	for i, d := range []string{"ett", "två", "tre"} {
		e := app.AuditEntry{Actor: "SE1", Unit: "BUP", Action: "visa", Detail: d}
		at := fmtTime(time.Date(2026, 1, 1, 8, i, 0, 0, time.UTC))
		h := auditHash(prev, at, e)
		if _, err := raw.Exec(q(`INSERT INTO audit_log (at, actor, unit, patient, action, detail, prev_hash, hash) VALUES (?, ?, ?, '', ?, ?, ?, ?)`),
			at, e.Actor, e.Unit, e.Action, e.Detail, prev, h); err != nil {
			t.Fatal(err)
		}
		prev = h
	}

	db, err := Open(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.epoch == nil || db.epoch.legacyUntil != 3 {
		t.Fatalf("key record %+v, want the plain chain up to row 3", db.epoch)
	}
	for i := 0; i < 2; i++ {
		if err := db.Audit(ctx, app.AuditEntry{Actor: "SE2", Action: "ändra", Detail: "ny"}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := db.CheckAudit(ctx)
	if err != nil || !c.OK() || c.Rows != 5 || c.Keyed != 2 {
		t.Fatalf("CheckAudit = %+v, %v; want 5 rows, 2 keyed, whole", c, err)
	}

	// Row 2 rewritten and the plain chain recomputed to its end: the first
	// keyed row, whose MAC holds the old row 3's hash, no longer follows.
	if os.Getenv("ARENDESTOD_TEST_BACKEND") == "postgres" {
		raw.Exec(`ALTER TABLE audit_log DISABLE TRIGGER USER`)
	} else {
		raw.Exec(`DROP TRIGGER audit_log_no_update`)
	}
	rows, err := raw.Query(auditChainQuery)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		e  app.AuditEntry
		at string
	}
	var all []row
	for rows.Next() {
		var r row
		var patient, ph string
		rows.Scan(&r.e.ID, &r.at, &r.e.Actor, &r.e.Unit, &patient, &r.e.CaseID, &r.e.Action, &r.e.Detail, &ph, &r.e.Hash)
		all = append(all, r)
	}
	rows.Close()
	prev = all[0].e.Hash
	for i := 1; i < 3; i++ {
		r := all[i]
		if i == 1 {
			r.e.Detail = "ändrad"
		}
		h := auditHash(prev, r.at, r.e)
		if _, err := raw.Exec(q(`UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?`), r.e.Detail, prev, h, r.e.ID); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	if id, err := db.VerifyAudit(ctx); err != nil || id != 4 {
		t.Errorf("VerifyAudit = %d, %v; want 4, the first keyed row", id, err)
	}
}
