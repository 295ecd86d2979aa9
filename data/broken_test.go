package data_test

import (
	"context"
	"strings"
	"testing"

	"arendestod/app"
)

// plantBrokenRows stores three cases and then, behind the store's back,
// gives one an absurd received time and due date (year 9999, as a forged
// "Inkom: 9999-12-31 23:59" made before intake checked it) and another a
// received time that is no time at all. It returns the ids: good, absurd,
// garbage.
func plantBrokenRows(t *testing.T, db interface {
	CreateCase(context.Context, *app.Case, string) error
	Calendar() *app.Calendar
}, raw *rawConn) (int64, int64, int64) {
	t.Helper()
	var ids [3]int64
	for i := range ids {
		c := app.NewCase(app.TypeJournalkopia, sthlm(2026, 11, 23+i, 9, 0), db.Calendar())
		if err := db.CreateCase(context.Background(), c, hsaMe); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	if _, err := raw.Exec(`UPDATE cases SET received_at = '9999-12-31T22:59:00.000Z', due_date = '10000-01-04' WHERE id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE cases SET received_at = 'igår', due_date = '2026-13-45' WHERE id = ?`, ids[2]); err != nil {
		t.Fatal(err)
	}
	// A fourth, closed, whose closing time is no time.
	c := app.NewCase(app.TypeJournalkopia, sthlm(2026, 11, 20, 9, 0), db.Calendar())
	if err := db.CreateCase(context.Background(), c, hsaMe); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE cases SET status = 'avslutad', closed_at = 'nej', feedback_due = NULL, steps_left = 0 WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	return ids[0], ids[1], ids[2]
}

// TestBrokenRowsShownNotFatal: an unreadable row never fails a list; it is
// shown, marked broken with the reason, and the other rows come as ever
// (issue 13, item 1).
func TestBrokenRowsShownNotFatal(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	raw := rawStore(t, db)
	good, absurd, garbage := plantBrokenRows(t, db, raw)

	closed := garbage + 1
	want := map[string][]int64{
		app.ViewAll:    {good, absurd, garbage, closed},
		app.ViewOpen:   {good, absurd, garbage},
		app.ViewClosed: {closed},
	}
	check := func(name string, cs []*app.Case) {
		t.Helper()
		seen := map[int64]*app.Case{}
		for _, c := range cs {
			seen[c.ID] = c
		}
		ids := want[strings.Fields(name)[1]]
		if len(seen) != len(ids) || len(cs) != len(ids) {
			t.Fatalf("%s: %d cases (%d distinct), want %d", name, len(cs), len(seen), len(ids))
		}
		for _, id := range ids {
			switch c := seen[id]; {
			case c == nil:
				t.Errorf("%s: case %d missing", name, id)
			case id == good && c.Broken != "":
				t.Errorf("%s: good case marked broken: %q", name, c.Broken)
			case id != good && c.Broken == "":
				t.Errorf("%s: case %d not marked broken", name, id)
			}
		}
	}
	for _, v := range []string{app.ViewAll, app.ViewOpen, app.ViewClosed} {
		cs, total, err := db.Cases(ctx, app.CaseFilter{View: v, Today: testToday})
		if err != nil || total != len(want[v]) {
			t.Fatalf("Cases(%s): total %d, %v", v, total, err)
		}
		check("Cases "+v, cs)
		page, err := db.InboxPage(ctx, app.CaseFilter{View: v, Today: testToday}, nil, 50)
		if err != nil {
			t.Fatalf("InboxPage(%s): %v", v, err)
		}
		check("InboxPage "+v, page)
		// One row a page: paging goes past the broken rows, each once.
		var all []*app.Case
		var after *app.Case
		for i := 0; i < 10; i++ {
			p, err := db.InboxPage(ctx, app.CaseFilter{View: v, Today: testToday}, after, 1)
			if err != nil {
				t.Fatalf("InboxPage(%s) page %d: %v", v, i, err)
			}
			if len(p) == 0 {
				break
			}
			all = append(all, p...)
			after = p[len(p)-1]
		}
		check("paged "+v, all)
	}
	if _, err := db.Counts(ctx, hsaMe, testToday); err != nil {
		t.Errorf("Counts: %v", err)
	}
	for _, id := range []int64{absurd, garbage, closed} {
		c, err := db.Case(ctx, id)
		if err != nil {
			t.Fatalf("Case(%d): %v", id, err)
		}
		if c.Broken == "" {
			t.Errorf("Case(%d) not marked broken", id)
		}
		t.Logf("case %d: %s", id, c.Broken)
		// A broken row is not written over with what could be read of it.
		_, err = db.UpdateCase(ctx, id, hsaMe, func(c *app.Case) ([]app.Event, error) { return c.Assign(hsaMe, hsaMe, testNow) })
		wantCode(t, err, app.ECONFLICT)
	}
	if _, err := db.Events(ctx, absurd); err != nil {
		t.Errorf("Events: %v", err)
	}
}

// TestBrokenCaseNoticeQuarantined: a notice about a broken case is
// quarantined with the reason, not written over the row, and the batch
// goes on.
func TestBrokenCaseNoticeQuarantined(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	raw := rawStore(t, db)
	_, absurd, _ := plantBrokenRows(t, db, raw)
	if _, err := raw.Exec(`UPDATE cases SET reference = 'REF-TRASIG' WHERE id = ?`, absurd); err != nil {
		t.Fatal(err)
	}
	at := sthlm(2026, 11, 30, 9, 0)
	res := mustIngest(t, db, []app.Inbound{
		notice("<a@test.invalid>", app.NoticeInkommit, app.TypeJournalkopia, "REF-TRASIG", at),
		notice("<b@test.invalid>", app.NoticeInkommit, app.TypeJournalkopia, "REF-NY", at),
	}, nil)
	if res[0].Outcome != app.OutcomeQuarantined || res[1].Outcome != app.OutcomeNew {
		t.Fatalf("results %+v", res)
	}
	q, err := db.Quarantine(ctx)
	if err != nil || len(q) != 1 || !strings.Contains(q[0].Reason, "trasig") {
		t.Fatalf("quarantine %+v, %v", q, err)
	}
	if c := mustCase(t, db, absurd); c.Broken == "" || c.Reference != "REF-TRASIG" {
		t.Errorf("case after the notice: %+v", c)
	}
}
