package ui

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/files"
)

// auditLimit caps what one search shows; a narrower filter finds the rest.
const auditLimit = 5000

// auditScreen is the access log for administrators: filter by staff,
// patient and date, and export what the filter shows.
type auditScreen struct {
	u *UI

	staff   *keySelect
	staffID map[string]string
	patient *keyEntry
	from    *keyEntry
	to      *keyEntry
	errLbl  *widget.Label
	search  *widget.Button
	export  *widget.Button
	info    *widget.Label
	table   *widget.Table

	rows   []app.AuditEntry
	filter app.AuditFilter
}

func newAuditScreen(u *UI) *auditScreen {
	return &auditScreen{u: u}
}

var auditColumns = []struct {
	title string
	width float32
}{{"Tid", 140}, {"Personal", 190}, {"Enhet", 150}, {"Patient", 140}, {"Ärende", 70}, {"Åtgärd", 110}, {"Detalj", 330}}

func (a *auditScreen) build() fyne.CanvasObject {
	a.staff = newKeySelect(a.u, nil, nil)
	a.staff.PlaceHolder = "All personal"
	a.patient = newKeyEntry(a.u, false)
	a.patient.SetPlaceHolder("ÅÅÅÅMMDD-NNNN")
	a.from = newKeyEntry(a.u, false)
	a.from.SetPlaceHolder("från ÅÅÅÅ-MM-DD")
	a.to = newKeyEntry(a.u, false)
	a.to.SetPlaceHolder("till ÅÅÅÅ-MM-DD")
	a.errLbl = widget.NewLabel("")
	a.errLbl.Importance = widget.DangerImportance
	a.errLbl.Hide()
	a.search = widget.NewButtonWithIcon("Sök", theme.SearchIcon(), a.onSearchTapped)
	a.search.Importance = widget.HighImportance
	a.export = widget.NewButtonWithIcon("Exportera CSV …", theme.DocumentSaveIcon(), a.onExportTapped)
	a.export.Disable()
	a.info = widget.NewLabel("Välj filter och tryck Sök. Att söka på en patient registreras i loggen.")
	a.table = newTextTable(
		func() (int, int) { return len(a.rows), len(auditColumns) },
		func(row, col int) string { return a.cell(widget.TableCellID{Row: row, Col: col}) },
		func(col int) string { return auditColumns[col].title })
	for i, c := range auditColumns {
		a.table.SetColumnWidth(i, c.width)
	}
	form := container.NewGridWithColumns(4,
		labeled("Personal", a.staff), labeled("Patient (personnummer)", a.patient),
		labeled("Från", a.from), labeled("Till", a.to))
	top := container.NewVBox(heading("Åtkomstlogg"), form, a.errLbl,
		container.NewHBox(a.search, a.export), a.info, widget.NewSeparator())
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, a.table)
}

func labeled(label string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), o)
}

func (a *auditScreen) cell(id widget.TableCellID) string {
	if id.Row >= len(a.rows) {
		return ""
	}
	e := a.rows[id.Row]
	switch id.Col {
	case 0:
		return e.At.In(app.Stockholm).Format("2006-01-02 15:04")
	case 1:
		return a.u.staffName(e.Actor)
	case 2:
		return e.Unit
	case 3:
		if e.Patient == "" {
			return "–"
		}
		return e.Patient.String()
	case 4:
		if e.CaseID == 0 {
			return "–"
		}
		return strconv.FormatInt(e.CaseID, 10)
	case 5:
		return app.AuditActionLabel(e.Action)
	case 6:
		return app.AuditDetailText(e) // event kinds in words
	}
	return ""
}

// load fills the staff choice; called when the tab is shown.
func (a *auditScreen) load() {
	opts := []string{"All personal"}
	a.staffID = map[string]string{"All personal": ""}
	for _, s := range a.u.staff {
		label := s.Name + " (" + s.HSAID + ")"
		opts = append(opts, label)
		a.staffID[label] = s.HSAID
	}
	a.staff.Options = opts
	a.staff.Refresh()
}

