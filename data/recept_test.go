package data_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// rcEntry returns a valid log entry for a test patient.
func rcEntry(tb testing.TB, day app.Date, pnr app.Personnummer, name string) *app.ReceptEntry {
	return &app.ReceptEntry{
		Date: day, PatientPnr: pnr, PatientName: name,
		Lakemedel: "Melatonin 3 mg", ForskrivandeLakare: "Dr Örjan Påhittad", Status: app.ReceptMottagen,
	}
}

func rcAdd(tb testing.TB, db *data.DB, e *app.ReceptEntry) *app.ReceptEntry {
	tb.Helper()
	if err := db.AddRecept(context.Background(), e, hsaMe); err != nil {
		tb.Fatalf("AddRecept: %v", err)
	}
	return e
}

// rcAudit returns the access-log rows with action.
func rcAudit(tb testing.TB, db *data.DB, action string) []app.AuditEntry {
	tb.Helper()
	all, err := db.AuditEntries(context.Background(), data.AuditFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	var out []app.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func TestAddRecept(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		pnr := testPnr(t, "20120315", 982)
		e := rcEntry(t, testToday, app.Personnummer("120315-"+string(pnr[8:])), "  Åsa Testsson ")
		e.Note = "Ring vårdnadshavare"
		rcAdd(t, db, e)
		if e.ID == 0 || !e.CreatedAt.Equal(testNow) || e.Nurse != hsaMe || e.PatientPnr != pnr || e.PatientName != "Åsa Testsson" {
			t.Fatalf("after add: %+v", e)
		}
		got, err := db.Recept(context.Background(), e.ID, hsaOther)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *e {
			t.Fatalf("read back\n%+v\nwant\n%+v", *got, *e)
		}
		if got.CreatedAt.Location() != app.Stockholm {
			t.Errorf("CreatedAt in %v", got.CreatedAt.Location())
		}
		ch := rcAudit(t, db, "ändra")
		if len(ch) != 1 || ch[0].Patient != pnr || ch[0].Actor != hsaMe || ch[0].CaseID != 0 {
			t.Fatalf("audit ändra %+v", ch)
		}
		v := rcAudit(t, db, "visa")
		if len(v) != 1 || v[0].Patient != pnr || v[0].Actor != hsaOther {
			t.Fatalf("audit visa %+v", v)
		}
	})

	t.Run("FromCase", func(t *testing.T) {
		db := MustOpenDB(t)
		ctx := context.Background()
		c := newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0))
		c.Unit = "BUP Uddevalla"
		mustCreate(t, db, c)
		pnr := testPnr(t, "20090707", 991)
		e := rcEntry(t, testToday, pnr, "Ebbe Exempel")
		e.CaseID = c.ID
		rcAdd(t, db, e)

		got := mustCase(t, db, c.ID)
		st, ok := got.Steps[app.StepReceptlogg]
		if !ok || st.By != hsaMe || !st.At.Equal(testNow) {
			t.Fatalf("step receptlogg: %+v %v", st, ok)
		}
		evs := mustEvents(t, db, c.ID)
		last := evs[len(evs)-1]
		if last.Kind != app.EventStepDone || last.Detail != app.StepReceptlogg || last.Actor != hsaMe {
			t.Fatalf("events %+v", evs)
		}
		ch := rcAudit(t, db, "ändra")
		if len(ch) != 1 || ch[0].CaseID != c.ID || ch[0].Unit != "BUP Uddevalla" || ch[0].Patient != pnr {
			t.Fatalf("audit %+v", ch)
		}

		// A second medicine for the same case: a second row, the step
		// stays ticked, no new event.
		e2 := rcEntry(t, testToday, pnr, "Ebbe Exempel")
		e2.CaseID, e2.Lakemedel = c.ID, "Atomoxetin 40 mg"
		rcAdd(t, db, e2)
		if n := len(mustEvents(t, db, c.ID)); n != len(evs) {
			t.Errorf("events %d, want %d", n, len(evs))
		}
		list, total, err := db.ReceptEntries(ctx, app.ReceptFilter{CaseID: c.ID}, hsaMe)
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("by case: %d %d %v", len(list), total, err)
		}
	})

	t.Run("ErrCaseType", func(t *testing.T) {
		db := MustOpenDB(t)
		c := mustCreate(t, db, newCase(db, app.TypeVABUnder12, sthlm(2026, 11, 30, 9, 0)))
		before := countRows(t, db, "audit_log")
		e := rcEntry(t, testToday, testPnr(t, "20090707", 991), "Ebbe Exempel")
		e.CaseID = c.ID
		err := db.AddRecept(context.Background(), e, hsaMe)
		rcWantField(t, err, "case")
		if n := countRows(t, db, "recept_log"); n != 0 {
			t.Errorf("%d log rows", n)
		}
		if n := countRows(t, db, "audit_log"); n != before {
			t.Errorf("audit rows %d, want %d", n, before)
		}
		e.CaseID = 9999
		rcWantField(t, db.AddRecept(context.Background(), e, hsaMe), "case")
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		c := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0)))
		e := rcEntry(t, testToday, "120315-9826", "Åsa Testsson") // bad check digit
		e.CaseID = c.ID
		err := db.AddRecept(context.Background(), e, hsaMe)
		rcWantField(t, err, "personnummer")
		if strings.Contains(err.Error(), "9826") {
			t.Errorf("error shows the number: %v", err)
		}
		e = rcEntry(t, testToday.AddDays(1), testPnr(t, "20120315", 982), "Åsa Testsson")
		rcWantField(t, db.AddRecept(context.Background(), e, hsaMe), "date")
		if n := countRows(t, db, "recept_log"); n != 0 {
			t.Errorf("%d log rows", n)
		}
		if _, ticked := mustCase(t, db, c.ID).Steps[app.StepReceptlogg]; ticked {
			t.Error("step ticked by a refused entry")
		}
		wantCode(t, db.AddRecept(context.Background(), rcEntry(t, testToday, testPnr(t, "20120315", 982), "Å"), ""), app.EINVALID)
	})

	// The step and the row commit together: when the row cannot be
	// stored, the case is not changed either.
	t.Run("OneTransaction", func(t *testing.T) {
		db := MustOpenDB(t)
		c := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0)))
		evs := len(mustEvents(t, db, c.ID))
		failInserts(t, rawStore(t, db), "recept_fail", "recept_log", "test failure")
		e := rcEntry(t, testToday, testPnr(t, "20120315", 982), "Åsa Testsson")
		e.CaseID = c.ID
		if err := db.AddRecept(context.Background(), e, hsaMe); err == nil {
			t.Fatal("no error")
		}
		got := mustCase(t, db, c.ID)
		if _, ticked := got.Steps[app.StepReceptlogg]; ticked {
			t.Error("step ticked although the row was not stored")
		}
		if n := len(mustEvents(t, db, c.ID)); n != evs {
			t.Errorf("events %d, want %d", n, evs)
		}
		if e.ID != 0 {
			t.Errorf("ID set to %d", e.ID)
		}
	})
}

