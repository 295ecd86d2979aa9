package data_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

func openViewDB(tb testing.TB) *data.DB {
	tb.Helper()
	db, err := data.Open(newLocation(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// seedView stores n cases over the case types and three units, received
// an hour apart from base, with references R00000...
func seedView(tb testing.TB, db *data.DB, n int, base time.Time) {
	tb.Helper()
	types := app.CaseTypes()
	units := []string{"BUP Uddevalla", "BUP Trollhättan", "BUP Vänersborg"}
	var items []app.Inbound
	for i := 0; i < n; i++ {
		items = append(items, app.Inbound{Key: fmt.Sprintf("k%d", i), Source: "test", Notice: &app.Notice{
			Kind: app.NoticeInkommit, Unit: units[i%len(units)], Type: types[i%len(types)].Key,
			Reference: fmt.Sprintf("R%05d", i), ReceivedAt: base.Add(time.Duration(i) * time.Hour),
			MessageID: fmt.Sprintf("<%d@test>", i)}})
	}
	if _, err := db.IngestBatch(context.Background(), items, nil); err != nil {
		tb.Fatal(err)
	}
}

func ids(cs []*app.Case) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestInboxPage(t *testing.T) {
	ctx := context.Background()
	db := openViewDB(t)
	base := time.Date(2026, 11, 2, 8, 0, 0, 0, app.Stockholm)
	seedView(t, db, 120, base)
	// Close a few, note one, so views and search have something to tell apart.
	for i, id := range []int64{3, 7, 50, 51, 52, 60, 61, 62, 63, 90, 91, 92, 93, 94, 95, 96} {
		at := base.Add(200*time.Hour + time.Duration(i/3)*time.Minute) // ties in threes
		if _, err := db.UpdateCase(ctx, id, "SE2321000131-P1", func(c *app.Case) ([]app.Event, error) {
			return c.Close("SE2321000131-P1", at)
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.UpdateCase(ctx, 42, "SE2321000131-P1", func(c *app.Case) ([]app.Event, error) {
		return c.AddNote("Mamman ringde om Kalle", "SE2321000131-P1", base)
	}); err != nil {
		t.Fatal(err)
	}
	today := app.D(2026, 11, 5)

	filters := map[string]app.CaseFilter{
		"Open":     {View: app.ViewOpen},
		"Overdue":  {View: app.ViewOverdue, Today: today},
		"Group":    {View: app.ViewOpen, Group: app.GroupOvriga},
		"Closed":   {View: app.ViewClosed},
		"All":      {View: app.ViewAll},
		"Search":   {View: app.ViewOpen, Search: "r0001"},
		"TypeName": {View: app.ViewOpen, Search: "förnya"},
		"Dense":    {View: app.ViewOpen, Search: "bup"},
		"Note":     {View: app.ViewAll, Search: "kalle"},
		"Closed+":  {View: app.ViewClosed, Search: "r000"},
		"Quotes":   {View: app.ViewAll, Search: `"r0001" OR *`},
		"Syntax":   {View: app.ViewAll, Search: `r00 AND (`},
		"Dash":     {View: app.ViewAll, Search: "-"},
		"Short":    {View: app.ViewAll, Search: "r1"},
		"Swedish":  {View: app.ViewAll, Search: "VÄNERSBORG"},
	}
	for _, probe := range []int{2000, 5} {
		restore := data.SetInboxProbe(probe)
		for name, f := range filters {
			t.Run(fmt.Sprintf("PagesMatchCases/probe=%d/%s", probe, name), func(t *testing.T) {
				all, total, err := db.Cases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var got []*app.Case
				var after *app.Case
				for {
					page, err := db.InboxPage(ctx, f, after, 7)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, page...)
					if len(page) < 7 {
						break
					}
					after = page[len(page)-1]
				}
				if fmt.Sprint(ids(got)) != fmt.Sprint(ids(all)) {
					t.Errorf("pages %v\nwant  %v", ids(got), ids(all))
				}
				n, err := db.InboxCount(ctx, f)
				if err != nil || n != total {
					t.Errorf("count %d (%v), want %d", n, err, total)
				}
			})
		}
		restore()
	}

	t.Run("ClosedCountCapped", func(t *testing.T) {
		// The closed view's total stops at the cap plus one; under the
		// cap it is exact.
		_, closed, _ := db.Cases(ctx, app.CaseFilter{View: app.ViewClosed})
		defer data.SetClosedCountCap(closed - 4)()
		if n, err := db.InboxCount(ctx, app.CaseFilter{View: app.ViewClosed}); err != nil || n != closed-3 {
			t.Errorf("capped closed count %d (%v), want %d (the cap plus one)", n, err, closed-3)
		}
		few := app.CaseFilter{View: app.ViewClosed, Search: "r0009"}
		if _, want, _ := db.Cases(ctx, few); want == 0 || want > closed-4 {
			t.Fatalf("the fixture has %d closed cases matching r0009; want some, under the cap", want)
		} else if n, err := db.InboxCount(ctx, few); err != nil || n != want {
			t.Errorf("closed r0009 %d (%v), want %d exactly", n, err, want)
		}
		// A search has its own, lower cap (app.ClosedSearchCountCap):
		// a common term stops there, a rare one stays exact, and the
		// view without a search keeps the higher cap.
		common := app.CaseFilter{View: app.ViewClosed, Search: "r00"}
		_, many, _ := db.Cases(ctx, common)
		sc := min(many, closed-4) - 2 // under the view's own cap set above
		if sc < 2 {
			t.Fatalf("the fixture has %d closed cases matching r00; want more", many)
		}
		defer data.SetClosedSearchCountCap(sc)()
		if n, err := db.InboxCount(ctx, common); err != nil || n != sc+1 {
			t.Errorf("closed r00 with the search cap %d: %d (%v), want %d (the cap plus one)", sc, n, err, sc+1)
		}
		if _, want, _ := db.Cases(ctx, few); want <= sc {
			if n, err := db.InboxCount(ctx, few); err != nil || n != want {
				t.Errorf("closed r0009 under the search cap %d (%v), want %d exactly", n, err, want)
			}
		}
		if n, err := db.InboxCount(ctx, app.CaseFilter{View: app.ViewClosed}); err != nil || n != closed-3 {
			t.Errorf("closed without a search %d (%v), want %d (its own cap plus one)", n, err, closed-3)
		}
		// Other views stay exact.
		_, open, _ := db.Cases(ctx, app.CaseFilter{View: app.ViewOpen})
		if n, err := db.InboxCount(ctx, app.CaseFilter{View: app.ViewOpen}); err != nil || n != open {
			t.Errorf("open count %d (%v), want %d", n, err, open)
		}
	})

	t.Run("SearchNotesAndUnit", func(t *testing.T) {
		for search, want := range map[string]int{"kalle": 1, "KALLE": 1, "50%": 0, "r_00": 0, "VÄNERSBORG": -1, "vänersborg": -1, "trollhättan": -1} {
			f := app.CaseFilter{View: app.ViewOpen, Search: search}
			if want < 0 {
				_, want, _ = db.Cases(ctx, f)
			}
			n, err := db.InboxCount(ctx, f)
			if err != nil || n != want || (search == "vänersborg" && n < 30) {
				t.Errorf("%q: %d (%v), want %d", search, n, err, want)
			}
		}
	})

	t.Run("NoPatientData", func(t *testing.T) {
		if _, err := db.UpdateCase(ctx, 1, "SE2321000131-P1", func(c *app.Case) ([]app.Event, error) {
			return c.SetPatient("", "Kalle Anka", "SE2321000131-P1", base)
		}); err != nil {
			t.Fatal(err)
		}
		page, err := db.InboxPage(ctx, app.CaseFilter{View: app.ViewAll}, nil, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			if c.HasPatientData() {
				t.Fatalf("case %d carries patient data into the list", c.ID)
			}
		}
	})
}

// BenchmarkInboxPage measures what one search keystroke costs the
// inbox at 100,000 cases: the first page (what the list shows at once).
// The total is counted beside it (ui BenchmarkInboxKeystroke/count) and arrives after.
func BenchmarkInboxPage(b *testing.B) {
	db := openViewDB(b)
	seedView(b, db, 100_000, time.Date(2016, 1, 4, 8, 0, 0, 0, app.Stockholm))
	ctx := context.Background()
	for _, search := range []string{"", "r", "r0", "r05", "r0500", "recept", "uddevalla", "zzz", "mamman"} {
		b.Run("search="+search, func(b *testing.B) {
			f := app.CaseFilter{View: app.ViewOpen, Search: search}
			for b.Loop() {
				if _, err := db.InboxPage(ctx, f, nil, 101); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("group", func(b *testing.B) {
		f := app.CaseFilter{View: app.ViewOpen, Group: app.GroupOvriga}
		for b.Loop() {
			if _, err := db.InboxPage(ctx, f, nil, 101); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInboxPagePG is the inbox's first page of 100 rows and its total
// at 100,000 cases (issue 11: ≤ 5 ms on PostgreSQL on the same machine),
// on PostgreSQL and, in the same run for the ratio, on SQLite: the same
// cases in both. Every case is open: the worst case for the open views.
func BenchmarkInboxPagePG(b *testing.B) { benchInboxPages(b, false) }

// BenchmarkInboxPageMixPG is BenchmarkInboxPagePG on the mix a clinic's
// database has after years (as benchDB's): of 100,000 cases all but about
// one in twenty closed, and the same measures for the closed view too.
func BenchmarkInboxPageMixPG(b *testing.B) { benchInboxPages(b, true) }

func benchInboxPages(b *testing.B, mix bool) {
	pgtest.Need(b)
	base := time.Date(2016, 1, 4, 8, 0, 0, 0, app.Stockholm)
	dbs := []struct {
		name string
		loc  string
	}{{"SQLite", filepath.Join(b.TempDir(), "view.db")}, {"PostgreSQL", pgtest.DB(b)}}
	for _, d := range dbs {
		db, err := data.Open(d.loc)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		start := time.Now()
		seedView(b, db, 100_000, base)
		var raw *sql.DB
		if db.IsServer() {
			raw, err = sql.Open("pgx", d.loc)
		} else {
			raw, err = newRaw(d.loc)
		}
		if err != nil {
			b.Fatal(err)
		}
		if mix {
			// Closed and answered as the store would have saved them,
			// except one case in twenty left open and owed an answer.
			if _, err := raw.Exec(`UPDATE cases SET status = 'avslutad', first_feedback_at = received_at,
				closed_at = received_at, last_feedback_at = received_at, feedback_due = NULL, steps_left = 0
				WHERE id % 20 <> 0`); err != nil {
				b.Fatal(err)
			}
		}
		// As autovacuum does soon after a load: the planner's statistics,
		// the visibility map (index-only counts) and the trigram indexes'
		// pending entries merged (until then every search reads the
		// pending list whole).
		if _, err := raw.Exec(`VACUUM`); err != nil {
			b.Fatal(err)
		}
		if _, err := raw.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
		raw.Close()
		b.Logf("%s: 100,000 cases in %v", d.name, time.Since(start).Round(time.Millisecond))
		views := []string{app.ViewOpen}
		if mix {
			views = append(views, app.ViewClosed)
		}
		for _, view := range views {
			for _, search := range []string{"", "uddevalla", "r05", "r0500", "zzz"} {
				b.Run(d.name+"/view="+view+"/search="+search, func(b *testing.B) {
					benchPageAndCount(b, db, app.CaseFilter{View: view, Search: search})
				})
			}
			b.Run(d.name+"/view="+view+"/group", func(b *testing.B) {
				benchPageAndCount(b, db, app.CaseFilter{View: view, Group: app.GroupOvriga})
			})
		}
	}
}

func benchPageAndCount(b *testing.B, db *data.DB, f app.CaseFilter) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.InboxPage(ctx, f, nil, 100); err != nil {
			b.Fatal(err)
		}
		if _, err := db.InboxCount(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestInboxSearchPaths compares the inbox's faster paths (open_search,
// the search index alone, the capped closed total by difference; see
// inboxsearch.go) with the simple path, Cases with the same filter, on
// both backends: every page and total, with each path forced in turn
// (few or many matches read by id, a short or long walk), and again after
// writes that move a case in or out of open_search or change its text.
func TestInboxSearchPaths(t *testing.T) {
	ctx := context.Background()
	db := mustOpenAt(t, newLocation(t))
	base := time.Date(2026, 11, 2, 8, 0, 0, 0, app.Stockholm)
	seedView(t, db, 240, base)
	const actor = "SE2321000131-P1"
	act := func(id int64, fn func(c *app.Case) ([]app.Event, error)) {
		t.Helper()
		if _, err := db.UpdateCase(ctx, id, actor, fn); err != nil {
			t.Fatal(err)
		}
	}
	// Two cases in three closed, at distinct times (and some at the same).
	for id := int64(1); id <= 240; id++ {
		if id%3 == 0 {
			continue
		}
		at := base.Add(300*time.Hour + time.Duration(id/4)*time.Minute)
		act(id, func(c *app.Case) ([]app.Event, error) { return c.Close(actor, at) })
	}
	act(42, func(c *app.Case) ([]app.Event, error) { return c.AddNote("Mamman ringde om Kalle", actor, base) })
	act(43, func(c *app.Case) ([]app.Event, error) { return c.AddNote("Pappan, Kalles far", actor, base) })
	today := app.D(2026, 11, 20)

	searches := []string{"", "uddevalla", "bup", "r001", "r0012", "r00", "zzz", "kalle", "förnya", "VÄNERSBORG", "r1", "5", "50%"}
	var filters []app.CaseFilter
	for _, s := range searches {
		for _, v := range []string{app.ViewOpen, app.ViewClosed, app.ViewAll, app.ViewOverdue} {
			filters = append(filters, app.CaseFilter{View: v, Search: s, Today: today})
		}
		filters = append(filters, app.CaseFilter{View: app.ViewOpen, Search: s, Group: app.GroupOvriga},
			app.CaseFilter{View: app.ViewClosed, Search: s, Group: app.GroupOvriga})
	}
	raw := rawStore(t, db)
	check := func(t *testing.T, stage string) {
		// open_search is exactly the open cases' type and search text.
		var bad int
		if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM (SELECT id, type, search FROM cases WHERE status <> 'avslutad'
			EXCEPT SELECT id, type, search FROM open_search) AS a) + (SELECT COUNT(*) FROM (SELECT id, type, search FROM open_search
			EXCEPT SELECT id, type, search FROM cases WHERE status <> 'avslutad') AS b)`).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		if bad != 0 {
			t.Fatalf("%s: open_search differs from the open cases in %d rows", stage, bad)
		}
		for _, few := range []int{500, 3} {
			for _, probe := range []int{2000, 4} {
				restoreFew, restoreProbe := data.SetInboxFew(few), data.SetInboxProbe(probe)
				for _, f := range filters {
					all, total, err := db.Cases(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					var got []*app.Case
					var after *app.Case
					for {
						page, err := db.InboxPage(ctx, f, after, 9)
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, page...)
						if len(page) < 9 {
							break
						}
						after = page[len(page)-1]
					}
					if fmt.Sprint(ids(got)) != fmt.Sprint(ids(all)) {
						t.Errorf("%s few=%d probe=%d %+v: pages %v\nwant  %v", stage, few, probe, f, ids(got), ids(all))
					}
					n, err := db.InboxCount(ctx, f)
					if err != nil || n != total {
						t.Errorf("%s few=%d probe=%d %+v: count %d (%v), want %d", stage, few, probe, f, n, err, total)
					}
				}
				restoreFew()
				restoreProbe()
			}
		}
		// The closed view's capped total by difference: over the cap it
		// is the cap plus one, at or under it exact.
		for _, s := range []string{"uddevalla", "bup", "r00", "r001"} {
			f := app.CaseFilter{View: app.ViewClosed, Search: s}
			_, total, _ := db.Cases(ctx, f)
			for _, c := range []int{total - 5, total - 1, total, total + 1} {
				if c < 0 {
					continue
				}
				restore := data.SetClosedCountCap(c)
				n, err := db.InboxCount(ctx, f)
				restore()
				if want := min(total, c+1); err != nil || n != want {
					t.Errorf("%s: closed %q under cap %d: %d (%v), want %d", stage, s, c, n, err, want)
				}
			}
		}
	}
	check(t, "seeded")

	// Writes: a case closed, one reopened, notes added to an open and a
	// closed case, a type changed; each moves rows in or out of
	// open_search or changes them.
	act(3, func(c *app.Case) ([]app.Event, error) { return c.Close(actor, base.Add(400*time.Hour)) })
	act(4, func(c *app.Case) ([]app.Event, error) { return c.Reopen(actor, base.Add(401*time.Hour)) })
	act(6, func(c *app.Case) ([]app.Event, error) { return c.AddNote("Ring Kalle i Uddevalla", actor, base) })
	act(7, func(c *app.Case) ([]app.Event, error) { return c.AddNote("Kalle igen", actor, base) })
	act(9, func(c *app.Case) ([]app.Event, error) {
		to := "journalkopia"
		if c.Type == to {
			to = "egenremiss"
		}
		return c.Reroute(to, actor, base)
	})
	check(t, "after writes")
}
