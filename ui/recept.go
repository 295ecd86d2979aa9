package ui

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/export"
)

// receptStore is what the log screen uses: the log (every read is written
// to the access log by the store), and the staff list for the names in the
// nurse filter and the export.
type receptStore interface {
	app.ReceptStore
	ListStaff(ctx context.Context, includeInactive bool) ([]*app.Staff, error)
}

// receptSearchDelay is how long the list waits after a keystroke in the
// search field.
const receptSearchDelay = 300 * time.Millisecond

// receptPage is how many rows the screen shows at first, and adds per
// "Visa fler": every row shown is a patient's data read, and logged.
const receptPage = 100

// receptColumns are the list's columns (those of the export).
var receptColumns = export.ReceptHeaders

var receptWidths = []float32{100, 130, 180, 200, 170, 150, 240, 170}

// receptMinWidths are the narrowest the columns get in a narrow window
// (a date and a personnummer are never cut; names and notes are).
var receptMinWidths = []float32{100, 130, 110, 110, 0, 110, 110, 0}

// receptTableColumns are the list's columns, none narrower than its title.
func receptTableColumns() []column {
	cols := make([]column, len(receptWidths))
	for i, w := range receptWidths {
		cols[i] = column{width: w, min: max(receptMinWidths[i], headerWidth(receptColumns[i]))}
	}
	return cols
}

const (
	receptAllStatuses = "Alla statusar"
	receptAllNurses   = "Alla sjuksköterskor"
	receptMine        = "Mina rader"
)

// ReceptScreen is "Receptlogg": the receptförfrågningslogg with filters on
// date range, status and nurse, a search over name, läkemedel, läkare and
// personnummer, new and changed rows in a form, and export to .xlsx.
type ReceptScreen struct {
	bg    *runner
	store receptStore
	actor func() string
	now   func() time.Time
	win   fyne.Window
	messageLine

	from, to  *escEntry
	status    *escSelect
	nurse     *escSelect
	search    *escEntry
	table     *widget.Table
	count     *widget.Label
	info      *widget.Label // what went well: "12 rader exporterade"
	more      *widget.Button
	newBtn    *widget.Button
	exportBtn *widget.Button

	entries []app.ReceptEntry
	total   int
	limit   int
	staff   map[string]string // HSA-ID → name
	nurses  []string          // nurse options' HSA-IDs, by option index - 2

	form        *receptForm // the form open last, for tests
	searchDelay debouncer   // from a keystroke to the query
	newestLoad

	// onEscape is what Esc in the filter fields does (the window's Esc).
	onEscape func()
}

// newReceptScreen returns the log screen, reading and writing store
// through bg. actor returns the HSA-ID of the person working (it goes into
// the access log and is the nurse of new rows); now is the clock; w is the
// window its dialogs open on.
func newReceptScreen(bg *runner, store receptStore, actor func() string, now func() time.Time, w fyne.Window) *ReceptScreen {
	if now == nil {
		now = time.Now
	}
	return &ReceptScreen{bg: bg, store: store, actor: actor, now: now, win: w, limit: receptPage,
		staff: map[string]string{}, searchDelay: debouncer{delay: receptSearchDelay}}
}

