package ui

import (
	"math"

	"fyne.io/fyne/v2"
)

// The window's size: the first time small enough for a 1024×600 laptop's
// screen (with its panel and the window's title bar), later the size the
// user left it at, remembered per computer account in the app's
// preferences.

var (
	// windowDefault is the size the window opens at the first time.
	windowDefault = fyne.NewSize(1000, 580)
	// windowMin and windowMax bound a remembered size: a size outside them
	// (a value written by hand, a window closed while minimised, a screen
	// no longer there) opens clamped, never smaller than a laptop's view or
	// larger than a big monitor.
	windowMin = fyne.NewSize(640, 400)
	windowMax = fyne.NewSize(3840, 2160)
)

// windowSize is the size to open at, given the remembered width and height
// (0 when none is remembered): the default when none is, or when either is
// not a number; else the remembered size clamped to windowMin–windowMax.
func windowSize(w, h float64) fyne.Size {
	bad := func(v float64) bool { return v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) }
	if bad(w) || bad(h) {
		return windowDefault
	}
	clamp := func(v float64, lo, hi float32) float32 {
		return float32(math.Max(float64(lo), math.Min(float64(hi), v)))
	}
	return fyne.NewSize(clamp(w, windowMin.Width, windowMax.Width), clamp(h, windowMin.Height, windowMax.Height))
}

func (u *UI) windowWidthKey() string  { return "fönsterbredd." + u.osUser() }
func (u *UI) windowHeightKey() string { return "fönsterhöjd." + u.osUser() }

// restoreWindowSize sizes the window as the user left it (windowSize).
func (u *UI) restoreWindowSize() {
	p := u.app.Preferences()
	u.win.Resize(windowSize(p.Float(u.windowWidthKey()), p.Float(u.windowHeightKey())))
}

// saveWindowSize remembers the window's size, for the next start. A
// window not laid out yet (zero size) leaves the remembered size as it is.
func (u *UI) saveWindowSize() {
	s := u.win.Canvas().Size()
	if s.Width <= 0 || s.Height <= 0 {
		return
	}
	p := u.app.Preferences()
	p.SetFloat(u.windowWidthKey(), float64(s.Width))
	p.SetFloat(u.windowHeightKey(), float64(s.Height))
}

// rememberWindowSize saves the size when the window is closed, and when
// the app stops another way (the tray menu's Quit).
func (u *UI) rememberWindowSize() {
	u.win.SetCloseIntercept(func() {
		u.saveWindowSize()
		u.win.Close()
	})
	u.app.Lifecycle().SetOnStopped(u.saveWindowSize)
}
