package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// A case's standard replies: chosen, filled with the mottagning's and the
// case's details, copied into 1177 and marked as sent.

func (cv *caseScreen) renderReplies(c *app.Case) {
	if cv.replyKeys != nil {
		return // the list depends only on the type; keep what is chosen
	}
	cv.replyKeys = map[string]string{}
	var opts []string
	for _, r := range cv.u.replies.ForType(c.Type) {
		if r.Action == app.ReplyActionSvar && r.ActionFor(c.Type) != app.ReplyActionSvar {
			// A closing reply of another type that cannot close this one
			// (a läkarintyg closes "utan svar"): not offered, so "Intyg
			// skickat" is not taken for the way to close. The closing
			// replies left are app.ClosingReplies and other types' ones.
			continue
		}
		label := r.Name
		if r.Suits(c.Type) {
			label += " ★"
		}
		opts = append(opts, label)
		cv.replyKeys[label] = r.Key
	}
	cv.replySel.Options = opts
	cv.replySel.Refresh()
}

// onReplyChosen fills the chosen reply with the mottagning's details and
// the case's.
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
			cv.showReplyInfo(filled)
		})
	})
}

var placeholderSetting = map[string]string{
	"mottagning":          "mottagningens namn",
	"adress":              "adress",
	"telefon":             "telefonnummer",
	"vardgivare":          "vårdgivare",
	"lank-centralarkivet": "länk till centralarkivet",
	"lank-evi":            "länk till En Väg In",
	"arendenummer":        "ärendenummer (saknas i ärendet)",
}

func (cv *caseScreen) showReplyInfo(f app.FilledReply) {
	var parts []string
	if len(f.Missing) > 0 {
		var names []string
		for _, m := range f.Missing {
			if n, ok := placeholderSetting[m]; ok {
				names = append(names, n)
			} else {
				names = append(names, m)
			}
		}
		parts = append(parts, "Uppgifter saknas: "+strings.Join(names, ", ")+". Fyll i dem under Inställningar → Mottagning, eller skriv in dem i texten innan du kopierar.")
	}
	if len(f.Unknown) > 0 {
		parts = append(parts, "Okända platshållare i texten: {"+strings.Join(f.Unknown, "}, {")+"}.")
	}
	if len(parts) == 0 {
		cv.replyInfo.Hide()
		return
	}
	cv.replyInfo.Importance = widget.WarningImportance
	cv.replyInfo.SetText(strings.Join(parts, " "))
	cv.replyInfo.Show()
}

func (cv *caseScreen) onCopyTapped() {
	cv.u.copyReply(cv.replyText.Text, cv.replyInfo, "Klistra in svaret i 1177, skicka det där och tryck sedan \"Markera som skickat\".")
}

func (cv *caseScreen) onMarkSentTapped() {
	key, ok := cv.replyKeys[cv.replySel.Selected]
	if !ok {
		return
	}
	reply, _ := cv.u.replies.Reply(key)
	cv.update(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SendReply(reply, actor, now)
	}, func() {
		cv.replyInfo.Importance = widget.SuccessImportance
		cv.replyInfo.SetText("Registrerat: " + reply.Name + " skickat " + whenAt(cv.u.s.Now(), cv.u.s.Now()) + ".")
		cv.replyInfo.Show()
	})
}
