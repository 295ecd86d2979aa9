package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// Tests of issue 12: the routine, all of it. Times are Stockholm times
// injected into every call; the calendar has Swedish holidays, and where
// it matters a clinic closed day.

func sthlm(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, app.Stockholm)
}

func must(t *testing.T) func([]app.Event, error) []app.Event {
	return func(evs []app.Event, err error) []app.Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
}

func kindsOf(evs []app.Event) []app.EventKind {
	var out []app.EventKind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

func stepKeys(steps []app.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Key)
	}
	return out
}

// Item 1: work after the case is closed in 1177 stays visible.
func TestEfterarbete(t *testing.T) {
	ok := must(t)
	today := app.D(2026, 11, 25)
	tests := []struct {
		name      string
		build     func() *app.Case
		efter     bool
		remaining []string
	}{
		{"läkarintyg closed without answer", func() *app.Case {
			c := newCase(app.TypeKorkort)
			ok(c.Assign(sara, ali, t0))
			ok(c.SetStep(app.StepMelior, true, sara, t0))
			ok(c.SetStep("fordelat-intygshanterare", true, sara, t0))
			ok(c.Delsvar(sara, t0))
			ok(c.SetStep(app.StepFordelatLakare, true, sara, t0))
			ok(c.Close(sara, t0))
			return c
		}, true, []string{"diktat", "signerat", "intyg-skickat"}},
		{"avbokning answered first", func() *app.Case {
			c := newCase(app.TypeAvbokaOmboka)
			ok(c.Assign(sara, ali, t0))
			ok(c.ChooseBranch("avbokning", sara, t0))
			ok(c.SetStep("svar-avbokat", true, sara, t0))
			return c
		}, true, []string{app.StepMelior, "elvis", "behandlare-informerad"}},
		{"läkarintyg all done", func() *app.Case {
			c := newCase(app.TypeKorkort)
			ok(c.Assign(sara, ali, t0))
			for _, s := range c.RemainingSteps() {
				if _, done := c.Steps[s.Key]; !done {
					ok(c.SetStep(s.Key, true, sara, t0))
				}
			}
			return c
		}, false, nil},
		{"open with steps left is no efterarbete", func() *app.Case {
			c := newCase(app.TypeFornyaRecept)
			ok(c.Assign(sara, ali, t0))
			return c
		}, false, []string{app.StepMelior, "receptlogg", "besvarat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build()
			if got := c.Efterarbete(); got != tt.efter {
				t.Errorf("Efterarbete = %v, want %v", got, tt.efter)
			}
			if got := stepKeys(c.RemainingSteps()); !slices.Equal(got, tt.remaining) {
				t.Errorf("remaining %v, want %v", got, tt.remaining)
			}
			f := app.CaseFilter{View: app.ViewEfterarbete, Me: sara, Today: today}
			if got := f.Rule().Matches(c); got != tt.efter {
				t.Errorf("in Efterarbete view: %v", got)
			}
			// Mina keeps the assignee's efterarbete (and open cases).
			mine := app.CaseFilter{View: app.ViewMine, Me: sara, Today: today}.Rule().Matches(c)
			if want := tt.efter || c.Status != app.StatusAvslutad; mine != want {
				t.Errorf("in Mina: %v, want %v", mine, want)
			}
			if app.ViewRuleOf(app.ViewMine, ali, today).Matches(c) {
				t.Error("in someone else's Mina")
			}
			n := app.CountCases([]*app.Case{c}, sara, today, app.Date{})
			if (n.Efterarbete == 1) != tt.efter {
				t.Errorf("counter %+v", n)
			}
		})
	}
}

func TestCloseWarning(t *testing.T) {
	ok := must(t)
	tests := []struct {
		name  string
		build func() *app.Case
		steps []string
		words []string
	}{
		{"förnya recept without Melior and receptlogg", func() *app.Case { return newCase(app.TypeFornyaRecept) },
			[]string{app.StepMelior, "receptlogg"}, []string{"Melior", "receptförfrågningsloggen"}},
		{"förnya recept with Melior only", func() *app.Case {
			c := newCase(app.TypeFornyaRecept)
			ok(c.SetStep(app.StepMelior, true, sara, t0))
			return c
		}, []string{"receptlogg"}, []string{"Steget", "receptförfrågningsloggen"}},
		{"förnya recept all done", func() *app.Case {
			c := newCase(app.TypeFornyaRecept)
			ok(c.SetStep(app.StepMelior, true, sara, t0))
			ok(c.SetStep("receptlogg", true, sara, t0))
			return c
		}, nil, nil},
		{"läkarintyg: steps before avslut, not after", func() *app.Case {
			c := newCase(app.TypeKorkort)
			ok(c.SetStep(app.StepMelior, true, sara, t0))
			ok(c.Delsvar(sara, t0))
			return c
		}, []string{"fordelat-intygshanterare", app.StepFordelatLakare}, []string{"intygshanterare", "utskrift från 1177"}},
		{"avbokning: the answer comes first", func() *app.Case {
			c := newCase(app.TypeAvbokaOmboka)
			ok(c.ChooseBranch("avbokning", sara, t0))
			return c
		}, nil, nil},
		{"ombokning: one alternative is enough", func() *app.Case {
			c := newCase(app.TypeAvbokaOmboka)
			ok(c.ChooseBranch("ombokning-distans", sara, t0))
			ok(c.SetStep("behandlare-tillfragad", true, sara, t0))
			ok(c.SetStep("vard-och-halsa", true, sara, t0))
			return c
		}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build()
			if got := stepKeys(c.StepsBeforeClose()); !slices.Equal(got, tt.steps) {
				t.Errorf("steps before close %v, want %v", got, tt.steps)
			}
			w := c.CloseWarning()
			if (w != "") != (len(tt.steps) > 0) {
				t.Errorf("warning %q", w)
			}
			for _, word := range tt.words {
				if !strings.Contains(w, word) {
					t.Errorf("warning %q does not name %q", w, word)
				}
			}
			// A warning, not an error: closing still works.
			if _, err := c.Close(sara, t0.Add(time.Hour)); err != nil {
				t.Errorf("close refused: %v", err)
			}
		})
	}
}

