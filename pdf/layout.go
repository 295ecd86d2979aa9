package pdf

import (
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"arendestod/app"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW     = 210.0
	pageH     = 297.0
	marginL   = 20.0
	marginR   = 20.0
	marginTop = 12.0
	contentW  = pageW - marginL - marginR
	right     = pageW - marginR
	headRule  = 33.0         // the rule under the letterhead
	footRule  = pageH - 15.0 // the rule over the footer
	bottom    = footRule - 4 // content ends above this
	nbAlias   = "{nb}"       // replaced by the number of pages
	ptToMM    = 25.4 / 72.0  // font sizes are in points
	lineGap   = 1.25         // line height as a multiple of the font size
	textDark  = 25           // grey level of body text
	textLabel = 90           // grey level of labels
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	colHeadingFill = rgb{226, 232, 240} // section headings
	colHeadingText = rgb{18, 38, 66}
	colBorder      = rgb{150, 158, 168}
	colKopia       = rgb{176, 30, 30} // the KOPIA band
	colWatermark   = rgb{246, 218, 218}
)

// Text sizes in points.
const (
	sizeTitle    = 16.5
	sizeSubtitle = 10.5
	sizeHeading  = 10
	sizeLabel    = 7.5
	sizeValue    = 10.5
	sizeBody     = 10.5
	sizeSmall    = 8.5
)

// doc is one document being laid out. y is where the next block starts.
type doc struct {
	f    *pen
	kind Kind
	in   *app.Intyg // normalised
	y    float64

	// Page numbers count from letterStart (the document's first page, or
	// the first page of the följebrev's current letter) and show
	// pagesAlias, replaced by the number of pages counted so; aliases are
	// the letters' own page-count aliases and their counts.
	letterStart int
	pagesAlias  string
	aliases     []alias
}

// alias is a page-count alias and the number it stands for.
type alias struct {
	name  string
	pages int
}

// registerAliases hands the letters' page counts to gofpdf, which puts
// them in place of their aliases when it writes the PDF ("{nb}", the
// whole document's count, it replaces itself).
func (d *doc) registerAliases() {
	for _, a := range d.aliases {
		if a.name != nbAlias {
			d.f.RegisterAlias(a.name, strconv.Itoa(a.pages))
		}
	}
}

// expandAliases replaces every page-count alias in s, as gofpdf does in
// the PDF, for the preview.
func (d *doc) expandAliases(s string) string {
	if !strings.Contains(s, "{nb") {
		return s
	}
	s = strings.ReplaceAll(s, nbAlias, strconv.Itoa(d.f.PageNo()))
	for _, a := range d.aliases {
		s = strings.ReplaceAll(s, a.name, strconv.Itoa(a.pages))
	}
	return s
}

func (d *doc) font(style string, size float64) { d.f.SetFont(family, style, size) }

func (d *doc) grey(level int)         { d.f.SetTextColor(level, level, level) }
func (d *doc) textColor(c rgb)        { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fillColor(c rgb)        { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *doc) drawColor(c rgb)        { d.f.SetDrawColor(c.r, c.g, c.b) }
func (d *doc) width(s string) float64 { return d.f.GetStringWidth(s) }

// lineH is the height of a line of text at size points.
func lineH(size float64) float64 { return size * ptToMM * lineGap }

// textRight prints s ending at x on baseline y.
func (d *doc) textRight(x, y float64, s string) { d.f.Text(x-d.width(s), y, s) }

// textCenter prints s centred on x on baseline y.
func (d *doc) textCenter(x, y float64, s string) { d.f.Text(x-d.width(s)/2, y, s) }

// wrap breaks s into lines no wider than w in the current font, at spaces
// where it can and inside a word only when the word alone is too wide.
// Line breaks in s are kept.
func (d *doc) wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := ""
		for _, word := range words {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if d.width(cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			// A word wider than the line is broken where it must be.
			for d.width(word) > w {
				rs := []rune(word)
				n := len(rs) - 1
				for n > 1 && d.width(string(rs[:n])) > w {
					n--
				}
				lines = append(lines, string(rs[:n]))
				word = string(rs[n:])
			}
			line = word
		}
		lines = append(lines, line)
	}
	return lines
}

