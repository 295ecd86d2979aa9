package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// What staff change about a case besides its flow: its type (re-routing),
// its patient and its notes; and its history.

func (cv *caseScreen) renderReroute(c *app.Case) {
	cv.rerouteKeys = map[string]string{}
	var opts []string
	for _, t := range app.CaseTypes() {
		if t.Key == c.Type || t.Key == app.TypeOkand {
			continue
		}
		opts = append(opts, t.Name)
		cv.rerouteKeys[t.Name] = t.Key
	}
	cv.rerouteSel.Options = opts
	cv.rerouteSel.ClearSelected()
	if c.Status == app.StatusAvslutad {
		cv.rerouteBtn.Disable()
		cv.rerouteSel.Disable()
	} else {
		cv.rerouteBtn.Enable()
		cv.rerouteSel.Enable()
	}
	cv.ageHint.Objects = nil
	if c.Type == app.TypeOkand && c.Status != app.StatusAvslutad && cv.u.isAdmin() {
		// "Den här formuleringen betyder …": the wording as 1177 wrote
		// it, learned for later notices, and this case re-routed.
		if cv.wording == nil {
			cv.wording = newKeyEntry(cv.u, false)
			cv.wording.SetPlaceHolder("Ärendetypen som 1177 skrev den")
		}
		learn := widget.NewButton("Den här formuleringen betyder vald ärendetyp", cv.onLearnWordingTapped)
		cv.ageHint.Objects = []fyne.CanvasObject{wrapLabel("Okänd ärendetyp. Skriv formuleringen från 1177 och välj ärendetyp nedan: senare notiser med samma formulering får den typen."),
			cv.wording, learn}
	}
	if c.Type == app.TypeVABUnder12 && c.Status != app.StatusAvslutad {
		hint := wrapLabel("Har barnet fyllt 12 år första vårddagen är det ett läkarintyg (vård av barn 12 - 16 år).")
		to := widget.NewButton("Styr om till "+app.TypeName(app.TypeVAB1216), func() { cv.reroute(app.TypeVAB1216) })
		cv.ageHint.Objects = []fyne.CanvasObject{hint, to}
	}
	cv.ageHint.Refresh()
}

func (cv *caseScreen) onRerouteTapped() {
	key, ok := cv.rerouteKeys[cv.rerouteSel.Selected]
	if !ok {
		cv.u.showError(app.FieldErrorf("type", "välj vilken ärendetyp ärendet ska styras om till"))
		return
	}
	cv.reroute(key)
}

// reroute changes the case's type to key, once confirmed (caseconfirm.go).
func (cv *caseScreen) reroute(key string) {
	cv.confirmReroute(key, func() { cv.recordReroute(key) })
}

func (cv *caseScreen) recordReroute(key string) {
	cv.replyKeys = nil // the suggested replies follow the type
	cv.replySel.ClearSelected()
	cv.replyText.SetText("")
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.Reroute(key, actor, now)
	}, nil)
}

// onLearnWordingTapped teaches the wording typed as the type chosen in
// the re-route list (the store audits it) and re-routes this case.
func (cv *caseScreen) onLearnWordingTapped() {
	key, ok := cv.rerouteKeys[cv.rerouteSel.Selected]
	if !ok {
		cv.u.showError(app.FieldErrorf("type", "välj vilken ärendetyp formuleringen betyder"))
		return
	}
	wording, actor := cv.wording.Text, cv.u.actor()
	cv.u.background(func(ctx context.Context) {
		if err := cv.u.s.Store.LearnTypeWording(ctx, actor, wording, key); err != nil {
			cv.u.showError(err)
			return
		}
		fyne.Do(func() {
			cv.wording.SetText("")
			cv.recordReroute(key) // asked for by name: no question
		})
	})
}

// onPatientTapped validates the personnummer in the field, before
// anything is saved, and stores the patient.
func (cv *caseScreen) onPatientTapped() {
	pnr, name := cv.patientPnr.Text, cv.patientName.Text
	if _, err := app.ParsePersonnummerOn(pnr, app.DateOf(cv.u.s.Now())); strings.TrimSpace(pnr) != "" && err != nil {
		cv.patientErr.SetText(capitalize(app.ErrorMessage(err)))
		cv.patientErr.Show()
		return
	}
	cv.patientErr.Hide()
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SetPatient(pnr, name, actor, now)
	}, nil)
}

func (cv *caseScreen) onNoteTapped() {
	text := cv.note.Text
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.AddNote(text, actor, now)
	}, func() { cv.note.SetText("") })
}

// eventText is one line of the history in the clinic's words.
func (cv *caseScreen) eventText(c *app.Case, e app.Event) string {
	switch e.Kind {
	case app.EventStepDone, app.EventStepUndone:
		text := e.Detail
		if s, ok := c.Flow().Step(e.Detail); ok {
			text = s.Text
		}
		if e.Kind == app.EventStepDone {
			return "Klart: " + text
		}
		return "Bock borttagen: " + text
	case app.EventAssigned:
		return "Fördelat till " + cv.u.staffName(e.Detail)
	case app.EventRerouted:
		from, to, ok := strings.Cut(e.Detail, "→")
		if ok {
			return "Omstyrt från " + app.TypeName(from) + " till " + app.TypeName(to)
		}
	case app.EventNotice:
		switch e.Detail {
		case app.NoticeTilldelat:
			return "Ny notis från 1177: ärendet tilldelat"
		case app.NoticeInkommit:
			return "Ny notis från 1177: ärendet inkommit"
		}
	}
	return e.Swedish()
}

func (cv *caseScreen) renderHistory(c *app.Case, evs []app.Event) {
	cv.history.Objects = nil
	for i := len(evs) - 1; i >= 0; i-- { // newest first
		e := evs[i]
		line := widget.NewRichText(
			&widget.TextSegment{Text: whenAt(e.At, cv.u.s.Now()) + " · " + cv.u.staffName(e.Actor) + ":  ",
				Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}},
			&widget.TextSegment{Text: cv.eventText(c, e), Style: widget.RichTextStyleInline})
		line.Wrapping = fyne.TextWrapWord
		cv.history.Objects = append(cv.history.Objects, line)
	}
	if len(evs) == 0 {
		cv.history.Objects = append(cv.history.Objects, widget.NewLabel("Ingen historik."))
	}
	cv.history.Refresh()
}
