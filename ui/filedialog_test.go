package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"arendestod/ui/locale"
)

// Issue 14, item 7: Fyne's own Swedish, corrected: "Spara fil", not "Spara
// Fil"; the parent folder "(Upp)", which fits under its icon, not
// "(Överordnad)".
func TestFyneSwedishCorrected(t *testing.T) {
	before := os.Getenv("LANG")
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "sv_SE.UTF-8")
	t.Cleanup(func() {
		// Fyne chooses its language again from the environment: the
		// test's own for the tests after this one (t.Setenv restores the
		// variables after this cleanup).
		os.Setenv("LANG", before)
		_ = lang.AddTranslationsForLocale(locale.FyneSwedish, fyne.Locale("sv"))
	})
	if err := lang.AddTranslationsForLocale(locale.FyneSwedish, fyne.Locale("sv")); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Save") + " " + lang.L("File"); got != "Spara fil" {
		t.Errorf("the save dialog's title %q", got)
	}
	if got := lang.X("file.parent", "Parent"); got != "Upp" {
		t.Errorf("the parent folder %q", got)
	}
	if got := lang.L("Cancel"); got != "Avbryt" {
		t.Errorf("Fyne's own Swedish lost: Cancel is %q", got)
	}
}
