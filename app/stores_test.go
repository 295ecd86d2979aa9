package app_test

import (
	"testing"

	"arendestod/app"
)

// The closed view's total stops lower while a search is typed; blanks are
// no search.
func TestClosedCap(t *testing.T) {
	for f, want := range map[app.CaseFilter]int{
		{View: app.ViewClosed}:                         app.ClosedCountCap,
		{View: app.ViewClosed, Search: "  "}:           app.ClosedCountCap,
		{View: app.ViewClosed, Group: app.GroupOvriga}: app.ClosedCountCap,
		{View: app.ViewClosed, Search: "uddevalla"}:    app.ClosedSearchCountCap,
	} {
		if got := app.ClosedCap(f); got != want {
			t.Errorf("ClosedCap(%+v) = %d, want %d", f, got, want)
		}
	}
	if app.ClosedSearchCountCap >= app.ClosedCountCap {
		t.Error("the search cap is meant to be the lower one")
	}
}
