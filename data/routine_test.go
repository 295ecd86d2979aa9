package data_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// Issue 12 in the store: the new fields survive a round trip, and every
// view, counter and the order "Mest brådskande först" in SQL agree with
// app's rules (ViewRule.Matches, CountCases, CompareUrgency) over the same
// cases, on several days.

// routineFixture is an inbox with every issue-12 state: labels → ids.
type routineFixture struct {
	db *data.DB
	id map[string]int64
}

func (f *routineFixture) label(id int64) string {
	for l, x := range f.id {
		if x == id {
			return l
		}
	}
	return "?"
}

func (f *routineFixture) labels(cs []*app.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, f.label(c.ID))
	}
	return out
}

// act changes case label by fn, failing the test on error.
func (f *routineFixture) act(t *testing.T, label string, fn func(c *app.Case) ([]app.Event, error)) *app.Case {
	t.Helper()
	c, err := f.db.UpdateCase(context.Background(), f.id[label], hsaMe, fn)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	return c
}

func newRoutineFixture(t *testing.T) *routineFixture {
	t.Helper()
	db := MustOpenDB(t)
	f := &routineFixture{db: db, id: map[string]int64{}}
	cal := db.Calendar()
	add := func(label, typ string, received time.Time, assignee string) {
		c := newCase(db, typ, received)
		if assignee != "" {
			c.Assignee, c.Status = assignee, app.StatusFordelad
		}
		mustCreate(t, db, c)
		f.id[label] = c.ID
	}
	// Overdue (received Wed 25/11, due Fri 27/11), nothing done.
	add("overdue", app.TypeSkickaMeddelande, sthlm(2026, 11, 25, 10, 0), "")
	// Due today (received Fri 27/11), mine.
	add("today", app.TypeSkickaMeddelande, sthlm(2026, 11, 27, 8, 0), hsaMe)
	// Due tomorrow, nothing done.
	add("tomorrow", app.TypeSkickaMeddelande, sthlm(2026, 11, 30, 9, 0), "")
	// A motfråga the citizen answered on Mon 30/11: owed by Wed 2/12.
	add("citizen", app.TypeSkickaMeddelande, sthlm(2026, 11, 19, 9, 0), hsaOther)
	f.act(t, "citizen", func(c *app.Case) ([]app.Event, error) { return c.Motfraga(hsaOther, sthlm(2026, 11, 20, 9, 0)) })
	f.act(t, "citizen", func(c *app.Case) ([]app.Event, error) {
		return c.CitizenAnswered(app.ActorSystem, sthlm(2026, 11, 30, 15, 0), cal)
	})
	// The citizen answered on Wed 25/11 and nobody has replied: overdue again.
	add("citizenLate", app.TypeSkickaMeddelande, sthlm(2026, 11, 16, 9, 0), hsaMe)
	f.act(t, "citizenLate", func(c *app.Case) ([]app.Event, error) { return c.Motfraga(hsaMe, sthlm(2026, 11, 17, 9, 0)) })
	f.act(t, "citizenLate", func(c *app.Case) ([]app.Event, error) {
		return c.CitizenAnswered(app.ActorSystem, sthlm(2026, 11, 25, 9, 0), cal)
	})
	// Answered (a delsvar) on Mon 30/11: owes nothing, in work.
	add("answered", app.TypeVABUnder12, sthlm(2026, 11, 26, 9, 0), hsaOther)
	f.act(t, "answered", func(c *app.Case) ([]app.Event, error) { return c.Delsvar(hsaOther, sthlm(2026, 11, 30, 9, 0)) })
	// Answered on Tue 17/11, nothing since: no action for 5 working days.
	add("stale", app.TypeSkickaMeddelande, sthlm(2026, 11, 16, 9, 0), hsaMe)
	f.act(t, "stale", func(c *app.Case) ([]app.Event, error) { return c.Delsvar(hsaMe, sthlm(2026, 11, 17, 9, 0)) })
	// Documented in Melior, not closed in 1177.
	add("melior", app.TypeFornyaRecept, sthlm(2026, 11, 30, 8, 0), hsaMe)
	f.act(t, "melior", func(c *app.Case) ([]app.Event, error) {
		return c.SetStep(app.StepMelior, true, hsaMe, sthlm(2026, 11, 30, 10, 0))
	})
	// Closed in 1177 with steps left: efterarbete, mine.
	add("efter", app.TypeAvbokaOmboka, sthlm(2026, 11, 23, 9, 0), hsaMe)
	closeAvbokning(t, f, "efter")
	// Closed with every step done.
	add("done", app.TypeSkickaMeddelande, sthlm(2026, 11, 18, 9, 0), hsaMe)
	f.act(t, "done", func(c *app.Case) ([]app.Event, error) {
		var evs []app.Event
		for _, s := range c.RemainingSteps() {
			e, err := c.SetStep(s.Key, true, hsaMe, sthlm(2026, 11, 19, 9, 0))
			if err != nil {
				return nil, err
			}
			evs = append(evs, e...)
		}
		if c.Status != app.StatusAvslutad {
			e, err := c.Close(hsaMe, sthlm(2026, 11, 19, 10, 0))
			return append(evs, e...), err
		}
		return evs, nil
	})
	return f
}

