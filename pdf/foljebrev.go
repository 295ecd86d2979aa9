package pdf

import (
	"strconv"
	"strings"

	"arendestod/app"
)

// foljebrev lays out the covering letters to the guardians, one per postal
// address (app.Intyg.Letters), each starting on a page of its own so that
// it can be folded into its own window envelope, and each numbering its
// own pages.
func (d *doc) foljebrev() {
	letters := d.in.Letters()
	for i, to := range letters {
		if i > 0 {
			d.f.AddPage() // the previous page's footer is still the previous letter's
		}
		d.letterStart = d.f.PageNo()
		if len(letters) > 1 {
			d.pagesAlias = "{nb" + strconv.Itoa(i+1) + "}"
		}
		d.letter(to)
		d.aliases = append(d.aliases, alias{d.pagesAlias, d.f.PageNo() - d.letterStart + 1})
	}
}

// letter lays out one letter: its addressees' names and postal address
// where a window envelope shows them, what the intyg is, that the original
// has gone to Försäkringskassan, what the copy is for, who else gets the
// same letter, and how to reach the mottagning; "du" to one guardian, "ni"
// to two.
func (d *doc) letter(to app.LetterAddressees) {
	f, in := d.f, d.in
	const w = contentW - 10 // a letter reads better a little narrower

	you := to.Tilltal()

	d.font(plain, sizeBody)
	d.grey(textDark)
	d.textRight(right, d.y+4, d.fit(in.Place, contentW/2)+" "+in.Date)
	d.addressBlock(to.WindowLines())
	d.y = max(d.y, windowBottom) + 6

	d.paragraph(intygTitle(in)+" – "+in.Child.Name, bold, 13, w)
	d.gap(4)

	body := []string{
		"Hej!",
		"Här kommer en kopia av det intyg för tillfällig föräldrapenning (vård av barn) som vi har skrivit för " +
			in.Child.Name + ". Intyget visar att barnet inte kan vårdas i sin ordinarie tillsynsform, till exempel " +
			"förskola, skola eller fritidshem, under den tid som står nedan. Försäkringskassan behöver ett sådant " +
			"intyg från och med den åttonde dagen i barnets sjukperiod.",
	}
	for _, p := range body {
		d.paragraph(p, plain, sizeBody, w)
		d.gap(3)
	}

	d.font(bold, sizeBody)
	d.grey(textDark)
	d.need(lineH(sizeBody) * float64(1+len(in.Periods)))
	f.Text(marginL, d.y+3.5, "Intyget gäller")
	d.y += lineH(sizeBody) + 0.5
	d.font(plain, sizeBody)
	for _, p := range in.Periods {
		d.need(lineH(sizeBody))
		f.Text(marginL+4, d.y+3.5, "•")
		f.Text(marginL+8, d.y+3.5, p.From+" – "+p.To+", "+app.PercentSv(p.Percent)+" av ordinarie tillsynstid")
		d.y += lineH(sizeBody)
	}
	d.gap(3)

	also := ""
	if len(to.AlsoTo) > 0 {
		also = "Ett likadant brev med en kopia av intyget har vi skickat till " + strings.Join(to.AlsoTo, " och ") + "."
	}
	for _, p := range []string{
		"Originalet har vi skickat direkt till Försäkringskassan, så " + you.Du + " behöver inte skicka in något intyg " + you.Sjalv + ". " +
			"Kopian som följer med det här brevet är till " + you.Dig + " att spara.",
		"Tänk på att " + you.Du + " " + you.Sjalv + " ansöker om tillfällig föräldrapenning hos Försäkringskassan, " +
			"om " + you.Du + " inte redan har gjort det.",
		also,
		"Har " + you.Du + " frågor om intyget är " + you.Du + " " + you.Valkommen + " att kontakta oss på " + in.Issuer.Unit + ".",
	} {
		if p == "" {
			continue
		}
		d.paragraph(p, plain, sizeBody, w)
		d.gap(3)
	}

	d.gap(1)
	d.row(field{label: "Telefon", value: in.Issuer.Phone, w: 55},
		field{label: "Adress", value: in.Issuer.Address, w: 0},
	)
	d.gap(8)

	d.need(4 * lineH(sizeBody))
	d.paragraph("Med vänliga hälsningar", plain, sizeBody, w)
	d.gap(4)
	d.paragraph(in.Issuer.Name, bold, sizeBody, w)
	d.paragraph(in.Issuer.Title+", "+in.Issuer.Unit, plain, sizeBody, w)
	d.paragraph(in.Issuer.CareProvider, plain, sizeBody, w)
	d.gap(8)
	d.paragraph("Bilaga: kopia av intyget", plain, sizeSmall, w)
}

// The envelope window. An A4 letter folded once into a C5 envelope (or
// flat in a C4, or folded in three for an E65) shows a left-hand address
// window whose opening begins 15–20 mm from the sheet's left edge and
// about 40–45 mm from its top, 85–105 mm wide and 35–45 mm high (DIN 5008
// type B, and the common Nordic C5, C4 and E65 windows). The address is
// kept inside what all of them show: from 25 mm from the left, between 50
// and 75 mm from the top, at most 80 mm wide, so that it still shows when
// the sheet slides a few millimetres in the envelope.
const (
	windowX      = 25.0
	windowTop    = 50.0
	windowBottom = 75.0
	windowW      = 80.0
)

// addressBlock prints the addressees' names and postal address in the
// envelope window, black for the post's address readers, in the body's
// size or smaller when many or long lines need it; a line too long even
// then wraps, and only what still does not fit is shortened.
func (d *doc) addressBlock(lines []string) {
	room := windowBottom - windowTop
	size := sizeBody
	var out []string
	for {
		d.font(plain, size)
		out = out[:0]
		for _, l := range lines {
			out = append(out, d.wrap(l, windowW)...)
		}
		if float64(len(out))*lineH(size) <= room || size <= 8 {
			break
		}
		size -= 0.5
	}
	if float64(len(out))*lineH(size) > room { // even the smallest size wraps too much
		out = out[:0]
		for _, l := range lines {
			out = append(out, d.fit(l, windowW))
		}
	}
	d.grey(0)
	y := windowTop + size*ptToMM*0.8
	for _, l := range out {
		if y > windowBottom {
			break
		}
		d.f.Text(windowX, y, l)
		y += lineH(size)
	}
}
