package data_test

import (
	"context"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
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

// TestMigrationRepairsDates: migration 0009 mends rows stored before
// intake checked received times (year 9999, due 10000-01-04; 1970): the
// received time becomes the time the case was registered, due that day,
// the old values kept in a "lagad" event, the derived columns recomputed;
// sound cases are untouched, and running it again changes nothing.
func TestMigrationRepairsDates(t *testing.T) {
	ctx := context.Background()
	loc := newLocation(t)
	db := mustOpenAt(t, loc)
	raw := rawStore(t, db)
	var ids []int64
	for i := range 3 {
		c := mustCreate(t, db, newCase(db, app.TypeJournalkopia, sthlm(2026, 11, 23+i, 9, 0)))
		ids = append(ids, c.ID)
	}
	sound := mustCase(t, db, ids[0])
	for i, q := range []string{
		`UPDATE cases SET received_at = '9999-12-31T22:59:00.000Z', due_date = '10000-01-04', feedback_due = '10000-01-04' WHERE id = ?`,
		`UPDATE cases SET received_at = '1970-01-01T00:00:00.000Z', due_date = '1970-01-05', feedback_due = '1970-01-05' WHERE id = ?`,
	} {
		if _, err := raw.Exec(q, ids[1+i]); err != nil {
			t.Fatal(err)
		}
	}
	rerun := func() *data.DB {
		t.Helper()
		if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = 9`); err != nil {
			t.Fatal(err)
		}
		return mustOpenAt(t, loc)
	}
	again := rerun()
	cs, total, err := again.Cases(ctx, app.CaseFilter{View: app.ViewAll, Today: testToday})
	if err != nil || total != 3 {
		t.Fatalf("Cases: %d, %v", total, err)
	}
	for _, c := range cs {
		if c.Broken != "" {
			t.Errorf("case %d still broken: %s", c.ID, c.Broken)
		}
	}
	if d := diffCase(mustCase(t, again, ids[0]), sound); d != "" {
		t.Errorf("sound case changed: %s", d)
	}
	for i, was := range []string{"9999-12-31T22:59:00.000Z, svar senast 10000-01-04", "1970-01-01T00:00:00.000Z, svar senast 1970-01-05"} {
		c := mustCase(t, again, ids[1+i])
		if !c.ReceivedAt.Equal(testNow) || c.DueDate != testToday {
			t.Errorf("case %d: received %v, due %v; want %v, %v", c.ID, c.ReceivedAt, c.DueDate, testNow, testToday)
		}
		if due, owed := c.FeedbackDue(); !owed || due != testToday {
			t.Errorf("case %d: feedback due %v %v", c.ID, due, owed)
		}
		evs := mustEvents(t, again, c.ID)
		last := evs[len(evs)-1]
		if last.Kind != app.EventRepaired || last.Detail != "inkommen tid "+was || last.Actor != app.ActorSystem {
			t.Errorf("case %d: last event %+v", c.ID, last)
		}
	}
	// Shown as due today: the repaired rows' derived values are the store's.
	if n, err := again.Counts(ctx, hsaMe, testToday); err != nil || n.DueToday != 2 {
		t.Errorf("counts %+v, %v", n, err)
	}
	before := countRows(t, again, "case_events")
	rerun()
	if after := countRows(t, again, "case_events"); after != before {
		t.Errorf("second run: %d events, was %d", after, before)
	}
}
