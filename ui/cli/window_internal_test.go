package cli

import (
	"errors"
	"testing"

	"arendestod/app"
	"arendestod/app/intake"
)

// TestLiveIntakeFansOut: every callback registered for an event gets it,
// a removed one no longer does, and the kinds of event stay apart.
func TestLiveIntakeFansOut(t *testing.T) {
	l := newLiveIntake()
	var a, b []app.IntakeState
	var done []int
	removeA := l.OnState(func(s app.IntakeState, _ error) { a = append(a, s) })
	defer l.OnState(func(s app.IntakeState, _ error) { b = append(b, s) })()
	defer l.OnProgress(func(d, _ int) { done = append(done, d) })()
	l.fireState(app.IntakeConnecting, nil)
	removeA()
	removeA() // twice: harmless
	l.fireState(app.IntakeError, errors.New("nere"))
	l.fireProgress(intake.Progress{Done: 3, Total: 9})
	l.fireCase(app.IngestResult{}, nil) // nobody registered: nothing happens
	if len(a) != 1 || a[0] != app.IntakeConnecting {
		t.Errorf("removed listener got %v", a)
	}
	if len(b) != 2 || b[1] != app.IntakeError {
		t.Errorf("listener got %v", b)
	}
	if len(done) != 1 || done[0] != 3 {
		t.Errorf("progress %v", done)
	}
}
