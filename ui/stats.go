package ui

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/export"
)

// StatsScreen is "Statistik": over a chosen period, per ISO week, type and
// unit, incoming cases and how many had feedback within two working days.
// The period's figures on top, a chart of incoming per week (bars) and
// the share in time (a line against the 100 % goal), the chosen table
// below, and exports to .xlsx and .csv beside the table's choice.
type StatsScreen struct {
	bg  *runner
	src app.StatsSource
	now func() time.Time
	win fyne.Window
	messageLine

	from, to *escEntry
	// onEscape is what Esc in the date fields does (the window's Esc).
	onEscape  func()
	unit      *escSelect
	typ       *escSelect // the inbox's grouped type list (typeFilterLabels)
	tableSel  *escSelect
	chart     *WeekChart
	summary   *fyne.Container // the period's figures, three to a row
	figures   map[string]*widget.Label
	table     *widget.Table
	tableBox  *fyne.Container // the table, its columns fitted to its width
	exportBtn *widget.Button
	csvBtn    *widget.Button

	stats *app.Stats
	rows  []app.StatsRow // of the chosen table
	units []string       // seen so far, for the unit filter
	newestLoad
}

const (
	statsAllUnits = "Alla enheter"
	statsAllTypes = "Alla ärendetyper"
)

// newStatsScreen returns the statistics screen, reading src through bg.
// now is the clock (today decides what is overdue); w is the window its
// dialogs open on.
func newStatsScreen(bg *runner, src app.StatsSource, now func() time.Time, w fyne.Window) *StatsScreen {
	if now == nil {
		now = time.Now
	}
	return &StatsScreen{bg: bg, src: src, now: now, win: w}
}

// statsDefaultPeriod is the last twelve ISO weeks, this one included.
func statsDefaultPeriod(today app.Date) (app.Date, app.Date) {
	return app.WeekOf(today).Monday().AddDays(-7 * 11), today
}

// Build makes the screen's widgets; call Refresh to load the figures.
func (s *StatsScreen) Build() fyne.CanvasObject {
	from, to := statsDefaultPeriod(app.DateOf(s.now()))
	s.from = newEscEntry(&s.onEscape)
	s.from.SetText(from.String())
	s.from.SetPlaceHolder("ÅÅÅÅ-MM-DD")
	s.to = newEscEntry(&s.onEscape)
	s.to.SetText(to.String())
	s.to.SetPlaceHolder("ÅÅÅÅ-MM-DD")
	s.from.OnSubmitted = func(string) { s.Refresh() }
	s.to.OnSubmitted = func(string) { s.Refresh() }

	s.unit = newEscSelect(&s.onEscape, []string{statsAllUnits}, func(string) { s.Refresh() })
	s.unit.SetSelectedIndex(0)
	typeNames := append([]string{statsAllTypes}, typeFilterLabels()[1:]...)
	s.typ = newEscSelect(&s.onEscape, typeNames, func(string) { s.Refresh() })
	s.typ.SetSelectedIndex(0)

	show := widget.NewButtonWithIcon("Visa", theme.ViewRefreshIcon(), s.Refresh)
	s.exportBtn = widget.NewButtonWithIcon("Excel (.xlsx)", theme.DocumentSaveIcon(), s.onExportXLSXTapped)
	s.csvBtn = widget.NewButtonWithIcon("CSV", theme.DocumentSaveIcon(), s.onExportCSVTapped)
	s.exportBtn.Disable()
	s.csvBtn.Disable()

	dateBox := func(e *escEntry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(120, e.MinSize().Height), e)
	}
	wide := func(o fyne.CanvasObject, w float32) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	toolbar := container.NewHBox(
		widget.NewLabel("Inkomna från"), dateBox(s.from), widget.NewLabel("till"), dateBox(s.to),
		wide(s.unit, 200), wide(s.typ, 260), show)

	s.chart = NewWeekChart(nil)
	s.figures = map[string]*widget.Label{}
	var cells []fyne.CanvasObject
	for _, k := range statsFigureNames {
		l := widget.NewLabel("–")
		l.Alignment = fyne.TextAlignTrailing
		s.figures[k] = l
		cells = append(cells, container.NewBorder(nil, nil, boldLabel(k), nil, l))
	}
	s.summary = container.NewGridWithColumns(3, cells...)
	s.messageLine = newMessageLine()

	var tables []string
	for _, t := range app.StatsTables() {
		tables = append(tables, t.Swedish())
	}
	s.tableSel = newEscSelect(&s.onEscape, tables, func(string) { s.showTable() })
	s.tableSel.SetSelectedIndex(0)
	s.table = newTextTable(s.tableSize, s.cell, s.columnTitle)
	s.tableBox = fitColumns(s.table, s.columns)

	// The period's figures above the chart, all in view at 1024×600.
	note := wrapLabel("Andel i tid räknas på ärenden där utfallet är känt: återkoppling given, eller tidsfristen passerad utan återkoppling.")
	note.TextStyle = fyne.TextStyle{Italic: true}
	summary := compact(container.NewVBox(s.summary, note))
	top := s.chart // its legend names the bars and the line
	// The exports sit on the table's line (CSV is the table shown), in
	// view whatever the window's size, with the screen's message beside
	// them ("Statistiken är sparad.", a date that cannot be read).
	tableBar := container.NewBorder(nil, nil, bottomAligned(container.NewHBox(widget.NewLabel("Tabell:"), wide(s.tableSel, 220))),
		bottomAligned(container.NewHBox(widget.NewLabel("Exportera:"), s.exportBtn, s.csvBtn)), s.message)
	bottom := container.NewBorder(tableBar, nil, nil, nil, s.tableBox)
	body := container.NewVSplit(top, bottom)
	body.Offset = 0.5
	return container.NewBorder(container.NewVBox(toolbar, summary), nil, nil, nil, body)
}

