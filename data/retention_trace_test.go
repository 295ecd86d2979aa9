package data_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// closedWithPatient stores a case closed monthsAgo months before testNow
// with a patient named surname and a note naming them.
func closedWithPatient(t *testing.T, db *data.DB, surname string, monthsAgo int) {
	t.Helper()
	ctx := context.Background()
	closed := testNow.AddDate(0, -monthsAgo, 0)
	setClock(db, closed.Add(-48*time.Hour))
	defer setClock(db, testNow)
	c := mustCreate(t, db, app.NewCase(app.TypeVABUnder12, closed.Add(-48*time.Hour), db.Calendar()))
	_, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
		ev, err := c.SetPatient("20190312-9805", "Alva "+surname, hsaMe, closed)
		if err != nil {
			return nil, err
		}
		n, err := c.AddNote("Ringde om Alva "+surname, hsaMe, closed)
		if err != nil {
			return nil, err
		}
		cl, err := c.Close(hsaMe, closed)
		return append(append(ev, n...), cl...), err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fileHas reports whether the database file or its -wal holds s.
func fileHas(t *testing.T, path, s string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// TestGallraLeavesNoTrace: right after a retention run, with the store
// still open, nothing removed is left in the database file or its -wal
// (the WAL is checkpointed and truncated); quarantined mail from before
// the cutoff goes too, and so do the identifiers in a database a restore
// kept aside (issue 13, item 6).
func TestGallraLeavesNoTrace(t *testing.T) {
	sqliteOnly(t, "the file's bytes")
	ctx := context.Background()
	db := MustOpenDB(t)
	closedWithPatient(t, db, "Gammalsson", 25)
	closedWithPatient(t, db, "Nyasson", 1)
	raw := rawStore(t, db)
	for _, q := range []struct{ key, body, at string }{
		{"<gammal@x>", "Inkom: Karantansson gammal", "2024-10-01T08:00:00.000Z"},
		{"<ny@x>", "Inkom: Karantansson ny", "2026-11-30T08:00:00.000Z"},
	} {
		if _, err := raw.Exec(`INSERT INTO quarantine (msg_key, source, reason, raw, taken_at) VALUES (?, 'test', 'okänd avsändare', ?, ?)`,
			q.key, []byte(q.body), q.at); err != nil {
			t.Fatal(err)
		}
	}
	// A database a restore replaced, kept aside beside this one.
	asidePath := db.Path() + ".ersatt-20261101-100000"
	aside := mustOpenAt(t, asidePath)
	closedWithPatient(t, aside, "Undansson", 25)
	closedWithPatient(t, aside, "Kvarsson", 1)
	if err := aside.Close(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Gammalsson", "Nyasson", "Karantansson gammal"} {
		if !fileHas(t, db.Path(), s) {
			t.Fatalf("%q not in the files before gallring: the test proves nothing", s)
		}
	}

	g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), app.ActorSystem)
	if err != nil {
		t.Fatal(err)
	}
	if g.Cases != 1 || g.Notes != 1 || g.Quarantined != 1 || g.Aside != 1 {
		t.Errorf("Gallra = %+v", g)
	}
	for _, s := range []string{"Gammalsson", "Karantansson gammal"} {
		if fileHas(t, db.Path(), s) {
			t.Errorf("%q is still in the database file or its -wal", s)
		}
	}
	for _, s := range []string{"Nyasson", "Karantansson ny"} {
		if !fileHas(t, db.Path(), s) {
			t.Errorf("%q, kept, is not in the files", s)
		}
	}
	if fileHas(t, asidePath, "Undansson") || !fileHas(t, asidePath, "Kvarsson") {
		t.Errorf("the database kept aside is not gallrad")
	}
	q, err := db.Quarantine(ctx)
	if err != nil || len(q) != 1 || q[0].Key != "<ny@x>" {
		t.Errorf("quarantine after gallring: %+v, %v", q, err)
	}
}

// TestGallraQuarantine: quarantined mail taken before the cutoff is
// removed by the retention run, on both backends; its ledger row stays,
// so that intake does not take the message again.
func TestGallraQuarantine(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old := app.Inbound{Key: "<gammal@x>", Source: "test", Quarantine: &app.Quarantined{Reason: "okänd avsändare", Raw: []byte("gammal")}}
	setClock(db, testNow.AddDate(-3, 0, 0))
	mustIngest(t, db, []app.Inbound{old}, nil)
	setClock(db, testNow)
	mustIngest(t, db, []app.Inbound{{Key: "<ny@x>", Source: "test", Quarantine: &app.Quarantined{Reason: "okänd avsändare", Raw: []byte("ny")}}}, nil)
	g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), app.ActorSystem)
	if err != nil || g.Quarantined != 1 {
		t.Fatalf("Gallra = %+v, %v", g, err)
	}
	q, err := db.Quarantine(ctx)
	if err != nil || len(q) != 1 || q[0].Key != "<ny@x>" {
		t.Errorf("quarantine after gallring: %+v, %v", q, err)
	}
	if res := mustIngest(t, db, []app.Inbound{old}, nil); res[0].Outcome != app.OutcomeDuplicate {
		t.Errorf("the removed message taken again: %+v", res[0])
	}
	entries, err := db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil || len(entries) == 0 || entries[len(entries)-1].Action != app.AuditRetention {
		t.Errorf("audit: %+v, %v", entries, err)
	}
}
