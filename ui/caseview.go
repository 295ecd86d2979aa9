package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// caseScreen is one case against the routine: its text, the flow's
// checklist, the actions, standard replies, notes and history.
type caseScreen struct {
	u       *UI
	id      int64
	c       *app.Case
	events  []app.Event
	audited bool
	content fyne.CanvasObject

	back     *widget.Button
	title    *widget.Label
	meta     *widget.Label
	due      *widget.Label
	dueIcon  *widget.Icon
	status   *widget.Label
	assignee *widget.Label
	patient  *widget.Label
	melior   *fyne.Container
	routine  *widget.Label
	// staffHint is the routine's pointer for staff (menprövning for a
	// journalkopia), never sent to the citizen.
	staffHint *widget.Label
	// closeWarning is the last warning shown at closing (for tests).
	closeWarning string
	// load and onDuty: Fördela's open cases per person and today's
	// 1177-ansvarig, read with the case.
	openLoad map[string]int
	onDuty   string
	// wording: on an okand case, the type name as 1177 wrote it, for
	// "Den här formuleringen betyder …".
	wording *keyEntry

	branch *fyne.Container // the avboka branch picker, when the flow forks
	steps  *fyne.Container
	checks map[string]*keyCheck

	assignTo   *keySelect
	assignKeys map[string]string // option → HSA-ID
	assignBtn  *widget.Button
	assignMe   *widget.Button
	delsvar    *widget.Button
	motfraga   *widget.Button
	replied    *widget.Button
	closeBtn   *widget.Button
	reopen     *widget.Button

	replySel    *keySelect
	replyKeys   map[string]string // option → reply key
	replyText   *keyEntry
	replyInfo   *widget.Label
	copyBtn     *widget.Button
	markSentBtn *widget.Button

	rerouteSel  *keySelect
	rerouteKeys map[string]string
	rerouteBtn  *widget.Button
	ageHint     *fyne.Container

	note    *keyEntry
	noteBtn *widget.Button

	// The patient the case is about, entered by staff.
	patientPnr  *widget.Entry
	patientName *widget.Entry
	patientErr  *widget.Label
	patientBtn  *widget.Button

	history *fyne.Container

	typeActions *fyne.Container // Återöppna and the type's own actions
	flow        *intygFlow      // the intyg flow, while it is open
	live        *caseLive       // who else has it open, who changed it (caselive.go)
}

func newCaseScreen(u *UI, id int64) *caseScreen {
	return &caseScreen{u: u, id: id}
}

