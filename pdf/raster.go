package pdf

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"arendestod/app"
)

// The preview: the layout's display list (pen.go) drawn as images in pure
// Go with the same embedded fonts, so that the window shows the page as it
// prints on every desktop, with no PDF viewer or poppler (not on Windows)
// and no cgo library. Anti-aliasing aside, a page matches what poppler
// draws of the PDF (TestPreviewMatchesPDF).

// Pages renders one document of the intyg and draws its pages as images
// at dpi dots per inch (A4: 827 × 1169 pixels at 100 dpi). The intyg is
// checked as Render checks it.
func Pages(kind Kind, in *app.Intyg, dpi float64) ([]image.Image, error) {
	out, _, err := pages(kind, in, dpi)
	return out, err
}

// LetterPages draws the följebrev's pages as Pages does, grouped by
// letter: one group per postal address (app.Intyg.Letters), in order.
func LetterPages(in *app.Intyg, dpi float64) ([][]image.Image, error) {
	imgs, d, err := pages(Foljebrev, in, dpi)
	if err != nil {
		return nil, err
	}
	out := make([][]image.Image, 0, len(d.aliases))
	for _, a := range d.aliases {
		out = append(out, imgs[:a.pages:a.pages])
		imgs = imgs[a.pages:]
	}
	return out, nil
}

// pages draws the pages of one document and returns them with the laid
// out document.
func pages(kind Kind, in *app.Intyg, dpi float64) ([]image.Image, *doc, error) {
	if kind.FileName() == "" {
		return nil, nil, app.Errorf(app.EINTERNAL, "okänd dokumenttyp %d", int(kind))
	}
	if dpi < 10 || dpi > 600 {
		return nil, nil, app.Errorf(app.EINVALID, "upplösningen %g dpi är orimlig", dpi)
	}
	n, err := prepare(in)
	if err != nil {
		return nil, nil, err
	}
	fonts, err := glyphFonts()
	if err != nil {
		return nil, nil, app.Errorf(app.EINTERNAL, "typsnittet kunde inte läsas: %v", err)
	}
	d := newDoc(kind, n, Options{}, newRecorder())
	layout(d)
	d.f.Close() // draws the last page's footer, as Output does
	if err := d.f.Error(); err != nil {
		return nil, nil, app.Errorf(app.EINTERNAL, "kunde inte rita %s: %v", kind.FileName(), err)
	}
	count := d.f.PageNo()
	out := make([]image.Image, 0, count)
	for page := 1; page <= count; page++ {
		r := newRaster(dpi, d.expandAliases, fonts)
		for _, o := range d.f.rec.ops {
			if o.page == page {
				o.draw(r)
			}
		}
		out = append(out, r.img)
	}
	return out, d, nil
}

// raster draws one page.
type raster struct {
	img    *image.RGBA
	scale  float64             // pixels per millimetre
	expand func(string) string // replaces the page-count aliases
	fonts  []*sfnt.Font
	z      vector.Rasterizer
	buf    sfnt.Buffer
}

func newRaster(dpi float64, expand func(string) string, fonts []*sfnt.Font) *raster {
	scale := dpi / 25.4
	w, h := int(math.Ceil(pageW*scale)), int(math.Ceil(pageH*scale)) // as poppler sizes pages
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	return &raster{img: img, scale: scale, expand: expand, fonts: fonts}
}

// area prepares the rasterizer for the pixels of the box (x0, y0)–(x1, y1)
// in millimetres, widened by a pixel, and returns the box in pixels and
// its origin; ok is false when it is off the page.
func (r *raster) area(x0, y0, x1, y1 float64) (box image.Rectangle, ok bool) {
	box = image.Rect(int(math.Floor(x0*r.scale))-1, int(math.Floor(y0*r.scale))-1,
		int(math.Ceil(x1*r.scale))+1, int(math.Ceil(y1*r.scale))+1).Intersect(r.img.Bounds())
	if box.Empty() {
		return box, false
	}
	r.z.Reset(box.Dx(), box.Dy())
	return box, true
}

// px converts a point in millimetres to the rasterizer's pixels in box.
func (r *raster) px(box image.Rectangle, p pt) (float32, float32) {
	return float32(p.x*r.scale - float64(box.Min.X)), float32(p.y*r.scale - float64(box.Min.Y))
}

func (r *raster) paint(box image.Rectangle, c color.Color) {
	r.z.Draw(r.img, box, image.NewUniform(c), image.Point{})
}

// polygon fills the polygon pts (millimetres).
func (r *raster) polygon(pts []pt, c color.Color) {
	x0, y0, x1, y1 := bounds(pts)
	box, ok := r.area(x0, y0, x1, y1)
	if !ok {
		return
	}
	for i, p := range pts {
		x, y := r.px(box, p)
		if i == 0 {
			r.z.MoveTo(x, y)
		} else {
			r.z.LineTo(x, y)
		}
	}
	r.z.ClosePath()
	r.paint(box, c)
}

func bounds(pts []pt) (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x0, y0, x1, y1 = min(x0, p.x), min(y0, p.y), max(x1, p.x), max(y1, p.y)
	}
	return
}

