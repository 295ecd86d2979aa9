package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/pdf"
)

// Issue 12's screens, tapped through on a real database.

func refs(rows []*app.Case) []string {
	var out []string
	for _, c := range rows {
		out = append(out, c.Reference)
	}
	return out
}

func hasRef(rows []*app.Case, ref string) bool {
	for _, c := range rows {
		if c.Reference == ref {
			return true
		}
	}
	return false
}

// Item 1: a förnya recept closed in 1177 before Melior and the receptlogg
// warns, naming the steps, and stays in Mina and in Efterarbete.
func TestEfterarbeteInMinaAndCloseWarns(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	test.Tap(cv.assignMe)
	f.settle()
	test.Tap(cv.closeBtn)
	f.confirm("Besvara och avsluta")
	c := f.caseByRef("1177-100231")
	if c.Status != app.StatusAvslutad || !c.Efterarbete() {
		t.Fatalf("status %s, efterarbete %v", c.Status, c.Efterarbete())
	}
	if cv.closeWarning == "" || !strings.Contains(cv.closeWarning, "Melior") {
		t.Errorf("close warning %q does not name the Melior step", cv.closeWarning)
	}
	f.u.closeCase()
	f.settle()
	in := f.u.inbox
	if got := in.small[app.ViewEfterarbete].Text; got != "Efterarbete: 1" {
		t.Errorf("counter %q", got)
	}
	if in.tiles["mine"].value != 1 {
		t.Errorf("Mina = %d, want 1 (efterarbete)", in.tiles["mine"].value)
	}
	in.setView(app.ViewMine)
	f.settle()
	if !hasRef(in.rows, "1177-100231") {
		t.Errorf("Mina %v lacks the closed case with steps left", refs(in.rows))
	}
	test.Tap(in.small[app.ViewEfterarbete])
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Reference != "1177-100231" {
		t.Errorf("Efterarbete shows %v", refs(in.rows))
	}
	if !strings.HasPrefix(in.summary.Text, "Efterarbete: 1 ärende") {
		t.Errorf("summary %q", in.summary.Text)
	}
}

// Item 2: the citizen's answer puts the case back, flagged, with its
// own view and counter.
func TestCitizenAnsweredFlaggedAndListed(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100261")
	test.Tap(cv.motfraga)
	f.settle()
	later := testNow.Add(time.Hour) // the citizen answers an hour later
	f.u.s.Now = func() time.Time { return later }
	test.Tap(cv.replied)
	f.settle()
	c := f.caseByRef("1177-100261")
	if !c.CitizenPending() || c.NextFeedbackDue.IsZero() {
		t.Fatalf("not pending: %+v", c)
	}
	f.u.closeCase()
	f.settle()
	in := f.u.inbox
	if got := in.small[app.ViewCitizenAnswered].Text; got != "Invånaren har svarat: 1" {
		t.Errorf("counter %q", got)
	}
	test.Tap(in.small[app.ViewCitizenAnswered])
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Reference != "1177-100261" {
		t.Fatalf("view shows %v", refs(in.rows))
	}
	r, _ := newInboxRow()
	r.showAt(in.rows[0], later, f.u.staffName, f.db.Calendar(), f.u.staleDays)
	if r.flag.Text != app.FlagCitizenAnswered.Swedish() {
		t.Errorf("row flag %q, want %q", r.flag.Text, app.FlagCitizenAnswered.Swedish())
	}
}

// Item 2: with the clinic's stale days set to 3, the cases of Friday the
// 20th (no action since) are in "Ingen åtgärd på 3 dagar".
func TestStaleCaseInItsView(t *testing.T) {
	f := newFixture(t)
	if err := f.db.SetSetting(context.Background(), app.SettingStaleDays, "3"); err != nil {
		t.Fatal(err)
	}
	f.u.refreshAll()
	f.settle()
	in := f.u.inbox
	if got := in.small[app.ViewStale].Text; got != "Ingen åtgärd på 3 dagar: 2" {
		t.Errorf("counter %q", got)
	}
	test.Tap(in.small[app.ViewStale])
	f.settle()
	if len(in.rows) != 2 || !hasRef(in.rows, "1177-100231") || !hasRef(in.rows, "1177-100232") {
		t.Errorf("stale view %v", refs(in.rows))
	}
	// An answered case with no action since is flagged "Ingen åtgärd på
	// 3 dagar" a week later.
	cv := f.open("1177-100260")
	test.Tap(cv.delsvar)
	f.settle()
	later := time.Date(2026, 12, 3, 9, 0, 0, 0, app.Stockholm)
	r, _ := newInboxRow()
	r.showAt(f.caseByRef("1177-100260"), later, f.u.staffName, f.db.Calendar(), 3)
	if r.flag.Text != "Ingen åtgärd på 3 dagar" {
		t.Errorf("row flag %q", r.flag.Text)
	}
}

