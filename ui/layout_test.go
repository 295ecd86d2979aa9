package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Issue 14, items 3 and 4: the window fits a laptop's 1024×600 with its
// main actions in view, and nothing moves under the mouse when a banner
// or an error line appears.

var laptop = fyne.NewSize(1024, 600)

// relayout lays the window out again, as the real canvas does each frame
// (the test canvas does not when a label's text grows).
func (f *fixture) relayout() {
	for _, o := range test.LaidOutObjects(f.u.win.Canvas().Content()) {
		if c, ok := o.(*fyne.Container); ok {
			c.Refresh()
		}
	}
}

// children are the objects o shows: a container's, a scroll's content,
// a widget's renderer's.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case *container.Scroll:
		return []fyne.CanvasObject{x.Content}
	case fyne.Widget:
		return test.WidgetRenderer(x).Objects()
	}
	return nil
}

// pathTo is the chain of shown objects from root to target (both
// included), or nil when target is not shown under root.
func pathTo(root, target fyne.CanvasObject) []fyne.CanvasObject {
	if root == nil || !root.Visible() {
		return nil
	}
	if root == target {
		return []fyne.CanvasObject{root}
	}
	for _, c := range children(root) {
		if p := pathTo(c, target); p != nil {
			return append([]fyne.CanvasObject{root}, p...)
		}
	}
	return nil
}

// placement says where o is in the window: its position, and whether it
// is shown, inside the window, and inside a scroll (and, if so, whether
// the scroll shows it as it stands).
type placement struct {
	pos      fyne.Position
	size     fyne.Size
	shown    bool
	inWindow bool
	scrolled bool // inside a scroll container
	inView   bool // inside every scroll's view as scrolled now
}

func (f *fixture) place(o fyne.CanvasObject) placement {
	f.t.Helper()
	c := f.u.win.Canvas()
	path := pathTo(c.Content(), o)
	if path == nil {
		return placement{}
	}
	p := placement{shown: true, inView: true, size: o.Size()}
	// Absolute positions along the path; a scroll's content is moved by
	// the scroll's offset already.
	abs := make([]fyne.Position, len(path))
	var at fyne.Position
	for i, x := range path {
		if i > 0 {
			at = at.Add(x.Position())
		}
		abs[i] = at
	}
	p.pos = abs[len(abs)-1]
	end := p.pos.Add(fyne.NewPos(p.size.Width, p.size.Height))
	win := c.Size()
	p.inWindow = p.pos.X >= 0 && p.pos.Y >= 0 && end.X <= win.Width+0.5 && end.Y <= win.Height+0.5
	for i, x := range path[:len(path)-1] {
		s, ok := x.(*container.Scroll)
		if !ok {
			continue
		}
		p.scrolled = true
		top, bottom := abs[i], abs[i].Add(fyne.NewPos(s.Size().Width, s.Size().Height))
		if p.pos.X < top.X || p.pos.Y < top.Y || end.X > bottom.X+0.5 || end.Y > bottom.Y+0.5 {
			p.inView = false
		}
	}
	return p
}

// assertPinned fails unless button b is shown inside the window, outside
// every scroll container: in view whatever is scrolled.
func (f *fixture) assertPinned(where string, b fyne.CanvasObject) {
	f.t.Helper()
	p := f.place(b)
	name := fmt.Sprintf("%T", b)
	if btn, ok := b.(*widget.Button); ok {
		name = fmt.Sprintf("%q", btn.Text)
	}
	switch {
	case !p.shown:
		f.t.Errorf("%s: %s is not shown", where, name)
	case !p.inWindow:
		f.t.Errorf("%s: %s at %v size %v is outside the %v window", where, name, p.pos, p.size, f.u.win.Canvas().Size())
	case p.scrolled:
		f.t.Errorf("%s: %s is inside a scroll container", where, name)
	}
}

// assertInView fails unless o is shown inside the window and inside the
// view of the scrolls it is in, as they are scrolled now.
func (f *fixture) assertInView(where string, o fyne.CanvasObject) {
	f.t.Helper()
	p := f.place(o)
	if !p.shown || !p.inWindow || !p.inView {
		f.t.Errorf("%s: %T not in view without scrolling: %+v", where, o, p)
	}
}

// assertFits fails when the window's content needs more than 1024×600.
func (f *fixture) assertFits(where string) {
	f.t.Helper()
	if m := f.u.win.Content().MinSize(); m.Width > laptop.Width || m.Height > laptop.Height {
		f.t.Errorf("%s: the window needs %.0f×%.0f, more than %.0f×%.0f", where, m.Width, m.Height, laptop.Width, laptop.Height)
	}
}

