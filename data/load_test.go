package data_test

import (
	"context"
	"testing"

	"arendestod/app"
)

// Fördela's load: open cases per assignee, closed ones and unassigned
// ones not counted; on both backends.
func TestOpenCasesByAssignee(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	add := func(assignee string, status app.Status) {
		c := newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 25, 10, 0))
		if assignee != "" {
			c.Assignee, c.Status = assignee, status
		}
		mustCreate(t, db, c)
	}
	add("SE-A", app.StatusFordelad)
	add("SE-A", app.StatusFordelad)
	add("SE-A", app.StatusAvslutad)
	add("SE-B", app.StatusFordelad)
	add("", app.StatusNy)
	got, err := db.OpenCasesByAssignee(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["SE-A"] != 2 || got["SE-B"] != 1 {
		t.Errorf("open by assignee = %v, want SE-A 2, SE-B 1", got)
	}
}
