package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// inboxPageSize is how many cases one query reads. The list asks for the
// next page when its last row comes into view, so 100,000 cases are never
// read at once.
const inboxPageSize = 100

type inboxFilter struct{ label, view string }

// inboxFilters in the order of Ctrl+1…5.
var inboxFilters = []inboxFilter{
	{"Mina", app.ViewMine},
	{"Ofördelade", app.ViewUnassigned},
	{"Försenade", app.ViewOverdue},
	{"Alla öppna", app.ViewOpen},
	{"Avslutade", app.ViewClosed},
}

// routineViews are the views issue 12 adds, as small counters under the
// big ones (the filter row keeps its five, so the window fits 1024 px).
var routineViews = []string{app.ViewEfterarbete, app.ViewCitizenAnswered, app.ViewStale, app.ViewMelior}

// routineViewLabel is a routine view's name in the list and on its counter.
func routineViewLabel(view string, staleDays int) string {
	switch view {
	case app.ViewEfterarbete:
		return "Efterarbete"
	case app.ViewCitizenAnswered:
		return "Invånaren har svarat"
	case app.ViewStale:
		return app.StaleLabel(staleDays)
	case app.ViewMelior:
		return "Dokumenterat i Melior men ej avslutat i 1177"
	}
	return ""
}

const allGroups = "Alla ärendetyper"

// Column widths after Ärendetyp, which takes the rest, and the column a
// click on the header sorts by (Läge: the list's own order, by urgency).
// The widths fit a 1024 px window.
var inboxColumns = []struct {
	title string
	width float32
	sort  string
}{
	{"Ärendetyp", 0, app.SortType},
	{"Ärendenummer", 130, app.SortReference},
	{"Mottagning", 125, app.SortUnit},
	{"Inkom", 120, app.SortReceived},
	{"Svar senast", 100, app.SortDue},
	{"Läge", 180, ""},
	{"Status", 135, app.SortStatus},
	{"Handläggare", 110, app.SortAssignee},
}

// inboxScreen is the list of cases, most urgent first.
type inboxScreen struct {
	u       *UI
	content fyne.CanvasObject

	tiles   map[string]*counterTile
	small   map[string]*widget.Button // the routine views' counters
	filter  *widget.RadioGroup
	group   *keySelect
	headers []*sortHeader // the column headers, which sort
	search  *keyEntry
	list    *inboxList
	empty   *widget.Label
	summary *widget.Label

	// What is shown: the view, a type group or one type (the type
	// filter's line groupName), a search text and a column order.
	view      string
	groupName string
	typeGroup string
	typeKey   string
	sort      app.InboxSort
	// receivedFrom and title: the overview's "Nya sedan …" list.
	receivedFrom app.Date
	title        string
	query        string

	rows    []*app.Case
	more    bool // another page may follow
	loading bool // a next page is being read
	gen     int  // bumped on every new query; stale results are dropped
	cursor  int  // the row the keyboard is on
	kbd     bool // a selection made by the keyboard does not open the case
	// openFirst: Enter in the search field came before the list had the
	// search's answer; the first row opens when it has.
	openFirst bool
	// seen: what the person working has opened of the new cases (the
	// rows of the others are highlighted), read with each first page.
	seen app.SeenCases

	searchDelay debouncer // from a keystroke to the query
	// shown, when set, is called each time a first page is on screen
	// (benchmarks time keystroke to list with it).
	shown func()
}

func newInboxScreen(u *UI) *inboxScreen {
	return &inboxScreen{u: u, view: app.ViewOpen, cursor: -1, searchDelay: debouncer{delay: u.debounce}}
}