func (cv *caseScreen) build() fyne.CanvasObject {
	cv.back = widget.NewButtonWithIcon("Till inkorgen (Esc)", theme.NavigateBackIcon(), cv.onBackTapped)
	cv.title = widget.NewLabelWithStyle("Läser ärendet …", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	cv.title.SizeName = theme.SizeNameSubHeadingText
	cv.title.Wrapping = fyne.TextWrapWord
	cv.meta = wrapLabel("")
	cv.due = boldLabel("")
	cv.dueIcon = widget.NewIcon(nil)
	cv.status = widget.NewLabel("")
	cv.assignee = widget.NewLabel("")
	cv.patient = widget.NewLabel("")
	cv.patient.Truncation = fyne.TextTruncateEllipsis
	cv.patient.Hide()

	warn := boldLabel("Dokumenterat i Melior men inte avslutat i 1177")
	warn.Importance = widget.DangerImportance
	warnText := wrapLabel("Enligt rutinen är ärendet inte klart förrän det är besvarat och avslutat i 1177.")
	cv.melior = container.NewBorder(nil, nil, widget.NewIcon(theme.NewErrorThemedResource(theme.WarningIcon())), nil,
		container.NewVBox(warn, warnText))
	cv.melior.Hide()

	cv.routine = wrapLabel("")
	cv.staffHint = wrapLabel("")
	cv.staffHint.Importance = widget.WarningImportance
	cv.staffHint.Hide()
	cv.branch = container.NewVBox()
	cv.steps = container.NewVBox()
	cv.history = container.NewVBox()

	// Actions.
	cv.assignTo = newKeySelect(cv.u, nil, cv.onAssigneeChosen)
	cv.assignTo.PlaceHolder = "Välj person …"
	cv.assignBtn = widget.NewButtonWithIcon("Fördela", theme.AccountIcon(), cv.onAssignTapped)
	cv.assignMe = widget.NewButton("Ta ärendet själv", cv.onAssignMeTapped)
	cv.delsvar = widget.NewButtonWithIcon("Delsvar skickat", theme.MailSendIcon(), cv.onDelsvarTapped)
	cv.motfraga = widget.NewButtonWithIcon("Motfråga ställd", theme.QuestionIcon(), cv.onMotfragaTapped)
	cv.replied = widget.NewButtonWithIcon("Invånaren har svarat", theme.MailReplyIcon(), cv.onRepliedTapped)
	cv.closeBtn = widget.NewButtonWithIcon("Besvarat och avslutat", theme.ConfirmIcon(), cv.onCloseTapped)
	cv.closeBtn.Importance = widget.HighImportance
	cv.reopen = widget.NewButtonWithIcon("Återöppna", theme.ViewRefreshIcon(), cv.onReopenTapped)
	cv.typeActions = container.NewHBox(cv.reopen)
	feedbackHint := wrapLabel("Första återkopplingen (delsvar, motfråga eller svar) stoppar klockan för två arbetsdagar.")
	feedbackHint.TextStyle = fyne.TextStyle{Italic: true}
	// The actions are two rows under the summary, outside any scroll:
	// always in view, and nothing above them comes or goes.
	actions := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(cv.assignBtn, cv.assignMe, widget.NewSeparator(), cv.delsvar, cv.motfraga),
			cv.assignTo),
		container.NewBorder(nil, nil, container.NewHBox(cv.replied, cv.closeBtn), nil, cv.typeActions))

	// Standard replies.
	cv.replySel = newKeySelect(cv.u, nil, cv.onReplyChosen)
	cv.replySel.PlaceHolder = "Välj standardsvar …"
	cv.replyText = newKeyEntry(cv.u, true)
	cv.replyText.SetMinRowsVisible(2) // it takes the column's height
	cv.replyText.SetPlaceHolder("Välj ett standardsvar ovan. Texten fylls i med mottagningens uppgifter.")
	cv.replyInfo = wrapLabel("")
	cv.replyInfo.Hide()
	cv.copyBtn = widget.NewButtonWithIcon("Kopiera", theme.ContentCopyIcon(), cv.onCopyTapped)
	cv.markSentBtn = widget.NewButtonWithIcon("Markera som skickat", theme.MailSendIcon(), cv.onMarkSentTapped)
	cv.copyBtn.Disable()
	cv.markSentBtn.Disable()
	// The reply's text takes the column's height; Kopiera and Markera
	// som skickat stay on its bottom line, what they say appears above.
	replies := container.NewBorder(container.NewBorder(nil, nil, boldLabel("Standardsvar"), nil, cv.replySel),
		actionBar(capped(2, cv.replyInfo), container.NewHBox(cv.copyBtn, cv.markSentBtn), nil), nil, nil, cv.replyText)

	// Notes.
	cv.note = newKeyEntry(cv.u, true)
	cv.note.SetMinRowsVisible(3)
	cv.note.SetPlaceHolder("Skriv en anteckning om ärendet (ingen journaltext).")
	cv.noteBtn = widget.NewButtonWithIcon("Spara anteckning", theme.DocumentCreateIcon(), cv.onNoteTapped)
	notes := widget.NewCard("Anteckning", "", container.NewVBox(cv.note, container.NewHBox(cv.noteBtn)))

	// Patient.
	cv.patientPnr = widget.NewEntry()
	cv.patientPnr.SetPlaceHolder("Personnummer, ÅÅÅÅMMDD-NNNN")
	cv.patientPnr.OnChanged = func(string) { cv.patientErr.Hide() }
	cv.patientName = widget.NewEntry()
	cv.patientName.SetPlaceHolder("Namn")
	cv.patientErr = widget.NewLabel("")
	cv.patientErr.Importance = widget.DangerImportance
	cv.patientErr.Wrapping = fyne.TextWrapWord
	cv.patientErr.Hide()
	cv.patientBtn = widget.NewButtonWithIcon("Spara patient", theme.AccountIcon(), cv.onPatientTapped)
	patientCard := widget.NewCard("Patient", "", container.NewVBox(
		container.NewGridWithColumns(2, cv.patientPnr, cv.patientName), reserve(1, cv.patientErr), container.NewHBox(cv.patientBtn)))

	// Re-route.
	cv.rerouteSel = newKeySelect(cv.u, nil, nil)
	cv.rerouteSel.PlaceHolder = "Välj rätt ärendetyp …"
	cv.rerouteBtn = widget.NewButtonWithIcon("Styr om", theme.MoveDownIcon(), cv.onRerouteTapped)
	cv.ageHint = container.NewVBox()
	reroute := widget.NewCard("Styr om till annan ärendetyp", "", container.NewVBox(
		cv.ageHint, container.NewBorder(nil, nil, nil, cv.rerouteBtn, cv.rerouteSel)))

	// The summary's lines are there from the start (the patient shares
	// the deadline's line): nothing in the header comes or goes, so
	// nothing below it moves.
	deadline := container.NewHBox(cv.dueIcon, cv.due)
	summary := container.NewVBox(cv.meta,
		container.NewBorder(nil, nil, container.NewHBox(deadline, widget.NewSeparator(), cv.status, widget.NewSeparator(), cv.assignee,
			widget.NewSeparator()), nil, cv.patient))
	// The banners that come and go (the Melior warning, who else has the
	// case open, who changed it) sit under the left column's scroll: they
	// shorten its view from below and move nothing.
	notices := container.NewVBox(cv.melior, cv.buildLive())
	left := container.NewBorder(nil, notices, nil, nil, container.NewVScroll(container.NewVBox(
		card("Checklista", "Bocka av varje steg när det är gjort. Att ta bort en bock registreras också.", container.NewVBox(cv.branch, cv.steps)),
		widget.NewCard("Rutinen", "", container.NewVBox(feedbackHint, cv.routine, cv.staffHint)),
		notes, patientCard, reroute,
		widget.NewCard("Historik", "", cv.history))))
	body := container.NewGridWithColumns(2, left, replies)
	cv.content = container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, cv.back, nil, cv.title), summary, actions, widget.NewSeparator()),
		nil, nil, nil, smallHeadings(body))
	cv.setEnabled(false)
	return cv.content
}