// fit returns s, or as much of it as fits in w with "…" after, in the
// current font: for one-line places (letterhead, footer) where a long
// value is shown in full elsewhere on the page.
func (d *doc) fit(s string, w float64) string {
	if d.width(s) <= w {
		return s
	}
	rs := []rune(s)
	n := len(rs)
	for n > 0 && d.width(strings.TrimSpace(string(rs[:n]))+"…") > w {
		n--
	}
	return strings.TrimSpace(string(rs[:n])) + "…"
}

// need starts a new page unless h millimetres fit below d.y.
func (d *doc) need(h float64) {
	if d.y+h > bottom {
		d.f.AddPage()
	}
}

// header draws the letterhead on every page: the mottagning and its
// vårdgivare on the left, the date (and a correction's version) on the
// right, and on the copy the KOPIA band and watermark. It sets d.y to where
// the page's content starts.
func (d *doc) header() {
	f, in := d.f, d.in
	if d.kind == Kopia {
		d.watermark()
	}

	// The left column keeps clear of the date on the right.
	const leftW = contentW - 66
	d.grey(textDark)
	size := 14.0
	for d.font(bold, size); size > 10 && d.width(in.Issuer.Unit) > leftW; d.font(bold, size) {
		size -= 0.5
	}
	f.Text(marginL, marginTop+6, d.fit(in.Issuer.Unit, leftW))
	d.font(plain, sizeSmall)
	d.grey(textLabel)
	y := marginTop + 11.5
	for _, s := range []string{in.Issuer.CareProvider, in.Issuer.Address, "Telefon " + in.Issuer.Phone} {
		f.Text(marginL, y, d.fit(s, leftW))
		y += lineH(sizeSmall)
	}

	if d.kind != Foljebrev {
		d.font(plain, sizeLabel)
		d.grey(textLabel)
		d.textRight(right, marginTop+2, "Intygets datum")
		d.font(bold, 11)
		d.grey(textDark)
		d.textRight(right, marginTop+7, in.Date)
		if in.Version > 1 {
			d.font(plain, sizeSmall)
			d.grey(textLabel)
			d.textRight(right, marginTop+11.5, "Version "+strconv.Itoa(in.Version)+" – ersätter tidigare utfärdat intyg")
		}
	}

	d.drawColor(colBorder)
	f.SetLineWidth(0.3)
	f.Line(marginL, headRule, right, headRule)
	d.y = headRule + 4

	if d.kind == Original {
		d.originalBand()
	}
	if d.kind == Kopia {
		const h = 7.5
		d.fillColor(colKopia)
		f.Rect(marginL, d.y, contentW, h, "F")
		f.SetTextColor(255, 255, 255)
		d.font(bold, 12)
		d.textCenter(pageW/2, d.y+5.3, "KOPIA – till vårdnadshavare")
		d.y += h + 3
	}

	if f.PageNo() > 1 && d.kind != Foljebrev {
		d.font(plain, sizeSmall)
		d.grey(textLabel)
		f.Text(marginL, d.y+2, d.fit(intygTitle(in)+" (forts.) – barnet: "+in.Child.Name+", "+in.Child.Personnummer, contentW))
		d.y += 6
	}
}

