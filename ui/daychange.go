package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// Counters, flags and the tray change at midnight although nobody acts:
// a case due today is overdue tomorrow. A timer on the UI reloads them at
// app.NextDayBoundary while the window is open overnight.

// afterFunc runs f after d, as time.AfterFunc; tests replace UI.after to
// fire the timer themselves with an advanced clock.
func afterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// armDayTimer sets the timer for the next day boundary after the UI's now.
func (u *UI) armDayTimer() {
	if u.stopDayTimer != nil {
		u.stopDayTimer()
	}
	now := u.s.Now()
	u.shownDay = app.DateOf(now)
	// A second past midnight, so that the clock read then is the new day.
	u.stopDayTimer = u.after(app.UntilNextDay(now)+time.Second, func() {
		if u.ctx.Err() != nil {
			return
		}
		fyne.Do(u.onDayBoundary)
	})
}

// onDayBoundary reloads what depends on the date when the day has changed
// (a timer may fire early after a suspend) and arms the next timer.
func (u *UI) onDayBoundary() {
	if u.me == nil {
		return
	}
	if app.DateOf(u.s.Now()) != u.shownDay {
		u.refreshAll()
	}
	u.armDayTimer()
}

// stopDayChange stops the timer (signing out).
func (u *UI) stopDayChange() {
	if u.stopDayTimer != nil {
		u.stopDayTimer()
		u.stopDayTimer = nil
	}
}
