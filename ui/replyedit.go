package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Nothing half-filled reaches a citizen: a reply text, in the case view
// and in the intyg flow, is checked as it stands (app.CheckReplyReady)
// before it is copied or marked as sent, and the warning naming what is
// missing, where it is filled in and who can, stays while anything is.

// replyHelp says where the details of case c's mottagning are filled in,
// and who can.
func (u *UI) replyHelp(c *app.Case) app.ReplyFillHelp {
	h := app.ReplyFillHelp{Fillers: app.WhoCanFill(u.staff)}
	if c != nil {
		h.Unit = c.Unit
	}
	return h
}

// checkReply shows in info what text still lacks (as a warning), or hides
// info when nothing does; it reports whether text may go.
func (u *UI) checkReply(text string, c *app.Case, info *widget.Label) bool {
	err := app.CheckReplyReady(text, u.replyHelp(c))
	if err == nil {
		return true
	}
	info.Importance = widget.WarningImportance
	info.SetText(errorText(err))
	info.Show()
	return false
}

// refuseReply is checkReply when a button was pressed: the refusal shows
// as an error.
func (u *UI) refuseReply(text string, c *app.Case, info *widget.Label) bool {
	if u.checkReply(text, c, info) {
		return true
	}
	info.Importance = widget.DangerImportance
	info.Refresh()
	return false
}

// errorText is an app error's message for a label.
func errorText(err error) string {
	if e, ok := err.(*app.Error); ok {
		return e.Message
	}
	return err.Error()
}

// findReply returns reply key, the clinic's own included.
func findReply(ctx context.Context, u *UI, key string) (app.Reply, error) {
	book, err := u.replies.WithCustom(ctx, u.s.Store)
	if err != nil {
		return app.Reply{}, err
	}
	r, ok := book.Reply(key)
	if !ok {
		return app.Reply{}, app.Errorf(app.ENOTFOUND, "Standardsvaret finns inte längre.")
	}
	return r, nil
}

// showReplyInfo shows what the case's reply text still lacks.
func (cv *caseScreen) showReplyInfo() {
	if cv.u.checkReply(cv.replyText.Text, cv.c, cv.replyInfo) {
		cv.replyInfo.Hide()
	}
}

// onReplyEdited checks the text again as it is typed: filling a gap by
// hand clears the warning.
func (cv *caseScreen) onReplyEdited() {
	if _, ok := cv.replyKeys[cv.replySel.Selected]; !ok {
		return
	}
	cv.showReplyInfo()
	cv.copyBtn.Enable()
	cv.markSentBtn.Enable()
}

// replyReady refuses a reply text that still lacks something.
func (cv *caseScreen) replyReady() bool {
	return cv.u.refuseReply(cv.replyText.Text, cv.c, cv.replyInfo)
}

// replyEntry is an editable reply text of the intyg flow; what it still
// lacks shows in the label info returns as it is typed.
func (f *intygFlow) replyEntry(info func() *widget.Label) *keyEntry {
	e := newKeyEntry(f.u, true)
	e.SetMinRowsVisible(8)
	e.OnChanged = func(text string) {
		l := info()
		if l == nil || f.c == nil {
			return
		}
		if f.u.checkReply(text, f.c, l) {
			if l.Importance == widget.WarningImportance || l.Importance == widget.DangerImportance {
				l.Hide()
			}
		}
	}
	return e
}

// unitSettings are the details of unit's mottagning (app.UnitDetailsFor)
// under the single mottagning keys, as the intyg form reads them.
func unitSettings(ctx context.Context, s app.SettingsStore, unit string) (map[string]string, error) {
	d, _, err := app.UnitDetailsFor(ctx, s, unit)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		app.SettingMottagningNamn:       d.Name,
		app.SettingMottagningAdress:     d.Address,
		app.SettingMottagningTelefon:    d.Phone,
		app.SettingMottagningVardgivare: d.CareProvider,
		app.SettingMottagningOrt:        d.Town,
	}, nil
}

// unitHint says, under the issuer, which of the mottagning's details are
// missing, where they are filled in and who can; "" when none is.
func (f *intygFlow) unitHint() string {
	d := app.UnitDetails{Name: f.settings[app.SettingMottagningNamn], Address: f.settings[app.SettingMottagningAdress],
		Phone: f.settings[app.SettingMottagningTelefon], CareProvider: f.settings[app.SettingMottagningVardgivare]}
	missing := d.Missing()
	if len(missing) == 0 {
		return ""
	}
	where := "Inställningar → Mottagning"
	if f.c != nil && f.c.Unit != "" {
		where += " för " + f.c.Unit
	}
	return "\nSaknas: " + strings.Join(missing, ", ") + ". Fylls i under " + where + " av " + app.WhoCanFill(f.u.staff) + "."
}