// originalBand marks the original, on every page, as the one for
// Försäkringskassan with the address it is posted to: a pale band with a
// dark border (the page is scanned on arrival; a dark band would not help
// that), in the room the copy's KOPIA band takes.
func (d *doc) originalBand() {
	const (
		h     = 7.5
		title = "ORIGINAL – till Försäkringskassan"
		gap   = 6.0
	)
	f := d.f
	d.fillColor(colHeadingFill)
	d.drawColor(colHeadingText)
	f.SetLineWidth(0.3)
	f.Rect(marginL, d.y, contentW, h, "FD")
	d.textColor(colHeadingText)
	d.font(bold, 11)
	f.Text(marginL+2.5, d.y+5.1, title)
	tw := d.width(title)
	addr := "Skickas till: " + d.in.FKAddress
	size := 9.0
	for d.font(plain, size); size > 6.5 && d.width(addr) > contentW-5-tw-gap; d.font(plain, size) {
		size -= 0.5
	}
	d.textRight(right-2.5, d.y+5.0, d.fit(addr, contentW-5-tw-gap))
	d.y += h + 3
}

// watermark draws "KOPIA" large and pale diagonally across the page,
// under the content (the header runs before anything else on the page).
// It is drawn as the bold font's glyph outlines, not as text, so that text
// extraction, search and screen readers meet the word only once, in the
// band's "KOPIA – till vårdnadshavare", and not as stray letters.
func (d *doc) watermark() {
	const (
		word = "KOPIA"
		size = 118.0 // points
		upem = 1000  // outline units per em
	)
	fonts, err := glyphFonts()
	if err != nil {
		d.f.SetError(err)
		return
	}
	font := fonts[1] // bold
	scale := size * ptToMM / upem
	var buf sfnt.Buffer
	glyphs := make([]sfnt.GlyphIndex, 0, len(word))
	width := 0.0
	for _, r := range word {
		gi, err := font.GlyphIndex(&buf, r)
		if err != nil {
			d.f.SetError(err)
			return
		}
		adv, err := font.GlyphAdvance(&buf, gi, fixed.I(upem), xfont.HintingNone)
		if err != nil {
			d.f.SetError(err)
			return
		}
		glyphs = append(glyphs, gi)
		width += float64(adv) / 64 * scale
	}

	f := d.f
	cx, cy := pageW/2, pageH/2+12
	d.fillColor(colWatermark)
	f.TransformBegin()
	f.TransformRotate(45, cx, cy)
	x, base := cx-width/2, cy+size*ptToMM*0.35
	pt := func(p fixed.Point26_6) (float64, float64) {
		return x + float64(p.X)/64*scale, base + float64(p.Y)/64*scale
	}
	for _, gi := range glyphs {
		segs, err := font.LoadGlyph(&buf, gi, fixed.I(upem), nil)
		if err != nil {
			d.f.SetError(err)
			break
		}
		for i, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				if i > 0 {
					f.ClosePath()
				}
				f.MoveTo(pt(s.Args[0]))
			case sfnt.SegmentOpLineTo:
				f.LineTo(pt(s.Args[0]))
			case sfnt.SegmentOpQuadTo:
				x1, y1 := pt(s.Args[0])
				x2, y2 := pt(s.Args[1])
				f.CurveTo(x1, y1, x2, y2)
			case sfnt.SegmentOpCubeTo:
				x1, y1 := pt(s.Args[0])
				x2, y2 := pt(s.Args[1])
				x3, y3 := pt(s.Args[2])
				f.CurveBezierCubicTo(x1, y1, x2, y2, x3, y3)
			}
		}
		if len(segs) > 0 {
			f.ClosePath()
			f.DrawPath("f") // nonzero winding, as TrueType outlines are made
		}
		adv, _ := font.GlyphAdvance(&buf, gi, fixed.I(upem), xfont.HintingNone)
		x += float64(adv) / 64 * scale
	}
	f.TransformEnd()
}

