package data_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// changeLog collects what a subscription delivers.
type changeLog struct {
	mu  sync.Mutex
	got []app.Change
	at  []time.Time
	new chan struct{}
}

func subscribe(tb testing.TB, db *data.DB) *changeLog {
	tb.Helper()
	l := &changeLog{new: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	stop := db.Subscribe(ctx, func(c app.Change) {
		l.mu.Lock()
		l.got = append(l.got, c)
		l.at = append(l.at, time.Now())
		l.mu.Unlock()
		select {
		case l.new <- struct{}{}:
		default:
		}
	})
	tb.Cleanup(func() { stop(); cancel() })
	return l
}

// next waits up to within for the change after the n already taken
// (counted by taken) that match says is wanted; changes it skips count.
func (l *changeLog) wait(tb testing.TB, within time.Duration, match func(app.Change) bool) app.Change {
	tb.Helper()
	deadline := time.After(within)
	for {
		l.mu.Lock()
		for _, c := range l.got {
			if match(c) {
				l.mu.Unlock()
				return c
			}
		}
		l.mu.Unlock()
		select {
		case <-l.new:
		case <-deadline:
			tb.Fatalf("no matching change within %v; got %+v", within, l.all())
			return app.Change{}
		}
	}
}

func (l *changeLog) all() []app.Change {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]app.Change(nil), l.got...)
}

func (l *changeLog) reset() {
	l.mu.Lock()
	l.got, l.at = nil, nil
	l.mu.Unlock()
}

// secondDesk opens another store on db's database on PostgreSQL (another
// desk); on SQLite, whose feed is in-process, it is db itself.
func secondDesk(tb testing.TB, db *data.DB) *data.DB {
	tb.Helper()
	if !onPG() {
		return db
	}
	return mustOpenAt(tb, location(tb, db))
}

func newTestCase(tb testing.TB, db *data.DB, ref string) *app.Case {
	tb.Helper()
	c := app.NewCase(app.TypeFornyaRecept, testNow.Add(-time.Hour), db.Calendar())
	c.Reference = ref
	if err := db.CreateCase(context.Background(), c, app.ActorSystem); err != nil {
		tb.Fatal(err)
	}
	return c
}

func addTestStaff(tb testing.TB, db *data.DB) {
	tb.Helper()
	for _, s := range []*app.Staff{
		{Name: "Sara Sjöberg", HSAID: hsaMe, Roles: []app.Role{app.RoleArendemottagare, app.RoleSjukskoterska}},
		{Name: "Erik Ek", HSAID: hsaOther, Roles: []app.Role{app.RoleSjukskoterska, app.RoleChef}},
	} {
		if err := db.AddStaff(context.Background(), s); err != nil {
			tb.Fatal(err)
		}
	}
}