// closeAvbokning answers avbokning label in 1177 on Tue 24/11, leaving
// Melior, ELVIS and the behandlare to do.
func closeAvbokning(t *testing.T, f *routineFixture, label string) {
	t.Helper()
	c := f.act(t, label, func(c *app.Case) ([]app.Event, error) {
		evs, err := c.ChooseBranch("avbokning", hsaMe, sthlm(2026, 11, 24, 8, 0))
		if err != nil {
			return nil, err
		}
		more, err := c.Close(hsaMe, sthlm(2026, 11, 24, 9, 0))
		return append(evs, more...), err
	})
	if !c.Efterarbete() {
		t.Fatalf("%s: no efterarbete", label)
	}
}

// all returns every case of the fixture, whole (with steps).
func (f *routineFixture) all(t *testing.T) []*app.Case {
	t.Helper()
	var out []*app.Case
	for _, id := range f.id {
		out = append(out, mustCase(t, f.db, id))
	}
	return out
}

func TestRoutineFieldsRoundTrip(t *testing.T) {
	f := newRoutineFixture(t)
	for label, id := range f.id {
		c := mustCase(t, f.db, id)
		// What the change returned is what a fresh read gives.
		again := f.act(t, label, func(c *app.Case) ([]app.Event, error) { return nil, nil })
		if d := diffCase(again, c); d != "" {
			t.Errorf("%s: %s", label, d)
		}
	}
	c := mustCase(t, f.db, f.id["citizen"])
	if c.CitizenAnsweredAt == nil || !c.CitizenAnsweredAt.Equal(sthlm(2026, 11, 30, 15, 0)) ||
		c.NextFeedbackDue != app.D(2026, 12, 2) || !c.CitizenPending() {
		t.Errorf("citizen: answered %v, next due %v, pending %v", c.CitizenAnsweredAt, c.NextFeedbackDue, c.CitizenPending())
	}
	if len(c.Feedback) != 1 || c.Feedback[0].Kind != app.ReplyActionMotfraga || !c.LastActionAt.Equal(sthlm(2026, 11, 30, 15, 0)) {
		t.Errorf("citizen: feedback %v, last action %v", c.Feedback, c.LastActionAt)
	}
	// Undoing a feedback step goes back to what the stored history says.
	a := mustCase(t, f.db, f.id["answered"])
	if len(a.Feedback) != 1 || a.LastFeedbackAt == nil {
		t.Fatalf("answered: feedback %v, last %v", a.Feedback, a.LastFeedbackAt)
	}
	a = f.act(t, "answered", func(c *app.Case) ([]app.Event, error) {
		return c.SetStep(c.Feedback[0].Step, false, hsaMe, testNow)
	})
	if a.FirstFeedbackAt != nil || len(mustCase(t, f.db, a.ID).Feedback) != 0 {
		t.Errorf("untick: first feedback %v, stored feedback %v", a.FirstFeedbackAt, mustCase(t, f.db, a.ID).Feedback)
	}
}

