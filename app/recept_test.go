package app_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// A test personnummer (Skatteverket's series, birth numbers 980–999),
// check digit by hand with the Luhn rule over 120315982: weights 2,1,2,...
// give 2+2+0+3+2+5+(18→9)+8+4 = 35, so the check digit is 5.
const (
	receptPnr12 = "201203159825" // born 2012-03-15, birth number 982
	receptPnr10 = "120315-9825"
)

func validRecept() app.ReceptEntry {
	return app.ReceptEntry{
		Date:               app.D(2026, 12, 1),
		PatientPnr:         receptPnr10,
		PatientName:        "  Åsa Testsson ",
		Lakemedel:          "Melatonin 3 mg",
		ForskrivandeLakare: "Dr Örjan Påhittad",
		Status:             app.ReceptMottagen,
		Nurse:              " se1111111111-TEST0001 ",
	}
}

func TestReceptTestNumber(t *testing.T) {
	p, err := app.ParsePersonnummerOn(receptPnr12, app.D(2026, 12, 1))
	if err != nil || !p.IsTestNumber() {
		t.Fatalf("%s: %v (test number %v)", receptPnr12, err, p.IsTestNumber())
	}
}

func TestReceptEntryValidateOK(t *testing.T) {
	e := validRecept()
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if e.PatientPnr != receptPnr12 || e.PatientName != "Åsa Testsson" || e.Nurse != "SE1111111111-TEST0001" {
		t.Errorf("not normalised: %+v", e)
	}
}

func TestReceptEntryValidateReportsEveryField(t *testing.T) {
	e := app.ReceptEntry{
		PatientPnr:         "120315-9826", // wrong check digit
		Lakemedel:          strings.Repeat("ö", 501),
		ForskrivandeLakare: "",
		Status:             "okand",
		Note:               strings.Repeat("x", 2001),
		Nurse:              "nej",
		CaseID:             -1,
	}
	err := e.Validate()
	var ve app.ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("err %v, want ValidationErrors", err)
	}
	fields := map[string]string{}
	for _, fe := range ve {
		fields[fe.Field] = fe.Message
	}
	for _, f := range []string{"date", "personnummer", "name", "lakemedel", "lakare", "status", "note", "nurse", "case"} {
		if fields[f] == "" {
			t.Errorf("no error for field %s (got %v)", f, fields)
		}
	}
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("code %s", app.ErrorCode(err))
	}
	for f, m := range fields {
		if strings.Contains(m, "1203159826") || strings.Contains(m, "9826") {
			t.Errorf("%s message shows the personnummer: %q", f, m)
		}
	}
	if !strings.Contains(fields["personnummer"], "kontrollsiffran") {
		t.Errorf("personnummer message %q", fields["personnummer"])
	}
	if !strings.Contains(fields["lakemedel"], "501 tecken") {
		t.Errorf("length counted in bytes? %q", fields["lakemedel"])
	}
}

func TestReceptEntryValidateEdges(t *testing.T) {
	for name, tc := range map[string]struct {
		mod   func(e *app.ReceptEntry)
		field string
	}{
		"born after date":   {func(e *app.ReceptEntry) { e.PatientPnr, e.Date = receptPnr12, app.D(2011, 1, 1) }, "personnummer"},
		"name 200 ok":       {func(e *app.ReceptEntry) { e.PatientName = strings.Repeat("å", 200) }, ""},
		"name 201":          {func(e *app.ReceptEntry) { e.PatientName = strings.Repeat("å", 201) }, "name"},
		"blank läkemedel":   {func(e *app.ReceptEntry) { e.Lakemedel = "   " }, "lakemedel"},
		"empty nurse":       {func(e *app.ReceptEntry) { e.Nurse = "" }, "nurse"},
		"year 1999":         {func(e *app.ReceptEntry) { e.Date = app.D(1999, 12, 31) }, "date"},
		"samordningsnummer": {func(e *app.ReceptEntry) { e.PatientPnr = "201203759822" }, ""},
		"status by key":     {func(e *app.ReceptEntry) { e.Status = app.ReceptAvbojd }, ""},
		"note 2000 ok":      {func(e *app.ReceptEntry) { e.Note = strings.Repeat("ä", 2000) }, ""},
	} {
		t.Run(name, func(t *testing.T) {
			e := validRecept()
			tc.mod(&e)
			err := e.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			var ve app.ValidationErrors
			if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != tc.field {
				t.Fatalf("err %v, want one error on %s", err, tc.field)
			}
		})
	}
}