// A change committed on one desk reaches a subscriber on another within
// a second: every kind the store sends.
func TestChangeFeedDelivers(t *testing.T) {
	ctx := context.Background()
	a := MustOpenDB(t)
	b := secondDesk(t, a)
	l := subscribe(t, b)
	within := time.Second

	addTestStaff(t, a)
	l.wait(t, within, func(c app.Change) bool { return c.Kind == app.ChangeStaff })

	c := newTestCase(t, a, "1177-500001")
	got := l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeCase && ch.CaseID == c.ID })
	if !got.New || got.Actor != app.ActorSystem {
		t.Errorf("new case change %+v, want New by system", got)
	}
	// Local: made through the subscriber's own store (on SQLite the feed
	// is in-process, b is a), not on another desk.
	if got.Local != (a == b) {
		t.Errorf("new case change Local %v; the other desk's store is the subscriber's own: %v", got.Local, a == b)
	}
	if onPG() {
		own := subscribe(t, a)
		mine := newTestCase(t, a, "1177-500003")
		if got := own.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeCase && ch.CaseID == mine.ID }); !got.Local {
			t.Errorf("a desk's own change arrived as another desk's: %+v", got)
		}
	}

	// A case from intake (on a server its batch is written through the
	// row batcher) reaches the other desk too.
	in := app.Inbound{Key: "feed-intake-1", Source: "test", Raw: []byte("x"), Sender: "notis@1177.se",
		Notice: &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeEgenremiss, Reference: "1177-500002",
			ReceivedAt: testNow.Add(-time.Hour)}}
	rs, err := a.IngestBatch(ctx, []app.Inbound{in}, nil)
	if err != nil || len(rs) != 1 || rs[0].Outcome != app.OutcomeNew {
		t.Fatalf("intake: %+v, %v", rs, err)
	}
	got = l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeCase && ch.CaseID == rs[0].CaseID })
	if !got.New {
		t.Errorf("intake's new case change %+v, want New", got)
	}

	l.reset()
	if _, err := a.UpdateCase(ctx, c.ID, hsaOther, func(k *app.Case) ([]app.Event, error) {
		return k.Assign(hsaMe, hsaOther, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	got = l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeCase && ch.CaseID == c.ID })
	if got.New || got.Actor != hsaOther || got.AssignedTo != hsaMe || !got.At.Equal(testNow) {
		t.Errorf("fördela change %+v, want by %s to %s at %v", got, hsaOther, hsaMe, testNow)
	}

	l.reset()
	if _, err := a.UpdateCase(ctx, c.ID, hsaMe, func(k *app.Case) ([]app.Event, error) {
		return k.AddNote("Ringt vårdnadshavare", hsaMe, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	got = l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeCase && ch.CaseID == c.ID })
	if got.AssignedTo != "" || got.Actor != hsaMe {
		t.Errorf("note change %+v", got)
	}

	if err := a.SetOnDuty(ctx, testToday, hsaMe); err != nil {
		t.Fatal(err)
	}
	l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeSchedule })
	if err := a.SetSetting(ctx, app.SettingMottagningNamn, "BUP Test"); err != nil {
		t.Fatal(err)
	}
	l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeSettings })

	// Closed days: the other desk's calendar follows.
	closed := app.D(2026, time.December, 4)
	if err := a.SetClosedDay(ctx, closed, "Planeringsdag", true); err != nil {
		t.Fatal(err)
	}
	l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangeClosedDays })
	if b.Calendar().IsWorkingDay(closed) {
		t.Errorf("the other desk's calendar still has %v as a working day", closed)
	}

	if err := a.OpenCase(ctx, "desk-a", hsaOther, c.ID); err != nil {
		t.Fatal(err)
	}
	got = l.wait(t, within, func(ch app.Change) bool { return ch.Kind == app.ChangePresence })
	if got.CaseID != c.ID || got.Actor != hsaOther {
		t.Errorf("presence change %+v", got)
	}
}

// Nothing is delivered for a transaction that rolls back: a batch whose
// second message is refused stores (and tells) nothing of the first.
func TestChangeFeedNothingForRollback(t *testing.T) {
	ctx := context.Background()
	a := MustOpenDB(t)
	b := secondDesk(t, a)
	l := subscribe(t, b)

	good := app.Inbound{Key: "k1", Source: "test", Raw: []byte("x"), Notice: &app.Notice{Kind: app.NoticeInkommit,
		Type: app.TypeFornyaRecept, Reference: "1177-600001", ReceivedAt: testNow.Add(-time.Hour)}}
	bad := app.Inbound{} // no key: Validate refuses it
	if _, err := a.IngestBatch(ctx, []app.Inbound{good, bad}, nil); err == nil {
		t.Fatal("the batch with an invalid message was stored")
	}
	c := newTestCase(t, a, "1177-600002") // the marker: delivered after whatever came before
	l.wait(t, time.Second, func(ch app.Change) bool { return ch.CaseID == c.ID })
	for _, ch := range l.all() {
		if ch.CaseID != c.ID {
			t.Errorf("delivered %+v of a rolled-back transaction", ch)
		}
	}
	if n := countRows(t, a, "cases"); n != 1 {
		t.Errorf("%d cases, want 1 (the batch rolled back)", n)
	}
}

// When the LISTEN connection is lost, the feed reconnects and says
// "resync"; changes after it arrive again.
func TestChangeFeedReconnectResyncs(t *testing.T) {
	if !onPG() {
		t.Skip("PostgreSQL only: SQLite's feed has no connection to lose")
	}
	a := MustOpenDB(t)
	b := mustOpenAt(t, location(t, a))
	l := subscribe(t, b)
	raw := rawStore(t, a)
	var n int
	if err := raw.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'arendestod-listen' AND datname = current_database()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("terminated %d listening connections, want 1", n)
	}
	l.wait(t, 5*time.Second, func(ch app.Change) bool { return ch.Kind == app.ChangeResync })
	c := newTestCase(t, a, "1177-700001")
	l.wait(t, time.Second, func(ch app.Change) bool { return ch.CaseID == c.ID })
}

