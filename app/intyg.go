package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The intyg for tillfällig föräldrapenning when a child under 12 cannot be
// cared for in its ordinary tillsynsform (Försäkringskassan's form 7443 and
// Inera's electronic model of it), written by a sjuksköterska in the
// vab-under-12 flow.

// Files an intyg is rendered to, in the order they are written.
const (
	IntygOriginalFile  = "original.pdf"  // for Försäkringskassan, to be signed
	IntygKopiaFile     = "kopia.pdf"     // marked as the guardian's copy
	IntygFoljebrevFile = "foljebrev.pdf" // the covering letter to the guardian
)

// IntygFiles returns the file names of a rendered intyg in order.
func IntygFiles() []string {
	return []string{IntygOriginalFile, IntygKopiaFile, IntygFoljebrevFile}
}

// Limits of the intyg.
const (
	// DiagnosisMax is the most characters (runes) "Diagnos eller symtom"
	// may have, as on Inera's model of the form.
	DiagnosisMax = 318
	// DiagnosisMaxLines is the most lines the diagnosis may have: the
	// form's field is a box of a few lines, and the printed intyg must keep
	// to its page.
	DiagnosisMaxLines = 8
	// IntygFieldMax is the most characters of any one-line field (names,
	// title, address ...): enough for any real value, little enough to fit
	// the printed form.
	IntygFieldMax = 100
	// MaxGuardians is how many guardians the form has room for.
	MaxGuardians = 2
	// IntygAgeLimit is the age from which a child needs a läkarintyg
	// (lakarintyg-vab-12-16) instead: 12 on the first day of care.
	IntygAgeLimit = 12
)

// IntygPercents are the allowed shares of the child's ordinary tillsyn time.
var IntygPercents = []float64{12.5, 25, 50, 75, 100}

// ContactKind is what the assessment rests on.
type ContactKind string

const (
	ContactBesok   ContactKind = "besok"
	ContactTelefon ContactKind = "telefon"
	ContactVideo   ContactKind = "video"
)

// ContactKinds returns the kinds of contact in the order a form offers them.
func ContactKinds() []ContactKind { return []ContactKind{ContactBesok, ContactTelefon, ContactVideo} }

// Sv returns the kind as printed: "Besök", "Telefon", "Video"; an unknown
// kind as it is.
func (k ContactKind) Sv() string {
	switch k {
	case ContactBesok:
		return "Besök"
	case ContactTelefon:
		return "Telefon"
	case ContactVideo:
		return "Video"
	}
	return string(k)
}

// PercentSv formats a share in Swedish: "12,5 %", "100 %".
func PercentSv(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', -1, 64), ".", ",", 1) + " %"
}

// Intyg is the content of one intyg. Its JSON form is a contract (the
// command line reads it, the case stores it): fields may be added, these
// keep their names. Dates are "YYYY-MM-DD" strings and personnummer are kept
// as typed, so that a draft can hold what a nurse is still typing; Validate
// says what is wrong, Normalized gives the checked, canonical form.
type Intyg struct {
	// Version counts corrections: 1 for the first intyg, +1 for each
	// correction (the old version is kept). Absent in JSON means 1; 0 in
	// a Go literal is also taken as 1.
	Version int `json:"version"`
	// CaseID is the case the intyg belongs to, when there is one.
	CaseID    int64         `json:"case_id,omitempty"`
	Child     IntygPerson   `json:"child"`
	Guardians []IntygPerson `json:"guardians"`
	// Diagnosis is "Diagnos eller symtom", at most DiagnosisMax characters.
	Diagnosis string `json:"diagnosis"`
	// Periods are when the child should not be cared for in its ordinary
	// tillsynsform, and to what extent.
	Periods []IntygPeriod `json:"periods"`
	Contact IntygContact  `json:"contact"`
	Issuer  IntygIssuer   `json:"issuer"`
	Place   string        `json:"place"`
	// Date is the intyg's date (YYYY-MM-DD). Validation is done as of
	// this date, and the PDFs take their internal dates from it.
	Date string `json:"date"`
	// FKAddress is where the original is posted, printed on it: the
	// setting SettingFKAdress when the intyg was written. Absent (older
	// intyg, the command line) means DefaultFKAddress; Normalized fills it.
	FKAddress string `json:"fk_address,omitempty"`
}

