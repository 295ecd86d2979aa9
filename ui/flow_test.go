package ui

import (
	"context"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/pdf"
)

// Issue 14, items 5 to 8: decisions that ask first, what just arrived,
// plain Swedish, the keyboard. Each test runs the real window on a real
// database (fixture_test.go).

// ---- Item 5: decisions that cannot be taken back ask first.

func TestCloseAsksFirstAndWarnsWithoutAnswer(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100261") // egenremiss
	test.Tap(cv.closeBtn)
	f.settle()
	if c := f.caseByRef("1177-100261"); c.Status == app.StatusAvslutad {
		t.Fatal("Besvara och avsluta closed the case without asking")
	}
	if !f.u.dialogOpen() || f.u.lastConfirm.warning == "" || !strings.Contains(f.u.lastConfirm.warning, "Inget svar") {
		t.Errorf("no warning that no answer was marked as sent: %+v", f.u.lastConfirm)
	}
	f.confirm("Avbryt")
	if c := f.caseByRef("1177-100261"); c.Status == app.StatusAvslutad {
		t.Fatal("Avbryt closed the case")
	}
	test.Tap(cv.closeBtn)
	f.confirm("Besvara och avsluta")
	if c := f.caseByRef("1177-100261"); c.Status != app.StatusAvslutad {
		t.Fatalf("status %s after confirming", c.Status)
	}

	// An answer marked as sent: still asked, no warning.
	ctx := context.Background()
	id := f.ids["1177-100260"]
	reply, ok := f.u.replies.Reply(f.u.replies.ForType(app.TypeJournalkopia)[0].Key)
	if !ok {
		t.Fatal("no reply for journalkopia")
	}
	if _, err := f.db.UpdateCase(ctx, id, hsaEva, func(c *app.Case) ([]app.Event, error) {
		return c.SendReply(app.Reply{Key: reply.Key, Name: reply.Name}, hsaEva, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	cv = f.open("1177-100260")
	if cv.c.Status == app.StatusAvslutad {
		cv = nil // the reply closed it: nothing to ask
	}
	if cv != nil {
		test.Tap(cv.closeBtn)
		f.settle()
		if !f.u.dialogOpen() || f.u.lastConfirm.warning != "" {
			t.Errorf("asked %+v; want a question without the warning", f.u.lastConfirm)
		}
		f.confirm("Avbryt")
	}
}

func TestRerouteAsksFirst(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100250") // avboka/omboka
	cv.rerouteSel.SetSelected(app.TypeName(app.TypeSkickaMeddelande))
	test.Tap(cv.rerouteBtn)
	f.settle()
	if c := f.caseByRef("1177-100250"); c.Type != app.TypeAvbokaOmboka {
		t.Fatalf("Styr om changed the type to %s at once", c.Type)
	}
	if !strings.Contains(f.u.lastConfirm.text, app.TypeName(app.TypeSkickaMeddelande)) ||
		!strings.Contains(f.u.lastConfirm.text, "Checklistan börjar om") {
		t.Errorf("question %q", f.u.lastConfirm.text)
	}
	f.confirm("Avbryt")
	if c := f.caseByRef("1177-100250"); c.Type != app.TypeAvbokaOmboka {
		t.Fatalf("Avbryt re-routed to %s", c.Type)
	}
	cv.rerouteSel.SetSelected(app.TypeName(app.TypeSkickaMeddelande))
	test.Tap(cv.rerouteBtn)
	f.confirm("Styr om")
	if c := f.caseByRef("1177-100250"); c.Type != app.TypeSkickaMeddelande {
		t.Fatalf("type %s after confirming", c.Type)
	}
}

func TestRemovePeriodAsksFirst(t *testing.T) {
	f := newFixture(t)
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	test.Tap(fl.nextBtn)
	fillForm(fl, "20170101-0008")
	test.Tap(fl.addPeriod)
	test.Type(fl.periods[1].from, "2026-11-30")
	test.Type(fl.periods[1].to, "2026-12-02")
	// A period with dates asks.
	test.Tap(fl.periods[1].remove)
	if len(fl.periods) != 2 || !f.u.dialogOpen() {
		t.Fatalf("%d periods, dialog %v: removed without asking", len(fl.periods), f.u.dialogOpen())
	}
	if !strings.Contains(f.u.lastConfirm.text, "2026-11-30 – 2026-12-02") {
		t.Errorf("question %q does not name the period", f.u.lastConfirm.text)
	}
	f.confirm("Ta bort")
	if len(fl.periods) != 1 || fl.periods[0].from.Text != "2026-11-20" {
		t.Fatalf("%d periods after removing, first from %q", len(fl.periods), fl.periods[0].from.Text)
	}
	// An empty period goes at once.
	test.Tap(fl.addPeriod)
	test.Tap(fl.periods[1].remove)
	if len(fl.periods) != 1 || f.u.dialogOpen() {
		t.Errorf("empty period: %d periods, dialog %v", len(fl.periods), f.u.dialogOpen())
	}
}

func TestAssignNeedsAPerson(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100240")
	cv.assignTo.ClearSelected()
	if !cv.assignBtn.Disabled() {
		t.Error("Fördela is enabled with nobody chosen")
	}
	cv.assignTo.SetSelected(cv.assignTo.Options[0])
	if cv.assignBtn.Disabled() {
		t.Error("Fördela stays disabled with a person chosen")
	}
	// Re-drawn without a choice (the case is assigned, nothing suggested).
	test.Tap(cv.assignBtn)
	f.settle()
	if cv.assignTo.Selected == "" && !cv.assignBtn.Disabled() {
		t.Error("Fördela is enabled after re-drawing with nobody chosen")
	}
}

// ---- Item 6: see what just arrived.

// syncRecorder is the window's "Synka nu" for tests: it counts the asks.
type syncRecorder struct{ asked int }

func (s *syncRecorder) SyncNow() { s.asked++ }

func TestStatusBarLastNoticeAndSyncNow(t *testing.T) {
	db := openDB(t)
	seedStaff(t, db)
	f := &fixture{t: t, db: db, ids: seedCases(t, db)}
	f.a = test.NewTempApp(t)
	f.a.Preferences().SetString("medarbetare.test", hsaEva)
	syncer := &syncRecorder{}
	f.u = newUI(context.Background(), f.a, Services{Store: f.db, Intyg: app.NewIntygService(f.db, pdf.Renderer{}),
		Now: func() time.Time { return testNow }, OSUser: "test", Intake: syncer})
	f.u.queued, f.u.debounce, f.u.coalesce = true, 0, 0
	f.u.start()
	f.settle()
	sb := f.u.status
	if sb.notice.Text != "Ingen notis sedan start" {
		t.Errorf("notice before any: %q", sb.notice.Text)
	}
	newCase := func(ref string) app.IngestResult {
		c := app.NewCase(app.TypeFornyaRecept, testNow, f.db.Calendar())
		c.Reference = ref
		c.PatientName = "Hemlig Person" // never shown in the status bar
		if err := f.db.CreateCase(context.Background(), c, app.ActorSystem); err != nil {
			t.Fatal(err)
		}
		return app.IngestResult{Outcome: app.OutcomeNew, CaseID: c.ID}
	}
	notice := &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeFornyaRecept}
	f.u.OnNewCase(newCase("1177-200001"), notice)
	f.settle()
	if sb.notice.Text != "Senaste notis 10:00: nytt ärende, Förnya recept" {
		t.Errorf("last notice %q", sb.notice.Text)
	}
	if strings.Contains(sb.notice.Text, "Hemlig") {
		t.Error("the status bar shows patient data")
	}

	// Synka nu: says it runs, then what it found.
	test.Tap(sb.sync)
	if syncer.asked != 1 || sb.synced.Text != "Synkar …" {
		t.Fatalf("asked %d, status %q", syncer.asked, sb.synced.Text)
	}
	f.u.OnSyncState(app.IntakeFetching, nil)
	for _, ref := range []string{"1177-200002", "1177-200003", "1177-200004"} {
		f.u.OnNewCase(newCase(ref), notice)
	}
	f.u.OnSyncState(app.IntakeWatching, nil)
	f.settle()
	if sb.synced.Text != "Synkat 10:00 – 3 nya ärenden" {
		t.Errorf("after the sync: %q", sb.synced.Text)
	}
	test.Tap(sb.sync)
	f.u.OnSyncState(app.IntakeFetching, nil)
	f.u.OnSyncState(app.IntakeWatching, nil)
	f.settle()
	if sb.synced.Text != "Synkat 10:00 – inga nya ärenden" {
		t.Errorf("a sync that found nothing: %q", sb.synced.Text)
	}
	// A notice outside a sync changes the last-notice line only.
	f.u.OnNewCase(app.IngestResult{Outcome: app.OutcomeUpdated, CaseID: f.ids["1177-100231"]},
		&app.Notice{Kind: app.NoticeTilldelat, Type: app.TypeFornyaRecept})
	f.settle()
	if sb.notice.Text != "Senaste notis 10:00: ärende tilldelat, Förnya recept" || !strings.Contains(sb.synced.Text, "inga nya") {
		t.Errorf("notice %q, synced %q", sb.notice.Text, sb.synced.Text)
	}
}

// rowShown is what the inbox list draws for row i: the type's label and
// the highlight behind the row.
func rowShown(t *testing.T, in *inboxScreen, i int) (typ *widget.Label, mark *canvas.Rectangle, cells []fyne.CanvasObject) {
	t.Helper()
	obj := in.list.CreateItem()
	in.list.UpdateItem(i, obj)
	stack := obj.(*fyne.Container)
	cols := stack.Objects[1].(*fyne.Container)
	return cols.Objects[0].(*widget.Label), stack.Objects[0].(*canvas.Rectangle), cols.Objects
}

func TestNewRowsHighlightedUntilSeen(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	for i := range in.rows {
		if typ, _, _ := rowShown(t, in, i); typ.TextStyle.Bold {
			t.Errorf("row %d is new on the first day of use", i)
		}
	}
	c := app.NewCase(app.TypeEgenremiss, testNow.Add(-time.Hour), f.db.Calendar())
	c.Reference = "1177-300001"
	if err := f.db.CreateCase(context.Background(), c, app.ActorSystem); err != nil {
		t.Fatal(err)
	}
	f.ids[c.Reference] = c.ID
	in.reload()
	f.settle()
	row := -1
	for i, r := range in.rows {
		if r.ID == c.ID {
			row = i
		}
	}
	if row < 0 {
		t.Fatal("the new case is not listed")
	}
	typ, mark, _ := rowShown(t, in, row)
	if !typ.TextStyle.Bold || mark.FillColor == color.Transparent || mark.FillColor == nil {
		t.Fatalf("the new case's row is not highlighted (bold %v, fill %v)", typ.TextStyle.Bold, mark.FillColor)
	}
	// Seen once opened, here and in the store.
	f.open(c.Reference)
	f.u.closeCase()
	f.settle()
	for i, r := range in.rows {
		if r.ID == c.ID {
			if typ, _, _ := rowShown(t, in, i); typ.TextStyle.Bold {
				t.Error("the row is still highlighted after the case was opened")
			}
		}
	}
	if seen, err := f.db.SeenCases(context.Background(), hsaEva); err != nil || seen.IsNew(c) {
		t.Errorf("the store does not remember it was seen: %+v %v", seen, err)
	}
	// Another person still sees it as new.
	if seen, _ := f.db.SeenCases(context.Background(), hsaAnna); !seen.IsNew(c) && seen.After < c.ID {
		t.Error("Anna's record lost the case")
	}
}

func TestLateAnswerStillShowsLate(t *testing.T) {
	f := newFixture(t)
	// Received Friday 20/11, due Tuesday 24/11, answered Wednesday 25/11.
	cv := f.open("1177-100231")
	test.Tap(cv.delsvar)
	f.settle()
	if !strings.Contains(cv.due.Text, "Besvarad sent (1 dag)") {
		t.Errorf("case view says %q", cv.due.Text)
	}
	f.u.closeCase()
	f.settle()
	in := f.u.inbox
	for i, r := range in.rows {
		if r.Reference != "1177-100231" {
			continue
		}
		_, _, cells := rowShown(t, in, i)
		flag := cells[5].(*fyne.Container)
		var text string
		for _, o := range flag.Objects {
			if l, ok := o.(*widget.Label); ok {
				text = l.Text
			}
		}
		if text != "Besvarad sent (1 dag)" {
			t.Errorf("the list says %q", text)
		}
	}
	// An answer in time says nothing of the kind.
	cv = f.open("1177-100261")
	test.Tap(cv.delsvar)
	f.settle()
	if strings.Contains(cv.due.Text, "sent") {
		t.Errorf("an answer in time: %q", cv.due.Text)
	}
}

// ---- Item 7: plain Swedish.

func TestAccessLogShowsActionsInWords(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	cv.patientPnr.SetText("20190312-9805") // test series
	cv.patientName.SetText("Alva Testsson")
	test.Tap(cv.patientBtn)
	f.settle()
	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	f.u.closeCase()
	f.open("1177-100231") // a view with patient data: "visa"
	f.u.closeCase()
	f.settle()
	f.selectTab("Åtkomstlogg")
	a := f.u.audit
	test.Tap(a.search)
	f.settle()
	if len(a.rows) == 0 {
		t.Fatal("no access-log rows")
	}
	var details []string
	for i := range a.rows {
		action, detail := a.cell(widgetCell(i, 5)), a.cell(widgetCell(i, 6))
		details = append(details, action+": "+detail)
		for _, code := range []string{"step-done", "patient", "skriv-ut", "ändra", "visa"} {
			if detail == code || strings.Contains(detail, code+",") || strings.HasPrefix(action, code) {
				t.Errorf("row %d shows a code: %q / %q", i, action, detail)
			}
		}
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{"Bockade av ett steg", "Visade ärendet"} {
		if !strings.Contains(all, want) {
			t.Errorf("the log lacks %q:\n%s", want, all)
		}
	}
}

func TestFileDialogInSwedish(t *testing.T) {
	f := newFixture(t)
	askSave(f.u.win, "x.csv", func(error) {}, func(fyne.URIWriteCloser) {})
	top := f.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no file dialog")
	}
	var names []string
	for _, l := range findLists(top) {
		for i := 0; i < l.Length(); i++ {
			o := l.CreateItem()
			l.UpdateItem(i, o)
			for _, lbl := range findLabels(o) {
				names = append(names, lbl.Text)
			}
		}
	}
	joined := strings.Join(names, " ")
	if !strings.Contains(joined, "Hem") || strings.Contains(joined, "Home") || strings.Contains(joined, "Computer") {
		t.Errorf("the dialog's places: %q", names)
	}
	top.Hide()
}

func TestStatsDateErrorShowsRedAndClears(t *testing.T) {
	f := newFixture(t)
	s := f.u.stats
	s.Refresh()
	f.settle()
	if s.stats == nil || s.figures["Inkomna"].Text != "6" {
		t.Fatalf("statistics not shown: %q (%q)", s.figures["Inkomna"].Text, s.lastErr)
	}
	s.from.SetText("2026-13-01")
	s.Refresh()
	f.settle()
	if s.lastErr == "" || s.message.Importance != widget.DangerImportance {
		t.Errorf("date error %q shown with importance %v, want the error colour", s.lastErr, s.message.Importance)
	}
	if s.stats != nil || s.figures["Inkomna"].Text != "–" || len(s.chart.weeks) != 0 || !s.exportBtn.Disabled() {
		t.Errorf("the old period stays on screen: figures %q, %d weeks, export enabled %v",
			s.figures["Inkomna"].Text, len(s.chart.weeks), !s.exportBtn.Disabled())
	}
	// A good period again: the text colour, the figures back.
	s.from.SetText("2026-11-01")
	s.Refresh()
	f.settle()
	if s.message.Importance == widget.DangerImportance || s.figures["Inkomna"].Text != "6" {
		t.Errorf("after a good period: importance %v, Inkomna %q", s.message.Importance, s.figures["Inkomna"].Text)
	}
}

// ---- Item 8: the keyboard.

// typeKey sends key to whatever has the focus, or to the window, as the
// desktop driver does.
func typeKey(u *UI, key fyne.KeyName) {
	e := &fyne.KeyEvent{Name: key}
	if fo := u.win.Canvas().Focused(); fo != nil {
		fo.TypedKey(e)
		return
	}
	if h := u.win.Canvas().OnTypedKey(); h != nil {
		h(e)
	}
}

func TestEscGoesBackAfterAClickAndNeverBehindADialog(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	// A click on a check box gives it the focus; Esc still goes back.
	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	if f.u.win.Canvas().Focused() == nil {
		t.Log("the check box took no focus")
	}
	typeKey(f.u, fyne.KeyEscape)
	f.settle()
	if f.u.caseView != nil {
		t.Fatal("Esc did not go back after a click on a check box")
	}
	// After a click on a choice list too.
	cv = f.open("1177-100240")
	test.Tap(cv.assignTo)
	if top := f.u.win.Canvas().Overlays().Top(); top != nil {
		top.Hide() // the list's menu, closed by a click beside it
	}
	typeKey(f.u, fyne.KeyEscape)
	f.settle()
	if f.u.caseView != nil {
		t.Fatal("Esc did not go back after a click on a choice list")
	}
	// Never behind a dialog: the question stays, the case too.
	cv = f.open("1177-100261")
	test.Tap(cv.closeBtn)
	typeKey(f.u, fyne.KeyEscape)
	f.u.onEscape()
	f.settle()
	if f.u.caseView == nil {
		t.Fatal("Esc went back behind the open dialog")
	}
	f.confirm("Avbryt")
	typeKey(f.u, fyne.KeyEscape)
	f.settle()
	if f.u.caseView != nil {
		t.Error("Esc did not go back once the dialog was closed")
	}
	// From a date field in Statistik, back to the inbox.
	f.selectTab("Statistik")
	f.u.win.Canvas().Focus(f.u.stats.from)
	typeKey(f.u, fyne.KeyEscape)
	if f.u.tabs.Selected() != f.u.casesTab {
		t.Error("Esc in Statistik's date field did not go back to the inbox")
	}
}

func TestLoginByEnterAndDoubleClick(t *testing.T) {
	for _, how := range []string{"enter", "double-click"} {
		t.Run(how, func(t *testing.T) {
			db := openDB(t)
			seedStaff(t, db)
			f := &fixture{t: t, db: db, ids: seedCases(t, db)}
			f.a = test.NewTempApp(t)
			f.start() // nobody remembered: "Vem arbetar?"
			l := f.u.login
			if l.picker == nil || f.u.me != nil {
				t.Fatal("the login screen is not shown")
			}
			switch how {
			case "enter":
				typeKey(f.u, fyne.KeyDown) // the first person
				typeKey(f.u, fyne.KeyDown) // the second
				typeKey(f.u, fyne.KeyReturn)
			case "double-click":
				row := l.picker.CreateItem().(*pickerRow)
				l.picker.UpdateItem(1, row)
				test.DoubleTap(row)
			}
			f.settle()
			if f.u.me == nil || f.u.me.HSAID != l.staff[1].HSAID {
				t.Fatalf("signed in as %v, want %s", f.u.me, l.staff[1].Name)
			}
		})
	}
}

func TestSearchEnterOpensTheCase(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	f.u.win.Canvas().Focus(in.search)
	test.Type(in.search, "uddevalla")
	typeKey(f.u, fyne.KeyReturn)
	f.settle()
	if f.u.caseView == nil || f.u.caseView.id != in.rows[0].ID {
		t.Fatal("one Enter in the search field did not open the first case")
	}
	f.u.closeCase()
	f.settle()
	// ↓ in the search field chooses the next row; Enter opens it.
	f.u.win.Canvas().Focus(in.search)
	typeKey(f.u, fyne.KeyDown)
	typeKey(f.u, fyne.KeyDown)
	want := in.rows[1].ID
	typeKey(f.u, fyne.KeyReturn)
	f.settle()
	if f.u.caseView == nil || f.u.caseView.id != want {
		t.Fatal("Enter did not open the row chosen with ↓")
	}
}

func TestColumnHeadersSortAndReferenceColumn(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	var refHeader, lage *sortHeader
	for _, h := range in.headers {
		switch h.title {
		case "Ärendenummer":
			refHeader = h
		case "Läge":
			lage = h
		}
	}
	if refHeader == nil || lage == nil {
		t.Fatal("no Ärendenummer column")
	}
	_, _, cells := rowShown(t, in, 0)
	if cells[1].(*widget.Label).Text != in.rows[0].Reference {
		t.Errorf("the Ärendenummer cell shows %q", cells[1].(*widget.Label).Text)
	}
	refs := func() []string {
		var out []string
		for _, r := range in.rows {
			out = append(out, r.Reference)
		}
		return out
	}
	test.Tap(refHeader)
	f.settle()
	if got := strings.Join(refs(), " "); got != "1177-100231 1177-100232 1177-100240 1177-100250 1177-100260 1177-100261" {
		t.Errorf("sorted by Ärendenummer: %s", got)
	}
	test.Tap(refHeader)
	f.settle()
	if got := refs(); got[0] != "1177-100261" || got[5] != "1177-100231" {
		t.Errorf("reversed: %v", got)
	}
	if !strings.Contains(in.summary.Text, "sorterat på Ärendenummer") {
		t.Errorf("summary %q", in.summary.Text)
	}
	var inkom *sortHeader
	for _, h := range in.headers {
		if h.title == "Inkom" {
			inkom = h
		}
	}
	test.Tap(inkom)
	f.settle()
	if got := refs(); got[0] != "1177-100231" || got[5] != "1177-100261" {
		t.Errorf("by Inkom: %v", got)
	}
	test.Tap(lage)
	f.settle()
	if in.sort.Sorted() || !strings.Contains(in.summary.Text, "mest brådskande först") {
		t.Errorf("Läge does not go back to the urgency order: %+v %q", in.sort, in.summary.Text)
	}
}

func TestTypeFilterListsRealTypes(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	opts := strings.Join(in.group.Options, "\n")
	for _, ct := range app.CaseTypes() {
		if !strings.Contains(opts, ct.Name) {
			t.Errorf("the type filter lacks %q", ct.Name)
		}
	}
	// Förnya recept is a line of its own, not under Intyg sjuksköterska.
	var recept, sjuk string
	for _, o := range in.group.Options {
		if strings.TrimSpace(o) == app.TypeName(app.TypeFornyaRecept) {
			recept = o
		}
		if strings.HasPrefix(o, app.GroupIntygSjukskoterska) {
			sjuk = o
		}
	}
	if recept == "" || recept != strings.TrimSpace(recept) {
		t.Errorf("Förnya recept's line %q", recept)
	}
	in.group.SetSelected(sjuk)
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Type != app.TypeVABUnder12 {
		t.Errorf("%q: %d rows", sjuk, len(in.rows))
	}
	in.group.SetSelected(recept)
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Type != app.TypeFornyaRecept {
		t.Errorf("Förnya recept: %d rows", len(in.rows))
	}
	// One type under its group's heading.
	in.group.SetSelected(typeFilterIndent + app.TypeName(app.TypeKorkort))
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Type != app.TypeKorkort {
		t.Errorf("körkort: %d rows", len(in.rows))
	}
	in.group.SetSelected(app.GroupIntygLakare + " (alla)")
	f.settle()
	if len(in.rows) != 1 {
		t.Errorf("Intyg läkare: %d rows", len(in.rows))
	}
}
