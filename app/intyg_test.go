package app_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// Only Skatteverket's test numbers (birth number 980–999) appear here.

// intygPnr returns the 12-digit form "YYYYMMDD-NNNC" of the century and
// nine digits YYMMDDNNN with the Luhn check digit computed here,
// independently of the package.
func intygPnr(century, yymmddnnn string) string {
	sum := 0
	for i := 0; i < 9; i++ {
		n := int(yymmddnnn[i] - '0')
		if i%2 == 0 {
			n *= 2
		}
		sum += n/10 + n%10
	}
	check := string(rune('0' + (10-sum%10)%10))
	return century + yymmddnnn[:6] + "-" + yymmddnnn[6:] + check
}

var (
	pnrChild     = intygPnr("20", "190312980") // 20190312-9805
	pnrGuardian  = intygPnr("19", "850720981") // 19850720-9818
	pnrGuardian2 = intygPnr("19", "860203984") // 19860203-9847
)

// validIntyg returns a valid intyg dated 2026-11-25 for a child born 2019.
func validIntyg() *app.Intyg {
	return &app.Intyg{
		Version:   1,
		Child:     app.IntygPerson{Name: "Alva Testsson", Personnummer: pnrChild},
		Guardians: []app.IntygPerson{{Name: "Åsa Öberg", Personnummer: pnrGuardian}},
		Diagnosis: "Feber och hosta, behöver tillsyn i hemmet.",
		Periods:   []app.IntygPeriod{{From: "2026-11-20", To: "2026-11-27", Percent: 100}},
		Contact:   app.IntygContact{Date: "2026-11-24", Kind: app.ContactBesok},
		Issuer: app.IntygIssuer{
			Name: "Sara Sjöberg", Title: "Sjuksköterska", HSAID: "SE2321000131-P000000000001",
			Unit: "BUP Uddevalla", Address: "Box 1, 451 80 Uddevalla", Phone: "010-000 00 00",
			CareProvider: "Västra Götalandsregionen",
		},
		Place: "Uddevalla",
		Date:  "2026-11-25",
	}
}

// fieldsOf returns the fields named by err, which must be ValidationErrors
// (or nil), in order.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve app.ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %v is not ValidationErrors", err, err)
	}
	var out []string
	for _, e := range ve {
		if e.Code != app.EINVALID {
			t.Errorf("%s: code %q, want %q", e.Field, e.Code, app.EINVALID)
		}
		out = append(out, e.Field)
	}
	return out
}