// IntygPerson is the child or a guardian.
type IntygPerson struct {
	Name string `json:"name"`
	// Personnummer or samordningsnummer, in any form ParsePersonnummerOn
	// accepts; Normalized makes it "YYYYMMDD-NNNN".
	Personnummer string `json:"personnummer"`
	// PostalAddress is a guardian's postal address for the covering
	// letter's window envelope, optional (nil: none given). The child has
	// none: Validate refuses one there.
	PostalAddress *IntygAddress `json:"postal_address,omitempty"`
}

// IntygPeriod is one period, both days included, with the share of the
// child's ordinary tillsyn time (one of IntygPercents).
type IntygPeriod struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Percent float64 `json:"percent"`
}

// IntygContact is the contact the assessment rests on.
type IntygContact struct {
	Date string      `json:"date"`
	Kind ContactKind `json:"kind"`
}

// IntygIssuer is who issues the intyg and where: from the logged-in staff
// member and the mottagning's settings.
type IntygIssuer struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	HSAID        string `json:"hsa_id"`
	Unit         string `json:"unit"`
	Address      string `json:"address"`
	Phone        string `json:"phone"`
	CareProvider string `json:"care_provider"`
}

// UnmarshalJSON decodes an intyg, taking an absent "version" as 1.
// Unknown fields are allowed: the format may grow.
func (in *Intyg) UnmarshalJSON(b []byte) error {
	type plain Intyg // no methods: no recursion
	v := plain{Version: 1}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*in = Intyg(v)
	return nil
}

// IssuedOn returns the intyg's date, or the zero Date when it is not a
// valid date.
func (in *Intyg) IssuedOn() Date { return dateOrZero(in.Date) }

// Span returns the period's first and last day; a day that is not a valid
// date is the zero Date.
func (p IntygPeriod) Span() (from, to Date) { return dateOrZero(p.From), dateOrZero(p.To) }

// On returns the date of the contact, or the zero Date when it is not valid.
func (c IntygContact) On() Date { return dateOrZero(c.Date) }

// FirstCareDay returns the earliest valid start of a period, or the zero
// Date when there is none.
func (in *Intyg) FirstCareDay() Date {
	var first Date
	for _, p := range in.Periods {
		from, _ := p.Span()
		if !from.IsZero() && (first.IsZero() || from.Before(first)) {
			first = from
		}
	}
	return first
}

// ChildTooOld reports the child's age on the first day of care and whether
// it is IntygAgeLimit (12) or more: then this intyg is the wrong one, and
// the case belongs in the doctor's flow (lakarintyg-vab-12-16). It is kept
// apart from Validate because the answer is not a correction of a field but
// a re-routing of the case. Without a valid personnummer or a valid period
// start it reports (0, false): Validate reports those.
func (in *Intyg) ChildTooOld() (age int, tooOld bool) {
	first := in.FirstCareDay()
	if first.IsZero() {
		return 0, false
	}
	pnr, err := ParsePersonnummerOn(in.Child.Personnummer, in.validationDay())
	if err != nil {
		return 0, false
	}
	age = pnr.AgeOn(first)
	return age, age >= IntygAgeLimit
}

// CheckChildAge is the rule "12 år or older" with its one message, used by
// every front end, the store and the PDFs alike: nil when the child is under
// IntygAgeLimit on the first day of care (or when ChildTooOld cannot tell,
// for want of a valid personnummer or period), otherwise an EINVALID error
// saying that the intyg does not apply and the case belongs in the doctor's
// flow (lakarintyg-vab-12-16). The message names no personnummer.
func (in *Intyg) CheckChildAge() error {
	age, tooOld := in.ChildTooOld()
	if !tooOld {
		return nil
	}
	return Errorf(EINVALID, "Barnet har fyllt %d år den första vårddagen (%s): barnet är då %d år. "+
		"Intyget för vård av barn under %d år gäller inte; det behövs ett läkarintyg. Styr om ärendet till \"%s\" (%s).",
		IntygAgeLimit, in.FirstCareDay(), age, IntygAgeLimit, TypeName(TypeVAB1216), TypeVAB1216)
}

