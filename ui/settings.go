package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// settingsScreen holds the mottagning's details, the standard reply texts,
// the clinic's own closed days and (later) the IMAP account. Administrators
// and enhetschef/teamledare change them; others read them.
type settingsScreen struct {
	routine    *routineSettings    // issue 12: stale days, learned wordings
	quarantine *quarantineSettings // administrators: Karantän
	u          *UI
	content    fyne.CanvasObject

	unit     map[string]*keyEntry // settings key (the default's) → entry
	unitSave *widget.Button
	unitInfo *widget.Label
	// The mottagning whose details the form holds ("" the default), and
	// the choice of it (settings_units.go).
	unitName   string
	unitSel    *keySelect
	unitKeys   map[string]string // option → unit
	unitNew    *keyEntry
	unitAdd    *widget.Button
	unitWho    *widget.Label
	unitLoaded map[string]bool // units offered

	replySel     *keySelect
	replyKeys    map[string]string
	replyText    *keyEntry
	replyState   *widget.Label
	replyPreview *widget.Label
	replySave    *widget.Button
	replyReset   *widget.Button
	// The clinic's own replies (settings_replies.go).
	replyBook   *app.ReplyBook // with the clinic's own, as last read
	replyNew    *widget.Button
	replyRemove *widget.Button
	replyName   *keyEntry
	replyAction *keySelect
	replyAdding *fyne.Container // name and action, while adding
	replyErr    *widget.Label   // the text's unknown placeholders, as typed
	adding      bool

	closedList  *fyne.Container
	closedDate  *keyEntry
	closedLabel *keyEntry
	closedAdd   *widget.Button
	closedErr   *widget.Label
	closedDays  []app.Holiday

	imap *imapForm
	db   *dbForm // Inställningar → Databas (settings_db.go)
}

// unitFields are the mottagning's details, per unit; linkFields the
// region's links, the same for every unit.
var unitFields = []struct{ key, label, hint string }{
	{app.SettingMottagningNamn, "Mottagningens namn", "t.ex. BUP Uddevalla"},
	{app.SettingMottagningAdress, "Adress", "Gata, postnummer och ort"},
	{app.SettingMottagningTelefon, "Telefon", "t.ex. 010-435 00 00"},
	{app.SettingMottagningVardgivare, "Vårdgivare", "t.ex. NU-sjukvården, Västra Götalandsregionen"},
	{app.SettingMottagningOrt, "Ort (intygets ort)", "t.ex. Uddevalla"},
}

var linkFields = []struct{ key, label, hint string }{
	{app.SettingLankCentralarkivet, "Länk till centralarkivet (journalkopia)", "https://…"},
	{app.SettingLankEVI, "Länk till En Väg In (egenremiss)", "https://…"},
}

func newSettingsScreen(u *UI) *settingsScreen { return &settingsScreen{u: u} }

func (st *settingsScreen) canEdit() bool { return st.u.canSchedule() }

func (st *settingsScreen) build() fyne.CanvasObject {
	// Mottagning, per unit (settings_units.go).
	unit := st.buildUnits()

	// Standard replies (settings_replies.go).
	replies := st.buildReplies()

	// Closed days.
	st.closedList = container.NewVBox()
	st.closedDate = newKeyEntry(st.u, false)
	st.closedDate.SetPlaceHolder("ÅÅÅÅ-MM-DD")
	st.closedLabel = newKeyEntry(st.u, false)
	st.closedLabel.SetPlaceHolder("t.ex. Klämdag")
	st.closedAdd = widget.NewButtonWithIcon("Lägg till", theme.ContentAddIcon(), st.onClosedAddTapped)
	st.closedErr = widget.NewLabel("")
	st.closedErr.Importance = widget.DangerImportance
	st.closedErr.Hide()
	closed := card("Mottagningens stängda dagar", "Utöver helgdagar, midsommarafton, julafton och nyårsafton. Räknas inte som arbetsdagar för svarsdatum.",
		container.NewVBox(st.closedList,
			container.NewGridWithColumns(3, st.closedDate, st.closedLabel, st.closedAdd), st.closedErr))

	// IMAP.
	st.imap = newIMAPForm(st.u)
	imap := widget.NewCard("E-postkonto för notiser från 1177", "", st.imap.build())

	st.routine = newRoutineSettings(st.u)
	left := container.NewVBox(unit, closed, st.routine.build())
	st.db = newDBForm(st.u)
	if db := st.db.build(); db != nil {
		left.Add(db)
	}
	st.quarantine = newQuarantineSettings(st.u)
	right := container.NewVBox(imap, st.quarantine.build(), replies)
	st.content = container.NewVScroll(container.NewGridWithColumns(2, left, right))
	return st.content
}