func TestIntygValidateOK(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *app.Intyg)
	}{
		{"example", func(in *app.Intyg) {}},
		{"two guardians", func(in *app.Intyg) {
			in.Guardians = append(in.Guardians, app.IntygPerson{Name: "Jonas Testsson", Personnummer: pnrGuardian2})
		}},
		{"diagnosis of exactly 318 characters", func(in *app.Intyg) { in.Diagnosis = strings.Repeat("ö", app.DiagnosisMax) }},
		{"diagnosis of 318 decomposed å (636 runes before NFC)", func(in *app.Intyg) {
			in.Diagnosis = strings.Repeat("a\u030a", app.DiagnosisMax)
		}},
		{"diagnosis of 8 lines", func(in *app.Intyg) { in.Diagnosis = strings.Repeat("rad\r\n", 7) + "rad" }},
		{"period starting exactly one month back (31 days)", func(in *app.Intyg) { in.Periods[0].From = "2026-10-25" }},
		{"one-day period", func(in *app.Intyg) { in.Periods[0].To = in.Periods[0].From }},
		{"adjacent periods do not overlap", func(in *app.Intyg) {
			in.Periods = []app.IntygPeriod{{"2026-11-20", "2026-11-22", 100}, {"2026-11-23", "2026-11-27", 50}}
		}},
		{"every allowed percent", func(in *app.Intyg) {
			in.Periods = nil
			for i, p := range app.IntygPercents {
				d := app.D(2026, time.November, 20+i).String()
				in.Periods = append(in.Periods, app.IntygPeriod{From: d, To: d, Percent: p})
			}
		}},
		{"periods after the intyg date", func(in *app.Intyg) { in.Periods[0].To = "2026-12-31" }},
		{"contact on the intyg date", func(in *app.Intyg) { in.Contact.Date = in.Date }},
		{"telefon", func(in *app.Intyg) { in.Contact.Kind = app.ContactTelefon }},
		{"video", func(in *app.Intyg) { in.Contact.Kind = app.ContactVideo }},
		{"version 0 means 1", func(in *app.Intyg) { in.Version = 0 }},
		{"10-digit personnummer", func(in *app.Intyg) { in.Child.Personnummer = pnrChild[2:] }},
		{"samordningsnummer", func(in *app.Intyg) { in.Guardians[0].Personnummer = intygPnr("19", "850780983") }},
		{"name of 100 characters", func(in *app.Intyg) { in.Child.Name = strings.Repeat("Å", app.IntygFieldMax) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntyg()
			tt.mutate(in)
			if err := in.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestIntygValidateFieldErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *app.Intyg)
		field  string
		msg    string // part of the message
	}{
		{"negative version", func(in *app.Intyg) { in.Version = -1 }, "version", "1 eller högre"},
		{"date missing", func(in *app.Intyg) { in.Date = " " }, "date", "intygsdatum saknas"},
		{"date invalid", func(in *app.Intyg) { in.Date = "2026-02-30" }, "date", "ogiltigt datum"},
		{"date in another form", func(in *app.Intyg) { in.Date = "25/11/2026" }, "date", "ÅÅÅÅ-MM-DD"},

		{"child name missing", func(in *app.Intyg) { in.Child.Name = "" }, "child.name", "barnets namn saknas"},
		{"child name too long", func(in *app.Intyg) { in.Child.Name = strings.Repeat("a", 101) }, "child.name", "högst 100 tecken"},
		{"child personnummer missing", func(in *app.Intyg) { in.Child.Personnummer = "" }, "child.personnummer", "saknas"},
		{"child personnummer check digit", func(in *app.Intyg) { in.Child.Personnummer = "20190312-9806" }, "child.personnummer", "kontrollsiffran"},
		{"child born after the intyg date", func(in *app.Intyg) { in.Child.Personnummer = intygPnr("20", "261126980") }, "child.personnummer", "framtiden"},
		{"child personnummer letters", func(in *app.Intyg) { in.Child.Personnummer = "20190312-98O5" }, "child.personnummer", "siffror"},

		{"no guardian", func(in *app.Intyg) { in.Guardians = nil }, "guardians", "minst en"},
		{"three guardians", func(in *app.Intyg) {
			in.Guardians = append(in.Guardians,
				app.IntygPerson{Name: "B", Personnummer: pnrGuardian2},
				app.IntygPerson{Name: "C", Personnummer: intygPnr("19", "900101985")})
		}, "guardians", "högst 2"},
		{"guardian name missing", func(in *app.Intyg) { in.Guardians[0].Name = "\t" }, "guardians[0].name", "vårdnadshavarens namn saknas"},
		{"second guardian personnummer", func(in *app.Intyg) {
			in.Guardians = append(in.Guardians, app.IntygPerson{Name: "Jonas", Personnummer: "19860203-9848"})
		}, "guardians[1].personnummer", "kontrollsiffran"},
		{"guardian is the child", func(in *app.Intyg) { in.Guardians[0].Personnummer = pnrChild }, "guardians[0].personnummer", "samma personnummer som barnet"},
		{"the same guardian twice", func(in *app.Intyg) {
			in.Guardians = append(in.Guardians, app.IntygPerson{Name: "Åsa Öberg", Personnummer: pnrGuardian[2:]})
		}, "guardians[1].personnummer", "samma personnummer som den första"},

		{"diagnosis missing", func(in *app.Intyg) { in.Diagnosis = "  \n " }, "diagnosis", "diagnos eller symtom saknas"},
		{"diagnosis of 319 characters", func(in *app.Intyg) { in.Diagnosis = strings.Repeat("ä", 319) }, "diagnosis", "1 tecken för lång (319 tecken, högst 318)"},
		{"diagnosis of 9 lines", func(in *app.Intyg) { in.Diagnosis = strings.Repeat("rad\n", 8) + "rad" }, "diagnosis", "9 rader, högst 8"},
		{"diagnosis of 400 characters", func(in *app.Intyg) { in.Diagnosis = strings.Repeat("x", 400) }, "diagnosis", "82 tecken för lång"},

		{"no period", func(in *app.Intyg) { in.Periods = nil }, "periods", "minst en period"},
		{"period start missing", func(in *app.Intyg) { in.Periods[0].From = "" }, "periods[0].from", "första dag saknas"},
		{"period start invalid", func(in *app.Intyg) { in.Periods[0].From = "2026-11-31" }, "periods[0].from", "ogiltigt datum"},
		{"period end missing", func(in *app.Intyg) { in.Periods[0].To = "" }, "periods[0].to", "sista dag saknas"},
		{"period end invalid", func(in *app.Intyg) { in.Periods[0].To = "2026-1-27" }, "periods[0].to", "ogiltigt datum"},
		{"period ends before it starts", func(in *app.Intyg) { in.Periods[0].To = "2026-11-19" }, "periods[0].to", "före första dagen"},
		{"percent not allowed", func(in *app.Intyg) { in.Periods[0].Percent = 33 }, "periods[0].percent", "12,5, 25, 50, 75 eller 100 %"},
		{"percent missing", func(in *app.Intyg) { in.Periods[0].Percent = 0 }, "periods[0].percent", "omfattningen"},
		{"period starting 32 days back", func(in *app.Intyg) { in.Periods[0].From = "2026-10-24" }, "periods[0].from", "mer än en månad före intygets datum (tidigast 2026-10-25)"},
		{"overlapping periods", func(in *app.Intyg) {
			in.Periods = []app.IntygPeriod{{"2026-11-20", "2026-11-24", 100}, {"2026-11-24", "2026-11-27", 50}}
		}, "periods[1].from", "överlappar perioden 2026-11-20 – 2026-11-24"},
		{"period inside another, given first", func(in *app.Intyg) {
			in.Periods = []app.IntygPeriod{{"2026-11-22", "2026-11-23", 50}, {"2026-11-20", "2026-11-27", 100}}
		}, "periods[1].from", "överlappar perioden 2026-11-22 – 2026-11-23"},
		{"period before the child was born", func(in *app.Intyg) {
			in.Child.Personnummer = intygPnr("20", "261110982")
			in.Periods[0].From = "2026-11-01"
		}, "periods[0].from", "före barnets födelsedatum"},

		{"contact date missing", func(in *app.Intyg) { in.Contact.Date = "" }, "contact.date", "datum för kontakten saknas"},
		{"contact date invalid", func(in *app.Intyg) { in.Contact.Date = "igår" }, "contact.date", "ogiltigt datum"},
		{"contact after the intyg date", func(in *app.Intyg) { in.Contact.Date = "2026-11-26" }, "contact.date", "efter intygets datum (2026-11-25)"},
		{"contact kind missing", func(in *app.Intyg) { in.Contact.Kind = "" }, "contact.kind", "kontaktform saknas"},
		{"contact kind unknown", func(in *app.Intyg) { in.Contact.Kind = "brev" }, "contact.kind", "besok, telefon eller video"},
		{"contact kind in Swedish letters", func(in *app.Intyg) { in.Contact.Kind = "besök" }, "contact.kind", "okänd kontaktform"},

		{"issuer name missing", func(in *app.Intyg) { in.Issuer.Name = "" }, "issuer.name", "utfärdarens namn saknas"},
		{"issuer title missing", func(in *app.Intyg) { in.Issuer.Title = "" }, "issuer.title", "titel saknas"},
		{"issuer HSA-ID missing", func(in *app.Intyg) { in.Issuer.HSAID = "" }, "issuer.hsa_id", "HSA-id saknas"},
		{"issuer HSA-ID malformed", func(in *app.Intyg) { in.Issuer.HSAID = "SE2321000131P000000000001" }, "issuer.hsa_id", "ska ha formen"},
		{"issuer unit missing", func(in *app.Intyg) { in.Issuer.Unit = "" }, "issuer.unit", "mottagningens namn saknas"},
		{"issuer address missing", func(in *app.Intyg) { in.Issuer.Address = "" }, "issuer.address", "adress saknas"},
		{"issuer phone missing", func(in *app.Intyg) { in.Issuer.Phone = "" }, "issuer.phone", "telefonnummer saknas"},
		{"care provider missing", func(in *app.Intyg) { in.Issuer.CareProvider = "" }, "issuer.care_provider", "vårdgivare saknas"},
		{"issuer address too long", func(in *app.Intyg) { in.Issuer.Address = strings.Repeat("v", 150) }, "issuer.address", "högst 100 tecken (har 150)"},
		{"place missing", func(in *app.Intyg) { in.Place = "" }, "place", "ort saknas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntyg()
			tt.mutate(in)
			err := in.Validate()
			if got := fieldsOf(t, err); !slices.Equal(got, []string{tt.field}) {
				t.Fatalf("fields %q, want [%s]; error: %v", got, tt.field, err)
			}
			msg := err.(app.ValidationErrors)[0].Message
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q, want it to contain %q", msg, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("Error() = %q, want it to start with the field", err.Error())
			}
			if _, nerr := in.Normalized(); nerr == nil {
				t.Error("Normalized accepted what Validate refused")
			}
		})
	}
}