// EarliestPeriodStart returns the earliest day a period may start for an
// intyg dated d: one calendar month before d, that is the same day of the
// month before, or that month's last day when it is shorter (31 March gives
// 28 or 29 February; 25 November gives 25 October). Unlike
// time.AddDate(0, -1, 0) it never overflows into the month of d (AddDate
// makes 31 March minus a month 3 March, only 28 days back).
func EarliestPeriodStart(d Date) Date {
	y, m := d.Year, d.Month-1
	if m < time.January {
		y, m = y-1, time.December
	}
	return Date{y, m, min(d.Day, daysIn(y, m))}
}

// Validate checks the intyg as of its own date and returns every problem at
// once as ValidationErrors, each naming its field by JSON path
// ("child.personnummer", "guardians[0].name", "periods[1].from") with a
// Swedish message. Whether the child is too old is ChildTooOld's question.
func (in *Intyg) Validate() error {
	_, err := in.Normalized()
	return err
}

// Normalized validates the intyg (see Validate) and returns a copy in
// canonical form: white space trimmed (and collapsed in one-line fields),
// text in Unicode NFC, personnummer as YYYYMMDD-NNNN, the HSA-ID
// normalised, version at least 1, and periods sorted by start. Render from
// this copy, never from raw input.
func (in *Intyg) Normalized() (*Intyg, error) {
	var errs ValidationErrors
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldErrorf(field, format, args...))
	}
	out := &Intyg{
		Version: in.Version,
		CaseID:  in.CaseID,
		Place:   oneLine(in.Place),
		Date:    strings.TrimSpace(in.Date),
		Contact: IntygContact{Date: strings.TrimSpace(in.Contact.Date), Kind: ContactKind(strings.TrimSpace(string(in.Contact.Kind)))},
		Issuer: IntygIssuer{
			Name:         oneLine(in.Issuer.Name),
			Title:        oneLine(in.Issuer.Title),
			HSAID:        strings.TrimSpace(in.Issuer.HSAID),
			Unit:         oneLine(in.Issuer.Unit),
			Address:      oneLine(in.Issuer.Address),
			Phone:        oneLine(in.Issuer.Phone),
			CareProvider: oneLine(in.Issuer.CareProvider),
		},
		Diagnosis: multiLine(in.Diagnosis),
		FKAddress: oneLine(in.FKAddress),
	}
	if out.FKAddress == "" {
		out.FKAddress = DefaultFKAddress
	}

	switch {
	case out.Version == 0:
		out.Version = 1
	case out.Version < 0:
		add("version", "versionen ska vara 1 eller högre")
	}

	// The date first: personnummer and periods are checked as of it.
	date, ok := requiredDate(&errs, "date", out.Date, "intygsdatum saknas")
	today := date
	if !ok {
		today = DateOf(time.Now()) // only to say what else is wrong
	}

	var childPnr Personnummer
	out.Child, childPnr = personOut(&errs, "child", in.Child, "barnets namn saknas", today)
	if out.Child.PostalAddress != nil {
		add("child.postal_address", "barnets adress används inte; skriv adressen hos vårdnadshavaren som följebrevet ska till")
		out.Child.PostalAddress = nil
	}

	switch n := len(in.Guardians); {
	case n == 0:
		add("guardians", "minst en vårdnadshavare behövs")
	case n > MaxGuardians:
		add("guardians", "högst %d vårdnadshavare får plats på intyget", MaxGuardians)
	}
	var firstGuardian Personnummer
	for i, g := range in.Guardians {
		field := fmt.Sprintf("guardians[%d]", i)
		gOut, pnr := personOut(&errs, field, g, "vårdnadshavarens namn saknas", today)
		out.Guardians = append(out.Guardians, gOut)
		switch {
		case pnr == "":
		case pnr == childPnr:
			add(field+".personnummer", "samma personnummer som barnet")
		case i > 0 && pnr == firstGuardian:
			add(field+".personnummer", "samma personnummer som den första vårdnadshavaren")
		}
		if i == 0 {
			firstGuardian = pnr
		}
	}

	switch n := utf8.RuneCountInString(out.Diagnosis); {
	case n == 0:
		add("diagnosis", "diagnos eller symtom saknas")
	case n > DiagnosisMax:
		add("diagnosis", "texten är %d tecken för lång (%d tecken, högst %d)", n-DiagnosisMax, n, DiagnosisMax)
	default:
		if lines := strings.Count(out.Diagnosis, "\n") + 1; lines > DiagnosisMaxLines {
			add("diagnosis", "texten har %d rader, högst %d får plats", lines, DiagnosisMaxLines)
		}
	}

	out.Periods = in.periodsOut(&errs, ok, date, childPnr)

	if cd, ok2 := requiredDate(&errs, "contact.date", out.Contact.Date, "datum för kontakten saknas"); ok2 && ok && cd.After(date) {
		add("contact.date", "kontakten kan inte vara efter intygets datum (%s)", date)
	}
	switch {
	case out.Contact.Kind == "":
		add("contact.kind", "kontaktform saknas (besok, telefon eller video)")
	case !slices.Contains(ContactKinds(), out.Contact.Kind):
		add("contact.kind", "okänd kontaktform: ska vara besok, telefon eller video")
	}

	requiredLine(&errs, "issuer.name", out.Issuer.Name, "utfärdarens namn saknas")
	requiredLine(&errs, "issuer.title", out.Issuer.Title, "utfärdarens titel saknas")
	if hsa, err := ValidateHSAID(out.Issuer.HSAID); err != nil {
		errs = append(errs, refield(err, "issuer.hsa_id"))
	} else {
		out.Issuer.HSAID = hsa
	}
	requiredLine(&errs, "issuer.unit", out.Issuer.Unit, "mottagningens namn saknas")
	requiredLine(&errs, "issuer.address", out.Issuer.Address, "mottagningens adress saknas")
	requiredLine(&errs, "issuer.phone", out.Issuer.Phone, "mottagningens telefonnummer saknas")
	requiredLine(&errs, "issuer.care_provider", out.Issuer.CareProvider, "vårdgivare saknas")
	requiredLine(&errs, "place", out.Place, "ort saknas")
	requiredLine(&errs, "fk_address", out.FKAddress, "Försäkringskassans adress saknas")

	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// personOut checks and normalises the child or a guardian, returning the
