package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// answerDialog taps the button labelled button in the dialog open on u's
// window, as the person at the desk would.
func answerDialog(t *testing.T, u *UI, button string) {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open to answer %q", button)
	}
	var labels []string
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok {
			if b.Text == button {
				test.Tap(b)
				return
			}
			labels = append(labels, b.Text)
		}
	}
	t.Fatalf("the dialog has no button %q (it has %q)", button, labels)
}

// (f *fixture) confirm answers yes (button) to the question asked and
// lets the work settle.
func (f *fixture) confirm(button string) {
	f.t.Helper()
	answerDialog(f.t, f.u, button)
	f.settle()
}
