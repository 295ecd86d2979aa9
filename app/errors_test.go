package app_test

import (
	"errors"
	"fmt"
	"testing"

	"arendestod/app"
)

// TestErrorMessage: a person reads the Swedish message without the
// English field key; logs (Error) keep the key; errors not ours read as
// the generic message.
func TestErrorMessage(t *testing.T) {
	field := app.FieldErrorf("assignee", "välj vem ärendet ska fördelas till")
	for _, tc := range []struct {
		err       error
		msg, text string
	}{
		{nil, "", ""},
		{field, "välj vem ärendet ska fördelas till", "assignee: välj vem ärendet ska fördelas till"},
		{fmt.Errorf("assign case 3: %w", field), "välj vem ärendet ska fördelas till", "assign case 3: assignee: välj vem ärendet ska fördelas till"},
		{app.ValidationErrors{app.FieldErrorf("name", "namn saknas"), app.FieldErrorf("role", "ange minst en roll")},
			"namn saknas", "name: namn saknas\nrole: ange minst en roll"},
		{app.Errorf(app.ECONFLICT, "Ärendet är redan avslutat."), "Ärendet är redan avslutat.", "Ärendet är redan avslutat."},
		{errors.New("sqlite: disk I/O error"), "Ett internt fel inträffade. Försök igen; kvarstår felet, kontakta support.", "sqlite: disk I/O error"},
	} {
		if got := app.ErrorMessage(tc.err); got != tc.msg {
			t.Errorf("ErrorMessage(%v) = %q, want %q", tc.err, got, tc.msg)
		}
		if tc.err != nil && tc.err.Error() != tc.text {
			t.Errorf("Error() = %q, want %q", tc.err.Error(), tc.text)
		}
	}
}
