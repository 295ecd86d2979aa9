package pdf

import "arendestod/app"

// foljebrev lays out the covering letter to the guardian: what the intyg
// is, that the original has gone to Försäkringskassan, what the copy is
// for, and how to reach the mottagning.
func (d *doc) foljebrev() {
	f, in := d.f, d.in
	const w = contentW - 10 // a letter reads better a little narrower

	d.font(plain, sizeBody)
	d.grey(textDark)
	d.textRight(right, d.y+4, d.fit(in.Place, contentW/2)+" "+in.Date)
	d.y += 10

	// The guardians, as the letter's addressees.
	for _, g := range in.Guardians {
		d.paragraph(g.Name, plain, sizeBody, w)
	}
	d.gap(8)

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

	for _, p := range []string{
		"Originalet har vi skickat direkt till Försäkringskassan, så du behöver inte skicka in något intyg själv. " +
			"Kopian som följer med det här brevet är till dig att spara.",
		"Tänk på att du själv ansöker om tillfällig föräldrapenning hos Försäkringskassan, " +
			"om du inte redan har gjort det.",
		"Har du frågor om intyget är du välkommen att kontakta oss på " + in.Issuer.Unit + ".",
	} {
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