func (in *inboxScreen) build() fyne.CanvasObject {
	in.tiles = map[string]*counterTile{
		// The store counts Nya as the open cases nobody has: the Ofördelade view.
		"new":      newCounterTile("Nya", nil, func() { in.setView(app.ViewUnassigned) }),
		"mine":     newCounterTile("Mina", theme.AccountIcon(), func() { in.setView(app.ViewMine) }),
		"overdue":  newCounterTile("Försenade", theme.NewErrorThemedResource(theme.ErrorIcon()), func() { in.setView(app.ViewOverdue) }),
		"duetoday": newCounterTile("Svar senast idag", theme.NewWarningThemedResource(theme.WarningIcon()), func() { in.setView(app.ViewDueToday) }),
	}
	tiles := container.NewGridWithColumns(4, in.tiles["new"].obj, in.tiles["mine"].obj, in.tiles["overdue"].obj, in.tiles["duetoday"].obj)
	in.small = map[string]*widget.Button{}
	var small []fyne.CanvasObject
	for _, v := range routineViews {
		v := v
		b := widget.NewButton(smallCounterText(v, -1, in.u.staleDays), func() { in.setView(v) })
		b.Alignment = widget.ButtonAlignLeading
		in.small[v] = b
		small = append(small, b)
	}
	smallRow := container.NewGridWithColumns(len(small), small...)

	var labels []string
	for _, f := range inboxFilters {
		labels = append(labels, f.label)
	}
	in.filter = widget.NewRadioGroup(labels, in.onFilterChanged)
	in.filter.Horizontal = true
	in.filter.Required = false
	in.filter.SetSelected(in.filterLabel(in.view))

	in.group = newKeySelect(in.u, typeFilterLabels(), in.onGroupChanged)
	in.group.SetSelected(allGroups)

	in.search = newKeyEntry(in.u, false)
	in.search.SetPlaceHolder("Sök ärendenummer, ärendetyp, mottagning eller anteckning (Ctrl+F)")
	in.search.OnChanged = in.onSearchChanged
	in.search.OnSubmitted = func(string) { in.onSearchSubmitted() }
	in.search.onKey = in.onSearchKey

	header := container.New(&columnsLayout{}, in.headerCells()...)
	in.list = newInboxList(in)
	in.empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	in.empty.Hide()
	in.summary = widget.NewLabel("Läser ärenden …")
	keys := widget.NewLabel("Ctrl+F sök · Ctrl+1–5 filter · ↑↓ välj · Enter öppna · Esc tillbaka · klick på rubrik sorterar")
	keys.TextStyle = fyne.TextStyle{Italic: true}

	filters := container.NewBorder(nil, nil, in.filter, container.NewHBox(widget.NewLabel("Ärendetyp:"),
		container.NewGridWrap(fyne.NewSize(230, in.group.MinSize().Height), in.group)))
	searchRow := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, in.search)
	top := container.NewVBox(tiles, smallRow, filters, searchRow, container.NewPadded(header), widget.NewSeparator())
	in.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, keys, in.summary), nil, nil,
		container.NewStack(in.list, container.NewCenter(in.empty)))
	return in.content
}

func (in *inboxScreen) filterLabel(view string) string {
	for _, f := range inboxFilters {
		if f.view == view {
			return f.label
		}
	}
	return ""
}

func (in *inboxScreen) onFilterChanged(label string) {
	for _, f := range inboxFilters {
		if label != "" && label == f.label {
			if in.view != f.view || !in.receivedFrom.IsZero() {
				in.view, in.receivedFrom, in.title = f.view, app.Date{}, ""
				in.reload()
			}
			return
		}
	}
}

// setView shows one of the views (a filter, or a counter's view).
func (in *inboxScreen) setView(view string) {
	in.view, in.receivedFrom, in.title = view, app.Date{}, ""
	// Setting the radio fires onFilterChanged, which sees nothing changed.
	in.filter.SetSelected(in.filterLabel(view))
	in.reload()
}

// showFiltered shows view with received-from date from (the overview's
// "Nya sedan …"), described as title.
func (in *inboxScreen) showFiltered(view string, from app.Date, title string) {
	in.setView(view)
	in.receivedFrom, in.title = from, title
	in.reload()
}