// load reads the settings and closed days.
func (st *settingsScreen) load() {
	edit := st.canEdit()
	for _, e := range append(st.unitEntries(), st.unitNew) {
		if edit {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	for _, b := range []*widget.Button{st.unitSave, st.unitAdd, st.closedAdd, st.replyNew} {
		if edit {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	st.imap.setEnabled(edit)
	st.routine.load()
	st.quarantine.load()
	if !edit {
		st.unitInfo.SetText("Endast administratör eller enhetschef/teamledare kan ändra inställningarna: " + app.WhoCanFill(st.u.staff) + ".")
	}
	unitName := st.unitName
	st.u.background(func(ctx context.Context) {
		showUnits, err := st.readUnits(ctx, unitName)
		if err != nil {
			st.u.showError(err)
			return
		}
		days, err := st.u.s.Store.ClosedDays(ctx)
		if err != nil {
			st.u.showError(err)
			return
		}
		staff, err := st.u.s.Store.ListStaff(ctx, false)
		if err != nil {
			st.u.showError(err)
			return
		}
		book, err := st.u.replies.WithCustom(ctx, st.u.s.Store)
		if err != nil {
			st.u.showError(err)
			return
		}
		showIMAP, err := st.imap.load(ctx, staff)
		if err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(func() {
			showUnits()
			st.setReplyOptions(book)
			st.renderClosed(days)
			st.updatePreview()
			showIMAP()
		})
	})
}

// updatePreview fills the edited text with the mottagning's details as
// they stand in the form.
func (st *settingsScreen) updatePreview() {
	if st.replyText == nil || st.replyText.Text == "" {
		st.replyPreview.SetText("")
		return
	}
	vals := app.ReplyValues{"datum": app.DateLongSv(app.DateOf(st.u.s.Now()).AddDays(2)), "arendenummer": "1177-123456",
		"idag": app.DateLongSv(app.DateOf(st.u.s.Now()))}
	names := map[string]string{app.SettingMottagningNamn: "mottagning", app.SettingMottagningAdress: "adress",
		app.SettingMottagningTelefon: "telefon", app.SettingMottagningVardgivare: "vardgivare",
		app.SettingLankCentralarkivet: "lank-centralarkivet", app.SettingLankEVI: "lank-evi"}
	for k, e := range st.unit {
		vals[names[k]] = strings.TrimSpace(e.Text)
	}
	f := app.FillReply(st.replyText.Text, vals)
	text := f.Text
	if len(f.Unknown) > 0 {
		text += "\n\nOkända platshållare: {" + strings.Join(f.Unknown, "}, {") + "}"
	}
	st.replyPreview.SetText(text)
}

func (st *settingsScreen) renderClosed(days []app.Holiday) {
	st.closedDays = days
	st.closedList.Objects = nil
	today := app.DateOf(st.u.s.Now())
	shown := 0
	for _, h := range days {
		if h.Date.Before(today) {
			continue
		}
		shown++
		d := h.Date
		remove := widget.NewButtonWithIcon("Ta bort", theme.DeleteIcon(), func() { st.onClosedRemoveTapped(d) })
		if !st.canEdit() {
			remove.Disable()
		}
		st.closedList.Add(container.NewBorder(nil, nil, nil, remove,
			widget.NewLabel(dayName(d)+" "+strconv.Itoa(d.Year)+": "+h.Name)))
	}
	if shown == 0 {
		st.closedList.Add(widget.NewLabel("Inga egna stängda dagar framåt."))
	}
	st.closedList.Refresh()
}

func (st *settingsScreen) onClosedAddTapped() {
	if !st.canEdit() {
		return
	}
	st.closedErr.Hide()
	d, err := app.ParseDate(strings.TrimSpace(st.closedDate.Text))
	if err != nil {
		st.closedErr.SetText("Datumet ska skrivas ÅÅÅÅ-MM-DD och finnas i kalendern, t.ex. 2026-05-15.")
		st.closedErr.Show()
		return
	}
	if reason, closed := st.u.s.Store.Calendar().ClosedReason(d); closed {
		st.closedErr.SetText(dayName(d) + " är redan stängd: " + reason + ".")
		st.closedErr.Show()
		return
	}
	label := strings.TrimSpace(st.closedLabel.Text)
	if label == "" {
		label = "Klämdag"
	}
	st.u.background(func(ctx context.Context) {
		if err := st.u.s.Store.SetClosedDay(ctx, d, label, true); err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(func() {
			st.closedDate.SetText("")
			st.closedLabel.SetText("")
			st.load()
		})
	})
}

func (st *settingsScreen) onClosedRemoveTapped(d app.Date) {
	if !st.canEdit() {
		return
	}
	st.u.background(func(ctx context.Context) {
		if err := st.u.s.Store.SetClosedDay(ctx, d, "", false); err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(st.load)
	})
}