// Item 2a: the citizen's answer starts a new two-working-day clock,
// across Easter 2027 (långfredagen 26 March, annandag påsk 29 March).
func TestCitizenAnsweredClock(t *testing.T) {
	ok := must(t)
	received := sthlm(2027, 3, 22, 9, 0) // Monday, due Wednesday 24 March
	answered := sthlm(2027, 3, 25, 16, 0)
	newWaiting := func() *app.Case {
		c := app.NewCase(app.TypeSkickaMeddelande, received, cal)
		c.ID, c.Reference = 11, "1177-42"
		ok(c.Assign(sara, ali, received))
		ok(c.Motfraga(sara, sthlm(2027, 3, 23, 10, 0)))
		return c
	}
	check := func(t *testing.T, c *app.Case) {
		t.Helper()
		if c.Status != app.StatusPagaende || !c.CitizenPending() {
			t.Fatalf("status %s pending %v", c.Status, c.CitizenPending())
		}
		// Thursday 25 → Fri holiday, weekend, Mon holiday → Tue 30, Wed 31.
		if c.NextFeedbackDue != app.D(2027, 3, 31) {
			t.Errorf("next feedback due %v, want 2027-03-31", c.NextFeedbackDue)
		}
		for _, tc := range []struct {
			now  time.Time
			want app.Flag
		}{
			{sthlm(2027, 3, 26, 9, 0), app.FlagCitizenAnswered},
			{sthlm(2027, 3, 29, 9, 0), app.FlagCitizenAnswered},
			{sthlm(2027, 3, 31, 8, 0), app.FlagDueToday},
			{sthlm(2027, 4, 1, 8, 0), app.FlagOverdue},
		} {
			if got := c.Flag(tc.now); got != tc.want {
				t.Errorf("flag on %s: %s, want %s", tc.now.Format(time.DateOnly), got, tc.want)
			}
			today := app.DateOf(tc.now)
			if got := app.ViewRuleOf(app.ViewOverdue, "", today).Matches(c); got != (tc.want == app.FlagOverdue) {
				t.Errorf("%s: overdue view %v", today, got)
			}
			if got := app.ViewRuleOf(app.ViewDueToday, "", today).Matches(c); got != (tc.want == app.FlagDueToday) {
				t.Errorf("%s: due-today view %v", today, got)
			}
			if !app.ViewRuleOf(app.ViewCitizenAnswered, "", today).Matches(c) {
				t.Errorf("%s: not in the citizen-answered view", today)
			}
		}
		if got := c.ShownDue(); got != c.NextFeedbackDue {
			t.Errorf("shown due %v while the citizen waits, want the new clock %v", got, c.NextFeedbackDue)
		}
		// Feedback ends the new clock; the first feedback stays.
		ok(c.Delsvar(sara, sthlm(2027, 4, 1, 9, 0)))
		if got := c.ShownDue(); got != c.DueDate {
			t.Errorf("shown due %v after feedback, want the first deadline %v", got, c.DueDate)
		}
		if c.CitizenPending() || c.Flag(sthlm(2027, 4, 2, 9, 0)) != app.FlagAnswered {
			t.Errorf("after delsvar: pending %v flag %s", c.CitizenPending(), c.Flag(sthlm(2027, 4, 2, 9, 0)))
		}
		if !c.FirstFeedbackAt.Equal(sthlm(2027, 3, 23, 10, 0)) {
			t.Errorf("first feedback moved to %v", c.FirstFeedbackAt)
		}
	}
	t.Run("action", func(t *testing.T) {
		c := newWaiting()
		evs := ok(c.CitizenAnswered(sara, answered, cal))
		if !slices.Equal(kindsOf(evs), []app.EventKind{app.EventReply}) {
			t.Errorf("events %v", kindsOf(evs))
		}
		check(t, c)
	})
	t.Run("new notice for the same Ärendenummer", func(t *testing.T) {
		c := newWaiting()
		in := inbound("<svar@test.invalid>", app.NoticeInkommit, app.TypeSkickaMeddelande, "1177-42", answered)
		d := app.DecideIngest(in, c, cal, answered.Add(time.Minute))
		if d.Outcome != app.OutcomeUpdated {
			t.Fatalf("outcome %s", d.Outcome)
		}
		if want := []app.EventKind{app.EventNotice, app.EventReply}; !slices.Equal(decisionKinds(d), want) {
			t.Errorf("events %v, want %v", decisionKinds(d), want)
		}
		check(t, d.Case)
	})
	t.Run("a clinic closed day moves the clock", func(t *testing.T) {
		c := newWaiting()
		closed := app.NewCalendar(app.Holiday{Date: app.D(2027, 3, 30), Name: "Klämdag"})
		ok(c.CitizenAnswered(sara, answered, closed))
		if c.NextFeedbackDue != app.D(2027, 4, 1) {
			t.Errorf("next feedback due %v, want 2027-04-01", c.NextFeedbackDue)
		}
	})
	t.Run("a second notice before any feedback is no answer", func(t *testing.T) {
		c := app.NewCase(app.TypeSkickaMeddelande, received, cal)
		c.ID, c.Reference = 12, "1177-43"
		in := inbound("<igen@test.invalid>", app.NoticeInkommit, app.TypeSkickaMeddelande, "1177-43", answered)
		d := app.DecideIngest(in, c, cal, answered)
		if d.Case.CitizenPending() || d.Case.Status != app.StatusNy || !slices.Equal(decisionKinds(d), []app.EventKind{app.EventNotice}) {
			t.Errorf("case %+v events %v", d.Case, decisionKinds(d))
		}
	})
}

// Item 2b: "Ingen åtgärd på N dagar", across Christmas 2026.
func TestStale(t *testing.T) {
	ok := must(t)
	received := sthlm(2026, 12, 18, 9, 0) // Friday
	c := app.NewCase(app.TypeSkickaMeddelande, received, cal)
	ok(c.Assign(sara, ali, sthlm(2026, 12, 21, 9, 0))) // Monday: the last action
	ok(c.Delsvar(sara, sthlm(2026, 12, 21, 9, 5)))
	// Working days after Monday 21: 22, 23, (julafton, juldagen, annandag,
	// weekend), 28, 29, 30 → the fifth is Wednesday 30 December.
	for _, tc := range []struct {
		day   app.Date
		days  int
		stale bool
	}{
		{app.D(2026, 12, 23), 5, false},
		{app.D(2026, 12, 29), 5, false},
		{app.D(2026, 12, 30), 5, true},
		{app.D(2026, 12, 31), 5, true}, // nyårsafton: closed, still stale
		{app.D(2026, 12, 23), 2, true},
		{app.D(2026, 12, 22), 2, false},
		{app.D(2027, 1, 10), 0, false}, // the rule off
	} {
		if got := c.IsStale(tc.day, cal, tc.days); got != tc.stale {
			t.Errorf("%s, %d days: stale %v, want %v", tc.day, tc.days, got, tc.stale)
		}
		cut := app.StaleCutoff(cal, tc.day, tc.days)
		f := app.CaseFilter{View: app.ViewStale, Today: tc.day, StaleCutoff: cut}
		if got := f.Rule().Matches(c); got != tc.stale {
			t.Errorf("%s, %d days: stale view %v (cutoff %s)", tc.day, tc.days, got, cut)
		}
		now := tc.day.Time().Add(9 * time.Hour)
		if got, want := c.FlagAt(now, cal, tc.days), map[bool]app.Flag{true: app.FlagStale, false: app.FlagAnswered}[tc.stale]; got != want {
			t.Errorf("%s: flag %s, want %s", tc.day, got, want)
		}
	}
	if got := app.StaleCutoff(cal, app.D(2026, 12, 30), 5); got != app.D(2026, 12, 21) {
		t.Errorf("cutoff %s, want 2026-12-21", got)
	}
	// An action resets the clock; intake's bookkeeping does not.
	d := c.Clone()
	d.ApplyNotice(app.Notice{Kind: app.NoticeTilldelat, Type: app.TypeSkickaMeddelande}, "", sthlm(2026, 12, 30, 8, 0))
	if !d.LastActionAt.Equal(c.LastActionAt) || !d.IsStale(app.D(2026, 12, 30), cal, 5) {
		t.Errorf("a notice moved the action clock to %v", d.LastActionAt)
	}
	ok(c.AddNote("Ringt vårdnadshavaren", sara, sthlm(2026, 12, 29, 14, 0)))
	if c.IsStale(app.D(2026, 12, 30), cal, 5) {
		t.Error("a note is an action: not stale")
	}
	// Overdue wins over stale.
	late := app.NewCase(app.TypeSkickaMeddelande, received, cal)
	if got := late.FlagAt(sthlm(2027, 1, 4, 9, 0), cal, 5); got != app.FlagOverdue {
		t.Errorf("unanswered, stale: flag %s, want overdue", got)
	}
	for s, want := range map[string]int{"": 5, "7": 7, " 3 ": 3, "0": 5, "x": 5, "61": 5} {
		if got := app.StaleDaysOf(s); got != want {
			t.Errorf("StaleDaysOf(%q) = %d, want %d", s, got, want)
		}
	}
	if _, err := app.ParseStaleDays("0"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("0 days: %v", err)
	}
	if app.StaleLabel(5) != "Ingen åtgärd på 5 dagar" {
		t.Errorf("label %q", app.StaleLabel(5))
	}
}

