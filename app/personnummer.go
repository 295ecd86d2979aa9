package app

import (
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Personnummer is a validated personnummer or samordningsnummer in its
// 12-digit form "YYYYMMDDNNNN". Only ParsePersonnummer and
// ParsePersonnummerOn make valid values; the methods tolerate any string
// (a zero or malformed value gives zero results) so they never panic.
type Personnummer string

// pnrField is the field name of personnummer validation errors.
const pnrField = "personnummer"

// pnrMinYear is the earliest birth year accepted. Personnummer were
// introduced in 1947; nobody alive then was born before 1800, so an earlier
// year is a typing error.
const pnrMinYear = 1800

// samordningOffset is what Skatteverket adds to the day of birth in a
// samordningsnummer.
const samordningOffset = 60

// PersonnummerPattern finds things shaped like a personnummer or
// samordningsnummer in free text: 10 or 12 digits with an optional - or +
// before the last four, a month 01–12 and a day 01–31 or 61–91. It does not
// check the check digit, and it does not match inside a longer run of
// letters or digits (so timestamps such as 20261125100000 or 1764064800000
// are not reported). Use it to search logs for leaked numbers.
var PersonnummerPattern = regexp.MustCompile(
	`\b(?:\d{2})?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}\b`)

// ParsePersonnummer parses and validates a personnummer or
// samordningsnummer, expanding a 10-digit form with today's date in
// Stockholm. See ParsePersonnummerOn.
func ParsePersonnummer(s string) (Personnummer, error) {
	return ParsePersonnummerOn(s, DateOf(time.Now()))
}

// ParsePersonnummerOn parses and validates a personnummer or
// samordningsnummer as of the date today.
//
// Accepted forms are YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN and
// YYYYMMDDNNNN, with white space anywhere. In the 10-digit form the century
// is the most recent one that puts the birth date on or before today; a +
// instead of - (people aged 100 or more) means a century earlier. A + in the
// 12-digit form is accepted and changes nothing. The check digit is verified
// with the Luhn algorithm over the 10-digit form. A day of 61–91 marks a
// samordningsnummer. A birth date that does not exist or is after today is
// rejected.
//
// Errors are *Error with Field "personnummer" and a Swedish message; they
// never contain the number itself.
func ParsePersonnummerOn(s string, today Date) (Personnummer, error) {
	digits := make([]byte, 0, 12)
	sep := byte(0)
	sepAt := -1 // number of digits before the separator
	nonSpace := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '-' || r == '+':
			if sep != 0 {
				return "", FieldErrorf(pnrField, "får bara ha ett bindestreck eller plustecken, före de fyra sista siffrorna")
			}
			sep, sepAt = byte(r), len(digits)
		default:
			return "", FieldErrorf(pnrField, "får bara innehålla siffror och bindestreck eller plustecken (ÅÅMMDD-NNNN eller ÅÅÅÅMMDD-NNNN)")
		}
		nonSpace = true
	}
	if !nonSpace {
		return "", FieldErrorf(pnrField, "personnummer saknas")
	}
	if len(digits) != 10 && len(digits) != 12 {
		return "", FieldErrorf(pnrField, "ska ha 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDD-NNNN)")
	}
	if sep != 0 && sepAt != len(digits)-4 {
		return "", FieldErrorf(pnrField, "bindestrecket eller plustecknet ska stå före de fyra sista siffrorna")
	}

	short := digits[len(digits)-10:] // YYMMDDNNNC
	yy := atoi(short[0:2])
	month := atoi(short[2:4])
	day := atoi(short[4:6])
	if month < 1 || month > 12 {
		return "", FieldErrorf(pnrField, "ogiltigt datum: månaden ska vara 01–12")
	}
	if day > samordningOffset {
		day -= samordningOffset // samordningsnummer
	}
	if day < 1 || day > 31 {
		return "", FieldErrorf(pnrField, "ogiltigt datum: dagen ska vara 01–31 (61–91 för samordningsnummer)")
	}

	var year int
	if len(digits) == 12 {
		year = atoi(digits[0:4])
	} else {
		// The most recent century that does not put the birth date after
		// today. The comparison needs no valid date: the date is checked
		// below, once the century (and so leap years) is known.
		year = today.Year - mod(today.Year-yy, 100)
		if cmpYMD(year, month, day, today) > 0 {
			year -= 100
		}
		if sep == '+' {
			year -= 100
		}
	}
	if year < pnrMinYear || year > 9999 {
		return "", FieldErrorf(pnrField, "ogiltigt datum: födelseåret är orimligt")
	}
	if day > daysIn(year, time.Month(month)) {
		if month == 2 && day == 29 {
			return "", FieldErrorf(pnrField, "ogiltigt datum: 29 februari finns inte det året (inget skottår)")
		}
		return "", FieldErrorf(pnrField, "ogiltigt datum: dagen finns inte i månaden")
	}
	if !luhnValid(short) {
		return "", FieldErrorf(pnrField, "kontrollsiffran stämmer inte")
	}
	if cmpYMD(year, month, day, today) > 0 {
		return "", FieldErrorf(pnrField, "födelsedatumet ligger i framtiden")
	}

	var b strings.Builder
	b.Grow(12)
	b.WriteString(pad4(year))
	b.Write(short[2:])
	return Personnummer(b.String()), nil
}

