package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"arendestod/app"
	"arendestod/data"
)

func kinds(evs []app.Event) []app.EventKind {
	var out []app.EventKind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

func hasEvent(evs []app.Event, k app.EventKind, actor string) bool {
	for _, e := range evs {
		if e.Kind == k && e.Actor == actor {
			return true
		}
	}
	return false
}

func TestInboxShowsCasesMostUrgentFirst(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	if len(in.rows) != 6 {
		t.Fatalf("rows = %d, want 6 (last error %q)", len(in.rows), f.u.lastError)
	}
	if in.rows[0].Reference != "1177-100231" || in.rows[5].Reference != "1177-100261" {
		t.Errorf("order: first %s, last %s", in.rows[0].Reference, in.rows[5].Reference)
	}
	if got := in.tiles["overdue"].value; got != 2 {
		t.Errorf("Försenade = %d, want 2", got)
	}
	if got := in.tiles["duetoday"].value; got != 2 {
		t.Errorf("Svar senast idag = %d, want 2", got)
	}
	if got := in.tiles["new"].value; got != 6 {
		t.Errorf("Nya = %d, want 6", got)
	}
	if !strings.Contains(in.summary.Text, "Alla öppna: 6 ärenden") {
		t.Errorf("summary %q", in.summary.Text)
	}
	// The row says Försenat in words, not only in red.
	r, obj := newInboxRow()
	_ = obj
	r.show(in.rows[0], testNow, f.u.staffName)
	if r.flag.Text != "Försenat" || r.due.Text != "tis 24/11" {
		t.Errorf("row flag %q due %q", r.flag.Text, r.due.Text)
	}
	r.show(in.rows[2], testNow, f.u.staffName)
	if r.flag.Text != "Svar senast idag" {
		t.Errorf("row flag %q", r.flag.Text)
	}
	if !strings.Contains(f.u.onDuty.Text, "ingen schemalagd") {
		t.Errorf("on duty %q", f.u.onDuty.Text)
	}
}

func TestAssignCase(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100240") // körkort: a doctor's certificate
	// Issue 12: the intygshanterare first (none here), then the
	// ärendemottagare; the doctor gets the case via utskrift från 1177.
	if !strings.Contains(cv.assignTo.Options[0], "Anna Berg") {
		t.Errorf("the type's routing role (ärendemottagare after intygshanterare) is not offered first: %v", cv.assignTo.Options)
	}
	lars := ""
	for _, o := range cv.assignTo.Options {
		if strings.Contains(o, "Lars Lind") {
			lars = o
		}
	}
	cv.assignTo.SetSelected(lars)
	test.Tap(cv.assignBtn)
	f.settle()
	c := f.caseByRef("1177-100240")
	if c.Assignee != hsaLars || c.Status != app.StatusFordelad {
		t.Fatalf("assignee %q status %s (last error %q)", c.Assignee, c.Status, f.u.lastError)
	}
	if !hasEvent(f.events("1177-100240"), app.EventAssigned, hsaEva) {
		t.Errorf("no assigned event by Eva: %v", kinds(f.events("1177-100240")))
	}
	if cv.assignee.Text != "Handläggare: Lars Lind" {
		t.Errorf("shown %q", cv.assignee.Text)
	}
	// Taking it oneself.
	test.Tap(cv.assignMe)
	f.settle()
	if c := f.caseByRef("1177-100240"); c.Assignee != hsaEva {
		t.Errorf("assignee %q after Ta ärendet själv", c.Assignee)
	}
	// Back in the inbox, Mina shows it.
	f.u.onEscape()
	f.settle()
	if f.u.inbox.tiles["mine"].value != 1 {
		t.Errorf("Mina = %d", f.u.inbox.tiles["mine"].value)
	}
}

func TestDelsvarClearsFlag(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	if !strings.Contains(cv.due.Text, "Försenat") {
		t.Fatalf("due %q", cv.due.Text)
	}
	test.Tap(cv.delsvar)
	f.settle()
	c := f.caseByRef("1177-100231")
	if c.Flag(testNow) != app.FlagAnswered || c.Status != app.StatusPagaende {
		t.Fatalf("flag %s status %s", c.Flag(testNow), c.Status)
	}
	if !strings.Contains(cv.due.Text, "Återkopplat") {
		t.Errorf("due %q", cv.due.Text)
	}
	if f.u.inbox.tiles["overdue"].value != 1 {
		t.Errorf("Försenade = %d, want 1", f.u.inbox.tiles["overdue"].value)
	}
	f.u.closeCase()
	f.settle()
	for _, r := range f.u.inbox.rows {
		if r.Reference == "1177-100231" && r.Flag(testNow) != app.FlagAnswered {
			t.Errorf("inbox still flags it %s", r.Flag(testNow))
		}
	}
}

func TestFilterForsenade(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	in.filter.SetSelected("Försenade")
	f.settle()
	if len(in.rows) != 2 {
		t.Fatalf("Försenade rows = %d, want 2", len(in.rows))
	}
	for _, r := range in.rows {
		if r.Flag(testNow) != app.FlagOverdue {
			t.Errorf("%s is %s", r.Reference, r.Flag(testNow))
		}
	}
	if !strings.HasPrefix(in.summary.Text, "Försenade: 2 ärenden") {
		t.Errorf("summary %q", in.summary.Text)
	}
	// Ctrl+4 back to Alla öppna, Ctrl+2 Ofördelade, the group filter.
	f.u.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key4, Modifier: fyne.KeyModifierShortcutDefault})
	f.settle()
	if len(in.rows) != 6 || in.filter.Selected != "Alla öppna" {
		t.Errorf("Ctrl+4: %d rows, filter %q", len(in.rows), in.filter.Selected)
	}
	// Issue 14, item 8: a group is one line of the type filter ("Övriga
	// (alla)"); Förnya recept is no longer filed under Intyg sjuksköterska
	// (TestTypeFilterListsRealTypes).
	in.group.SetSelected(app.GroupOvriga + " (alla)")
	f.settle()
	if len(in.rows) != 3 {
		t.Errorf("Övriga: %d rows", len(in.rows))
	}
	in.group.SetSelected(allGroups)
	test.Tap(in.tiles["new"].btn)
	f.settle()
	if len(in.rows) != in.tiles["new"].value || in.filter.Selected != "Ofördelade" {
		t.Errorf("Nya tile: %d rows for a count of %d, filter %q", len(in.rows), in.tiles["new"].value, in.filter.Selected)
	}
	test.Tap(in.tiles["duetoday"].btn)
	f.settle()
	if len(in.rows) != 2 || !strings.HasPrefix(in.summary.Text, "Svar senast idag") {
		t.Errorf("Svar senast idag tile: %d rows, %q", len(in.rows), in.summary.Text)
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	f.u.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	if f.u.win.Canvas().Focused() != in.search {
		t.Fatalf("Ctrl+F did not focus the search field")
	}
	for q, want := range map[string]int{"journal": 1, "100232": 1, "vänersborg": 1, "uddevalla": 4, "recept": 1} {
		in.search.SetText("")
		test.Type(in.search, q)
		f.settle()
		if len(in.rows) != want {
			t.Errorf("%q: %d rows, want %d", q, len(in.rows), want)
		}
	}
	in.search.SetText("zzz")
	f.settle()
	if len(in.rows) != 0 || !in.empty.Visible() || !strings.Contains(in.empty.Text, "zzz") {
		t.Errorf("empty text %q", in.empty.Text)
	}
	// A note is searchable.
	in.search.SetText("")
	f.settle()
	cv := f.open("1177-100250")
	test.Type(cv.note, "Mamman ringde om tiden")
	test.Tap(cv.noteBtn)
	f.settle()
	if cv.note.Text != "" {
		t.Errorf("note field not cleared")
	}
	f.u.closeCase()
	f.settle()
	test.Type(in.search, "mamman")
	f.settle()
	if len(in.rows) != 1 || in.rows[0].Reference != "1177-100250" {
		t.Errorf("note search: %d rows", len(in.rows))
	}
}