// Every view and counter, and the order, as app says, on several days.
func TestRoutineViewsAgreeWithApp(t *testing.T) {
	ctx := context.Background()
	f := newRoutineFixture(t)
	all := f.all(t)
	cal := f.db.Calendar()
	views := append(append([]string{app.ViewAll, app.ViewClosed, app.ViewReceivedSince}, app.CountedViews()...), app.RoutineCountedViews()...)
	for _, today := range []app.Date{testToday, app.D(2026, 11, 27), testToday.AddDays(1), testToday.AddDays(7)} {
		cutoff := app.StaleCutoff(cal, today, app.DefaultStaleDays)
		for _, me := range []string{hsaMe, hsaOther} {
			for _, v := range views {
				filt := app.CaseFilter{View: v, Me: me, Today: today, StaleCutoff: cutoff, ReceivedFrom: app.D(2026, 11, 26)}
				r := filt.Rule()
				var want []*app.Case
				for _, c := range all {
					if r.Matches(c) {
						want = append(want, c)
					}
				}
				if v == app.ViewClosed {
					slices.SortFunc(want, func(a, b *app.Case) int { return b.ClosedAt.Compare(*a.ClosedAt) })
				} else {
					app.SortByUrgency(want, today)
				}
				name := today.String() + "/" + me[len(me)-1:] + "/" + v
				got, total, err := f.db.Cases(ctx, filt)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(f.labels(got), f.labels(want)) || total != len(want) {
					t.Errorf("%s: Cases %v (total %d), want %v", name, f.labels(got), total, f.labels(want))
				}
				// The inbox pages through the same order, two rows a page.
				var paged []*app.Case
				var after *app.Case
				for i := 0; i < 20; i++ {
					page, err := f.db.InboxPage(ctx, filt, after, 2)
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, page...)
					if len(page) < 2 {
						break
					}
					after = page[len(page)-1]
				}
				if !slices.Equal(f.labels(paged), f.labels(want)) {
					t.Errorf("%s: InboxPage %v, want %v", name, f.labels(paged), f.labels(want))
				}
				if n, err := f.db.InboxCount(ctx, filt); err != nil || n != len(want) {
					t.Errorf("%s: InboxCount %d, %v, want %d", name, n, err, len(want))
				}
			}
			got, err := f.db.Counts(ctx, me, today)
			if err != nil {
				t.Fatal(err)
			}
			if want := app.CountCases(all, me, today, cutoff); got != want {
				t.Errorf("%s/%s: Counts %+v, want %+v", today, me, got, want)
			}
		}
	}
	// The fixture means something: each state is where it should be today.
	got, err := f.db.Counts(ctx, hsaMe, testToday)
	if err != nil {
		t.Fatal(err)
	}
	want := app.CaseCounts{New: 2, Open: 8, Mine: 5, Overdue: 2, DueToday: 1, Efterarbete: 1, CitizenAnswered: 2, Stale: 1, Melior: 1}
	if got != want {
		t.Errorf("Counts on %s = %+v, want %+v", testToday, got, want)
	}
	open, _, err := f.db.Cases(ctx, app.CaseFilter{View: app.ViewOpen, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"citizenLate", "overdue", "today", "citizen", "melior", "tomorrow", "stale", "answered"}
	if got := f.labels(open); !slices.Equal(got, wantOrder) {
		t.Errorf("Mest brådskande först: %v, want %v", got, wantOrder)
	}
}