// Item 2c: unticking a step that counted as feedback undoes the feedback.
func TestUntickFeedbackStep(t *testing.T) {
	ok := must(t)
	after := t0.Add(96 * time.Hour) // Friday, after the due date (Wednesday)
	t.Run("delsvar by mistake", func(t *testing.T) {
		c := newCase(app.TypeVABUnder12)
		ok(c.Assign(sara, ali, t0))
		ok(c.SetStep("delsvar", true, sara, t0.Add(time.Hour)))
		evs := ok(c.SetStep("delsvar", false, sara, t0.Add(2*time.Hour)))
		if want := []app.EventKind{app.EventStepUndone, app.EventFeedbackUndone}; !slices.Equal(kindsOf(evs), want) {
			t.Errorf("events %v, want %v", kindsOf(evs), want)
		}
		if c.FirstFeedbackAt != nil || c.LastFeedbackAt != nil || c.Status != app.StatusFordelad || c.Flag(after) != app.FlagOverdue {
			t.Errorf("after untick: first %v status %s flag %s", c.FirstFeedbackAt, c.Status, c.Flag(after))
		}
	})
	t.Run("an earlier motfråga stays", func(t *testing.T) {
		c := newCase(app.TypeVABUnder12)
		ok(c.Motfraga(sara, t0.Add(time.Hour)))
		ok(c.CitizenAnswered(sara, t0.Add(3*time.Hour), cal))
		ok(c.SetStep("delsvar", true, sara, t0.Add(4*time.Hour)))
		ok(c.SetStep("delsvar", false, sara, t0.Add(5*time.Hour)))
		if !c.FirstFeedbackAt.Equal(t0.Add(time.Hour)) || !c.CitizenPending() || c.Status != app.StatusPagaende {
			t.Errorf("first %v pending %v status %s", c.FirstFeedbackAt, c.CitizenPending(), c.Status)
		}
	})
	t.Run("a case stored before feedback marks", func(t *testing.T) {
		c := newCase(app.TypeVABUnder12)
		at := t0.Add(time.Hour)
		c.Steps["delsvar"] = app.StepState{By: sara, At: at}
		c.FirstFeedbackAt, c.Status = &at, app.StatusPagaende
		ok(c.SetStep("delsvar", false, sara, t0.Add(2*time.Hour)))
		if c.FirstFeedbackAt != nil || c.Status != app.StatusNy {
			t.Errorf("first %v status %s", c.FirstFeedbackAt, c.Status)
		}
	})
	t.Run("unticking besvarat reopens", func(t *testing.T) {
		c := newCase(app.TypeFornyaRecept)
		ok(c.Delsvar(sara, t0.Add(time.Hour)))
		ok(c.SetStep("besvarat", true, sara, t0.Add(2*time.Hour)))
		evs := ok(c.SetStep("besvarat", false, sara, t0.Add(3*time.Hour)))
		if want := []app.EventKind{app.EventStepUndone, app.EventFeedbackUndone, app.EventReopened}; !slices.Equal(kindsOf(evs), want) {
			t.Errorf("events %v, want %v", kindsOf(evs), want)
		}
		if c.Status != app.StatusPagaende || c.ClosedAt != nil || !c.LastFeedbackAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("status %s closed %v last %v", c.Status, c.ClosedAt, c.LastFeedbackAt)
		}
	})
	t.Run("a step that was not feedback", func(t *testing.T) {
		c := newCase(app.TypeFornyaRecept)
		ok(c.Motfraga(sara, t0))
		ok(c.SetStep(app.StepMelior, true, sara, t0))
		evs := ok(c.SetStep(app.StepMelior, false, sara, t0))
		if !slices.Equal(kindsOf(evs), []app.EventKind{app.EventStepUndone}) || c.Status != app.StatusVantar {
			t.Errorf("events %v status %s", kindsOf(evs), c.Status)
		}
	})
}

