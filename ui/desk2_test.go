package ui

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"arendestod/app"
)

// Issue 14 leftovers: Esc from every screen's fields, the intyg flow's
// decisions ask first, the window's remembered size, Statistik's grouped
// type filter.

// TestEscFromEveryScreensFields: a field or choice list with the focus on
// each screen hands Esc to the window, which goes back to the inbox; with
// a dialog open it does nothing.
func TestEscFromEveryScreensFields(t *testing.T) {
	f := newFixture(t)
	day := app.DateOf(testNow)
	for _, c := range []struct {
		tab   string
		field func() fyne.Focusable
	}{
		{"Receptlogg", func() fyne.Focusable { return f.u.recept.search }},
		{"Receptlogg", func() fyne.Focusable { return f.u.recept.from }},
		{"Receptlogg", func() fyne.Focusable { return f.u.recept.status }},
		{"Statistik", func() fyne.Focusable { return f.u.stats.typ }},
		{"Åtkomstlogg", func() fyne.Focusable { return f.u.audit.patient }},
		{"Åtkomstlogg", func() fyne.Focusable { return f.u.audit.to }},
		{"Åtkomstlogg", func() fyne.Focusable { return f.u.audit.staff }},
		{"Personal", func() fyne.Focusable { return f.u.staffs.form.name }},
		{"Personal", func() fyne.Focusable { return f.u.staffs.form.roles.checks[0] }},
		{"Inställningar", func() fyne.Focusable { return f.u.settings.closedDate }},
		{"Inställningar", func() fyne.Focusable { return f.u.settings.replySel }},
		{"Inställningar", func() fyne.Focusable { return f.u.settings.unitSel }},
		{"Schema 1177-ansvarig", func() fyne.Focusable { return f.u.schedule.selects[day] }},
		{"Inställningar", func() fyne.Focusable { return f.u.settings.imap.host }},
		{"Inställningar", func() fyne.Focusable { return f.u.settings.imap.security }},
		{"Inställningar", func() fyne.Focusable { return f.u.settings.imap.markSeen }},
	} {
		f.selectTab(c.tab)
		f.settle()
		field := c.field()
		f.u.win.Canvas().Focus(field)
		if f.u.win.Canvas().Focused() != field {
			t.Errorf("%s: %T took no focus", c.tab, field)
			continue
		}
		typeKey(f.u, fyne.KeyEscape)
		if f.u.tabs.Selected() != f.u.casesTab {
			t.Errorf("%s: Esc in %T did not go back to the inbox", c.tab, field)
		}
	}
	// Never behind an open dialog.
	f.selectTab("Receptlogg")
	f.settle()
	f.u.win.Canvas().Focus(f.u.recept.search)
	f.u.confirm("Fråga?", "En fråga.", "", "Ja", func() {})
	f.u.recept.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.u.tabs.Selected() == f.u.casesTab {
		t.Error("Esc went back behind an open dialog")
	}
	f.confirm("Avbryt")
	f.u.recept.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.u.tabs.Selected() != f.u.casesTab {
		t.Error("Esc did not go back once the dialog was closed")
	}
}

// TestIntygRerouteAndCloseAskFirst: the intyg flow's own Styr om and
// Besvarat och avslutat i 1177 change nothing until the question is
// answered yes; closing warns of an answer not copied and papers not
// marked as sent.
func TestIntygRerouteAndCloseAskFirst(t *testing.T) {
	f := newFixture(t)
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	test.Tap(fl.rerouteBtn)
	f.settle()
	if c := f.caseByRef(refVAB); c.Type != app.TypeVABUnder12 {
		t.Fatalf("Styr om changed the type to %s at once", c.Type)
	}
	if q := f.u.lastConfirm; q.title != "Styra om ärendet?" || !strings.Contains(q.text, app.TypeName(app.TypeVAB1216)) {
		t.Errorf("question %+v", q)
	}
	f.confirm("Avbryt")
	if c := f.caseByRef(refVAB); c.Type != app.TypeVABUnder12 || f.u.caseView.flow == nil {
		t.Fatalf("Avbryt re-routed (%s) or left the flow", c.Type)
	}

	test.Tap(fl.closeBtn)
	f.settle()
	if c := f.caseByRef(refVAB); c.Status == app.StatusAvslutad {
		t.Fatal("closed without asking")
	}
	q := f.u.lastConfirm
	if q.title != "Besvarat och avslutat i 1177?" {
		t.Errorf("title %q", q.title)
	}
	for _, want := range []string{"inte kopierat", "Originalet till Försäkringskassan och kopian till vårdnadshavare är inte markerade"} {
		if !strings.Contains(q.warning, want) {
			t.Errorf("warning %q lacks %q", q.warning, want)
		}
	}
	f.confirm("Avbryt")
	if c := f.caseByRef(refVAB); c.Status == app.StatusAvslutad {
		t.Fatal("Avbryt closed the case")
	}
	// Copied, the original sent: only the copy is warned of.
	test.Tap(fl.finalCopy)
	test.Tap(fl.sentChecks[app.StepOriginalFK])
	f.settle()
	test.Tap(fl.closeBtn)
	f.settle()
	if w := f.u.lastConfirm.warning; w != "Kopian till vårdnadshavare är inte markerad som skickad (steg 5 Skickat)." {
		t.Errorf("warning %q", w)
	}
	f.confirm("Besvarat och avslutat")
	if c := f.caseByRef(refVAB); c.Status != app.StatusAvslutad {
		t.Fatalf("status %s after confirming (last error %q)", c.Status, f.u.lastError)
	}
}