// String formats p as "YYYYMMDD-NNNN". A malformed value is returned as is.
func (p Personnummer) String() string {
	if !p.wellFormed() {
		return string(p)
	}
	return string(p[:8]) + "-" + string(p[8:])
}

// Masked formats p as "YYYYMMDD-****", for places where the full number must
// not show. A malformed value gives "" if empty and "****" otherwise, never
// its content.
func (p Personnummer) Masked() string {
	if p == "" {
		return ""
	}
	if !p.wellFormed() {
		return "****"
	}
	return string(p[:8]) + "-****"
}

// IsSamordningsnummer reports whether p is a samordningsnummer (day 61–91).
func (p Personnummer) IsSamordningsnummer() bool {
	return p.wellFormed() && atoi([]byte(p[6:8])) > samordningOffset
}

// BirthDate returns the date of birth in p; for a samordningsnummer the day
// less 60. A malformed value gives the zero Date.
func (p Personnummer) BirthDate() Date {
	if !p.wellFormed() {
		return Date{}
	}
	day := atoi([]byte(p[6:8]))
	if day > samordningOffset {
		day -= samordningOffset
	}
	return Date{atoi([]byte(p[0:4])), time.Month(atoi([]byte(p[4:6]))), day}
}

// AgeOn returns the age in whole years on d by calendar arithmetic: one
// turns N on the birthday itself, and someone born on 29 February turns a
// year older on 1 March in years that are not leap years. On a date before
// the birth date the result is negative. A malformed value gives 0.
func (p Personnummer) AgeOn(d Date) int {
	if !p.wellFormed() {
		return 0
	}
	b := p.BirthDate()
	age := d.Year - b.Year
	if d.Month < b.Month || d.Month == b.Month && d.Day < b.Day {
		age--
	}
	return age
}

// IsTestNumber reports whether p is in Skatteverket's series of test
// numbers: a birth number (the three digits before the check digit) of
// 980–999.
func (p Personnummer) IsTestNumber() bool {
	return p.wellFormed() && atoi([]byte(p[8:11])) >= 980
}

// wellFormed reports whether p is twelve ASCII digits, the shape every
// method relies on.
func (p Personnummer) wellFormed() bool {
	if len(p) != 12 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// luhnValid reports whether the ten digits d (YYMMDDNNNC) pass the Luhn
// check: weights 2,1,2,1,... from the left, digit sums of the products.
func luhnValid(d []byte) bool {
	sum := 0
	for i, c := range d {
		v := int(c - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// atoi converts a short run of ASCII digits, already checked, to an int.
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// mod returns a modulo m in [0, m).
func mod(a, m int) int { return ((a % m) + m) % m }

// pad4 formats a year of 0–9999 with four digits.
func pad4(y int) string {
	return string([]byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)})
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// cmpYMD compares the (possibly invalid) date y-m-d with d field by field.
func cmpYMD(y, m, day int, d Date) int {
	switch {
	case y != d.Year:
		return cmpInt(y, d.Year)
	case m != int(d.Month):
		return cmpInt(m, int(d.Month))
	default:
		return cmpInt(day, d.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
