package app_test

import (
	"reflect"
	"testing"
	"time"

	"arendestod/app"
)

var (
	t0  = time.Date(2026, 11, 23, 9, 0, 0, 0, app.Stockholm) // Monday
	cal = app.NewCalendar()
)

const (
	sara = "SE2321000131-P000000000001"
	ali  = "SE2321000131-P000000000002"
)

func newCase(typ string) *app.Case {
	c := app.NewCase(typ, t0, cal)
	c.ID = 7
	return c
}

// snapshot copies a case deeply enough to compare before and after.
func snapshot(c *app.Case) app.Case {
	s := *c
	s.Steps = map[string]app.StepState{}
	for k, v := range c.Steps {
		s.Steps[k] = v
	}
	return s
}

func TestNewCase(t *testing.T) {
	c := newCase(app.TypeFornyaRecept)
	if c.Status != app.StatusNy || c.DueDate != app.D(2026, 11, 25) || c.FirstFeedbackAt != nil {
		t.Fatalf("new case %+v", c)
	}
	if got := len(c.RemainingSteps()); got != 3 {
		t.Errorf("remaining steps %d, want 3", got)
	}
}

// TestLife walks a case through its statuses and checks the events and
// the two-day clock.
func TestLife(t *testing.T) {
	c := newCase(app.TypeSkickaMeddelande)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	steps := []struct {
		name   string
		do     func() ([]app.Event, error)
		status app.Status
		kinds  []app.EventKind
	}{
		{"assign", func() ([]app.Event, error) { return c.Assign(sara, ali, at(1)) }, app.StatusFordelad, []app.EventKind{app.EventAssigned}},
		{"motfraga", func() ([]app.Event, error) { return c.Motfraga(sara, at(2)) }, app.StatusVantar, []app.EventKind{app.EventMotfraga}},
		{"reply", func() ([]app.Event, error) { return c.CitizenReplied(sara, at(3)) }, app.StatusPagaende, []app.EventKind{app.EventReply}},
		{"delsvar", func() ([]app.Event, error) { return c.Delsvar(sara, at(4)) }, app.StatusPagaende, []app.EventKind{app.EventDelsvar}},
		{"close", func() ([]app.Event, error) { return c.Close(sara, at(5)) }, app.StatusAvslutad, []app.EventKind{app.EventSvar, app.EventStepDone}},
		{"reopen", func() ([]app.Event, error) { return c.Reopen(ali, at(6)) }, app.StatusPagaende, []app.EventKind{app.EventReopened}},
	}
	for _, s := range steps {
		evs, err := s.do()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if c.Status != s.status {
			t.Errorf("%s: status %s, want %s", s.name, c.Status, s.status)
		}
		var kinds []app.EventKind
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
			if e.CaseID != c.ID || e.At.IsZero() || e.Actor == "" {
				t.Errorf("%s: event %+v lacks case, time or actor", s.name, e)
			}
		}
		if !reflect.DeepEqual(kinds, s.kinds) {
			t.Errorf("%s: events %v, want %v", s.name, kinds, s.kinds)
		}
	}
	// The first feedback (the motfråga) stopped the clock; later ones did not move it.
	if c.FirstFeedbackAt == nil || !c.FirstFeedbackAt.Equal(at(2)) {
		t.Errorf("first_feedback_at = %v, want %v", c.FirstFeedbackAt, at(2))
	}
	if c.ClosedAt != nil {
		t.Errorf("closed_at %v after reopen", c.ClosedAt)
	}
}