// The error list names every field, and never the numbers themselves.
func TestIntygValidateReportsEverything(t *testing.T) {
	in := &app.Intyg{
		Child:     app.IntygPerson{Personnummer: "20190312-9806"},
		Guardians: []app.IntygPerson{{Personnummer: "19850720-9810"}},
		Periods:   []app.IntygPeriod{{From: "2026-11-27", To: "2026-11-20", Percent: 10}},
	}
	err := in.Validate()
	want := []string{
		"date", "child.name", "child.personnummer", "guardians[0].name", "guardians[0].personnummer",
		"diagnosis", "periods[0].to", "periods[0].percent", "contact.date", "contact.kind",
		"issuer.name", "issuer.title", "issuer.hsa_id", "issuer.unit", "issuer.address",
		"issuer.phone", "issuer.care_provider", "place",
	}
	got := fieldsOf(t, err)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("fields\n got %q\nwant %q", got, want)
	}
	for _, s := range []string{"201903129806", "20190312-9806", "19850720-9810", "8507209810"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error text contains the personnummer %s", s)
		}
	}
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("ErrorCode = %q, want %q", app.ErrorCode(err), app.EINVALID)
	}
}

func TestIntygNormalized(t *testing.T) {
	in := validIntyg()
	in.Version = 0
	in.Child.Name = "  Alva \n Testsson "
	in.Child.Personnummer = " " + pnrChild[2:]     // 10 digits
	in.Guardians[0].Name = "A\u030asa O\u0308berg" // decomposed Å, Ö
	in.Issuer.HSAID = " se2321000131-P000000000001 "
	in.Diagnosis = "  Rad ett\r\nrad två\n"
	in.Periods = []app.IntygPeriod{{"2026-11-25", "2026-11-27", 50}, {" 2026-11-20", "2026-11-24 ", 100}}
	before, _ := json.Marshal(in)

	out, err := in.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	if out.Version != 1 {
		t.Errorf("Version = %d, want 1", out.Version)
	}
	if out.Child.Name != "Alva Testsson" {
		t.Errorf("child name %q", out.Child.Name)
	}
	if out.Child.Personnummer != "20190312-9805" {
		t.Errorf("child personnummer %q, want 20190312-9805", out.Child.Personnummer)
	}
	if out.Guardians[0].Name != "Åsa Öberg" {
		t.Errorf("guardian name %q (% x), want NFC Åsa Öberg", out.Guardians[0].Name, out.Guardians[0].Name)
	}
	if out.Issuer.HSAID != "SE2321000131-P000000000001" {
		t.Errorf("HSA-ID %q", out.Issuer.HSAID)
	}
	if out.Diagnosis != "Rad ett\nrad två" {
		t.Errorf("diagnosis %q", out.Diagnosis)
	}
	wantPeriods := []app.IntygPeriod{{"2026-11-20", "2026-11-24", 100}, {"2026-11-25", "2026-11-27", 50}}
	if !reflect.DeepEqual(out.Periods, wantPeriods) {
		t.Errorf("periods %v, want %v (sorted, trimmed)", out.Periods, wantPeriods)
	}
	if after, _ := json.Marshal(in); string(after) != string(before) {
		t.Error("Normalized changed its receiver")
	}
	// Normalizing is idempotent.
	again, err := out.Normalized()
	if err != nil || !reflect.DeepEqual(again, out) {
		t.Errorf("Normalized twice differs: %v %v", again, err)
	}
}

