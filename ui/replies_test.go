package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

func chooseReply(t *testing.T, f *fixture, cv *caseScreen, prefix string) {
	t.Helper()
	for _, o := range cv.replySel.Options {
		if strings.HasPrefix(o, prefix) {
			cv.replySel.SetSelected(o)
			f.settle()
			return
		}
	}
	t.Fatalf("no reply %q among %v", prefix, cv.replySel.Options)
}

func countSent(f *fixture, ref string) int {
	n := 0
	for _, e := range f.events(ref) {
		if e.Kind == app.EventReplySent {
			n++
		}
	}
	return n
}

// Every mottagning speaks for itself, and a reply is registered once
// however often it is marked.
func TestReplyFromTheCasesUnitAndMarkedOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fillMottagning(t, f.db) // the default: BUP Uddevalla
	if err := app.SaveUnitDetails(ctx, f.db, "BUP Vänersborg", app.UnitDetails{Name: "BUP Vänersborg",
		Address: "Box 3, 462 80 Vänersborg", Phone: "0521-27 50 00"}); err != nil {
		t.Fatal(err)
	}
	cv := f.open("1177-100260") // journalkopia, BUP Vänersborg
	chooseReply(t, f, cv, "Journalkopia")
	text := cv.replyText.Text
	if !strings.Contains(text, "BUP Vänersborg\nNU-sjukvården") || strings.Contains(text, "Uddevalla") {
		t.Errorf("not signed by the case's unit:\n%s", text)
	}
	if cv.replyInfo.Visible() {
		t.Errorf("warning on a filled reply: %q", cv.replyInfo.Text)
	}
	// Pressed twice before the first is stored: one registration.
	cv.onMarkSentTapped()
	cv.onMarkSentTapped()
	f.settle()
	if n := countSent(f, "1177-100260"); n != 1 {
		t.Fatalf("%d reply-sent events, want 1", n)
	}
	if c := f.caseByRef("1177-100260"); c.Status != app.StatusAvslutad {
		t.Errorf("status %s", c.Status)
	}
	if !cv.markSentBtn.Disabled() {
		t.Error("Markera som skickat still enabled after marking")
	}
	// And once more later: still one, and it says so.
	cv.onMarkSentTapped()
	f.settle()
	if n := countSent(f, "1177-100260"); n != 1 || !strings.HasPrefix(cv.replyInfo.Text, "Redan registrerat") {
		t.Errorf("%d events, info %q", n, cv.replyInfo.Text)
	}

	// A unit without details of its own uses the default.
	cv = f.open("1177-100250") // avboka, BUP Uddevalla
	chooseReply(t, f, cv, "Avbokning bekräftad")
	if !strings.Contains(cv.replyText.Text, "010-435 00 00") || !strings.Contains(cv.replyText.Text, "BUP Uddevalla") {
		t.Errorf("default not used:\n%s", cv.replyText.Text)
	}
}

// The motfråga's prompt is something to fill in too; typing over it lets
// the reply go.
func TestReplyPromptMustBeFilled(t *testing.T) {
	f := newFixture(t)
	fillMottagning(t, f.db)
	cv := f.open("1177-100250")
	chooseReply(t, f, cv, "Motfråga")
	test.Tap(cv.copyBtn)
	if f.a.Clipboard().Content() != "" || !strings.Contains(cv.replyInfo.Text, "[Skriv frågan här]") ||
		cv.replyInfo.Importance != widget.DangerImportance {
		t.Fatalf("copied with the prompt: info %q", cv.replyInfo.Text)
	}
	cv.replyText.SetText(strings.Replace(cv.replyText.Text, "[Skriv frågan här]", "Vilken dag passar?", 1))
	test.Tap(cv.copyBtn)
	if got := f.a.Clipboard().Content(); !strings.Contains(got, "Vilken dag passar?") {
		t.Errorf("clipboard %q", got)
	}
	if !strings.HasPrefix(cv.replyInfo.Text, "Kopierat.") {
		t.Errorf("info %q", cv.replyInfo.Text)
	}
}

