package app

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// The receptförfrågningslogg: the clinic's old shared sheet
// "Receptförfrågningar BUP.xlsx", kept by the product. A nurse notes each
// request to renew a prescription there, usually from a fornya-recept case
// (its flow step StepReceptlogg).

// StepReceptlogg is the fornya-recept flow step "Noterat i
// receptförfrågningsloggen": adding a log entry from such a case ticks it.
const StepReceptlogg = "receptlogg"

// ReceptStatus is where a prescription request stands. Keys are stored and
// printed; Swedish() is what staff read and what the export shows.
type ReceptStatus string

const (
	ReceptMottagen ReceptStatus = "mottagen"
	ReceptSkickad  ReceptStatus = "skickad-till-lakare"
	ReceptFornyad  ReceptStatus = "fornyad"
	ReceptAvbojd   ReceptStatus = "avbojd"
)

// ReceptStatuses lists the statuses in the order a request moves through.
func ReceptStatuses() []ReceptStatus {
	return []ReceptStatus{ReceptMottagen, ReceptSkickad, ReceptFornyad, ReceptAvbojd}
}

// Swedish returns the status as staff read it; an unknown key as it is.
func (s ReceptStatus) Swedish() string {
	switch s {
	case ReceptMottagen:
		return "Mottagen"
	case ReceptSkickad:
		return "Skickad till läkare"
	case ReceptFornyad:
		return "Förnyad"
	case ReceptAvbojd:
		return "Avböjd"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ReceptStatus) Valid() bool {
	for _, v := range ReceptStatuses() {
		if s == v {
			return true
		}
	}
	return false
}

// ParseReceptStatus accepts a status key or its Swedish name, ignoring case
// and surrounding space.
func ParseReceptStatus(s string) (ReceptStatus, error) {
	s = strings.TrimSpace(s)
	for _, v := range ReceptStatuses() {
		if strings.EqualFold(s, string(v)) || strings.EqualFold(s, v.Swedish()) {
			return v, nil
		}
	}
	return "", FieldErrorf("status", "okänd status %q (giltiga: Mottagen, Skickad till läkare, Förnyad, Avböjd)", s)
}

// Longest accepted texts, in characters.
const (
	receptMaxName      = 200
	receptMaxLakemedel = 500
	receptMaxLakare    = 200
	receptMaxNote      = 2000
)

// ReceptEntry is one row of the receptförfrågningslogg.
type ReceptEntry struct {
	ID     int64
	CaseID int64 // the fornya-recept case it came from; 0 when none
	Date   Date  // the day the request was noted
	// PatientPnr is a validated personnummer or samordningsnummer once
	// Validate has run; before that, whatever the user typed.
	PatientPnr         Personnummer
	PatientName        string
	Lakemedel          string // free text: the medicine(s) asked for
	ForskrivandeLakare string
	Status             ReceptStatus
	Note               string
	Nurse              string // HSA-ID of the nurse who noted it
	CreatedAt          time.Time
}

// Validate normalises e (trimmed texts, the 12-digit personnummer, the
// HSA-ID) and returns every problem at once, each naming its field:
// "date", "personnummer", "name", "lakemedel", "lakare", "status", "note",
// "nurse". A 10-digit personnummer is read as of the entry's date.
func (e *ReceptEntry) Validate() error {
	var errs ValidationErrors
	e.PatientName = strings.TrimSpace(e.PatientName)
	e.Lakemedel = strings.TrimSpace(e.Lakemedel)
	e.ForskrivandeLakare = strings.TrimSpace(e.ForskrivandeLakare)
	e.Note = strings.TrimSpace(e.Note)
	e.Nurse = strings.TrimSpace(e.Nurse)

	ref := e.Date
	switch {
	case e.Date.IsZero():
		errs = append(errs, FieldErrorf("date", "datum saknas"))
		ref = DateOf(time.Now())
	case e.Date.Year < 2000 || e.Date.Year > 2200:
		errs = append(errs, FieldErrorf("date", "datumet %s är orimligt", e.Date))
	}
	if p, err := ParsePersonnummerOn(string(e.PatientPnr), ref); err != nil {
		errs = append(errs, asFieldError(err, "personnummer"))
	} else {
		e.PatientPnr = p
	}
	errs = appendText(errs, "name", e.PatientName, receptMaxName, "patientens namn saknas", "namnet")
	errs = appendText(errs, "lakemedel", e.Lakemedel, receptMaxLakemedel, "läkemedel saknas", "läkemedelstexten")
	errs = appendText(errs, "lakare", e.ForskrivandeLakare, receptMaxLakare, "förskrivande läkare saknas", "läkarens namn")
	if !e.Status.Valid() {
		errs = append(errs, FieldErrorf("status", "välj status: Mottagen, Skickad till läkare, Förnyad eller Avböjd"))
	}
	if n := utf8.RuneCountInString(e.Note); n > receptMaxNote {
		errs = append(errs, FieldErrorf("note", "anteckningen är för lång (%d tecken, högst %d)", n, receptMaxNote))
	}
	if e.Nurse == "" {
		errs = append(errs, FieldErrorf("nurse", "sjuksköterskans HSA-id saknas"))
	} else if id, err := ValidateHSAID(e.Nurse); err != nil {
		errs = append(errs, FieldErrorf("nurse", "sjuksköterskans HSA-id är ogiltigt: %s", errText(err)))
	} else {
		e.Nurse = id
	}
	if e.CaseID < 0 {
		errs = append(errs, FieldErrorf("case", "ogiltigt ärendenummer"))
	}
	return errs.Err()
}

// ValidateAt validates e as of now: Validate, and no date after today.
func (e *ReceptEntry) ValidateAt(now time.Time) error {
	var errs ValidationErrors
	if err := e.Validate(); err != nil && !errors.As(err, &errs) {
		return err
	}
	if today := DateOf(now); e.Date.After(today) {
		errs = append(errs, FieldErrorf("date", "datumet %s ligger efter dagens datum", e.Date))
	}
	return errs.Err()
}

// PrepareNew readies a new entry noted by actor: the access log needs
// actor, the nurse defaults to actor, and the entry must be valid as of now.
func (e *ReceptEntry) PrepareNew(actor string, now time.Time) error {
	if err := RequireActor(actor); err != nil {
		return err
	}
	if strings.TrimSpace(e.Nurse) == "" {
		e.Nurse = actor
	}
	return e.ValidateAt(now)
}

// PrepareChange readies e as the changed form of old: the nurse who noted
// it and when stay as first stored, and e must be valid as of now.
func (e *ReceptEntry) PrepareChange(old *ReceptEntry, now time.Time) error {
	e.Nurse, e.CreatedAt = old.Nurse, old.CreatedAt
	return e.ValidateAt(now)
}

// CaseToNote returns the case whose StepReceptlogg storing e ticks: e's
// case when e is new (old is nil) or names another case than old did; 0
// when none.
func (e *ReceptEntry) CaseToNote(old *ReceptEntry) int64 {
	if old != nil && old.CaseID == e.CaseID {
		return 0
	}
	return e.CaseID
}

// NoteOnCase decides what noting e does to its case c (the case with
// e.CaseID; nil when there is none): c must exist and be a fornya-recept
// case, and its step StepReceptlogg is ticked unless it is already. It
// changes c and returns the events to store with it, none when the step
// was ticked before. An entry without a case changes nothing.
func (e *ReceptEntry) NoteOnCase(c *Case, actor string, now time.Time) ([]Event, error) {
	if e.CaseID == 0 {
		return nil, nil
	}
	if c == nil {
		return nil, FieldErrorf("case", "ärende nr %d finns inte", e.CaseID)
	}
	if c.Type != TypeFornyaRecept {
		return nil, FieldErrorf("case", "ärende nr %d är inte ett ärende av typen %s utan %s",
			e.CaseID, TypeName(TypeFornyaRecept), TypeName(c.Type))
	}
	if _, done := c.Steps[StepReceptlogg]; done {
		return nil, nil
	}
	return c.SetStep(StepReceptlogg, true, actor, now)
}

// RequireActor refuses to show or change patient data for nobody: the
// access log must say who.
func RequireActor(actor string) error {
	if strings.TrimSpace(actor) == "" {
		return Errorf(EINVALID, "Åtkomstloggen kräver vem som gjorde åtgärden.")
	}
	return nil
}

// errText returns the message of a domain error without its field name.
func errText(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// appendText checks a required text of at most max characters.
func appendText(errs ValidationErrors, field, s string, max int, missing, what string) ValidationErrors {
	if s == "" {
		return append(errs, FieldErrorf(field, "%s", missing))
	}
	if n := utf8.RuneCountInString(s); n > max {
		return append(errs, FieldErrorf(field, "%s är för långt (%d tecken, högst %d)", what, n, max))
	}
	return errs
}

// ReceptFilter selects log rows. The zero value selects every row.
type ReceptFilter struct {
	From, To Date // inclusive; zero means open
	Status   ReceptStatus
	Nurse    string // HSA-ID
	CaseID   int64
	// Search matches patient name, läkemedel, förskrivande läkare and
	// personnummer (with or without century and hyphen), ignoring case.
	Search string
	Limit  int // 0 means no limit
	Offset int
}

// Validate checks the filter's own consistency: a range that ends before
// it starts, or an unknown status.
func (f ReceptFilter) Validate() error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return FieldErrorf("to", "slutdatumet %s ligger före startdatumet %s", f.To, f.From)
	}
	if f.Status != "" && !f.Status.Valid() {
		return FieldErrorf("status", "okänd status %q", f.Status)
	}
	return nil
}

