package cli_test

import (
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	"arendestod/ui/cli"
)

// TestCasesShowsBrokenRow: a case row with the due date `10000-01-04`
// (written by the sqlite3 tool, or stored before intake checked received
// times) no longer makes `cases` exit 1: the row is listed as "Trasig
// rad", the reason goes to stderr, and `cases --json` carries it in
// "broken" beside every usual field (issue 13, item 1).
func TestCasesShowsBrokenRow(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-20 09:00")
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-21 09:00")
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE cases SET received_at = '9999-12-31T22:59:00.000Z', due_date = '10000-01-04' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := h.run("--db", db, "cases")
	if r.code != 0 || !strings.Contains(r.stdout, "Trasig rad") || strings.Count(r.stdout, "\n") != 3 ||
		!strings.Contains(r.stderr, "ärende nr 2") || !strings.Contains(r.stderr, "10000-01-04") {
		t.Fatalf("cases: exit %d\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	t.Logf("%s\n%s", r.stdout, r.stderr)
	var cs []map[string]any
	if err := json.Unmarshal([]byte(h.ok("--db", db, "cases", "--all", "--json")), &cs); err != nil || len(cs) != 2 {
		t.Fatalf("cases --json: %v, %v", cs, err)
	}
	for _, c := range cs {
		for _, k := range []string{"id", "type", "type_name", "unit", "reference", "received_at", "due_date", "status",
			"assignee", "first_feedback_at", "closed_at", "flag"} {
			if _, ok := c[k]; !ok {
				t.Errorf("case %v lacks %q", c["id"], k)
			}
		}
		if b, _ := c["broken"].(string); (c["id"] == 2.0) != (b != "") {
			t.Errorf("case %v: broken %q", c["id"], b)
		}
	}
	var typed []cli.CaseJSON
	if err := json.Unmarshal([]byte(h.ok("--db", db, "cases", "--json")), &typed); err != nil || len(typed) != 2 {
		t.Fatalf("typed: %v, %v", typed, err)
	}
}
