package app

import (
	"strings"
	"time"
)

// Status is where a case stands.
type Status string

const (
	StatusNy       Status = "ny"                 // not assigned
	StatusFordelad Status = "fordelad"           // assigned
	StatusVantar   Status = "vantar-pa-invanare" // a motfråga was asked
	StatusPagaende Status = "pagaende"           // feedback given, work continues
	StatusAvslutad Status = "avslutad"           // closed in 1177
)

// Statuses lists every status in the order of a case's life.
func Statuses() []Status {
	return []Status{StatusNy, StatusFordelad, StatusVantar, StatusPagaende, StatusAvslutad}
}

// Swedish returns the status as staff read it.
func (s Status) Swedish() string {
	switch s {
	case StatusNy:
		return "Ny"
	case StatusFordelad:
		return "Fördelad"
	case StatusVantar:
		return "Väntar på invånare"
	case StatusPagaende:
		return "Pågående"
	case StatusAvslutad:
		return "Avslutad"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses() {
		if s == v {
			return true
		}
	}
	return false
}

// StepState records who ticked a step and when.
type StepState struct {
	By string // HSA-ID
	At time.Time
}

// Case is an ärende.
type Case struct {
	ID              int64
	Type            string
	Unit            string
	Reference       string // Ärendenummer; empty when unknown
	MessageID       string // of the notice that made it; empty when added by hand
	ReceivedAt      time.Time
	DueDate         Date
	Status          Status
	Assignee        string // HSA-ID; empty when not assigned
	FirstFeedbackAt *time.Time
	ClosedAt        *time.Time
	Branch          string               // chosen branch of a forking flow
	Steps           map[string]StepState // ticked steps by key
	// The patient, when staff have entered one (never from a notice).
	PatientPnr  Personnummer
	PatientName string

	// CitizenAnsweredAt is when the citizen last answered (a motfråga, or
	// a new message in the same ärende); nil when never.
	CitizenAnsweredAt *time.Time
	// NextFeedbackDue is the date by which the citizen's last answer must
	// have had feedback: the second working day after CitizenAnsweredAt.
	// Zero when the citizen never answered. It is not cleared by the
	// feedback: CitizenPending says whether it is still owed.
	NextFeedbackDue Date
	// LastFeedbackAt is the latest feedback still standing; nil when none.
	LastFeedbackAt *time.Time
	// LastActionAt is when a person, or the citizen, last did anything
	// with the case; zero when nobody has (then ReceivedAt counts).
	LastActionAt time.Time
	// Feedback is the feedback given, oldest first: what undoing a step
	// that counted as feedback goes back to. A case stored before this
	// field existed has none; it is rebuilt from FirstFeedbackAt and the
	// ticked steps when needed.
	Feedback []FeedbackMark

	// Broken says, in Swedish, why the stored row could not be read
	// whole (a date that is no date, a received time before 2000 or
	// centuries ahead); "" for a sound case. A broken case is still
	// listed, with this reason, never hidden; the fields that could not be
	// read are zero. The store refuses to change it. Not stored itself.
	Broken string

	// Version is the id of the case's latest event when it was read: a
	// view remembers it, and UpdateCaseIf (CaseVersionStore) tells by it
	// whether someone changed the case since. Not stored itself.
	Version int64
	// RecentReply is the name of the standard reply whose marking as sent
	// was the case's latest change, "" when the latest change was
	// something else (RecentReply of the latest events). Not stored
	// itself: the store reads it with the case, and SendReply records
	// nothing when the same reply is marked again.
	RecentReply string
}

// FeedbackMark is one feedback to the citizen.
type FeedbackMark struct {
	At   time.Time
	Kind string // FeedbackDelsvar, FeedbackSvar or ReplyActionMotfraga
	// Step is the key of the ticked step that recorded it; "" when it was
	// an action without a step (a motfråga) or the step is gone (re-route).
	Step string
}

// Clone returns a deep copy of c: changing one does not change the other.
func (c *Case) Clone() *Case {
	d := *c
	if c.FirstFeedbackAt != nil {
		t := *c.FirstFeedbackAt
		d.FirstFeedbackAt = &t
	}
	if c.ClosedAt != nil {
		t := *c.ClosedAt
		d.ClosedAt = &t
	}
	if c.Steps != nil {
		d.Steps = make(map[string]StepState, len(c.Steps))
		for k, v := range c.Steps {
			d.Steps[k] = v
		}
	}
	if c.CitizenAnsweredAt != nil {
		t := *c.CitizenAnsweredAt
		d.CitizenAnsweredAt = &t
	}
	if c.LastFeedbackAt != nil {
		t := *c.LastFeedbackAt
		d.LastFeedbackAt = &t
	}
	if c.Feedback != nil {
		d.Feedback = append([]FeedbackMark(nil), c.Feedback...)
	}
	return &d
}

// Flow returns the case's flow.
func (c *Case) Flow() Flow { return FlowOf(c.Type) }

// TypeInfo returns the case's type.
func (c *Case) TypeInfo() CaseType {
	t, ok := CaseTypeByKey(c.Type)
	if !ok {
		t, _ = CaseTypeByKey(TypeOkand)
	}
	return t
}

// Flag returns the case's deadline flag at now. An open case whose
// citizen has answered and has had no feedback since is on a new
// two-working-day clock (NextFeedbackDue), flagged like the first:
// citizen-answered while in time, then due-today, then overdue.
func (c *Case) Flag(now time.Time) Flag {
	f := DeadlineFlag(c.DueDate, c.FirstFeedbackAt, c.ClosedAt, now)
	if f == FlagAnswered && c.CitizenPending() {
		switch today := DateOf(now); {
		case today == c.NextFeedbackDue:
			return FlagDueToday
		case today.After(c.NextFeedbackDue):
			return FlagOverdue
		}
		return FlagCitizenAnswered
	}
	return f
}

// CitizenPending reports whether the citizen has answered and has had no
// feedback since, on an open case: the case is back in the inbox as
// "Invånaren har svarat".
func (c *Case) CitizenPending() bool {
	return c.Status != StatusAvslutad && c.CitizenAnsweredAt != nil && !c.NextFeedbackDue.IsZero() &&
		(c.LastFeedbackAt == nil || c.LastFeedbackAt.Before(*c.CitizenAnsweredAt))
}

// FeedbackDue returns the date by which the citizen must next hear from
// the clinic, and whether any feedback is owed at all: the first clock
// (DueDate) while there has been no feedback, the citizen's clock
// (NextFeedbackDue) while CitizenPending, none otherwise or when closed.
func (c *Case) FeedbackDue() (Date, bool) {
	switch {
	case c.Status == StatusAvslutad:
		return Date{}, false
	case c.FirstFeedbackAt == nil:
		return c.DueDate, true
	case c.CitizenPending():
		return c.NextFeedbackDue, true
	}
	return Date{}, false
}

// ShownDue is the "Svar senast" date to show: the clock that runs now
// (the citizen's new clock after an answer), else the first deadline, so
// a case answered late still shows the date it was late against.
func (c *Case) ShownDue() Date {
	if d, ok := c.FeedbackDue(); ok {
		return d
	}
	return c.DueDate
}

// HasPatientData reports whether opening the case shows patient data and
// so must be written to the access log.
func (c *Case) HasPatientData() bool { return c.PatientPnr != "" || c.PatientName != "" }

// MeliorWarning reports the routine's own warning: documented in Melior but
// not closed in 1177. Only the Melior step of the case's own checklist
// (its type and chosen branch) counts.
func (c *Case) MeliorWarning() bool {
	if c.Status == StatusAvslutad {
		return false
	}
	if _, done := c.Steps[StepMelior]; !done {
		return false
	}
	for _, s := range c.Flow().StepsFor(c.Branch) {
		if s.Key == StepMelior {
			return true
		}
	}
	return false
}

// RemainingSteps returns the flow steps the case has not ticked, in the
// flow's order: the common steps and those of the chosen branch. An
// alternative step (Step.Alt) is not left once another of its group is
// ticked. Steps a case stored under an older routine never saw are
// simply unticked.
func (c *Case) RemainingSteps() []Step {
	steps := c.Flow().StepsFor(c.Branch)
	altDone := map[string]bool{}
	for _, s := range steps {
		if _, done := c.Steps[s.Key]; done && s.Alt != "" {
			altDone[s.Alt] = true
		}
	}
	var out []Step
	for _, s := range steps {
		if _, done := c.Steps[s.Key]; !done && !(s.Alt != "" && altDone[s.Alt]) {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks a case before it is first stored.
func (c *Case) Validate() error {
	var errs ValidationErrors
	if _, ok := CaseTypeByKey(c.Type); !ok {
		errs = append(errs, FieldErrorf("type", "okänd ärendetyp %q", c.Type))
	}
	if c.ReceivedAt.IsZero() {
		errs = append(errs, FieldErrorf("received", "inkommen tid saknas"))
	}
	if !c.Status.Valid() {
		errs = append(errs, FieldErrorf("status", "okänd status %q", c.Status))
	}
	if len(c.Unit) > 200 {
		errs = append(errs, FieldErrorf("unit", "mottagningens namn är för långt (högst 200 tecken)"))
	} else if err := CheckText("unit", c.Unit); err != nil {
		errs = append(errs, err.(*Error))
	}
	if len(c.Reference) > 100 {
		errs = append(errs, FieldErrorf("reference", "ärendenumret är för långt (högst 100 tecken)"))
	} else if err := CheckText("reference", c.Reference); err != nil {
		errs = append(errs, err.(*Error))
	}
	return errs.Err()
}

// NewCase returns a case of type typeKey received at received, with its
// due date from cal and status ny.
func NewCase(typeKey string, received time.Time, cal *Calendar) *Case {
	received = received.In(Stockholm)
	return &Case{
		Type:       typeKey,
		ReceivedAt: received,
		DueDate:    cal.DueDate(received),
		Status:     StatusNy,
		Steps:      map[string]StepState{},
	}
}

// LastFeedbackAtOrFirst returns LastFeedbackAt, or FirstFeedbackAt for a
// case stored before LastFeedbackAt was kept; nil when neither is set.
func (c *Case) LastFeedbackAtOrFirst() *time.Time {
	if c.LastFeedbackAt != nil {
		return c.LastFeedbackAt
	}
	return c.FirstFeedbackAt
}

// AuditCaseChange returns the access-log row for a change of a case from
// before to after with events evs, by actor; nil when neither before nor
// after holds patient data. When the patient was removed, the row still
// says whose data it was.
func AuditCaseChange(before, after *Case, actor string, evs []Event) *AuditEntry {
	if !before.HasPatientData() && !after.HasPatientData() {
		return nil
	}
	patient := after.PatientPnr
	if patient == "" {
		patient = before.PatientPnr
	}
	kinds := make([]string, len(evs))
	for i, e := range evs {
		kinds[i] = string(e.Kind)
	}
	return &AuditEntry{Actor: actor, Unit: after.Unit, Patient: patient, CaseID: after.ID,
		Action: AuditChange, Detail: strings.Join(kinds, ",")}
}
