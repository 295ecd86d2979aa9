package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Decisions that cannot be taken back ask first: closing a case in 1177
// (and whether an answer was marked as sent), re-routing it to another
// type (its checklist starts over), removing an intyg period with dates
// in it. Fördela waits for a person to be chosen.

// confirmed is a question asked (for tests): its title and text.
type confirmed struct{ title, text, warning string }

// confirm asks title/text in a dialog, with warning (when set) above it in
// the error colour; onYes runs when the answer is yes.
func (u *UI) confirm(title, text, warning, yes string, onYes func()) {
	u.lastConfirm = confirmed{title, text, warning}
	var objs []fyne.CanvasObject
	lines := 0
	if warning != "" {
		w := wrapLabel(warning)
		w.Importance = widget.DangerImportance
		w.TextStyle = fyne.TextStyle{Bold: true}
		objs = append(objs, container.NewBorder(nil, nil,
			container.NewVBox(widget.NewIcon(theme.NewErrorThemedResource(theme.WarningIcon()))), nil, w))
		lines += wrapLines(warning)
	}
	msg := wrapLabel(text)
	objs = append(objs, msg)
	lines += wrapLines(text)
	lineH := fyne.MeasureText("Åg", theme.TextSize(), fyne.TextStyle{Bold: true}).Height
	h := float32(lines)*lineH + float32(len(objs))*(2*theme.InnerPadding()+theme.Padding())
	body := container.NewGridWrap(fyne.NewSize(460, h), container.NewVBox(objs...))
	d := dialog.NewCustomConfirm(title, yes, "Avbryt", body, func(ok bool) {
		if ok {
			onYes()
		}
	}, u.win)
	d.Show()
}

// wrapLines estimates how many lines text takes in a 460 px dialog
// (about 55 characters a line, one more for the words that do not fit).
func wrapLines(text string) int {
	return len([]rune(text))/55 + 1
}

// onCloseTapped asks before the case is recorded as closed in 1177, and
// warns when no answer was marked as sent.
func (cv *caseScreen) onCloseTapped() {
	if cv.c == nil {
		return
	}
	t := cv.c.TypeInfo()
	warning := ""
	if app.NoAnswerMarkedSent(cv.c, cv.events) {
		warning = "Inget svar är markerat som skickat i ärendet. Skicka svaret i 1177 först (Standardsvar → Markera som skickat), om det inte redan är gjort."
	}
	text := "Ärendet registreras som besvarat och avslutat i 1177 och flyttas till Avslutade. Gör det när svaret är skickat och ärendet avslutat i 1177."
	if t.ClosesWithoutReply() {
		text = "Ärendet registreras som avslutat i 1177 utan svar och flyttas till Avslutade. Gör det när ärendet är avslutat i 1177."
	}
	cv.u.confirm(t.CloseLabel()+"?", text, warning, t.CloseLabel(), cv.recordClose)
}

// confirmReroute asks before the case becomes a case of type key, then
// runs do.
func (cv *caseScreen) confirmReroute(key string, do func()) {
	if cv.c == nil {
		return
	}
	text := "Ärendet blir " + app.TypeName(key) + " i stället för " + app.TypeName(cv.c.Type) +
		". Checklistan börjar om med den nya typens steg, och förslagen på vem som ska ha ärendet följer den nya typen."
	cv.u.confirm("Styra om ärendet?", text, "", "Styr om", do)
}

// onAssigneeChosen enables Fördela once a person is chosen.
func (cv *caseScreen) onAssigneeChosen(choice string) {
	if cv.assignBtn == nil {
		return
	}
	if choice != "" && cv.c != nil && cv.c.Status != app.StatusAvslutad {
		cv.assignBtn.Enable()
	} else {
		cv.assignBtn.Disable()
	}
}

// dueLine is the deadline line of the case: "Svar senast tis 24/11 –
// Återkopplat", and for a case answered after its due date how late it
// was ("– Besvarad sent (1 dag)").
func (cv *caseScreen) dueLine(c *app.Case, flag app.Flag, now time.Time) string {
	line := "Svar senast " + dateSv(c.ShownDue(), app.DateOf(now)) + " – " + flag.Swedish()
	if flag == app.FlagAnswered || flag == app.FlagClosed {
		if late := app.LateLabel(c.FeedbackLateDays(cv.u.s.Store.Calendar())); late != "" {
			line += " · " + late
		}
	}
	return line
}
