package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// TestInboxRowBroken: a case whose stored row could not be read whole is
// shown in the list as "Trasig rad", in red, not hidden and not as a
// case due in year 0 (issue 13, item 1).
func TestInboxRowBroken(t *testing.T) {
	c := &app.Case{ID: 7, Type: app.TypeEgenremiss, Status: app.StatusNy,
		Broken: "Raden i databasen är trasig: förfallodag \"10000-01-04\" går inte att läsa."}
	r, _ := newInboxRow()
	r.show(c, testNow, func(string) string { return "" })
	if r.flag.Text != "Trasig rad" || r.due.Text != "–" || r.in.Text != "–" || r.flag.Importance != widget.DangerImportance {
		t.Errorf("row flag %q due %q in %q importance %v", r.flag.Text, r.due.Text, r.in.Text, r.flag.Importance)
	}
}