func (cv *caseScreen) onBackTapped() { cv.u.closeCase() }

// load reads the case and its history; opening a case that holds patient
// data writes a row in the access log.
func (cv *caseScreen) load() {
	audit := !cv.audited
	cv.audited = true
	actor := cv.u.actor()
	cv.u.background(func(ctx context.Context) {
		c, err := cv.u.s.Store.Case(ctx, cv.id)
		if err != nil {
			cv.u.showError(err)
			return
		}
		if audit && c.HasPatientData() {
			if err := cv.u.s.Store.Audit(ctx, app.AuditEntry{At: cv.u.s.Now(), Actor: actor, Unit: c.Unit,
				Patient: c.PatientPnr, CaseID: c.ID, Action: app.AuditView}); err != nil {
				// Patient data is not shown without its access-log row.
				cv.u.showError(err)
				return
			}
		}
		evs, err := cv.u.s.Store.Events(ctx, cv.id)
		if err != nil {
			cv.u.showError(err)
			return
		}
		load, onDuty, err := cv.readLoad(ctx)
		if err != nil {
			cv.u.showError(err)
			return
		}
		fyne.Do(func() {
			cv.openLoad, cv.onDuty = load, onDuty
			cv.render(c, evs)
		})
	})
}

// update changes the case through a domain method and shows the result.
// The action is taken on the case as shown (its version): when someone
// else changed it since, the store applies it in order or refuses it, as
// app decides, and then the fresh case is shown.
func (cv *caseScreen) update(fn func(c *app.Case, actor string, now time.Time) ([]app.Event, error), after func()) {
	actor, now := cv.u.actor(), cv.u.s.Now()
	var seen int64
	if cv.c != nil {
		seen = cv.c.Version
	}
	cv.setEnabled(false)
	cv.u.background(func(ctx context.Context) {
		c, err := cv.u.s.Store.UpdateCaseIf(ctx, cv.id, actor, seen, func(c *app.Case) ([]app.Event, error) {
			return fn(c, actor, now)
		})
		var evs []app.Event
		if err == nil {
			evs, err = cv.u.s.Store.Events(ctx, cv.id)
		}
		var load map[string]int
		var onDuty string
		if err == nil {
			load, onDuty, err = cv.readLoad(ctx)
		}
		if cv.refused(err) {
			return
		}
		if err != nil {
			cv.u.showError(err)
			fyne.Do(func() {
				if cv.c != nil {
					cv.render(cv.c, cv.events) // undo the checkbox the user ticked
				}
			})
			return
		}
		fyne.Do(func() {
			cv.openLoad, cv.onDuty = load, onDuty
			cv.render(c, evs)
			if after != nil {
				after()
			}
		})
		cv.u.refreshHeader()
	})
}