func TestEarliestPeriodStart(t *testing.T) {
	tests := []struct{ date, want app.Date }{
		{app.D(2026, 11, 25), app.D(2026, 10, 25)},
		{app.D(2026, 1, 15), app.D(2025, 12, 15)},
		{app.D(2026, 3, 31), app.D(2026, 2, 28)}, // AddDate would give 3 March
		{app.D(2028, 3, 31), app.D(2028, 2, 29)}, // leap year
		{app.D(2026, 5, 31), app.D(2026, 4, 30)},
		{app.D(2026, 3, 1), app.D(2026, 2, 1)},
	}
	for _, tt := range tests {
		if got := app.EarliestPeriodStart(tt.date); got != tt.want {
			t.Errorf("EarliestPeriodStart(%s) = %s, want %s", tt.date, got, tt.want)
		}
	}
}

// The boundary of "no more than one month back", through Validate.
func TestIntygPeriodStartBoundary(t *testing.T) {
	tests := []struct {
		date, from string
		ok         bool
	}{
		{"2026-11-25", "2026-10-25", true},  // 31 days back: exactly one month
		{"2026-11-25", "2026-10-24", false}, // 32 days back
		{"2026-03-31", "2026-02-28", true},  // the last day of a shorter month
		{"2026-03-31", "2026-02-27", false},
		{"2028-03-31", "2028-02-29", true},
		{"2028-03-31", "2028-02-28", false},
	}
	for _, tt := range tests {
		in := validIntyg()
		in.Date, in.Contact.Date = tt.date, tt.date
		in.Periods = []app.IntygPeriod{{From: tt.from, To: tt.date, Percent: 100}}
		err := in.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("intyg %s, period from %s: error %v, want ok=%v", tt.date, tt.from, err, tt.ok)
		}
	}
}

