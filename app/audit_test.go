package app_test

import (
	"testing"

	"arendestod/app"
)

// TestAuditActionLabel: every stored key has its own Swedish label, the
// keys the database holds are unchanged, and an unknown key shows as is.
func TestAuditActionLabel(t *testing.T) {
	want := map[string]string{
		"visa": "Läst", "ändra": "Ändrat", "skriv-ut": "Skrivit ut", "exportera": "Exporterat",
		"utdrag": "Registerutdrag", "gallra": "Gallrat",
	}
	labels := map[string]bool{}
	for _, a := range app.AuditActions() {
		if want[a.Key] != a.Label {
			t.Errorf("action %q: label %q, want %q", a.Key, a.Label, want[a.Key])
		}
		if labels[a.Label] {
			t.Errorf("label %q used twice", a.Label)
		}
		labels[a.Label] = true
		if got := app.AuditActionLabel(a.Key); got != a.Label {
			t.Errorf("AuditActionLabel(%q) = %q, want %q", a.Key, got, a.Label)
		}
	}
	if len(labels) != len(want) {
		t.Errorf("%d actions, want %d", len(labels), len(want))
	}
	for _, k := range []string{app.AuditView, app.AuditChange, app.AuditPrint, app.AuditExport, app.AuditExtract, app.AuditRetention} {
		if _, ok := want[k]; !ok {
			t.Errorf("constant %q is not a stored key", k)
		}
	}
	if got := app.AuditActionLabel("okänd-åtgärd"); got != "okänd-åtgärd" {
		t.Errorf("unknown key: %q", got)
	}
}
