package app_test

import (
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// Issue 14, items 5 to 8: the rules behind the screens.

func TestTypeFilterOptions(t *testing.T) {
	opts := app.TypeFilterOptions()
	seen := map[string]int{}
	for _, o := range opts {
		if o.Type != "" {
			seen[o.Type]++
		}
		if (o.Type == "") == (o.Group == "") {
			t.Errorf("%q filters by neither or both: %+v", o.Label, o)
		}
		if o.Group != "" {
			for _, k := range app.TypeKeysInGroup(o.Group) {
				if k == app.TypeFornyaRecept {
					t.Errorf("%q brings Förnya recept under %s", o.Label, o.Group)
				}
			}
		}
		if o.Type == app.TypeFornyaRecept && (o.Indent || strings.Contains(o.Label, app.GroupIntygSjukskoterska)) {
			t.Errorf("Förnya recept filed under a group: %+v", o)
		}
	}
	for _, ct := range app.CaseTypes() {
		if seen[ct.Key] == 0 {
			t.Errorf("the filter lacks %s", ct.Key)
		}
	}
	if opts[0].Group != app.GroupIntygLakare || !opts[1].Indent {
		t.Errorf("first lines %+v %+v: want the doctors' group, then its types", opts[0], opts[1])
	}
}

func TestFeedbackLateDays(t *testing.T) {
	cal := app.NewCalendar()
	fri := time.Date(2026, 11, 20, 9, 0, 0, 0, app.Stockholm) // due Tuesday 24/11
	for _, tc := range []struct {
		feedback time.Time
		days     int
		label    string
	}{
		{time.Date(2026, 11, 24, 16, 0, 0, 0, app.Stockholm), 0, ""},
		{time.Date(2026, 11, 25, 8, 0, 0, 0, app.Stockholm), 1, "Besvarad sent (1 dag)"},
		{time.Date(2026, 11, 27, 8, 0, 0, 0, app.Stockholm), 3, "Besvarad sent (3 dagar)"},
		{time.Date(2026, 11, 28, 8, 0, 0, 0, app.Stockholm), 3, "Besvarad sent (3 dagar)"}, // Saturday
	} {
		c := app.NewCase(app.TypeEgenremiss, fri, cal)
		fb := tc.feedback
		c.FirstFeedbackAt = &fb
		if got := c.FeedbackLateDays(cal); got != tc.days || app.LateLabel(got) != tc.label {
			t.Errorf("feedback %s: %d days %q, want %d %q", fb.Format("Mon 2/1"), got, app.LateLabel(got), tc.days, tc.label)
		}
	}
	if c := app.NewCase(app.TypeEgenremiss, fri, cal); c.FeedbackLateDays(cal) != 0 {
		t.Error("no feedback yet counts as late")
	}
}

func TestAuditDetailText(t *testing.T) {
	for _, tc := range []struct {
		e    app.AuditEntry
		want string
	}{
		{app.AuditEntry{Action: app.AuditChange, CaseID: 1, Detail: "step-done,assigned"}, "Bockade av ett steg, Fördelade ärendet"},
		{app.AuditEntry{Action: app.AuditChange, CaseID: 1, Detail: "patient"}, "Ändrade patientuppgifter"},
		{app.AuditEntry{Action: app.AuditChange, CaseID: 1, Detail: "step-done,step-done"}, "Bockade av ett steg"},
		{app.AuditEntry{Action: app.AuditView, CaseID: 1}, "Visade ärendet"},
		{app.AuditEntry{Action: app.AuditChange, CaseID: 1, Detail: "receptförfrågningsloggen: rad 1, 2"}, "receptförfrågningsloggen: rad 1, 2"},
		{app.AuditEntry{Action: app.AuditPrint, CaseID: 1, Detail: "intyg vård av barn version 1 utskrivet"}, "intyg vård av barn version 1 utskrivet"},
	} {
		if got := app.AuditDetailText(tc.e); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
	for _, k := range app.EventKinds() {
		if k.Swedish() == string(k) {
			t.Errorf("event kind %s has no words", k)
		}
	}
	for _, a := range app.AuditActions() {
		if a.Label == "" || a.Label == a.Key {
			t.Errorf("access-log action %s has no label", a.Key)
		}
	}
}

func TestSeenCasesRecord(t *testing.T) {
	s := app.SeenCases{After: 10}
	c := &app.Case{ID: 11, Status: app.StatusNy}
	if !s.IsNew(c) || s.IsNew(&app.Case{ID: 10}) || s.IsNew(&app.Case{ID: 12, Status: app.StatusAvslutad}) {
		t.Error("IsNew")
	}
	s.Mark(11)
	s.Mark(5) // before After: nothing to keep
	if s.IsNew(c) || len(s.IDs) != 1 {
		t.Errorf("after Mark: %+v", s)
	}
	back, ok := app.DecodeSeenCases(s.Encode())
	if !ok || back.After != 10 || !back.IDs[11] || len(back.IDs) != 1 {
		t.Errorf("round trip %q: %+v %v", s.Encode(), back, ok)
	}
	if _, ok := app.DecodeSeenCases("kakor"); ok {
		t.Error("garbage decoded")
	}
	// Bounded: the oldest half folds into After.
	for id := int64(100); id < 100+app.SeenCasesMax+1; id++ {
		s.Mark(id)
	}
	if len(s.IDs) > app.SeenCasesMax || s.After <= 10 || s.IsNew(&app.Case{ID: 100 + app.SeenCasesMax}) {
		t.Errorf("not bounded: %d ids, after %d", len(s.IDs), s.After)
	}
}

func TestNoAnswerMarkedSent(t *testing.T) {
	c := &app.Case{Type: app.TypeEgenremiss}
	if !app.NoAnswerMarkedSent(c, []app.Event{{Kind: app.EventDelsvar}}) {
		t.Error("a delsvar without a reply text counts as an answer marked as sent")
	}
	if app.NoAnswerMarkedSent(c, []app.Event{{Kind: app.EventReplySent}}) {
		t.Error("a reply marked as sent is not seen")
	}
	if app.NoAnswerMarkedSent(&app.Case{Type: app.TypeKorkort}, nil) {
		t.Error("a type that closes without an answer warns")
	}
}

func TestTypeKeysByNameAndSwedishOrder(t *testing.T) {
	if !app.SwedishLess("Ansökan", "Ändring") || !app.SwedishLess("Zebra", "Åsa") || !app.SwedishLess("Åsa", "Ärlig") ||
		!app.SwedishLess("Ärlig", "Örjan") || app.SwedishLess("b", "A") {
		t.Error("Swedish order")
	}
	keys := app.TypeKeysByName()
	if len(keys) != len(app.CaseTypes()) {
		t.Fatalf("%d keys", len(keys))
	}
	for i := 1; i < len(keys); i++ {
		if app.SwedishLess(app.TypeName(keys[i]), app.TypeName(keys[i-1])) {
			t.Errorf("%s before %s", keys[i-1], keys[i])
		}
	}
	s := app.InboxSort{}.Toggle(app.SortDue)
	if s != (app.InboxSort{Column: app.SortDue}) || s.Toggle(app.SortDue) != (app.InboxSort{Column: app.SortDue, Desc: true}) ||
		s.Toggle(app.SortUnit) != (app.InboxSort{Column: app.SortUnit}) {
		t.Error("Toggle")
	}
}
