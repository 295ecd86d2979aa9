package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The screen convention. A screen is a struct with build, which makes its
// widgets, and load (or Refresh), which reads what it shows in the
// background (runner.go) and puts it on screen through fyne.Do; a newer
// read drops an older one's answer by a generation counter. Screens inside
// the window show failures with UI.showError (a dialog); the screens that
// stand on their own (Receptlogg, Statistik) show them on their
// messageLine above their content.

// messageLine is a screen's line for what went wrong: a bad filter, a
// failed read or export.
type messageLine struct {
	message *widget.Label
	lastErr string // the last message shown, for tests
}

func newMessageLine() messageLine {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return messageLine{message: l}
}

// showMessage shows msg; "" clears the line.
func (m *messageLine) showMessage(msg string) {
	m.lastErr = msg
	m.message.SetText(msg)
}
