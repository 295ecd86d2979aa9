// Package ui is the desktop window of Ärendestöd (Fyne). It reaches data
// only through the interfaces of package app.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// Store is what the window needs from storage.
type Store interface {
	app.CaseStore
	app.StaffStore
	app.ScheduleStore
	app.SettingsStore
	app.AuditLog
	Calendar() *app.Calendar
}

// Services are the window's dependencies.
type Services struct {
	Store Store
	Now   func() time.Time
}

// Create builds the main window's content on w.
func Create(ctx context.Context, a fyne.App, w fyne.Window, s Services) {
	if s.Now == nil {
		s.Now = time.Now
	}
	inbox := newInbox(ctx, s)
	w.SetContent(inbox.build())
	inbox.refresh()
}

// Run opens the main window and blocks until it is closed.
func Run(ctx context.Context, a fyne.App, s Services) error {
	w := a.NewWindow("Ärendestöd")
	w.Resize(fyne.NewSize(1100, 700))
	Create(ctx, a, w, s)
	w.ShowAndRun()
	return nil
}