func rcWantField(tb testing.TB, err error, field string) {
	tb.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != app.EINVALID || ae.Field != field {
		tb.Fatalf("err %v, want EINVALID on %s", err, field)
	}
}

// rcFixture stores five entries of three patients over three weeks.
func rcFixture(t *testing.T, db *data.DB) (pnrs []app.Personnummer, entries []*app.ReceptEntry) {
	pnrs = []app.Personnummer{testPnr(t, "20120315", 982), testPnr(t, "20090707", 991), testPnr(t, "20150101", 999)}
	mk := func(day app.Date, p int, name, med, doc string, st app.ReceptStatus, nurse string) *app.ReceptEntry {
		e := &app.ReceptEntry{Date: day, PatientPnr: pnrs[p], PatientName: name, Lakemedel: med, ForskrivandeLakare: doc, Status: st, Nurse: nurse}
		return rcAdd(t, db, e)
	}
	entries = []*app.ReceptEntry{
		mk(app.D(2026, 11, 16), 0, "Åsa Testsson", "Melatonin 3 mg", "Dr Örjan Påhittad", app.ReceptFornyad, hsaMe),
		mk(app.D(2026, 11, 23), 1, "Ebbe Exempel", "Atomoxetin 40 mg", "Dr Lena Låtsas", app.ReceptSkickad, hsaOther),
		mk(app.D(2026, 11, 24), 0, "Åsa Testsson", "Lisdexamfetamin 30 mg", "Dr Lena Låtsas", app.ReceptMottagen, hsaMe),
		mk(app.D(2026, 11, 30), 2, "Märta Mock", "Melatonin 2 mg", "Dr Örjan Påhittad", app.ReceptAvbojd, hsaOther),
		mk(app.D(2026, 12, 1), 1, "Ebbe Exempel", "Guanfacin 1 mg", "Dr Ärling Övning", app.ReceptMottagen, hsaMe),
	}
	return pnrs, entries
}

