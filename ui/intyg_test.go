package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/data"
	"arendestod/pdf"
)

const refVAB = "1177-100232" // the fixture's vab-under-12 case

// setMottagning fills the mottagning's settings the intyg's issuer needs.
func setMottagning(t *testing.T, db *data.DB) {
	t.Helper()
	for k, v := range map[string]string{
		app.SettingMottagningNamn:       "BUP Uddevalla",
		app.SettingMottagningAdress:     "Box 1, 451 80 Uddevalla",
		app.SettingMottagningTelefon:    "010-000 00 00",
		app.SettingMottagningVardgivare: "Västra Götalandsregionen",
		app.SettingMottagningOrt:        "Uddevalla",
	} {
		if err := db.SetSetting(context.Background(), k, v); err != nil {
			t.Fatal(err)
		}
	}
}

// openIntygFlow opens the vab-under-12 case and taps "Skriv intyg".
func (f *fixture) openIntygFlow() *intygFlow {
	f.t.Helper()
	cv := f.open(refVAB)
	var btn *widget.Button
	for _, o := range cv.typeActions.Objects {
		if b, ok := o.(*widget.Button); ok && b.Text == "Skriv intyg" {
			btn = b
		}
	}
	if btn == nil {
		f.t.Fatal("no Skriv intyg button on a vab-under-12 case")
	}
	test.Tap(btn)
	f.settle()
	if cv.flow == nil || cv.flow.c == nil {
		f.t.Fatalf("the flow did not open (last error %q)", f.u.lastError)
	}
	if f.u.casesBody.Objects[0] != cv.flow.content {
		f.t.Fatal("the flow is not shown in the case area")
	}
	return cv.flow
}

// retype replaces an entry's text by typing, as the nurse would.
func retype(e *widget.Entry, s string) {
	e.SetText("")
	test.Type(e, s)
}

func errShown(fl *intygFlow, key string) string {
	l := fl.errs[key]
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}

