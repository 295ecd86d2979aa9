package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The inbox's column headers, which sort the list; its type filter, which
// lists every case type under its group; and its search field's keys:
// ↑↓ move the selection in the list, one Enter opens the case selected
// (the first when none is).

// headerCells makes the column headers: a click sorts by the column, a
// second click reverses; Läge goes back to the most urgent first.
func (in *inboxScreen) headerCells() []fyne.CanvasObject {
	in.headers = nil
	var cells []fyne.CanvasObject
	for i := range inboxColumns {
		h := newSortHeader(inboxColumns[i].title, func() { in.onHeaderTapped(i) })
		in.headers = append(in.headers, h)
		cells = append(cells, h)
	}
	in.showSort()
	return cells
}

// onHeaderTapped sorts by column i.
func (in *inboxScreen) onHeaderTapped(i int) {
	col := inboxColumns[i].sort
	if col == "" {
		in.sort = app.InboxSort{}
	} else {
		in.sort = in.sort.Toggle(col)
	}
	in.showSort()
	in.reload()
}

// showSort marks the sorted column's header with an arrow: up ascending,
// down descending; Läge's when the list is in its own order.
func (in *inboxScreen) showSort() {
	for i, h := range in.headers {
		arrow := ""
		switch col := inboxColumns[i].sort; {
		case in.sort.Sorted() && col == in.sort.Column && in.sort.Desc:
			arrow = "▼"
		case in.sort.Sorted() && col == in.sort.Column:
			arrow = "▲"
		case !in.sort.Sorted() && col == "":
			arrow = "▼"
		}
		h.setArrow(arrow)
	}
}

// sortHeader is a column header that sorts when clicked: the title in
// bold where the column's text starts, and the sort's arrow after it.
type sortHeader struct {
	widget.BaseWidget
	title  string
	arrow  string
	text   *canvas.Text
	tapped func()
}

func newSortHeader(title string, tapped func()) *sortHeader {
	h := &sortHeader{title: title, tapped: tapped}
	h.text = canvas.NewText(title, theme.Color(theme.ColorNameForeground))
	h.text.TextStyle = fyne.TextStyle{Bold: true}
	h.ExtendBaseWidget(h)
	return h
}

func (h *sortHeader) CreateRenderer() fyne.WidgetRenderer {
	return &sortHeaderRenderer{h: h}
}

func (h *sortHeader) setArrow(arrow string) {
	if h.arrow == arrow {
		return
	}
	h.arrow = arrow
	h.text.Text = strings.TrimSpace(h.title + " " + arrow)
	h.Refresh()
}

// Tapped sorts.
func (h *sortHeader) Tapped(*fyne.PointEvent) { h.tapped() }

// Cursor shows that the header can be clicked.
func (h *sortHeader) Cursor() desktop.Cursor { return desktop.PointerCursor }

// sortHeaderRenderer puts the text where a cell's label puts its own.
type sortHeaderRenderer struct{ h *sortHeader }

func (r *sortHeaderRenderer) Layout(size fyne.Size) {
	t := r.h.text.MinSize()
	r.h.text.Move(fyne.NewPos(theme.InnerPadding(), (size.Height-t.Height)/2))
	r.h.text.Resize(t)
}

func (r *sortHeaderRenderer) MinSize() fyne.Size {
	t := r.h.text.MinSize()
	return fyne.NewSize(t.Width+2*theme.InnerPadding(), t.Height+2*theme.InnerPadding())
}

func (r *sortHeaderRenderer) Refresh() {
	r.h.text.Color = theme.Color(theme.ColorNameForeground)
	r.h.text.TextSize = theme.TextSize()
	r.h.text.Refresh()
	r.Layout(r.h.Size())
}

func (r *sortHeaderRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.h.text} }
func (r *sortHeaderRenderer) Destroy()                     {}

// sortDescription is the order in the line under the list: "sorterat på
// Inkom, äldst först".
func sortDescription(s app.InboxSort) string {
	name := ""
	for _, c := range inboxColumns {
		if c.sort == s.Column {
			name = c.title
		}
	}
	order := "A–Ö"
	if s.Desc {
		order = "Ö–A"
	}
	switch s.Column {
	case app.SortReceived, app.SortDue:
		order = "äldst först"
		if s.Desc {
			order = "senast först"
		}
	case app.SortStatus:
		order = "ny först"
		if s.Desc {
			order = "avslutad först"
		}
	}
	return "sorterat på " + name + ", " + order
}

// typeFilterIndent sets a type apart from its group's heading.
const typeFilterIndent = "      "

// typeFilterLabels are the type filter's lines: all types, then
// app.TypeFilterOptions.
func typeFilterLabels() []string {
	out := []string{allGroups}
	for _, o := range app.TypeFilterOptions() {
		if o.Indent {
			out = append(out, typeFilterIndent+o.Label)
		} else {
			out = append(out, o.Label)
		}
	}
	return out
}

// typeFilterOption returns the option of a type filter line.
func typeFilterOption(label string) (app.TypeFilterOption, bool) {
	label = strings.TrimSpace(label)
	for _, o := range app.TypeFilterOptions() {
		if o.Label == label {
			return o, true
		}
	}
	return app.TypeFilterOption{}, label == allGroups
}

// onSearchKey: ↓ and ↑ in the search field move the selection in the
// list, the focus staying in the field.
func (in *inboxScreen) onSearchKey(e *fyne.KeyEvent) bool {
	switch e.Name {
	case fyne.KeyDown:
		in.selectRow(in.cursor + 1)
	case fyne.KeyUp:
		if in.cursor > 0 {
			in.selectRow(in.cursor - 1)
		}
	default:
		return false
	}
	if in.cursor >= 0 {
		in.list.ScrollTo(in.cursor)
	}
	return true
}

// onSearchSubmitted (Enter in the search field) opens the case selected,
// or the first; a search still waiting for its pause is run first, and
// its first row opens when the list has it.
func (in *inboxScreen) onSearchSubmitted() {
	in.searchDelay.stop()
	if text := strings.TrimSpace(in.search.Text); text != in.query {
		in.query = text
		in.openFirst = true
		in.reload()
		return
	}
	switch {
	case in.cursor >= 0 && in.cursor < len(in.rows):
		in.u.openCase(in.rows[in.cursor].ID)
	case len(in.rows) > 0:
		in.u.openCase(in.rows[0].ID)
	}
}