func TestReceptEntries(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	pnrs, es := rcFixture(t, db)
	ids := func(list []app.ReceptEntry) []int64 {
		var out []int64
		for _, e := range list {
			out = append(out, e.ID)
		}
		return out
	}
	for name, tc := range map[string]struct {
		f    app.ReceptFilter
		want []*app.ReceptEntry
	}{
		"all newest first": {app.ReceptFilter{}, []*app.ReceptEntry{es[4], es[3], es[2], es[1], es[0]}},
		"date range":       {app.ReceptFilter{From: app.D(2026, 11, 23), To: app.D(2026, 11, 30)}, []*app.ReceptEntry{es[3], es[2], es[1]}},
		"from only":        {app.ReceptFilter{From: app.D(2026, 11, 30)}, []*app.ReceptEntry{es[4], es[3]}},
		"status":           {app.ReceptFilter{Status: app.ReceptMottagen}, []*app.ReceptEntry{es[4], es[2]}},
		"nurse":            {app.ReceptFilter{Nurse: hsaOther}, []*app.ReceptEntry{es[3], es[1]}},
		"name åsa":         {app.ReceptFilter{Search: "åsa"}, []*app.ReceptEntry{es[2], es[0]}},
		"name ÄRLING":      {app.ReceptFilter{Search: "ÄRLING"}, []*app.ReceptEntry{es[4]}},
		"läkemedel":        {app.ReceptFilter{Search: "melatonin"}, []*app.ReceptEntry{es[3], es[0]}},
		"läkare":           {app.ReceptFilter{Search: "Låtsas"}, []*app.ReceptEntry{es[2], es[1]}},
		"pnr 10 digits":    {app.ReceptFilter{Search: string(pnrs[1][2:8]) + "-" + string(pnrs[1][8:])}, []*app.ReceptEntry{es[4], es[1]}},
		"pnr 12 digits":    {app.ReceptFilter{Search: pnrs[2].String()}, []*app.ReceptEntry{es[3]}},
		"like wildcard":    {app.ReceptFilter{Search: "%"}, nil},
		"combined":         {app.ReceptFilter{Status: app.ReceptMottagen, Nurse: hsaMe, Search: "guanfacin", To: app.D(2026, 12, 1)}, []*app.ReceptEntry{es[4]}},
	} {
		t.Run(name, func(t *testing.T) {
			got, total, err := db.ReceptEntries(ctx, tc.f, hsaMe)
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for _, e := range tc.want {
				want = append(want, e.ID)
			}
			if g := ids(got); len(g) != len(want) || total != len(want) || (len(g) > 0 && !equalIDs(g, want)) {
				t.Fatalf("got %v (total %d), want %v", g, total, want)
			}
		})
	}
	t.Run("Limit", func(t *testing.T) {
		got, total, err := db.ReceptEntries(ctx, app.ReceptFilter{Limit: 2, Offset: 1}, hsaMe)
		if err != nil || total != 5 || !equalIDs(ids(got), []int64{es[3].ID, es[2].ID}) {
			t.Fatalf("%v %d %v", ids(got), total, err)
		}
	})
	t.Run("ErrFilter", func(t *testing.T) {
		_, _, err := db.ReceptEntries(ctx, app.ReceptFilter{From: app.D(2026, 12, 2), To: app.D(2026, 12, 1)}, hsaMe)
		wantCode(t, err, app.EINVALID)
		_, _, err = db.ReceptEntries(ctx, app.ReceptFilter{}, "")
		wantCode(t, err, app.EINVALID)
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Viewing the log writes one "visa" row per patient shown, naming the log
// rows, never the personnummer in the text.
func TestReceptEntriesAudit(t *testing.T) {
	db := MustOpenDB(t)
	pnrs, es := rcFixture(t, db)
	before := countRows(t, db, "audit_log")
	if _, _, err := db.ReceptEntries(context.Background(), app.ReceptFilter{To: app.D(2026, 11, 30)}, hsaThird); err != nil {
		t.Fatal(err)
	}
	v := rcAudit(t, db, "visa")
	if len(v) != 3 || countRows(t, db, "audit_log") != before+3 {
		t.Fatalf("visa rows %+v", v)
	}
	byPnr := map[app.Personnummer]app.AuditEntry{}
	for _, a := range v {
		byPnr[a.Patient] = a
		if a.Actor != hsaThird {
			t.Errorf("actor %s", a.Actor)
		}
		if app.PersonnummerPattern.MatchString(a.Detail) || strings.Contains(a.Detail, string(a.Patient[2:])) {
			t.Errorf("detail shows a personnummer: %q", a.Detail)
		}
	}
	if d := byPnr[pnrs[0]].Detail; !strings.Contains(d, rcID(es[2])+", "+rcID(es[0])) {
		t.Errorf("detail %q does not name rows %s and %s", d, rcID(es[2]), rcID(es[0]))
	}
	// Nothing shown, nothing logged.
	if _, _, err := db.ReceptEntries(context.Background(), app.ReceptFilter{Search: "finns inte"}, hsaThird); err != nil {
		t.Fatal(err)
	}
	if n := len(rcAudit(t, db, "visa")); n != 3 {
		t.Errorf("visa rows %d after an empty search", n)
	}
	if id, err := db.VerifyAudit(context.Background()); err != nil || id != 0 {
		t.Fatalf("audit chain broken at %d: %v", id, err)
	}
}

func rcID(e *app.ReceptEntry) string { return strconv.FormatInt(e.ID, 10) }

func TestExportRecept(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	_, es := rcFixture(t, db)
	f := app.ReceptFilter{From: app.D(2026, 11, 23), Limit: 1}
	t.Run("ErrWrite", func(t *testing.T) {
		before := countRows(t, db, "audit_log")
		err := db.ExportRecept(ctx, f, hsaMe, func([]app.ReceptEntry) error { return errors.New("disken är full") })
		if err == nil {
			t.Fatal("no error")
		}
		if n := countRows(t, db, "audit_log"); n != before {
			t.Errorf("audit rows %d, want %d: a failed export is not an export", n, before)
		}
	})
	t.Run("OK", func(t *testing.T) {
		var got []app.ReceptEntry
		err := db.ExportRecept(ctx, f, hsaMe, func(list []app.ReceptEntry) error { got = list; return nil })
		if err != nil {
			t.Fatal(err)
		}
		// Oldest first, Limit ignored.
		want := []int64{es[1].ID, es[2].ID, es[3].ID, es[4].ID}
		var ids []int64
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		if !equalIDs(ids, want) {
			t.Fatalf("exported %v, want %v", ids, want)
		}
		ex := rcAudit(t, db, "exportera")
		if len(ex) != 3 {
			t.Fatalf("exportera rows %+v, want one per patient (3)", ex)
		}
		// The rows written through prepared statements chain like any.
		if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
			t.Fatalf("audit chain broken at %d: %v", id, err)
		}
	})
}

func TestUpdateRecept(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	pnrs, es := rcFixture(t, db)
	setClock(db, testNow.Add(time.Hour))
	e := *es[1] // nurse hsaOther
	e.Status, e.Note, e.Nurse = app.ReceptFornyad, "Förnyat 90 dagar", hsaMe
	e.CreatedAt = time.Time{}
	if err := db.UpdateRecept(ctx, &e, hsaMe); err != nil {
		t.Fatal(err)
	}
	got, err := db.Recept(ctx, e.ID, hsaMe)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != app.ReceptFornyad || got.Note != "Förnyat 90 dagar" || got.Nurse != hsaOther || !got.CreatedAt.Equal(testNow) {
		t.Fatalf("after update %+v", got)
	}
	before := len(rcAudit(t, db, "ändra"))
	// Another patient's number: both patients' access is logged.
	e.PatientPnr = pnrs[2]
	if err := db.UpdateRecept(ctx, &e, hsaMe); err != nil {
		t.Fatal(err)
	}
	ch := rcAudit(t, db, "ändra")[before:]
	if len(ch) != 2 || ch[0].Patient != pnrs[1] || ch[1].Patient != pnrs[2] {
		t.Fatalf("audit %+v", ch)
	}
	// Linking a case later ticks its step.
	c := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0)))
	e.CaseID = c.ID
	if err := db.UpdateRecept(ctx, &e, hsaMe); err != nil {
		t.Fatal(err)
	}
	if _, ok := mustCase(t, db, c.ID).Steps[app.StepReceptlogg]; !ok {
		t.Error("step not ticked on linking")
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		x := e
		x.ID = 999
		wantCode(t, db.UpdateRecept(ctx, &x, hsaMe), app.ENOTFOUND)
		_, err := db.Recept(ctx, 999, hsaMe)
		wantCode(t, err, app.ENOTFOUND)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		x := e
		x.Lakemedel = ""
		rcWantField(t, db.UpdateRecept(ctx, &x, hsaMe), "lakemedel")
		if got, _ := db.Recept(ctx, e.ID, hsaMe); got.Lakemedel == "" {
			t.Error("invalid change stored")
		}
	})
}