func TestKeyboard(t *testing.T) {
	f := newFixture(t)
	in := f.u.inbox
	in.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	in.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if f.u.caseView != nil {
		t.Fatal("arrow keys opened a case")
	}
	in.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.settle()
	if f.u.caseView == nil || f.u.caseView.id != in.rows[1].ID {
		t.Fatalf("Enter did not open the second case")
	}
	f.u.caseView.note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	f.settle()
	if f.u.caseView != nil {
		t.Errorf("Esc did not go back to the inbox")
	}
	f.u.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key3, Modifier: fyne.KeyModifierShortcutDefault})
	f.settle()
	if in.view != app.ViewOverdue || len(in.rows) != 2 {
		t.Errorf("Ctrl+3: view %s, %d rows", in.view, len(in.rows))
	}
	// Shortcuts reach the window from inside a field too.
	in.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key5, Modifier: fyne.KeyModifierShortcutDefault})
	f.settle()
	if in.view != app.ViewClosed {
		t.Errorf("Ctrl+5 from the search field: view %s", in.view)
	}
}

func TestChecklistMeliorWarningAndUntick(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231") // förnya recept
	if len(cv.checks) != 3 {
		t.Fatalf("checks %d, want 3", len(cv.checks))
	}
	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	c := f.caseByRef("1177-100231")
	if st, ok := c.Steps[app.StepMelior]; !ok || st.By != hsaEva || !st.At.Equal(testNow) {
		t.Fatalf("step %+v %v", st, ok)
	}
	if !cv.melior.Visible() {
		t.Error("Melior warning not shown")
	}
	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	if _, ok := f.caseByRef("1177-100231").Steps[app.StepMelior]; ok {
		t.Error("step still ticked")
	}
	if !hasEvent(f.events("1177-100231"), app.EventStepUndone, hsaEva) {
		t.Error("unticking is not an event")
	}
	if cv.melior.Visible() {
		t.Error("warning shown with the step unticked")
	}
	// Ticking "Besvarat i 1177" closes the case, like the action does.
	test.Tap(cv.checks["besvarat"])
	f.settle()
	if c := f.caseByRef("1177-100231"); c.Status != app.StatusAvslutad {
		t.Errorf("status %s", c.Status)
	}
	if cv.reopen.Disabled() {
		t.Error("Återöppna not offered on a closed case")
	}
	test.Tap(cv.reopen)
	f.settle()
	if c := f.caseByRef("1177-100231"); c.Status == app.StatusAvslutad {
		t.Error("not reopened")
	}
}

