package app_test

import (
	"errors"
	"strings"
	"testing"

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