// A subscription ends with stop and with its context, and Close ends
// the feed.
func TestChangeFeedStop(t *testing.T) {
	a := MustOpenDB(t)
	var mu sync.Mutex
	n := 0
	stop := a.Subscribe(context.Background(), func(app.Change) { mu.Lock(); n++; mu.Unlock() })
	l := subscribe(t, a)
	stop()
	c := newTestCase(t, a, "1177-800001")
	l.wait(t, time.Second, func(ch app.Change) bool { return ch.CaseID == c.ID })
	mu.Lock()
	defer mu.Unlock()
	if n != 0 {
		t.Errorf("a stopped subscription got %d changes", n)
	}
}

// No lost update: an action on a stale view that depends on the case's
// state is refused with the name of who changed it; a note is applied in
// order; my own changes never make my view stale.
func TestUpdateCaseIfStale(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	addTestStaff(t, db)
	c := newTestCase(t, db, "1177-900001")
	seen, err := db.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if seen.Version == 0 {
		t.Fatal("a case read has no version")
	}
	at := time.Date(2026, time.December, 1, 10, 43, 0, 0, app.Stockholm)
	setClock(db, at)
	// Erik takes the case while Sara has it open.
	if _, err := db.UpdateCase(ctx, c.ID, hsaOther, func(k *app.Case) ([]app.Event, error) {
		return k.Assign(hsaOther, hsaOther, at)
	}); err != nil {
		t.Fatal(err)
	}
	// Sara closes it from her stale view: refused, nothing stored.
	before := len(mustEvents(t, db, c.ID))
	_, err = db.UpdateCaseIf(ctx, c.ID, hsaMe, seen.Version, func(k *app.Case) ([]app.Event, error) {
		return k.Close(hsaMe, at)
	})
	wantCode(t, err, app.ECONFLICT)
	want := "Ärendet ändrades av Erik Ek kl 10:43 medan du hade det öppet. Det visas nu som det är; gör om åtgärden om den fortfarande behövs."
	if app.ErrorMessage(err) != want {
		t.Errorf("message %q, want %q", app.ErrorMessage(err), want)
	}
	if n := len(mustEvents(t, db, c.ID)); n != before {
		t.Errorf("%d events after the refusal, want %d", n, before)
	}
	// A note from the same stale view is applied in order.
	got, err := db.UpdateCaseIf(ctx, c.ID, hsaMe, seen.Version, func(k *app.Case) ([]app.Event, error) {
		return k.AddNote("Pratat med Erik", hsaMe, at)
	})
	if err != nil {
		t.Fatalf("note on a stale view: %v", err)
	}
	if got.Version <= seen.Version || got.Assignee != hsaOther {
		t.Errorf("after the note: version %d (seen %d), assignee %s", got.Version, seen.Version, got.Assignee)
	}
	// Sara's own note does not make her fresh view stale.
	fresh, err := db.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Version != got.Version {
		t.Errorf("Case says version %d, UpdateCaseIf returned %d", fresh.Version, got.Version)
	}
	if _, err := db.UpdateCaseIf(ctx, c.ID, hsaMe, seen.Version+0, func(k *app.Case) ([]app.Event, error) {
		return k.Close(hsaMe, at)
	}); err == nil {
		t.Error("closing from the view read before Erik's change was accepted")
	}
	if _, err := db.UpdateCaseIf(ctx, c.ID, hsaMe, fresh.Version, func(k *app.Case) ([]app.Event, error) {
		return k.Close(hsaMe, at)
	}); err != nil {
		t.Errorf("closing from the fresh view: %v", err)
	}
}

// Two desks close and re-assign one case from the same view at the same
// moment: exactly one is applied, the other refused; nothing is silently
// overwritten.
func TestUpdateCaseIfConcurrent(t *testing.T) {
	ctx := context.Background()
	a := MustOpenDB(t)
	b := secondDesk(t, a)
	addTestStaff(t, a)
	for i := range 10 {
		c := newTestCase(t, a, "1177-91000"+string(rune('0'+i)))
		seen, err := a.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j, d := range []struct {
			db    *data.DB
			actor string
		}{{a, hsaMe}, {b, hsaOther}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[j] = d.db.UpdateCaseIf(ctx, c.ID, d.actor, seen.Version, func(k *app.Case) ([]app.Event, error) {
					return k.Assign(d.actor, d.actor, testNow)
				})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if app.ErrorCode(err) != app.ECONFLICT || !strings.HasPrefix(app.ErrorMessage(err), "Ärendet ändrades av ") {
				t.Errorf("case %d: %v", c.ID, err)
			}
		}
		if ok != 1 {
			t.Errorf("case %d: %d of 2 applied, want 1 (%v)", c.ID, ok, errs)
		}
		if n := len(mustEvents(t, a, c.ID)); n != 2 {
			t.Errorf("case %d: %d events, want received + one fördela", c.ID, n)
		}
	}
}