// TestIllegalTransitions: each returns a coded error with a Swedish
// message and changes nothing.
func TestIllegalTransitions(t *testing.T) {
	closed := func() *app.Case {
		c := newCase(app.TypeJournalkopia)
		c.Close(sara, t0)
		return c
	}
	waiting := func() *app.Case {
		c := newCase(app.TypeSkickaMeddelande)
		c.Motfraga(sara, t0)
		return c
	}
	fresh := func() *app.Case { return newCase(app.TypeFornyaRecept) }
	avboka := func() *app.Case { return newCase(app.TypeAvbokaOmboka) }
	tests := []struct {
		name string
		c    func() *app.Case
		do   func(c *app.Case) ([]app.Event, error)
		code string
	}{
		{"assign closed", closed, func(c *app.Case) ([]app.Event, error) { return c.Assign(sara, ali, t0) }, app.ECONFLICT},
		{"assign nobody", fresh, func(c *app.Case) ([]app.Event, error) { return c.Assign("", ali, t0) }, app.EINVALID},
		{"delsvar closed", closed, func(c *app.Case) ([]app.Event, error) { return c.Delsvar(sara, t0) }, app.ECONFLICT},
		{"motfraga closed", closed, func(c *app.Case) ([]app.Event, error) { return c.Motfraga(sara, t0) }, app.ECONFLICT},
		{"motfraga twice", waiting, func(c *app.Case) ([]app.Event, error) { return c.Motfraga(sara, t0) }, app.ECONFLICT},
		{"reply not waiting", fresh, func(c *app.Case) ([]app.Event, error) { return c.CitizenReplied(sara, t0) }, app.ECONFLICT},
		{"close twice", closed, func(c *app.Case) ([]app.Event, error) { return c.Close(sara, t0) }, app.ECONFLICT},
		{"reopen open", fresh, func(c *app.Case) ([]app.Event, error) { return c.Reopen(sara, t0) }, app.ECONFLICT},
		{"unknown step", fresh, func(c *app.Case) ([]app.Event, error) { return c.SetStep("nej", true, sara, t0) }, app.EINVALID},
		{"untick unticked", fresh, func(c *app.Case) ([]app.Event, error) { return c.SetStep(app.StepMelior, false, sara, t0) }, app.ECONFLICT},
		{"branch step before branch", avboka, func(c *app.Case) ([]app.Event, error) { return c.SetStep("elvis", true, sara, t0) }, app.EINVALID},
		{"unknown branch", avboka, func(c *app.Case) ([]app.Event, error) { return c.ChooseBranch("flytta", sara, t0) }, app.EINVALID},
		{"reroute closed", closed, func(c *app.Case) ([]app.Event, error) { return c.Reroute(app.TypeEgenremiss, sara, t0) }, app.ECONFLICT},
		{"reroute unknown", fresh, func(c *app.Case) ([]app.Event, error) { return c.Reroute("nej", sara, t0) }, app.EINVALID},
		{"reroute same", fresh, func(c *app.Case) ([]app.Event, error) { return c.Reroute(app.TypeFornyaRecept, sara, t0) }, app.ECONFLICT},
		{"empty note", fresh, func(c *app.Case) ([]app.Event, error) { return c.AddNote("  ", sara, t0) }, app.EINVALID},
		{"bad patient", fresh, func(c *app.Case) ([]app.Event, error) { return c.SetPatient("20190312-9806", "Alva", sara, t0) }, app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c()
			before := snapshot(c)
			evs, err := tt.do(c)
			if err == nil {
				t.Fatalf("no error; events %v", evs)
			}
			if app.ErrorCode(err) != tt.code {
				t.Errorf("code %s, want %s (%v)", app.ErrorCode(err), tt.code, err)
			}
			if msg := app.ErrorMessage(err); msg == "" || msg == app.ErrorMessage(nil) {
				t.Errorf("no Swedish message")
			}
			if evs != nil {
				t.Errorf("events %v with an error", evs)
			}
			if after := snapshot(c); !reflect.DeepEqual(before, after) {
				t.Errorf("case changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// TestStepsRecordFeedback: ticking a feedback step is the action itself.
func TestStepsRecordFeedback(t *testing.T) {
	c := newCase(app.TypeVABUnder12)
	evs, err := c.SetStep("delsvar", true, sara, t0)
	if err != nil || len(evs) != 2 || evs[1].Kind != app.EventDelsvar {
		t.Fatalf("delsvar step: %v %v", evs, err)
	}
	if c.FirstFeedbackAt == nil || c.Status != app.StatusPagaende || c.Flag(t0.Add(96*time.Hour)) != app.FlagAnswered {
		t.Fatalf("after delsvar step: %+v", c)
	}
	if _, err := c.SetStep("besvarat", true, sara, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if c.Status != app.StatusAvslutad || c.ClosedAt == nil {
		t.Fatalf("besvarat step did not close: %+v", c)
	}
	// The doctor's certificate steps go on after closing in 1177.
	d := newCase(app.TypeKorkort)
	d.SetStep("avslutat-utan-svar", true, sara, t0)
	if _, err := d.SetStep("intyg-skickat", true, sara, t0); err != nil {
		t.Errorf("step after close: %v", err)
	}
	// The Delsvar action ticks the flow's delsvar step.
	e := newCase(app.TypeOmvardnadsbidrag)
	e.Delsvar(sara, t0)
	if _, ok := e.Steps["delsvar"]; !ok {
		t.Error("Delsvar did not tick the flow's delsvar step")
	}
}

func TestMeliorWarning(t *testing.T) {
	c := newCase(app.TypeFornyaRecept)
	if c.MeliorWarning() {
		t.Fatal("warning before anything")
	}
	c.SetStep(app.StepMelior, true, sara, t0)
	if !c.MeliorWarning() {
		t.Fatal("no warning: documented in Melior, not closed in 1177")
	}
	c.Close(sara, t0)
	if c.MeliorWarning() {
		t.Fatal("warning on a closed case")
	}
}

// TestRerouteStartsChecklistEmpty: issue 12 item 4. The nurse's delsvar
// stays feedback (the clock keeps it) but does not become the doctor
// flow's "Delsvar: ärendet läggs till läkare" (this test used to assert
// that shared step keys were kept).
func TestRerouteStartsChecklistEmpty(t *testing.T) {
	c := newCase(app.TypeVABUnder12)
	c.SetStep("delsvar", true, sara, t0)
	c.SetStep("intyg-skrivet", true, sara, t0)
	due := c.DueDate
	if _, err := c.Reroute(app.TypeVAB1216, sara, t0); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Steps["delsvar"]; ok {
		t.Error("the nurse's delsvar became the doctor flow's delsvar step")
	}
	if _, ok := c.Steps["intyg-skrivet"]; ok {
		t.Error("a step the doctor's flow lacks was kept")
	}
	if c.DueDate != due || c.TypeInfo().Role() != app.RoleIntygshanterare {
		t.Errorf("after reroute: due %v role %s", c.DueDate, c.TypeInfo().Role())
	}
	if c.FirstFeedbackAt == nil || !c.FirstFeedbackAt.Equal(t0) || c.Flag(t0.Add(96*time.Hour)) != app.FlagAnswered {
		t.Errorf("the feedback clock was lost: %v", c.FirstFeedbackAt)
	}
}

func TestApplyNotice(t *testing.T) {
	c := newCase(app.TypeOkand)
	evs := c.ApplyNotice(app.Notice{Kind: app.NoticeTilldelat, Type: app.TypeJournalkopia, Unit: "BUP Lysekil"}, sara, t0)
	if c.Status != app.StatusFordelad || c.Assignee != sara || c.Type != app.TypeJournalkopia || c.Unit != "BUP Lysekil" {
		t.Fatalf("after tilldelat notice: %+v", c)
	}
	if len(evs) != 3 {
		t.Errorf("events %v, want notice, rerouted, assigned", evs)
	}
}
