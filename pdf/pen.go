package pdf

import (
	"image/color"
	"math"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// pen is what the layout draws with: gofpdf, and, when rec is set, also a
// display list of every page, which raster.go draws as an image for the
// preview. The layout code is the same for both, so the preview is the
// page as it prints, not a second layout that could drift from it.
//
// Only the drawing calls the layout uses are recorded (Text, Rect, Line,
// paths, colours, line width, dash, font, rotation); a new kind of call
// must be added here, or the preview will lack it (TestPreviewMatchesPDF
// compares the two).
type pen struct {
	*gofpdf.Fpdf
	rec *recorder // nil: the PDF only
}

// recorder is the display list and the drawing state it is recorded with.
type recorder struct {
	ops []op

	text, fill, draw color.RGBA
	lineW            float64
	dash             []float64
	bold             bool
	size             float64    // points
	m                matrix     // current transform
	stack            []matrix   // TransformBegin
	path             [][]pathOp // current path's subpaths, transformed
}

// op is one recorded drawing on a page (1-based, as gofpdf counts).
type op struct {
	page int
	draw func(r *raster)
}

// pathOp is one segment of a path: kind 'M', 'L', 'Q' or 'C' and its
// points in millimetres.
type pathOp struct {
	kind byte
	pts  []pt
}

type pt struct{ x, y float64 }

// matrix is an affine transform of page coordinates (mm, y down):
// x' = a*x + c*y + e, y' = b*x + d*y + f.
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{a: 1, d: 1}

func (m matrix) apply(p pt) pt {
	return pt{m.a*p.x + m.c*p.y + m.e, m.b*p.x + m.d*p.y + m.f}
}

// then returns the transform doing m first, then n.
func (m matrix) then(n matrix) matrix {
	return matrix{
		a: n.a*m.a + n.c*m.b, b: n.b*m.a + n.d*m.b,
		c: n.a*m.c + n.c*m.d, d: n.b*m.c + n.d*m.d,
		e: n.a*m.e + n.c*m.f + n.e, f: n.b*m.e + n.d*m.f + n.f,
	}
}

func newRecorder() *recorder {
	black := color.RGBA{0, 0, 0, 255}
	return &recorder{text: black, fill: black, draw: black, lineW: 0.2, size: 12, m: identity}
}

func (p *pen) add(draw func(r *raster)) {
	p.rec.ops = append(p.rec.ops, op{page: p.PageNo(), draw: draw})
}

func rgba(r, g, b int) color.RGBA { return color.RGBA{uint8(r), uint8(g), uint8(b), 255} }

func (p *pen) SetTextColor(r, g, b int) {
	p.Fpdf.SetTextColor(r, g, b)
	if p.rec != nil {
		p.rec.text = rgba(r, g, b)
	}
}

func (p *pen) SetFillColor(r, g, b int) {
	p.Fpdf.SetFillColor(r, g, b)
	if p.rec != nil {
		p.rec.fill = rgba(r, g, b)
	}
}

func (p *pen) SetDrawColor(r, g, b int) {
	p.Fpdf.SetDrawColor(r, g, b)
	if p.rec != nil {
		p.rec.draw = rgba(r, g, b)
	}
}

func (p *pen) SetLineWidth(w float64) {
	p.Fpdf.SetLineWidth(w)
	if p.rec != nil {
		p.rec.lineW = w
	}
}

func (p *pen) SetDashPattern(dash []float64, phase float64) {
	p.Fpdf.SetDashPattern(dash, phase)
	if p.rec != nil {
		p.rec.dash = append([]float64(nil), dash...)
	}
}

func (p *pen) SetFont(family, style string, size float64) {
	p.Fpdf.SetFont(family, style, size)
	if p.rec != nil {
		p.rec.bold = strings.Contains(strings.ToUpper(style), "B")
		p.rec.size = size
	}
}

// AddPage starts a new page. gofpdf draws the footer and the header and
// then gives the page the font, colours and line width that were current
// before; the display list does the same, so that a paragraph carried
// onto a new page is drawn in its own size, not the footer's.
func (p *pen) AddPage() {
	if p.rec == nil {
		p.Fpdf.AddPage()
		return
	}
	r := p.rec
	text, fill, draw, lineW, bold, size := r.text, r.fill, r.draw, r.lineW, r.bold, r.size
	p.Fpdf.AddPage()
	r.text, r.fill, r.draw, r.lineW, r.bold, r.size = text, fill, draw, lineW, bold, size
}

// Text prints s with its baseline at y.
func (p *pen) Text(x, y float64, s string) {
	p.Fpdf.Text(x, y, s)
	if p.rec == nil {
		return
	}
	c, bold, size := p.rec.text, p.rec.bold, p.rec.size
	p.add(func(r *raster) { r.text(x, y, r.expand(s), bold, size, c) })
}

// Rect draws a rectangle: "D" its border, "F" filled, "FD" or "DF" both.
func (p *pen) Rect(x, y, w, h float64, style string) {
	p.Fpdf.Rect(x, y, w, h, style)
	if p.rec == nil {
		return
	}
	st := strings.ToUpper(style)
	fill, stroke := p.rec.fill, p.rec.draw
	lw, dash := p.rec.lineW, p.rec.dash
	p.add(func(r *raster) {
		if strings.Contains(st, "F") {
			r.fillRect(x, y, w, h, fill)
		}
		if st == "" || strings.Contains(st, "D") {
			for _, l := range [][4]float64{{x, y, x + w, y}, {x + w, y, x + w, y + h}, {x + w, y + h, x, y + h}, {x, y + h, x, y}} {
				r.line(l[0], l[1], l[2], l[3], lw, dash, stroke)
			}
		}
	})
}

func (p *pen) Line(x1, y1, x2, y2 float64) {
	p.Fpdf.Line(x1, y1, x2, y2)
	if p.rec == nil {
		return
	}
	c, lw, dash := p.rec.draw, p.rec.lineW, p.rec.dash
	p.add(func(r *raster) { r.line(x1, y1, x2, y2, lw, dash, c) })
}

func (p *pen) TransformBegin() {
	p.Fpdf.TransformBegin()
	if p.rec != nil {
		p.rec.stack = append(p.rec.stack, p.rec.m)
	}
}

func (p *pen) TransformEnd() {
	p.Fpdf.TransformEnd()
	if p.rec != nil && len(p.rec.stack) > 0 {
		p.rec.m = p.rec.stack[len(p.rec.stack)-1]
		p.rec.stack = p.rec.stack[:len(p.rec.stack)-1]
	}
}

// TransformRotate turns what follows angle degrees counter-clockwise (as
// seen on the page) around (x, y).
func (p *pen) TransformRotate(angle, x, y float64) {
	p.Fpdf.TransformRotate(angle, x, y)
	if p.rec == nil {
		return
	}
	s, c := math.Sincos(angle * math.Pi / 180)
	// With y pointing down, a visual counter-clockwise turn maps the
	// offset (dx, dy) to (dx*c + dy*s, -dx*s + dy*c).
	rot := matrix{a: c, b: -s, c: s, d: c}
	rot.e = x - (rot.a*x + rot.c*y)
	rot.f = y - (rot.b*x + rot.d*y)
	p.rec.m = rot.then(p.rec.m)
}

func (p *pen) segment(kind byte, pts ...pt) {
	if p.rec == nil {
		return
	}
	for i := range pts {
		pts[i] = p.rec.m.apply(pts[i])
	}
	if kind == 'M' || len(p.rec.path) == 0 {
		p.rec.path = append(p.rec.path, nil)
	}
	last := len(p.rec.path) - 1
	p.rec.path[last] = append(p.rec.path[last], pathOp{kind, pts})
}

func (p *pen) MoveTo(x, y float64) {
	p.Fpdf.MoveTo(x, y)
	p.segment('M', pt{x, y})
}

func (p *pen) LineTo(x, y float64) {
	p.Fpdf.LineTo(x, y)
	p.segment('L', pt{x, y})
}

// CurveTo is a quadratic Bézier curve through control point (cx, cy).
func (p *pen) CurveTo(cx, cy, x, y float64) {
	p.Fpdf.CurveTo(cx, cy, x, y)
	p.segment('Q', pt{cx, cy}, pt{x, y})
}

func (p *pen) CurveBezierCubicTo(cx0, cy0, cx1, cy1, x, y float64) {
	p.Fpdf.CurveBezierCubicTo(cx0, cy0, cx1, cy1, x, y)
	p.segment('C', pt{cx0, cy0}, pt{cx1, cy1}, pt{x, y})
}

func (p *pen) ClosePath() { p.Fpdf.ClosePath() } // the rasterizer closes every subpath

// DrawPath fills (style "f" or "F") the current path; the layout strokes
// no paths.
func (p *pen) DrawPath(style string) {
	p.Fpdf.DrawPath(style)
	if p.rec == nil {
		return
	}
	path, c := p.rec.path, p.rec.fill
	p.rec.path = nil
	if strings.ContainsAny(style, "fF") {
		p.add(func(r *raster) { r.fillPath(path, c) })
	}
}
