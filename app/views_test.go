package app_test

import (
	"slices"
	"testing"
	"time"

	"arendestod/app"
)

// viewCases are one case of each kind the views tell apart, on today
// 2026-11-25 (a Wednesday; cases of 2026-11-23 are due that day).
func viewCases(t *testing.T) map[string]*app.Case {
	t.Helper()
	mk := func(received time.Time) *app.Case { return app.NewCase(app.TypeSkickaMeddelande, received, cal) }
	cs := map[string]*app.Case{
		"new-due-today": mk(t0),                      // due 11-25
		"new-overdue":   mk(t0.Add(-72 * time.Hour)), // due 11-20
		"new-in-time":   mk(t0.Add(48 * time.Hour)),  // due 11-27
		"mine-overdue":  mk(t0.Add(-72 * time.Hour)), // assigned to sara
		"others":        mk(t0.Add(48 * time.Hour)),  // assigned to ali
		"answered":      mk(t0.Add(-72 * time.Hour)), // delsvar given
		"closed":        mk(t0.Add(-72 * time.Hour)), // closed
	}
	must := func(_ []app.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(cs["mine-overdue"].Assign(sara, sara, t0))
	must(cs["others"].Assign(ali, sara, t0))
	must(cs["answered"].Delsvar(sara, t0))
	must(cs["closed"].Close(sara, t0))
	return cs
}

func TestViewRules(t *testing.T) {
	today := app.D(2026, 11, 25)
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, app.Stockholm)
	cs := viewCases(t)
	want := map[string][]string{
		app.ViewOpen:       {"answered", "mine-overdue", "new-due-today", "new-in-time", "new-overdue", "others"},
		"":                 {"answered", "mine-overdue", "new-due-today", "new-in-time", "new-overdue", "others"},
		app.ViewMine:       {"mine-overdue"},
		app.ViewUnassigned: {"answered", "new-due-today", "new-in-time", "new-overdue"},
		app.ViewOverdue:    {"mine-overdue", "new-overdue"},
		app.ViewDueToday:   {"new-due-today"},
		app.ViewClosed:     {"closed"},
		app.ViewAll:        {"answered", "closed", "mine-overdue", "new-due-today", "new-in-time", "new-overdue", "others"},
	}
	for view, names := range want {
		f := app.CaseFilter{View: view, Me: sara, Today: today}
		var got []string
		for name, c := range cs {
			if f.Rule().Matches(c) {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, names) {
			t.Errorf("view %q: %v, want %v", view, got, names)
		}
	}
	// The views agree with the flag each case shows.
	for name, c := range cs {
		open := c.Status != app.StatusAvslutad
		if got, want := app.ViewRuleOf(app.ViewOverdue, sara, today).Matches(c), open && c.Flag(now) == app.FlagOverdue; got != want {
			t.Errorf("%s: in overdue view %v, flag %s", name, got, c.Flag(now))
		}
		if got, want := app.ViewRuleOf(app.ViewDueToday, sara, today).Matches(c), open && c.Flag(now) == app.FlagDueToday; got != want {
			t.Errorf("%s: in due-today view %v, flag %s", name, got, c.Flag(now))
		}
	}
	// Without a "me", Mina holds nothing, not the unassigned cases.
	for name, c := range cs {
		if app.ViewRuleOf(app.ViewMine, "", today).Matches(c) {
			t.Errorf("%s is mine without me", name)
		}
	}
	// Without a day, nothing is overdue or due.
	for name, c := range cs {
		if app.ViewRuleOf(app.ViewOverdue, sara, app.Date{}).Matches(c) || app.ViewRuleOf(app.ViewDueToday, sara, app.Date{}).Matches(c) {
			t.Errorf("%s is due without a day", name)
		}
	}
}

func TestCaseCountsSetCount(t *testing.T) {
	var c app.CaseCounts
	for i, v := range app.CountedViews() {
		c.SetCount(v, i+1)
	}
	if want := (app.CaseCounts{Open: 1, New: 2, Mine: 3, Overdue: 4, DueToday: 5}); c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	c.SetCount(app.ViewClosed, 99)
	if c.Open+c.New+c.Mine+c.Overdue+c.DueToday != 15 {
		t.Errorf("a view that is not counted changed the counts: %+v", c)
	}
}

func TestTypeKeysInGroup(t *testing.T) {
	got := app.TypeKeysInGroup(app.GroupIntygSjukskoterska)
	if want := []string{app.TypeFornyaRecept, app.TypeVABUnder12}; !slices.Equal(got, want) {
		t.Errorf("group %s: %v, want %v", app.GroupIntygSjukskoterska, got, want)
	}
	n := 0
	for _, g := range app.Groups() {
		n += len(app.TypeKeysInGroup(g))
	}
	if n != len(app.CaseTypes())-1 { // okand is in no group
		t.Errorf("%d types in the groups, want every type but okand (%d)", n, len(app.CaseTypes())-1)
	}
	if got := app.TypeKeysInGroup("Ingen sådan"); got != nil {
		t.Errorf("unknown group: %v", got)
	}
}

func TestTypeKeysMatching(t *testing.T) {
	for _, tt := range []struct {
		term string
		want []string
	}{
		{"recept", []string{app.TypeFornyaRecept}},
		{"FÖRNYA", []string{app.TypeFornyaRecept}},
		{"fornya", []string{app.TypeFornyaRecept}}, // without diacritics
		{"körkort", []string{app.TypeKorkort}},
		{"12 – 16", []string{app.TypeVAB1216}},
		{"uddevalla", nil},
	} {
		if got := app.TypeKeysMatching(tt.term); !slices.Equal(got, tt.want) {
			t.Errorf("TypeKeysMatching(%q) = %v, want %v", tt.term, got, tt.want)
		}
	}
}
