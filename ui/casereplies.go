package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// A case's standard replies: chosen, filled with the details of the case's
// mottagning and the case's own, edited, copied into 1177 and marked as
// sent. Nothing half-filled is copied or marked (replyedit.go).

func (cv *caseScreen) renderReplies(c *app.Case) {
	if cv.replyKeys != nil {
		return // the list depends only on the type; keep what is chosen
	}
	cv.replyKeys = map[string]string{}
	cv.replyText.OnChanged = func(string) { cv.onReplyEdited() }
	typ := c.Type
	cv.u.background(func(ctx context.Context) {
		// The clinic's own replies come from the settings.
		book, err := cv.u.replies.WithCustom(ctx, cv.u.s.Store)
		if err != nil {
			cv.u.showError(err)
			return
		}
		fyne.Do(func() { cv.setReplyOptions(book, typ) })
	})
}

// setReplyOptions offers book's replies for a case of type typ.
func (cv *caseScreen) setReplyOptions(book *app.ReplyBook, typ string) {
	if cv.c == nil || cv.c.Type != typ || cv.replyKeys == nil {
		return // re-routed meanwhile: its own list is on the way
	}
	cv.replyKeys = map[string]string{}
	var opts []string
	for _, r := range book.ForType(typ) {
		if r.Action == app.ReplyActionSvar && r.ActionFor(typ) != app.ReplyActionSvar {
			// A closing reply of another type that cannot close this one
			// (a läkarintyg closes "utan svar"): not offered, so "Intyg
			// skickat" is not taken for the way to close. The closing
			// replies left are app.ClosingReplies and other types' ones.
			continue
		}
		label := r.Name
		if r.Suits(typ) {
			label += " ★"
		}
		opts = append(opts, label)
		cv.replyKeys[label] = r.Key
	}
	cv.replySel.Options = opts
	cv.replySel.Refresh()
}

// onReplyChosen fills the chosen reply with the details of the case's
// mottagning and the case's own.
func (cv *caseScreen) onReplyChosen(label string) {
	key, ok := cv.replyKeys[label]
	if !ok || cv.c == nil {
		return
	}
	c := *cv.c
	now := cv.u.s.Now()
	cv.u.background(func(ctx context.Context) {
		text, _, err := cv.u.replies.Text(ctx, cv.u.s.Store, key)
		var vals app.ReplyValues
		if err == nil {
			vals, err = app.ReplyValuesFor(ctx, cv.u.s.Store, &c, now)
		}
		if err != nil {
			cv.u.showError(err)
			return
		}
		filled := app.FillReply(text, vals)
		fyne.Do(func() {
			if cv.replySel.Selected != label {
				return
			}
			cv.replyText.SetText(filled.Text)
			cv.copyBtn.Enable()
			cv.markSentBtn.Enable()
			cv.showReplyInfo()
		})
	})
}

func (cv *caseScreen) onCopyTapped() {
	if !cv.replyReady() {
		return
	}
	cv.u.copyReply(cv.replyText.Text, cv.replyInfo, "Klistra in svaret i 1177, skicka det där och tryck sedan \"Markera som skickat\".")
}

func (cv *caseScreen) onMarkSentTapped() {
	key, ok := cv.replyKeys[cv.replySel.Selected]
	if !ok || !cv.replyReady() {
		return
	}
	cv.markSentBtn.Disable() // once; the store records it once too
	cv.u.background(func(ctx context.Context) {
		reply, err := findReply(ctx, cv.u, key)
		if err != nil {
			cv.u.showError(err)
			fyne.Do(cv.markSentBtn.Enable)
			return
		}
		recorded := false
		fyne.Do(func() {
			cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
				evs, err := c.SendReply(reply, actor, now)
				recorded = len(evs) > 0
				return evs, err
			}, func() {
				cv.replyInfo.Importance = widget.SuccessImportance
				if recorded {
					cv.replyInfo.SetText("Registrerat: " + reply.Name + " skickat " + whenAt(cv.u.s.Now(), cv.u.s.Now()) + ".")
				} else {
					cv.replyInfo.SetText("Redan registrerat: " + reply.Name + " är markerat som skickat.")
				}
				cv.replyInfo.Show()
			})
		})
	})
}
