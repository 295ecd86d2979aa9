package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"arendestod/app"
)

// TestNewestLoad: of two loads in flight only the newer one's answer is
// shown, be it a result or an error; a load on its own shows its result.
func TestNewestLoad(t *testing.T) {
	test.NewTempApp(t)
	r := &runner{ctx: context.Background(), queued: true}
	m := newMessageLine()
	var n newestLoad
	var shown []string
	answer := func(name string, err error) func(context.Context) (func(), error) {
		return func(context.Context) (func(), error) {
			return func() { shown = append(shown, name) }, err
		}
	}
	n.loadNewest(r, &m, answer("first", nil))
	n.loadNewest(r, &m, answer("second", app.Errorf(app.EINVALID, "Fel datum.")))
	r.settle()
	if len(shown) != 0 || m.lastErr != "Fel datum." {
		t.Errorf("shown %v, message %q: want only the second load's error", shown, m.lastErr)
	}
	n.loadNewest(r, &m, answer("third", app.Errorf(app.EINVALID, "Gammalt fel.")))
	n.loadNewest(r, &m, answer("fourth", nil))
	r.settle()
	if len(shown) != 1 || shown[0] != "fourth" || m.lastErr != "Fel datum." {
		t.Errorf("shown %v, message %q: want only the fourth load's result", shown, m.lastErr)
	}
}