// Item 2: the counters refresh when the day changes while the window is
// open: at midnight Wednesday's "due today" become overdue.
func TestDayChangeReloadsCounters(t *testing.T) {
	db := openDB(t)
	seedStaff(t, db)
	seedCases(t, db)
	now := testNow
	var fire func()
	var waited time.Duration
	a := test.NewTempApp(t)
	a.Preferences().SetString("medarbetare.test", hsaEva)
	u := newUI(context.Background(), a, Services{Store: db, Intyg: app.NewIntygService(db, pdf.Renderer{}),
		Now: func() time.Time { return now }, OSUser: "test"})
	u.queued, u.debounce, u.coalesce = true, 0, 0
	u.after = func(d time.Duration, fn func()) func() bool {
		fire, waited = fn, d
		return func() bool { return true }
	}
	u.win.Resize(fyne.NewSize(1200, 760))
	u.start()
	if !u.settle() {
		t.Fatal("does not settle")
	}
	if u.inbox.tiles["overdue"].value != 2 || fire == nil {
		t.Fatalf("overdue %d, timer armed %v", u.inbox.tiles["overdue"].value, fire != nil)
	}
	if want := 14*time.Hour + time.Second; waited != want {
		t.Errorf("timer in %v, want %v (to midnight)", waited, want)
	}
	now = time.Date(2026, 11, 26, 0, 0, 1, 0, app.Stockholm)
	fire()
	if !u.settle() {
		t.Fatal("does not settle")
	}
	if got := u.inbox.tiles["overdue"].value; got != 4 {
		t.Errorf("after midnight Försenade = %d, want 4", got)
	}
	if got := u.inbox.tiles["duetoday"].value; got != 2 {
		t.Errorf("after midnight Svar senast idag = %d, want 2 (Tuesday's)", got)
	}
}

// Item 5: "Dokumenterat i Melior men ej avslutat i 1177" as a list.
func TestMeliorList(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	f.u.closeCase()
	f.settle()
	in := f.u.inbox
	if got := in.small[app.ViewMelior].Text; got != "Melior, ej avslutat i 1177: 1" {
		t.Errorf("counter %q", got)
	}
	test.Tap(in.small[app.ViewMelior])
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Reference != "1177-100231" {
		t.Errorf("Melior view %v", refs(in.rows))
	}
	if !strings.HasPrefix(in.summary.Text, "Dokumenterat i Melior men ej avslutat i 1177") {
		t.Errorf("summary %q", in.summary.Text)
	}
}

// Item 7: Dagens översikt's counts, a click into the list, Morgonkollen
// klar recorded, and the header's notice after 10:00 until it is.
func TestOverviewAndMorningCheck(t *testing.T) {
	f := newFixture(t)
	if !f.u.morningNotice.Visible() {
		t.Error("no notice at 10:00 on a working day without a morning check")
	}
	f.u.tabs.Select(f.u.overviewTab)
	f.settle()
	o := f.u.overview
	want := map[string]int{app.ViewReceivedSince: 2, app.ViewDueToday: 2, app.ViewOverdue: 2, app.ViewUnassigned: 6,
		app.ViewCitizenAnswered: 0, app.ViewStale: 0, app.ViewEfterarbete: 0, app.ViewMelior: 0}
	for k, n := range want {
		if tile, ok := o.tiles[k]; !ok || tile.value != n {
			t.Errorf("%s: tile %v, want %d", k, tile, n)
		}
	}
	test.Tap(o.tiles[app.ViewReceivedSince].btn)
	f.settle()
	if f.u.tabs.Selected() != f.u.casesTab {
		t.Error("the click did not open the case list")
	}
	in := f.u.inbox
	if len(in.rows) != 2 || !hasRef(in.rows, "1177-100260") || !hasRef(in.rows, "1177-100261") {
		t.Errorf("Nya sedan tis 24/11: %v", refs(in.rows))
	}
	if !strings.HasPrefix(in.summary.Text, "Nya sedan tis 24/11") {
		t.Errorf("summary %q", in.summary.Text)
	}

	f.u.tabs.Select(f.u.overviewTab)
	f.settle()
	test.Tap(o.check)
	f.settle()
	checks, err := f.db.MorningChecks(context.Background(), app.DateOf(testNow), app.DateOf(testNow))
	if err != nil || len(checks) != 1 || checks[0].By != hsaEva {
		t.Fatalf("checks %+v %v", checks, err)
	}
	if f.u.morningNotice.Visible() {
		t.Error("notice still shown after Morgonkollen klar")
	}
	if !strings.Contains(o.checked.Text, "Eva Ek") {
		t.Errorf("checked %q", o.checked.Text)
	}
}