// footer draws the rule, what the document is and about whom, and the page
// number "Sida N av M".
func (d *doc) footer() {
	f, in := d.f, d.in
	d.drawColor(colBorder)
	f.SetLineWidth(0.3)
	f.Line(marginL, footRule, right, footRule)
	d.font(plain, sizeSmall)
	d.grey(textLabel)
	y := footRule + 4.5
	left := intygTitle(in) + " – barnet: " + in.Child.Name + ", " + in.Child.Personnummer
	switch d.kind {
	case Kopia:
		left = "KOPIA – till vårdnadshavare. " + left
	case Foljebrev:
		left = "Följebrev från " + in.Issuer.Unit + " – " + in.Issuer.Phone
	}
	// The alias is replaced after layout, so it is placed from the left
	// with room for as many digits as the page number has (pages are
	// counted in ones: a document has fewer than ten).
	n := f.PageNo() - d.letterStart + 1
	page := "Sida " + strconv.Itoa(n) + " av "
	x := right - d.width(page) - d.width(strings.Repeat("0", len(strconv.Itoa(n))))
	f.Text(x, y, page+d.pagesAlias)
	f.Text(marginL, y, d.fit(left, x-marginL-5))
}

// intygTitle is the document's name: a läkarintyg when a doctor issues it.
func intygTitle(in *app.Intyg) string {
	if strings.Contains(strings.ToLower(in.Issuer.Title), "läkare") {
		return "Läkarintyg för tillfällig föräldrapenning"
	}
	return "Intyg för tillfällig föräldrapenning"
}

// heading draws a section heading bar. It keeps the heading with at least
// keep millimetres of what follows.
func (d *doc) heading(title string, keep float64) {
	const h = 6.0
	d.need(h + keep)
	d.fillColor(colHeadingFill)
	d.f.Rect(marginL, d.y, contentW, h, "F")
	d.textColor(colHeadingText)
	d.font(bold, sizeHeading)
	d.f.Text(marginL+2, d.y+4.2, title)
	d.y += h
}

// field is one labelled box of a form row.
type field struct {
	label string
	value string
	w     float64 // width in mm; 0 shares what is left
	bold  bool
	minH  float64 // least height (room to sign)
}

// Box geometry.
const (
	boxPadX   = 2.0
	boxLabelY = 3.3 // baseline of the label
	boxValueY = 1.4 // from the label's baseline to the first value line's top
	boxPadB   = 1.5
)

// row draws a row of labelled boxes sharing their borders, as on a paper
// form: a small grey label above the value, the value wrapped to fit.
func (d *doc) row(fields ...field) {
	f := d.f
	fixed, shares := 0.0, 0
	for _, fl := range fields {
		if fl.w == 0 {
			shares++
		}
		fixed += fl.w
	}
	lines := make([][]string, len(fields))
	h := 0.0
	for i := range fields {
		if fields[i].w == 0 {
			fields[i].w = (contentW - fixed) / float64(shares)
		}
		style := plain
		if fields[i].bold {
			style = bold
		}
		d.font(style, sizeValue)
		lines[i] = d.wrap(fields[i].value, fields[i].w-2*boxPadX)
		bh := boxLabelY + boxValueY + float64(len(lines[i]))*lineH(sizeValue) + boxPadB
		h = max(h, bh, fields[i].minH)
	}
	d.need(h)
	x := marginL
	d.drawColor(colBorder)
	f.SetLineWidth(0.25)
	for i, fl := range fields {
		f.Rect(x, d.y, fl.w, h, "D")
		d.font(plain, sizeLabel)
		d.grey(textLabel)
		f.Text(x+boxPadX, d.y+boxLabelY, fl.label)
		style := plain
		if fl.bold {
			style = bold
		}
		d.font(style, sizeValue)
		d.grey(textDark)
		base := d.y + boxLabelY + boxValueY + sizeValue*ptToMM*0.8
		for _, line := range lines[i] {
			f.Text(x+boxPadX, base, line)
			base += lineH(sizeValue)
		}
		x += fl.w
	}
	d.y += h
}

// gap adds vertical space between sections.
func (d *doc) gap(h float64) { d.y += h }

// paragraph prints wrapped body text at the left margin, w wide.
func (d *doc) paragraph(s string, style string, size, w float64) {
	d.font(style, size)
	d.grey(textDark)
	lh := lineH(size)
	for _, line := range d.wrap(s, w) {
		d.need(lh)
		d.f.Text(marginL, d.y+size*ptToMM*0.8, line)
		d.y += lh
	}
}
