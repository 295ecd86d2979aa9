package data_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/pdf"
)

// testIntyg is a valid intyg as of testNow, with test personnummer and
// made-up names.
func testIntyg() *app.Intyg {
	return &app.Intyg{
		Child:     app.IntygPerson{Name: "Alva Testsson", Personnummer: "20190312-9805"},
		Guardians: []app.IntygPerson{{Name: "Åsa Öberg", Personnummer: "19850720-9818"}},
		Diagnosis: "Feber och hosta, behöver tillsyn i hemmet.",
		Periods:   []app.IntygPeriod{{From: "2026-11-24", To: "2026-11-30", Percent: 100}},
		Contact:   app.IntygContact{Date: "2026-11-30", Kind: app.ContactBesok},
		Issuer: app.IntygIssuer{Name: "Sara Sjöberg", Title: "Sjuksköterska", HSAID: "SE2321000131-P000000000001",
			Unit: "BUP Uddevalla", Address: "Box 1, 451 80 Uddevalla", Phone: "010-000 00 00", CareProvider: "Västra Götalandsregionen"},
		Place: "Uddevalla",
		Date:  "2026-12-01",
	}
}

// newVABCase stores a vab-under-12 case received the day before testNow.
func newVABCase(t *testing.T, db *data.DB, typ string) *app.Case {
	t.Helper()
	c := app.NewCase(typ, testNow.Add(-24*time.Hour), db.Calendar())
	c.Unit = "BUP Uddevalla"
	if err := db.CreateCase(context.Background(), c, hsaMe); err != nil {
		t.Fatal(err)
	}
	return c
}