// seedEveryType stores one open case of each type the routine knows, the
// fixture's six included.
func seedEveryType(t *testing.T, f *fixture) {
	t.Helper()
	have := map[string]bool{}
	for ref := range f.ids {
		have[f.caseByRef(ref).Type] = true
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, app.Stockholm)
	for i, ty := range app.CaseTypes() {
		if have[ty.Key] {
			continue
		}
		c := app.NewCase(ty.Key, at, f.db.Calendar())
		c.Unit, c.Reference = "BUP Trollhättan", fmt.Sprintf("1177-2000%02d", i)
		if err := f.db.CreateCase(context.Background(), c, app.ActorSystem); err != nil {
			t.Fatal(err)
		}
		f.ids[c.Reference] = c.ID
	}
}

// TestFitsALaptop: at 1024×600 the window's content needs no more room
// than it has, on every tab, in the case view of every type and on every
// page of the intyg flow; and the main actions are in view without
// scrolling.
func TestFitsALaptop(t *testing.T) {
	f := newFixture(t) // the mottagning's details come before the intyg
	seedEveryType(t, f)
	f.u.win.Resize(laptop)
	f.settle()

	for _, it := range f.u.tabs.Items {
		f.u.tabs.Select(it)
		f.settle()
		f.relayout()
		f.assertFits("tab " + it.Text)
		if m := it.Content.MinSize(); m.Width > laptop.Width || m.Height > laptop.Height {
			t.Errorf("tab %s needs %.0f×%.0f", it.Text, m.Width, m.Height)
		}
		switch it.Text {
		case "Statistik":
			f.assertPinned(it.Text, f.u.stats.exportBtn)
			f.assertPinned(it.Text, f.u.stats.csvBtn)
			assertColumnsFit(t, it.Text, it.Content, f.u.stats.table)
		case "Receptlogg":
			f.assertPinned(it.Text, f.u.recept.exportBtn)
			f.assertPinned(it.Text, f.u.recept.newBtn)
			assertColumnsFit(t, it.Text, it.Content, f.u.recept.table)
		case "Personal":
			f.assertPinned(it.Text, f.u.staffs.save)
		}
	}

	f.u.tabs.Select(f.u.casesTab)
	for ref := range f.ids {
		cv := f.open(ref)
		f.relayout()
		where := "case " + cv.c.Type
		f.assertFits(where)
		f.assertPinned(where, cv.copyBtn)
		f.assertPinned(where, cv.markSentBtn)
		f.assertPinned(where, cv.closeBtn)
		f.assertPinned(where, cv.assignBtn)
		if len(cv.replySel.Options) > 0 {
			// A reply with its details missing (no mottagning's phone
			// yet): the warning above Kopiera still fits.
			cv.replySel.SetSelected(cv.replySel.Options[0])
			f.settle()
			f.relayout()
			f.assertFits(where + " with a reply chosen")
			f.assertPinned(where+" with a reply chosen", cv.copyBtn)
		}
		cv.onBackTapped()
		f.settle()
	}

	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	for p := 0; p < intygPages; p++ {
		fl.goTo(p)
		f.settle()
		f.relayout()
		where := "intyg page " + intygPageNames[p]
		f.assertFits(where)
		f.assertPinned(where, fl.nextBtn)
		f.assertPinned(where, fl.backBtn)
		switch p {
		case intygPageDelsvar:
			f.assertPinned(where, fl.delsvarCopy)
			f.assertPinned(where, fl.delsvarSent)
		case intygPagePDF:
			f.assertInView(where, fl.createBtn)
		case intygPageClose:
			f.assertPinned(where, fl.finalCopy)
			f.assertPinned(where, fl.closeBtn)
		}
	}
}