// Item 2d: Mest brådskande först.
func TestUrgencyOrder(t *testing.T) {
	ok := must(t)
	today := app.D(2026, 11, 25)
	mk := func(received time.Time) *app.Case { return app.NewCase(app.TypeSkickaMeddelande, received, cal) }
	cs := map[string]*app.Case{
		"overdue":         mk(t0.Add(-72 * time.Hour)), // Friday 20, due Tuesday 24
		"overdue-older":   mk(t0.Add(-96 * time.Hour)), // Thursday 19, due Monday 23
		"due-today":       mk(t0),                      // due 11-25
		"citizen":         mk(t0.Add(-96 * time.Hour)),
		"citizen-overdue": mk(t0.Add(-96 * time.Hour)),
		"in-time":         mk(t0.Add(48 * time.Hour)), // due 11-27
		"answered":        mk(t0.Add(-120 * time.Hour)),
		"waiting":         mk(t0.Add(-72 * time.Hour)),
		"closed":          mk(t0.Add(-200 * time.Hour)),
	}
	ok(cs["citizen"].Motfraga(sara, t0.Add(-90*time.Hour)))
	ok(cs["citizen"].CitizenAnswered(sara, t0.Add(24*time.Hour), cal)) // Tuesday 24 → due 26
	ok(cs["citizen-overdue"].Motfraga(sara, t0.Add(-90*time.Hour)))
	ok(cs["citizen-overdue"].CitizenAnswered(sara, t0.Add(-80*time.Hour), cal)) // Friday 20, 01:00 → due 24
	ok(cs["answered"].Delsvar(sara, t0.Add(-100*time.Hour)))
	ok(cs["waiting"].Motfraga(sara, t0.Add(-70*time.Hour)))
	ok(cs["closed"].Close(sara, t0))
	var list []*app.Case
	var id int64
	for _, name := range []string{"closed", "waiting", "in-time", "answered", "citizen", "due-today", "overdue", "citizen-overdue", "overdue-older"} {
		id++
		cs[name].ID = id
		list = append(list, cs[name])
	}
	app.SortByUrgency(list, today)
	var got []string
	for _, c := range list {
		for name, x := range cs {
			if x == c {
				got = append(got, name)
			}
		}
	}
	// Overdue since 23, then the two overdue since 24 by received time.
	want := []string{"overdue-older", "citizen-overdue", "overdue", "due-today", "citizen", "in-time", "answered", "waiting", "closed"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v\nwant  %v", got, want)
	}
	for name, rank := range map[string]int{"overdue": app.UrgencyOverdue, "citizen-overdue": app.UrgencyOverdue,
		"due-today": app.UrgencyDueToday, "citizen": app.UrgencyCitizenAnswered, "in-time": app.UrgencyUnanswered,
		"answered": app.UrgencyAnswered, "waiting": app.UrgencyAnswered, "closed": app.UrgencyClosed} {
		if got := app.UrgencyRank(cs[name], today); got != rank {
			t.Errorf("%s: rank %d, want %d", name, got, rank)
		}
	}
	// The derived columns a store keeps agree.
	d := cs["citizen"].Derived()
	if d.FeedbackDue != app.D(2026, 11, 26) || !d.CitizenPending || d.StepsLeft != 2 {
		t.Errorf("derived %+v", d)
	}
	if d := cs["answered"].Derived(); !d.FeedbackDue.IsZero() || d.CitizenPending {
		t.Errorf("answered derived %+v", d)
	}
}

// Item 2e: the day boundary in Stockholm, across daylight saving time.
func TestNextDayBoundary(t *testing.T) {
	for _, tc := range []struct {
		now   time.Time
		want  time.Time
		until time.Duration
	}{
		{sthlm(2026, 11, 25, 15, 0), sthlm(2026, 11, 26, 0, 0), 9 * time.Hour},
		{sthlm(2026, 12, 31, 23, 59), sthlm(2027, 1, 1, 0, 0), time.Minute},
		{sthlm(2027, 3, 28, 0, 0), sthlm(2027, 3, 29, 0, 0), 23 * time.Hour},   // summer time begins
		{sthlm(2026, 10, 25, 0, 0), sthlm(2026, 10, 26, 0, 0), 25 * time.Hour}, // summer time ends
		{time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC), sthlm(2026, 11, 27, 0, 0), 23*time.Hour + 30*time.Minute},
	} {
		if got := app.NextDayBoundary(tc.now); !got.Equal(tc.want) {
			t.Errorf("NextDayBoundary(%v) = %v, want %v", tc.now, got, tc.want)
		}
		if got := app.UntilNextDay(tc.now); got != tc.until {
			t.Errorf("UntilNextDay(%v) = %v, want %v", tc.now, got, tc.until)
		}
	}
}