func TestReceptStatus(t *testing.T) {
	want := map[app.ReceptStatus]string{
		app.ReceptMottagen: "Mottagen", app.ReceptSkickad: "Skickad till läkare",
		app.ReceptFornyad: "Förnyad", app.ReceptAvbojd: "Avböjd",
	}
	if len(app.ReceptStatuses()) != len(want) {
		t.Fatalf("statuses %v", app.ReceptStatuses())
	}
	for s, sv := range want {
		if s.Swedish() != sv || !s.Valid() {
			t.Errorf("%s: %q valid %v", s, s.Swedish(), s.Valid())
		}
		for _, in := range []string{string(s), sv, strings.ToUpper(sv), " " + sv + " "} {
			if got, err := app.ParseReceptStatus(in); err != nil || got != s {
				t.Errorf("ParseReceptStatus(%q) = %q, %v", in, got, err)
			}
		}
	}
	if _, err := app.ParseReceptStatus("klar"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unknown status: %v", err)
	}
	if app.ReceptStatus("x").Valid() {
		t.Error("x valid")
	}
}

func TestReceptStepIsInTheRoutine(t *testing.T) {
	s, ok := app.FlowOf(app.TypeFornyaRecept).Step(app.StepReceptlogg)
	if !ok || !strings.Contains(s.Text, "receptförfrågningsloggen") {
		t.Fatalf("fornya-recept has no step %q: %+v", app.StepReceptlogg, s)
	}
}

func TestReceptFilterValidate(t *testing.T) {
	if err := (app.ReceptFilter{From: app.D(2026, 12, 2), To: app.D(2026, 12, 1)}).Validate(); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("reversed range: %v", err)
	}
	if err := (app.ReceptFilter{Status: "x"}).Validate(); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("bad status: %v", err)
	}
	if err := (app.ReceptFilter{From: app.D(2026, 12, 1), To: app.D(2026, 12, 1)}).Validate(); err != nil {
		t.Errorf("one day: %v", err)
	}
}

func TestReceptEntryValidateAt(t *testing.T) {
	now := time.Date(2026, 12, 1, 23, 30, 0, 0, app.Stockholm)
	e := validRecept() // dated 2026-12-01
	if err := e.ValidateAt(now); err != nil {
		t.Fatalf("entry of today: %v", err)
	}
	e = validRecept()
	e.Date = app.D(2026, 12, 2)
	err := e.ValidateAt(now)
	if f := receptFields(t, err); len(f) != 1 || f[0] != "date" {
		t.Errorf("entry of tomorrow: %v, want one date error", err)
	}
	// Every problem at once: the future date beside the entry's own.
	e.PatientName = ""
	if f := receptFields(t, e.ValidateAt(now)); len(f) != 2 || f[0] != "name" || f[1] != "date" {
		t.Errorf("fields %v, want name and date", f)
	}
}

func TestReceptEntryPrepare(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm)
	t.Run("NewNurseDefaultsToActor", func(t *testing.T) {
		e := validRecept()
		e.Nurse = "  "
		if err := e.PrepareNew("SE1111111111-TEST0002", now); err != nil {
			t.Fatal(err)
		}
		if e.Nurse != "SE1111111111-TEST0002" {
			t.Errorf("nurse %q, want the actor", e.Nurse)
		}
		e = validRecept()
		if err := e.PrepareNew("SE1111111111-TEST0002", now); err != nil || e.Nurse != "SE1111111111-TEST0001" {
			t.Errorf("nurse %q (%v), want the one given", e.Nurse, err)
		}
	})
	t.Run("NewNeedsActor", func(t *testing.T) {
		e := validRecept()
		if err := e.PrepareNew(" ", now); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "Åtkomstloggen") {
			t.Errorf("PrepareNew without actor = %v", err)
		}
	})
	t.Run("NewInvalid", func(t *testing.T) {
		e := validRecept()
		e.Date = app.D(2026, 12, 5)
		if f := receptFields(t, e.PrepareNew("SE1111111111-TEST0002", now)); len(f) != 1 || f[0] != "date" {
			t.Errorf("fields %v, want date", f)
		}
	})
	t.Run("ChangeKeepsNurseAndTime", func(t *testing.T) {
		old := validRecept()
		old.Nurse, old.CreatedAt = "SE1111111111-TEST0001", now.Add(-time.Hour)
		e := validRecept()
		e.Nurse, e.CreatedAt = "SE1111111111-TEST0009", now
		if err := e.PrepareChange(&old, now); err != nil {
			t.Fatal(err)
		}
		if e.Nurse != old.Nurse || !e.CreatedAt.Equal(old.CreatedAt) {
			t.Errorf("nurse %q, created %v; want as first stored", e.Nurse, e.CreatedAt)
		}
		e.Status = "okand"
		if f := receptFields(t, e.PrepareChange(&old, now)); len(f) != 1 || f[0] != "status" {
			t.Errorf("fields %v, want status", f)
		}
	})
}