// SearchTerm is f.Search as the log is searched by: lower case, and one
// that looks like (part of) a personnummer without its hyphen, plus and
// spaces, so that "981224-9803" finds the stored "199812249803".
func (f ReceptFilter) SearchTerm() string {
	s := strings.ToLower(strings.TrimSpace(f.Search))
	digitsOnly := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == '-' || r == '+' || r == ' ':
			return -1
		}
		return 'x'
	}, s)
	if digitsOnly != "" && !strings.Contains(digitsOnly, "x") {
		return digitsOnly
	}
	return s
}

// ReceptStore keeps the receptförfrågningslogg. Every method that shows or
// hands out rows writes the access log (action "visa" or "exportera", one
// row per patient) in the same transaction as the read.
type ReceptStore interface {
	// AddRecept validates and stores a new entry; Nurse defaults to actor.
	// With a CaseID it must be a fornya-recept case, whose step
	// StepReceptlogg is ticked in the same transaction.
	AddRecept(ctx context.Context, e *ReceptEntry, actor string) error
	// UpdateRecept validates and stores changes to an entry. Nurse and
	// CreatedAt are kept as first stored.
	UpdateRecept(ctx context.Context, e *ReceptEntry, actor string) error
	// Recept returns one entry. ENOTFOUND when there is none.
	Recept(ctx context.Context, id int64, actor string) (*ReceptEntry, error)
	// ReceptEntries returns the entries that match f, newest first, and
	// how many match in all.
	ReceptEntries(ctx context.Context, f ReceptFilter, actor string) ([]ReceptEntry, int, error)
	// ExportRecept hands the entries that match f (Limit ignored), oldest
	// first, to write, and logs the export only when write succeeds.
	ExportRecept(ctx context.Context, f ReceptFilter, actor string, write func([]ReceptEntry) error) error
}
