package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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

const allGroups = "Alla ärendetyper"

// Column widths after Ärendetyp, which takes the rest.
var inboxColumns = []struct {
	title string
	width float32
}{
	{"Ärendetyp", 0},
	{"Mottagning", 150},
	{"Inkom", 150},
	{"Svar senast", 120},
	{"Läge", 165},
	{"Status", 145},
	{"Handläggare", 150},
}

// inboxScreen is the list of cases, most urgent first.
type inboxScreen struct {
	u       *UI
	content fyne.CanvasObject

	tiles   map[string]*counterTile
	filter  *widget.RadioGroup
	group   *widget.Select
	search  *keyEntry
	list    *inboxList
	empty   *widget.Label
	summary *widget.Label

	// What is shown: the view, a type group and a search text.
	view      string
	groupName string
	query     string

	rows    []*app.Case
	more    bool // another page may follow
	loading bool // a next page is being read
	gen     int  // bumped on every new query; stale results are dropped
	cursor  int  // the row the keyboard is on
	kbd     bool // a selection made by the keyboard does not open the case

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

	var labels []string
	for _, f := range inboxFilters {
		labels = append(labels, f.label)
	}
	in.filter = widget.NewRadioGroup(labels, in.onFilterChanged)
	in.filter.Horizontal = true
	in.filter.Required = false
	in.filter.SetSelected(in.filterLabel(in.view))

	in.group = widget.NewSelect(append([]string{allGroups}, app.Groups()...), in.onGroupChanged)
	in.group.SetSelected(allGroups)

	in.search = newKeyEntry(in.u, false)
	in.search.SetPlaceHolder("Sök ärendenummer, ärendetyp, mottagning eller anteckning (Ctrl+F)")
	in.search.OnChanged = in.onSearchChanged
	in.search.OnSubmitted = func(string) { in.onSearchSubmitted() }

	header := container.New(&columnsLayout{}, inboxHeaderCells()...)
	in.list = newInboxList(in)
	in.empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	in.empty.Hide()
	in.summary = widget.NewLabel("Läser ärenden …")
	keys := widget.NewLabel("Ctrl+F sök · Ctrl+1–5 filter · ↑↓ välj · Enter öppna · Esc tillbaka")
	keys.TextStyle = fyne.TextStyle{Italic: true}

	filters := container.NewBorder(nil, nil, in.filter, container.NewHBox(widget.NewLabel("Ärendetyp:"),
		container.NewGridWrap(fyne.NewSize(230, in.group.MinSize().Height), in.group)))
	searchRow := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, in.search)
	top := container.NewVBox(tiles, filters, searchRow, container.NewPadded(header), widget.NewSeparator())
	in.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, keys, in.summary), nil, nil,
		container.NewStack(in.list, container.NewCenter(in.empty)))
	return in.content
}

func inboxHeaderCells() []fyne.CanvasObject {
	var cells []fyne.CanvasObject
	for _, c := range inboxColumns {
		l := widget.NewLabelWithStyle(c.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		cells = append(cells, l)
	}
	return cells
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
			if in.view != f.view {
				in.view = f.view
				in.reload()
			}
			return
		}
	}
}

// setView shows one of the views (a filter, or a counter's view).
func (in *inboxScreen) setView(view string) {
	in.view = view
	// Setting the radio fires onFilterChanged, which sees nothing changed.
	in.filter.SetSelected(in.filterLabel(view))
	in.reload()
}

