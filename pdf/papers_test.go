package pdf_test

import (
	"bytes"
	"image"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/pdf"
)

// pdftotextArea returns the text of page 1 inside the box x, y, w, h in
// millimetres from the top left corner, as poppler finds it there.
func pdftotextArea(t *testing.T, doc []byte, x, y, w, h float64) string {
	t.Helper()
	return pdftotextPageArea(t, doc, 1, x, y, w, h)
}

// pdftotextPageArea is pdftotextArea on page page.
func pdftotextPageArea(t *testing.T, doc []byte, page int, x, y, w, h float64) string {
	t.Helper()
	needTool(t, "pdftotext")
	pt := func(mm float64) string { return strconv.Itoa(int(mm / 25.4 * 72)) } // at the default 72 dpi
	pg := strconv.Itoa(page)
	cmd := exec.Command("pdftotext", "-f", pg, "-l", pg, "-x", pt(x), "-y", pt(y), "-W", pt(w), "-H", pt(h),
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

// pdfPages returns the text of each page of doc, spaces squashed.
func pdfPages(t *testing.T, doc []byte) []string {
	t.Helper()
	pages := strings.Split(strings.TrimSuffix(pdftotext(t, doc), "\f"), "\f")
	for i := range pages {
		pages[i] = flat(pages[i])
	}
	return pages
}

// Guardians at different addresses: one letter per address, each on a
// page of its own with its address in the window, addressed to the
// guardian living there ("du"), saying who else gets the same letter,
// numbering its own pages, and otherwise the same word for word.
func TestFoljebrevDifferentAddresses(t *testing.T) {
	in := loadIntyg(t)
	in.Guardians[1].PostalAddress = &app.IntygAddress{Street: "Annan väg 3", Postcode: "46130", City: "Trollhättan"}
	doc := render(t, pdf.Foljebrev, in)
	pages := pdfPages(t, doc)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want one letter on each of 2:\n%q", len(pages), pages)
	}
	windows := []string{"Åsa Öberg Testgatan 12 lgh 1102 451 50 Uddevalla", "Jonas Testsson Annan väg 3 461 30 Trollhättan"}
	also := []string{"Ett likadant brev med en kopia av intyget har vi skickat till Jonas Testsson.",
		"Ett likadant brev med en kopia av intyget har vi skickat till Åsa Öberg."}
	for i, page := range pages {
		if w := flat(pdftotextPageArea(t, doc, i+1, 24, 48, 84, 29)); w != windows[i] {
			t.Errorf("letter %d: window %q, want %q", i+1, w, windows[i])
		}
		if around := flat(pdftotextPageArea(t, doc, i+1, 10, 42, 120, 42)); around != windows[i] {
			t.Errorf("letter %d: around the window %q", i+1, around)
		}
		for _, s := range []string{"Har du frågor om intyget är du välkommen", "så du behöver inte skicka in något intyg själv.",
			also[i], "Sida 1 av 1", "2026-11-20 – 2026-11-24, 100 % av ordinarie tillsynstid"} {
			if !strings.Contains(page, s) {
				t.Errorf("letter %d lacks %q:\n%s", i+1, s, page)
			}
		}
		for _, s := range []string{" ni ", "välkomna", "Sida 2"} {
			if strings.Contains(page, s) {
				t.Errorf("letter %d says %q", i+1, s)
			}
		}
	}
	// Apart from the window and who else gets one, the letters are the same.
	same := func(i int) string {
		return strings.Replace(strings.Replace(pages[i], windows[i], "", 1), also[i], "", 1)
	}
	if same(0) != same(1) {
		t.Errorf("the letters differ:\n%s\n%s", same(0), same(1))
	}
	if strings.Contains(pages[0], "Trollhättan") || strings.Contains(pages[1], "Testgatan") {
		t.Error("a letter shows the other guardian's address")
	}

	// The preview draws the same two pages.
	imgs, err := pdf.Pages(pdf.Foljebrev, in, 60)
	if err != nil || len(imgs) != 2 {
		t.Fatalf("preview: %d pages, %v", len(imgs), err)
	}
	want := pdftoppmPages(t, doc, "60")
	for i := range imgs {
		if mean, worst := compare(t, imgs[i], want[i]); mean > maxMean || worst > maxBlock {
			t.Errorf("preview of letter %d differs from poppler's: mean %.4f, worst block %.3f", i+1, mean, worst)
		}
	}
}

// Long letters to two addresses: each letter numbers its own pages, and
// the second starts on a page of its own.
func TestFoljebrevDifferentAddressesLong(t *testing.T) {
	in := longIntyg(t)
	in.Guardians = []app.IntygPerson{
		{Name: "Åsa Öberg", Personnummer: "19850720-9818", PostalAddress: &app.IntygAddress{Street: "Testgatan 12", Postcode: "45150", City: "Uddevalla"}},
		{Name: "Jonas Testsson", Personnummer: "19860203-9847", PostalAddress: &app.IntygAddress{Street: "Annan väg 3", Postcode: "46130", City: "Trollhättan"}},
	}
	in.Periods = nil // 30 one-day periods: the letter's list runs onto a second page
	for i := range 30 {
		d := app.D(2026, time.October, 25).AddDays(i).String()
		in.Periods = append(in.Periods, app.IntygPeriod{From: d, To: d, Percent: app.IntygPercents[i%5]})
	}
	one := *in
	one.Guardians = in.Guardians[:1]
	n := len(pdfPages(t, render(t, pdf.Foljebrev, &one)))
	if n < 2 {
		t.Skipf("the long letter has %d page; this test needs more", n)
	}
	doc := render(t, pdf.Foljebrev, in)
	pages := pdfPages(t, doc)
	if len(pages) != 2*n {
		t.Fatalf("%d pages, want %d (two letters of %d)", len(pages), 2*n, n)
	}
	for i, page := range pages {
		want := "Sida " + strconv.Itoa(i%n+1) + " av " + strconv.Itoa(n)
		if !strings.Contains(page, want) {
			t.Errorf("page %d lacks %q:\n%s", i+1, want, page)
		}
	}
	if w := flat(pdftotextPageArea(t, doc, n+1, 24, 48, 84, 29)); w != "Jonas Testsson Annan väg 3 461 30 Trollhättan" {
		t.Errorf("the second letter's first page shows %q in the window", w)
	}
	imgs, err := pdf.Pages(pdf.Foljebrev, in, 60)
	if err != nil || len(imgs) != len(pages) {
		t.Fatalf("preview: %d pages, %v", len(imgs), err)
	}
	letters, err := pdf.LetterPages(in, 60)
	if err != nil || len(letters) != 2 || len(letters[0]) != n || len(letters[1]) != n {
		t.Fatalf("LetterPages: %d letters, %v", len(letters), err)
	}
	for i := range imgs {
		if letters[i/n][i%n] != imgs[i] && !sameImg(letters[i/n][i%n], imgs[i]) {
			t.Errorf("letter %d, page %d is not page %d of the följebrev", i/n+1, i%n+1, i+1)
		}
	}
	if one, err := pdf.LetterPages(loadIntyg(t), 60); err != nil || len(one) != 1 || len(one[0]) != 1 {
		t.Errorf("one address: %d letters, %v", len(one), err)
	}
	want := pdftoppmPages(t, doc, "60")
	for i := range imgs {
		if mean, worst := compare(t, imgs[i], want[i]); mean > maxMean || worst > maxBlock {
			t.Errorf("preview page %d differs from poppler's: mean %.4f, worst block %.3f", i+1, mean, worst)
		}
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

func sameImg(a, b image.Image) bool {
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
