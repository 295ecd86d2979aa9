package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// Live on every desk (issue 11): the window follows the store's change
// feed (Services.Changes). Changes arriving close together are gathered
// (a burst of fifty is one reload); then the inbox and the counters are
// read again, a case assigned to me by someone else gives a desktop
// notification, and the case on screen is read again without losing what
// is typed in it (caselive.go), saying who changed it.

// liveDelay is how long changes are gathered before the window reloads.
const liveDelay = 100 * time.Millisecond

// newSession names this window for presence: random, one per window.
func newSession() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// subscribe starts following the change feed, when there is one. It may
// block while the feed connects (PostgreSQL): call it off the UI
// goroutine. Closes liveReady when done.
func (u *UI) subscribe() {
	defer close(u.liveReady)
	if u.s.Changes == nil {
		return
	}
	u.s.Changes.Subscribe(u.ctx, u.onChange)
}

// onChange gathers a change from the feed; any goroutine.
func (u *UI) onChange(c app.Change) {
	u.liveMu.Lock()
	defer u.liveMu.Unlock()
	u.liveBatch = append(u.liveBatch, c)
	if u.liveArmed {
		return
	}
	u.liveArmed = true
	if u.liveDelay <= 0 {
		u.background(u.flushLive)
		return
	}
	time.AfterFunc(u.liveDelay, func() { u.background(u.flushLive) })
}

// flushLive hands the gathered changes to the UI goroutine.
func (u *UI) flushLive(context.Context) {
	u.liveMu.Lock()
	batch := u.liveBatch
	u.liveBatch, u.liveArmed = nil, false
	u.liveMu.Unlock()
	if len(batch) > 0 {
		fyne.Do(func() { u.applyChanges(batch) })
	}
}

// applyChanges reloads what the changes concern. UI goroutine.
func (u *UI) applyChanges(batch []app.Change) {
	if u.me == nil || u.inbox == nil {
		return // choosing who is working: nothing shown yet
	}
	me := u.me.HSAID
	var cases, staff, schedule, resync bool
	var assigned []app.Change // to me, by someone else
	var othersNew []int64     // made by another desk's intake
	var onOpen *app.Change    // the latest change of the open case, by someone else
	openTouched, presence := false, false
	openID := int64(0)
	if u.caseView != nil {
		openID = u.caseView.id
	}
	for i := range batch {
		c := batch[i]
		switch c.Kind {
		case app.ChangeResync:
			resync = true
		case app.ChangeCase:
			cases = true
			if c.AssignedTo == me && c.Actor != me {
				assigned = append(assigned, c)
			}
			if c.New && !c.Local && c.CaseID != 0 {
				othersNew = append(othersNew, c.CaseID)
			}
			if openID != 0 && (c.CaseID == openID || c.CaseID == 0) {
				openTouched = true
				if c.Actor != me && c.CaseID == openID {
					onOpen = &c
				}
			}
		case app.ChangeClosedDays:
			cases = true // due flags follow the calendar
		case app.ChangeStaff:
			staff = true
		case app.ChangeSchedule:
			schedule = true
		case app.ChangePresence:
			if openID != 0 && c.CaseID == openID {
				presence = true
			}
		}
	}
	if resync {
		cases, staff, schedule, openTouched, presence = true, true, true, openID != 0, openID != 0
	}
	if staff {
		u.reloadStaff(func() {
			if u.tabs != nil && u.tabs.Selected() != nil && u.tabs.Selected().Text == "Personal" {
				u.staffs.load()
			}
		})
	}
	if schedule && u.tabs != nil && u.tabs.Selected() != nil && u.tabs.Selected().Text == "Schema 1177-ansvarig" {
		u.schedule.load()
	}
	if cases || schedule {
		if u.caseView == nil {
			u.inbox.reload()
		}
		u.refreshHeader()
	}
	if len(assigned) > 0 {
		u.notifyAssigned(assigned)
	}
	if len(othersNew) > 0 {
		u.gatherOthersNew(othersNew)
	}
	if cv := u.caseView; cv != nil {
		if openTouched {
			cv.liveReload(onOpen)
		}
		if presence {
			cv.loadViewers()
		}
	}
}

// gatherOthersNew gathers cases that another desk's intake made (only one
// desk fetches the shared mailbox at a time) for one "Nytt ärende"
// notification, as the fetching desk's own intake gives (hooks.go), so
// every open window hears of new cases. Any goroutine.
func (u *UI) gatherOthersNew(ids []int64) {
	u.newMu.Lock()
	defer u.newMu.Unlock()
	u.othersNew = append(u.othersNew, ids...)
	if u.othersArmed {
		return
	}
	u.othersArmed = true
	flush := func() { u.background(u.flushOthersNew) }
	if u.coalesce <= 0 {
		flush()
		return
	}
	time.AfterFunc(u.coalesce, flush)
}

// flushOthersNew sends the notification of the gathered cases; off the
// UI goroutine.
func (u *UI) flushOthersNew(ctx context.Context) {
	u.newMu.Lock()
	ids := u.othersNew
	u.othersNew, u.othersArmed = nil, false
	u.newMu.Unlock()
	var fresh []*app.Case
	for _, id := range ids {
		if c, err := u.s.Store.Case(ctx, id); err == nil {
			fresh = append(fresh, c)
		}
	}
	if note := newCasesNote(fresh); note != nil {
		fyne.Do(func() { u.app.SendNotification(note) })
	}
}

// notifyAssigned sends one desktop notification for cases others
// assigned to me.
func (u *UI) notifyAssigned(changes []app.Change) {
	seen := map[int64]bool{}
	var ids []int64
	by := changes[len(changes)-1].Actor
	for _, c := range changes {
		if !seen[c.CaseID] {
			seen[c.CaseID] = true
			ids = append(ids, c.CaseID)
		}
	}
	who := u.staffName(by)
	u.background(func(ctx context.Context) {
		var note *fyne.Notification
		if len(ids) == 1 {
			c, err := u.s.Store.Case(ctx, ids[0])
			if err != nil {
				return
			}
			note = fyne.NewNotification("Ärende fördelat till dig", who+" fördelade "+caseHeadline(c)+".")
		} else {
			note = fyne.NewNotification(itoa(len(ids))+" ärenden fördelade till dig", "Senast av "+who+".")
		}
		fyne.Do(func() { u.app.SendNotification(note) })
	})
}

// leaveCase removes this window's presence when the window ends, so the
// others see it go at once rather than after PresenceTimeout.
func (u *UI) leaveCase() {
	done := make(chan int64, 1)
	fyne.Do(func() {
		var id int64
		if cv := u.caseView; cv != nil && cv.live != nil && cv.live.stopBeat != nil {
			close(cv.live.stopBeat)
			cv.live.stopBeat = nil
			id = cv.id
		}
		done <- id
	})
	select {
	case id := <-done:
		if id != 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			u.s.Store.CloseCase(ctx, u.session, id)
		}
	case <-time.After(time.Second): // the window's loop is gone
	}
}
