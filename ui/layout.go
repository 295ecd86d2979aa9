package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Layout helpers for two promises of the window (issue 14):
//
//   - Nothing moves under the mouse. A line that appears (a warning, an
//     error, "Ändrat av …") either has its space kept for it while it is
//     hidden (reserve), or grows away from the buttons: above an action
//     bar pinned to the bottom edge (actionBar), or at the bottom of a
//     column whose content scrolls above it.
//   - It fits a laptop (1024×600). The main actions sit in bars outside
//     the scroll containers, and tables share the width they get among
//     their columns (fitColumns) instead of pushing the window wider.

// reserve keeps room for lines lines of text for o, visible or not: an
// error label under a field appears and disappears without moving what
// is below it. When o needs more than that (a longer message), it gets
// it.
func reserve(lines int, o fyne.CanvasObject) *fyne.Container {
	return container.New(&reserveLayout{lines: lines}, o)
}

type reserveLayout struct{ lines int }

func (l *reserveLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := lineHeight() * float32(l.lines)
	var w float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}

func (l *reserveLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(size.Width, max(size.Height, o.MinSize().Height)))
	}
}

// lineHeight is the height of a one-line label in the current theme.
func lineHeight() float32 {
	th := theme.Current()
	text := fyne.MeasureText("Åg", th.Size(theme.SizeNameText), fyne.TextStyle{})
	return text.Height + 2*th.Size(theme.SizeNameInnerPadding)
}

// actionBar is a row of buttons pinned to the bottom of a screen, with
// the screen's message line above them: when the message appears or
// grows, it grows upwards and the buttons stay where they are. lead is
// put at the row's leading end, trail at its trailing end (either may be
// nil).
func actionBar(message fyne.CanvasObject, lead, trail fyne.CanvasObject) fyne.CanvasObject {
	row := container.NewBorder(nil, nil, lead, trail)
	if message == nil {
		return container.NewVBox(widget.NewSeparator(), row)
	}
	return container.NewVBox(widget.NewSeparator(), message, row)
}

// bottomAligned keeps o at the bottom of the space it is given (a
// button beside a message that wraps onto more lines stays on the
// bottom line).
func bottomAligned(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(), o)
}

// column is one column of a table laid out by fitColumns: its width when
// there is room, and the narrowest it may get before the table scrolls
// sideways.
type column struct {
	width, min float32
}

// fitColumns lays out table t so that its columns share the width it is
// given: narrower than their widths when the window is narrow (down to
// their minimum, then the table scrolls sideways), wider when there is
// room. columns returns the current columns (they may change with the
// table shown).
func fitColumns(t *widget.Table, columns func() []column) *fyne.Container {
	return container.New(&fitColumnsLayout{table: t, columns: columns}, t)
}

type fitColumnsLayout struct {
	table   *widget.Table
	columns func() []column
	applied []float32
}

func (l *fitColumnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return l.table.MinSize()
}