func TestAvbokaBranch(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100250")
	if len(cv.checks) != 0 || len(cv.branch.Objects) == 0 {
		t.Fatalf("checks %d before a branch is chosen", len(cv.checks))
	}
	radio := cv.branch.Objects[1].(interface{ SetSelected(string) })
	radio.SetSelected("Avbokning")
	f.settle()
	if c := f.caseByRef("1177-100250"); c.Branch != "avbokning" {
		t.Fatalf("branch %q", c.Branch)
	}
	if len(cv.checks) != 4 {
		t.Errorf("avbokning steps %d, want 4", len(cv.checks))
	}
}

func TestMotfragaAndCitizenReplied(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100261")
	test.Tap(cv.motfraga)
	f.settle()
	if c := f.caseByRef("1177-100261"); c.Status != app.StatusVantar || c.FirstFeedbackAt == nil {
		t.Fatalf("status %s", c.Status)
	}
	if !cv.motfraga.Disabled() || cv.replied.Disabled() {
		t.Error("buttons do not follow the status")
	}
	test.Tap(cv.replied)
	f.settle()
	if c := f.caseByRef("1177-100261"); c.Status != app.StatusPagaende {
		t.Errorf("status %s", c.Status)
	}
	test.Tap(cv.closeBtn)
	f.confirm("Besvara och avsluta")
	if c := f.caseByRef("1177-100261"); c.Status != app.StatusAvslutad {
		t.Errorf("status %s", c.Status)
	}
}

func TestRerouteVABToDoctor(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100232")
	if len(cv.ageHint.Objects) != 2 {
		t.Fatal("no 12-year hint on vab-under-12")
	}
	test.Tap(cv.ageHint.Objects[1].(fyne.Tappable))
	f.confirm("Styr om")
	if c := f.caseByRef("1177-100232"); c.Type != app.TypeVAB1216 {
		t.Fatalf("type %s", c.Type)
	}
	if cv.title.Text != app.TypeName(app.TypeVAB1216) {
		t.Errorf("title %q", cv.title.Text)
	}
	newest := cv.history.Objects[0].(*widget.RichText).String()
	if newest != "ons 25/11 10:00 · Eva Ek:  Omstyrt från Ansökan för vård av barn under 12 år till Ansökan för vård av barn 12 - 16 år" {
		t.Errorf("history %q", newest)
	}
}

func TestStandardReplyFilledFromSettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for k, v := range map[string]string{app.SettingMottagningNamn: "BUP Vänersborg", app.SettingMottagningTelefon: "010-435 12 34",
		app.SettingMottagningVardgivare: "NU-sjukvården"} {
		if err := f.db.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	cv := f.open("1177-100260") // journalkopia
	if !strings.HasPrefix(cv.replySel.Options[0], "Journalkopia") {
		t.Errorf("the type's reply is not first: %v", cv.replySel.Options)
	}
	cv.replySel.SetSelected(cv.replySel.Options[0])
	f.settle()
	text := cv.replyText.Text
	if !strings.Contains(text, "BUP Vänersborg\nNU-sjukvården") || strings.Contains(text, "{mottagning}") {
		t.Errorf("not filled:\n%s", text)
	}
	if !strings.Contains(text, "{lank-centralarkivet}") || !cv.replyInfo.Visible() || !strings.Contains(cv.replyInfo.Text, "länk till centralarkivet") {
		t.Errorf("a missing link is not left visible and named: %q", cv.replyInfo.Text)
	}
	// Nothing half-filled reaches a citizen: copying and marking are
	// refused while the link is missing, and the warning stays.
	test.Tap(cv.copyBtn)
	test.Tap(cv.markSentBtn)
	f.settle()
	if got := f.a.Clipboard().Content(); got != "" {
		t.Errorf("copied with a hole: %q", got)
	}
	if !cv.replyInfo.Visible() || !strings.Contains(cv.replyInfo.Text, "Uppgifter saknas") ||
		!strings.Contains(cv.replyInfo.Text, "{lank-centralarkivet} (länk till centralarkivet") ||
		!strings.Contains(cv.replyInfo.Text, "Anna Berg (enhetschef/teamledare) eller Eva Ek (administratör)") {
		t.Errorf("refusal %q", cv.replyInfo.Text)
	}
	if c := f.caseByRef("1177-100260"); c.Status == app.StatusAvslutad {
		t.Fatal("marked as sent with a hole")
	}
	// Typed in by hand, the text goes.
	text = strings.ReplaceAll(text, "{lank-centralarkivet}", "https://example.org/arkiv")
	cv.replyText.SetText(text)
	if cv.replyInfo.Visible() {
		t.Errorf("warning left after filling: %q", cv.replyInfo.Text)
	}
	test.Tap(cv.copyBtn)
	if got := f.a.Clipboard().Content(); got != text {
		t.Errorf("clipboard %q", got)
	}
	test.Tap(cv.markSentBtn)
	f.settle()
	c := f.caseByRef("1177-100260")
	if c.Status != app.StatusAvslutad {
		t.Errorf("journalkopia reply did not close the case: %s", c.Status)
	}
	evs := f.events("1177-100260")
	found := false
	for _, e := range evs {
		if e.Kind == app.EventReplySent && e.Actor == hsaEva && strings.HasPrefix(e.Detail, "Journalkopia") {
			found = true
		}
	}
	if !found {
		t.Errorf("no reply-sent event: %v", kinds(evs))
	}

	// A delsvar template records a delsvar.
	fillAllUnits(t, f.db)
	cv = f.open("1177-100240")
	for _, o := range cv.replySel.Options {
		if strings.HasPrefix(o, "Delsvar: ärendet läggs till läkare") {
			cv.replySel.SetSelected(o)
		}
	}
	f.settle()
	test.Tap(cv.markSentBtn)
	f.settle()
	if c := f.caseByRef("1177-100240"); c.Flag(testNow) != app.FlagAnswered || c.Status != app.StatusPagaende {
		t.Errorf("delsvar reply: flag %s status %s", c.Flag(testNow), c.Status)
	}
}

