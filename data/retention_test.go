package data_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

func TestGallra(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// Two cases with a patient and a note, closed 25 and 23 months before
	// testNow, and one open case with a patient.
	mk := func(ref, surname string, closedMonthsAgo int) int64 {
		closed := testNow.AddDate(0, -closedMonthsAgo, 0)
		setClock(db, closed.Add(-48*time.Hour))
		c := app.NewCase(app.TypeVABUnder12, closed.Add(-48*time.Hour), db.Calendar())
		c.Reference = ref
		if err := db.CreateCase(ctx, c, hsaMe); err != nil {
			t.Fatal(err)
		}
		_, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
			ev, err := c.SetPatient("20190312-9805", "Alva "+surname, hsaMe, closed)
			if err != nil {
				return nil, err
			}
			n, err := c.AddNote("Mamma Åsa ringde om Alva "+surname, hsaMe, closed)
			ev = append(ev, n...)
			if closedMonthsAgo > 0 {
				cl, _ := c.Close(hsaMe, closed)
				ev = append(ev, cl...)
			}
			return ev, err
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	old := mk("G-1", "Gammalsson", 25)
	recent := mk("G-2", "Nyasson", 23)
	open := mk("G-3", "Oppensson", 0)
	setClock(db, testNow)

	g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), "system")
	if err != nil {
		t.Fatalf("Gallra: %v", err)
	}
	if g.Cases != 1 || g.Notes != 1 {
		t.Fatalf("Gallra = %+v, want 1 case and 1 note", g)
	}
	for id, wantPatient := range map[int64]bool{old: false, recent: true, open: true} {
		c, err := db.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.HasPatientData() != wantPatient {
			t.Errorf("case %s: patient data %v, want %v", c.Reference, c.HasPatientData(), wantPatient)
		}
		evs, _ := db.Events(ctx, id)
		for _, e := range evs {
			if e.Kind == app.EventNote && strings.Contains(e.Detail, "Alva") != wantPatient {
				t.Errorf("case %s: note %q after gallring", c.Reference, e.Detail)
			}
		}
	}
	// The case itself stays for the statistics.
	if _, n, _ := db.Cases(ctx, app.CaseFilter{View: app.ViewAll}); n != 3 {
		t.Errorf("%d cases after gallring, want 3", n)
	}
	// What was removed is in the access log, without the patient.
	entries, err := db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	if last.Action != "gallra" || last.Patient != "" || !strings.Contains(last.Detail, "1 avslutade") {
		t.Errorf("last audit row = %+v", last)
	}
	if onPG() {
		// A server has no file to read (see Gallra): the old row versions
		// are vacuumed away after the run.
		raw := rawStore(t, db)
		var vacuumed bool
		if err := raw.QueryRow(`SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'cases'`).Scan(&vacuumed); err != nil || !vacuumed {
			t.Errorf("cases not vacuumed after gallring: %v, %v", vacuumed, err)
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM cases WHERE patient_name LIKE '%Gammalsson%'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d cases still name the removed patient, %v", n, err)
		}
	} else {
		// Nothing of the removed name is left in the file: secure_delete
		// overwrites the old values once the WAL is checkpointed.
		raw := rawDB(t, db.Path())
		if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		file, err := os.ReadFile(db.Path())
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(file, []byte("Gammalsson")) {
			t.Error("the removed name is still in the database file")
		}
		if !bytes.Contains(file, []byte("Nyasson")) {
			t.Error("the kept name is not in the file: the check above proves nothing")
		}
	}
	// A second run removes nothing more.
	if g, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), "system"); err != nil || g != (data.Gallring{}) {
		t.Errorf("second run = %+v, %v", g, err)
	}
	if s, _ := db.IntegrityCheck(ctx); s != "ok" {
		t.Errorf("integrity_check = %s", s)
	}
}
