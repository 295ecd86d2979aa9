package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// Only Skatteverket's test numbers (birth number 980–999) appear here.

// pnrToday is the fixed 'today' of these tests.
var pnrToday = app.D(2026, time.November, 25)

// pnrCheck returns the Luhn check digit for the nine digits YYMMDDNNN,
// written independently of the package: double every digit in an even
// position from the left, add up the digits of all the numbers, and take
// what is needed to reach the next multiple of ten.
func pnrCheck(nine string) string {
	if len(nine) != 9 {
		panic("pnrCheck wants 9 digits: " + nine)
	}
	total := 0
	for i := 0; i < 9; i++ {
		n := int(nine[i] - '0')
		if i%2 == 0 {
			n *= 2
		}
		total += n/10 + n%10
	}
	return string(rune('0' + (10-total%10)%10))
}

// pnrValid returns the 10-digit form YYMMDDNNNC with a correct check digit.
func pnrValid(yymmddnnn string) string { return yymmddnnn + pnrCheck(yymmddnnn) }

// pnrBad returns the 10-digit form with a wrong check digit.
func pnrBad(yymmddnnn string) string {
	c := pnrCheck(yymmddnnn)[0]
	return yymmddnnn + string(rune('0'+(c-'0'+1)%10))
}

func TestPersonnummerTestHelperLuhn(t *testing.T) {
	// By hand: 1 9 0 3 1 2 9 8 0 with weights 2 1 2 1 2 1 2 1 2 gives
	// 2+9+0+3+2+2+(1+8)+8+0 = 35, so the check digit is 5.
	// 8 5 0 7 2 0 9 8 0 gives (1+6)+5+0+7+4+0+(1+8)+8+0 = 40, check digit 0.
	for nine, want := range map[string]string{"190312980": "5", "850720980": "0"} {
		if got := pnrCheck(nine); got != want {
			t.Errorf("pnrCheck(%s) = %s, want %s", nine, got, want)
		}
	}
}

