package data_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// auditRows appends n rows to db's access log.
func auditRows(t *testing.T, db *data.DB, n int) []app.AuditEntry {
	t.Helper()
	pnr := testPnr(t, "20140706", 985)
	for i := 0; i < n; i++ {
		e := app.AuditEntry{Actor: hsaMe, Unit: "BUP Testköping", Patient: pnr, Action: "visa", Detail: "rad " + string(rune('A'+i))}
		if i%2 == 1 {
			e.Patient, e.Action = "", "exportera"
		}
		if err := db.Audit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.AuditEntries(context.Background(), data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAudit(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		pnr := testPnr(t, "20140706", 985)
		at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
		entries := []app.AuditEntry{
			{Actor: hsaMe, Unit: "BUP Testköping", Patient: pnr, CaseID: 0, Action: "visa", Detail: "öppnade ärendet"},
			{Actor: hsaOther, Action: "exportera", Detail: "receptlogg.xlsx", At: at},
			{Actor: hsaMe, Patient: pnr, Action: "skriv-ut"},
		}
		for _, e := range entries {
			if err := db.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.AuditEntries(ctx, data.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(entries) {
			t.Fatalf("%d rows, want %d", len(got), len(entries))
		}
		hashes := map[string]bool{}
		for i, g := range got {
			w := entries[i]
			wantAt := testNow // the clock, when the entry has no time
			if !w.At.IsZero() {
				wantAt = w.At
			}
			if g.Actor != w.Actor || g.Unit != w.Unit || g.Patient != w.Patient || g.CaseID != w.CaseID ||
				g.Action != w.Action || g.Detail != w.Detail || !g.At.Equal(wantAt) {
				t.Errorf("row %d = %+v, want %+v at %v", i, g, w, wantAt)
			}
			if i > 0 && g.ID <= got[i-1].ID {
				t.Errorf("row %d id %d not after %d", i, g.ID, got[i-1].ID)
			}
			if len(g.Hash) != 64 || hashes[g.Hash] {
				t.Errorf("row %d hash %q: want a new sha256", i, g.Hash)
			}
			hashes[g.Hash] = true
		}
		byPatient, err := db.AuditEntries(ctx, data.AuditFilter{Patient: pnr})
		if err != nil || len(byPatient) != 2 {
			t.Errorf("rows of the patient: %d, %v; want 2", len(byPatient), err)
		}
		byActor, err := db.AuditEntries(ctx, data.AuditFilter{Actor: hsaOther, From: app.D(2026, 11, 30), To: app.D(2026, 11, 30)})
		if err != nil || len(byActor) != 1 || byActor[0].Action != "exportera" {
			t.Errorf("rows of %s on 30/11: %+v, %v", hsaOther, byActor, err)
		}
		if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
			t.Errorf("VerifyAudit = %d, %v; want 0", id, err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		auditRows(t, db, 1)
		wantCode(t, db.Audit(ctx, app.AuditEntry{Action: "visa"}), app.EINVALID)
		if n := countRows(t, db, "audit_log"); n != 1 {
			t.Errorf("audit_log rows %d, want 1", n)
		}
	})
}

// The log refuses changes even from a raw connection: the triggers stand
// between the sqlite3 CLI and the rows.
func TestAuditAppendOnly(t *testing.T) {
	db := MustOpenDB(t)
	rows := auditRows(t, db, 3)
	tests := []struct {
		name string
		sql  string
	}{
		{"Update", `UPDATE audit_log SET detail = 'ändrad' WHERE id = ?`},
		{"UpdateHash", `UPDATE audit_log SET hash = '' WHERE id = ?`},
		{"Delete", `DELETE FROM audit_log WHERE id = ?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := rawStore(t, db)
			_, err := raw.Exec(tt.sql, rows[1].ID)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want the trigger's append-only error", tt.sql, err)
			}
			got, _ := db.AuditEntries(context.Background(), data.AuditFilter{})
			if len(got) != 3 || got[1] != rows[1] {
				t.Errorf("rows after refused change: %+v", got)
			}
		})
	}
	if id, err := db.VerifyAudit(context.Background()); err != nil || id != 0 {
		t.Errorf("VerifyAudit = %d, %v; want 0", id, err)
	}
}

// Someone who drops a trigger with the sqlite3 CLI can change the log;
// VerifyAudit then names the first row that no longer follows.
func TestVerifyAudit(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// tamper runs on a raw connection after the triggers are gone; it
		// gets the ids of 5 rows and returns the id VerifyAudit must name.
		tamper func(t *testing.T, exec func(string, ...any), ids []int64) int64
	}{
		{"Intact", func(t *testing.T, exec func(string, ...any), ids []int64) int64 { return 0 }},
		{"EditedDetail", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			exec(`UPDATE audit_log SET detail = 'oskyldig' WHERE id = ?`, ids[2])
			return ids[2]
		}},
		{"EditedActor", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			exec(`UPDATE audit_log SET actor = ? WHERE id = ?`, hsaThird, ids[3])
			return ids[3]
		}},
		{"ErasedPatient", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			exec(`UPDATE audit_log SET patient = '' WHERE id = ?`, ids[0])
			return ids[0]
		}},
		{"EditedTime", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			exec(`UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE id = ?`, ids[4])
			return ids[4]
		}},
		{"DeletedRow", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			exec(`DELETE FROM audit_log WHERE id = ?`, ids[1])
			return ids[2] // the next row no longer chains to its predecessor
		}},
		{"DeletedFirstRow", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			exec(`DELETE FROM audit_log WHERE id = ?`, ids[0])
			return ids[1]
		}},
		{"RehashedRow", func(t *testing.T, exec func(string, ...any), ids []int64) int64 {
			// A careful forger rewrites the hash too; the next row's link breaks.
			exec(`UPDATE audit_log SET detail = 'x', hash = 'ff' WHERE id = ?`, ids[1])
			return ids[1]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			rows := auditRows(t, db, 5)
			var ids []int64
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
			raw := rawStore(t, db)
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := raw.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			disableAuditTriggers(t, raw)
			want := tt.tamper(t, exec, ids)
			got, err := db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("VerifyAudit = %d, want %d", got, want)
			}
		})
	}
}

func TestUpdateCaseAudit(t *testing.T) {
	ctx := context.Background()
	pnr := testPnr(t, "20160229", 991)
	tests := []struct {
		name        string
		pnr         app.Personnummer
		patientName string
		fn          func(c *app.Case) ([]app.Event, error)
		wantRows    int
		wantPatient app.Personnummer
		wantDetail  string
	}{
		{
			name: "WithPatient", pnr: pnr, patientName: "Testa Testsson",
			fn:       func(c *app.Case) ([]app.Event, error) { return c.Delsvar(hsaOther, testNow) },
			wantRows: 1, wantPatient: pnr, wantDetail: "delsvar,step-done",
		},
		{
			name: "NameOnly", patientName: "Testa Testsson",
			fn:       func(c *app.Case) ([]app.Event, error) { return c.AddNote("ringt", hsaOther, testNow) },
			wantRows: 1, wantDetail: "note",
		},
		{
			name:     "WithoutPatient",
			fn:       func(c *app.Case) ([]app.Event, error) { return c.Assign(hsaMe, hsaOther, testNow) },
			wantRows: 0,
		},
		{
			name: "PatientAdded",
			fn: func(c *app.Case) ([]app.Event, error) {
				return c.SetPatient(pnr.String(), "Testa Testsson", hsaOther, testNow)
			},
			wantRows: 1, wantPatient: pnr, wantDetail: "patient",
		},
		{
			name: "FailedUpdate", pnr: pnr,
			fn:       func(c *app.Case) ([]app.Event, error) { return c.Reopen(hsaOther, testNow) },
			wantRows: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			c := newCase(db, app.TypeVABUnder12, sthlm(2026, 11, 30, 9, 0))
			c.Unit = "BUP Testköping"
			c.PatientPnr, c.PatientName = tt.pnr, tt.patientName
			mustCreate(t, db, c)
			if n := countRows(t, db, "audit_log"); n != 0 {
				t.Fatalf("CreateCase wrote %d audit rows", n)
			}
			db.UpdateCase(ctx, c.ID, hsaOther, tt.fn)
			got, err := db.AuditEntries(ctx, data.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantRows {
				t.Fatalf("audit rows %+v, want %d", got, tt.wantRows)
			}
			for _, e := range got {
				if e.Action != "ändra" || e.Actor != hsaOther || e.CaseID != c.ID || e.Patient != tt.wantPatient ||
					e.Unit != "BUP Testköping" || e.Detail != tt.wantDetail || !e.At.Equal(testNow) {
					t.Errorf("audit row %+v: want ändra by %s on case %d, patient %q, detail %q",
						e, hsaOther, c.ID, tt.wantPatient, tt.wantDetail)
				}
			}
			if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
				t.Errorf("VerifyAudit = %d, %v", id, err)
			}
		})
	}

	t.Run("Chained", func(t *testing.T) {
		// Rows written by UpdateCase and by Audit share one chain.
		db := MustOpenDB(t)
		c := newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0))
		c.PatientPnr = pnr
		mustCreate(t, db, c)
		steps := []func(c *app.Case) ([]app.Event, error){
			func(c *app.Case) ([]app.Event, error) { return c.Assign(hsaMe, hsaMe, testNow) },
			func(c *app.Case) ([]app.Event, error) { return c.SetStep(app.StepMelior, true, hsaMe, testNow) },
			func(c *app.Case) ([]app.Event, error) { return c.Close(hsaMe, testNow) },
		}
		for i, fn := range steps {
			if _, err := db.UpdateCase(ctx, c.ID, hsaMe, fn); err != nil {
				t.Fatal(err)
			}
			if err := db.Audit(ctx, app.AuditEntry{Actor: hsaMe, Patient: pnr, CaseID: c.ID, Action: "visa", Detail: string(rune('1' + i))}); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := db.AuditEntries(ctx, data.AuditFilter{Patient: pnr})
		var actions []string
		for _, e := range got {
			actions = append(actions, e.Action)
		}
		if want := []string{"ändra", "visa", "ändra", "visa", "ändra", "visa"}; !slices.Equal(actions, want) {
			t.Errorf("actions %v, want %v", actions, want)
		}
		if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
			t.Errorf("VerifyAudit = %d, %v", id, err)
		}
		mustIntegrity(t, db)
	})
}
