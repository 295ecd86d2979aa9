package app

import (
	"sort"
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

func errClosed() error {
	return Errorf(ECONFLICT, "Ärendet är avslutat. Återöppna det först.")
}

// event returns an event of the case. Every event by a person, and the
// citizen's answer, is an action: it moves LastActionAt (the "Ingen
// åtgärd på N dagar" clock). Intake's own bookkeeping is not.
func (c *Case) event(kind EventKind, actor string, now time.Time, detail string) Event {
	if (actor != ActorSystem || kind == EventReply) && now.After(c.LastActionAt) {
		c.LastActionAt = now
	}
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

// feedback records feedback of kind to the citizen, recorded by step
// (""when none): the first one stops the clock, the latest answers the
// citizen.
func (c *Case) feedback(now time.Time, kind, step string) {
	c.Feedback = append(c.feedbackMarks(), FeedbackMark{At: now, Kind: kind, Step: step})
	c.syncFeedback()
}

// feedbackMarks returns c.Feedback, or for a case stored before marks
// were kept, the marks its ticked feedback steps and FirstFeedbackAt
// imply.
func (c *Case) feedbackMarks() []FeedbackMark {
	if len(c.Feedback) > 0 || c.FirstFeedbackAt == nil {
		return append([]FeedbackMark(nil), c.Feedback...)
	}
	var marks []FeedbackMark
	first := false
	for _, s := range c.Flow().StepsFor(c.Branch) {
		st, done := c.Steps[s.Key]
		if !done || (s.Feedback != FeedbackDelsvar && s.Feedback != FeedbackSvar) {
			continue
		}
		marks = append(marks, FeedbackMark{At: st.At, Kind: s.Feedback, Step: s.Key})
		first = first || st.At.Equal(*c.FirstFeedbackAt)
	}
	if !first {
		marks = append(marks, FeedbackMark{At: *c.FirstFeedbackAt})
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].At.Before(marks[j].At) })
	return marks
}

// syncFeedback sets FirstFeedbackAt and LastFeedbackAt from c.Feedback.
func (c *Case) syncFeedback() {
	c.FirstFeedbackAt, c.LastFeedbackAt = nil, nil
	for _, m := range c.Feedback {
		if c.FirstFeedbackAt == nil || m.At.Before(*c.FirstFeedbackAt) {
			t := m.At
			c.FirstFeedbackAt = &t
		}
		if c.LastFeedbackAt == nil || m.At.After(*c.LastFeedbackAt) {
			t := m.At
			c.LastFeedbackAt = &t
		}
	}
}

// tickFeedbackStep ticks the flow's step that records feedback of kind,
// if the flow has one and it is not ticked, and returns its key ("" when
// none was ticked).
func (c *Case) tickFeedbackStep(kind, actor string, now time.Time) (string, []Event) {
	for _, s := range c.Flow().StepsFor(c.Branch) {
		if s.Feedback != kind {
			continue
		}
		if _, done := c.Steps[s.Key]; done {
			continue
		}
		if c.Steps == nil {
			c.Steps = map[string]StepState{}
		}
		c.Steps[s.Key] = StepState{By: actor, At: now}
		return s.Key, []Event{c.event(EventStepDone, actor, now, s.Key)}
	}
	return "", nil
}

// Delsvar records that a delsvar was sent in 1177.
func (c *Case) Delsvar(actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	c.Status = StatusPagaende
	ev := []Event{c.event(EventDelsvar, actor, now, "")}
	key, more := c.tickFeedbackStep(FeedbackDelsvar, actor, now)
	c.feedback(now, FeedbackDelsvar, key)
	return append(ev, more...), nil
}

// Motfraga records that a motfråga was asked: the case waits for the citizen.
func (c *Case) Motfraga(actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	if c.Status == StatusVantar {
		return nil, Errorf(ECONFLICT, "En motfråga väntar redan på svar från invånaren.")
	}
	c.feedback(now, ReplyActionMotfraga, "")
	c.Status = StatusVantar
	return []Event{c.event(EventMotfraga, actor, now, "")}, nil
}

// defaultCalendar is the calendar of CitizenReplied and ApplyNotice, which
// are not given one: Swedish holidays without the clinic's own closed days.
var defaultCalendar = NewCalendar()

// CitizenReplied records that the citizen answered a motfråga, on the
// Swedish calendar without the clinic's closed days; CitizenAnswered
// takes the clinic's calendar.
func (c *Case) CitizenReplied(actor string, now time.Time) ([]Event, error) {
	return c.CitizenAnswered(actor, now, defaultCalendar)
}