func TestWindowSize(t *testing.T) {
	for _, c := range []struct {
		w, h float64
		want fyne.Size
	}{
		{0, 0, windowDefault},
		{1100, 0, windowDefault},
		{math.NaN(), 700, windowDefault},
		{math.Inf(1), 700, windowDefault},
		{-5, 700, windowDefault},
		{1100, 640, fyne.NewSize(1100, 640)},
		{100, 50, windowMin},
		{99999, 99999, windowMax},
	} {
		if got := windowSize(c.w, c.h); got != c.want {
			t.Errorf("windowSize(%v, %v) = %v, want %v", c.w, c.h, got, c.want)
		}
	}
	if windowDefault.Width > 1024 || windowDefault.Height > 600 {
		t.Errorf("the first size %v does not fit a 1024×600 screen", windowDefault)
	}
}

// TestWindowSizeRemembered: the window opens at the default the first
// time, at the size it was left at the next, per computer account.
func TestWindowSizeRemembered(t *testing.T) {
	db := openDB(t)
	a := test.NewTempApp(t)
	open := func(osUser string) *UI {
		u := newUI(context.Background(), a, Services{Store: db, Now: func() time.Time { return testNow }, OSUser: osUser})
		u.queued = true
		return u
	}
	u := open("test")
	if got := u.win.Canvas().Size(); got != windowDefault {
		t.Fatalf("first start at %v, want %v", got, windowDefault)
	}
	u.win.Resize(fyne.NewSize(1180, 690))
	u.saveWindowSize()
	if got := open("test").win.Canvas().Size(); got != fyne.NewSize(1180, 690) {
		t.Errorf("reopened at %v", got)
	}
	if got := open("other").win.Canvas().Size(); got != windowDefault {
		t.Errorf("another account's first start at %v", got)
	}
	// A size written by hand out of bounds opens clamped.
	a.Preferences().SetFloat("fönsterbredd.test", 50000)
	if got := open("test").win.Canvas().Size(); got != fyne.NewSize(windowMax.Width, 690) {
		t.Errorf("out of bounds: %v", got)
	}
}

// TestStatsTypeFilterGrouped: Statistik offers the inbox's grouped type
// list; Förnya recept is a line of its own, and a group's line counts
// only its types.
func TestStatsTypeFilterGrouped(t *testing.T) {
	f := newFixture(t)
	f.selectTab("Statistik")
	f.settle()
	s := f.u.stats
	if got, want := strings.Join(s.typ.Options[1:], "|"), strings.Join(typeFilterLabels()[1:], "|"); got != want {
		t.Fatalf("options %q, want the inbox's %q", got, want)
	}
	if s.typ.Options[0] != statsAllTypes {
		t.Errorf("first option %q", s.typ.Options[0])
	}
	var recept, sjuk string
	for _, o := range s.typ.Options {
		if o == app.TypeName(app.TypeFornyaRecept) {
			recept = o
		}
		if strings.HasPrefix(o, app.GroupIntygSjukskoterska) {
			sjuk = o
		}
	}
	if recept == "" || sjuk == "" {
		t.Fatalf("Förnya recept %q, Intyg sjuksköterska %q", recept, sjuk)
	}
	s.typ.SetSelected(recept)
	f.settle()
	if got := s.figures["Inkomna"].Text; got != "1" {
		t.Errorf("Förnya recept: Inkomna %q", got)
	}
	s.typ.SetSelected(sjuk)
	f.settle()
	if got := s.figures["Inkomna"].Text; got != "1" {
		t.Errorf("%q: Inkomna %q", sjuk, got)
	}
	s.typ.SetSelected(app.GroupIntygLakare + " (alla)")
	f.settle()
	if got := s.figures["Inkomna"].Text; got != "1" {
		t.Errorf("Intyg läkare: Inkomna %q", got)
	}
	s.typ.SetSelected(statsAllTypes)
	f.settle()
	if got := s.figures["Inkomna"].Text; got != "6" {
		t.Errorf("all types: Inkomna %q", got)
	}
}

// The closed view's total is capped in the store (app.ClosedCountCap):
// beyond it the line under the list says "över 10 000", not a number.
func TestClosedTotalSaysOver(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	in.setView(app.ViewClosed)
	f.settle()
	if got := in.describe(app.ClosedCountCap + 1); !strings.Contains(got, "Avslutade: över 10 000 ärenden") {
		t.Errorf("capped total %q", got)
	}
	if got := in.describe(app.ClosedCountCap); !strings.Contains(got, "10 000 ärenden") || strings.Contains(got, "över") {
		t.Errorf("total at the cap %q", got)
	}
	// While searching, the store stops at the lower search cap.
	in.query = "uddevalla"
	if got := in.describe(app.ClosedSearchCountCap + 1); !strings.Contains(got, "över 1 000 ärenden") {
		t.Errorf("capped search total %q", got)
	}
	if got := in.describe(app.ClosedSearchCountCap); strings.Contains(got, "över") {
		t.Errorf("search total at the cap %q", got)
	}
}