func (r *raster) fillRect(x, y, w, h float64, c color.Color) {
	r.polygon([]pt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}, c)
}

// line strokes a straight line lw millimetres wide with butt ends, dashed
// when dash is set; never thinner than 0.6 pixel, so that a hairline
// border stays visible on screen.
func (r *raster) line(x1, y1, x2, y2, lw float64, dash []float64, c color.Color) {
	length := math.Hypot(x2-x1, y2-y1)
	if length == 0 {
		return
	}
	lw = max(lw, 0.6/r.scale)
	ux, uy := (x2-x1)/length, (y2-y1)/length
	nx, ny := -uy*lw/2, ux*lw/2
	seg := func(a, b float64) {
		ax, ay, bx, by := x1+ux*a, y1+uy*a, x1+ux*b, y1+uy*b
		r.polygon([]pt{{ax + nx, ay + ny}, {bx + nx, by + ny}, {bx - nx, by - ny}, {ax - nx, ay - ny}}, c)
	}
	if len(dash) == 0 {
		seg(0, length)
		return
	}
	on, i := true, 0
	for at := 0.0; at < length; i++ {
		step := dash[i%len(dash)]
		if step <= 0 {
			seg(0, length)
			return
		}
		if on {
			seg(at, min(at+step, length))
		}
		at += step
		on = !on
	}
}

// fillPath fills subpaths (nonzero winding, as the glyph outlines of the
// watermark are made), each closed.
func (r *raster) fillPath(path [][]pathOp, c color.Color) {
	var all []pt
	for _, sub := range path {
		for _, s := range sub {
			all = append(all, s.pts...)
		}
	}
	if len(all) == 0 {
		return
	}
	x0, y0, x1, y1 := bounds(all) // control points bound the curves
	box, ok := r.area(x0, y0, x1, y1)
	if !ok {
		return
	}
	for _, sub := range path {
		for i, s := range sub {
			switch {
			case s.kind == 'M' || i == 0:
				if i > 0 {
					r.z.ClosePath()
				}
				r.z.MoveTo(r.px(box, s.pts[len(s.pts)-1]))
			case s.kind == 'L':
				r.z.LineTo(r.px(box, s.pts[0]))
			case s.kind == 'Q':
				bx, by := r.px(box, s.pts[0])
				cx, cy := r.px(box, s.pts[1])
				r.z.QuadTo(bx, by, cx, cy)
			case s.kind == 'C':
				bx, by := r.px(box, s.pts[0])
				cx, cy := r.px(box, s.pts[1])
				dx, dy := r.px(box, s.pts[2])
				r.z.CubeTo(bx, by, cx, cy, dx, dy)
			}
		}
		r.z.ClosePath()
	}
	r.paint(box, c)
}

// text draws s from x with its baseline at y (millimetres), size in
// points, advancing each glyph by its width as gofpdf does (no kerning).
func (r *raster) text(x, y float64, s string, bold bool, size float64, c color.Color) {
	if s == "" {
		return
	}
	font := r.fonts[0]
	if bold {
		font = r.fonts[1]
	}
	em := size * ptToMM // millimetres per em
	upem := float64(font.UnitsPerEm())
	type glyph struct {
		gi sfnt.GlyphIndex
		at float64 // pen position, mm
	}
	var glyphs []glyph
	at := x
	for _, ch := range s {
		gi, err := font.GlyphIndex(&r.buf, ch)
		if err != nil || gi == 0 {
			continue // printable() keeps such characters out of an intyg
		}
		glyphs = append(glyphs, glyph{gi, at})
		adv, err := font.GlyphAdvance(&r.buf, gi, fixed.I(int(upem)), xfont.HintingNone)
		if err == nil {
			at += float64(adv) / 64 / upem * em
		}
	}
	box, ok := r.area(x-em*0.2, y-em*1.1, at+em*0.2, y+em*0.4)
	if !ok {
		return
	}
	ppem := fixed.Int26_6(math.Round(em * r.scale * 64))
	for _, g := range glyphs {
		segs, err := font.LoadGlyph(&r.buf, g.gi, ppem, nil)
		if err != nil {
			continue
		}
		ox, oy := r.px(box, pt{g.at, y})
		p := func(q fixed.Point26_6) (float32, float32) {
			return ox + float32(q.X)/64, oy + float32(q.Y)/64
		}
		for i, sg := range segs {
			switch sg.Op {
			case sfnt.SegmentOpMoveTo:
				if i > 0 {
					r.z.ClosePath()
				}
				r.z.MoveTo(p(sg.Args[0]))
			case sfnt.SegmentOpLineTo:
				r.z.LineTo(p(sg.Args[0]))
			case sfnt.SegmentOpQuadTo:
				bx, by := p(sg.Args[0])
				cx, cy := p(sg.Args[1])
				r.z.QuadTo(bx, by, cx, cy)
			case sfnt.SegmentOpCubeTo:
				bx, by := p(sg.Args[0])
				cx, cy := p(sg.Args[1])
				dx, dy := p(sg.Args[2])
				r.z.CubeTo(bx, by, cx, cy, dx, dy)
			}
		}
		if len(segs) > 0 {
			r.z.ClosePath()
		}
	}
	r.paint(box, c)
}