// Item 3: läkarintyg as the routine says.
func TestLakarintygFlow(t *testing.T) {
	ok := must(t)
	ct, _ := app.CaseTypeByKey(app.TypeKorkort)
	if !ct.ClosesWithoutReply() || ct.CloseLabel() != "Avsluta utan svar" || !slices.Contains(ct.Roles, app.RoleMedicinskSekreterare) {
		t.Errorf("type %+v", ct)
	}
	if other, _ := app.CaseTypeByKey(app.TypeFornyaRecept); other.ClosesWithoutReply() || other.CloseLabel() != "Besvara och avsluta" {
		t.Errorf("förnya recept closes without reply")
	}
	r, found := app.RoleByKey("intygshanterare")
	if !found || r.Name != "Intygshanterare (medicinsk mottagning)" {
		t.Errorf("role %+v", r)
	}
	f := app.FlowOf(app.TypeKorkort)
	want := []string{app.StepMelior, "fordelat-intygshanterare", "delsvar", app.StepFordelatLakare, "avslutat-utan-svar", "diktat", "signerat", "intyg-skickat"}
	if got := stepKeys(f.Steps); !slices.Equal(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	if s, _ := f.Step(app.StepFordelatLakare); !strings.Contains(s.Text, "via utskrift från 1177") {
		t.Errorf("step text %q", s.Text)
	}
	if s, _ := f.Step("signerat"); !strings.Contains(s.Text, "utskrivet") || !strings.Contains(s.Text, "fysiskt signerat") {
		t.Errorf("signing step %q does not say skriva ut", s.Text)
	}

	t.Run("closing is no feedback", func(t *testing.T) {
		c := newCase(app.TypeKorkort)
		evs := ok(c.Close(sara, t0))
		if want := []app.EventKind{app.EventAvslutatUtanSvar, app.EventStepDone}; !slices.Equal(kindsOf(evs), want) {
			t.Errorf("events %v, want %v", kindsOf(evs), want)
		}
		if c.FirstFeedbackAt != nil || c.Status != app.StatusAvslutad || c.ClosedAt == nil {
			t.Errorf("after close: %+v", c)
		}
		if _, done := c.Steps["avslutat-utan-svar"]; !done {
			t.Error("step not ticked")
		}
		if got := app.StatsCaseOf(c); !got.Feedback.IsZero() || !got.Closed {
			t.Errorf("stats %+v", got)
		}
	})
	t.Run("the delsvar is the feedback", func(t *testing.T) {
		c := newCase(app.TypeKorkort)
		ok(c.SendReply(mustReply(t, "delsvar-lakare"), sara, t0))
		evs := ok(c.SetStep("avslutat-utan-svar", true, sara, t0.Add(time.Hour)))
		if want := []app.EventKind{app.EventStepDone, app.EventAvslutatUtanSvar}; !slices.Equal(kindsOf(evs), want) {
			t.Errorf("events %v, want %v", kindsOf(evs), want)
		}
		if !c.FirstFeedbackAt.Equal(t0) || !c.LastFeedbackAt.Equal(t0) || c.Status != app.StatusAvslutad {
			t.Errorf("first %v last %v status %s", c.FirstFeedbackAt, c.LastFeedbackAt, c.Status)
		}
	})
	t.Run("intyg skickat is not the way to close", func(t *testing.T) {
		b := mustBook(t)
		if got := b.ClosingReplies(app.TypeKorkort); len(got) != 0 {
			t.Errorf("closing replies for läkarintyg: %v", got)
		}
		c := newCase(app.TypeKorkort)
		evs := ok(c.SendReply(mustReply(t, "intyg-skickat"), sara, t0))
		if !slices.Equal(kindsOf(evs), []app.EventKind{app.EventReplySent}) || c.Status == app.StatusAvslutad || c.FirstFeedbackAt != nil {
			t.Errorf("events %v status %s", kindsOf(evs), c.Status)
		}
		for typ, want := range map[string][]string{
			app.TypeVABUnder12:       {"intyg-skickat"},
			app.TypeJournalkopia:     {"journalkopia"},
			app.TypeAvbokaOmboka:     {"avbokning"},
			app.TypeSkickaMeddelande: nil,
		} {
			var got []string
			for _, r := range b.ClosingReplies(typ) {
				got = append(got, r.Key)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: closing replies %v, want %v", typ, got, want)
			}
		}
	})
	t.Run("a case stored with the old step list", func(t *testing.T) {
		c := newCase(app.TypeKorkort)
		for _, k := range []string{app.StepMelior, "fordelat-intygshanterare", "delsvar", "avslutat-utan-svar", "diktat", "signerat", "intyg-skickat"} {
			c.Steps[k] = app.StepState{By: sara, At: t0}
		}
		c.Status = app.StatusAvslutad
		if got := stepKeys(c.RemainingSteps()); !slices.Equal(got, []string{app.StepFordelatLakare}) {
			t.Errorf("remaining %v", got)
		}
		ok(c.SetStep(app.StepFordelatLakare, true, sara, t0))
		if c.Efterarbete() {
			t.Error("still efterarbete")
		}
	})
	t.Run("Fördela offers the intygshanterare first", func(t *testing.T) {
		staff := append([]*app.Staff{{Name: "Ivar Intyg", HSAID: "I", Roles: []app.Role{app.RoleIntygshanterare}, Active: true}}, routingStaff...)
		if got := staffIDs(ct.StaffForAssign(staff)); !strings.HasPrefix(got, "I,M,") {
			t.Errorf("offered %s", got)
		}
	})
}

func mustReply(t *testing.T, key string) app.Reply {
	t.Helper()
	r, found := mustBook(t).Reply(key)
	if !found {
		t.Fatalf("no reply %s", key)
	}
	return r
}

// Item 4: branches and alternatives; re-routing.
func TestBranchesAndAlternatives(t *testing.T) {
	ok := must(t)
	t.Run("one alternative completes the flow", func(t *testing.T) {
		c := newCase(app.TypeAvbokaOmboka)
		ok(c.ChooseBranch("ombokning-distans", sara, t0))
		ok(c.SetStep("behandlare-tillfragad", true, sara, t0))
		ok(c.SetStep("ny-tid-bokad", true, sara, t0))
		if got := stepKeys(c.RemainingSteps()); !slices.Equal(got, []string{"besvarat"}) {
			t.Errorf("remaining %v", got)
		}
		if _, err := c.SetStep("vard-och-halsa", true, sara, t0); app.ErrorCode(err) != app.ECONFLICT {
			t.Errorf("both alternatives: %v", err)
		}
		ok(c.SetStep("ny-tid-bokad", false, sara, t0))
		ok(c.SetStep("vard-och-halsa", true, sara, t0))
		ok(c.SetStep("besvarat", true, sara, t0))
		if c.Efterarbete() || len(c.RemainingSteps()) != 0 {
			t.Errorf("left %v", stepKeys(c.RemainingSteps()))
		}
	})
	t.Run("no branch on a closed case unless reopened", func(t *testing.T) {
		c := newCase(app.TypeAvbokaOmboka)
		ok(c.Close(sara, t0))
		before := snapshot(c)
		if _, err := c.ChooseBranch("avbokning", sara, t0); app.ErrorCode(err) != app.ECONFLICT {
			t.Errorf("branch on closed: %v", err)
		}
		if after := snapshot(c); after.Branch != before.Branch {
			t.Error("branch changed")
		}
		ok(c.Reopen(sara, t0))
		ok(c.ChooseBranch("avbokning", sara, t0))
	})
	t.Run("changing branch leaves the other branch's steps", func(t *testing.T) {
		c := newCase(app.TypeAvbokaOmboka)
		ok(c.ChooseBranch("avbokning", sara, t0))
		ok(c.SetStep(app.StepMelior, true, sara, t0))
		if !c.MeliorWarning() {
			t.Fatal("no Melior warning on avbokning")
		}
		evs := ok(c.ChooseBranch("ny-tid", sara, t0))
		if evs[0].Kind != app.EventBranch {
			t.Errorf("events %v", kindsOf(evs))
		}
		if got := stepKeys(c.RemainingSteps()); !slices.Equal(got, []string{"behandlare-meddelad", "besvarat"}) {
			t.Errorf("remaining %v", got)
		}
		if c.MeliorWarning() {
			t.Error("Melior warning from the other branch")
		}
	})
	t.Run("re-route: history and clock kept, checklist empty", func(t *testing.T) {
		c := newCase(app.TypeFornyaRecept)
		ok(c.Assign(sara, ali, t0))
		ok(c.SetStep(app.StepMelior, true, sara, t0))
		ok(c.Delsvar(sara, t0.Add(time.Hour)))
		ok(c.Reroute(app.TypeKontaktuppgifter, sara, t0.Add(2*time.Hour)))
		if c.MeliorWarning() || len(c.Steps) != 0 {
			t.Errorf("steps %v, Melior warning %v", c.Steps, c.MeliorWarning())
		}
		if c.FirstFeedbackAt == nil || !c.FirstFeedbackAt.Equal(t0.Add(time.Hour)) || c.DueDate != app.D(2026, 11, 25) || c.Status != app.StatusPagaende {
			t.Errorf("clock lost: %+v", c)
		}
		// A feedback recorded by a step of the old flow is no longer tied
		// to a step: ticking and unticking the new flow's steps keeps it.
		ok(c.SetStep("besvarat", true, sara, t0.Add(3*time.Hour)))
		ok(c.SetStep("besvarat", false, sara, t0.Add(4*time.Hour)))
		if !c.FirstFeedbackAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("first feedback %v", c.FirstFeedbackAt)
		}
	})
}

// Item 5: the Melior warning as a view and a counter.
func TestMeliorView(t *testing.T) {
	ok := must(t)
	today := app.D(2026, 11, 25)
	documented := newCase(app.TypeFornyaRecept)
	ok(documented.SetStep(app.StepMelior, true, sara, t0))
	closed := newCase(app.TypeFornyaRecept)
	ok(closed.SetStep(app.StepMelior, true, sara, t0))
	ok(closed.Close(sara, t0))
	plain := newCase(app.TypeFornyaRecept)
	r := app.ViewRuleOf(app.ViewMelior, sara, today)
	if !r.Matches(documented) || r.Matches(closed) || r.Matches(plain) {
		t.Errorf("melior view: %v %v %v", r.Matches(documented), r.Matches(closed), r.Matches(plain))
	}
	if n := app.CountCases([]*app.Case{documented, closed, plain}, sara, today, app.Date{}); n.Melior != 1 || n.Open != 2 {
		t.Errorf("counts %+v", n)
	}
	var c app.CaseCounts
	for i, v := range app.RoutineCountedViews() {
		c.SetCount(v, i+1)
	}
	if want := (app.CaseCounts{Efterarbete: 1, CitizenAnswered: 2, Stale: 3, Melior: 4}); c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
}