func (cv *caseScreen) setEnabled(on bool) {
	for _, b := range []*widget.Button{cv.assignBtn, cv.assignMe, cv.delsvar, cv.motfraga, cv.replied, cv.closeBtn,
		cv.reopen, cv.noteBtn, cv.rerouteBtn, cv.patientBtn} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// render shows case c with its events.
func (cv *caseScreen) render(c *app.Case, evs []app.Event) {
	cv.c, cv.events = c, evs
	now := cv.u.s.Now()
	t := c.TypeInfo()
	cv.title.SetText(t.Name)
	meta := []string{}
	if t.Group != "" {
		meta = append(meta, t.Group)
	}
	if c.Reference != "" {
		meta = append(meta, "Ärendenummer "+c.Reference)
	}
	if c.Unit != "" {
		meta = append(meta, c.Unit)
	}
	meta = append(meta, "Inkom "+whenAt(c.ReceivedAt, cv.u.s.Now()), "Ärende nr "+itoa(int(c.ID)))
	cv.meta.SetText(strings.Join(meta, " · "))

	flag := c.Flag(now)
	cv.due.SetText(cv.dueLine(c, flag, now))
	switch flag {
	case app.FlagOverdue:
		cv.due.Importance = widget.DangerImportance
		cv.dueIcon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	case app.FlagDueToday:
		cv.due.Importance = widget.WarningImportance
		cv.dueIcon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	case app.FlagAnswered, app.FlagClosed:
		cv.due.Importance = widget.SuccessImportance
		cv.dueIcon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	default:
		cv.due.Importance = widget.MediumImportance
		cv.dueIcon.SetResource(theme.HistoryIcon())
	}
	if c.Broken != "" {
		cv.due.SetText(c.Broken)
		cv.due.Importance = widget.DangerImportance
		cv.dueIcon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	}
	cv.due.Refresh()
	cv.status.SetText("Status: " + c.Status.Swedish())
	if c.Assignee == "" {
		cv.assignee.SetText("Handläggare: ingen (ofördelat)")
	} else {
		cv.assignee.SetText("Handläggare: " + cv.u.staffName(c.Assignee))
	}
	if c.HasPatientData() {
		p := "Patient: " + c.PatientName
		if c.PatientPnr != "" {
			p += " " + c.PatientPnr.String()
		}
		cv.patient.SetText(strings.TrimSpace(p))
		cv.patient.Show()
	} else {
		cv.patient.Hide()
	}
	if c.PatientPnr != "" {
		cv.patientPnr.SetText(c.PatientPnr.String())
	} else {
		cv.patientPnr.SetText("")
	}
	cv.patientName.SetText(c.PatientName)
	if c.MeliorWarning() {
		cv.melior.Show()
	} else {
		cv.melior.Hide()
	}
	cv.routine.SetText(t.Routine)
	if t.StaffHint != "" {
		cv.staffHint.SetText(t.StaffHint)
		cv.staffHint.Show()
	} else {
		cv.staffHint.Hide()
	}
	cv.closeBtn.SetText(t.CloseLabel())

	cv.renderBranch(c)
	cv.renderSteps(c)
	cv.renderActions(c)
	cv.renderTypeActions(c)
	cv.renderReplies(c)
	cv.renderReroute(c)
	cv.renderHistory(c, evs)
	cv.content.Refresh()
}

func (cv *caseScreen) renderBranch(c *app.Case) {
	f := c.Flow()
	cv.branch.Objects = nil
	if len(f.Branches) == 0 {
		cv.branch.Refresh()
		return
	}
	var names []string
	selected := ""
	for _, b := range f.Branches {
		names = append(names, b.Name)
		if b.Key == c.Branch {
			selected = b.Name
		}
	}
	radio := widget.NewRadioGroup(names, nil)
	radio.Selected = selected
	if c.Status == app.StatusAvslutad {
		radio.Disable() // reopen the case to choose another way
	}
	radio.OnChanged = func(name string) {
		for _, b := range f.Branches {
			if b.Name == name && b.Key != c.Branch {
				key := b.Key
				cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
					return c.ChooseBranch(key, actor, now)
				}, nil)
			}
		}
	}
	cv.branch.Objects = []fyne.CanvasObject{boldLabel("Vad vill invånaren?"), radio, widget.NewSeparator()}
	cv.branch.Refresh()
}

