package app

import (
	"sort"
	"strings"
	"time"
)

// What people and notices do to a case: each method changes the case and
// returns the events that say so, for the store to keep in one
// transaction (CaseStore.UpdateCase).

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

// AssignTo fördelar the case to s. When the case's routine has the step
// "Fördelat till intygshanterare" and s is an intygshanterare, the step is
// ticked with it (it is the same act), unless it is ticked already.
func (c *Case) AssignTo(s *Staff, actor string, now time.Time) ([]Event, error) {
	if s == nil {
		return nil, FieldErrorf("assignee", "välj vem ärendet ska fördelas till")
	}
	ev, err := c.Assign(s.HSAID, actor, now)
	if err != nil {
		return nil, err
	}
	if _, done := c.Steps[StepFordelatIntygshanterare]; done || !s.HasRole(RoleIntygshanterare) {
		return ev, nil
	}
	for _, st := range c.Flow().StepsFor(c.Branch) {
		if st.Key == StepFordelatIntygshanterare {
			more, err := c.SetStep(st.Key, true, actor, now)
			if err != nil {
				return nil, err
			}
			return append(ev, more...), nil
		}
	}
	return ev, nil
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