// Item 6: type names as 1177 words them.
func TestTypeAliases(t *testing.T) {
	for name, want := range map[string]string{
		"Beställning av journalkopia":               app.TypeJournalkopia,
		"Bestallning av journalkopia":               app.TypeJournalkopia,
		"Ändra kontaktuppgifter":                    app.TypeKontaktuppgifter,
		"Avboka eller omboka tid":                   app.TypeAvbokaOmboka,
		"Sjukskrivning till skola":                  app.TypeSjukskrivningSkola,
		"Narkotikaklassat läkemedel vid resa":       app.TypeNarkotikaResa,
		"Vård av barn 12–16 år":                     app.TypeVAB1216,
		"Vård av barn under 12 år":                  app.TypeVABUnder12,
		"Fråga om remiss":                           app.TypeFragaOmRemiss,
		"Sjukskrivning till skola (gymnasiet)":      app.TypeSjukskrivningSkola,
		"Avboka eller omboka tid (BUP Uddevalla)":   app.TypeAvbokaOmboka,
		"Beställning av journalkopior från arkivet": app.TypeOkand,
	} {
		if got := app.MatchTypeName(name); got != want {
			t.Errorf("MatchTypeName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestLearnedWordings(t *testing.T) {
	w, err := app.ParseTypeWordings("")
	if err != nil || len(w) != 0 {
		t.Fatalf("empty: %v %v", w, err)
	}
	if err := w.Learn("Journal  kopia, tack", app.TypeJournalkopia); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		wording, typ string
		code         string
	}{
		{"  ", app.TypeJournalkopia, app.EINVALID},
		{"Något nytt", app.TypeOkand, app.EINVALID},
		{"Något nytt", "nej", app.EINVALID},
		{"Förnya recept", app.TypeJournalkopia, app.EINVALID}, // the routine's own name
	} {
		if err := w.Learn(tc.wording, tc.typ); app.ErrorCode(err) != tc.code {
			t.Errorf("Learn(%q, %q): %v", tc.wording, tc.typ, err)
		}
	}
	enc := w.Encode()
	back, err := app.ParseTypeWordings(enc)
	if err != nil || len(back) != 1 || back["journal kopia, tack"] != app.TypeJournalkopia {
		t.Fatalf("round trip %q → %v %v", enc, back, err)
	}
	for name, want := range map[string]string{
		"journal kopia, tack":          app.TypeJournalkopia,
		"JOURNAL KOPIA, TACK (BUP)":    app.TypeJournalkopia,
		"Förnya recept":                app.TypeFornyaRecept,
		"journal kopia, tackar":        app.TypeOkand,
		"Något helt annat":             app.TypeOkand,
		"Beställning av journalkopia ": app.TypeJournalkopia,
	} {
		if got := app.MatchTypeNameLearned(name, back); got != want {
			t.Errorf("MatchTypeNameLearned(%q) = %q, want %q", name, got, want)
		}
	}
	n := &app.Notice{Type: app.TypeOkand, TypeName: "Journal kopia, tack"}
	if !app.ApplyLearnedType(n, back) || n.Type != app.TypeJournalkopia {
		t.Errorf("notice %+v", n)
	}
	known := &app.Notice{Type: app.TypeEgenremiss, TypeName: "Journal kopia, tack"}
	if app.ApplyLearnedType(known, back) || known.Type != app.TypeEgenremiss {
		t.Errorf("a recognised type was overridden: %+v", known)
	}
	if list := back.List(); len(list) != 1 || list[0].Type != app.TypeJournalkopia {
		t.Errorf("list %v", list)
	}
	if !back.Forget("Journal kopia, tack") || back.Forget("Journal kopia, tack") || back.Encode() != "" {
		t.Errorf("forget: %v", back)
	}
	// Entries of unknown types are dropped, not errors.
	if w, err := app.ParseTypeWordings(`{"x":"finns-inte","y":"okand","z":"egenremiss"}`); err != nil || len(w) != 1 || w["z"] != app.TypeEgenremiss {
		t.Errorf("parse: %v %v", w, err)
	}
	if _, err := app.ParseTypeWordings("{"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestTilldelatByAddress(t *testing.T) {
	staff := []*app.Staff{
		{Name: "Sara", HSAID: sara, Email: "Sara.Sjoberg@bup.example", Active: true},
		{Name: "Ali", HSAID: ali, Email: "ali@bup.example", Active: false},
	}
	const owner = "SE2321000131-P000000000009"
	for _, tc := range []struct {
		kind, to, mailbox string
		want              string
		matched           bool
	}{
		{app.NoticeTilldelat, "sara.sjoberg@bup.example", "", sara, true},
		{app.NoticeTilldelat, "Sara Sjöberg <SARA.SJOBERG@bup.example>", owner, sara, true},
		{app.NoticeTilldelat, "ali@bup.example", "", "", false}, // inactive
		{app.NoticeTilldelat, "okand@bup.example", owner, owner, false},
		{app.NoticeTilldelat, "", "", "", false},
		{app.NoticeInkommit, "sara.sjoberg@bup.example", "", "", false},
	} {
		in := inbound("<k@test.invalid>", tc.kind, app.TypeJournalkopia, "R", t0)
		in.Notice.Recipient, in.Assignee = tc.to, tc.mailbox
		if got := app.ResolveAssignee(&in, staff); got != tc.matched || in.Assignee != tc.want {
			t.Errorf("%s to %q: matched %v assignee %q, want %v %q", tc.kind, tc.to, got, in.Assignee, tc.matched, tc.want)
		}
	}
	// An existing case assigned in 1177 to an address nobody has.
	c := newCase(app.TypeJournalkopia)
	evs := c.ApplyNotice(app.Notice{Kind: app.NoticeTilldelat, Type: app.TypeJournalkopia, Recipient: "vikarie@bup.example"}, "", t0)
	if c.Status != app.StatusNy || c.Assignee != "" || len(evs) != 2 || evs[1].Kind != app.EventTilldelatOkand {
		t.Errorf("status %s assignee %q events %v", c.Status, c.Assignee, kindsOf(evs))
	}
	if !strings.Contains(evs[1].Swedish(), "vikarie@bup.example") || !strings.Contains(evs[1].Swedish(), "ofördelat") {
		t.Errorf("history says %q", evs[1].Swedish())
	}
}

// Item 7: Dagens översikt and the morning check.
func TestOverview(t *testing.T) {
	ok := must(t)
	// Monday 30 March 2026; the last working day before it is Friday 27.
	monday := app.D(2026, 3, 30)
	mk := func(received time.Time) *app.Case { return app.NewCase(app.TypeFornyaRecept, received, cal) }
	friday := mk(sthlm(2026, 3, 27, 10, 0))   // new, due Tue 31
	saturday := mk(sthlm(2026, 3, 28, 10, 0)) // new, due Tue 31, assigned
	ok(saturday.Assign(sara, ali, sthlm(2026, 3, 30, 8, 0)))
	thursday := mk(sthlm(2026, 3, 26, 10, 0)) // due Mon 30: due today
	old := mk(sthlm(2026, 3, 20, 10, 0))      // overdue
	answered := mk(sthlm(2026, 3, 16, 10, 0))
	ok(answered.Assign(ali, sara, sthlm(2026, 3, 16, 11, 0)))
	ok(answered.SetStep(app.StepMelior, true, ali, sthlm(2026, 3, 16, 12, 0)))
	ok(answered.Motfraga(ali, sthlm(2026, 3, 16, 13, 0)))
	ok(answered.CitizenAnswered(ali, sthlm(2026, 3, 17, 9, 0), cal)) // citizen answered, overdue since 20; stale
	cert := app.NewCase(app.TypeKorkort, sthlm(2026, 3, 23, 9, 0), cal)
	ok(cert.Assign(ali, sara, sthlm(2026, 3, 23, 10, 0)))
	ok(cert.Delsvar(ali, sthlm(2026, 3, 23, 11, 0)))
	ok(cert.Close(ali, sthlm(2026, 3, 23, 12, 0))) // efterarbete
	cases := []*app.Case{friday, saturday, thursday, old, answered, cert}

	o := app.ComputeOverview(cases, monday, cal, 5, sara)
	if o.Since != app.D(2026, 3, 27) {
		t.Errorf("since %s", o.Since)
	}
	want := map[string]int{
		app.ViewReceivedSince:   2,
		app.ViewDueToday:        1,
		app.ViewOverdue:         2, // old, and the citizen's answer unanswered
		app.ViewUnassigned:      3,
		app.ViewCitizenAnswered: 1,
		app.ViewStale:           2, // old (received 20th) and answered (last action 17th)
		app.ViewEfterarbete:     1,
		app.ViewMelior:          1,
	}
	if len(o.Buckets) != len(want) {
		t.Errorf("%d buckets", len(o.Buckets))
	}
	for _, b := range o.Buckets {
		if b.Count != want[b.Key] {
			t.Errorf("%s (%s): %d, want %d", b.Key, b.Label, b.Count, want[b.Key])
		}
		if b.Label == "" || b.Filter.View != b.Key {
			t.Errorf("bucket %+v", b)
		}
	}
	if b, _ := o.Bucket(app.ViewStale); b.Label != "Ingen åtgärd på 5 dagar" {
		t.Errorf("stale label %q", b.Label)
	}
	// After Easter: Tuesday 6 April 2027 looks back to Thursday 1 April.
	if got := app.OverviewSince(cal, app.D(2027, 3, 30)); got != app.D(2027, 3, 25) {
		t.Errorf("since after Easter %s, want 2027-03-25", got)
	}
}

func TestMorningCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		now  time.Time
		done bool
		want bool
	}{
		{"before ten", sthlm(2026, 11, 25, 9, 59), false, false},
		{"at ten", sthlm(2026, 11, 25, 10, 0), false, true},
		{"done", sthlm(2026, 11, 25, 14, 0), true, false},
		{"saturday", sthlm(2026, 11, 28, 11, 0), false, false},
		{"juldagen", sthlm(2026, 12, 25, 11, 0), false, false},
		{"UTC clock, Stockholm ten", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), false, true},
	} {
		if got := app.MorningCheckMissing(tc.done, tc.now, cal); got != tc.want {
			t.Errorf("%s: missing %v, want %v", tc.name, got, tc.want)
		}
	}
	m, err := app.NewMorningCheck(" se2321000131-p000000000001 ", time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC))
	if err != nil || m.Day != app.D(2026, 11, 25) || m.By != sara {
		t.Errorf("check %+v %v", m, err)
	}
	if _, err := app.NewMorningCheck("", t0); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("nobody: %v", err)
	}
	if !app.MorningCheckDone([]app.MorningCheck{m}, app.D(2026, 11, 25)) || app.MorningCheckDone([]app.MorningCheck{m}, app.D(2026, 11, 26)) {
		t.Error("MorningCheckDone")
	}

	// Statistics: weeks 52 and 53 of 2026 (julafton to annandag jul, and
	// nyårsafton, closed), from Monday 21 December to Friday 1 January.
	q := app.StatsQuery{From: app.D(2026, 12, 21), To: app.D(2027, 1, 1), Today: app.D(2027, 1, 8)}
	s := app.ComputeStats(nil, cal, q)
	var checks []app.MorningCheck
	for _, d := range []app.Date{app.D(2026, 12, 21), app.D(2026, 12, 22), app.D(2026, 12, 22), app.D(2026, 12, 26), app.D(2026, 12, 29), app.D(2027, 1, 4)} {
		checks = append(checks, app.MorningCheck{Day: d, By: sara, At: d.Time().Add(8 * time.Hour)})
	}
	s.AddMorningChecks(checks, cal)
	want := []app.WeekMorningChecks{
		{Week: app.ISOWeek{Year: 2026, Week: 52}, Done: 2, WorkingDays: 3}, // 21, 22, 23
		{Week: app.ISOWeek{Year: 2026, Week: 53}, Done: 1, WorkingDays: 3}, // 28, 29, 30
	}
	if !slices.Equal(s.MorningChecks, want) {
		t.Errorf("morning checks %+v, want %+v", s.MorningChecks, want)
	}
	if got := s.MorningChecksTotal().MorningChecksSv(); got != "3 av 6 arbetsdagar" {
		t.Errorf("total %q", got)
	}
	if m, ok := s.MorningChecksOf(app.ISOWeek{Year: 2026, Week: 53}); !ok || m.Done != 1 {
		t.Errorf("week 53: %+v %v", m, ok)
	}
	if _, ok := s.MorningChecksOf(app.ISOWeek{Year: 2027, Week: 1}); ok {
		t.Error("week 1 is outside the period")
	}
	if got := (app.WeekMorningChecks{Done: 1, WorkingDays: 1}).MorningChecksSv(); got != "1 av 1 arbetsdag" {
		t.Errorf("singular %q", got)
	}
}