func intygAuditRows(t *testing.T, db *data.DB, action string) []app.AuditEntry {
	t.Helper()
	all, err := db.AuditEntries(context.Background(), data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []app.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func TestIssueIntyg(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		c := newVABCase(t, db, app.TypeVABUnder12)
		if err := db.SaveIntygDraft(ctx, c.ID, hsaMe, []byte(`{"child":{"name":"Alva"}}`)); err != nil {
			t.Fatal(err)
		}
		v, err := db.IssueIntyg(ctx, c.ID, hsaMe, testIntyg())
		if err != nil || v != 1 {
			t.Fatalf("IssueIntyg = %d, %v; want 1", v, err)
		}
		// The step, its event, the patient and the access-log row were
		// written with it; the draft is gone.
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st, ok := got.Steps[app.StepIntygSkrivet]; !ok || st.By != hsaMe || !st.At.Equal(testNow) {
			t.Errorf("step intyg-skrivet = %+v, %v", st, ok)
		}
		if got.PatientPnr != "201903129805" || got.PatientName != "Alva Testsson" {
			t.Errorf("patient %q %q", got.PatientPnr, got.PatientName)
		}
		evs, _ := db.Events(ctx, c.ID)
		if !hasStepEvent(evs, app.StepIntygSkrivet) {
			t.Errorf("no step-done event: %+v", evs)
		}
		rows := intygAuditRows(t, db, "skriv-ut")
		if len(rows) != 1 || rows[0].Patient != "201903129805" || rows[0].CaseID != c.ID || rows[0].Actor != hsaMe ||
			!rows[0].At.Equal(testNow) {
			t.Errorf("audit rows %+v", rows)
		}
		if strings.Contains(rows[0].Detail, "9805") {
			t.Errorf("the detail names the personnummer: %q", rows[0].Detail)
		}
		if d, err := db.IntygDraft(ctx, c.ID); err != nil || d != nil {
			t.Errorf("draft after issuing = %q, %v", d, err)
		}
		stored, err := db.IntygVersion(ctx, c.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Intyg.Version != 1 || stored.Intyg.CaseID != c.ID || stored.CreatedBy != hsaMe ||
			stored.Intyg.Child.Personnummer != "20190312-9805" {
			t.Errorf("stored %+v %+v", stored, stored.Intyg)
		}
		if !app.SameIntygContent(stored.Intyg, testIntyg()) {
			t.Errorf("stored content differs from what was issued")
		}
	})

	t.Run("CorrectionKeepsOldVersion", func(t *testing.T) {
		db := MustOpenDB(t)
		c := newVABCase(t, db, app.TypeVABUnder12)
		if _, err := db.IssueIntyg(ctx, c.ID, hsaMe, testIntyg()); err != nil {
			t.Fatal(err)
		}
		fixed := testIntyg()
		fixed.Periods[0].Percent = 50
		v, err := db.IssueIntyg(ctx, c.ID, hsaOther, fixed)
		if err != nil || v != 2 {
			t.Fatalf("correction = %d, %v; want 2", v, err)
		}
		vs, err := db.IntygVersions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 {
			t.Fatalf("versions %+v", vs)
		}
		if vs[0].Intyg.Periods[0].Percent != 100 || vs[1].Intyg.Periods[0].Percent != 50 || vs[1].CreatedBy != hsaOther {
			t.Errorf("old %+v new %+v", vs[0].Intyg.Periods, vs[1].Intyg.Periods)
		}
		// The step keeps its first tick; the history names the correction.
		got, _ := db.Case(ctx, c.ID)
		if got.Steps[app.StepIntygSkrivet].By != hsaMe {
			t.Errorf("step re-ticked by %s", got.Steps[app.StepIntygSkrivet].By)
		}
		evs, _ := db.Events(ctx, c.ID)
		if last := evs[len(evs)-1]; last.Kind != app.EventNote || !strings.Contains(last.Detail, "version 2") {
			t.Errorf("last event %+v", last)
		}
		if n := len(intygAuditRows(t, db, "skriv-ut")); n != 2 {
			t.Errorf("%d skriv-ut rows, want 2", n)
		}
		// Printing an old version again gives it exactly.
		old, err := db.IntygVersion(ctx, c.ID, 1)
		if err != nil || old.Intyg.Periods[0].Percent != 100 {
			t.Errorf("version 1 = %+v, %v", old, err)
		}
	})

	t.Run("InvalidStoresNothing", func(t *testing.T) {
		db := MustOpenDB(t)
		c := newVABCase(t, db, app.TypeVABUnder12)
		if err := db.SaveIntygDraft(ctx, c.ID, hsaMe, []byte(`{"diagnosis":"x"}`)); err != nil {
			t.Fatal(err)
		}
		bad := testIntyg()
		bad.Guardians[0].Personnummer = "19850720-9819" // wrong check digit
		bad.Diagnosis = ""
		_, err := db.IssueIntyg(ctx, c.ID, hsaMe, bad)
		var verrs app.ValidationErrors
		if !errors.As(err, &verrs) || !hasField(verrs, "guardians[0].personnummer") || !hasField(verrs, "diagnosis") {
			t.Fatalf("err = %v", err)
		}
		assertNothingIssued(t, db, c.ID)
		if d, _ := db.IntygDraft(ctx, c.ID); string(d) != `{"diagnosis":"x"}` {
			t.Errorf("draft lost: %q", d)
		}
	})

	t.Run("ChildOf12StoresNothing", func(t *testing.T) {
		db := MustOpenDB(t)
		c := newVABCase(t, db, app.TypeVABUnder12)
		old := testIntyg()
		old.Child.Personnummer = "20141120-9818" // 12 on 2026-11-20
		old.Periods[0].From = "2026-11-20"
		_, err := db.IssueIntyg(ctx, c.ID, hsaMe, old)
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "12 år") {
			t.Fatalf("err = %v", err)
		}
		assertNothingIssued(t, db, c.ID)
	})

	t.Run("WrongCaseType", func(t *testing.T) {
		db := MustOpenDB(t)
		c := newVABCase(t, db, app.TypeFornyaRecept)
		if _, err := db.IssueIntyg(ctx, c.ID, hsaMe, testIntyg()); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("err = %v", err)
		}
		assertNothingIssued(t, db, c.ID)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.IssueIntyg(ctx, 999, hsaMe, testIntyg()); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
		if _, err := db.IntygVersion(ctx, 999, 1); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("IntygVersion err = %v", err)
		}
		if err := db.RecordPrint(ctx, 999, 1, hsaMe); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("RecordPrint err = %v", err)
		}
	})
}

