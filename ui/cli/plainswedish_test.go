package cli_test

import (
	"strings"
	"testing"
)

// Issue 14, item 7: the command line names the flag, never an English
// field key, and several errors are several lines (not one line with a
// written "\n" in it).
func TestErrorsNameFlagsOnSeparateLines(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	r := h.run("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-11-20 10:00", "--unit", strings.Repeat("a", 300))
	if r.code != 2 || !strings.Contains(r.stderr, "arendestod: --unit: ") || strings.Contains(r.stderr, "arendestod: unit:") {
		t.Errorf("case add with a long unit: exit %d, stderr %q", r.code, r.stderr)
	}
	r = h.run("--db", db, "staff", "add", "--name", "Ali Haddad", "--hsa-id", "SE232-P1", "--role", "doktor")
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if r.code != 2 || len(lines) != 2 || strings.Contains(r.stderr, `\n`) ||
		!strings.HasPrefix(lines[0], "arendestod: --hsa-id: ") || !strings.HasPrefix(lines[1], "arendestod: --role: ") {
		t.Errorf("two staff errors: exit %d, stderr %q", r.code, r.stderr)
	}
}
