package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// showReceptDialog opens the form for one log entry on w: a new one when
// e.ID is 0 (prefill Date, CaseID, PatientPnr and PatientName from the
// case it comes from), else the entry to change. A fornya-recept case's
// step "Noterat i receptförfrågningsloggen" is ticked by the store when
// the entry is saved with its CaseID. onSaved runs on the UI goroutine
// with the entry as stored.
func showReceptDialog(bg *runner, store app.ReceptStore, actor func() string, now func() time.Time, w fyne.Window,

	e app.ReceptEntry, onSaved func(app.ReceptEntry)) {
	if now == nil {
		now = time.Now
	}
	if e.Date.IsZero() {
		e.Date = app.DateOf(now())
	}
	if e.Status == "" {
		e.Status = app.ReceptMottagen
	}
	newReceptForm(bg, store, actor, now, w, e, onSaved).show()
}

// receptForm is the dialog for one entry. Field errors show under their
// field, before anything is saved.
type receptForm struct {
	bg      *runner
	store   app.ReceptStore
	actor   func() string
	now     func() time.Time
	win     fyne.Window
	orig    app.ReceptEntry
	onSaved func(app.ReceptEntry)

	date, pnr, name, lakemedel, lakare, note *widget.Entry
	status                                   *widget.Select
	errs                                     map[string]*widget.Label
	boxes                                    []*fyne.Container // to lay out again when errors show
	message                                  *widget.Label
	save, cancel                             *widget.Button
	dlg                                      *dialog.CustomDialog
	saved                                    bool
}

func newReceptForm(bg *runner, store app.ReceptStore, actor func() string, now func() time.Time, w fyne.Window,

	e app.ReceptEntry, onSaved func(app.ReceptEntry)) *receptForm {
	f := &receptForm{bg: bg, store: store, actor: actor, now: now, win: w, orig: e, onSaved: onSaved,
		errs: map[string]*widget.Label{}}
	f.date = widget.NewEntry()
	f.date.SetPlaceHolder("ÅÅÅÅ-MM-DD")
	if !e.Date.IsZero() {
		f.date.SetText(e.Date.String())
	}
	f.pnr = widget.NewEntry()
	f.pnr.SetPlaceHolder("ÅÅÅÅMMDD-NNNN")
	if e.PatientPnr != "" {
		f.pnr.SetText(e.PatientPnr.String())
	}
	f.name = widget.NewEntry()
	f.name.SetText(e.PatientName)
	f.lakemedel = widget.NewEntry()
	f.lakemedel.SetText(e.Lakemedel)
	f.lakemedel.SetPlaceHolder("Läkemedel, styrka")
	f.lakare = widget.NewEntry()
	f.lakare.SetText(e.ForskrivandeLakare)
	var statuses []string
	for _, st := range app.ReceptStatuses() {
		statuses = append(statuses, st.Swedish())
	}
	f.status = widget.NewSelect(statuses, nil)
	if e.Status.Valid() {
		f.status.SetSelected(e.Status.Swedish())
	}
	f.note = widget.NewMultiLineEntry()
	f.note.SetText(e.Note)
	f.note.SetMinRowsVisible(3)
	f.note.Wrapping = fyne.TextWrapWord
	f.message = widget.NewLabel("")
	f.message.Importance = widget.DangerImportance
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	f.save = widget.NewButtonWithIcon("Spara", theme.ConfirmIcon(), f.onSaveTapped)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon("Avbryt", theme.CancelIcon(), func() { f.dlg.Hide() })
	return f
}

// fields pairs each form field with its label and error field name.
func (f *receptForm) fields() []struct {
	label, field string
	obj          fyne.CanvasObject
} {

	return []struct {
		label, field string
		obj          fyne.CanvasObject
	}{
		{"Datum", "date", f.date},
		{"Personnummer", "personnummer", f.pnr},
		{"Namn", "name", f.name},
		{"Läkemedel", "lakemedel", f.lakemedel},
		{"Förskrivande läkare", "lakare", f.lakare},
		{"Status", "status", f.status},
		{"Anteckning", "note", f.note},
	}
}

