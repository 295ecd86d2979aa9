package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// The intake's hooks (see the package documentation): new cases and their
// desktop notification, the intake's state and its catch-up progress.

type newCase struct {
	r app.IngestResult
	n *app.Notice
}

// OnNewCase tells the window that intake stored or updated a case. Safe
// from any goroutine; see the package documentation.
func (u *UI) OnNewCase(r app.IngestResult, n *app.Notice) {
	if r.Outcome != app.OutcomeNew && r.Outcome != app.OutcomeUpdated {
		return
	}
	u.noteNotice(r, n) // syncnote.go
	u.newMu.Lock()
	defer u.newMu.Unlock()
	u.pending = append(u.pending, newCase{r, n})
	if !u.flushArmed && !u.catchingUp {
		u.armFlush()
	}
}

// armFlush schedules the notification of the gathered cases. newMu held.
func (u *UI) armFlush() {
	u.flushArmed = true
	if u.coalesce <= 0 {
		u.background(u.flushNew)
		return
	}
	time.AfterFunc(u.coalesce, func() { u.background(u.flushNew) })
}

// flushNew sends one notification for the gathered cases and refreshes the
// inbox. It runs off the UI goroutine.
func (u *UI) flushNew(ctx context.Context) {
	u.newMu.Lock()
	batch := u.pending
	u.pending, u.flushArmed = nil, false
	u.newMu.Unlock()
	if len(batch) == 0 {
		return
	}
	var fresh []*app.Case
	assigned := 0
	for _, nc := range batch {
		c, err := u.s.Store.Case(ctx, nc.r.CaseID)
		if err != nil {
			continue
		}
		if nc.r.Outcome == app.OutcomeNew {
			fresh = append(fresh, c)
		} else if nc.n != nil && nc.n.Kind == app.NoticeTilldelat {
			assigned++
		}
	}
	note := newCasesNote(fresh)
	if note == nil && assigned > 0 {
		note = fyne.NewNotification("Ärende fördelat", "Ett ärende har fördelats via 1177.")
	}
	fyne.Do(func() {
		if note != nil {
			u.app.SendNotification(note)
		}
		if u.inbox != nil {
			if u.caseView == nil {
				u.inbox.reload()
			}
			u.refreshHeader()
		}
	})
}

// newCasesNote is the desktop notification of new cases: the case, or
// how many and the most urgent; nil for none.
func newCasesNote(fresh []*app.Case) *fyne.Notification {
	switch {
	case len(fresh) == 1:
		return fyne.NewNotification("Nytt ärende", caseHeadline(fresh[0]))
	case len(fresh) > 1:
		urgent := fresh[0]
		for _, c := range fresh[1:] {
			if c.DueDate.Before(urgent.DueDate) {
				urgent = c
			}
		}
		return fyne.NewNotification(itoa(len(fresh))+" nya ärenden", "Mest brådskande: "+caseHeadline(urgent))
	}
	return nil
}

// caseHeadline is "Förnya recept – svar senast ons 2/12".
func caseHeadline(c *app.Case) string {
	return app.TypeName(c.Type) + " – svar senast " + c.DueDate.ShortSv()
}

// OnSyncState shows the intake's state; safe from any goroutine.
func (u *UI) OnSyncState(state app.IntakeState, err error) {
	done, found := u.syncStateSeen(state, err) // syncnote.go
	fyne.Do(func() {
		u.status.setState(state, err)
		if done {
			u.status.showSynced(found, state, err)
		}
	})
}

// OnProgress shows catch-up progress; safe from any goroutine. While a
// catch-up runs, new cases are gathered into one notification at its end.
func (u *UI) OnProgress(done, total int) {
	u.newMu.Lock()
	running := total > 0 && done < total
	if u.catchingUp && !running && len(u.pending) > 0 && !u.flushArmed {
		u.catchingUp = false
		u.armFlush()
	}
	u.catchingUp = running
	u.newMu.Unlock()
	fyne.Do(func() { u.status.setProgress(done, total) })
}
