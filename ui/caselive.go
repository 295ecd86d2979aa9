package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The case on screen, live: who else has it open (presence, renewed by a
// heartbeat while it is open), who changed it a moment ago, and reading
// it again when it changed elsewhere without losing what is typed.

// caseLive is the case screen's live part.
type caseLive struct {
	changedBy *widget.Label // "Ändrat av Erik Ek kl 10:43"
	viewers   *widget.Label // "Öppnat av: Sara Sjöberg (sedan 10:42)"
	box       *fyne.Container
	stopBeat  chan struct{} // closes the heartbeat; nil when none runs
}

func (cv *caseScreen) buildLive() fyne.CanvasObject {
	l := &caseLive{}
	l.changedBy = widget.NewLabel("")
	l.changedBy.Importance = widget.WarningImportance
	l.changedBy.Hide()
	l.viewers = widget.NewLabel("")
	l.viewers.Importance = widget.HighImportance
	l.viewers.Hide()
	l.box = container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), nil, l.viewers),
		container.NewBorder(nil, nil, widget.NewIcon(theme.HistoryIcon()), nil, l.changedBy))
	l.box.Hide()
	cv.live = l
	return l.box
}

func (l *caseLive) relayout() {
	if l.changedBy.Visible() || l.viewers.Visible() {
		l.box.Show()
	} else {
		l.box.Hide()
	}
	l.box.Refresh()
}

// startPresence says that this window has the case open, and again every
// PresenceHeartbeat until stopPresence; each time it reads who else has.
func (cv *caseScreen) startPresence() {
	if cv.live == nil || cv.live.stopBeat != nil {
		return
	}
	stop := make(chan struct{})
	cv.live.stopBeat = stop
	cv.heartbeat()
	if cv.u.heartbeat <= 0 {
		return // tests call heartbeat themselves
	}
	go func() {
		t := time.NewTicker(cv.u.heartbeat)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-cv.u.ctx.Done():
				return
			case <-t.C:
				fyne.Do(cv.heartbeat)
			}
		}
	}()
}

// heartbeat renews this window's presence and reads who else has the
// case open. UI goroutine.
func (cv *caseScreen) heartbeat() {
	if cv.u.caseView != cv {
		return
	}
	actor, session, id := cv.u.actor(), cv.u.session, cv.id
	cv.u.background(func(ctx context.Context) {
		if err := cv.u.s.Store.OpenCase(ctx, session, actor, id); err != nil {
			// Presence is a courtesy to the others: it never stops work.
			return
		}
		cv.readViewers(ctx)
	})
}

// stopPresence ends the heartbeat and removes this window's presence.
func (cv *caseScreen) stopPresence() {
	if cv.live == nil || cv.live.stopBeat == nil {
		return
	}
	close(cv.live.stopBeat)
	cv.live.stopBeat = nil
	session, id := cv.u.session, cv.id
	cv.u.background(func(ctx context.Context) {
		cv.u.s.Store.CloseCase(ctx, session, id)
	})
}

// loadViewers reads who else has the case open.
func (cv *caseScreen) loadViewers() {
	cv.u.background(cv.readViewers)
}

func (cv *caseScreen) readViewers(ctx context.Context) {
	ps, err := cv.u.s.Store.CaseViewers(ctx, cv.id)
	if err != nil {
		return
	}
	fyne.Do(func() { cv.showViewers(ps) })
}

// showViewers shows the others that have the case open.
func (cv *caseScreen) showViewers(ps []app.Presence) {
	if cv.live == nil {
		return
	}
	var names []string
	shown := map[string]bool{}
	for _, p := range ps {
		if p.Session == cv.u.session || shown[p.HSAID] {
			continue
		}
		shown[p.HSAID] = true
		names = append(names, cv.u.staffName(p.HSAID)+" (sedan "+p.Since.In(app.Stockholm).Format("15:04")+")")
	}
	if len(names) == 0 {
		cv.live.viewers.Hide()
	} else {
		cv.live.viewers.SetText("Öppnat av: " + strings.Join(names, ", "))
		cv.live.viewers.Show()
	}
	cv.live.relayout()
}

// showChangedBy says who changed the case on screen, and when.
func (cv *caseScreen) showChangedBy(ch *app.Change) string {
	text := "Ändrat av " + cv.u.staffName(ch.Actor) + " kl " + ch.At.In(app.Stockholm).Format("15:04")
	if cv.live != nil {
		cv.live.changedBy.SetText(text)
		cv.live.changedBy.Show()
		cv.live.relayout()
	}
	return text
}

// liveReload reads the case again after a change made elsewhere (by ch's
// actor; nil when unknown or mine) and shows it, keeping what is typed.
func (cv *caseScreen) liveReload(ch *app.Change) {
	id := cv.id
	cv.u.background(func(ctx context.Context) {
		c, err := cv.u.s.Store.Case(ctx, id)
		if err != nil {
			return // gone (gallrat) or unreadable: the next action says so
		}
		evs, err := cv.u.s.Store.Events(ctx, id)
		if err != nil {
			return
		}
		fyne.Do(func() {
			if cv.u.caseView != cv {
				return
			}
			cv.renderKeeping(c, evs)
			if ch != nil {
				text := cv.showChangedBy(ch)
				if f := cv.flow; f != nil && f.c != nil {
					f.message.SetText(text + ".")
				}
			}
		})
	})
}

// renderKeeping shows a fresh read of the case but keeps what the user
// has typed or chosen and not yet saved: the note, the reply's text, the
// patient fields when edited, the chosen assignee and type, and in the
// intyg flow every field of the form. A read older than the one shown is
// dropped.
func (cv *caseScreen) renderKeeping(c *app.Case, evs []app.Event) {
	if cv.c != nil && c.Version < cv.c.Version {
		return
	}
	if cv.c == nil {
		cv.render(c, evs)
		return
	}
	note := cv.note.Text
	reply := cv.replyText.Text
	shownPnr, shownName := "", cv.c.PatientName
	if cv.c.PatientPnr != "" {
		shownPnr = cv.c.PatientPnr.String()
	}
	pnr, name := cv.patientPnr.Text, cv.patientName.Text
	assign, reroute := cv.assignTo.Selected, cv.rerouteSel.Selected
	typeBefore := cv.c.Type

	cv.render(c, evs)

	cv.note.SetText(note)
	if c.Type == typeBefore {
		cv.replyText.SetText(reply)
	}
	if pnr != shownPnr {
		cv.patientPnr.SetText(pnr)
	}
	if name != shownName {
		cv.patientName.SetText(name)
	}
	if _, ok := cv.assignKeys[assign]; ok {
		cv.assignTo.SetSelected(assign)
	}
	if _, ok := cv.rerouteKeys[reroute]; ok {
		cv.rerouteSel.SetSelected(reroute)
	}
	if f := cv.flow; f != nil && f.c != nil {
		f.c = c
		f.renderCase() // the case's steps only; the form keeps its fields
	}
}

// refused handles an action refused because the view was stale: the
// fresh case is shown (keeping what is typed) beside the message.
func (cv *caseScreen) refused(err error) bool {
	if !app.IsStale(err) {
		return false
	}
	cv.u.showError(err)
	cv.liveReload(nil)
	return true
}
