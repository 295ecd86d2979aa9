package pdf_test

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/pdf"
)

// pdftotextArea returns the text of page 1 inside the box x, y, w, h in
// millimetres from the top left corner, as poppler finds it there.
func pdftotextArea(t *testing.T, doc []byte, x, y, w, h float64) string {
	t.Helper()
	needTool(t, "pdftotext")
	pt := func(mm float64) string { return strconv.Itoa(int(mm / 25.4 * 72)) } // at the default 72 dpi
	cmd := exec.Command("pdftotext", "-f", "1", "-l", "1", "-x", pt(x), "-y", pt(y), "-W", pt(w), "-H", pt(h),
		"-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func flat(s string) string { return squash(strings.Join(strings.Fields(s), " ")) }

// The original says whom it is for and where it is posted; the copy does
// not; the address is the intyg's, or Försäkringskassan's scanning centre
// when the intyg has none.
func TestOriginalSaysWhereItGoes(t *testing.T) {
	in := loadIntyg(t)
	orig := flat(pdftotext(t, render(t, pdf.Original, in)))
	for _, s := range []string{"ORIGINAL – till Försäkringskassan", "Skickas till: Försäkringskassan, Inläsningscentralen, 839 88 Östersund"} {
		if !strings.Contains(orig, s) {
			t.Errorf("original lacks %q:\n%s", s, orig)
		}
	}
	for _, k := range []pdf.Kind{pdf.Kopia, pdf.Foljebrev} {
		if text := pdftotext(t, render(t, k, in)); strings.Contains(text, "ORIGINAL") || strings.Contains(text, "Inläsningscentralen") {
			t.Errorf("%s is marked as the original", k)
		}
	}
	in.FKAddress = "Försäkringskassan, Box 99, 123 45 Testort"
	orig = flat(pdftotext(t, render(t, pdf.Original, in)))
	if !strings.Contains(orig, "Skickas till: Försäkringskassan, Box 99, 123 45 Testort") || strings.Contains(orig, "Östersund") {
		t.Errorf("the original does not carry the address set:\n%s", orig)
	}
}

// The window of the envelope: names and postal address, and nothing else,
// where the envelope's window is (25–105 mm from the left, 50–75 mm from
// the top); the letter body starts below it.
func TestFoljebrevWindowAddress(t *testing.T) {
	in := loadIntyg(t) // Åsa has the address, Jonas none: they share it
	doc := render(t, pdf.Foljebrev, in)
	window := pdftotextArea(t, doc, 24, 48, 84, 29)
	lines := strings.Split(strings.TrimSpace(window), "\n")
	for i := range lines {
		lines[i] = flat(lines[i])
	}
	want := []string{"Åsa Öberg", "Jonas Testsson", "Testgatan 12 lgh 1102", "451 50 Uddevalla"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("window shows %q, want %q", lines, want)
	}
	// Nothing else reaches into the window's wider surroundings.
	around := flat(pdftotextArea(t, doc, 10, 42, 120, 42))
	if around != flat(strings.Join(want, " ")) {
		t.Errorf("around the window: %q", around)
	}
}

// Two guardians are "ni", one is "du": every sentence speaks to the
// letter's readers in the right number.
func TestFoljebrevDuOrNi(t *testing.T) {
	two := flat(pdftotext(t, render(t, pdf.Foljebrev, loadIntyg(t))))
	for _, s := range []string{
		"så ni behöver inte skicka in något intyg själva", "är till er att spara",
		"Tänk på att ni själva ansöker", "om ni inte redan har gjort det",
		"Har ni frågor om intyget är ni välkomna att kontakta oss",
	} {
		if !strings.Contains(two, s) {
			t.Errorf("letter to two lacks %q", s)
		}
	}
	for _, s := range []string{" du ", " dig ", "välkommen "} {
		if strings.Contains(two, s) {
			t.Errorf("letter to two says %q", s)
		}
	}

	in := loadIntyg(t)
	in.Guardians = in.Guardians[:1]
	one := flat(pdftotext(t, render(t, pdf.Foljebrev, in)))
	for _, s := range []string{
		"så du behöver inte skicka in något intyg själv.", "är till dig att spara",
		"Tänk på att du själv ansöker", "Har du frågor om intyget är du välkommen att kontakta oss",
	} {
		if !strings.Contains(one, s) {
			t.Errorf("letter to one lacks %q", s)
		}
	}
	for _, s := range []string{" ni ", " er ", "välkomna", "Jonas Testsson"} {
		if strings.Contains(one, s) {
			t.Errorf("letter to one says %q", s)
		}
	}
}

// Guardians at different addresses: the envelope goes to the first
// address, to the guardian living there, who is "du".
func TestFoljebrevDifferentAddresses(t *testing.T) {
	in := loadIntyg(t)
	in.Guardians[1].PostalAddress = &app.IntygAddress{Street: "Annan väg 3", Postcode: "46130", City: "Trollhättan"}
	doc := render(t, pdf.Foljebrev, in)
	window := flat(pdftotextArea(t, doc, 24, 48, 84, 29))
	if window != "Åsa Öberg Testgatan 12 lgh 1102 451 50 Uddevalla" {
		t.Errorf("window %q", window)
	}
	text := flat(pdftotext(t, doc))
	if strings.Contains(text, "Trollhättan") || strings.Contains(text, "Jonas") || !strings.Contains(text, "Har du frågor") {
		t.Errorf("letter:\n%s", text)
	}
}

// No postal address at all: the names stand in the window, the letter
// is as before.
func TestFoljebrevWithoutAddress(t *testing.T) {
	in := loadIntyg(t)
	in.Guardians[0].PostalAddress = nil
	window := flat(pdftotextArea(t, render(t, pdf.Foljebrev, in), 24, 48, 84, 29))
	if window != "Åsa Öberg Jonas Testsson" {
		t.Errorf("window %q", window)
	}
}

// A postal address is printed only if the font has every character.
func TestRenderRefusesUnprintableAddress(t *testing.T) {
	in := loadIntyg(t)
	in.Guardians[0].PostalAddress.City = "Uddevalla \U0001F600"
	err := pdf.Render(&bytes.Buffer{}, pdf.Foljebrev, in, pdf.Options{})
	if err == nil || !strings.Contains(err.Error(), "guardians[0].postal_address.city") {
		t.Errorf("err = %v", err)
	}
}