func (l *fitColumnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	widths := fitWidths(l.columns(), size.Width-theme.Padding()) // room for the scroll bar
	if !sameWidths(widths, l.applied) {
		l.applied = widths
		for i, w := range widths {
			l.table.SetColumnWidth(i, w)
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// relayout applies the columns again (after the table shown changed).
func relayoutColumns(c *fyne.Container) {
	if l, ok := c.Layout.(*fitColumnsLayout); ok {
		l.applied = nil
		c.Refresh()
		if c.Size().Width > 0 {
			l.Layout(c.Objects, c.Size())
		}
	}
}

// fitWidths shares width among cols: each column's width scaled to fill
// it when there is room; when there is not, the columns give up what they
// have above their minimum in proportion, and below the sum of the
// minimums every column has its minimum.
func fitWidths(cols []column, width float32) []float32 {
	sep := theme.Padding() // the table's column separators
	avail := width - sep*float32(len(cols))
	var sumW, sumMin float32
	for _, c := range cols {
		sumW += c.width
		sumMin += min(c.min, c.width)
	}
	out := make([]float32, len(cols))
	for i, c := range cols {
		lo := min(c.min, c.width)
		switch {
		case sumW <= 0:
			out[i] = c.width
		case avail >= sumW:
			out[i] = c.width * avail / sumW
		case avail <= sumMin || sumW == sumMin:
			out[i] = lo
		default:
			k := (avail - sumMin) / (sumW - sumMin)
			out[i] = lo + (c.width-lo)*k
		}
		out[i] = float32(int(out[i])) // whole pixels: no creeping sums
	}
	return out
}

func sameWidths(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// headerWidth is the width a column needs for its bold title.
func headerWidth(title string) float32 {
	th := theme.Current()
	return fyne.MeasureText(title, th.Size(theme.SizeNameText), fyne.TextStyle{Bold: true}).Width +
		2*th.Size(theme.SizeNameInnerPadding) + 2
}

// compact shows o with half the padding around and between its lines: a
// column of figures that should be read at a glance, not scrolled.
func compact(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(o, compactTheme{Theme: fyne.CurrentApp().Settings().Theme()})
}

// compactTheme is the window's theme with half its padding.
type compactTheme struct{ fyne.Theme }

func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNamePadding, theme.SizeNameInnerPadding, theme.SizeNameLineSpacing:
		return s / 2
	}
	return s
}

// trailingRow lays out objs in a row against its trailing edge, each as
// wide as its text when there is room; when there is not, the labels that
// truncate (fyne.TextTruncateEllipsis) give up width, longest first, so
// the row never widens the window.
func trailingRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(trailingRowLayout{}, objs...)
}

type trailingRowLayout struct{}

// naturalWidth is how wide o is with nothing cut: a truncating label's
// whole text, another object's minimum.
func naturalWidth(o fyne.CanvasObject) float32 {
	if l, ok := o.(*widget.Label); ok && l.Truncation != fyne.TextTruncateOff {
		th := theme.Current()
		size := th.Size(theme.SizeNameText)
		if l.SizeName != "" {
			size = th.Size(l.SizeName)
		}
		return fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding) + 1
	}
	return o.MinSize().Width
}

func (trailingRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w += m.Width
		h = max(h, m.Height)
		n++
	}
	if n > 1 {
		w += theme.Padding() * float32(n-1)
	}
	return fyne.NewSize(w, h)
}

func (trailingRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var vis []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			vis = append(vis, o)
		}
	}
	widths := make([]float32, len(vis))
	total := theme.Padding() * float32(max(len(vis)-1, 0))
	for i, o := range vis {
		widths[i] = naturalWidth(o)
		total += widths[i]
	}
	// Cut the widest cuttable object to the next one's width, until the
	// row fits or nothing can give more.
	for total > size.Width {
		widest, next := -1, float32(0)
		for i, o := range vis {
			if naturalWidth(o) == o.MinSize().Width || widths[i] <= o.MinSize().Width {
				continue
			}
			if widest < 0 || widths[i] > widths[widest] {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		for i, o := range vis {
			if i != widest && naturalWidth(o) != o.MinSize().Width {
				next = max(next, min(widths[i], widths[widest]-1))
			}
		}
		floor := max(vis[widest].MinSize().Width, next, widths[widest]-(total-size.Width))
		total -= widths[widest] - floor
		widths[widest] = floor
	}
	x := size.Width - total
	for i, o := range vis {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(widths[i], h))
		x += widths[i] + theme.Padding()
	}
}

// smallHeadings shows o with its cards' titles at the size of a
// subheading: a screen of several cards (the case, the intyg flow) gives
// their content the room, not their titles.
func smallHeadings(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(o, smallHeadingTheme{Theme: fyne.CurrentApp().Settings().Theme()})
}

type smallHeadingTheme struct{ fyne.Theme }

func (t smallHeadingTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameHeadingText {
		return t.Theme.Size(theme.SizeNameSubHeadingText)
	}
	return t.Theme.Size(n)
}

// capped shows o at most lines high; what does not fit scrolls inside.
// A long message (which details are missing, where and who fills them in)
// must not push a laptop's window past its screen. Hidden o takes no room.
func capped(lines int, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&cappedLayout{lines: lines, o: o}, container.NewVScroll(o))
}

type cappedLayout struct {
	lines int
	o     fyne.CanvasObject
}

func (l *cappedLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	if !l.o.Visible() {
		return fyne.Size{}
	}
	return fyne.NewSize(0, min(l.o.MinSize().Height, lineHeight()*float32(l.lines)))
}

func (l *cappedLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
