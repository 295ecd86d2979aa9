package ui

import (
	"testing"

	"arendestod/app"
)

// TestFieldMessageCapitalised: the first letter is made upper case as a
// letter, not as a byte, so å ä ö stay whole.
func TestFieldMessageCapitalised(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"ärendet saknas", "Ärendet saknas"},
		{"åldern", "Åldern"},
		{"ögonblick", "Ögonblick"},
		{"ort saknas", "Ort saknas"},
		{"Redan stor", "Redan stor"},
		{"", ""},
		{"\xffbad", "\xffbad"}, // not UTF-8: left as it is
	} {
		if got := capitalize(tt.in); got != tt.want {
			t.Errorf("capitalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := fieldMessage(app.FieldErrorf("contact.kind", "kontaktform saknas (besok, telefon eller video)")); got != "Välj kontaktform" {
		t.Errorf("contact kind: %q", got)
	}
	if got := fieldMessage(app.FieldErrorf("place", "överst")); got != "Överst" {
		t.Errorf("fieldMessage = %q", got)
	}
}