// stepWhoWidth is the width of the checklist's "who ticked it" column.
const stepWhoWidth = 190

func (cv *caseScreen) renderSteps(c *app.Case) {
	cv.checks = map[string]*keyCheck{}
	cv.steps.Objects = nil
	steps := c.Flow().StepsFor(c.Branch)
	if len(steps) == 0 {
		cv.steps.Objects = append(cv.steps.Objects, wrapLabel("Välj ovan vad invånaren vill, så visas stegen."))
	}
	for i, s := range steps {
		key := s.Key
		// The step's text wraps beside the box: a check's own label does
		// not, and the routine's steps are long.
		check := newKeyCheck(cv.u, "", nil)
		state, done := c.Steps[key]
		check.Checked = done
		check.OnChanged = func(on bool) {
			cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
				return c.SetStep(key, on, actor, now)
			}, nil)
		}
		cv.checks[key] = check
		text := wrapLabel(itoa(i+1) + ". " + s.Text)
		// Who ticked it, and when, beside the step in a column kept for
		// it: ticking a step moves none below it.
		who := widget.NewLabel("")
		who.TextStyle = fyne.TextStyle{Italic: true}
		who.Truncation = fyne.TextTruncateEllipsis
		if done {
			who.SetText(cv.u.staffName(state.By) + " " + state.At.In(app.Stockholm).Format("2/1 15:04"))
		}
		cv.steps.Objects = append(cv.steps.Objects, container.NewBorder(nil, nil, check,
			container.NewGridWrap(fyne.NewSize(stepWhoWidth, who.MinSize().Height), who), text))
	}
	cv.steps.Refresh()
}

func (cv *caseScreen) renderActions(c *app.Case) {
	open := c.Status != app.StatusAvslutad
	cv.assignKeys = map[string]string{}
	var opts []string
	suggested := ""
	// The routine decides who is offered first: the type's roles; each
	// with the open cases they hold, and the one of the right role with
	// the fewest suggested. The choice stays the user's.
	for _, o := range app.AssignOptions(c.TypeInfo(), cv.u.staff, cv.openLoad, cv.onDuty) {
		label := assignOptionLabel(o)
		opts = append(opts, label)
		cv.assignKeys[label] = o.Staff.HSAID
		if o.Suggested {
			suggested = label
		}
	}
	cv.assignTo.Options = opts
	cv.assignTo.ClearSelected()
	if open && suggested != "" && c.Assignee == "" {
		cv.assignTo.SetSelected(suggested)
	}
	set := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	set(cv.assignBtn, open && cv.assignTo.Selected != "") // Fördela needs a person
	set(cv.assignMe, open && c.Assignee != cv.u.actor())
	set(cv.delsvar, open)
	set(cv.motfraga, open && c.Status != app.StatusVantar)
	set(cv.replied, c.Status == app.StatusVantar)
	set(cv.closeBtn, open)
	set(cv.reopen, !open)
	set(cv.noteBtn, true)
	set(cv.patientBtn, true)
	if open {
		cv.assignTo.Enable()
	} else {
		cv.assignTo.Disable()
	}
}

