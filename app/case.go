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

// Flag returns the case's deadline flag at now.
func (c *Case) Flag(now time.Time) Flag {
	return DeadlineFlag(c.DueDate, c.FirstFeedbackAt, c.ClosedAt, now)
}

// HasPatientData reports whether opening the case shows patient data and
// so must be written to the access log.
func (c *Case) HasPatientData() bool { return c.PatientPnr != "" || c.PatientName != "" }

// MeliorWarning reports the routine's own warning: documented in Melior but
// not closed in 1177.
func (c *Case) MeliorWarning() bool {
	_, done := c.Steps[StepMelior]
	_, exists := c.Flow().Step(StepMelior)
	return exists && done && c.Status != StatusAvslutad
}

// RemainingSteps returns the flow steps the case has not ticked.
func (c *Case) RemainingSteps() []Step {
	var out []Step
	for _, s := range c.Flow().StepsFor(c.Branch) {
		if _, done := c.Steps[s.Key]; !done {
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
	}
	if len(c.Reference) > 100 {
		errs = append(errs, FieldErrorf("reference", "ärendenumret är för långt (högst 100 tecken)"))
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

func errClosed() error {
	return Errorf(ECONFLICT, "Ärendet är avslutat. Återöppna det först.")
}

func (c *Case) event(kind EventKind, actor string, now time.Time, detail string) Event {
	return Event{CaseID: c.ID, Kind: kind, Actor: actor, At: now, Detail: detail}
}

// Assign gives the case to staff member hsaID.
func (c *Case) Assign(hsaID, actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	if hsaID == "" {
		return nil, FieldErrorf("assignee", "välj vem ärendet ska fördelas till")
	}
	if hsaID == c.Assignee {
		return nil, Errorf(ECONFLICT, "Ärendet är redan fördelat till %s.", hsaID)
	}
	c.Assignee = hsaID
	if c.Status == StatusNy {
		c.Status = StatusFordelad
	}
	return []Event{c.event(EventAssigned, actor, now, hsaID)}, nil
}

// feedback records feedback to the citizen: the first one stops the clock.
func (c *Case) feedback(now time.Time) {
	if c.FirstFeedbackAt == nil {
		t := now
		c.FirstFeedbackAt = &t
	}
}

// tickFeedbackStep ticks the flow's step that records feedback of kind,
// if the flow has one and it is not ticked.
func (c *Case) tickFeedbackStep(kind, actor string, now time.Time) []Event {
	for _, s := range c.Flow().StepsFor(c.Branch) {
		if s.Feedback != kind {
			continue
		}
		if _, done := c.Steps[s.Key]; done {
			continue
		}
		c.Steps[s.Key] = StepState{By: actor, At: now}
		return []Event{c.event(EventStepDone, actor, now, s.Key)}
	}
	return nil
}

// Delsvar records that a delsvar was sent in 1177.
func (c *Case) Delsvar(actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	c.feedback(now)
	c.Status = StatusPagaende
	ev := []Event{c.event(EventDelsvar, actor, now, "")}
	return append(ev, c.tickFeedbackStep(FeedbackDelsvar, actor, now)...), nil
}

// Motfraga records that a motfråga was asked: the case waits for the citizen.
func (c *Case) Motfraga(actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	if c.Status == StatusVantar {
		return nil, Errorf(ECONFLICT, "En motfråga väntar redan på svar från invånaren.")
	}
	c.feedback(now)
	c.Status = StatusVantar
	return []Event{c.event(EventMotfraga, actor, now, "")}, nil
}

// CitizenReplied records that the citizen answered a motfråga.
func (c *Case) CitizenReplied(actor string, now time.Time) ([]Event, error) {
	if c.Status != StatusVantar {
		return nil, Errorf(ECONFLICT, "Ärendet väntar inte på svar från invånaren.")
	}
	c.Status = StatusPagaende
	return []Event{c.event(EventReply, actor, now, "")}, nil
}

// Close records the final answer in 1177: besvarat och avslutat.
func (c *Case) Close(actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, Errorf(ECONFLICT, "Ärendet är redan avslutat.")
	}
	c.feedback(now)
	t := now
	c.ClosedAt = &t
	c.Status = StatusAvslutad
	ev := []Event{c.event(EventSvar, actor, now, "")}
	return append(ev, c.tickFeedbackStep(FeedbackSvar, actor, now)...), nil
}

// Reopen takes a closed case back into work.
func (c *Case) Reopen(actor string, now time.Time) ([]Event, error) {
	if c.Status != StatusAvslutad {
		return nil, Errorf(ECONFLICT, "Ärendet är inte avslutat.")
	}
	c.ClosedAt = nil
	switch {
	case c.FirstFeedbackAt != nil:
		c.Status = StatusPagaende
	case c.Assignee != "":
		c.Status = StatusFordelad
	default:
		c.Status = StatusNy
	}
	return []Event{c.event(EventReopened, actor, now, "")}, nil
}

// SetStep ticks (done) or unticks a flow step. Ticking a step that records
// feedback is the same as the matching action, so the two cannot disagree.
// Steps stay open to change on a closed case: a doctor's certificate is
// written after the case is closed in 1177.
func (c *Case) SetStep(key string, done bool, actor string, now time.Time) ([]Event, error) {
	var step *Step
	for _, s := range c.Flow().StepsFor(c.Branch) {
		if s.Key == key {
			step = &s
			break
		}
	}
	if step == nil {
		return nil, FieldErrorf("step", "steget %q finns inte i ärendets rutin", key)
	}
	_, was := c.Steps[key]
	if was == done {
		if done {
			return nil, Errorf(ECONFLICT, "Steget är redan markerat som klart.")
		}
		return nil, Errorf(ECONFLICT, "Steget är inte markerat som klart.")
	}
	if !done {
		delete(c.Steps, key)
		return []Event{c.event(EventStepUndone, actor, now, key)}, nil
	}
	if c.Steps == nil {
		c.Steps = map[string]StepState{}
	}
	c.Steps[key] = StepState{By: actor, At: now}
	ev := []Event{c.event(EventStepDone, actor, now, key)}
	switch {
	case step.Feedback == FeedbackDelsvar && c.Status != StatusAvslutad:
		c.feedback(now)
		c.Status = StatusPagaende
		ev = append(ev, c.event(EventDelsvar, actor, now, ""))
	case step.Feedback == FeedbackSvar && c.Status != StatusAvslutad:
		c.feedback(now)
		t := now
		c.ClosedAt = &t
		c.Status = StatusAvslutad
		ev = append(ev, c.event(EventSvar, actor, now, ""))
	}
	return ev, nil
}

// ChooseBranch picks the way through a forking flow (avboka-omboka).
func (c *Case) ChooseBranch(branch, actor string, now time.Time) ([]Event, error) {
	f := c.Flow()
	b, ok := f.Branch(branch)
	if !ok {
		return nil, FieldErrorf("branch", "vägen %q finns inte för ärendetypen", branch)
	}
	if branch == c.Branch {
		return nil, Errorf(ECONFLICT, "Vägen är redan vald.")
	}
	c.Branch = branch
	return []Event{c.event(EventBranch, actor, now, b.Name)}, nil
}

// Reroute changes the case's type, for example from vård av barn under 12
// år to the doctor's flow when the child is 12 or older. Ticked steps whose
// keys the new flow also has are kept; the due date is unchanged, since the
// citizen's clock started when the case came in.
func (c *Case) Reroute(typeKey, actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	if err := ValidateTypeKey("type", typeKey); err != nil {
		return nil, err
	}
	if typeKey == c.Type {
		return nil, Errorf(ECONFLICT, "Ärendet har redan typen %s.", TypeName(typeKey))
	}
	from := c.Type
	c.Type = typeKey
	c.Branch = ""
	f := c.Flow()
	for k := range c.Steps {
		if _, ok := f.Step(k); !ok {
			delete(c.Steps, k)
		}
	}
	return []Event{c.event(EventRerouted, actor, now, from+"→"+typeKey)}, nil
}

// AddNote adds a free-text note to the case.
func (c *Case) AddNote(text, actor string, now time.Time) ([]Event, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, FieldErrorf("note", "anteckningen är tom")
	}
	if len(text) > 4000 {
		return nil, FieldErrorf("note", "anteckningen är för lång (högst 4000 tecken)")
	}
	return []Event{c.event(EventNote, actor, now, text)}, nil
}

// SetPatient records the patient the case is about.
func (c *Case) SetPatient(pnr, name, actor string, now time.Time) ([]Event, error) {
	var p Personnummer
	if strings.TrimSpace(pnr) != "" {
		var err error
		if p, err = ParsePersonnummerOn(pnr, DateOf(now)); err != nil {
			return nil, err
		}
	}
	name = strings.TrimSpace(name)
	if len(name) > 200 {
		return nil, FieldErrorf("name", "namnet är för långt (högst 200 tecken)")
	}
	c.PatientPnr, c.PatientName = p, name
	return []Event{c.event(EventPatient, actor, now, "")}, nil
}

// ApplyNotice applies a later notice about the same case (same reference):
// a tilldelat notice assigns the case to the mailbox owner.
func (c *Case) ApplyNotice(n Notice, assignee string, now time.Time) []Event {
	ev := []Event{c.event(EventNotice, ActorSystem, now, n.Kind)}
	if c.Type == TypeOkand && n.Type != TypeOkand && n.Type != "" {
		from := c.Type
		c.Type = n.Type
		ev = append(ev, c.event(EventRerouted, ActorSystem, now, from+"→"+n.Type))
	}
	if c.Unit == "" {
		c.Unit = n.Unit
	}
	if n.Kind == NoticeTilldelat && c.Status != StatusAvslutad {
		if assignee != "" && assignee != c.Assignee {
			c.Assignee = assignee
			ev = append(ev, c.event(EventAssigned, ActorSystem, now, assignee))
		}
		if c.Status == StatusNy {
			c.Status = StatusFordelad
		}
	}
	return ev
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