func (in *inboxScreen) onGroupChanged(g string) {
	if g == allGroups {
		g = ""
	}
	if g != in.groupName {
		in.groupName = g
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

// onSearchSubmitted (Enter in the search field) moves to the list.
func (in *inboxScreen) onSearchSubmitted() {
	if len(in.rows) > 0 {
		in.selectRow(0)
		in.u.win.Canvas().Focus(in.list)
	}
}

// caseFilter is the query the screen shows.
func (in *inboxScreen) caseFilter() app.CaseFilter {
	return app.CaseFilter{View: in.view, Me: in.u.actor(), Today: app.DateOf(in.u.s.Now()), Group: in.groupName, Search: in.query}
}

// reload reads the first page for the current filter; the total is
// counted after the page is on screen, so a keystroke costs one page.
func (in *inboxScreen) reload() {
	in.gen++
	gen, f := in.gen, in.caseFilter()
	in.u.background(func(ctx context.Context) {
		rows, err := in.u.s.Store.InboxPage(ctx, f, nil, inboxPageSize+1)
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
			in.rows, in.more, in.loading, in.cursor = rows, more, false, -1
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
	switch {
	case n < 0:
		return what + ": räknar … (" + sort + ")"
	case n == 1:
		return what + ": 1 ärende"
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

// inboxRow is one row's widgets.
type inboxRow struct {
	typ, unit, in, due, flag, status, assignee *widget.Label
	flagIcon                                   *widget.Icon
}

func newInboxRow() (*inboxRow, fyne.CanvasObject) {
	r := &inboxRow{}
	// Free text gets an ellipsis when it does not fit. The columns of
	// dates, flags and statuses are wide enough for every value they take,
	// and go without: truncating means shaping the text on each refresh,
	// the largest cost of a keystroke at 100,000 cases.
	for _, l := range []**widget.Label{&r.typ, &r.unit, &r.assignee} {
		*l = widget.NewLabel("")
		(*l).Truncation = fyne.TextTruncateEllipsis
	}
	for _, l := range []**widget.Label{&r.in, &r.due, &r.flag, &r.status} {
		*l = widget.NewLabel("")
	}
	r.flagIcon = widget.NewIcon(nil)
	flag := container.NewBorder(nil, nil, r.flagIcon, nil, r.flag)
	obj := container.New(&columnsLayout{}, r.typ, r.unit, r.in, r.due, flag, r.status, r.assignee)
	return r, obj
}

func (r *inboxRow) show(c *app.Case, now time.Time, name func(string) string) {
	flag := c.Flag(now)
	setText(r.typ, app.TypeName(c.Type))
	setText(r.unit, c.Unit)
	today := app.DateOf(now)
	at := c.ReceivedAt.In(app.Stockholm)
	setText(r.in, dateSv(app.DateOf(at), today)+" "+at.Format("15:04"))
	setText(r.due, dateSv(c.DueDate, today))
	setText(r.status, c.Status.Swedish())
	if c.Assignee == "" {
		setText(r.assignee, "–")
	} else {
		setText(r.assignee, name(c.Assignee))
	}
	setText(r.flag, flag.Swedish())
	imp, style := widget.MediumImportance, fyne.TextStyle{}
	var icon fyne.Resource
	switch flag {
	case app.FlagOverdue:
		imp, style = widget.DangerImportance, fyne.TextStyle{Bold: true}
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	case app.FlagDueToday:
		imp, style = widget.WarningImportance, fyne.TextStyle{Bold: true}
		icon = theme.NewWarningThemedResource(theme.WarningIcon())
	case app.FlagAnswered:
		icon = theme.ConfirmIcon()
	case app.FlagClosed:
		imp = widget.MediumImportance
		icon = theme.CheckButtonCheckedIcon()
	default:
		icon = theme.HistoryIcon()
	}
	r.flagIcon.SetResource(icon)
	for _, l := range []*widget.Label{r.flag, r.due} {
		if l.Importance != imp || l.TextStyle != style {
			l.Importance, l.TextStyle = imp, style
			l.Refresh()
		}
	}
}

// dateSv is "ons 2/12", with the year when it is not this year's: a case
// overdue since last December must not read as due this December.
func dateSv(d, today app.Date) string {
	if d.Year != today.Year {
		return d.ShortSv() + " " + strconv.Itoa(d.Year)
	}
	return d.ShortSv()
}

// setText changes a label only when its text differs: a label's refresh
// measures (and may shape) its text, and rows often repeat a unit, a
// status or an assignee.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

func (r *inboxRow) showLoading() {
	r.typ.SetText("Hämtar fler ärenden …")
	for _, l := range []*widget.Label{r.unit, r.in, r.due, r.flag, r.status, r.assignee} {
		l.SetText("")
	}
	r.flagIcon.SetResource(nil)
}

// inboxList is the virtualized list of cases. It adds Enter (open), Esc
// (back) and arrow keys that select without opening.
type inboxList struct {
	widget.List
	in *inboxScreen
}

func newInboxList(in *inboxScreen) *inboxList {
	l := &inboxList{in: in}
	rows := map[fyne.CanvasObject]*inboxRow{}
	l.Length = func() int {
		if in.more {
			return len(in.rows) + 1
		}
		return len(in.rows)
	}
	l.CreateItem = func() fyne.CanvasObject {
		r, obj := newInboxRow()
		rows[obj] = r
		return obj
	}
	l.UpdateItem = func(id widget.ListItemID, obj fyne.CanvasObject) {
		r := rows[obj]
		if id >= len(in.rows) {
			r.showLoading()
			in.loadMore()
			return
		}
		r.show(in.rows[id], in.u.s.Now(), in.u.staffName)
	}
	l.OnSelected = in.onRowSelected
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey handles Enter, Esc and the arrows.
func (l *inboxList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.in.openSelected()
	case fyne.KeyEscape:
		l.in.u.onEscape()
	case fyne.KeyDown:
		l.in.selectRow(l.in.cursor + 1)
		l.ScrollTo(l.in.cursor)
	case fyne.KeyUp:
		if l.in.cursor > 0 {
			l.in.selectRow(l.in.cursor - 1)
			l.ScrollTo(l.in.cursor)
		}
	default:
		l.List.TypedKey(e)
	}
}

// columnsLayout lays out the inbox's columns: the first takes what the
// others leave.
type columnsLayout struct{}

func (columnsLayout) fixed() float32 {
	var w float32
	for _, c := range inboxColumns[1:] {
		w += c.width
	}
	return w + theme.Padding()*float32(len(inboxColumns)-1)
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(180+l.fixed(), h)
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	first := max(size.Width-l.fixed(), 100)
	x := float32(0)
	for i, o := range objs {
		w := first
		if i > 0 && i < len(inboxColumns) {
			w = inboxColumns[i].width
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + theme.Padding()
	}
}

// counterTile is one of the counters on top: a big number with a caption,
// tappable to show those cases. Colour never carries the meaning alone:
// the caption says it, and an icon marks overdue and due today.
type counterTile struct {
	btn     *widget.Button
	num     *widget.Label
	caption *widget.Label
	value   int
	obj     fyne.CanvasObject
}

func newCounterTile(caption string, icon fyne.Resource, tapped func()) *counterTile {
	t := &counterTile{}
	t.btn = widget.NewButton("", tapped)
	t.num = heading("–")
	t.caption = widget.NewLabel(caption)
	row := []fyne.CanvasObject{layout.NewSpacer()}
	if icon != nil {
		row = append(row, widget.NewIcon(icon))
	}
	row = append(row, t.num, container.NewCenter(t.caption), layout.NewSpacer())
	t.obj = container.NewStack(t.btn, container.NewHBox(row...))
	return t
}

func (t *counterTile) set(n int, imp widget.Importance) {
	t.value = n
	t.num.Text = itoa(n)
	t.num.Importance = imp
	t.num.Refresh()
}

// itoa formats n the Swedish way, with a space between thousands.
func itoa(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