// parseFilter reads the filter fields; errors name the field.
func (a *auditScreen) parseFilter() (app.AuditFilter, error) {
	f := app.AuditFilter{Actor: a.staffID[a.staff.Selected], Limit: auditLimit}
	var errs []string
	if s := strings.TrimSpace(a.patient.Text); s != "" {
		p, err := app.ParsePersonnummerOn(s, app.DateOf(a.u.s.Now()))
		if err != nil {
			errs = append(errs, "Patient: "+app.ErrorMessage(err))
		}
		f.Patient = p
	}
	for _, d := range []struct {
		name string
		e    *keyEntry
		to   *app.Date
	}{{"Från", a.from, &f.From}, {"Till", a.to, &f.To}} {
		if s := strings.TrimSpace(d.e.Text); s != "" {
			v, err := app.ParseDate(s)
			if err != nil {
				errs = append(errs, d.name+": ogiltigt datum, skriv ÅÅÅÅ-MM-DD")
			}
			*d.to = v
		}
	}
	if len(errs) == 0 && !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs = append(errs, "Till: datumet ligger före Från")
	}
	if len(errs) > 0 {
		return f, app.Errorf(app.EINVALID, "%s", strings.Join(errs, "\n"))
	}
	return f, nil
}

func (a *auditScreen) onSearchTapped() {
	f, err := a.parseFilter()
	if err != nil {
		a.errLbl.SetText(app.ErrorMessage(err))
		a.errLbl.Show()
		return
	}
	a.errLbl.Hide()
	a.search.Disable()
	a.info.SetText("Söker …")
	actor := a.u.actor()
	a.u.background(func(ctx context.Context) {
		rows, err := a.u.s.Store.AuditEntries(ctx, f)
		if err == nil && f.Patient != "" {
			// Reading who accessed a patient's data is itself an access.
			err = a.u.s.Store.Audit(ctx, app.AuditEntry{Actor: actor, Patient: f.Patient, Action: app.AuditView,
				Detail: "åtkomstloggen för patienten"})
		}
		fyne.Do(func() {
			a.search.Enable()
			if err != nil {
				a.info.SetText("")
				a.u.showError(err)
				return
			}
			a.rows, a.filter = rows, f
			a.table.Refresh()
			msg := fmt.Sprintf("%d rader.", len(rows))
			if len(rows) == auditLimit {
				msg = fmt.Sprintf("De första %d raderna; smalna av filtret för att se resten.", auditLimit)
			}
			a.info.SetText(msg)
			if len(rows) > 0 {
				a.export.Enable()
			} else {
				a.export.Disable()
			}
		})
	})
}

func (a *auditScreen) onExportTapped() {
	rows, patient, actor := a.rows, a.filter.Patient, a.u.actor()
	askSave(a.u.win, "atkomstlogg.csv", a.u.showError, func(w fyne.URIWriteCloser) {
		a.u.background(func(ctx context.Context) {
			// The file is put in place only once the export is logged.
			out := openChosen(w)
			err := out.write(func(w io.Writer) error { return writeAuditCSV(w, rows, a.u.staffName) })
			if err == nil {
				err = a.u.s.Store.Audit(ctx, app.AuditEntry{Actor: actor, Patient: patient, Action: app.AuditExport,
					Detail: fmt.Sprintf("åtkomstloggen, %d rader", len(rows))})
			}
			err = out.finish(err)
			if err != nil {
				a.u.showError(app.Errorf(app.EINTERNAL, "Exporten misslyckades: %v", err))
				return
			}
			fyne.Do(func() { a.info.SetText(fmt.Sprintf("%d rader exporterade.", len(rows))) })
		})
	})
}

// writeAuditCSV writes rows as CSV for Excel (files.NewCSV: UTF-8 mark,
// semicolons, CRLF, no cell run as a formula), each action in Swedish.
func writeAuditCSV(w io.Writer, rows []app.AuditEntry, name func(string) string) error {
	cw := files.NewCSV(w)
	if err := cw.Write([]string{"Tid", "HSA-ID", "Personal", "Enhet", "Patient", "Ärende", "Åtgärd", "Detalj", "Kontrollsumma"}); err != nil {
		return err
	}
	for _, e := range rows {
		caseID := ""
		if e.CaseID != 0 {
			caseID = strconv.FormatInt(e.CaseID, 10)
		}
		patient := ""
		if e.Patient != "" {
			patient = e.Patient.String()
		}
		if err := cw.Write([]string{e.At.In(app.Stockholm).Format("2006-01-02 15:04:05"), e.Actor, name(e.Actor), e.Unit,
			patient, caseID, app.AuditActionLabel(e.Action), e.Detail, e.Hash}); err != nil {
			return err
		}
	}
	return cw.Flush()
}