func TestIntygChildTooOld(t *testing.T) {
	born := intygPnr("20", "141120986") // 20141120-9867: 12 years on 2026-11-20
	tests := []struct {
		name    string
		pnr     string
		periods []app.IntygPeriod
		age     int
		tooOld  bool
	}{
		{"the day before the 12th birthday", born, []app.IntygPeriod{{"2026-11-19", "2026-11-27", 100}}, 11, false},
		{"on the 12th birthday", born, []app.IntygPeriod{{"2026-11-20", "2026-11-27", 100}}, 12, true},
		{"the earliest period counts, not the first given", born,
			[]app.IntygPeriod{{"2026-11-20", "2026-11-27", 100}, {"2026-11-10", "2026-11-19", 50}}, 11, false},
		{"12 from the first given, 11 on the earliest", born,
			[]app.IntygPeriod{{"2026-11-21", "2026-11-22", 100}, {"2026-11-19", "2026-11-19", 50}}, 11, false},
		{"10-digit personnummer", born[2:], []app.IntygPeriod{{"2026-11-20", "2026-11-27", 100}}, 12, true},
		{"young child", pnrChild, []app.IntygPeriod{{"2026-11-20", "2026-11-27", 100}}, 7, false},
		{"invalid personnummer", "20141120-9860", []app.IntygPeriod{{"2026-11-20", "2026-11-27", 100}}, 0, false},
		{"no valid period", born, []app.IntygPeriod{{"", "2026-11-27", 100}}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntyg()
			in.Child.Personnummer = tt.pnr
			in.Periods = tt.periods
			age, tooOld := in.ChildTooOld()
			if age != tt.age || tooOld != tt.tooOld {
				t.Errorf("ChildTooOld() = %d, %v; want %d, %v", age, tooOld, tt.age, tt.tooOld)
			}
		})
	}
	// Too old is not a validation error: the UI offers re-routing instead.
	in := validIntyg()
	in.Child.Personnummer = born
	if err := in.Validate(); err != nil {
		t.Errorf("Validate of a 12-year-old's intyg: %v", err)
	}
}