func (f *fixture) skrivUtRows() []app.AuditEntry {
	f.t.Helper()
	all, err := f.db.AuditEntries(context.Background(), data.AuditFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []app.AuditEntry
	for _, e := range all {
		if e.Action == "skriv-ut" {
			out = append(out, e)
		}
	}
	return out
}

// fillValid types a valid intyg into the form, the child's personnummer
// given by pnr.
func fillForm(fl *intygFlow, pnr string) {
	test.Type(fl.childName, "Alva Testsson")
	test.Type(fl.childPnr, pnr)
	test.Type(fl.guardians[0].name, "Åsa Öberg")
	test.Type(fl.guardians[0].pnr, "19850720-9818")
	test.Type(fl.diagnosis, "Feber och hosta, behöver tillsyn av vuxen i hemmet.")
	test.Type(fl.periods[0].from, "2026-11-20")
	test.Type(fl.periods[0].to, "2026-11-27")
	test.Type(fl.contactDate, "2026-11-24")
	fl.contactKind.SetSelected("Besök")
}

func TestIntygFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	setMottagning(t, f.db)
	id := f.ids[refVAB]
	fl := f.openIntygFlow()

	// 1 Delsvar: the standard text, filled, copied and marked as sent.
	if fl.page != intygPageDelsvar {
		t.Fatalf("opens on page %d, want the delsvar", fl.page)
	}
	if !strings.Contains(fl.delsvarText.Text, "010-000 00 00") || strings.Contains(fl.delsvarText.Text, "{") {
		t.Errorf("delsvar text %q", fl.delsvarText.Text)
	}
	test.Tap(fl.delsvarCopy)
	if got := f.a.Clipboard().Content(); got != fl.delsvarText.Text {
		t.Errorf("clipboard %q", got)
	}
	test.Tap(fl.delsvarSent)
	f.settle()
	c := f.caseByRef(refVAB)
	if _, done := c.Steps[app.StepDelsvar]; !done || c.Status != app.StatusPagaende || c.FirstFeedbackAt == nil {
		t.Fatalf("after the delsvar: steps %v status %s", c.Steps, c.Status)
	}
	if !strings.Contains(fl.delsvarInfo.Text, "Delsvar skickat") || !fl.delsvarSent.Disabled() {
		t.Errorf("delsvar info %q", fl.delsvarInfo.Text)
	}
	test.Tap(fl.nextBtn)
	if fl.page != intygPageForm {
		t.Fatalf("page %d after Nästa", fl.page)
	}

	// 2 Intyg: defaults, the issuer from the person working and settings.
	if fl.date.Text != "2026-11-25" || fl.place.Text != "Uddevalla" {
		t.Errorf("defaults: date %q place %q", fl.date.Text, fl.place.Text)
	}
	if fl.periods[0].percent.Selected != "100 %" {
		t.Errorf("default share %q", fl.periods[0].percent.Selected)
	}
	if is := fl.issuer(); is.Name != "Eva Ek" || is.Title != "Sjuksköterska" || is.HSAID != hsaEva || is.Unit != "BUP Uddevalla" {
		t.Errorf("issuer %+v", is)
	}
	if fl.counter.Text != "318 tecken kvar" {
		t.Errorf("counter %q", fl.counter.Text)
	}
	// An invalid personnummer first: the error shows under the field and
	// nothing is stored as an intyg.
	fillForm(fl, "20190312-9806")
	f.settle()
	if msg := errShown(fl, "child.personnummer"); msg == "" {
		t.Fatal("no error under the child's personnummer")
	}
	if msg := errShown(fl, "child.name"); msg != "" {
		t.Errorf("error under a valid name: %q", msg)
	}
	if want := app.DiagnosisMax - len([]rune(fl.diagnosis.Text)); fl.counter.Text != itoa(want)+" tecken kvar" {
		t.Errorf("counter %q, want %d left", fl.counter.Text, want)
	}
	test.Tap(fl.nextBtn)
	f.settle()
	if fl.page != intygPageForm || !strings.Contains(fl.message.Text, "Rätta") {
		t.Fatalf("went on with an invalid intyg: page %d, %q", fl.page, fl.message.Text)
	}
	if vs, _ := f.db.IntygVersions(ctx, id); len(vs) != 0 {
		t.Fatalf("an invalid intyg was stored: %+v", vs)
	}
	// The draft was saved as she typed.
	if d, _ := f.db.IntygDraft(ctx, id); !strings.Contains(string(d), "Alva Testsson") || !strings.Contains(string(d), "20190312-9806") {
		t.Errorf("draft %s", d)
	}
	retype(fl.childPnr, "20190312-9805")
	f.settle()
	if msg := errShown(fl, "child.personnummer"); msg != "" {
		t.Errorf("error still shown: %q", msg)
	}

	// 3 Förhandsgranska.
	test.Tap(fl.nextBtn)
	f.settle()
	if fl.page != intygPagePreview {
		t.Fatalf("page %d, want the preview (message %q)", fl.page, fl.message.Text)
	}
	// The preview is the original's page as it prints (issue 14, item 9):
	// the picture shown is what package pdf draws of the intyg, and that
	// page holds every value.
	preview := previewText(t, fl, pdf.Original)
	for _, want := range []string{"Alva Testsson", "20190312-9805", "Åsa Öberg", "2026-11-20 2026-11-27 100 %", "Besök", "2026-11-24", "Uddevalla 2026-11-25"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q", want)
		}
	}

	// 4 PDF: created, stored as version 1, saved.
	test.Tap(fl.nextBtn)
	if fl.page != intygPagePDF || !fl.nextBtn.Disabled() {
		t.Fatalf("page %d; Nästa before the PDFs exist: %v", fl.page, !fl.nextBtn.Disabled())
	}
	test.Tap(fl.createBtn)
	f.settle()
	if fl.issued == nil || fl.issued.Version != 1 {
		t.Fatalf("not issued (last error %q)", f.u.lastError)
	}
	vs, err := f.db.IntygVersions(ctx, id)
	if err != nil || len(vs) != 1 || vs[0].Intyg.Child.Personnummer != "20190312-9805" {
		t.Fatalf("versions %+v, %v", vs, err)
	}
	if d, _ := f.db.IntygDraft(ctx, id); d != nil {
		t.Errorf("draft left after issuing: %s", d)
	}
	if _, done := f.caseByRef(refVAB).Steps[app.StepIntygSkrivet]; !done {
		t.Error("step intyg-skrivet not ticked")
	}
	dir := t.TempDir()
	fl.saveTo(dir)
	f.settle()
	out := filepath.Join(dir, app.IntygDirName(id, 1))
	for _, name := range app.IntygFiles() {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !strings.HasPrefix(string(b), "%PDF") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if fl.savedDir != out || fl.openBtn.Disabled() {
		t.Errorf("saved dir %q, open disabled %v", fl.savedDir, fl.openBtn.Disabled())
	}
	test.Tap(fl.openBtn) // the test app opens nothing
	rows := f.skrivUtRows()
	if len(rows) != 2 {
		t.Fatalf("skriv-ut rows %d, want 2 (created, saved)", len(rows))
	}
	for _, r := range rows {
		if r.Patient != "201903129805" || r.CaseID != id || r.Actor != hsaEva {
			t.Errorf("audit row %+v", r)
		}
	}

	// 5 Skickat.
	test.Tap(fl.nextBtn)
	if fl.page != intygPageSent {
		t.Fatalf("page %d", fl.page)
	}
	test.Tap(fl.sentChecks[app.StepOriginalFK])
	f.settle()
	test.Tap(fl.sentChecks[app.StepKopiaVardnadshavare])
	f.settle()
	c = f.caseByRef(refVAB)
	for _, k := range []string{app.StepOriginalFK, app.StepKopiaVardnadshavare} {
		if st, done := c.Steps[k]; !done || !st.At.Equal(testNow) {
			t.Errorf("step %s: %+v %v", k, st, done)
		}
		if !strings.HasPrefix(fl.sentInfo[k].Text, "Klart") {
			t.Errorf("info %q", fl.sentInfo[k].Text)
		}
	}

	// 6 Avsluta.
	test.Tap(fl.nextBtn)
	if fl.page != intygPageClose || !strings.Contains(fl.finalText.Text, "Intyget är klart") {
		t.Fatalf("page %d, final text %q", fl.page, fl.finalText.Text)
	}
	test.Tap(fl.finalCopy)
	test.Tap(fl.closeBtn)
	f.settle()
	if c := f.caseByRef(refVAB); c.Status == app.StatusAvslutad {
		t.Fatal("closed without asking")
	}
	if f.u.lastConfirm.warning != "" {
		t.Errorf("warning with the answer copied and everything sent: %q", f.u.lastConfirm.warning)
	}
	f.confirm("Besvarat och avslutat")
	c = f.caseByRef(refVAB)
	if c.Status != app.StatusAvslutad || c.ClosedAt == nil {
		t.Fatalf("case %s after closing", c.Status)
	}
	if len(c.RemainingSteps()) != 0 {
		t.Errorf("steps left: %v", c.RemainingSteps())
	}
	cv := f.u.caseView
	if cv.flow != nil || f.u.casesBody.Objects[0] != cv.content {
		t.Error("the flow is still shown after closing")
	}
	if !strings.Contains(cv.status.Text, "Avslutad") {
		t.Errorf("case view status %q", cv.status.Text)
	}
	if !hasEvent(f.events(refVAB), app.EventSvar, hsaEva) {
		t.Errorf("events %v", kinds(f.events(refVAB)))
	}

	// Reopening the flow shows the issued intyg, ready to print again.
	fl = f.openIntygFlow()
	if fl.page != intygPageClose || fl.issued == nil || fl.issued.Version != 1 {
		t.Errorf("reopened on page %d, issued %+v", fl.page, fl.issued)
	}
}

