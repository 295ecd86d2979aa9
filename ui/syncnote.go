package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// What just arrived, in the status bar: when the last notice came and
// what it was (its kind and case type: never patient data), and after
// "Synka nu" that the sync ran and what it found.

// lastNotice is the last notice the intake reported.
type lastNotice struct {
	at       time.Time
	kind     string // app.NoticeInkommit, app.NoticeTilldelat
	typeKey  string
	new      bool // it made a new case
	received bool // a notice has come since the window opened
}

// syncRun is a "Synka nu" under way: whether the intake has started
// fetching since it was asked, and how many new cases it brought.
type syncRun struct {
	running bool
	fetched bool
	found   int
}

// noteNotice records a notice the intake stored (any goroutine).
func (u *UI) noteNotice(r app.IngestResult, n *app.Notice) {
	u.newMu.Lock()
	ln := lastNotice{at: u.s.Now(), new: r.Outcome == app.OutcomeNew, received: true}
	if n != nil {
		ln.kind, ln.typeKey = n.Kind, n.Type
	}
	u.notice = ln
	if u.syncing.running && ln.new {
		u.syncing.found++
	}
	u.newMu.Unlock()
	fyne.Do(func() {
		if u.status.notice != nil {
			u.status.notice.SetText(u.noticeText())
		}
	})
}

// noticeText is "Senaste notis 10:41: nytt ärende, Förnya recept"; the
// day is named when it was not today.
func (u *UI) noticeText() string {
	u.newMu.Lock()
	ln := u.notice
	u.newMu.Unlock()
	if !ln.received {
		return "Ingen notis sedan start"
	}
	now := u.s.Now()
	at := ln.at.In(app.Stockholm)
	when := at.Format("15:04")
	if app.DateOf(at) != app.DateOf(now) {
		when = whenAt(at, now)
	}
	what := "ärende uppdaterat"
	switch {
	case ln.kind == app.NoticeTilldelat:
		what = "ärende tilldelat"
	case ln.new:
		what = "nytt ärende"
	}
	if ln.typeKey != "" {
		what += ", " + app.TypeName(ln.typeKey)
	}
	return "Senaste notis " + when + ": " + what
}

// beginSync starts following a "Synka nu": the status bar says it runs
// until the intake has fetched and is back to watching.
func (u *UI) beginSync() {
	u.newMu.Lock()
	u.syncing = syncRun{running: true}
	state := u.status.lastState
	u.newMu.Unlock()
	if state == app.IntakeElsewhere {
		u.status.synced.SetText("Notiserna hämtas av en annan dator just nu.")
		u.newMu.Lock()
		u.syncing = syncRun{}
		u.newMu.Unlock()
		return
	}
	u.status.synced.SetText("Synkar …")
}

// syncStateSeen follows a sync under way through the intake's states
// (any goroutine): done when the intake, having fetched, watches again, or
// when it stops or fails; found is how many new cases it brought.
func (u *UI) syncStateSeen(state app.IntakeState, err error) (done bool, found int) {
	u.newMu.Lock()
	defer u.newMu.Unlock()
	if !u.syncing.running {
		return false, 0
	}
	switch {
	case err != nil || state == app.IntakeError || state == app.IntakeStopped || state == app.IntakeElsewhere:
		done = true
	case state == app.IntakeFetching:
		u.syncing.fetched = true
	case state == app.IntakeWatching && u.syncing.fetched:
		done = true
	}
	if done {
		found = u.syncing.found
		u.syncing = syncRun{}
	}
	return done, found
}

// showSynced says that the sync ran and what it found: "Synkat 10:42 –
// 3 nya ärenden" / "– inga nya", or why it did not.
func (sb *statusBar) showSynced(found int, state app.IntakeState, err error) {
	if sb.synced == nil {
		return
	}
	at := sb.u.s.Now().In(app.Stockholm).Format("15:04")
	switch {
	case err != nil || state == app.IntakeError:
		sb.synced.SetText("Synkningen " + at + " misslyckades")
	case state == app.IntakeStopped:
		sb.synced.SetText("Synkningen avbröts " + at)
	case state == app.IntakeElsewhere:
		sb.synced.SetText("Notiserna hämtas av en annan dator just nu.")
	case found == 0:
		sb.synced.SetText("Synkat " + at + " – inga nya ärenden")
	case found == 1:
		sb.synced.SetText("Synkat " + at + " – 1 nytt ärende")
	default:
		sb.synced.SetText("Synkat " + at + " – " + itoa(found) + " nya ärenden")
	}
}