func (in *inboxScreen) onGroupChanged(label string) {
	o, ok := typeFilterOption(label)
	if !ok || label == allGroups {
		label = ""
	}
	if label = strings.TrimSpace(label); label != in.groupName {
		in.groupName, in.typeGroup, in.typeKey = label, o.Group, o.Type
		in.reload()
	}
}

func (in *inboxScreen) onSearchChanged(text string) {
	in.searchDelay.call(func() { in.applySearch(text) })
}

func (in *inboxScreen) applySearch(text string) {
	text = strings.TrimSpace(text)
	if text != in.query {
		in.query = text
		in.reload()
	}
}

// caseFilter is the query the screen shows.
func (in *inboxScreen) caseFilter() app.CaseFilter {
	today := app.DateOf(in.u.s.Now())
	f := app.CaseFilter{View: in.view, Me: in.u.actor(), Today: today, Group: in.typeGroup, Type: in.typeKey,
		Search: in.query, ReceivedFrom: in.receivedFrom, Sort: in.sort}
	if in.view == app.ViewStale {
		f.StaleCutoff = app.StaleCutoff(in.u.s.Store.Calendar(), today, in.u.staleDays)
	}
	return f
}

// reload reads the first page for the current filter; the total is
// counted after the page is on screen, so a keystroke costs one page.
func (in *inboxScreen) reload() {
	in.gen++
	gen, f, me := in.gen, in.caseFilter(), in.u.actor()
	in.u.background(func(ctx context.Context) {
		rows, err := in.u.s.Store.InboxPage(ctx, f, nil, inboxPageSize+1)
		if err != nil {
			in.u.showError(err)
			return
		}
		seen, err := in.u.s.Store.SeenCases(ctx, me)
		if err != nil {
			in.u.showError(err)
			return
		}
		more := len(rows) > inboxPageSize
		if more {
			rows = rows[:inboxPageSize]
		}
		fyne.Do(func() {
			if gen != in.gen {
				return
			}
			in.rows, in.more, in.loading, in.cursor, in.seen = rows, more, false, -1, seen
			in.list.UnselectAll()
			in.list.Refresh()
			in.list.ScrollToTop()
			in.showEmpty()
			if !more {
				in.summary.SetText(in.describe(len(rows)))
			} else {
				in.summary.SetText(in.describe(-1))
				in.countTotal(gen, f)
			}
			if in.shown != nil {
				in.shown()
			}
			if in.openFirst {
				in.openFirst = false
				if len(rows) > 0 {
					in.u.openCase(rows[0].ID)
				}
			}
		})
	})
}

// countTotal counts what filter f matches, for the line under the list.
func (in *inboxScreen) countTotal(gen int, f app.CaseFilter) {
	in.u.background(func(ctx context.Context) {
		n, err := in.u.s.Store.InboxCount(ctx, f)
		if err != nil {
			return // the list is shown; the total is a nicety
		}
		fyne.Do(func() {
			if gen == in.gen {
				in.summary.SetText(in.describe(n))
			}
		})
	})
}

// loadMore reads the next page when the list's last row comes into view.
func (in *inboxScreen) loadMore() {
	if !in.more || in.loading || len(in.rows) == 0 {
		return
	}
	in.loading = true
	gen, f, after := in.gen, in.caseFilter(), in.rows[len(in.rows)-1]
	f.Offset = len(in.rows) // a column order pages by offset
	in.u.background(func(ctx context.Context) {
		rows, err := in.u.s.Store.InboxPage(ctx, f, after, inboxPageSize+1)
		fyne.Do(func() {
			if gen != in.gen {
				return
			}
			in.loading = false
			if err != nil {
				in.more = false
				in.u.showError(err)
				return
			}
			in.more = len(rows) > inboxPageSize
			if in.more {
				rows = rows[:inboxPageSize]
			}
			in.rows = append(in.rows, rows...)
			in.list.Refresh()
		})
	})
}