func TestIntygFlowChildOf12(t *testing.T) {
	f := newFixture(t)
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	test.Tap(fl.nextBtn)
	if fl.tooOld.Visible() {
		t.Fatal("re-route offered before anything is typed")
	}
	// Born 2014-11-20: 12 on the first day of care.
	fillForm(fl, "20141120-9818")
	f.settle()
	if !fl.tooOld.Visible() || !strings.Contains(fl.tooOldText.Text, "Barnet har fyllt 12 år den första vårddagen (2026-11-20)") {
		t.Fatalf("re-route offer: visible %v, %q", fl.tooOld.Visible(), fl.tooOldText.Text)
	}
	test.Tap(fl.nextBtn)
	if fl.page != intygPageForm {
		t.Fatalf("went on to page %d with a child of 12", fl.page)
	}
	// The day after the birthday as first day is fine again.
	retype(fl.periods[0].from, "2026-11-19")
	if fl.tooOld.Visible() {
		t.Error("offer shown for a child of 11")
	}
	retype(fl.periods[0].from, "2026-11-20")
	test.Tap(fl.rerouteBtn)
	f.settle()
	if c := f.caseByRef(refVAB); c.Type != app.TypeVABUnder12 {
		t.Fatalf("re-routed to %s without asking", c.Type)
	}
	f.confirm("Styr om")
	c := f.caseByRef(refVAB)
	if c.Type != app.TypeVAB1216 {
		t.Fatalf("type %s after re-routing (last error %q)", c.Type, f.u.lastError)
	}
	cv := f.u.caseView
	if cv.flow != nil || f.u.casesBody.Objects[0] != cv.content {
		t.Error("the flow is still shown after re-routing")
	}
	if cv.title.Text != app.TypeName(app.TypeVAB1216) {
		t.Errorf("case view title %q", cv.title.Text)
	}
	if vs, _ := f.db.IntygVersions(context.Background(), c.ID); len(vs) != 0 {
		t.Errorf("an intyg was stored: %+v", vs)
	}
}