// Item 8: Fördela shows each person's open cases and today's duty, and
// suggests the one of the right role with the fewest.
func TestFordelaShowsLoadAndSuggests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.db.SetOnDuty(ctx, app.DateOf(testNow), hsaAnna); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"1177-100231", "1177-100232"} {
		cv := f.open(ref)
		for label, id := range cv.assignKeys {
			if id == hsaEva {
				cv.assignTo.SetSelected(label)
			}
		}
		test.Tap(cv.assignBtn)
		f.settle()
	}
	cv := f.open("1177-100260") // journalkopia: ärendemottagare
	var eva, anna string
	for label, id := range cv.assignKeys {
		switch id {
		case hsaEva:
			eva = label
		case hsaAnna:
			anna = label
		}
	}
	if !strings.Contains(eva, "2 öppna ärenden") || strings.Contains(eva, "förslag") {
		t.Errorf("Eva's option %q", eva)
	}
	if !strings.Contains(anna, "0 öppna ärenden") || !strings.Contains(anna, "1177-ansvarig idag") || !strings.Contains(anna, "förslag") {
		t.Errorf("Anna's option %q", anna)
	}
	if cv.assignTo.Selected != anna {
		t.Errorf("preselected %q, want Anna (fewest)", cv.assignTo.Selected)
	}
	// The choice stays the user's.
	cv.assignTo.SetSelected(eva)
	test.Tap(cv.assignBtn)
	f.settle()
	if c := f.caseByRef("1177-100260"); c.Assignee != hsaEva {
		t.Errorf("assigned to %s", c.Assignee)
	}
}

// Settings: the stale days, and a wording taught from an okand case,
// listed and removed.
func TestLearnWordingAndRoutineSettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	k := app.NewCase(app.TypeOkand, testNow.Add(-time.Hour), f.db.Calendar())
	k.Reference = "1177-100300"
	if err := f.db.CreateCase(ctx, k, app.ActorSystem); err != nil {
		t.Fatal(err)
	}
	f.ids["1177-100300"] = k.ID
	cv := f.open("1177-100300")
	if cv.wording == nil {
		t.Fatal("no wording field on an okand case")
	}
	test.Type(cv.wording, "Kopia av min journal")
	cv.rerouteSel.SetSelected(app.TypeName(app.TypeJournalkopia))
	cv.onLearnWordingTapped()
	f.settle()
	if c := f.caseByRef("1177-100300"); c.Type != app.TypeJournalkopia {
		t.Errorf("case type %s", c.Type)
	}
	w, err := f.db.TypeWordings(ctx)
	if err != nil || len(w) != 1 {
		t.Fatalf("wordings %v %v", w, err)
	}

	st := f.u.settings
	st.load()
	f.settle()
	if len(st.routine.wordings.Objects) != 1 {
		t.Fatalf("listed %d wordings", len(st.routine.wordings.Objects))
	}
	if st.routine.staleDays.Text != "5" {
		t.Errorf("stale days shown %q", st.routine.staleDays.Text)
	}
	st.routine.staleDays.SetText("0")
	test.Tap(st.routine.staleSave)
	f.settle()
	if !strings.Contains(st.routine.staleInfo.Text, "mellan 1 och 60") {
		t.Errorf("info %q", st.routine.staleInfo.Text)
	}
	st.routine.staleDays.SetText("3")
	test.Tap(st.routine.staleSave)
	f.settle()
	if n, _ := f.db.StaleDays(ctx); n != 3 || f.u.staleDays != 3 {
		t.Errorf("stale days stored %d, shown %d", n, f.u.staleDays)
	}
	st.routine.onForgetTapped(w.List()[0].Wording)
	f.settle()
	if w, _ := f.db.TypeWordings(ctx); len(w) != 0 {
		t.Errorf("wordings after removal %v", w)
	}
	if l, ok := st.routine.wordings.Objects[0].(*widget.Label); !ok || l.Text != "Inga inlärda formuleringar." {
		t.Errorf("list after removal %v", st.routine.wordings.Objects)
	}
}