func TestIntygJSON(t *testing.T) {
	const src = `{
	  "child": {"name": "Alva Testsson", "personnummer": "20190312-9805"},
	  "guardians": [{"name": "Åsa Öberg", "personnummer": "19850720-9818"}],
	  "diagnosis": "Feber",
	  "periods": [{"from": "2026-11-20", "to": "2026-11-27", "percent": 12.5}],
	  "contact": {"date": "2026-11-24", "kind": "telefon"},
	  "issuer": {"name": "Sara Sjöberg", "title": "Sjuksköterska", "hsa_id": "SE2321000131-P000000000001",
	             "unit": "BUP Uddevalla", "address": "Box 1, 451 80 Uddevalla", "phone": "010-000 00 00",
	             "care_provider": "Västra Götalandsregionen"},
	  "place": "Uddevalla",
	  "date": "2026-11-25",
	  "a_field_from_a_later_version": true
	}`
	var in app.Intyg
	if err := json.Unmarshal([]byte(src), &in); err != nil {
		t.Fatal(err)
	}
	if in.Version != 1 {
		t.Errorf("absent version = %d, want 1", in.Version)
	}
	if in.Periods[0].Percent != 12.5 || in.Contact.Kind != app.ContactTelefon || in.Issuer.CareProvider != "Västra Götalandsregionen" {
		t.Errorf("decoded %+v", in)
	}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}

	var v2 app.Intyg
	if err := json.Unmarshal([]byte(`{"version": 2, "case_id": 17}`), &v2); err != nil || v2.Version != 2 || v2.CaseID != 17 {
		t.Errorf("version/case_id: %+v %v", v2, err)
	}

	b, err := json.Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "child", "guardians", "diagnosis", "periods", "contact", "issuer", "place", "date"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("marshalled intyg lacks %q: %s", k, b)
		}
	}
	if _, ok := keys["case_id"]; ok {
		t.Errorf("case_id 0 should be left out: %s", b)
	}
	for _, s := range []string{`"hsa_id":`, `"care_provider":`, `"from":"2026-11-20"`, `"percent":12.5`, `"kind":"telefon"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("marshalled intyg lacks %s: %s", s, b)
		}
	}
	var back app.Intyg
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Errorf("round trip: %+v %v", back, err)
	}
}

// The example file in the repository is valid, for a child under 12, and
// holds only test personnummer.
func TestIntygExampleFile(t *testing.T) {
	b, err := os.ReadFile("../testdata/intyg-exempel.json")
	if err != nil {
		t.Fatal(err)
	}
	var in app.Intyg
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	out, err := in.Normalized()
	if err != nil {
		t.Fatalf("example is invalid: %v", err)
	}
	if age, tooOld := in.ChildTooOld(); tooOld {
		t.Errorf("example child is %d on the first day of care", age)
	}
	for _, p := range append([]app.IntygPerson{out.Child}, out.Guardians...) {
		pnr, err := app.ParsePersonnummerOn(p.Personnummer, in.IssuedOn())
		if err != nil || !pnr.IsTestNumber() {
			t.Errorf("%s: not a test personnummer (%v)", p.Name, err)
		}
	}
}

func TestPercentSvAndContactKind(t *testing.T) {
	for p, want := range map[float64]string{12.5: "12,5 %", 25: "25 %", 50: "50 %", 75: "75 %", 100: "100 %"} {
		if got := app.PercentSv(p); got != want {
			t.Errorf("PercentSv(%v) = %q, want %q", p, got, want)
		}
	}
	for k, want := range map[app.ContactKind]string{app.ContactBesok: "Besök", app.ContactTelefon: "Telefon", app.ContactVideo: "Video"} {
		if got := k.Sv(); got != want {
			t.Errorf("%s.Sv() = %q, want %q", k, got, want)
		}
	}
	if got := app.IntygFiles(); !slices.Equal(got, []string{"original.pdf", "kopia.pdf", "foljebrev.pdf"}) {
		t.Errorf("IntygFiles() = %q", got)
	}
}

// Normalized never panics, and what it accepts it accepts again unchanged.
func FuzzIntygNormalized(f *testing.F) {
	f.Add("Alva Testsson", pnrChild, "Feber", "2026-11-20", "2026-11-27", "2026-11-25", 100.0)
	f.Add(" A\u030asa ", "190312-9805", "rad\r\nrad", "2026-10-25", "2026-10-25", "2026-11-25", 12.5)
	f.Add("", "+", "\x00", "2026-02-29", "0000-01-01", "9999-12-31", -1.0)
	f.Fuzz(func(t *testing.T, name, pnr, diagnosis, from, to, date string, percent float64) {
		in := validIntyg()
		in.Child = app.IntygPerson{Name: name, Personnummer: pnr}
		in.Diagnosis = diagnosis
		in.Periods = []app.IntygPeriod{{From: from, To: to, Percent: percent}}
		in.Date = date
		in.ChildTooOld()
		out, err := in.Normalized()
		if err != nil {
			if fieldsOf(t, err) == nil {
				t.Fatal("an error without fields")
			}
			return
		}
		again, err := out.Normalized()
		if err != nil || !reflect.DeepEqual(again, out) {
			t.Fatalf("not idempotent: %v", err)
		}
		if n := len([]rune(out.Diagnosis)); n > app.DiagnosisMax {
			t.Fatalf("accepted a diagnosis of %d characters", n)
		}
	})
}
