package ui

import (
	"strings"

	"fyne.io/fyne/v2"
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
		b := widget.NewButton(inboxColumns[i].title, func() { in.onHeaderTapped(i) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		b.IconPlacement = widget.ButtonIconTrailingText
		in.headers = append(in.headers, b)
		cells = append(cells, b)
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
	for i, b := range in.headers {
		var icon fyne.Resource
		switch col := inboxColumns[i].sort; {
		case in.sort.Sorted() && col == in.sort.Column && in.sort.Desc:
			icon = theme.MenuDropDownIcon()
		case in.sort.Sorted() && col == in.sort.Column:
			icon = theme.MenuDropUpIcon()
		case !in.sort.Sorted() && col == "":
			icon = theme.MenuDropDownIcon()
		}
		if b.Icon != icon {
			b.SetIcon(icon)
		}
	}
}

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