func TestIntygFlowDraftSurvives(t *testing.T) {
	f := newFixture(t)
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	test.Tap(fl.nextBtn)
	test.Type(fl.childName, "Alva Testsson")
	test.Type(fl.diagnosis, "Hosta")
	test.Tap(fl.addPeriod)
	test.Type(fl.periods[1].from, "2026-11-23")
	fl.periods[1].percent.SetSelected("50 %")
	f.settle()
	test.Tap(fl.leave)
	f.settle()

	// The window closes and opens again on the same database.
	f.u.win.Close()
	f.start()
	fl = f.openIntygFlow()
	if fl.page != intygPageForm {
		t.Errorf("reopened on page %d, want the form", fl.page)
	}
	if fl.childName.Text != "Alva Testsson" || fl.diagnosis.Text != "Hosta" || len(fl.periods) != 2 ||
		fl.periods[1].from.Text != "2026-11-23" || fl.periods[1].percent.Selected != "50 %" {
		t.Errorf("draft not restored: %q %q %d periods", fl.childName.Text, fl.diagnosis.Text, len(fl.periods))
	}
	if !strings.Contains(fl.draftInfo.Text, "återställt") {
		t.Errorf("draft info %q", fl.draftInfo.Text)
	}
	// Restoring typed nothing: no error shows for untouched fields.
	if msg := errShown(fl, "child.personnummer"); msg != "" {
		t.Errorf("error before touching: %q", msg)
	}
}