func TestReceptEntryCaseToNote(t *testing.T) {
	entry := func(caseID int64) *app.ReceptEntry { return &app.ReceptEntry{CaseID: caseID} }
	for _, tt := range []struct {
		name string
		e    *app.ReceptEntry
		old  *app.ReceptEntry
		want int64
	}{
		{"NewWithoutCase", entry(0), nil, 0},
		{"NewFromCase", entry(7), nil, 7},
		{"SameCase", entry(7), entry(7), 0},
		{"OtherCase", entry(8), entry(7), 8},
		{"CaseAdded", entry(8), entry(0), 8},
		{"CaseRemoved", entry(0), entry(7), 0},
	} {
		if got := tt.e.CaseToNote(tt.old); got != tt.want {
			t.Errorf("%s: CaseToNote = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestReceptEntryNoteOnCase(t *testing.T) {
	at := t0.Add(time.Hour)
	t.Run("Ticks", func(t *testing.T) {
		c := newCase(app.TypeFornyaRecept)
		e := &app.ReceptEntry{CaseID: c.ID}
		evs, err := e.NoteOnCase(c, sara, at)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Kind != app.EventStepDone || evs[0].Detail != app.StepReceptlogg ||
			evs[0].Actor != sara || !evs[0].At.Equal(at) || evs[0].CaseID != c.ID {
			t.Errorf("events %+v", evs)
		}
		if st, ok := c.Steps[app.StepReceptlogg]; !ok || st.By != sara || !st.At.Equal(at) {
			t.Errorf("step %+v %v", st, ok)
		}
		// A second entry for the case: the step stays as ticked, no event.
		before := snapshot(c)
		evs, err = e.NoteOnCase(c, ali, at.Add(time.Hour))
		if err != nil || evs != nil {
			t.Errorf("second entry: %v, %v; want no events", evs, err)
		}
		if !reflect.DeepEqual(snapshot(c), before) {
			t.Errorf("second entry changed the case")
		}
	})
	t.Run("ClosedCase", func(t *testing.T) {
		// The log is often written after the case is answered in 1177.
		c := newCase(app.TypeFornyaRecept)
		if _, err := c.Close(sara, t0); err != nil {
			t.Fatal(err)
		}
		evs, err := (&app.ReceptEntry{CaseID: c.ID}).NoteOnCase(c, sara, at)
		if err != nil || len(evs) != 1 || c.Status != app.StatusAvslutad {
			t.Errorf("closed case: %v, %v, status %q", evs, err, c.Status)
		}
	})
	t.Run("NoCase", func(t *testing.T) {
		if evs, err := (&app.ReceptEntry{}).NoteOnCase(nil, sara, at); evs != nil || err != nil {
			t.Errorf("entry without case: %v, %v", evs, err)
		}
	})
	t.Run("Missing", func(t *testing.T) {
		_, err := (&app.ReceptEntry{CaseID: 9999}).NoteOnCase(nil, sara, at)
		if f := receptFields(t, err); len(f) != 1 || f[0] != "case" || !strings.Contains(app.ErrorMessage(err), "9999 finns inte") {
			t.Errorf("missing case: %v", err)
		}
	})
	t.Run("WrongType", func(t *testing.T) {
		c := newCase(app.TypeVABUnder12)
		before := snapshot(c)
		_, err := (&app.ReceptEntry{CaseID: c.ID}).NoteOnCase(c, sara, at)
		if f := receptFields(t, err); len(f) != 1 || f[0] != "case" || !strings.Contains(app.ErrorMessage(err), app.TypeName(app.TypeFornyaRecept)) {
			t.Errorf("wrong type: %v", err)
		}
		if !reflect.DeepEqual(snapshot(c), before) {
			t.Errorf("a refused entry changed the case")
		}
	})
}

func TestRequireActor(t *testing.T) {
	if err := app.RequireActor(sara); err != nil {
		t.Errorf("RequireActor(%q) = %v", sara, err)
	}
	for _, a := range []string{"", " \t"} {
		if err := app.RequireActor(a); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("RequireActor(%q) = %v, want EINVALID", a, err)
		}
	}
}

// receptFields returns the fields named by err, in order: one for a field
// error, each for ValidationErrors; it fails on any other error.
func receptFields(t *testing.T, err error) []string {
	t.Helper()
	var ve app.ValidationErrors
	var fe *app.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		var out []string
		for _, e := range ve {
			out = append(out, e.Field)
		}
		return out
	case errors.As(err, &fe) && fe.Code == app.EINVALID:
		return []string{fe.Field}
	}
	t.Fatalf("error %T %v names no field", err, err)
	return nil
}

func TestReceptFilterSearchTerm(t *testing.T) {
	for in, want := range map[string]string{
		"":               "",
		"  Melatonin ":   "melatonin",
		"ÅSA":            "åsa",
		"981224-9803":    "9812249803",
		"19981224 9803":  "199812249803",
		"120315+9825":    "1203159825",
		"Dr 3 mg":        "dr 3 mg",
		"- + ":           "- +",
		"1177-050123-AB": "1177-050123-ab",
	} {
		if got := (app.ReceptFilter{Search: in}).SearchTerm(); got != want {
			t.Errorf("SearchTerm(%q) = %q, want %q", in, got, want)
		}
	}
}