// CitizenAnswered records "Invånaren har svarat" on a case waiting for
// the citizen: the case is back in work and owes the citizen feedback
// within two working days of now by cal (NextFeedbackDue), flagged like
// the first deadline.
func (c *Case) CitizenAnswered(actor string, now time.Time, cal *Calendar) ([]Event, error) {
	if c.Status != StatusVantar {
		return nil, Errorf(ECONFLICT, "Ärendet väntar inte på svar från invånaren.")
	}
	c.citizenAnswered(now, cal)
	return []Event{c.event(EventReply, actor, now, "")}, nil
}

func (c *Case) citizenAnswered(now time.Time, cal *Calendar) {
	t := now
	c.CitizenAnsweredAt = &t
	c.NextFeedbackDue = cal.DueDate(now)
	c.Status = StatusPagaende
}

// Close records the case's closing in 1177: besvarat och avslutat, the
// final answer; or, for a type that ClosesWithoutReply (the doctor's
// certificates), avslutat utan svar, which is no feedback to the citizen.
func (c *Case) Close(actor string, now time.Time) ([]Event, error) {
	if c.Status == StatusAvslutad {
		return nil, Errorf(ECONFLICT, "Ärendet är redan avslutat.")
	}
	t := now
	c.ClosedAt = &t
	c.Status = StatusAvslutad
	if c.TypeInfo().ClosesWithoutReply() {
		ev := []Event{c.event(EventAvslutatUtanSvar, actor, now, "")}
		_, more := c.tickFeedbackStep(FeedbackAvslut, actor, now)
		return append(ev, more...), nil
	}
	ev := []Event{c.event(EventSvar, actor, now, "")}
	key, more := c.tickFeedbackStep(FeedbackSvar, actor, now)
	c.feedback(now, FeedbackSvar, key)
	return append(ev, more...), nil
}

// Reopen takes a closed case back into work.
func (c *Case) Reopen(actor string, now time.Time) ([]Event, error) {
	if c.Status != StatusAvslutad {
		return nil, Errorf(ECONFLICT, "Ärendet är inte avslutat.")
	}
	c.ClosedAt = nil
	c.Status = c.openStatus()
	return []Event{c.event(EventReopened, actor, now, "")}, nil
}

// openStatus is the status of an open case by what it has had: feedback
// (waiting for the citizen when the latest feedback was a motfråga the
// citizen has not answered), an assignee, or nothing.
func (c *Case) openStatus() Status {
	switch {
	case c.FirstFeedbackAt != nil:
		if n := len(c.Feedback); n > 0 && c.Feedback[n-1].Kind == ReplyActionMotfraga &&
			(c.CitizenAnsweredAt == nil || c.CitizenAnsweredAt.Before(c.Feedback[n-1].At)) {
			return StatusVantar
		}
		return StatusPagaende
	case c.Assignee != "":
		return StatusFordelad
	}
	return StatusNy
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
		return c.untickStep(*step, actor, now), nil
	}
	if step.Alt != "" {
		for _, s := range c.Flow().StepsFor(c.Branch) {
			if _, ticked := c.Steps[s.Key]; ticked && s.Alt == step.Alt && s.Key != key {
				return nil, Errorf(ECONFLICT, "Ett annat alternativ är redan markerat: %s. Ångra det först.", s.Text)
			}
		}
	}
	if c.Steps == nil {
		c.Steps = map[string]StepState{}
	}
	c.Steps[key] = StepState{By: actor, At: now}
	ev := []Event{c.event(EventStepDone, actor, now, key)}
	if c.Status == StatusAvslutad {
		return ev, nil
	}
	switch step.Feedback {
	case FeedbackDelsvar:
		c.feedback(now, FeedbackDelsvar, key)
		c.Status = StatusPagaende
		ev = append(ev, c.event(EventDelsvar, actor, now, ""))
	case FeedbackSvar:
		c.feedback(now, FeedbackSvar, key)
		t := now
		c.ClosedAt = &t
		c.Status = StatusAvslutad
		ev = append(ev, c.event(EventSvar, actor, now, ""))
	case FeedbackAvslut:
		t := now
		c.ClosedAt = &t
		c.Status = StatusAvslutad
		ev = append(ev, c.event(EventAvslutatUtanSvar, actor, now, ""))
	}
	return ev, nil
}

