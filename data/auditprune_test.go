package data_test

// Issue 13 item 6: the access log's own retention really removes rows
// older than gallring.atkomstlogg.ar, and the log stays verifiable; every
// way of removing or changing rows outside a prune is still found.

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// prunedLog makes a database whose access log has 5 rows older than ten
// years (three from 2010, two from 2014) and 2 from testNow, closes and
// opens it (anchors of the whole log), and runs the gallring at testNow
// with the default retention. It returns the open store, its location and
// options to open it again.
func prunedLog(t *testing.T) (*data.DB, string, []data.Option) {
	t.Helper()
	ctx := context.Background()
	loc := newLocation(t)
	var opts []data.Option
	if onPG() {
		opts = append(opts, data.WithAnchors(filepath.Join(t.TempDir(), "arendestod.log")))
	}
	db := openOpts(t, loc, opts...)
	setClock(db, time.Date(2010, 3, 1, 9, 0, 0, 0, app.Stockholm))
	auditRows(t, db, 3)
	db.Close() // an anchor of 3 rows: a row the prune will remove
	db = openOpts(t, loc, opts...)
	setClock(db, time.Date(2014, 5, 1, 9, 0, 0, 0, app.Stockholm))
	auditRows(t, db, 2)
	setClock(db, testNow)
	auditRows(t, db, 2)
	db.Close()
	db = openOpts(t, loc, opts...)
	wantWhole(t, db)

	g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), app.ActorSystem)
	if err != nil {
		t.Fatalf("Gallra: %v", err)
	}
	if g.AccessLog != 5 {
		t.Fatalf("Gallra = %+v, want 5 access-log rows removed", g)
	}
	return db, loc, opts
}

func TestAccessLogPruned(t *testing.T) {
	ctx := context.Background()
	db, loc, opts := prunedLog(t)
	es, err := db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || es[0].ID != 6 {
		t.Fatalf("after gallring %d rows from nr %d, want 3 from nr 6", len(es), es[0].ID)
	}
	for _, e := range es[:2] {
		if e.At.Before(testNow.AddDate(-10, 0, 0)) {
			t.Errorf("row %d from %s kept", e.ID, e.At)
		}
	}
	last := es[2]
	if last.Action != app.AuditRetention || !strings.Contains(last.Detail, "5 rader ur åtkomstloggen (äldre än 10 år)") {
		t.Errorf("gallring row %q %q, want it to say 5 access-log rows", last.Action, last.Detail)
	}
	c := wantWhole(t, db)
	if c.Rows != 3 || c.LastID != 8 {
		t.Errorf("check: %d rows to nr %d, want 3 to nr 8", c.Rows, c.LastID)
	}
	// Again: nothing more is old enough; closing and opening (anchors of
	// the pruned log) keep it whole.
	if g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), app.ActorSystem); err != nil || g.AccessLog != 0 {
		t.Errorf("second Gallra = %+v, %v", g, err)
	}
	db.Close()
	db = openOpts(t, loc, opts...)
	c = wantWhole(t, db)
	if c.Anchor == nil || c.Anchor.LastID != 8 || c.Anchor.Rows != 8 {
		t.Errorf("anchor %+v, want 8 rows written to nr 8", c.Anchor)
	}
	// A second prune, later: chained to the first.
	later := testNow.AddDate(11, 0, 0)
	setClock(db, later)
	g, err := db.Gallra(ctx, later.AddDate(0, -24, 0), app.ActorSystem)
	if err != nil || g.AccessLog != 3 {
		t.Fatalf("later Gallra = %+v, %v; want the 3 rows of 2026", g, err)
	}
	wantWhole(t, db)
	db.Close()
	db = openOpts(t, loc, opts...)
	wantWhole(t, db)
}

// Outside a prune, the log still refuses DELETE (and the prune records
// refuse any change).
func TestAccessLogDeleteOutsidePruneRefused(t *testing.T) {
	db, _, _ := prunedLog(t)
	raw := rawStore(t, db)
	for _, q := range []string{`DELETE FROM audit_log WHERE id = 7`, `DELETE FROM audit_log`,
		`UPDATE audit_log SET detail = 'x' WHERE id = 7`,
		`DELETE FROM audit_prune`, `UPDATE audit_prune SET up_to = 7`} {
		if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused by the trigger", q, err)
		}
	}
	wantWhole(t, db)
}