// Retention removes the patient from old log rows; they stay, anonymous,
// and showing them logs no patient.
func TestReceptGallring(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	_, es := rcFixture(t, db)
	setClock(db, testNow.Add(48*time.Hour))
	fresh := rcAdd(t, db, rcEntry(t, testToday, testPnr(t, "20100101", 985), "Nora Ny"))
	if _, err := db.Gallra(ctx, testNow.Add(24*time.Hour), hsaMe); err != nil {
		t.Fatal(err)
	}
	list, _, err := db.ReceptEntries(ctx, app.ReceptFilter{}, hsaMe)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(es)+1 {
		t.Fatalf("%d rows", len(list))
	}
	for _, e := range list {
		if e.ID == fresh.ID {
			if e.PatientPnr != fresh.PatientPnr || e.PatientName != "Nora Ny" {
				t.Errorf("fresh row lost its patient: %+v", e)
			}
			continue
		}
		if e.PatientPnr != "" || e.PatientName != "" || e.Note != "" || e.Lakemedel == "" {
			t.Errorf("old row kept identifiers or lost the rest: %+v", e)
		}
	}
	for _, a := range rcAudit(t, db, "visa") {
		if a.Patient == "" {
			t.Errorf("visa row without a patient: %+v", a)
		}
	}
	if got, _, _ := db.ReceptEntries(ctx, app.ReceptFilter{Search: "åsa"}, hsaMe); len(got) != 0 {
		t.Errorf("search still finds removed names: %d", len(got))
	}
}
