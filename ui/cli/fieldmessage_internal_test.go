package cli

import (
	"testing"

	"arendestod/app"
)

// Issue 14, item 7: no English field keys in messages. An input the
// command line has a flag for is named by the flag, a JSON value by its
// path, and the program's own keys not at all.
func TestFieldMessageNamesFlagsNotKeys(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{app.FieldErrorf("assignee", "välj vem ärendet ska fördelas till"), "Välj vem ärendet ska fördelas till"},
		{app.FieldErrorf("step", "steget %q finns inte", "x"), `Steget "x" finns inte`},
		{app.FieldErrorf("to", "slutdatum saknas"), "--to: slutdatum saknas"},
		{app.FieldErrorf("from", "startdatum saknas"), "--from: startdatum saknas"},
		{app.FieldErrorf("unit", "för långt"), "--unit: för långt"},
		{app.FieldErrorf("child.personnummer", "fel"), "child.personnummer: fel"}, // intyg JSON
		{app.Errorf(app.ECONFLICT, "Ärendet är redan avslutat."), "Ärendet är redan avslutat."},
	} {
		if got := fieldMessage(tc.err); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.err, got, tc.want)
		}
	}
}