// untickStep unticks step. A step that recorded feedback takes the
// feedback back with it: the first feedback, the flag and the deadline
// become what the remaining feedback says (EventFeedbackUndone). A step
// that closed the case reopens it (EventReopened).
func (c *Case) untickStep(step Step, actor string, now time.Time) []Event {
	marks := c.feedbackMarks() // before the step goes: a legacy case's marks come from its steps
	delete(c.Steps, step.Key)
	ev := []Event{c.event(EventStepUndone, actor, now, step.Key)}
	undone := false
	if step.Feedback == FeedbackDelsvar || step.Feedback == FeedbackSvar {
		kept := marks[:0:0]
		for _, m := range marks {
			if m.Step != step.Key {
				kept = append(kept, m)
			}
		}
		if len(kept) < len(marks) {
			c.Feedback = kept
			c.syncFeedback()
			undone = true
			ev = append(ev, c.event(EventFeedbackUndone, actor, now, step.Key))
		}
	}
	switch {
	case step.Closes() && c.Status == StatusAvslutad:
		c.ClosedAt = nil
		c.Status = c.openStatus()
		ev = append(ev, c.event(EventReopened, actor, now, ""))
	case undone && c.Status != StatusAvslutad:
		c.Status = c.openStatus()
	}
	return ev
}

// ChooseBranch picks the way through a forking flow (avboka-omboka).
func (c *Case) ChooseBranch(branch, actor string, now time.Time) ([]Event, error) {
	f := c.Flow()
	b, ok := f.Branch(branch)
	if !ok {
		return nil, FieldErrorf("branch", "vägen %q finns inte för ärendetypen", branch)
	}
	if c.Status == StatusAvslutad {
		return nil, errClosed()
	}
	if branch == c.Branch {
		return nil, Errorf(ECONFLICT, "Vägen är redan vald.")
	}
	// The other branch's steps that were not done are no longer left to
	// do (RemainingSteps shows the chosen branch only); those that were
	// done stay recorded.
	c.Branch = branch
	return []Event{c.event(EventBranch, actor, now, b.Name)}, nil
}

// Reroute changes the case's type, for example from vård av barn under 12
// år to the doctor's flow when the child is 12 or older. The history and
// the feedback clock stay (the due date, the first feedback, the
// citizen's answer: the citizen's clock started when the case came in),
// but the new type's checklist starts empty: a step done in the old flow
// is not the new flow's step of the same key (a nurse's delsvar is not
// "Delsvar: ärendet läggs till läkare", a Melior note of another flow
// raises no Melior warning). The feedback those steps recorded stays
// feedback, no longer tied to a step.
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
	marks := c.feedbackMarks()
	for i := range marks {
		marks[i].Step = ""
	}
	c.Feedback = marks
	c.syncFeedback()
	c.Type = typeKey
	c.Branch = ""
	c.Steps = map[string]StepState{}
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

// ApplyNotice applies a later notice about the same case (same reference)
// on the Swedish calendar without the clinic's closed days; see
// ApplyNoticeOn.
func (c *Case) ApplyNotice(n Notice, assignee string, now time.Time) []Event {
	return c.ApplyNoticeOn(n, assignee, now, defaultCalendar)
}

// ApplyNoticeOn applies a later notice about the same case (same
// reference). A tilldelat notice assigns the case to assignee (the staff
// member the notice was sent to); with no assignee the case stays as it
// is (ofördelad) and records the address the notice went to. A new
// inkommit notice for an open case that has had feedback is the citizen
// answering: "Invånaren har svarat", with a new two-working-day clock by
// cal.
func (c *Case) ApplyNoticeOn(n Notice, assignee string, now time.Time, cal *Calendar) []Event {
	ev := []Event{c.event(EventNotice, ActorSystem, now, n.Kind)}
	if c.Type == TypeOkand && n.Type != TypeOkand && n.Type != "" {
		from := c.Type
		c.Type = n.Type
		ev = append(ev, c.event(EventRerouted, ActorSystem, now, from+"→"+n.Type))
	}
	if c.Unit == "" {
		c.Unit = n.Unit
	}
	switch {
	case c.Status == StatusAvslutad:
	case n.Kind == NoticeTilldelat && assignee == "":
		ev = append(ev, c.event(EventTilldelatOkand, ActorSystem, now, n.Recipient))
	case n.Kind == NoticeTilldelat:
		if assignee != c.Assignee {
			c.Assignee = assignee
			ev = append(ev, c.event(EventAssigned, ActorSystem, now, assignee))
		}
		if c.Status == StatusNy {
			c.Status = StatusFordelad
		}
	case n.Kind == NoticeInkommit && c.FirstFeedbackAt != nil:
		at := now
		if !n.ReceivedAt.IsZero() && n.ReceivedAt.After(*c.LastFeedbackAtOrFirst()) {
			at = n.ReceivedAt
		}
		c.citizenAnswered(at, cal)
		ev = append(ev, c.event(EventReply, ActorSystem, at, "notis"))
	}
	return ev
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