// renderTypeActions shows Återöppna and what the case's type adds: the
// guided intyg for vård av barn under 12 år, the prescription log for
// förnya recept.
func (cv *caseScreen) renderTypeActions(c *app.Case) {
	objs := []fyne.CanvasObject{cv.reopen}
	switch c.Type {
	case app.TypeVABUnder12:
		b := widget.NewButtonWithIcon("Skriv intyg", theme.DocumentCreateIcon(), cv.onIntygTapped)
		b.Importance = widget.HighImportance
		objs = append(objs, b)
	case app.TypeFornyaRecept:
		e := app.ReceptEntry{CaseID: c.ID, PatientPnr: c.PatientPnr, PatientName: c.PatientName}
		objs = append(objs, widget.NewButtonWithIcon("Anteckna i receptloggen", theme.DocumentCreateIcon(), func() {
			showReceptDialog(&cv.u.runner, cv.u.s.Store, cv.u.actor, cv.u.s.Now, cv.u.win, e, func(app.ReceptEntry) { cv.load() })
		}))
	}
	cv.typeActions.Objects = objs
	cv.typeActions.Refresh()
}

func (cv *caseScreen) onAssignTapped() {
	id, ok := cv.assignKeys[cv.assignTo.Selected]
	if !ok {
		cv.u.showError(app.FieldErrorf("assignee", "välj vem ärendet ska fördelas till"))
		return
	}
	cv.assign(id)
}

func (cv *caseScreen) onAssignMeTapped() { cv.assign(cv.u.actor()) }

// assign fördelar the case to the staff member hsaID (AssignTo: to an
// intygshanterare it also ticks "Fördelat till intygshanterare").
func (cv *caseScreen) assign(hsaID string) {
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		for _, s := range cv.u.staff {
			if s.HSAID == hsaID {
				return c.AssignTo(s, actor, now)
			}
		}
		return c.Assign(hsaID, actor, now)
	}, nil)
}

func (cv *caseScreen) onDelsvarTapped() {
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) { return c.Delsvar(actor, now) }, nil)
}

func (cv *caseScreen) onMotfragaTapped() {
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) { return c.Motfraga(actor, now) }, nil)
}

func (cv *caseScreen) onRepliedTapped() {
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.CitizenAnswered(actor, now, cv.u.s.Store.Calendar())
	}, nil)
}

// recordClose records that the case was closed in 1177 (staff did it
// there; onCloseTapped asks first). Steps the routine puts before closing that are not ticked are
// named in a warning once it is recorded: a warning, not a block; the
// steps stay in view as efterarbete.
func (cv *caseScreen) recordClose() {
	warning := ""
	if cv.c != nil {
		warning = cv.c.CloseWarning()
	}
	cv.closeWarning = ""
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) { return c.Close(actor, now) }, func() {
		if warning == "" {
			return
		}
		cv.closeWarning = warning
		msg := wrapLabel(warning + " Stegen ligger kvar under Efterarbete tills de är avbockade.")
		dialog.NewCustom("Steg kvar", "Stäng", container.NewGridWrap(fyne.NewSize(440, msg.MinSize().Height*4), msg), cv.u.win).Show()
	})
}

// readLoad reads Fördela's load: open cases per person and today's
// 1177-ansvarig.
func (cv *caseScreen) readLoad(ctx context.Context) (map[string]int, string, error) {
	load, err := cv.u.s.Store.OpenCasesByAssignee(ctx)
	if err != nil {
		return nil, "", err
	}
	today := app.DateOf(cv.u.s.Now())
	sched, err := cv.u.s.Store.Schedule(ctx, today, today)
	if err != nil {
		return nil, "", err
	}
	return load, sched[today], nil
}

// assignOptionLabel is one person in the Fördela list: name, roles, load,
// whether on duty today, and the suggestion.
func assignOptionLabel(o app.AssignOption) string {
	label := o.Staff.Name + " – " + o.Staff.RoleNames()
	switch o.Open {
	case 1:
		label += " · 1 öppet ärende"
	default:
		label += " · " + itoa(o.Open) + " öppna ärenden"
	}
	if o.OnDuty {
		label += " · 1177-ansvarig idag"
	}
	if o.Suggested {
		label += " · förslag"
	}
	return label
}

func (cv *caseScreen) onReopenTapped() {
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) { return c.Reopen(actor, now) }, nil)
}