// TestIssueIntygAtomic: when the access-log row cannot be written, neither
// the version, nor the step, nor the draft's removal is kept.
func TestIssueIntygAtomic(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	c := newVABCase(t, db, app.TypeVABUnder12)
	if err := db.SaveIntygDraft(ctx, c.ID, hsaMe, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	undo := failInserts(t, rawStore(t, db), "no_audit", "audit_log", "no")
	if _, err := db.IssueIntyg(ctx, c.ID, hsaMe, testIntyg()); err == nil {
		t.Fatal("IssueIntyg succeeded without its access-log row")
	}
	assertNothingIssued(t, db, c.ID)
	if d, _ := db.IntygDraft(ctx, c.ID); d == nil {
		t.Error("draft removed although nothing was issued")
	}
	undo()
	if v, err := db.IssueIntyg(ctx, c.ID, hsaMe, testIntyg()); err != nil || v != 1 {
		t.Fatalf("after the fault: %d, %v", v, err)
	}
}

func TestRecordPrint(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	c := newVABCase(t, db, app.TypeVABUnder12)
	if _, err := db.IssueIntyg(ctx, c.ID, hsaMe, testIntyg()); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordPrint(ctx, c.ID, 1, hsaOther); err != nil {
		t.Fatal(err)
	}
	rows := intygAuditRows(t, db, "skriv-ut")
	if len(rows) != 2 || rows[1].Actor != hsaOther || rows[1].Patient != "201903129805" || rows[1].Unit != "BUP Uddevalla" {
		t.Fatalf("rows %+v", rows)
	}
	if err := db.RecordPrint(ctx, c.ID, 1, ""); err == nil {
		t.Error("a print by nobody was recorded")
	}
}

func TestIntygDraft(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	c := newVABCase(t, db, app.TypeVABUnder12)
	if d, err := db.IntygDraft(ctx, c.ID); err != nil || d != nil {
		t.Fatalf("no draft yet: %q, %v", d, err)
	}
	for _, s := range []string{`{"child":{"name":"Al"}}`, `{"child":{"name":"Alva Ö"}}`} {
		if err := db.SaveIntygDraft(ctx, c.ID, hsaMe, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if d, err := db.IntygDraft(ctx, c.ID); err != nil || string(d) != s {
			t.Fatalf("draft = %q, %v; want %q", d, err, s)
		}
	}
	// It survives closing the program.
	db.Close()
	db2 := mustOpenAt(t, location(t, db))
	if d, _ := db2.IntygDraft(ctx, c.ID); string(d) != `{"child":{"name":"Alva Ö"}}` {
		t.Errorf("after reopening: %q", d)
	}
	if err := db2.SaveIntygDraft(ctx, c.ID, hsaMe, []byte(`{not json`)); err == nil {
		t.Error("a draft that is not JSON was stored")
	}
	if err := db2.SaveIntygDraft(ctx, 999, hsaMe, []byte(`{}`)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("draft of no case: %v", err)
	}
}

func TestIntygGallring(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mk := func(closedMonthsAgo int) int64 {
		at := testNow.AddDate(0, -closedMonthsAgo, 0)
		setClock(db, at)
		c := newVABCase(t, db, app.TypeVABUnder12)
		in := testIntyg()
		in.Date = at.Format("2006-01-02")
		in.Periods[0].From, in.Periods[0].To = at.AddDate(0, 0, -3).Format("2006-01-02"), in.Date
		in.Contact.Date = in.Date
		if _, err := db.IssueIntyg(ctx, c.ID, hsaMe, in); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveIntygDraft(ctx, c.ID, hsaMe, []byte(`{"diagnosis":"rättelse"}`)); err != nil {
			t.Fatal(err)
		}
		if closedMonthsAgo > 0 {
			if _, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
				return c.Close(hsaMe, at)
			}); err != nil {
				t.Fatal(err)
			}
		}
		return c.ID
	}
	old, recent, open := mk(25), mk(23), mk(0)
	setClock(db, testNow)
	if _, err := db.Gallra(ctx, testNow.AddDate(0, -24, 0), "system"); err != nil {
		t.Fatal(err)
	}
	for id, keep := range map[int64]bool{old: false, recent: true, open: true} {
		vs, err := db.IntygVersions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := db.IntygDraft(ctx, id)
		if keep != (len(vs) == 1) || keep != (d != nil) {
			t.Errorf("case %d: %d versions, draft %q; keep %v", id, len(vs), d, keep)
		}
	}
	// Nothing of the child is left in the file's intyg tables.
	var n int
	if err := rawStore(t, db).QueryRow(`SELECT COUNT(*) FROM intyg WHERE case_id = ?`, old).Scan(&n); err != nil || n != 0 {
		t.Errorf("intyg rows of the old case: %d, %v", n, err)
	}
}