// The clinic's setting of days without action is what Counts uses; a
// search in a routine view finds within it.
func TestRoutineStaleSettingAndSearch(t *testing.T) {
	ctx := context.Background()
	f := newRoutineFixture(t)
	for _, tt := range []struct {
		setting string
		want    int
	}{{"", 1}, {"10", 1}, {"11", 0}, {"1", 8}} {
		if err := f.db.SetSetting(ctx, app.SettingStaleDays, tt.setting); err != nil {
			t.Fatal(err)
		}
		c, err := f.db.Counts(ctx, hsaMe, testToday)
		if err != nil {
			t.Fatal(err)
		}
		if c.Stale != tt.want {
			t.Errorf("setting %q: stale %d, want %d", tt.setting, c.Stale, tt.want)
		}
		if n, err := f.db.StaleDays(ctx); err != nil || n != app.StaleDaysOf(tt.setting) {
			t.Errorf("StaleDays = %d, %v", n, err)
		}
	}
	// A zero cutoff selects nothing stale.
	_, total, err := f.db.Cases(ctx, app.CaseFilter{View: app.ViewStale, Today: testToday})
	if err != nil || total != 0 {
		t.Errorf("stale without cutoff: %d, %v", total, err)
	}
	page, err := f.db.InboxPage(ctx, app.CaseFilter{View: app.ViewEfterarbete, Search: "avboka", Today: testToday}, nil, 10)
	if err != nil || !slices.Equal(f.labels(page), []string{"efter"}) {
		t.Errorf("search in Efterarbete: %v, %v", f.labels(page), err)
	}
}

