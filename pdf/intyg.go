package pdf

import "arendestod/app"

// Column widths of two-box rows, and of the periods table.
const (
	colName = 110.0
	colHalf = contentW / 2
	colFrom = 42.0
	colTo   = 42.0
)

const sectionGap = 3.0

// intyg lays out the intyg itself: the original and, with the header's
// band and watermark, the copy.
func (d *doc) intyg() {
	f, in := d.f, d.in

	d.grey(textDark)
	d.font(bold, sizeTitle)
	f.Text(marginL, d.y+5.5, intygTitle(in))
	d.font(plain, sizeSubtitle)
	d.grey(textLabel)
	f.Text(marginL, d.y+11, "när barnet inte kan vårdas i ordinarie tillsynsform – vård av barn under 12 år")
	d.y += 16

	d.heading("Barnet", 12)
	d.row(field{label: "Namn", value: in.Child.Name, w: colName, bold: true},
		field{label: "Personnummer", value: in.Child.Personnummer, bold: true})
	d.gap(sectionGap)

	heading := "Vårdnadshavare som vårdar barnet"
	d.heading(heading, 12)
	for _, g := range in.Guardians {
		d.row(field{label: "Namn", value: g.Name, w: colName},
			field{label: "Personnummer", value: g.Personnummer})
	}
	d.gap(sectionGap)

	d.heading("Diagnos eller symtom", 12)
	d.row(field{label: "Diagnos eller symtom som gör att barnet inte kan vårdas i ordinarie tillsynsform", value: in.Diagnosis})
	d.gap(sectionGap)

	d.periods()
	d.gap(sectionGap)

	d.heading("Underlag för bedömningen", 12)
	d.row(field{label: "Kontaktform", value: in.Contact.Kind.Sv(), w: colHalf},
		field{label: "Datum för kontakten", value: in.Contact.Date})
	d.gap(sectionGap)

	d.heading("Utfärdare", 36)
	d.row(field{label: "Namn", value: in.Issuer.Name, w: colHalf},
		field{label: "Titel", value: in.Issuer.Title})
	d.row(field{label: "HSA-id", value: in.Issuer.HSAID, w: colHalf},
		field{label: "Mottagning", value: in.Issuer.Unit})
	d.row(field{label: "Vårdgivare", value: in.Issuer.CareProvider, w: colHalf},
		field{label: "Telefon", value: in.Issuer.Phone})
	d.gap(sectionGap)

	d.signature()
}

// periods draws "Barnet bör inte vårdas i ordinarie tillsynsform" as a
// table: from, to, and the share of ordinary tillsyn time. On a page break
// the column heads are repeated.
func (d *doc) periods() {
	const (
		headH = 6.0
		rowH  = 7.0
	)
	f := d.f
	title := "Barnet bör inte vårdas i ordinarie tillsynsform"
	cols := []struct {
		label string
		w     float64
	}{{"Från och med", colFrom}, {"Till och med", colTo}, {"Omfattning (andel av ordinarie tillsynstid)", contentW - colFrom - colTo}}

	heads := func() {
		x := marginL
		d.drawColor(colBorder)
		f.SetLineWidth(0.25)
		d.font(plain, sizeLabel)
		d.grey(textLabel)
		for _, c := range cols {
			f.Rect(x, d.y, c.w, headH, "D")
			f.Text(x+boxPadX, d.y+4, c.label)
			x += c.w
		}
		d.y += headH
	}

	d.heading(title, headH+rowH)
	heads()
	for _, p := range d.in.Periods {
		if d.y+rowH > bottom {
			d.f.AddPage()
			d.heading(title+" (forts.)", headH+rowH)
			heads()
		}
		x := marginL
		d.drawColor(colBorder)
		f.SetLineWidth(0.25)
		d.font(bold, sizeValue)
		d.grey(textDark)
		for i, v := range []string{p.From, p.To, app.PercentSv(p.Percent)} {
			f.Rect(x, d.y, cols[i].w, rowH, "D")
			f.Text(x+boxPadX, d.y+4.9, v)
			x += cols[i].w
		}
		d.y += rowH
	}
}

// signature draws place and date, the box to sign in (with a line to sign
// on) and the namnförtydligande in one row, as on Försäkringskassan's paper
// forms.
func (d *doc) signature() {
	const (
		placeW = 48.0
		signW  = 62.0
	)
	in := d.in
	d.heading("Ort, datum och underskrift", 17)
	d.row(field{label: "Ort och datum", value: in.Place + " " + in.Date, w: placeW},
		field{label: "Underskrift", value: "", w: signW, minH: 17},
		field{label: "Namnförtydligande", value: in.Issuer.Name + ", " + in.Issuer.Title})
	x := marginL + placeW
	d.drawColor(colBorder)
	d.f.SetLineWidth(0.2)
	d.f.SetDashPattern([]float64{0.8, 0.8}, 0)
	d.f.Line(x+3, d.y-4, x+signW-3, d.y-4)
	d.f.SetDashPattern(nil, 0)
}