// Build makes the screen's widgets; call Refresh to load the rows.
func (s *ReceptScreen) Build() fyne.CanvasObject {
	s.from = newEscEntry(&s.onEscape)
	s.from.SetPlaceHolder("ÅÅÅÅ-MM-DD")
	s.to = newEscEntry(&s.onEscape)
	s.to.SetPlaceHolder("ÅÅÅÅ-MM-DD")
	s.from.OnSubmitted = func(string) { s.onFilterChanged() }
	s.to.OnSubmitted = func(string) { s.onFilterChanged() }
	statuses := []string{receptAllStatuses}
	for _, st := range app.ReceptStatuses() {
		statuses = append(statuses, st.Swedish())
	}
	s.status = newEscSelect(&s.onEscape, statuses, func(string) { s.onFilterChanged() })
	s.status.SetSelectedIndex(0)
	s.nurse = newEscSelect(&s.onEscape, []string{receptAllNurses, receptMine}, func(string) { s.onFilterChanged() })
	s.nurse.SetSelectedIndex(0)
	s.search = newEscEntry(&s.onEscape)
	s.search.SetPlaceHolder("Sök namn, personnummer, läkemedel, läkare")
	s.search.OnChanged = s.onSearchChanged

	s.newBtn = widget.NewButtonWithIcon("Ny rad", theme.ContentAddIcon(), s.onNewTapped)
	s.newBtn.Importance = widget.HighImportance
	s.exportBtn = widget.NewButtonWithIcon("Exportera till Excel", theme.DocumentSaveIcon(), s.onExportTapped)
	s.more = widget.NewButton("Visa fler", s.onMoreTapped)
	s.more.Hide()
	s.count = widget.NewLabel("")
	s.info = widget.NewLabel("")
	s.messageLine = newMessageLine()
	s.message.Importance = widget.DangerImportance

	s.table = newTextTable(s.tableSize, s.cell, func(col int) string { return receptColumns[col] })
	s.table.OnSelected = s.onRowSelected

	dateBox := func(e *escEntry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(120, e.MinSize().Height), e)
	}
	wide := func(o fyne.CanvasObject, w float32) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	filters := container.NewHBox(widget.NewLabel("Datum från"), dateBox(s.from), widget.NewLabel("till"), dateBox(s.to),
		wide(s.status, 190), wide(s.nurse, 220), layout.NewSpacer(), s.newBtn)
	top := container.NewVBox(filters, container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, s.search), s.message)
	bottom := container.NewHBox(s.count, s.info, layout.NewSpacer(), s.more, s.exportBtn)
	s.loadStaff()
	return container.NewBorder(top, bottom, nil, nil, fitColumns(s.table, receptTableColumns))
}

// loadStaff reads the staff list, for names.
func (s *ReceptScreen) loadStaff() {
	s.bg.background(func(ctx context.Context) {
		staff, err := s.store.ListStaff(ctx, true)
		if err != nil {
			return // names are a convenience: HSA-IDs show instead
		}
		fyne.Do(func() {
			opts := []string{receptAllNurses, receptMine}
			s.nurses = nil
			for _, p := range staff {
				s.staff[p.HSAID] = p.Name
				if p.HasRole(app.RoleSjukskoterska) {
					opts = append(opts, p.Name)
					s.nurses = append(s.nurses, p.HSAID)
				}
			}
			sel := s.nurse.SelectedIndex()
			s.nurse.Options = opts
			if sel >= 0 && sel < len(opts) {
				s.nurse.Selected = opts[sel]
			}
			s.nurse.Refresh()
			s.table.Refresh()
		})
	})
}

// nurseName returns the name of staff member hsaID, or hsaID.
func (s *ReceptScreen) nurseName(hsaID string) string {
	if n := s.staff[hsaID]; n != "" {
		return n
	}
	return hsaID
}

// filter reads the filters; an error is a Swedish message.
func (s *ReceptScreen) filter() (app.ReceptFilter, error) {
	f := app.ReceptFilter{Search: strings.TrimSpace(s.search.Text), Limit: s.limit}
	var err error
	if t := strings.TrimSpace(s.from.Text); t != "" {
		if f.From, err = app.ParseDate(t); err != nil {
			return f, app.FieldErrorf("from", "Från-datumet ska skrivas ÅÅÅÅ-MM-DD")
		}
	}
	if t := strings.TrimSpace(s.to.Text); t != "" {
		if f.To, err = app.ParseDate(t); err != nil {
			return f, app.FieldErrorf("to", "Till-datumet ska skrivas ÅÅÅÅ-MM-DD")
		}
	}
	if i := s.status.SelectedIndex(); i > 0 {
		f.Status = app.ReceptStatuses()[i-1]
	}
	switch i := s.nurse.SelectedIndex(); {
	case i == 1:
		f.Nurse = s.actor()
	case i >= 2 && i-2 < len(s.nurses):
		f.Nurse = s.nurses[i-2]
	}
	return f, f.Validate()
}

func (s *ReceptScreen) onSearchChanged(string) { s.searchDelay.call(s.onFilterChanged) }

// onFilterChanged shows the first page of what the filters now select.
func (s *ReceptScreen) onFilterChanged() {
	s.limit = receptPage
	s.Refresh()
}

func (s *ReceptScreen) onMoreTapped() {
	s.limit += receptPage
	s.Refresh()
}