// Item 8: Fördela with the load in view.
func TestSuggestAssignee(t *testing.T) {
	staff := []*app.Staff{
		{Name: "Östen Sköterska", HSAID: "S1", Roles: []app.Role{app.RoleSjukskoterska}, Active: true},
		{Name: "Åsa Sköterska", HSAID: "S2", Roles: []app.Role{app.RoleSjukskoterska}, Active: true},
		{Name: "Anna Sköterska", HSAID: "S3", Roles: []app.Role{app.RoleSjukskoterska}, Active: false},
		{Name: "Mona Mottagare", HSAID: "M1", Roles: []app.Role{app.RoleArendemottagare}, Active: true},
		{Name: "Ivar Intyg", HSAID: "I1", Roles: []app.Role{app.RoleIntygshanterare}, Active: true},
		{Name: "Iris Intyg", HSAID: "I2", Roles: []app.Role{app.RoleIntygshanterare}, Active: true},
	}
	for _, tc := range []struct {
		name string
		typ  string
		open map[string]int
		want string
	}{
		{"fewest open", app.TypeFornyaRecept, map[string]int{"S1": 1, "S2": 3, "S3": 0}, "S1"},
		{"tie by Swedish name (Å before Ö)", app.TypeFornyaRecept, map[string]int{"S1": 2, "S2": 2}, "S2"},
		{"no counts: by name", app.TypeFornyaRecept, nil, "S2"},
		{"intygshanterare for läkarintyg", app.TypeKorkort, map[string]int{"I1": 4, "I2": 5, "M1": 0}, "I1"},
		{"nobody holds the type's role", app.TypeAvbokaOmboka, nil, ""},
		{"ärendemottagare", app.TypeJournalkopia, map[string]int{"M1": 9}, "M1"},
	} {
		ct, _ := app.CaseTypeByKey(tc.typ)
		id := ""
		if got := app.SuggestAssignee(ct, staff, tc.open); got != nil {
			id = got.HSAID
		}
		if id != tc.want {
			t.Errorf("%s: suggested %q, want %q", tc.name, id, tc.want)
		}
	}
	ct, _ := app.CaseTypeByKey(app.TypeKorkort)
	opts := app.AssignOptions(ct, staff, map[string]int{"I1": 1, "I2": 2, "M1": 7}, "m1")
	if len(opts) != 5 || opts[0].Staff.HSAID != "I1" || !opts[0].Suggested || !opts[0].RightRole || opts[0].Open != 1 {
		t.Fatalf("options %+v", opts[0])
	}
	for _, o := range opts {
		if o.Staff.HSAID == "M1" && (!o.OnDuty || o.Open != 7 || !o.RightRole || o.Suggested) {
			t.Errorf("M1 %+v", o)
		}
		if o.Staff.HSAID == "S1" && (o.RightRole || o.OnDuty) {
			t.Errorf("S1 %+v", o)
		}
	}
}