// statsFigureNames are the period's figures above the chart.
var statsFigureNames = []string{"Inkomna", "Återkoppling i tid", "Återkoppling senare", "Ingen återkoppling än",
	"Andel i tid", "Median arbetsdagar", "Försenade nu", "Avslutade", statsMorningFigure}

// statsMorningFigure is the period's morning checks above the chart; the
// week table has them per week in a column of that name.
const statsMorningFigure = "Morgonkollen gjord"

// query reads the filters; an error names the field.
func (s *StatsScreen) query() (app.StatsQuery, error) {
	q := app.StatsQuery{Today: app.DateOf(s.now())}
	var err error
	if q.From, err = app.ParseDate(strings.TrimSpace(s.from.Text)); err != nil {
		return q, app.FieldErrorf("from", "Från-datumet ska skrivas ÅÅÅÅ-MM-DD")
	}
	if q.To, err = app.ParseDate(strings.TrimSpace(s.to.Text)); err != nil {
		return q, app.FieldErrorf("to", "Till-datumet ska skrivas ÅÅÅÅ-MM-DD")
	}
	if err := q.Validate(); err != nil {
		return q, err
	}
	switch u := s.unit.Selected; u {
	case "", statsAllUnits:
	default:
		q.Unit = u
	}
	if o, ok := typeFilterOption(s.typ.Selected); ok {
		q.Type, q.Group = o.Type, o.Group
	}
	return q, nil
}

// Refresh reads the period's cases in the background and shows their
// statistics.
func (s *StatsScreen) Refresh() {
	if s.chart == nil {
		return
	}
	q, err := s.query()
	if err != nil {
		s.showMessage(app.ErrorMessage(err))
		s.clear() // the figures shown are not of the period asked for
		return
	}
	s.showInfo("Räknar …")
	s.loadNewest(s.bg, &s.messageLine, func(ctx context.Context) (func(), error) {
		st, err := app.LoadStats(ctx, s.src, q)
		return func() { s.show(st) }, err
	})
}

// show puts st on the screen.
func (s *StatsScreen) show(st *app.Stats) {
	s.stats = st
	s.showMessage("")
	s.chart.SetWeeks(ChartWeeks(st))
	t := st.Total
	set := func(k, v string) { s.figures[k].SetText(v) }
	set("Inkomna", strconv.Itoa(t.Incoming))
	set("Återkoppling i tid", strconv.Itoa(t.FeedbackInTime))
	set("Återkoppling senare", strconv.Itoa(t.FeedbackLate))
	set("Ingen återkoppling än", strconv.Itoa(t.NoFeedbackYet))
	set("Andel i tid", t.ShareInTimeSv())
	set("Median arbetsdagar", t.MedianSv())
	set("Försenade nu", strconv.Itoa(t.OverdueNow))
	set("Avslutade", strconv.Itoa(t.Closed))
	if st.MorningChecks != nil {
		set(statsMorningFigure, st.MorningChecksTotal().MorningChecksSv())
	} else {
		set(statsMorningFigure, "–")
	}
	s.learnUnits(st)
	s.exportBtn.Enable()
	s.csvBtn.Enable()
	s.showTable()
}

// learnUnits adds the units seen to the unit filter.
func (s *StatsScreen) learnUnits(st *app.Stats) {
	seen := map[string]bool{}
	for _, u := range s.units {
		seen[u] = true
	}
	changed := false
	for _, r := range st.ByUnit {
		u := r.Unit
		if u == "" {
			continue
		}
		if !seen[u] {
			seen[u] = true
			s.units = append(s.units, u)
			changed = true
		}
	}
	if changed {
		sel := s.unit.Selected
		s.unit.Options = append([]string{statsAllUnits}, s.units...)
		s.unit.Selected = sel
		s.unit.Refresh()
	}
}

// ChartWeeks turns the statistics' weeks into chart weeks ("v48").
func ChartWeeks(st *app.Stats) []ChartWeek {
	out := make([]ChartWeek, 0, len(st.ByWeek))
	for _, r := range st.ByWeek {
		share, ok := r.ShareInTime()
		out = append(out, ChartWeek{Label: "v" + strconv.Itoa(r.Week.Week), Incoming: r.Incoming, Share: share, HasShare: ok})
	}
	return out
}

func (s *StatsScreen) selectedTable() app.StatsTable {
	i := s.tableSel.SelectedIndex()
	if i < 0 {
		i = 0
	}
	return app.StatsTables()[i]
}