// Refresh reads the rows that match the filters, in the background.
func (s *ReceptScreen) Refresh() {
	if s.table == nil {
		return
	}
	f, err := s.filter()
	if err != nil {
		s.showMessage(app.ErrorMessage(err))
		return
	}
	s.showMessage("")
	s.info.SetText("")
	actor := s.actor()
	s.loadNewest(s.bg, &s.messageLine, func(ctx context.Context) (func(), error) {
		entries, total, err := s.store.ReceptEntries(ctx, f, actor)
		return func() {
			s.entries, s.total = entries, total
			s.count.SetText(receptCountText(len(entries), total))
			if len(entries) < total {
				s.more.Show()
			} else {
				s.more.Hide()
			}
			s.table.UnselectAll()
			s.table.Refresh()
		}, err
	})
}

func receptCountText(shown, total int) string {
	switch {
	case total == 0:
		return "Inga rader."
	case shown < total:
		return "Visar " + strconv.Itoa(shown) + " av " + strconv.Itoa(total) + " rader, nyast först."
	case total == 1:
		return "1 rad."
	}
	return strconv.Itoa(total) + " rader, nyast först."
}

func (s *ReceptScreen) tableSize() (int, int) { return len(s.entries), len(receptColumns) }

// cell returns the text of list cell (row, col).
func (s *ReceptScreen) cell(row, col int) string {
	e := &s.entries[row]
	switch col {
	case 0:
		return e.Date.String()
	case 1:
		return e.PatientPnr.String()
	case 2:
		return e.PatientName
	case 3:
		return e.Lakemedel
	case 4:
		return e.ForskrivandeLakare
	case 5:
		return e.Status.Swedish()
	case 6:
		return strings.ReplaceAll(e.Note, "\n", " ")
	case 7:
		return s.nurseName(e.Nurse)
	}
	return ""
}

func (s *ReceptScreen) onRowSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(s.entries) {
		return
	}
	e := s.entries[id.Row]
	s.table.UnselectAll()
	s.openForm(e)
}

func (s *ReceptScreen) onNewTapped() {
	s.openForm(app.ReceptEntry{Date: app.DateOf(s.now()), Status: app.ReceptMottagen})
}

// openForm shows the entry form; a saved entry reloads the list.
func (s *ReceptScreen) openForm(e app.ReceptEntry) *receptForm {
	f := newReceptForm(s.bg, s.store, s.actor, s.now, s.win, e, func(app.ReceptEntry) { s.Refresh() })
	f.show()
	s.form = f
	return f
}

func (s *ReceptScreen) onExportTapped() {
	f, err := s.filter()
	if err != nil {
		s.showMessage(app.ErrorMessage(err))
		return
	}
	name := "Receptförfrågningar BUP"
	if !f.From.IsZero() {
		name += " från " + f.From.String()
	}
	if !f.To.IsZero() {
		name += " till " + f.To.String()
	}
	askSave(s.win, name+".xlsx", func(err error) { s.showMessage(app.ErrorMessage(err)) },
		func(wc fyne.URIWriteCloser) { s.exportTo(wc, f) })
}

// exportTo writes every row matching f (not only those shown) as .xlsx to
// the file the save dialog chose, in the background. The store logs the
// export; the file is put in place once it has.
func (s *ReceptScreen) exportTo(wc fyne.URIWriteCloser, f app.ReceptFilter) {
	f.Limit, f.Offset = 0, 0
	actor := s.actor()
	s.exportBtn.Disable()
	names := s.nurseNameSafe()
	s.bg.background(func(ctx context.Context) {
		n := 0
		out := openChosen(wc)
		err := s.store.ExportRecept(ctx, f, actor, func(es []app.ReceptEntry) error {
			n = len(es)
			return out.write(func(w io.Writer) error { return export.WriteReceptXLSX(w, es, names) })
		})
		err = out.finish(err)
		fyne.Do(func() {
			s.exportBtn.Enable()
			if err != nil {
				s.showMessage("Exporten misslyckades: " + app.ErrorMessage(err))
				return
			}
			word := "rader"
			if n == 1 {
				word = "rad"
			}
			s.info.SetText(strconv.Itoa(n) + " " + word + " exporterade till Excel.")
		})
	})
}

// nurseNameSafe returns a copy of the staff names for use off the UI
// goroutine.
func (s *ReceptScreen) nurseNameSafe() func(string) string {
	names := make(map[string]string, len(s.staff))
	for k, v := range s.staff {
		names[k] = v
	}
	return func(id string) string { return names[id] }
}