// Item 3: a läkarintyg case is closed "utan svar": its reply picker offers
// no reply that closes (app.ClosingReplies is empty), so "Intyg skickat"
// is not offered, and a delsvar sent from it leaves the case open. A
// förnya recept case is offered every reply as before, and a closing one
// closes it.
func TestRepliesOfferedForClosing(t *testing.T) {
	f := newFixture(t)
	fillAllUnits(t, f.db) // nothing half-filled is marked as sent
	hasOpt := func(opts []string, name string) bool {
		for _, o := range opts {
			if strings.TrimSuffix(o, " ★") == name {
				return true
			}
		}
		return false
	}

	cv := f.open("1177-100240") // körkort
	if got := cv.closeBtn.Text; got != "Avsluta utan svar" {
		t.Errorf("close button %q", got)
	}
	opts := cv.replySel.Options
	if len(f.u.replies.ClosingReplies(app.TypeKorkort)) != 0 {
		t.Fatal("a läkarintyg has closing replies")
	}
	for _, r := range f.u.replies.ForType(app.TypeKorkort) {
		if r.Action == app.ReplyActionSvar && hasOpt(opts, r.Name) {
			t.Errorf("körkort offers the closing reply %q: %v", r.Name, opts)
		}
	}
	if hasOpt(opts, "Intyg skickat") || !hasOpt(opts, "Delsvar: ärendet läggs till läkare") || !hasOpt(opts, "Motfråga (allmän)") {
		t.Errorf("körkort options %v", opts)
	}
	if opts[0] != "Delsvar: ärendet läggs till läkare ★" {
		t.Errorf("first option %q", opts[0])
	}
	cv.replySel.SetSelected(opts[0])
	f.settle()
	cv.onMarkSentTapped()
	f.settle()
	if c := f.caseByRef("1177-100240"); c.Status == app.StatusAvslutad || c.FirstFeedbackAt == nil {
		t.Errorf("körkort after the delsvar: %s, feedback %v", c.Status, c.FirstFeedbackAt)
	}

	cv = f.open("1177-100231") // förnya recept
	opts = cv.replySel.Options
	if len(opts) != len(f.u.replies.ForType(app.TypeFornyaRecept)) || !hasOpt(opts, "Intyg skickat") {
		t.Fatalf("förnya recept options %v", opts)
	}
	if got := cv.closeBtn.Text; got == "Avsluta utan svar" {
		t.Errorf("förnya recept close button %q", got)
	}
	for _, o := range opts {
		if strings.TrimSuffix(o, " ★") == "Intyg skickat" {
			cv.replySel.SetSelected(o)
		}
	}
	f.settle()
	cv.onMarkSentTapped()
	f.settle()
	if c := f.caseByRef("1177-100231"); c.Status != app.StatusAvslutad {
		t.Errorf("förnya recept after a closing reply: %s", c.Status)
	}
}

// Fördela of a doctor-certificate case to an intygshanterare ticks the
// step "Fördelat till intygshanterare" in the same action.
func TestFordelaToIntygshanterareTicksTheStep(t *testing.T) {
	f := newFixture(t)
	const hsaIda = "SE2321000131-P000000000009"
	if err := f.db.AddStaff(context.Background(), &app.Staff{Name: "Ida Holm", HSAID: hsaIda,
		Roles: []app.Role{app.RoleIntygshanterare}}); err != nil {
		t.Fatal(err)
	}
	f.u.reloadStaff(nil)
	f.settle()
	cv := f.open("1177-100240") // körkortsintyg: läkarintyg's routine
	for label, id := range cv.assignKeys {
		if id == hsaIda {
			cv.assignTo.SetSelected(label)
		}
	}
	if cv.assignTo.Selected == "" {
		t.Fatal("Ida is not offered")
	}
	test.Tap(cv.assignBtn)
	f.settle()
	c := f.caseByRef("1177-100240")
	if c.Assignee != hsaIda {
		t.Fatalf("assigned to %q", c.Assignee)
	}
	if st, done := c.Steps[app.StepFordelatIntygshanterare]; !done || st.By != f.u.actor() {
		t.Errorf("step %+v ticked %v, want ticked by the one who fördelade", st, done)
	}
}