// TestIntygFlowCorrection: a change after issuing makes version 2 and
// keeps version 1; unchanged content is not issued again.
func TestIntygFlowCorrection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	test.Tap(fl.nextBtn)
	fillForm(fl, "20190312-9805")
	f.settle()
	fl.goTo(intygPagePDF)
	test.Tap(fl.createBtn)
	f.settle()
	if !fl.createBtn.Disabled() {
		t.Error("Skapa PDF offered again for the same content")
	}
	fl.goTo(intygPageForm)
	fl.periods[0].percent.SetSelected("50 %")
	f.settle()
	fl.goTo(intygPagePDF)
	if fl.issued != nil || fl.createBtn.Text != "Skapa rättad version (version 2)" {
		t.Fatalf("after a change: issued %v, button %q", fl.issued, fl.createBtn.Text)
	}
	test.Tap(fl.createBtn)
	f.settle()
	vs, err := f.db.IntygVersions(ctx, f.ids[refVAB])
	if err != nil || len(vs) != 2 || vs[0].Intyg.Periods[0].Percent != 100 || vs[1].Intyg.Periods[0].Percent != 50 {
		t.Fatalf("versions %+v, %v", vs, err)
	}
	if n := len(f.skrivUtRows()); n != 2 {
		t.Errorf("skriv-ut rows %d, want 2", n)
	}

	// Version 1 can be printed again, with the content it had.
	if !fl.oldBox.Visible() || len(fl.oldSel.Options) != 1 || !strings.HasPrefix(fl.oldSel.Options[0], "Version 1,") {
		t.Fatalf("earlier versions offered: visible %v, %q", fl.oldBox.Visible(), fl.oldSel.Options)
	}
	fl.oldSel.SetSelected(fl.oldSel.Options[0])
	dir := t.TempDir()
	fl.saveVersion(dir, fl.oldKeys[fl.oldSel.Selected])
	f.settle()
	got, err := os.ReadFile(filepath.Join(dir, app.IntygDirName(f.ids[refVAB], 1), "original.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(t.TempDir(), "want")
	if err := pdf.RenderAll(want, vs[0].Intyg, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	if w, _ := os.ReadFile(filepath.Join(want, "original.pdf")); !bytes.Equal(got, w) {
		t.Error("the re-printed version 1 differs from version 1 as issued")
	}
	if n := len(f.skrivUtRows()); n != 3 {
		t.Errorf("skriv-ut rows %d after re-printing, want 3", n)
	}
}

func TestReceptButtonOnFornyaRecept(t *testing.T) {
	f := newFixture(t)
	cv := f.open("1177-100231")
	var btn *widget.Button
	for _, o := range cv.typeActions.Objects {
		if b, ok := o.(*widget.Button); ok && b.Text == "Anteckna i receptloggen" {
			btn = b
		}
	}
	if btn == nil {
		t.Fatal("no Anteckna i receptloggen button on a fornya-recept case")
	}
	test.Tap(btn)
	if len(f.u.win.Canvas().Overlays().List()) == 0 {
		t.Error("no dialog opened")
	}
	// Other types have no such button.
	cv = f.open("1177-100240")
	for _, o := range cv.typeActions.Objects {
		if b, ok := o.(*widget.Button); ok && (b.Text == "Anteckna i receptloggen" || b.Text == "Skriv intyg") {
			t.Errorf("körkort case has %q", b.Text)
		}
	}
}

// TestIntygDraftDebounced: with the real delay, a burst of keystrokes
// makes one save, after the nurse stops typing.
func TestIntygDraftDebounced(t *testing.T) {
	f := newFixture(t)
	fl := f.openIntygFlow()
	fl.debounce.delay = 20 * time.Millisecond
	test.Tap(fl.nextBtn)
	test.Type(fl.childName, "Alva")
	f.settle()
	if d, _ := f.db.IntygDraft(context.Background(), f.ids[refVAB]); d != nil {
		t.Fatalf("saved before the delay: %s", d)
	}
	// Once the delay is over one save is queued: run it, and nothing else
	// is waiting.
	deadline := time.Now().Add(5 * time.Second)
	for !f.u.runNext() {
		if time.Now().After(deadline) {
			t.Fatal("no save was queued after the delay")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if f.u.runNext() {
		t.Error("more than one save queued, want 1")
	}
	f.settle()
	if d, _ := f.db.IntygDraft(context.Background(), f.ids[refVAB]); !strings.Contains(string(d), `"name":"Alva"`) {
		t.Errorf("draft %s", d)
	}
}