func TestOpeningCaseWithPatientIsAudited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.db.UpdateCase(ctx, f.ids["1177-100232"], hsaAnna, func(c *app.Case) ([]app.Event, error) {
		return c.SetPatient("", "Kalle Anka", hsaAnna, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	before, _ := f.db.AuditEntries(ctx, data.AuditFilter{Actor: hsaEva})
	cv := f.open("1177-100232")
	if !cv.patient.Visible() || !strings.Contains(cv.patient.Text, "Kalle Anka") {
		t.Errorf("patient %q", cv.patient.Text)
	}
	after, _ := f.db.AuditEntries(ctx, data.AuditFilter{Actor: hsaEva})
	if len(after) != len(before)+1 || after[len(after)-1].Action != "visa" || after[len(after)-1].CaseID != f.ids["1177-100232"] {
		t.Fatalf("audit rows %d → %d: %+v", len(before), len(after), after)
	}
	// A case without patient data is not logged.
	f.open("1177-100231")
	if again, _ := f.db.AuditEntries(ctx, data.AuditFilter{Actor: hsaEva}); len(again) != len(after) {
		t.Errorf("audited a case without patient data")
	}
}

func TestAddStaffInvalidHSAID(t *testing.T) {
	f := newFixture(t)
	f.selectTab("Personal")
	f.settle()
	st := f.u.staffs
	ctx := context.Background()
	before, _ := f.db.ListStaff(ctx, true)

	test.Type(st.form.name, "Nils Nyström")
	test.Type(st.form.hsa, "SE12-abc")
	st.form.roles.SetSelected([]string{"Läkare"})
	test.Tap(st.save)
	f.settle()
	if l := st.form.errors["hsa-id"]; !l.Visible() || !strings.Contains(l.Text, "SE") {
		t.Fatalf("no HSA-ID error under the field: %q", l.Text)
	}
	if after, _ := f.db.ListStaff(ctx, true); len(after) != len(before) {
		t.Fatalf("saved despite the error: %d → %d", len(before), len(after))
	}
	// Several errors at once, each under its field.
	st.form.name.SetText("")
	st.form.roles.SetSelected(nil)
	test.Tap(st.save)
	f.settle()
	for _, k := range []string{"name", "hsa-id", "role"} {
		if !st.form.errors[k].Visible() {
			t.Errorf("no error under %s", k)
		}
	}
	// Fixing the HSA-ID clears its error as one types; then it saves.
	st.form.hsa.SetText("SE2321000131-P000000000099")
	if st.form.errors["hsa-id"].Visible() {
		t.Error("HSA-ID error stays after the fix")
	}
	test.Type(st.form.name, "Nils Nyström")
	st.form.roles.SetSelected([]string{"Läkare"})
	test.Tap(st.save)
	f.settle()
	s, err := f.db.StaffByHSAID(ctx, "SE2321000131-P000000000099")
	if err != nil || s.Name != "Nils Nyström" || !s.HasRole(app.RoleLakare) {
		t.Fatalf("not saved: %v %+v (last error %q)", err, s, f.u.lastError)
	}
	// Deactivate.
	for i, r := range st.rows {
		if r.HSAID == s.HSAID {
			st.list.Select(i)
		}
	}
	test.Tap(st.activate)
	f.settle()
	if s, _ := f.db.StaffByHSAID(ctx, "SE2321000131-P000000000099"); s.Active {
		t.Error("not deactivated")
	}
}

func TestFirstRunCreatesAdministrator(t *testing.T) {
	db := openDB(t)
	f := &fixture{t: t, db: db}
	f.a = test.NewTempApp(t)
	f.start()
	l := f.u.login
	if l.form == nil {
		t.Fatal("no first-administrator form on an empty database")
	}
	test.Type(l.form.name, "Eva Ek")
	test.Type(l.form.hsa, "E2321000131-P1")
	test.Tap(l.save)
	f.settle()
	if !l.form.errors["hsa-id"].Visible() {
		t.Fatal("invalid HSA-ID accepted")
	}
	if all, _ := db.ListStaff(context.Background(), true); len(all) != 0 {
		t.Fatal("saved despite the error")
	}
	l.form.hsa.SetText("se2321000131-P000000000001")
	test.Tap(l.save)
	f.settle()
	s, err := db.StaffByHSAID(context.Background(), hsaEva)
	if err != nil || !s.HasRole(app.RoleAdministrator) {
		t.Fatalf("%v %+v", err, s)
	}
	if f.u.me == nil || f.u.me.HSAID != hsaEva || f.u.inbox == nil {
		t.Fatal("not signed in")
	}
	if got := f.a.Preferences().String("medarbetare.test"); got != hsaEva {
		t.Errorf("not remembered: %q", got)
	}
}

func TestPickYourself(t *testing.T) {
	db := openDB(t)
	seedStaff(t, db)
	f := &fixture{t: t, db: db}
	f.a = test.NewTempApp(t)
	f.start()
	l := f.u.login
	if l.picker == nil || len(l.staff) != 4 {
		t.Fatalf("no picker")
	}
	if !l.next.Disabled() {
		t.Error("Fortsätt enabled before a choice")
	}
	l.picker.Select(2) // by name: Anna, Eva, Lars, Maria
	test.Tap(l.next)
	f.settle()
	if f.u.me == nil || f.u.me.HSAID != hsaLars {
		t.Fatalf("signed in as %+v", f.u.me)
	}
	// The next start remembers.
	f.start()
	if f.u.me == nil || f.u.me.HSAID != hsaLars {
		t.Fatalf("not remembered")
	}
	// Lars is no administrator: the staff form is read-only.
	f.selectTab("Personal")
	f.settle()
	if !f.u.staffs.save.Disabled() {
		t.Error("a non-administrator may save staff")
	}
	f.u.onSwitchUserTapped()
	f.settle()
	if f.u.me != nil || f.u.login.picker == nil {
		t.Error("Byt användare did not go back to the picker")
	}
}

func TestScheduleWeek(t *testing.T) {
	f := newFixture(t)
	f.selectTab("Schema 1177-ansvarig")
	f.settle()
	sc := f.u.schedule
	today := app.DateOf(testNow)
	sel := sc.selects[today]
	if sel == nil {
		t.Fatal("no choice for today")
	}
	sel.SetSelected("Anna Berg")
	f.settle()
	got, _ := f.db.Schedule(context.Background(), today, today)
	if got[today] != hsaAnna {
		t.Fatalf("schedule %v", got)
	}
	if f.u.onDuty.Text != "1177-ansvarig idag: Anna Berg" {
		t.Errorf("header %q", f.u.onDuty.Text)
	}
	// Christmas week: julafton and juldagen are closed.
	sc.monday = app.D(2026, 12, 21)
	sc.load()
	f.settle()
	if _, ok := sc.selects[app.D(2026, 12, 24)]; ok {
		t.Error("julafton can be scheduled")
	}
	if _, ok := sc.selects[app.D(2026, 12, 23)]; !ok {
		t.Error("23 December cannot be scheduled")
	}
}

func TestSettingsReplyTextAndClosedDays(t *testing.T) {
	f := newFixture(t)
	f.selectTab("Inställningar")
	f.settle()
	st := f.u.settings
	ctx := context.Background()
	st.unit[app.SettingMottagningNamn].SetText("BUP Uddevalla")
	test.Tap(st.unitSave)
	f.settle()
	if v, _ := f.db.Setting(ctx, app.SettingMottagningNamn); v != "BUP Uddevalla" {
		t.Errorf("mottagning %q", v)
	}
	st.replySel.SetSelected("Delsvar (allmänt)")
	f.settle()
	if !strings.Contains(st.replyText.Text, "{mottagning}") || st.replyState.Text != "Standardtext." {
		t.Fatalf("reply %q state %q", st.replyText.Text, st.replyState.Text)
	}
	if !strings.Contains(st.replyPreview.Text, "BUP Uddevalla") {
		t.Errorf("preview %q", st.replyPreview.Text)
	}
	st.replyText.SetText("Hej! Vi återkommer. /{mottagning}")
	test.Tap(st.replySave)
	f.settle()
	if v, _ := f.db.Setting(ctx, "svar.delsvar"); v != "Hej! Vi återkommer. /{mottagning}" {
		t.Errorf("override %q", v)
	}
	test.Tap(st.replyReset)
	f.settle()
	if v, _ := f.db.Setting(ctx, "svar.delsvar"); v != "" {
		t.Errorf("not reset: %q", v)
	}
	// Closed days: a bad date is refused in the field, a good one stored
	// and counted by the calendar.
	test.Type(st.closedDate, "2026-13-01")
	test.Tap(st.closedAdd)
	f.settle()
	if !st.closedErr.Visible() {
		t.Error("bad date accepted")
	}
	st.closedDate.SetText("2026-11-27")
	test.Type(st.closedLabel, "Personaldag")
	test.Tap(st.closedAdd)
	f.settle()
	if f.db.Calendar().IsWorkingDay(app.D(2026, 11, 27)) {
		t.Fatal("closed day not stored")
	}
	if len(st.closedDays) != 1 || st.closedDays[0].Name != "Personaldag" {
		t.Errorf("closed days %+v", st.closedDays)
	}
}

func TestLiveHooks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := &app.Notice{Kind: app.NoticeInkommit, Unit: "BUP Uddevalla", Type: app.TypeFornyaRecept, Reference: "1177-200001",
		ReceivedAt: testNow, MessageID: "<x@1177>"}
	res, err := f.db.IngestBatch(ctx, []app.Inbound{{Key: n.MessageID, Source: "test", Notice: n}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	test.AssertNotificationSent(t, fyne.NewNotification("Nytt ärende", "Förnya recept – svar senast fre 27/11"), func() {
		f.u.OnNewCase(res[0], n)
		f.settle()
	})
	if len(f.u.inbox.rows) != 7 {
		t.Errorf("the new case is not in the list: %d rows", len(f.u.inbox.rows))
	}
	// A catch-up gives one notification at its end.
	f.u.OnProgress(1, 3)
	var batch []app.IngestResult
	for i, ref := range []string{"1177-200002", "1177-200003"} {
		n := &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeEgenremiss, Reference: ref, ReceivedAt: testNow.AddDate(0, 0, -i-6), MessageID: ref}
		r, err := f.db.IngestBatch(ctx, []app.Inbound{{Key: ref, Source: "test", Notice: n}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, r...)
		f.u.OnNewCase(r[0], n)
	}
	f.settle()
	if !f.u.status.progress.Visible() || !strings.Contains(f.u.status.state.Text, "1 av 3") {
		t.Errorf("progress %q", f.u.status.state.Text)
	}
	test.AssertNotificationSent(t, fyne.NewNotification("2 nya ärenden", "Mest brådskande: Egenremiss – svar senast fre 20/11"), func() {
		f.u.OnProgress(3, 3)
		f.settle()
	})
	if f.u.status.progress.Visible() {
		t.Error("progress bar stays after the catch-up")
	}
	// A failing connection: shown once with its reason, never a dialog.
	f.u.OnSyncState(app.IntakeError, errors.New("dial tcp 127.0.0.1:993: connection refused"))
	f.u.OnSyncState(app.IntakeError, errors.New("dial tcp 127.0.0.1:993: connection refused"))
	if !strings.Contains(f.u.status.state.Text, "connection refused") {
		t.Errorf("state %q", f.u.status.state.Text)
	}
	if f.u.win.Canvas().Overlays().Top() != nil {
		t.Error("a connection error opened a dialog")
	}
	f.u.OnSyncState(app.IntakeWatching, nil)
	if !strings.HasPrefix(f.u.status.state.Text, "Ansluten") {
		t.Errorf("state %q", f.u.status.state.Text)
	}
}

func TestGoldenInbox(t *testing.T) {
	f := newFixture(t)
	f.assertGolden("inbox")
}

func TestGoldenCase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_ = f.db.SetSetting(ctx, app.SettingMottagningNamn, "BUP Uddevalla")
	_ = f.db.SetSetting(ctx, app.SettingMottagningTelefon, "010-435 00 00")
	cv := f.open("1177-100240")
	test.Tap(cv.checks[app.StepMelior])
	f.settle()
	cv.replySel.SetSelected(cv.replySel.Options[0])
	f.settle()
	// Tall enough to show the whole case without scrolling.
	f.u.win.Resize(fyne.NewSize(1200, 1450))
	f.assertGolden("case")
}

func TestIMAPAccountForm(t *testing.T) {
	keyring.MockInit()
	f := newFixture(t)
	var tested []app.IMAPAccount
	f.u.s.TestIMAP = func(_ context.Context, acc app.IMAPAccount) error {
		tested = append(tested, acc)
		if acc.Password != "hemligt" {
			return errors.New("AUTHENTICATIONFAILED")
		}
		return nil
	}
	f.selectTab("Inställningar")
	f.settle()
	im := f.u.settings.imap
	im.test.Enable()
	ctx := context.Background()

	// Plain text to another machine is refused in the field; nothing saved.
	test.Type(im.host, "imap.example.se")
	test.Type(im.user, "bup.uddevalla")
	test.Type(im.password, "hemligt")
	im.security.SetSelected(securityOptions[2].label)
	test.Tap(im.save)
	f.settle()
	if !im.errors["security"].Visible() {
		t.Fatal("plain to a remote host accepted")
	}
	if v, _ := f.db.Setting(ctx, app.SettingIMAPHost); v != "" {
		t.Fatalf("saved despite the error: %q", v)
	}
	im.security.SetSelected(securityOptions[0].label)
	im.owner.SetSelected("Eva Ek")
	test.Tap(im.test)
	f.settle()
	if len(tested) != 1 || tested[0].Host != "imap.example.se" || !strings.HasPrefix(im.info.Text, "Anslutningen fungerar") {
		t.Fatalf("test: %+v %q", tested, im.info.Text)
	}
	test.Tap(im.save)
	f.settle()
	for k, want := range map[string]string{app.SettingIMAPHost: "imap.example.se", app.SettingIMAPUser: "bup.uddevalla",
		app.SettingIMAPSecurity: "tls", app.SettingIMAPAssignee: hsaEva, app.SettingIMAPMarkSeen: "false"} {
		if v, _ := f.db.Setting(ctx, k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	if pw, err := IMAPPassword("imap.example.se", "bup.uddevalla"); err != nil || pw != "hemligt" {
		t.Errorf("keyring: %q %v", pw, err)
	}
	if im.password.Text != "" {
		t.Error("password left in the field after saving")
	}
	// The password is in no setting.
	for _, k := range []string{app.SettingIMAPHost, app.SettingIMAPPort, app.SettingIMAPSecurity, app.SettingIMAPUser, app.SettingIMAPMailbox,
		app.SettingIMAPMarkSeen, app.SettingIMAPMoveTo, app.SettingIMAPAssignee} {
		if v, _ := f.db.Setting(ctx, k); strings.Contains(v, "hemligt") {
			t.Errorf("password in setting %s", k)
		}
	}
	// Testing again takes the password from the keyring.
	test.Tap(im.test)
	f.settle()
	if len(tested) != 2 || tested[1].Password != "hemligt" {
		t.Errorf("second test: %+v", tested)
	}
	// No keyring: a clear message, and still no plaintext anywhere.
	keyring.MockInitWithError(errors.New("org.freedesktop.secrets saknas"))
	test.Type(im.password, "nytt")
	test.Tap(im.save)
	f.settle()
	if l := im.errors["password"]; !l.Visible() || !strings.Contains(l.Text, "nyckelring") {
		t.Errorf("no keyring message: %q", l.Text)
	}
}

// selectTab selects the main tab with the given title.
func (f *fixture) selectTab(title string) {
	for _, it := range f.u.tabs.Items {
		if it.Text == title {
			f.u.tabs.Select(it)
			return
		}
	}
	f.t.Fatalf("no tab %q", title)
}

func TestPatientEnteredInTheField(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	// A wrong check digit is shown in the field and nothing is saved.
	test.Type(cv.patientPnr, "20190312-9806")
	test.Type(cv.patientName, "Alva Testsson")
	test.Tap(cv.patientBtn)
	f.settle()
	if !cv.patientErr.Visible() || !strings.Contains(cv.patientErr.Text, "ontrollsiffran") {
		t.Fatalf("error %q visible %v", cv.patientErr.Text, cv.patientErr.Visible())
	}
	if c := f.caseByRef("1177-100231"); c.HasPatientData() {
		t.Fatal("saved despite the error")
	}
	cv.patientPnr.SetText("")
	test.Type(cv.patientPnr, "20190312-9805")
	test.Tap(cv.patientBtn)
	f.settle()
	c := f.caseByRef("1177-100231")
	if c.PatientPnr != "201903129805" || c.PatientName != "Alva Testsson" {
		t.Fatalf("patient %q %q", c.PatientPnr, c.PatientName)
	}
	if !cv.patient.Visible() || !strings.Contains(cv.patient.Text, "20190312-9805") {
		t.Errorf("summary %q", cv.patient.Text)
	}
	// Changing a case with patient data is in the access log.
	es, _ := f.db.AuditEntries(context.Background(), app.AuditFilter{Patient: "201903129805"})
	if len(es) == 0 || es[len(es)-1].Action != "ändra" {
		t.Errorf("audit %+v", es)
	}
}

// An intake error reported before anyone has logged in (no password in
// the keyring, at start) is shown once the window is built, with its
// reason, and without promising a retry that cannot help.
func TestSyncErrorBeforeLoginShown(t *testing.T) {
	db := openDB(t)
	seedStaff(t, db)
	f := &fixture{t: t, db: db, ids: map[string]int64{}}
	f.a = test.NewTempApp(t)
	f.a.Preferences().SetString("medarbetare.test", hsaEva)
	f.u = newUI(context.Background(), f.a, Services{Store: f.db, Now: func() time.Time { return testNow }, OSUser: "test"})
	f.u.queued, f.u.debounce, f.u.coalesce = true, 0, 0
	f.u.OnSyncState(app.IntakeError, app.Errorf(app.EINVALID, "Lösenordet till e-postkontot finns inte i datorns nyckelring."))
	f.u.start()
	f.settle()
	if got := f.u.status.state.Text; !strings.Contains(got, "nyckelring") || strings.Contains(got, "Försöker igen") {
		t.Fatalf("status bar %q", got)
	}
}
