package ui

import (
	"bytes"
	"context"
	"image"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/pdf"
)

// previewImages returns the page images the preview shows.
func previewImages(fl *intygFlow) []*canvas.Image {
	var out []*canvas.Image
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *canvas.Image:
			out = append(out, v)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(fl.preview)
	return out
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// previewText checks that the preview shows the pages package pdf draws
// of document kind of what the form holds, one image per page, and
// returns that document's text (pdftotext), spaces squashed.
func previewText(t *testing.T, fl *intygFlow, kind pdf.Kind) string {
	t.Helper()
	in := fl.current()
	want, err := pdf.Pages(kind, in, previewDPI)
	if err != nil {
		t.Fatal(err)
	}
	shown := previewImages(fl)
	if len(shown) != len(want) {
		t.Fatalf("preview shows %d pages, want %d", len(shown), len(want))
	}
	for i := range shown {
		if !sameImage(shown[i].Image, want[i]) {
			t.Errorf("page %d shown is not the %s as drawn by package pdf", i+1, kind)
		}
		if sz := shown[i].MinSize(); sz.Width != previewPageW || sz.Height != previewPageH {
			t.Errorf("page shown at %v", sz)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	var doc bytes.Buffer
	if err := pdf.Render(&doc, kind, in, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = &doc
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(` +`).ReplaceAllString(strings.Join(strings.Fields(string(out)), " "), " ")
}

// The guardians' postal addresses: typed in the form, checked, shown in
// the följebrev's preview with "ni" for two, a warning when they live
// apart, kept in the draft and the issued version; the original carries
// the address set in Inställningar.
func TestIntygFlowPostalAddressAndPreview(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	setMottagning(t, f.db)
	if err := f.db.SetSetting(ctx, app.SettingFKAdress, "Försäkringskassan, Box 7, 123 45 Testort"); err != nil {
		t.Fatal(err)
	}
	id := f.ids[refVAB]
	fl := f.openIntygFlow()
	fl.goTo(intygPageForm)
	fillForm(fl, "20190312-9805")
	g1, g2 := &fl.guardians[0], &fl.guardians[1]
	test.Type(g1.street, "Testgatan 12")
	test.Type(g1.postcode, "4515")
	test.Type(g1.city, "Uddevalla")
	test.Type(g2.name, "Jonas Testsson")
	test.Type(g2.pnr, "19860203-9847")
	f.settle()

	test.Tap(fl.nextBtn)
	f.settle()
	if fl.page != intygPageForm || !strings.Contains(errShown(fl, "guardians[0].postal_address.postcode"), "fem siffror") {
		t.Fatalf("a bad postcode let the flow go on: page %d, error %q", fl.page, errShown(fl, "guardians[0].postal_address.postcode"))
	}
	retype(g1.postcode, "45150")
	// Jonas at another address: one envelope cannot reach him.
	test.Type(g2.street, "Annan väg 3")
	test.Type(g2.postcode, "461 30")
	test.Type(g2.city, "Trollhättan")
	f.settle()
	if !fl.addrNote.Visible() || !strings.Contains(fl.addrNote.Text, "följebrevet är två brev") ||
		!strings.Contains(fl.addrNote.Text, "ett till Jonas Testsson (Annan väg 3, 461 30 Trollhättan)") || strings.Contains(fl.addrNote.Text, "inget eget brev") {
		t.Errorf("address note %q (shown %v)", fl.addrNote.Text, fl.addrNote.Visible())
	}
	// The same address as Åsa: left empty.
	g2.street.SetText("")
	g2.postcode.SetText("")
	g2.city.SetText("")
	f.settle()
	if fl.addrNote.Visible() {
		t.Errorf("address note shown for one address: %q", fl.addrNote.Text)
	}
	if d, _ := f.db.IntygDraft(ctx, id); !strings.Contains(string(d), `"postal_address":{"street":"Testgatan 12","postcode":"45150","city":"Uddevalla"}`) {
		t.Errorf("draft %s", d)
	}

	test.Tap(fl.nextBtn)
	f.settle()
	if fl.page != intygPagePreview {
		t.Fatalf("page %d, message %q", fl.page, fl.message.Text)
	}
	original := previewText(t, fl, pdf.Original)
	if !strings.Contains(original, "ORIGINAL – till Försäkringskassan") || !strings.Contains(original, "Skickas till: Försäkringskassan, Box 7, 123 45 Testort") {
		t.Errorf("original: %s", original)
	}
	fl.previewDoc.SetSelected("Följebrev")
	f.settle()
	letter := previewText(t, fl, pdf.Foljebrev)
	for _, want := range []string{"Åsa Öberg Jonas Testsson Testgatan 12 451 50 Uddevalla", "så ni behöver inte", "är ni välkomna"} {
		if !strings.Contains(letter, want) {
			t.Errorf("följebrev lacks %q: %s", want, letter)
		}
	}
	if fl.previewNote.Visible() {
		t.Errorf("preview note %q", fl.previewNote.Text)
	}

	test.Tap(fl.nextBtn)
	test.Tap(fl.createBtn)
	f.settle()
	vs, err := f.db.IntygVersions(ctx, id)
	if err != nil || len(vs) != 1 {
		t.Fatalf("versions %v %v", vs, err)
	}
	in := vs[0].Intyg
	if a := in.Guardians[0].PostalAddress; a == nil || *a != (app.IntygAddress{Street: "Testgatan 12", Postcode: "451 50", City: "Uddevalla"}) {
		t.Errorf("stored address %+v", a)
	}
	if in.Guardians[1].PostalAddress != nil || in.FKAddress != "Försäkringskassan, Box 7, 123 45 Testort" {
		t.Errorf("stored %+v, fk %q", in.Guardians[1], in.FKAddress)
	}
}

// Guardians at different addresses: the preview shows a letter to each,
// under a heading naming its addressee, each page as package pdf draws it,
// and the note says to print the copy twice; the issued version's PDF
// step says the same.
func TestIntygFlowPreviewTwoLetters(t *testing.T) {
	f := newFixture(t)
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	fl.goTo(intygPageForm)
	fillForm(fl, "20190312-9805")
	g1, g2 := &fl.guardians[0], &fl.guardians[1]
	test.Type(g1.street, "Testgatan 12")
	test.Type(g1.postcode, "45150")
	test.Type(g1.city, "Uddevalla")
	test.Type(g2.name, "Jonas Testsson")
	test.Type(g2.pnr, "19860203-9847")
	test.Type(g2.street, "Annan väg 3")
	test.Type(g2.postcode, "46130")
	test.Type(g2.city, "Trollhättan")
	f.settle()
	test.Tap(fl.nextBtn)
	f.settle()
	if fl.page != intygPagePreview {
		t.Fatalf("page %d, message %q", fl.page, fl.message.Text)
	}
	if !fl.previewNote.Visible() || !strings.Contains(fl.previewNote.Text, "Skriv ut kopian två gånger") {
		t.Errorf("preview note %q (shown %v)", fl.previewNote.Text, fl.previewNote.Visible())
	}
	fl.previewDoc.SetSelected("Följebrev")
	f.settle()
	letters := previewText(t, fl, pdf.Foljebrev) // every page shown, as drawn
	if n := len(previewImages(fl)); n != 2 {
		t.Errorf("%d pages shown, want a letter each", n)
	}
	var heads []string
	for _, o := range fl.preview.Objects {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "Brev ") {
			heads = append(heads, l.Text)
		}
	}
	want := []string{"Brev 1 av 2: till Åsa Öberg, Testgatan 12, 451 50 Uddevalla", "Brev 2 av 2: till Jonas Testsson, Annan väg 3, 461 30 Trollhättan"}
	if strings.Join(heads, "|") != strings.Join(want, "|") {
		t.Errorf("headings %q, want %q", heads, want)
	}
	for _, s := range []string{"Åsa Öberg Testgatan 12 451 50 Uddevalla", "Jonas Testsson Annan väg 3 461 30 Trollhättan",
		"har vi skickat till Jonas Testsson", "har vi skickat till Åsa Öberg"} {
		if !strings.Contains(letters, s) {
			t.Errorf("the letters lack %q: %s", s, letters)
		}
	}
	if strings.Count(letters, "Har du frågor") != 2 || strings.Contains(letters, "välkomna") {
		t.Errorf("not two letters to one each: %s", letters)
	}

	test.Tap(fl.nextBtn)
	test.Tap(fl.createBtn)
	f.settle()
	if !strings.Contains(fl.pdfInfo.Text, "följebrevet är två brev") {
		t.Errorf("PDF step says %q", fl.pdfInfo.Text)
	}
}

// Inställningar: the address the original goes to is saved, and empty
// means Försäkringskassan's scanning centre.
func TestSettingsFKAddress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	st := f.u.settings
	st.load()
	f.settle()
	rs := st.routine
	if rs.fkAddr.Text != "" || rs.fkAddr.PlaceHolder != app.DefaultFKAddress {
		t.Errorf("shown %q, placeholder %q", rs.fkAddr.Text, rs.fkAddr.PlaceHolder)
	}
	rs.fkAddr.SetText("  Försäkringskassan,\tBox 7,  123 45 Testort ")
	test.Tap(rs.fkSave)
	f.settle()
	if v, _ := f.db.Setting(ctx, app.SettingFKAdress); v != "Försäkringskassan, Box 7, 123 45 Testort" {
		t.Errorf("stored %q", v)
	}
	if !strings.Contains(rs.fkInfo.Text, "Sparat") {
		t.Errorf("info %q", rs.fkInfo.Text)
	}
	rs.fkAddr.SetText(strings.Repeat("x", app.IntygFieldMax+1))
	test.Tap(rs.fkSave)
	f.settle()
	if v, _ := f.db.Setting(ctx, app.SettingFKAdress); strings.HasPrefix(v, "xxx") || !strings.Contains(rs.fkInfo.Text, "högst") {
		t.Errorf("too long saved: %q, info %q", v, rs.fkInfo.Text)
	}
	rs.fkAddr.SetText("")
	test.Tap(rs.fkSave)
	f.settle()
	if v, _ := f.db.Setting(ctx, app.SettingFKAdress); v != "" || !strings.Contains(rs.fkInfo.Text, app.DefaultFKAddress) {
		t.Errorf("cleared: %q, info %q", v, rs.fkInfo.Text)
	}
}