// Older rows get their derived values when the store opens: as migration
// 0005 leaves them (steps_left NULL, nothing else derived).
func TestRoutineFillDerivedAtOpen(t *testing.T) {
	ctx := context.Background()
	loc := newLocation(t)
	db := mustOpenAt(t, loc)
	f := &routineFixture{db: db, id: map[string]int64{}}
	c := newCase(db, app.TypeAvbokaOmboka, sthlm(2026, 11, 23, 9, 0))
	mustCreate(t, db, c)
	f.id["efter"] = c.ID
	closeAvbokning(t, f, "efter")
	raw := rawStore(t, db)
	if _, err := raw.Exec(`UPDATE cases SET steps_left = NULL, melior_open = 0, last_action_date = NULL, feedback_due = NULL`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Counts(ctx, hsaMe, testToday); err != nil || n.Efterarbete != 0 {
		t.Fatalf("before: %+v, %v", n, err)
	}
	again := mustOpenAt(t, loc)
	if n, err := again.Counts(ctx, hsaMe, testToday); err != nil || n.Efterarbete != 1 {
		t.Errorf("after reopening: %+v, %v", n, err)
	}
	var missing int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM cases WHERE steps_left IS NULL OR last_action_date IS NULL`).Scan(&missing); err != nil || missing != 0 {
		t.Errorf("%d rows without derived values, %v", missing, err)
	}
}

func TestIngestTilldelatByAddressAndLearnedType(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	s := &app.Staff{Name: "Test Testsson", HSAID: hsaOther, Email: "Test.Testsson@Region.example", Roles: []app.Role{app.RoleArendehanterare}, Active: true}
	if err := db.AddStaff(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.LearnTypeWording(ctx, hsaMe, "Journal kopia, tack", app.TypeJournalkopia); err != nil {
		t.Fatal(err)
	}
	notice := func(key, kind, typeName, to string) app.Inbound {
		n := &app.Notice{Kind: kind, Unit: "BUP Testköping", Type: app.MatchTypeName(typeName), TypeName: typeName,
			Reference: "R-" + key, ReceivedAt: sthlm(2026, 11, 30, 9, 0), MessageID: "<" + key + "@test>", Recipient: to}
		return app.Inbound{Key: key, Source: "test", Notice: n, Assignee: ""}
	}
	items := []app.Inbound{
		notice("a", app.NoticeTilldelat, "Förnya recept", "<test.testsson@region.example>"),
		notice("b", app.NoticeTilldelat, "Förnya recept", "okand@region.example"),
		notice("c", app.NoticeInkommit, "Journal kopia, tack", ""),
	}
	res, err := db.IngestBatch(ctx, items, nil)
	if err != nil {
		t.Fatal(err)
	}
	if items[2].Notice.Type != app.TypeOkand {
		t.Errorf("the caller's notice was changed: %q", items[2].Notice.Type)
	}
	a, b, c := mustCase(t, db, res[0].CaseID), mustCase(t, db, res[1].CaseID), mustCase(t, db, res[2].CaseID)
	if a.Assignee != hsaOther || a.Status != app.StatusFordelad {
		t.Errorf("sent to a staff member's address: %q %s", a.Assignee, a.Status)
	}
	if b.Assignee != "" || b.Status != app.StatusNy {
		t.Errorf("sent to an unknown address: %q %s", b.Assignee, b.Status)
	}
	evs, err := db.Events(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Kind != app.EventReceived || evs[1].Kind != app.EventTilldelatOkand || evs[1].Detail != "okand@region.example" {
		t.Errorf("events of the unknown address's case: %+v", evs)
	}
	if c.Type != app.TypeJournalkopia {
		t.Errorf("learned wording: type %q", c.Type)
	}
}

func TestLearnedWordingsAudited(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.LearnTypeWording(ctx, hsaMe, "Journal kopia, tack", app.TypeJournalkopia); err != nil {
		t.Fatal(err)
	}
	if err := db.LearnTypeWording(ctx, hsaMe, "", app.TypeJournalkopia); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("empty wording: %v", err)
	}
	w, err := db.TypeWordings(ctx)
	if err != nil || len(w.List()) != 1 || w.List()[0].Type != app.TypeJournalkopia {
		t.Fatalf("TypeWordings = %v, %v", w, err)
	}
	if found, err := db.ForgetTypeWording(ctx, hsaOther, "Journal  kopia, tack"); err != nil || !found {
		t.Errorf("Forget = %v, %v", found, err)
	}
	if found, err := db.ForgetTypeWording(ctx, hsaOther, "Journal  kopia, tack"); err != nil || found {
		t.Errorf("Forget again = %v, %v", found, err)
	}
	if w, _ := db.TypeWordings(ctx); len(w) != 0 {
		t.Errorf("after forgetting: %v", w)
	}
	es, err := db.AuditEntries(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Actor != hsaMe || es[1].Actor != hsaOther || !strings.Contains(es[0].Detail, app.TypeJournalkopia) ||
		es[0].Action != app.AuditChange || es[0].Patient != "" {
		t.Errorf("audit rows: %+v", es)
	}
	if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
		t.Errorf("VerifyAudit = %d, %v", id, err)
	}
}

func TestMorningChecks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for _, m := range []struct {
		by string
		at time.Time
	}{{hsaMe, sthlm(2026, 11, 30, 8, 5)}, {hsaOther, sthlm(2026, 12, 1, 8, 30)}, {hsaMe, sthlm(2026, 12, 1, 9, 0)}, {hsaMe, sthlm(2026, 12, 3, 8, 0)}} {
		mc, err := app.NewMorningCheck(m.by, m.at)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RecordMorningCheck(ctx, mc); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.MorningChecks(ctx, app.D(2026, 11, 30), testToday)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Day != app.D(2026, 11, 30) || got[1].By != hsaOther || got[2].Day != testToday ||
		!got[2].At.Equal(sthlm(2026, 12, 1, 9, 0)) || got[2].At.Location() != app.Stockholm {
		t.Errorf("MorningChecks = %+v", got)
	}
	if !app.MorningCheckDone(got, testToday) || app.MorningCheckDone(got, app.D(2026, 12, 2)) {
		t.Error("MorningCheckDone disagrees")
	}
	if err := db.RecordMorningCheck(ctx, app.MorningCheck{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("empty check: %v", err)
	}
}