func assertNothingIssued(t *testing.T, db *data.DB, caseID int64) {
	t.Helper()
	ctx := context.Background()
	vs, err := db.IntygVersions(ctx, caseID)
	if err != nil || len(vs) != 0 {
		t.Errorf("versions stored: %+v, %v", vs, err)
	}
	c, err := db.Case(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if _, done := c.Steps[app.StepIntygSkrivet]; done || c.PatientPnr != "" {
		t.Errorf("case changed: steps %v patient %q", c.Steps, c.PatientPnr)
	}
	if rows := intygAuditRows(t, db, "skriv-ut"); len(rows) != 0 {
		t.Errorf("skriv-ut rows: %+v", rows)
	}
}

func hasStepEvent(evs []app.Event, step string) bool {
	for _, e := range evs {
		if e.Kind == app.EventStepDone && e.Detail == step {
			return true
		}
	}
	return false
}

func hasField(errs app.ValidationErrors, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// TestIntygServiceOnSQLiteWithPDF runs the intyg's issue-and-print
// sequence on the real store and the real renderer: issued, saved as
// three PDFs with their access-log rows; and when the access log cannot be
// written, the PDFs do not stay on disk.
func TestIntygServiceOnSQLiteWithPDF(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	svc := app.NewIntygService(db, pdf.Renderer{})
	c := newVABCase(t, db, app.TypeVABUnder12)

	// Text the font cannot print stops before anything is stored.
	bad := testIntyg()
	bad.Diagnosis = "Feber 🤒"
	if _, _, err := svc.Issue(ctx, c.ID, hsaMe, bad); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("unprintable: %v", err)
	}
	assertNothingIssued(t, db, c.ID)

	v, versions, err := svc.Issue(ctx, c.ID, hsaMe, testIntyg())
	if err != nil || v.Version != 1 || len(versions) != 1 {
		t.Fatalf("Issue = %+v, %v", v, err)
	}
	dir := t.TempDir()
	out, err := svc.Save(ctx, c.ID, 1, dir, hsaOther)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range app.IntygFiles() {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !strings.HasPrefix(string(b), "%PDF") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if rows := intygAuditRows(t, db, "skriv-ut"); len(rows) != 2 || rows[1].Actor != hsaOther {
		t.Fatalf("skriv-ut rows %+v", rows)
	}

	failInserts(t, rawStore(t, db), "no_audit", "audit_log", "no")
	dir2 := t.TempDir()
	if _, err := svc.Save(ctx, c.ID, 1, dir2, hsaMe); err == nil {
		t.Fatal("saved without the access-log row")
	}
	if entries, err := os.ReadDir(dir2); err != nil || len(entries) != 0 {
		t.Errorf("left in the folder: %v, %v", entries, err)
	}
	if n := len(intygAuditRows(t, db, "skriv-ut")); n != 2 {
		t.Errorf("%d skriv-ut rows, want 2", n)
	}
}
