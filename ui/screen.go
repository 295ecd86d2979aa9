package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The screen convention. A screen is a struct with build, which makes its
// widgets, and load (or Refresh), which reads what it shows in the
// background (runner.go) and puts it on screen through fyne.Do; a newer
// read drops an older one's answer by a generation counter (newestLoad). Screens inside
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

// showMessage shows the error msg, in the error colour; "" clears the
// line.
func (m *messageLine) showMessage(msg string) {
	m.lastErr = msg
	m.show(msg, widget.DangerImportance)
}

// showInfo shows msg, not an error ("Räknar …"), in the text colour.
func (m *messageLine) showInfo(msg string) {
	m.lastErr = ""
	m.show(msg, widget.MediumImportance)
}

func (m *messageLine) show(msg string, imp widget.Importance) {
	if msg == "" {
		imp = widget.MediumImportance
	}
	if m.message.Importance != imp {
		m.message.Importance = imp
		m.message.Text = msg
		m.message.Refresh()
		return
	}
	m.message.SetText(msg)
}

// newestLoad runs a screen's reads so that only the newest one's answer
// is shown: a read started after another drops the other's answer.
type newestLoad struct {
	gen int // bumped by every load
}

// loadNewest runs read through bg. Back on the UI goroutine, unless a newer load
// has started meanwhile, it shows read's error on m, or runs the show
// func read returned. Call it on the UI goroutine.
func (n *newestLoad) loadNewest(bg *runner, m *messageLine, read func(ctx context.Context) (show func(), err error)) {
	n.gen++
	gen := n.gen
	bg.background(func(ctx context.Context) {
		show, err := read(ctx)
		fyne.Do(func() {
			if gen != n.gen {
				return // a newer load is on its way
			}
			if err != nil {
				m.showMessage(app.ErrorMessage(err))
				return
			}
			show()
		})
	})
}
