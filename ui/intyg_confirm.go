package ui

import (
	"strings"
	"time"

	"arendestod/app"
)

// The intyg flow's decisions that cannot be taken back ask first, as the
// case view's do (caseconfirm.go): re-routing to the doctor's intyg and
// closing the case in 1177.

// onRerouteTapped asks before the case becomes a doctor's intyg (vård av
// barn 12–16 år), then re-routes it and leaves the flow.
func (f *intygFlow) onRerouteTapped() {
	if f.c == nil {
		return
	}
	text := "Ärendet blir " + app.TypeName(app.TypeVAB1216) + " i stället för " + app.TypeName(f.c.Type) +
		". Intygsutkastet tas bort, checklistan börjar om med den nya typens steg, och förslagen på vem som ska ha ärendet följer den nya typen."
	f.u.confirm("Styra om ärendet?", text, "", "Styr om", f.reroute)
}

// onCloseTapped asks before the final answer is recorded and the case
// closed; it warns when the answer was not copied here and when the
// original or the copy is not marked as sent.
func (f *intygFlow) onCloseTapped() {
	if f.c == nil || !f.u.refuseReply(f.finalText.Text, f.c, f.finalInfo) {
		return
	}
	text := "Svaret registreras som skickat och ärendet som besvarat och avslutat i 1177; det flyttas till Avslutade. " +
		"Gör det när svaret är skickat och ärendet avslutat i 1177."
	f.u.confirm("Besvarat och avslutat i 1177?", text, intygCloseWarning(f.c, f.finalCopied),
		"Besvarat och avslutat", f.recordClose)
}

// intygCloseWarning is what closing the intyg case c warns of, "" when
// nothing: the final answer not copied from the flow (copied false; the
// close records it as sent, so this is the flow's "no answer marked as
// sent"), and the original or the copy not marked as sent on page 5.
func intygCloseWarning(c *app.Case, copied bool) string {
	if c == nil {
		return ""
	}
	var lines []string
	if !copied {
		lines = append(lines, "Svaret är inte kopierat härifrån. Skicka svaret i 1177 först (Kopiera, klistra in och skicka där), om det inte redan är gjort.")
	}
	_, original := c.Steps[app.StepOriginalFK]
	_, kopia := c.Steps[app.StepKopiaVardnadshavare]
	switch {
	case !original && !kopia:
		lines = append(lines, "Originalet till Försäkringskassan och kopian till vårdnadshavare är inte markerade som skickade (steg 5 Skickat).")
	case !original:
		lines = append(lines, "Originalet till Försäkringskassan är inte markerat som skickat (steg 5 Skickat).")
	case !kopia:
		lines = append(lines, "Kopian till vårdnadshavare är inte markerad som skickad (steg 5 Skickat).")
	}
	return strings.Join(lines, " ")
}

// reroute sends the case to the doctor's flow and leaves.
func (f *intygFlow) reroute() {
	f.rerouteBtn.Disable()
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.Reroute(app.TypeVAB1216, actor, now)
	}, func() {
		f.dropDraft()
		f.leaveFlow()
	})
}

// recordClose records the final answer: the case is closed.
func (f *intygFlow) recordClose() {
	f.sendReply(app.ReplyIntygSkickat, f.closeBtn, f.leaveFlow)
}