// The intyg flow's delsvar is editable, refused while a detail is missing
// (saying who can fill it in), and the issuer is the case's unit.
func TestIntygDelsvarCheckedAndIssuerFromUnit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fl := f.openIntygFlow() // nothing filled in the settings
	if !strings.Contains(fl.delsvarText.Text, "{telefon}") || !fl.delsvarInfo.Visible() ||
		!strings.Contains(fl.delsvarInfo.Text, "telefonnummer för BUP Uddevalla") {
		t.Fatalf("delsvar %q info %q", fl.delsvarText.Text, fl.delsvarInfo.Text)
	}
	test.Tap(fl.delsvarCopy)
	test.Tap(fl.delsvarSent)
	f.settle()
	if f.a.Clipboard().Content() != "" || !fl.delsvarInfo.Visible() || !strings.Contains(fl.delsvarInfo.Text, "Uppgifter saknas") {
		t.Errorf("copied or warning gone: %q", fl.delsvarInfo.Text)
	}
	if _, done := f.caseByRef(refVAB).Steps[app.StepDelsvar]; done {
		t.Fatal("a delsvar with holes was marked as sent")
	}
	if !strings.Contains(fl.issuerText.Text, "Fylls i under Inställningar → Mottagning för BUP Uddevalla av Anna Berg") {
		t.Errorf("issuer %q", fl.issuerText.Text)
	}
	// Filled by hand in the flow, it goes.
	filled := strings.NewReplacer("{telefon}", "010-1", "{mottagning}", "BUP Uddevalla", "{vardgivare}", "NU").Replace(fl.delsvarText.Text)
	fl.delsvarText.SetText(filled)
	if fl.delsvarInfo.Visible() {
		t.Errorf("warning after filling: %q", fl.delsvarInfo.Text)
	}
	test.Tap(fl.delsvarCopy)
	if got := f.a.Clipboard().Content(); got != filled {
		t.Errorf("clipboard %q", got)
	}
	test.Tap(fl.delsvarSent)
	f.settle()
	if _, done := f.caseByRef(refVAB).Steps[app.StepDelsvar]; !done {
		t.Fatal("delsvar not marked")
	}

	// The unit's own details, not the default's, sign the intyg.
	if err := app.SaveUnitDetails(ctx, f.db, "", app.UnitDetails{Name: "BUP Trollhättan", Address: "Box 9", Phone: "010-9",
		CareProvider: "NU-sjukvården", Town: "Trollhättan"}); err != nil {
		t.Fatal(err)
	}
	if err := app.SaveUnitDetails(ctx, f.db, "BUP Uddevalla", app.UnitDetails{Name: "BUP Uddevalla", Address: "Box 1, 451 80 Uddevalla",
		Phone: "010-435 00 00", Town: "Uddevalla"}); err != nil {
		t.Fatal(err)
	}
	fl.leaveFlow()
	f.settle()
	fl = f.openIntygFlow()
	is := fl.issuer()
	if is.Unit != "BUP Uddevalla" || is.Phone != "010-435 00 00" || is.CareProvider != "NU-sjukvården" || fl.blank().Place != "Uddevalla" {
		t.Errorf("issuer %+v place %q", is, fl.blank().Place)
	}
	if strings.Contains(fl.issuerText.Text, "Saknas") {
		t.Errorf("issuer %q", fl.issuerText.Text)
	}
}

// Inställningar → Mottagning keeps each unit's details.
func TestSettingsPerUnit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fillMottagning(t, f.db)
	f.selectTab("Inställningar")
	f.settle()
	st := f.u.settings
	// The default names Uddevalla: that unit uses it, the others lack details.
	for _, want := range []string{unitDefaultOption, "BUP Trollhättan (uppgifter saknas)", "BUP Uddevalla (använder standard)",
		"BUP Vänersborg (uppgifter saknas)"} {
		if !slices.Contains(st.unitSel.Options, want) {
			t.Errorf("options %v lack %q", st.unitSel.Options, want)
		}
	}
	if st.unit[app.SettingMottagningNamn].Text != "BUP Uddevalla" {
		t.Errorf("default name %q", st.unit[app.SettingMottagningNamn].Text)
	}
	st.unitSel.SetSelected("BUP Vänersborg (uppgifter saknas)")
	f.settle()
	if st.unit[app.SettingMottagningNamn].Text != "" || st.unit[app.SettingMottagningNamn].PlaceHolder != "t.ex. BUP Vänersborg" ||
		st.unit[app.SettingMottagningVardgivare].PlaceHolder != "Standard: NU-sjukvården" || !strings.Contains(st.unitWho.Text, "kan inte skickas") {
		t.Errorf("a unit without details shows %q / %q / %q / %q", st.unit[app.SettingMottagningNamn].Text,
			st.unit[app.SettingMottagningNamn].PlaceHolder, st.unit[app.SettingMottagningVardgivare].PlaceHolder, st.unitWho.Text)
	}
	st.unit[app.SettingMottagningNamn].SetText("BUP Vänersborg")
	st.unit[app.SettingMottagningTelefon].SetText("0521-27 50 00")
	test.Tap(st.unitSave)
	f.settle()
	if v, _ := f.db.Setting(ctx, "mottagning.namn@BUP Vänersborg"); v != "BUP Vänersborg" {
		t.Errorf("unit name %q", v)
	}
	if v, _ := f.db.Setting(ctx, app.SettingMottagningNamn); v != "BUP Uddevalla" {
		t.Errorf("default changed: %q", v)
	}
	if st.unitSel.Selected != "BUP Vänersborg" || !strings.Contains(st.unitWho.Text, "Saknas: adress") {
		t.Errorf("selected %q, %q", st.unitSel.Selected, st.unitWho.Text)
	}
	// A mottagning no case names yet.
	st.unitNew.SetText("BUP Lysekil")
	test.Tap(st.unitAdd)
	f.settle()
	st.unit[app.SettingMottagningNamn].SetText("BUP Lysekil")
	test.Tap(st.unitSave)
	f.settle()
	if units, _ := app.UnitsWithDetails(ctx, f.db); !slices.Equal(units, []string{"BUP Lysekil", "BUP Vänersborg"}) {
		t.Errorf("units %v", units)
	}
	if !slices.Contains(st.unitSel.Options, "BUP Lysekil") {
		t.Errorf("options %v", st.unitSel.Options)
	}
}