func (in *inboxScreen) showEmpty() {
	if len(in.rows) > 0 {
		in.empty.Hide()
		return
	}
	switch {
	case in.query != "":
		in.empty.SetText("Inga ärenden matchar \"" + in.query + "\".")
	case in.view == app.ViewOverdue:
		in.empty.SetText("Inga försenade ärenden.")
	case in.view == app.ViewMine:
		in.empty.SetText("Du har inga öppna ärenden.")
	default:
		in.empty.SetText("Inga ärenden att visa.")
	}
	in.empty.Show()
}

// describe is the line under the list: what is shown and how many; n < 0
// while the total is being counted.
func (in *inboxScreen) describe(n int) string {
	what := "Alla öppna"
	for _, f := range inboxFilters {
		if f.view == in.view {
			what = f.label
		}
	}
	if in.view == app.ViewDueToday {
		what = "Svar senast idag"
	}
	if l := routineViewLabel(in.view, in.u.staleDays); l != "" {
		what = l
	}
	if in.title != "" {
		what = in.title
	}
	if in.groupName != "" {
		what += ", " + in.groupName
	}
	if in.query != "" {
		what += ", sökning \"" + in.query + "\""
	}
	sort := "mest brådskande först"
	if in.view == app.ViewClosed {
		sort = "senaste först"
	}
	if in.sort.Sorted() {
		sort = sortDescription(in.sort)
	}
	switch {
	case n < 0:
		return what + ": räknar … (" + sort + ")"
	case n == 1:
		return what + ": 1 ärende"
	case in.view == app.ViewClosed && n > app.ClosedCap(app.CaseFilter{Search: in.query}):
		return what + ": över " + itoa(app.ClosedCap(app.CaseFilter{Search: in.query})) + " ärenden (" + sort + ")"
	}
	return what + ": " + itoa(n) + " ärenden (" + sort + ")"
}

func (in *inboxScreen) showCounts(c app.CaseCounts) {
	in.tiles["new"].set(c.New, widget.HighImportance)
	in.tiles["mine"].set(c.Mine, widget.MediumImportance)
	imp := widget.MediumImportance
	if c.Overdue > 0 {
		imp = widget.DangerImportance
	}
	in.tiles["overdue"].set(c.Overdue, imp)
	imp = widget.MediumImportance
	if c.DueToday > 0 {
		imp = widget.WarningImportance
	}
	in.tiles["duetoday"].set(c.DueToday, imp)
	for v, n := range map[string]int{app.ViewEfterarbete: c.Efterarbete, app.ViewCitizenAnswered: c.CitizenAnswered,
		app.ViewStale: c.Stale, app.ViewMelior: c.Melior} {
		b := in.small[v]
		b.SetText(smallCounterText(v, n, in.u.staleDays))
		imp := widget.MediumImportance
		if n > 0 && v != app.ViewEfterarbete {
			imp = widget.WarningImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
}

// smallCounterText is a routine view's counter: its name and n (– while
// unknown). The Melior view's name is shortened to fit 1024 px.
func smallCounterText(view string, n, staleDays int) string {
	l := routineViewLabel(view, staleDays)
	if view == app.ViewMelior {
		l = "Melior, ej avslutat i 1177"
	}
	if n < 0 {
		return l + ": –"
	}
	return l + ": " + itoa(n)
}

// selectRow highlights row i without opening it (the keyboard's way).
func (in *inboxScreen) selectRow(i int) {
	if i < 0 || i >= len(in.rows) {
		return
	}
	in.cursor = i
	in.kbd = true
	in.list.Select(i)
	in.kbd = false
}

func (in *inboxScreen) onRowSelected(id widget.ListItemID) {
	if id >= len(in.rows) {
		in.list.Unselect(id)
		return
	}
	in.cursor = id
	if in.kbd {
		return
	}
	in.list.Unselect(id)
	in.u.openCase(in.rows[id].ID)
}

// openSelected opens the row the keyboard is on (Enter).
func (in *inboxScreen) openSelected() {
	if in.cursor >= 0 && in.cursor < len(in.rows) {
		in.u.openCase(in.rows[in.cursor].ID)
	}
}