// parsed personnummer when it is valid.
func personOut(errs *ValidationErrors, field string, p IntygPerson, missingName string, today Date) (IntygPerson, Personnummer) {
	out := IntygPerson{Name: oneLine(p.Name), Personnummer: strings.TrimSpace(p.Personnummer)}
	requiredLine(errs, field+".name", out.Name, missingName)
	out.PostalAddress = p.PostalAddress.normalized(errs, field+".postal_address")
	pnr, err := ParsePersonnummerOn(p.Personnummer, today)
	if err != nil {
		*errs = append(*errs, refield(err, field+".personnummer"))
		return out, ""
	}
	out.Personnummer = pnr.String()
	return out, pnr
}

// periodsOut checks the periods and returns them normalised and sorted.
// date is the intyg's date when dateOK; child is the child's personnummer
// when valid.
func (in *Intyg) periodsOut(errs *ValidationErrors, dateOK bool, date Date, child Personnummer) []IntygPeriod {
	add := func(field, format string, args ...any) {
		*errs = append(*errs, FieldErrorf(field, format, args...))
	}
	if len(in.Periods) == 0 {
		add("periods", "minst en period behövs")
		return nil
	}
	type span struct {
		i        int
		from, to Date
	}
	var spans []span // periods whose dates are valid and in order
	out := make([]IntygPeriod, len(in.Periods))
	for i, p := range in.Periods {
		field := fmt.Sprintf("periods[%d]", i)
		out[i] = IntygPeriod{From: strings.TrimSpace(p.From), To: strings.TrimSpace(p.To), Percent: p.Percent}
		from, okFrom := requiredDate(errs, field+".from", out[i].From, "periodens första dag saknas")
		to, okTo := requiredDate(errs, field+".to", out[i].To, "periodens sista dag saknas")
		if !slices.Contains(IntygPercents, p.Percent) {
			add(field+".percent", "omfattningen ska vara 12,5, 25, 50, 75 eller 100 %%")
		}
		if okFrom && dateOK {
			if earliest := EarliestPeriodStart(date); from.Before(earliest) {
				add(field+".from", "perioden får inte börja mer än en månad före intygets datum (tidigast %s)", earliest)
			}
		}
		if okFrom && child != "" && from.Before(child.BirthDate()) {
			add(field+".from", "perioden börjar före barnets födelsedatum")
		}
		if okFrom && okTo {
			if to.Before(from) {
				add(field+".to", "sista dagen ligger före första dagen")
				continue
			}
			spans = append(spans, span{i, from, to})
		}
	}
	// Each overlap is reported once, on the later of the two periods in
	// the order they were given.
	for b := range spans {
		for a := range b {
			if spans[a].from.After(spans[b].to) || spans[b].from.After(spans[a].to) {
				continue
			}
			add(fmt.Sprintf("periods[%d].from", spans[b].i), "perioden överlappar perioden %s – %s",
				spans[a].from, spans[a].to)
			break
		}
	}
	slices.SortStableFunc(out, func(a, b IntygPeriod) int {
		return strings.Compare(a.From, b.From) // YYYY-MM-DD sorts as dates
	})
	return out
}