// Administrators add standard replies; placeholders are checked as they
// type.
func TestSettingsAddOwnReply(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fillMottagning(t, f.db)
	f.selectTab("Inställningar")
	f.settle()
	st := f.u.settings
	test.Tap(st.replyNew)
	if !st.replyAdding.Visible() || st.replyText.Disabled() {
		t.Fatal("no form for a new reply")
	}
	st.replyName.SetText("Påminnelse om besök")
	st.replyText.SetText("Hej! Välkommen {datum}. Ring {telefn} vid förhinder.\n/{mottagning}")
	if !st.replyErr.Visible() || !strings.Contains(st.replyErr.Text, "{telefn}") {
		t.Fatalf("unknown placeholder not flagged: %q", st.replyErr.Text)
	}
	test.Tap(st.replySave)
	f.settle()
	if v, _ := f.db.Setting(ctx, app.SettingCustomReplies); v != "" {
		t.Fatalf("saved with an unknown placeholder: %s", v)
	}
	st.replyText.SetText("Hej! Välkommen {datum}. Ring {telefon} vid förhinder.\n/{mottagning}")
	if st.replyErr.Visible() {
		t.Errorf("error left: %q", st.replyErr.Text)
	}
	test.Tap(st.replySave)
	f.settle()
	if st.replySel.Selected != "Påminnelse om besök (eget)" || !strings.Contains(st.replyState.Text, "Sparat") {
		t.Fatalf("selected %q state %q", st.replySel.Selected, st.replyState.Text)
	}
	// It is offered on a case, filled.
	cv := f.open("1177-100250")
	chooseReply(t, f, cv, "Påminnelse om besök")
	if !strings.Contains(cv.replyText.Text, "Ring 010-435 00 00") || cv.replyInfo.Visible() {
		t.Errorf("own reply %q info %q", cv.replyText.Text, cv.replyInfo.Text)
	}
	cv.onMarkSentTapped()
	f.settle()
	if n := countSent(f, "1177-100250"); n != 1 {
		t.Errorf("own reply sent %d times", n)
	}
	// Removed, it is no longer offered.
	f.selectTab("Inställningar")
	f.settle()
	st.replySel.SetSelected("Påminnelse om besök (eget)")
	f.settle()
	test.Tap(st.replyRemove)
	f.settle()
	if slices.Contains(st.replySel.Options, "Påminnelse om besök (eget)") {
		t.Errorf("still offered: %v", st.replySel.Options)
	}
}

// A person saved in Personal gets a confirmation that stays.
func TestStaffSavedIsConfirmed(t *testing.T) {
	f := newFixture(t)
	f.selectTab("Personal")
	f.settle()
	st := f.u.staffs
	st.form.name.SetText("Nils Nyberg")
	st.form.hsa.SetText("SE2321000131-P000000000099")
	st.form.roles.SetSelected([]string{"Sjuksköterska"})
	test.Tap(st.save)
	f.settle()
	if !strings.HasPrefix(st.notice.Text, "Sparat: Nils Nyberg") || st.notice.Importance != widget.SuccessImportance {
		t.Errorf("notice %q", st.notice.Text)
	}
	if _, err := f.db.StaffByHSAID(context.Background(), "SE2321000131-P000000000099"); err != nil {
		t.Error(err)
	}
}