func (f *receptForm) content() fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	for _, x := range f.fields() {
		errLabel := widget.NewLabel("")
		errLabel.Importance = widget.DangerImportance
		errLabel.Wrapping = fyne.TextWrapWord
		errLabel.Hide()
		f.errs[x.field] = errLabel
		box := container.NewVBox(x.obj, errLabel)
		f.boxes = append(f.boxes, box)
		grid.Add(widget.NewLabel(x.label))
		grid.Add(box)
	}
	f.boxes = append(f.boxes, grid)
	info := "Noteras av dig. "
	if f.orig.CaseID != 0 {
		info = "Från ärende nr " + strconv.FormatInt(f.orig.CaseID, 10) + ": steget \"Noterat i receptförfrågningsloggen\" bockas av när raden sparas. "
	}
	hint := widget.NewLabel(info + "Personnumret kontrolleras innan något sparas.")
	hint.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(layout.NewSpacer(), f.cancel, f.save)
	all := container.NewVBox(hint, grid, f.message, buttons)
	f.boxes = append(f.boxes, all)
	return all
}

func (f *receptForm) show() {
	title := "Ny rad i receptförfrågningsloggen"
	if f.orig.ID != 0 {
		title = "Ändra rad i receptförfrågningsloggen"
	}
	f.dlg = dialog.NewCustomWithoutButtons(title, f.content(), f.win)
	f.dlg.Resize(fyne.NewSize(560, 620))
	f.dlg.Show()
	f.win.Canvas().Focus(f.pnr)
}

// entry reads the form into an entry.
func (f *receptForm) entry() (app.ReceptEntry, app.ValidationErrors) {
	e := f.orig
	var errs app.ValidationErrors
	if d, err := app.ParseDate(strings.TrimSpace(f.date.Text)); err == nil {
		e.Date = d
	} else if strings.TrimSpace(f.date.Text) == "" {
		e.Date = app.Date{}
	} else {
		errs = append(errs, app.FieldErrorf("date", "datumet ska skrivas ÅÅÅÅ-MM-DD"))
		e.Date = app.DateOf(f.now()) // checked above; keeps Validate from repeating it
	}
	e.PatientPnr = app.Personnummer(f.pnr.Text)
	e.PatientName = f.name.Text
	e.Lakemedel = f.lakemedel.Text
	e.ForskrivandeLakare = f.lakare.Text
	e.Status = ""
	if i := f.status.SelectedIndex(); i >= 0 {
		e.Status = app.ReceptStatuses()[i]
	}
	e.Note = f.note.Text
	if e.ID == 0 {
		e.Nurse = f.actor()
	}
	if err := e.Validate(); err != nil {
		var ve app.ValidationErrors
		if errors.As(err, &ve) {
			errs = append(errs, ve...)
		}
	}
	if !e.Date.IsZero() && e.Date.After(app.DateOf(f.now())) {
		errs = append(errs, app.FieldErrorf("date", "datumet ligger efter dagens datum"))
	}
	return e, errs
}

// showErrors shows each field error under its field, others above the
// buttons.
func (f *receptForm) showErrors(errs []*app.Error) {
	for _, l := range f.errs {
		l.SetText("")
		l.Hide()
	}
	var other []string
	for _, e := range errs {
		if l, ok := f.errs[e.Field]; ok {
			if l.Text != "" {
				l.SetText(l.Text + "\n" + capitalize(e.Message))
			} else {
				l.SetText(capitalize(e.Message))
			}
			l.Show()
		} else {
			other = append(other, capitalize(e.Message))
		}
	}
	if len(other) > 0 {
		f.message.SetText(strings.Join(other, "\n"))
		f.message.Show()
	} else {
		f.message.Hide()
	}
	for _, b := range f.boxes {
		b.Refresh()
	}
}

func (f *receptForm) onSaveTapped() {
	e, errs := f.entry()
	if len(errs) > 0 {
		f.showErrors(errs)
		return
	}
	f.showErrors(nil)
	f.save.Disable()
	actor := f.actor()
	f.bg.background(func(ctx context.Context) {
		var err error
		if e.ID == 0 {
			err = f.store.AddRecept(ctx, &e, actor)
		} else {
			err = f.store.UpdateRecept(ctx, &e, actor)
		}
		fyne.Do(func() {
			f.save.Enable()
			if err != nil {
				var ve app.ValidationErrors
				var fe *app.Error
				switch {
				case errors.As(err, &ve):
					f.showErrors(ve)
				case errors.As(err, &fe) && fe.Field != "":
					f.showErrors([]*app.Error{fe})
				default:
					f.showErrors([]*app.Error{{Message: app.ErrorMessage(err)}})
				}
				return
			}
			f.saved = true
			f.dlg.Hide()
			if f.onSaved != nil {
				f.onSaved(e)
			}
		})
	})
}