func (s *StatsScreen) showTable() {
	if s.stats == nil || s.table == nil {
		return
	}
	s.rows = s.stats.Table(s.selectedTable())
	relayoutColumns(s.tableBox)
	s.table.Refresh()
}

// columns are the widths of the table shown: the names wide, the
// figures as wide as their titles.
func (s *StatsScreen) columns() []column {
	var cols []column
	for _, h := range s.headers() {
		title := headerWidth(statsShortHeader(h))
		c := column{width: max(110, title), min: title}
		switch {
		case h == "Vecka":
			c = column{width: 100, min: 90}
		case h == "Ärendetyp" || h == "Enhet":
			c = column{width: 260, min: 150}
		case h == statsMorningFigure:
			c.width = max(c.width, 180)
		}
		cols = append(cols, c)
	}
	return cols
}

func (s *StatsScreen) tableSize() (int, int) {
	if s.stats == nil {
		return 0, 0
	}
	return len(s.rows), len(s.headers())
}

// headers are the columns of the table shown: the export's, and for the
// week table the week's morning checks when they were counted.
func (s *StatsScreen) headers() []string {
	h := export.StatsHeaders(s.selectedTable())
	if s.selectedTable() == app.TableWeek && s.stats != nil && s.stats.MorningChecks != nil {
		h = append(h, statsMorningFigure)
	}
	return h
}

// columnTitle is the title of column col of the table shown.
func (s *StatsScreen) columnTitle(col int) string {
	headers := s.headers()
	if col < len(headers) {
		return statsShortHeader(headers[col])
	}
	return ""
}

// statsShortHeader shortens the export's long headers for the screen.
func statsShortHeader(h string) string {
	switch h {
	case "Återkoppling inom två arbetsdagar":
		return "I tid"
	case "Återkoppling senare":
		return "Sent"
	case "Ingen återkoppling än":
		return "Ej återkopplat"
	case "Median arbetsdagar till första återkoppling":
		return "Median dagar"
	}
	return h
}

// cell returns the text of table cell (row, col).
func (s *StatsScreen) cell(row, col int) string {
	r := s.rows[row]
	keys := s.selectedTable().RowKeys(r)
	if col < len(keys) {
		return keys[col]
	}
	vals := []string{strconv.Itoa(r.Incoming), strconv.Itoa(r.FeedbackInTime), strconv.Itoa(r.FeedbackLate),
		strconv.Itoa(r.NoFeedbackYet), r.ShareInTimeSv(), r.MedianSv(), strconv.Itoa(r.OverdueNow), strconv.Itoa(r.Closed)}
	if i := col - len(keys); i < len(vals) {
		return vals[i]
	}
	if s.selectedTable() == app.TableWeek {
		if m, ok := s.stats.MorningChecksOf(r.Week); ok {
			return m.MorningChecksSv()
		}
	}
	return ""
}

// fileName suggests a file name for the period: "Statistik 2026-09-07–2026-11-29.xlsx".
func (s *StatsScreen) fileName(ext string) string {
	q := s.stats.Query
	return "Statistik " + q.From.String() + "–" + q.To.String() + ext
}

func (s *StatsScreen) onExportXLSXTapped() {
	if s.stats == nil {
		return
	}
	s.saveAs(s.fileName(".xlsx"), s.writeXLSX)
}

func (s *StatsScreen) onExportCSVTapped() {
	if s.stats == nil {
		return
	}
	s.saveAs(s.fileName(" "+string(s.selectedTable())+".csv"), s.writeCSV)
}

// writeXLSX writes every table of the statistics shown.
func (s *StatsScreen) writeXLSX(w io.Writer) error { return export.WriteStatsXLSX(w, s.stats) }

// writeCSV writes the table shown.
func (s *StatsScreen) writeCSV(w io.Writer) error {
	return export.WriteStatsCSV(w, s.stats, s.selectedTable())
}

// saveAs asks where to save, then writes there.
func (s *StatsScreen) saveAs(name string, write func(io.Writer) error) {
	askSave(s.win, name, func(err error) { s.showMessage(app.ErrorMessage(err)) },
		func(wc fyne.URIWriteCloser) { s.writeTo(wc, write) })
}

// writeTo writes through write to the file the save dialog chose,
// reporting the outcome under the toolbar.
func (s *StatsScreen) writeTo(wc fyne.URIWriteCloser, write func(io.Writer) error) {
	err := saveChosen(wc, write)
	if err != nil {
		s.showMessage("Filen kunde inte sparas: " + app.ErrorMessage(err))
		return
	}
	s.showInfo("Statistiken är sparad.")
}

// clear empties the chart, the figures and the table, and disables the
// exports: after a period that cannot be read, what was shown for the
// period before must not stand as its answer.
func (s *StatsScreen) clear() {
	s.gen++ // a load under way for the old period is not shown
	s.stats, s.rows = nil, nil
	s.chart.SetWeeks(nil)
	for _, l := range s.figures {
		l.SetText("–")
	}
	s.exportBtn.Disable()
	s.csvBtn.Disable()
	s.table.Refresh()
}
