package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The case's steps around the intyg: the delsvar (page 1), original and
// copy sent (page 5), and the final answer that closes the case (page 6).

func (f *intygFlow) buildDelsvar() fyne.CanvasObject {
	f.delsvarText = f.replyEntry(func() *widget.Label { return f.delsvarInfo })
	f.delsvarCopy = widget.NewButtonWithIcon("Kopiera", theme.ContentCopyIcon(), f.onDelsvarCopyTapped)
	f.delsvarSent = widget.NewButtonWithIcon("Markera delsvar som skickat", theme.MailSendIcon(), f.onDelsvarSentTapped)
	f.delsvarInfo = wrapLabel("")
	f.delsvarInfo.Hide()
	page := card("Delsvar", "Skicka ett delsvar i 1177 medan intyget skrivs: kopiera texten, klistra in den i 1177, "+
		"skicka den där och markera den sedan som skickad. Första återkopplingen stoppar klockan.",
		widget.NewCard("", "", f.delsvarText))
	f.pageBars[intygPageDelsvar] = intygPageBar{info: f.delsvarInfo, buttons: container.NewHBox(f.delsvarCopy, f.delsvarSent)}
	return page
}

func (f *intygFlow) buildSent() fyne.CanvasObject {
	f.sentChecks = map[string]*widget.Check{}
	f.sentInfo = map[string]*widget.Label{}
	box := container.NewVBox()
	for _, s := range []struct{ key, text string }{
		{app.StepOriginalFK, "Original skickat till Försäkringskassan"},
		{app.StepKopiaVardnadshavare, "Kopia skickad till vårdnadshavare"},
	} {
		key := s.key
		check := widget.NewCheck(s.text, func(on bool) { f.onSentChanged(key, on) })
		info := widget.NewLabel("")
		info.TextStyle = fyne.TextStyle{Italic: true}
		f.sentChecks[key], f.sentInfo[key] = check, info
		box.Add(check)
		box.Add(container.NewBorder(nil, nil, widget.NewLabel("   "), nil, info))
	}
	return card("Skickat", "Bocka i när originalet är postat till Försäkringskassan och kopian med följebrevet "+
		"till vårdnadshavaren. Datumet registreras.", box)
}

func (f *intygFlow) buildClose() fyne.CanvasObject {
	f.finalText = f.replyEntry(func() *widget.Label { return f.finalInfo })
	f.finalCopy = widget.NewButtonWithIcon("Kopiera", theme.ContentCopyIcon(), f.onFinalCopyTapped)
	f.closeBtn = widget.NewButtonWithIcon("Besvarat och avslutat i 1177", theme.ConfirmIcon(), f.onCloseTapped)
	f.closeBtn.Importance = widget.HighImportance
	f.finalInfo = wrapLabel("")
	f.finalInfo.Hide()
	f.pageBars[intygPageClose] = intygPageBar{info: f.finalInfo, buttons: container.NewHBox(f.finalCopy, f.closeBtn)}
	return card("Avsluta", "Kopiera svaret, klistra in det i 1177, besvara och avsluta ärendet där, och markera det sedan här.",
		widget.NewCard("", "", f.finalText))
}

// renderCase shows what the case says: delsvar, sent, closed.
func (f *intygFlow) renderCase() {
	c := f.c
	now := f.u.s.Now()
	open := c.Status != app.StatusAvslutad
	if st, done := c.Steps[app.StepDelsvar]; done {
		f.delsvarInfo.Importance = widget.SuccessImportance
		f.delsvarInfo.SetText("Delsvar skickat " + whenAt(st.At, now) + " av " + f.u.staffName(st.By) + ". Gå vidare till intyget.")
		f.delsvarInfo.Show()
		f.delsvarSent.Disable()
	} else if !open {
		f.delsvarSent.Disable()
	} else {
		f.delsvarSent.Enable()
	}
	for key, check := range f.sentChecks {
		st, done := c.Steps[key]
		check.OnChanged, check.Checked = nil, done // no event for showing it
		check.Refresh()
		k := key
		check.OnChanged = func(on bool) { f.onSentChanged(k, on) }
		if done {
			f.sentInfo[key].SetText("Klart " + whenAt(st.At, now) + " av " + f.u.staffName(st.By))
		} else {
			f.sentInfo[key].SetText("Inte gjort än")
		}
	}
	if open {
		f.closeBtn.Enable()
	} else {
		f.closeBtn.Disable()
		f.finalInfo.Importance = widget.SuccessImportance
		f.finalInfo.SetText("Ärendet är besvarat och avslutat.")
		f.finalInfo.Show()
	}
	f.title.SetText("Intyg – vård av barn under 12 år · Ärende nr " + itoa(int(c.ID)))
}

func (f *intygFlow) onDelsvarCopyTapped() {
	if !f.u.refuseReply(f.delsvarText.Text, f.c, f.delsvarInfo) {
		return
	}
	f.u.copyReply(f.delsvarText.Text, f.delsvarInfo, "Klistra in delsvaret i 1177, skicka det och tryck sedan \"Markera delsvar som skickat\".")
}

func (f *intygFlow) onDelsvarSentTapped() {
	if !f.u.refuseReply(f.delsvarText.Text, f.c, f.delsvarInfo) {
		return
	}
	f.sendReply(app.ReplyDelsvar, f.delsvarSent, nil)
}

// sendReply records that standard reply key was sent in 1177, with btn
// disabled meanwhile; after, when set, runs once it is stored.
func (f *intygFlow) sendReply(key string, btn *widget.Button, after func()) {
	reply, ok := f.u.replies.Reply(key)
	if !ok {
		return
	}
	btn.Disable()
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SendReply(reply, actor, now)
	}, after)
}

func (f *intygFlow) onSentChanged(key string, on bool) {
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SetStep(key, on, actor, now)
	}, nil)
}

func (f *intygFlow) onFinalCopyTapped() {
	if !f.u.refuseReply(f.finalText.Text, f.c, f.finalInfo) {
		return
	}
	f.finalCopied = true
	f.u.copyReply(f.finalText.Text, f.finalInfo, "Klistra in svaret i 1177, besvara och avsluta ärendet där och tryck sedan \"Besvarat och avslutat i 1177\".")
}