// Item 9: the standard replies say what the routine says.
func TestReplyContent(t *testing.T) {
	b := mustBook(t)
	for _, tc := range []struct {
		key     string
		has     []string
		hasNot  []string
		closing bool
	}{
		{"delsvar", []string{"tagit emot ditt ärende", "{telefon}"}, nil, false},
		{"delsvar-lakare", []string{"läggs till läkare för hantering", "berörd instans och/eller hem", "avslutas nu i 1177 utan ytterligare svar"}, nil, false},
		{"motfraga", []string{"Svara i det här ärendet i 1177"}, nil, false},
		{"avbokning", []string{"tagit emot ditt ärende och besöket är avbokat"}, nil, true},
		{"journalkopia", []string{"centralarkivet", "{lank-centralarkivet}"}, []string{"menprövning"}, true},
		{"evi", []string{"En Väg In (EVI)", "{lank-evi}", "avslutar"}, nil, true},
		{"intyg-skickat", []string{"skickats till berörd instans och/eller hem till dig"}, []string{"{adress}"}, true},
	} {
		r, found := b.Reply(tc.key)
		if !found {
			t.Errorf("no reply %s", tc.key)
			continue
		}
		for _, s := range tc.has {
			if !strings.Contains(r.Default, s) {
				t.Errorf("%s does not say %q", tc.key, s)
			}
		}
		for _, s := range tc.hasNot {
			if strings.Contains(strings.ToLower(r.Default), strings.ToLower(s)) {
				t.Errorf("%s says %q", tc.key, s)
			}
		}
		// Every reply signs alike: the mottagning, then the vårdgivare.
		if !strings.HasSuffix(r.Default, "Med vänliga hälsningar\n{mottagning}\n{vardgivare}") {
			t.Errorf("%s signs %q", tc.key, r.Default[max(0, len(r.Default)-60):])
		}
		if (r.Action == app.ReplyActionSvar) != tc.closing {
			t.Errorf("%s action %q", tc.key, r.Action)
		}
	}
	// Menprövning is a hint to staff, with the case.
	ct, _ := app.CaseTypeByKey(app.TypeJournalkopia)
	if !strings.Contains(ct.StaffHint, "menprövning") {
		t.Errorf("journalkopia hint %q", ct.StaffHint)
	}
}

// Fördela of a doctor-certificate case to an intygshanterare is the step
// "Fördelat till intygshanterare" too: AssignTo ticks it with the
// assignment; to anyone else, or on another type, it only assigns.
func TestAssignToIntygshanterareTicksItsStep(t *testing.T) {
	ok := must(t)
	maja := &app.Staff{HSAID: "SE2321000131-P000000000003", Name: "Maja Lind", Roles: []app.Role{app.RoleIntygshanterare}}
	doc := &app.Staff{HSAID: ali, Name: "Ali Haddad", Roles: []app.Role{app.RoleLakare}}

	c := newCase(app.TypeKorkort)
	evs := ok(c.AssignTo(maja, sara, t0))
	if got := kindsOf(evs); !slices.Equal(got, []app.EventKind{app.EventAssigned, app.EventStepDone}) {
		t.Fatalf("events %v, want assigned then step-done", got)
	}
	if st, done := c.Steps[app.StepFordelatIntygshanterare]; !done || st.By != sara || !st.At.Equal(t0) {
		t.Errorf("step %+v %v, want ticked by the one who fördelade", st, done)
	}
	if c.Assignee != maja.HSAID {
		t.Errorf("assignee %q", c.Assignee)
	}
	// Fördela on to the doctor: the step stays as it was, nothing ticked twice.
	if got := kindsOf(ok(c.AssignTo(doc, sara, t0.Add(time.Hour)))); !slices.Equal(got, []app.EventKind{app.EventAssigned}) {
		t.Errorf("on to the doctor: events %v", got)
	}
	// To someone without the role: only assigned.
	c = newCase(app.TypeKorkort)
	if got := kindsOf(ok(c.AssignTo(doc, sara, t0))); !slices.Equal(got, []app.EventKind{app.EventAssigned}) || len(c.Steps) != 0 {
		t.Errorf("to a doctor: events %v, steps %v", got, c.Steps)
	}
	// A type whose routine has no such step: only assigned.
	c = newCase(app.TypeFornyaRecept)
	if got := kindsOf(ok(c.AssignTo(maja, sara, t0))); !slices.Equal(got, []app.EventKind{app.EventAssigned}) || len(c.Steps) != 0 {
		t.Errorf("förnya recept: events %v, steps %v", got, c.Steps)
	}
	// The same refusals as Assign.
	c = newCase(app.TypeKorkort)
	ok(c.AssignTo(maja, sara, t0))
	if _, err := c.AssignTo(maja, sara, t0); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("assigning to the same person again: %v", err)
	}
	if _, err := c.AssignTo(nil, sara, t0); err == nil {
		t.Error("nobody chosen: no error")
	}
}
