package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/ui/cli"
)

// TestReportNamesField: an error about one input is one Swedish line that
// names the input, although app.ErrorMessage (what a form shows) leaves
// the key out. Issue 14, item 7: the input is named by its flag
// (--hsa-id), and a key of the program's own (assignee) not at all: no
// English field keys.
func TestReportNamesField(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		want string
	}{
		{app.FieldErrorf("hsa-id", "det finns ingen aktiv personal med HSA-ID %s", "SE1"), cli.ExitUsage,
			"arendestod: --hsa-id: det finns ingen aktiv personal med HSA-ID SE1\n"},
		{fmt.Errorf("saving: %w", app.FieldErrorf("assignee", "välj vem ärendet ska fördelas till")), cli.ExitUsage,
			"arendestod: Välj vem ärendet ska fördelas till\n"},
		{app.ValidationErrors{app.FieldErrorf("name", "namn saknas"), app.FieldErrorf("role", "ange minst en roll")}, cli.ExitUsage,
			"arendestod: --name: namn saknas\narendestod: --role: ange minst en roll\n"},
		{app.Errorf(app.ECONFLICT, "Ärendet är redan avslutat."), cli.ExitError, "arendestod: Ärendet är redan avslutat.\n"},
	} {
		var out, errb bytes.Buffer
		env := cli.Env{
			Stdout: &out, Stderr: &errb,
			Getenv:   func(string) string { return "" },
			Now:      func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm) },
			Commands: map[string]cli.Command{"fel": {Run: func(*cli.Run, []string) error { return tc.err }}},
		}
		if code := mainNoWindow(t, context.Background(), []string{"fel"}, env); code != tc.code || errb.String() != tc.want {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.err, code, errb.String(), tc.code, tc.want)
		}
		if msg := app.ErrorMessage(tc.err); strings.Contains(msg, "hsa-id:") || strings.Contains(msg, "assignee:") {
			t.Errorf("ErrorMessage %q shows the field key", msg)
		}
	}
}
