package ui

import (
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ChartWeek is one week of the statistics chart.
type ChartWeek struct {
	Label    string // shown under the bar: "v48"
	Incoming int
	Share    float64 // answered in time, 0–1; only when HasShare
	HasShare bool
}

// WeekChart draws incoming cases per week as bars (left axis) and the
// share with feedback in time as a line with points (right axis, 0–100 %)
// against the routine's goal, a line at 100 %. It is drawn with Fyne's
// canvas primitives only; the numbers themselves go in a table beside it.
type WeekChart struct {
	widget.BaseWidget
	weeks []ChartWeek
}

// Colours of the chart: fixed, so that the bars, the line and the goal
// keep their meaning in every theme (and in the golden image).
var (
	chartBarColor  = color.NRGBA{R: 0x4c, G: 0x78, B: 0xa8, A: 0xff} // blue
	chartLineColor = color.NRGBA{R: 0xe4, G: 0x57, B: 0x1c, A: 0xff} // orange
	chartGoalColor = color.NRGBA{R: 0x2e, G: 0x8b, B: 0x3e, A: 0xff} // green
)

// NewWeekChart returns a chart of weeks.
func NewWeekChart(weeks []ChartWeek) *WeekChart {
	c := &WeekChart{weeks: weeks}
	c.ExtendBaseWidget(c)
	return c
}

// SetWeeks replaces the chart's weeks and redraws it.
func (c *WeekChart) SetWeeks(weeks []ChartWeek) {
	c.weeks = weeks
	c.Refresh()
}

// Weeks returns the weeks shown.
func (c *WeekChart) Weeks() []ChartWeek { return c.weeks }

// CreateRenderer implements fyne.Widget.
func (c *WeekChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{chart: c}
	r.rebuild()
	return r
}

type chartRenderer struct {
	chart *WeekChart
	size  fyne.Size

	frame               *canvas.Rectangle
	gridLines           []*canvas.Line
	leftTicks, rightTks []*canvas.Text
	bars                []*canvas.Rectangle
	barLabels           []*canvas.Text
	weekLabels          []*canvas.Text
	segments            []*canvas.Line
	points              []*canvas.Circle
	goal                *canvas.Line
	legend              []fyne.CanvasObject
	empty               *canvas.Text
	objects             []fyne.CanvasObject
	max                 int // top of the left axis
}

const (
	chartPadLeft   = 36
	chartPadRight  = 44
	chartPadTop    = 26
	chartPadBottom = 22
	chartGridLines = 4
)

func chartText(s string, c color.Color, size float32) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	return t
}

// chartNiceMax returns the top of the left axis for a tallest bar of n:
// four grid steps of a round size (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
// times a power of ten, a whole number), so that every grid line falls on
// a whole number and the tallest bar fills most of the height.
func chartNiceMax(n int) int {
	need := (n + chartGridLines - 1) / chartGridLines
	for p := 1; ; p *= 10 {
		for _, m := range []int{10, 12, 15, 20, 25, 30, 40, 50, 60, 80} {
			if m*p%10 == 0 && m*p/10 >= max(need, 1) {
				return m * p / 10 * chartGridLines
			}
		}
	}
}

// rebuild makes the objects for the chart's weeks.
func (r *chartRenderer) rebuild() {
	weeks := r.chart.weeks
	fg := theme.Color(theme.ColorNameForeground)
	grid := theme.Color(theme.ColorNameSeparator)
	small := theme.TextSize() * 0.8

	r.frame = canvas.NewRectangle(color.Transparent)
	r.frame.StrokeColor = grid
	r.frame.StrokeWidth = 1
	r.objects = []fyne.CanvasObject{r.frame}
	r.gridLines, r.leftTicks, r.rightTks = nil, nil, nil
	r.bars, r.barLabels, r.weekLabels, r.segments, r.points = nil, nil, nil, nil, nil

	most := 0
	for _, w := range weeks {
		most = max(most, w.Incoming)
	}
	r.max = chartNiceMax(most)
	for i := 0; i <= chartGridLines; i++ {
		l := canvas.NewLine(grid)
		l.StrokeWidth = 1
		r.gridLines = append(r.gridLines, l)
		left := chartText(strconv.Itoa(r.max*i/chartGridLines), fg, small)
		left.Alignment = fyne.TextAlignTrailing
		right := chartText(strconv.Itoa(100*i/chartGridLines)+" %", fg, small)
		r.leftTicks = append(r.leftTicks, left)
		r.rightTks = append(r.rightTks, right)
		r.objects = append(r.objects, l, left, right)
	}
	for _, w := range weeks {
		b := canvas.NewRectangle(chartBarColor)
		r.bars = append(r.bars, b)
		n := chartText(strconv.Itoa(w.Incoming), fg, small)
		n.Alignment = fyne.TextAlignCenter
		if w.Incoming == 0 {
			n.Text = ""
		}
		r.barLabels = append(r.barLabels, n)
		lb := chartText(w.Label, fg, small)
		lb.Alignment = fyne.TextAlignCenter
		r.weekLabels = append(r.weekLabels, lb)
		r.objects = append(r.objects, b, n, lb)
	}
	r.goal = canvas.NewLine(chartGoalColor)
	r.goal.StrokeWidth = 2
	r.objects = append(r.objects, r.goal)
	// The share line joins consecutive weeks that have a share; a week
	// without one (nothing settled yet) breaks the line.
	for i, w := range weeks {
		if !w.HasShare {
			continue
		}
		if i > 0 && weeks[i-1].HasShare {
			s := canvas.NewLine(chartLineColor)
			s.StrokeWidth = 2
			r.segments = append(r.segments, s)
			r.objects = append(r.objects, s)
		}
	}
	for _, w := range weeks {
		if w.HasShare {
			p := canvas.NewCircle(chartLineColor)
			r.points = append(r.points, p)
			r.objects = append(r.objects, p)
		}
	}
	r.legend = chartLegend(fg, small)
	r.objects = append(r.objects, r.legend...)
	r.empty = nil
	if len(weeks) == 0 {
		r.empty = chartText("Inga veckor att visa", fg, theme.TextSize())
		r.empty.Alignment = fyne.TextAlignCenter
		r.objects = append(r.objects, r.empty)
	}
}