// Each way of tampering with a pruned log is found.
func TestAccessLogPruneTamperDetected(t *testing.T) {
	ctx := context.Background()
	t.Run("edited kept row", func(t *testing.T) {
		db, _, _ := prunedLog(t)
		raw := rawStore(t, db)
		withoutTriggers(t, raw, func() { mustExec(t, raw, `UPDATE audit_log SET detail = 'oskyldig' WHERE id = 7`) })
		if id, err := db.VerifyAudit(ctx); err != nil || id != 7 {
			t.Errorf("VerifyAudit = %d, %v; want 7", id, err)
		}
		wantProblem(t, db, "första brutna rad är nr 7")
	})
	t.Run("forged prune record", func(t *testing.T) {
		db, _, _ := prunedLog(t)
		raw := rawStore(t, db)
		var mac, hash6 string
		if err := raw.QueryRow(`SELECT mac FROM audit_prune WHERE id = 1`).Scan(&mac); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow(`SELECT hash FROM audit_log WHERE id = 6`).Scan(&hash6); err != nil {
			t.Fatal(err)
		}
		// The trigger lets the DELETE through once the record is there:
		// only its MAC gives it away.
		mustExec(t, raw, `INSERT INTO audit_prune (id, up_to, removed, last_hash, cutoff, at, actor, prev_mac, mac)
			VALUES (2, 6, 1, ?, '2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z', 'system', ?, ?)`, hash6, mac, strings.Repeat("0", 64))
		mustExec(t, raw, `DELETE FROM audit_log WHERE id <= 6`)
		if id, err := db.VerifyAudit(ctx); err != nil || id != 7 {
			t.Errorf("VerifyAudit = %d, %v; want 7", id, err)
		}
		wantProblem(t, db, "gallringspost nr 2 i audit_prune är inte programmets")
	})
	for _, id := range []int64{6, 7} {
		t.Run("row "+strconv.FormatInt(id, 10)+" deleted outside a prune", func(t *testing.T) {
			db, _, _ := prunedLog(t)
			raw := rawStore(t, db)
			withoutTriggers(t, raw, func() { mustExec(t, raw, `DELETE FROM audit_log WHERE id = ?`, id) })
			if got, err := db.VerifyAudit(ctx); err != nil || got != id+1 {
				t.Errorf("VerifyAudit = %d, %v; want %d", got, err, id+1)
			}
			wantProblem(t, db, "saknas")
		})
	}
	t.Run("truncated", func(t *testing.T) {
		db, loc, opts := prunedLog(t)
		raw := rawStore(t, db)
		db.Close() // anchors 8 rows written to nr 8
		withoutTriggers(t, raw, func() { mustExec(t, raw, `DELETE FROM audit_log WHERE id > 6`) })
		db = openOpts(t, loc, opts...)
		wantProblem(t, db, "Åtkomstloggen har kortats", "8 rader till och med nr 8", "slutar vid nr 6 med 1 rad")
	})
}

// The setting's minimum: three years is read as five, the legal least.
func TestAccessLogPruneMinimum(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.SetSetting(ctx, app.SettingAccessLogYears, "3"); err != nil {
		t.Fatal(err)
	}
	setClock(db, testNow.AddDate(-6, 0, 0))
	auditRows(t, db, 2)
	setClock(db, testNow.AddDate(-4, 0, 0))
	auditRows(t, db, 2)
	setClock(db, testNow)
	g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), app.ActorSystem)
	if err != nil {
		t.Fatal(err)
	}
	// The first two rows are six years old, the next two four.
	if g.AccessLog != 2 {
		t.Fatalf("Gallra = %+v, want the 2 rows older than 5 years", g)
	}
	es, err := db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || !es[0].At.Equal(testNow.AddDate(-4, 0, 0)) || !strings.Contains(es[2].Detail, "äldre än 5 år") {
		t.Errorf("kept %d rows, first at %s, last %q", len(es), es[0].At, es[2].Detail)
	}
	wantWhole(t, db)
}