// Presence: who has a case open, renewed by a heartbeat, gone when closed
// or silent for a minute.
func TestPresence(t *testing.T) {
	ctx := context.Background()
	a := MustOpenDB(t)
	b := secondDesk(t, a)
	c := newTestCase(t, a, "1177-950001")
	at := testNow
	clock := func(t time.Time) { setClock(a, t); setClock(b, t) }
	clock(at)
	if err := a.OpenCase(ctx, "desk-a", hsaMe, c.ID); err != nil {
		t.Fatal(err)
	}
	clock(at.Add(5 * time.Second))
	if err := b.OpenCase(ctx, "desk-b", hsaOther, c.ID); err != nil {
		t.Fatal(err)
	}
	viewers := func(db *data.DB) []string {
		t.Helper()
		ps, err := db.CaseViewers(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Session+"/"+p.HSAID)
		}
		sort.Strings(out)
		return out
	}
	if got := viewers(b); strings.Join(got, " ") != "desk-a/"+hsaMe+" desk-b/"+hsaOther {
		t.Errorf("viewers %v", got)
	}
	ps, _ := b.CaseViewers(ctx, c.ID)
	if !ps[0].Since.Equal(at) {
		t.Errorf("desk-a since %v, want %v", ps[0].Since, at)
	}
	// desk-b's heartbeats keep it; desk-a crashed and falls silent.
	for s := 25; s <= 65; s += 20 {
		clock(at.Add(time.Duration(s) * time.Second))
		if err := b.OpenCase(ctx, "desk-b", hsaOther, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := viewers(a); strings.Join(got, " ") != "desk-b/"+hsaOther {
		t.Errorf("after desk-a's silence: %v", got)
	}
	ps, _ = a.CaseViewers(ctx, c.ID)
	if !ps[0].Since.Equal(at.Add(5 * time.Second)) {
		t.Errorf("a heartbeat moved since to %v", ps[0].Since)
	}
	if err := b.CloseCase(ctx, "desk-b", c.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.CloseCase(ctx, "desk-b", c.ID); err != nil {
		t.Errorf("closing twice: %v", err)
	}
	if got := viewers(a); len(got) != 0 {
		t.Errorf("after closing: %v", got)
	}
	if err := a.OpenCase(ctx, "", hsaMe, c.ID); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no session: %v", err)
	}
}

// BenchmarkChangeFeedLatency: a change committed on one desk until a
// subscriber on another desk has it, PostgreSQL on this machine, N=200
// changes one after the other. Goal (issue 11): p50 ≤ 200 ms, max ≤ 1 s.
func BenchmarkChangeFeedLatency(b *testing.B) {
	pgtest.Need(b)
	ctx := context.Background()
	loc := pgtest.DB(b)
	open := func() *data.DB {
		db, err := data.Open(loc)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	a, other := open(), open()
	c := app.NewCase(app.TypeFornyaRecept, time.Now().Add(-time.Hour), a.Calendar())
	if err := a.CreateCase(ctx, c, app.ActorSystem); err != nil {
		b.Fatal(err)
	}
	got := make(chan time.Time, 1)
	stop := other.Subscribe(ctx, func(ch app.Change) {
		if ch.CaseID == c.ID {
			got <- time.Now()
		}
	})
	defer stop()
	const n = 200
	for range b.N {
		lat := make([]time.Duration, 0, n)
		for i := range n {
			start := time.Now()
			if _, err := a.UpdateCase(ctx, c.ID, hsaMe, func(k *app.Case) ([]app.Event, error) {
				return k.AddNote("anteckning "+string(rune('a'+i%26)), hsaMe, time.Now())
			}); err != nil {
				b.Fatal(err)
			}
			select {
			case t := <-got:
				lat = append(lat, t.Sub(start))
			case <-time.After(5 * time.Second):
				b.Fatal(errors.New("a change did not arrive within 5 s"))
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[n-1].Microseconds())/1000, "max-ms")
		if lat[n/2] > 200*time.Millisecond || lat[n-1] > time.Second {
			b.Errorf("latency p50 %v, max %v; goal p50 ≤ 200 ms, max ≤ 1 s", lat[n/2], lat[n-1])
		}
	}
}