func TestParsePersonnummerAccepts(t *testing.T) {
	v := pnrValid("190312980") // 1903129805
	tests := []struct {
		name, in string
		want     app.Personnummer
	}{
		{"12 digits", "20" + v, "201903129805"},
		{"12 digits with -", "20190312-9805", "201903129805"},
		{"12 digits with +", "20190312+9805", "201903129805"},
		{"10 digits", v, "201903129805"},
		{"10 digits with -", "190312-9805", "201903129805"},
		{"10 digits with + is a century earlier", "190312+9805", "191903129805"},
		{"12 digits, century given, other century", "19190312-9805", "191903129805"},
		{"leading and trailing space", "  190312-9805\t\n", "201903129805"},
		{"space inside", "19850720 9800", "198507209800"},
		{"spaces everywhere", " 1 9 8 5 0 7 2 0 - 9 8 0 0 ", "198507209800"},
		{"space around -", "850720 - 9800", "198507209800"},
		{"non-breaking space", "850720\u00a09800", "198507209800"},
		{"born today, 10 digits", pnrValid("261125981"), app.Personnummer("2026" + pnrValid("261125981")[2:])},
		{"born today, 12 digits", "20" + pnrValid("261125981"), app.Personnummer("20" + pnrValid("261125981"))},
		{"tomorrow's date in 10 digits is a century ago", pnrValid("261126981"), app.Personnummer("19" + pnrValid("261126981"))},
		{"tomorrow's date with + is two centuries ago", "261126+" + pnrValid("261126981")[6:], app.Personnummer("18" + pnrValid("261126981"))},
		{"00 is 2000", pnrValid("000101990"), app.Personnummer("20" + pnrValid("000101990"))},
		{"29 February 2000 (leap year)", pnrValid("000229990"), app.Personnummer("20" + pnrValid("000229990"))},
		{"29 February 2024", "20" + pnrValid("240229982"), app.Personnummer("20" + pnrValid("240229982"))},
		{"29 February 1904 with +", "040229+" + pnrValid("040229982")[6:], app.Personnummer("19" + pnrValid("040229982"))},
		{"samordningsnummer day 61", pnrValid("190361983"), app.Personnummer("20" + pnrValid("190361983"))},
		{"samordningsnummer day 72", "190372-" + pnrValid("190372983")[6:], app.Personnummer("20" + pnrValid("190372983"))},
		{"samordningsnummer day 91", "20" + pnrValid("190391983"), app.Personnummer("20" + pnrValid("190391983"))},
		{"samordningsnummer 29 February leap year", pnrValid("000289984"), app.Personnummer("20" + pnrValid("000289984"))},
		{"samordningsnummer born today", pnrValid("261185985"), app.Personnummer("20" + pnrValid("261185985"))},
		{"samordningsnummer tomorrow is a century ago", pnrValid("261186985"), app.Personnummer("19" + pnrValid("261186985"))},
		{"birth number 999", pnrValid("190312999"), app.Personnummer("20" + pnrValid("190312999"))},
		{"31 December", pnrValid("191231980"), app.Personnummer("20" + pnrValid("191231980"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := app.ParsePersonnummerOn(tt.in, pnrToday)
			if err != nil {
				t.Fatalf("ParsePersonnummerOn(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParsePersonnummerOn(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := app.ParsePersonnummerOn(got.String(), pnrToday)
			if err != nil || again != got {
				t.Errorf("round trip of %q: %q, %v", got.String(), again, err)
			}
		})
	}
}

func TestParsePersonnummerRejects(t *testing.T) {
	tests := []struct {
		name, in, msg string
	}{
		{"empty", "", "saknas"},
		{"only space", " \t\n", "saknas"},
		{"9 digits", "190312980", "10 eller 12 siffror"},
		{"11 digits", "0" + pnrValid("190312980"), "10 eller 12 siffror"},
		{"13 digits", "020" + pnrValid("190312980"), "10 eller 12 siffror"},
		{"8 digits with -", "190312-98", "10 eller 12 siffror"},
		{"only -", "-", "10 eller 12 siffror"},
		{"letter", "190312-98O5", "får bara innehålla siffror"},
		{"letters", "ÅÅMMDD-NNNN", "får bara innehålla siffror"},
		{"slash", "19/03/12-9805", "får bara innehålla siffror"},
		{"Arabic-Indic digits", "١٩٠٣١٢-٩٨٠٥", "får bara innehålla siffror"},
		{"full-width digits", "１９０３１２-９８０５", "får bara innehålla siffror"},
		{"en dash", "190312–9805", "får bara innehålla siffror"},
		{"invalid UTF-8", "190312\xff9805", "får bara innehålla siffror"},
		{"two -", "190312--9805", "bara ha ett"},
		{"- and +", "190312-+9805", "bara ha ett"},
		{"ISO-like date", "2019-03-12-9805", "bara ha ett"},
		{"- in wrong place", "1903-129805", "före de fyra sista"},
		{"- in wrong place, 12 digits", "2019031298-05", "före de fyra sista"},
		{"- at end", "1903129805-", "före de fyra sista"},
		{"bad check digit, 10", pnrBad("190312980"), "kontrollsiffran stämmer inte"},
		{"bad check digit, 12", "20" + pnrBad("190312980"), "kontrollsiffran stämmer inte"},
		{"bad check digit, samordningsnummer", pnrBad("190372983"), "kontrollsiffran stämmer inte"},
		{"swapped digits", "190312-9850", "kontrollsiffran stämmer inte"},
		{"month 00", pnrValid("190012980"), "ogiltigt datum"},
		{"month 13", pnrValid("191312980"), "ogiltigt datum"},
		{"month 99", "20" + pnrValid("199912980"), "ogiltigt datum"},
		{"day 00", pnrValid("190300980"), "ogiltigt datum"},
		{"day 32", pnrValid("190332980"), "ogiltigt datum"},
		{"day 60 (samordningsnummer day 00)", pnrValid("190360980"), "ogiltigt datum"},
		{"day 92", pnrValid("190392980"), "ogiltigt datum"},
		{"day 99", pnrValid("190399980"), "ogiltigt datum"},
		{"30 February", pnrValid("190230980"), "ogiltigt datum"},
		{"31 April", pnrValid("190431980"), "ogiltigt datum"},
		{"31 April samordningsnummer", pnrValid("190491980"), "ogiltigt datum"},
		{"29 February 2019", pnrValid("190229980"), "ogiltigt datum"},
		{"29 February 2019, 12 digits", "20" + pnrValid("190229980"), "ogiltigt datum"},
		{"29 February 1900, 12 digits", "19" + pnrValid("000229990"), "ogiltigt datum"},
		{"29 February 1900 with +", "000229+" + pnrValid("000229990")[6:], "ogiltigt datum"},
		{"29 February 1900 samordningsnummer", "19" + pnrValid("000289990"), "ogiltigt datum"},
		{"29 February 2100", "21" + pnrValid("000229990"), "ogiltigt datum"},
		{"tomorrow, 12 digits", "20" + pnrValid("261126981"), "framtiden"},
		{"next year, 12 digits", "20" + pnrValid("270101981"), "framtiden"},
		{"samordningsnummer tomorrow, 12 digits", "20" + pnrValid("261186981"), "framtiden"},
		{"year 0019", "00" + pnrValid("190312980"), "ogiltigt datum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := app.ParsePersonnummerOn(tt.in, pnrToday)
			if err == nil {
				t.Fatalf("ParsePersonnummerOn(%q) = %q, want error containing %q", tt.in, p, tt.msg)
			}
			if p != "" {
				t.Errorf("ParsePersonnummerOn(%q) returned %q with the error", tt.in, p)
			}
			var e *app.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *app.Error", err, err)
			}
			if e.Code != app.EINVALID || e.Field != "personnummer" {
				t.Errorf("error code/field = %q/%q, want %q/%q", e.Code, e.Field, app.EINVALID, "personnummer")
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
			// The message may end up in a log: it must not repeat the number.
			if d := pnrDigits(tt.in); len(d) >= 6 && strings.Contains(e.Error(), d[len(d)-4:]) {
				t.Errorf("message %q repeats the input's last four digits", e.Error())
			}
		})
	}
}

func pnrDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestParsePersonnummerUsesToday(t *testing.T) {
	// ParsePersonnummer takes today from the clock: a number born in
	// 2019 stays in 2019 with a - and moves to 1919 with a +.
	p, err := app.ParsePersonnummer("190312-9805")
	if err != nil || p != "201903129805" {
		t.Fatalf("ParsePersonnummer = %q, %v", p, err)
	}
	p, err = app.ParsePersonnummer("190312+9805")
	if err != nil || p != "191903129805" {
		t.Fatalf("ParsePersonnummer + = %q, %v", p, err)
	}
	// The century of a 10-digit form depends on the day it is read.
	v := pnrValid("200601980")
	for _, tt := range []struct {
		today app.Date
		want  app.Personnummer
	}{
		{app.D(2020, time.May, 31), app.Personnummer("19" + v)},
		{app.D(2020, time.June, 1), app.Personnummer("20" + v)},
		{app.D(2099, time.December, 31), app.Personnummer("20" + v)},
		{app.D(2120, time.May, 31), app.Personnummer("20" + v)},
		{app.D(2120, time.June, 1), app.Personnummer("21" + v)},
	} {
		if got, err := app.ParsePersonnummerOn(v, tt.today); err != nil || got != tt.want {
			t.Errorf("on %v: %q, %v; want %q", tt.today, got, err, tt.want)
		}
	}
}

func TestPersonnummerMethods(t *testing.T) {
	p := app.Personnummer("20" + pnrValid("190312980"))
	if got, want := p.String(), "20190312-9805"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got, want := p.Masked(), "20190312-****"; got != want {
		t.Errorf("Masked = %q, want %q", got, want)
	}
	if got, want := p.BirthDate(), app.D(2019, time.March, 12); got != want {
		t.Errorf("BirthDate = %v, want %v", got, want)
	}
	if p.IsSamordningsnummer() {
		t.Error("IsSamordningsnummer = true for a personnummer")
	}
	if !p.IsTestNumber() {
		t.Error("IsTestNumber = false for birth number 980")
	}
}

func TestPersonnummerSamordningsnummer(t *testing.T) {
	p, err := app.ParsePersonnummerOn(pnrValid("190372983"), pnrToday)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsSamordningsnummer() {
		t.Error("IsSamordningsnummer = false for day 72")
	}
	if got, want := p.BirthDate(), app.D(2019, time.March, 12); got != want {
		t.Errorf("BirthDate = %v, want %v", got, want)
	}
	if got, want := p.String(), "20190372-"+pnrValid("190372983")[6:]; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got, want := p.Masked(), "20190372-****"; got != want {
		t.Errorf("Masked = %q, want %q", got, want)
	}
	if got := p.AgeOn(app.D(2026, time.March, 11)); got != 6 {
		t.Errorf("AgeOn day before 7th birthday = %d, want 6", got)
	}
	if got := p.AgeOn(app.D(2026, time.March, 12)); got != 7 {
		t.Errorf("AgeOn 7th birthday = %d, want 7", got)
	}
	for _, tt := range []struct {
		nine string
		want app.Date
	}{
		{"190361983", app.D(2019, time.March, 1)},
		{"190391983", app.D(2019, time.March, 31)},
		{"000289984", app.D(2000, time.February, 29)},
	} {
		p, err := app.ParsePersonnummerOn(pnrValid(tt.nine), pnrToday)
		if err != nil {
			t.Errorf("%s: %v", tt.nine, err)
			continue
		}
		if !p.IsSamordningsnummer() || p.BirthDate() != tt.want {
			t.Errorf("%s: samordning %v, birth %v; want true, %v", tt.nine, p.IsSamordningsnummer(), p.BirthDate(), tt.want)
		}
	}
}

func TestPersonnummerAgeOnTwelfthBirthday(t *testing.T) {
	// Vård av barn under 12 år: the age on the day matters.
	p, err := app.ParsePersonnummerOn("20"+pnrValid("140510981"), pnrToday)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		on   app.Date
		want int
	}{
		{app.D(2014, time.May, 10), 0},
		{app.D(2015, time.May, 9), 0},
		{app.D(2015, time.May, 10), 1},
		{app.D(2026, time.May, 9), 11},
		{app.D(2026, time.May, 10), 12},
		{app.D(2026, time.May, 11), 12},
		{app.D(2026, time.December, 31), 12},
		{app.D(2027, time.May, 9), 12},
		{app.D(2027, time.May, 10), 13},
		{app.D(2014, time.May, 9), -1},
	} {
		if got := p.AgeOn(tt.on); got != tt.want {
			t.Errorf("AgeOn(%v) = %d, want %d", tt.on, got, tt.want)
		}
	}
}

func TestPersonnummerAgeOnLeapDayBirthday(t *testing.T) {
	p, err := app.ParsePersonnummerOn(pnrValid("120229982"), pnrToday)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.BirthDate(), app.D(2012, time.February, 29); got != want {
		t.Fatalf("BirthDate = %v, want %v", got, want)
	}
	for _, tt := range []struct {
		on   app.Date
		want int
	}{
		{app.D(2013, time.February, 28), 0},
		{app.D(2013, time.March, 1), 1},
		{app.D(2016, time.February, 28), 3},
		{app.D(2016, time.February, 29), 4},
		{app.D(2016, time.March, 1), 4},
		{app.D(2024, time.February, 28), 11},
		{app.D(2024, time.February, 29), 12},
		{app.D(2025, time.February, 28), 12},
		{app.D(2025, time.March, 1), 13},
	} {
		if got := p.AgeOn(tt.on); got != tt.want {
			t.Errorf("AgeOn(%v) = %d, want %d", tt.on, got, tt.want)
		}
	}
}

func TestPersonnummerAgeOnPlusCentury(t *testing.T) {
	p, err := app.ParsePersonnummerOn("260101+"+pnrValid("260101982")[6:], pnrToday)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.BirthDate(), app.D(1926, time.January, 1); got != want {
		t.Fatalf("BirthDate = %v, want %v", got, want)
	}
	if got := p.AgeOn(pnrToday); got != 100 {
		t.Errorf("AgeOn = %d, want 100", got)
	}
}

func TestPersonnummerIsTestNumber(t *testing.T) {
	for nnn, want := range map[string]bool{"980": true, "985": true, "999": true} {
		p, err := app.ParsePersonnummerOn(pnrValid("190312"+nnn), pnrToday)
		if err != nil {
			t.Fatal(err)
		}
		if p.IsTestNumber() != want {
			t.Errorf("birth number %s: IsTestNumber = %v, want %v", nnn, !want, want)
		}
	}
	// Outside the test series, build values directly with a wrong check
	// digit so that no real person's number appears in the test.
	for _, s := range []string{"20" + pnrBad("190312979"), "20" + pnrBad("190312001"), "20" + pnrBad("190312800")} {
		if app.Personnummer(s).IsTestNumber() {
			t.Errorf("%s: IsTestNumber = true", s[:8])
		}
	}
}

func TestPersonnummerMalformedValues(t *testing.T) {
	// Methods on values not made by Parse must not panic nor leak.
	for _, p := range []app.Personnummer{"", "abc", "19031", "20190312-9805", "2019031298055", "2019031298x5"} {
		_ = p.String()
		_ = p.BirthDate()
		_ = p.AgeOn(pnrToday)
		_ = p.IsSamordningsnummer()
		_ = p.IsTestNumber()
		if m := p.Masked(); strings.ContainsAny(m, "0123456789") {
			t.Errorf("Masked of malformed %q = %q shows digits", p, m)
		}
	}
	var zero app.Personnummer
	if zero.Masked() != "" || zero.String() != "" || !zero.BirthDate().IsZero() || zero.AgeOn(pnrToday) != 0 {
		t.Error("zero Personnummer should give empty results")
	}
}

func TestPersonnummerPattern(t *testing.T) {
	finds := []struct{ text, want string }{
		{"pnr 20190312-9804 i loggen", "20190312-9804"},
		{"201903129804", "201903129804"},
		{"patient=190312-9804,", "190312-9804"},
		{"(1903129804)", "1903129804"},
		{"\"pnr\":\"191903129804\"", "191903129804"},
		{"hundraåring 190312+9804.", "190312+9804"},
		{"samordningsnummer 20190372-9804", "20190372-9804"},
		{"start\n19850720-9800\nslut", "19850720-9800"},
	}
	for _, tt := range finds {
		if got := app.PersonnummerPattern.FindString(tt.text); got != tt.want {
			t.Errorf("FindString(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	all := app.PersonnummerPattern.FindAllString("a 190312-9804 och b 20190312-9805", -1)
	if len(all) != 2 || all[0] != "190312-9804" || all[1] != "20190312-9805" {
		t.Errorf("FindAllString = %q", all)
	}
	for _, text := range []string{
		"2026-11-25 10:00",
		"2026-11-25T10:00:00+01:00",
		"ärende 1234 mottaget 10:00",
		"20261125100000",             // compact timestamp, 14 digits
		"1764064800000",              // Unix milliseconds, 13 digits
		"SE2321000131-P000000012345", // HSA-ID
		"201913129804",               // month 13
		"20190300-9804",              // day 00
		"20190360-9804",              // day 60
		"20190392-9804",              // day 92
		"1201903129804",              // 13 digits
		"2019031298045",              // 13 digits
		"190312-980",                 // too short
	} {
		if got := app.PersonnummerPattern.FindString(text); got != "" {
			t.Errorf("FindString(%q) = %q, want no match", text, got)
		}
	}
}

// FuzzParsePersonnummer checks that parsing never panics and that anything
// accepted is a well-formed value that survives a round trip through String.
func FuzzParsePersonnummer(f *testing.F) {
	for _, s := range []string{
		"20190312-9805", "190312-9805", "190312+9805", "1903129805", "201903129805",
		"19850720 9800", " 1 9 8 5 0 7 2 0 - 9 8 0 0 ", "000229+9907", "190372-9834",
		"", "-", "+", "190312--9805", "1903-129805", "١٩٠٣١٢-٩٨٠٥", "\xff", "99999999-9999",
	} {
		f.Add(s, int16(0))
	}
	f.Add("261126-9810", int16(1))
	f.Add("000229-9907", int16(-9800))
	f.Fuzz(func(t *testing.T, s string, dayOffset int16) {
		today := pnrToday.AddDays(int(dayOffset))
		_, _ = app.ParsePersonnummer(s)
		p, err := app.ParsePersonnummerOn(s, today)
		if err != nil {
			var e *app.Error
			if !errors.As(err, &e) || e.Code != app.EINVALID || e.Field != "personnummer" || e.Message == "" {
				t.Fatalf("error for %q is not a personnummer field error: %#v", s, err)
			}
			if p != "" {
				t.Fatalf("value %q returned with error", p)
			}
			return
		}
		if len(p) != 12 || pnrDigits(string(p)) != string(p) {
			t.Fatalf("ParsePersonnummerOn(%q) = %q, not 12 digits", s, p)
		}
		if pnrCheck(string(p[2:11])) != string(p[11]) {
			t.Fatalf("ParsePersonnummerOn(%q) = %q with a bad check digit", s, p)
		}
		b := p.BirthDate()
		if b.AddDays(0) != b {
			t.Fatalf("%q: birth date %v does not exist", p, b)
		}
		if b.After(today) {
			t.Fatalf("%q: birth date %v after today %v", p, b, today)
		}
		if p.AgeOn(today) < 0 || p.AgeOn(b) != 0 {
			t.Fatalf("%q: AgeOn today %d, on birth %d", p, p.AgeOn(today), p.AgeOn(b))
		}
		if p.Masked() != string(p[:8])+"-****" {
			t.Fatalf("%q: Masked = %q", p, p.Masked())
		}
		again, err := app.ParsePersonnummerOn(p.String(), today)
		if err != nil {
			t.Fatalf("ParsePersonnummerOn(%q) (from %q) error: %v", p.String(), s, err)
		}
		if again != p {
			t.Fatalf("round trip: %q -> %q -> %q", s, p, again)
		}
		if !app.PersonnummerPattern.MatchString(p.String()) {
			t.Fatalf("PersonnummerPattern misses %q", p.String())
		}
	})
}