// assertColumnsFit fails when a table laid out by fitColumns has columns
// that end beyond its width: the last would be cut off.
func assertColumnsFit(t *testing.T, where string, root fyne.CanvasObject, tb *widget.Table) {
	t.Helper()
	var box *fyne.Container
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok {
			if l, ok := c.Layout.(*fitColumnsLayout); ok && l.table == tb {
				box = c
			}
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	walk(root)
	if box == nil {
		t.Errorf("%s: the table's columns are not fitted to its width", where)
		return
	}
	_, cols := tb.Length()
	applied := box.Layout.(*fitColumnsLayout).applied
	if cols == 0 || len(applied) < cols {
		t.Errorf("%s: %d columns, %d widths", where, cols, len(applied))
		return
	}
	var w float32
	for _, cw := range applied[:cols] {
		w += cw + theme.Padding()
	}
	if w > box.Size().Width {
		t.Errorf("%s: the table's %d columns need %.0f, it has %.0f", where, cols, w, box.Size().Width)
	}
}

// TestNothingMovesUnderTheMouse: the case's buttons stay where they are
// when the Melior warning, who else has the case open, who changed it,
// "Uppgifter saknas" and an error line appear; the intyg form's fields
// and buttons stay when the age check or a field's error appears.
func TestNothingMovesUnderTheMouse(t *testing.T) {
	f := newFixture(t) // no mottagning details: "Uppgifter saknas"
	f.u.win.Resize(laptop)
	cv := f.open("1177-100231") // förnya recept, with the Melior step
	f.relayout()
	watched := map[string]fyne.CanvasObject{
		"Besvarat och avslutat": cv.closeBtn, "Fördela": cv.assignBtn, "Kopiera": cv.copyBtn,
		"Markera som skickat": cv.markSentBtn, "Spara anteckning": cv.noteBtn, "Spara patient": cv.patientBtn,
		"Styr om": cv.rerouteBtn,
	}
	// The checklist's rows are made again at each change: watch the row
	// after the step ticked.
	stepRow := func() fyne.CanvasObject { return cv.steps.Objects[len(cv.steps.Objects)-1] }
	lastStep := f.place(stepRow()).pos
	before := map[string]fyne.Position{}
	for name, o := range watched {
		p := f.place(o)
		if !p.shown {
			t.Fatalf("%s not shown", name)
		}
		before[name] = p.pos
	}
	check := func(after string) {
		t.Helper()
		f.relayout()
		for name, o := range watched {
			if p := f.place(o); p.pos != before[name] {
				t.Errorf("after %s, %s moved from %v to %v", after, name, before[name], p.pos)
			}
		}
		if p := f.place(stepRow()); p.pos != lastStep {
			t.Errorf("after %s, the checklist's last step moved from %v to %v", after, lastStep, p.pos)
		}
	}

	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	if !cv.melior.Visible() {
		t.Fatal("no Melior warning")
	}
	check("the Melior warning")

	cv.showViewers([]app.Presence{{Session: "other", HSAID: hsaAnna, Since: testNow}})
	cv.showChangedBy(&app.Change{Actor: hsaAnna, At: testNow})
	if !cv.live.viewers.Visible() || !cv.live.changedBy.Visible() {
		t.Fatal("presence lines not shown")
	}
	check("who has it open and who changed it")

	for _, o := range cv.replySel.Options {
		if strings.HasPrefix(o, "Delsvar") {
			cv.replySel.SetSelected(o)
			break
		}
	}
	f.settle()
	if !cv.replyInfo.Visible() || !strings.Contains(cv.replyInfo.Text, "Uppgifter saknas") {
		t.Fatalf("reply info %q (visible %v)", cv.replyInfo.Text, cv.replyInfo.Visible())
	}
	check("Uppgifter saknas")

	cv.patientPnr.SetText("20190312-9806")
	test.Tap(cv.patientBtn)
	f.settle()
	if !cv.patientErr.Visible() {
		t.Fatal("no error for a bad personnummer")
	}
	check("the personnummer's error")

	// The intyg form: a field's error and the age check.
	cv.onBackTapped()
	f.settle()
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	fl.goTo(intygPageForm)
	f.relayout()
	formWatched := map[string]fyne.CanvasObject{"Nästa": fl.nextBtn, "Tillbaka": fl.backBtn,
		"guardian's name": fl.guardians[0].name, "diagnosis": fl.diagnosis, "Lägg till period": fl.addPeriod,
		"contact date": fl.contactDate}
	formBefore := map[string]fyne.Position{}
	for name, o := range formWatched {
		formBefore[name] = f.place(o).pos
	}
	checkForm := func(after string) {
		t.Helper()
		f.relayout()
		for name, o := range formWatched {
			if p := f.place(o); p.pos != formBefore[name] {
				t.Errorf("after %s, %s moved from %v to %v", after, name, formBefore[name], p.pos)
			}
		}
	}
	retype(fl.childPnr, "2019")
	f.settle()
	if errShown(fl, "child.personnummer") == "" {
		t.Fatal("no error under a half-typed personnummer")
	}
	checkForm("the personnummer's error")

	retype(fl.childPnr, "20141120-9818") // 12 on the first day of care
	retype(fl.periods[0].from, "2026-11-20")
	f.settle()
	if !fl.tooOld.Visible() {
		t.Fatal("no age check")
	}
	if p := f.place(fl.rerouteBtn); !p.shown || !p.inWindow || p.scrolled {
		t.Errorf("the re-route offer is not in view: %+v", p)
	}
	checkForm("the age check")
}