// chartLegend returns swatch and text pairs for the bars, the line and
// the goal.
func chartLegend(fg color.Color, size float32) []fyne.CanvasObject {
	bar := canvas.NewRectangle(chartBarColor)
	line := canvas.NewRectangle(chartLineColor)
	goal := canvas.NewRectangle(chartGoalColor)
	return []fyne.CanvasObject{
		bar, chartText("Inkomna ärenden", fg, size),
		line, chartText("Andel återkoppling i tid", fg, size),
		goal, chartText("Mål 100 %", fg, size),
	}
}

func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	weeks := r.chart.weeks
	x0, y0 := float32(chartPadLeft), float32(chartPadTop)
	w := size.Width - chartPadLeft - chartPadRight
	h := size.Height - chartPadTop - chartPadBottom
	if w < 10 || h < 10 {
		return
	}
	r.frame.Move(fyne.NewPos(x0, y0))
	r.frame.Resize(fyne.NewSize(w, h))
	for i := 0; i <= chartGridLines; i++ {
		y := y0 + h - h*float32(i)/chartGridLines
		r.gridLines[i].Position1 = fyne.NewPos(x0, y)
		r.gridLines[i].Position2 = fyne.NewPos(x0+w, y)
		ts := r.leftTicks[i].MinSize()
		r.leftTicks[i].Move(fyne.NewPos(x0-4-ts.Width, y-ts.Height/2))
		r.leftTicks[i].Resize(ts)
		ts = r.rightTks[i].MinSize()
		r.rightTks[i].Move(fyne.NewPos(x0+w+4, y-ts.Height/2))
		r.rightTks[i].Resize(ts)
	}
	// The goal: 100 % is the top of the right axis.
	r.goal.Position1 = fyne.NewPos(x0, y0)
	r.goal.Position2 = fyne.NewPos(x0+w, y0)

	n := len(weeks)
	if n > 0 {
		slot := w / float32(n)
		barW := slot * 0.6
		// Week labels: as many as fit, the others left out evenly.
		labelW := r.weekLabels[0].MinSize().Width + 6
		every := int(math.Ceil(float64(labelW / slot)))
		every = max(every, 1)
		seg, pt := 0, 0
		var prev fyne.Position
		for i, wk := range weeks {
			cx := x0 + slot*(float32(i)+0.5)
			bh := h * float32(wk.Incoming) / float32(r.max)
			r.bars[i].Move(fyne.NewPos(cx-barW/2, y0+h-bh))
			r.bars[i].Resize(fyne.NewSize(barW, bh))
			// The count above its bar, or inside the top of it when the
			// bar reaches the top of the chart.
			ls := r.barLabels[i].MinSize()
			ly := y0 + h - bh - ls.Height
			r.barLabels[i].Color = theme.Color(theme.ColorNameForeground)
			if ly < y0 {
				ly = y0 + h - bh
				r.barLabels[i].Color = color.White
			}
			r.barLabels[i].Move(fyne.NewPos(cx-ls.Width/2, ly))
			r.barLabels[i].Resize(ls)
			if slot < ls.Width {
				r.barLabels[i].Hide()
			} else {
				r.barLabels[i].Show()
			}
			ws := r.weekLabels[i].MinSize()
			r.weekLabels[i].Move(fyne.NewPos(cx-ws.Width/2, y0+h+2))
			r.weekLabels[i].Resize(ws)
			if i%every != 0 {
				r.weekLabels[i].Hide()
			} else {
				r.weekLabels[i].Show()
			}
			if !wk.HasShare {
				continue
			}
			p := fyne.NewPos(cx, y0+h-h*float32(min(max(wk.Share, 0), 1)))
			if i > 0 && weeks[i-1].HasShare {
				r.segments[seg].Position1, r.segments[seg].Position2 = prev, p
				seg++
			}
			const d = 7
			r.points[pt].Move(fyne.NewPos(p.X-d/2, p.Y-d/2))
			r.points[pt].Resize(fyne.NewSize(d, d))
			pt++
			prev = p
		}
	}
	// Legend on the top line, left to right.
	x := x0
	for i := 0; i < len(r.legend); i += 2 {
		sw, tx := r.legend[i], r.legend[i+1]
		ts := tx.MinSize()
		sw.Move(fyne.NewPos(x, (chartPadTop-10)/2))
		sw.Resize(fyne.NewSize(10, 10))
		tx.Move(fyne.NewPos(x+14, (chartPadTop-ts.Height)/2))
		tx.Resize(ts)
		x += 14 + ts.Width + 16
	}
	if r.empty != nil {
		es := r.empty.MinSize()
		r.empty.Move(fyne.NewPos(x0+(w-es.Width)/2, y0+(h-es.Height)/2))
		r.empty.Resize(es)
	}
}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(360, 130) }

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *chartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.size)
	canvas.Refresh(r.chart)
}

func (r *chartRenderer) Destroy() {}
