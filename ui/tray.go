package ui

import (
	"os"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"arendestod/app"
	"arendestod/assets"
)

// setupTray adds the system tray menu where the desktop has one.
func (u *UI) setupTray() {
	if !trayAvailable() {
		return
	}
	if desk, ok := u.app.(desktop.App); ok {
		u.tray = true
		if len(assets.Icon) > 0 {
			desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", assets.Icon))
		}
		u.updateTray(app.CaseCounts{})
	}
}

// updateTray shows the counters in the tray menu, with Öppna and Synka nu.
func (u *UI) updateTray(c app.CaseCounts) {
	desk, ok := u.app.(desktop.App)
	if !ok || !u.tray {
		return
	}
	info := func(label string) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, nil)
		it.Disabled = true
		return it
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Öppna Ärendestöd", func() { u.win.Show(); u.win.RequestFocus() }),
	}
	if u.s.Intake != nil {
		items = append(items, fyne.NewMenuItem("Synka nu", u.s.Intake.SyncNow))
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		info(counterText("Försenade", c.Overdue)),
		info(counterText("Svar senast idag", c.DueToday)),
		info(counterText("Nya", c.New)),
		info(counterText("Mina", c.Mine)))
	desk.SetSystemTrayMenu(fyne.NewMenu("Ärendestöd", items...))
}

// trayAvailable reports whether a tray icon can be shown. On Linux and the
// BSDs the tray speaks D-Bus: without a session bus (a server, Xvfb in CI)
// Fyne's systray (v1.11) fails to connect and then crashes the program
// when it quits (fyne-io/fyne#6403, fixed in fyne.io/systray after
// v1.12.1), so there the window goes without a tray.
func trayAvailable() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return os.Getenv("DBUS_SESSION_BUS_ADDRESS") != ""
	}
	return true
}

func counterText(label string, n int) string { return label + ": " + itoa(n) }