// requiredDate parses a required YYYY-MM-DD date, adding an error when it
// is missing or invalid.
func requiredDate(errs *ValidationErrors, field, s, missing string) (Date, bool) {
	if s == "" {
		*errs = append(*errs, FieldErrorf(field, "%s", missing))
		return Date{}, false
	}
	d, err := ParseDate(s)
	if err != nil {
		*errs = append(*errs, FieldErrorf(field, "ogiltigt datum: skriv ÅÅÅÅ-MM-DD, t.ex. 2026-11-25"))
		return Date{}, false
	}
	return d, true
}

// requiredLine checks a required one-line field and its length.
func requiredLine(errs *ValidationErrors, field, s, missing string) {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		*errs = append(*errs, FieldErrorf(field, "%s", missing))
	case n > IntygFieldMax:
		*errs = append(*errs, FieldErrorf(field, "får ha högst %d tecken (har %d)", IntygFieldMax, n))
	}
}

// refield moves a field error from a shared validator (field
// "personnummer", "hsa-id") to the field path it is about.
func refield(err error, field string) *Error {
	if e, ok := err.(*Error); ok {
		return &Error{Code: e.Code, Field: field, Message: e.Message}
	}
	return FieldErrorf(field, "ogiltigt värde")
}

// oneLine trims s, puts it in NFC (text pasted from some systems has
// decomposed å ä ö, which neither counts nor prints right) and collapses
// every run of white space, line breaks included, to one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// multiLine trims s, puts it in NFC and makes line breaks "\n", keeping
// them: a diagnosis may have more than one line.
func multiLine(s string) string {
	s = strings.ReplaceAll(norm.NFC.String(s), "\r\n", "\n")
	return strings.TrimSpace(strings.ReplaceAll(s, "\r", "\n"))
}

// validationDay is the intyg's date, or today when it has none.
func (in *Intyg) validationDay() Date {
	if d := in.IssuedOn(); !d.IsZero() {
		return d
	}
	return DateOf(time.Now())
}

func dateOrZero(s string) Date {
	d, err := ParseDate(strings.TrimSpace(s))
	if err != nil {
		return Date{}
	}
	return d
}
