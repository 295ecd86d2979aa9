package demo_test

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/app/notice"
	"arendestod/data"
)

// wednesday is a working day in a week without holidays.
var wednesday = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)

func start(t *testing.T, opts demo.Options) *demo.Server {
	t.Helper()
	srv, err := demo.Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// Every seeded notice reads, with the notice parser, as what it was made to
// say, over many seeds and so every message style.
func TestSeededNoticesParse(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		srv := start(t, demo.Options{Now: fixed(wednesday), Seed: seed})
		ns := srv.Notices()
		if len(ns) != 30 {
			t.Fatalf("seed %d: %d notices, want 30", seed, len(ns))
		}
		for _, n := range ns {
			in := notice.Parse(n.Raw, n.Sent, "demo")
			if in.Notice == nil {
				t.Fatalf("seed %d: %s is not read as a notice (quarantined: %v):\n%s", seed, n.MessageID, in.Quarantine != nil, n.Raw)
			}
			got := in.Notice
			if got.Type != n.Type || got.Kind != n.Kind || got.Unit != n.Unit || got.Reference != n.Reference ||
				!got.ReceivedAt.Equal(n.ReceivedAt) || got.MessageID != n.MessageID && "<"+got.MessageID+">" != n.MessageID {
				t.Errorf("seed %d: parsed %+v\nwant type %s kind %s unit %s ref %s received %s id %s",
					seed, *got, n.Type, n.Kind, n.Unit, n.Reference, n.ReceivedAt, n.MessageID)
			}
			if in.Key == "" || in.Key != notice.MessageKey(n.Raw) {
				t.Errorf("seed %d: key %q", seed, in.Key)
			}
		}
	}
}

// The seed covers every type group, every type, a notice without a type, and
// tilldelat notices (new and updating); relative to the injected clock it
// has cases overdue, due today and not yet due, all from the last two weeks.
func TestSeedCoverage(t *testing.T) {
	srv := start(t, demo.Options{Now: fixed(wednesday), Seed: 7})
	ns := srv.Notices()
	cal := app.NewCalendar()
	today := app.DateOf(wednesday)
	groups := map[string]bool{}
	types := map[string]bool{}
	flags := map[app.Flag]int{}
	var tilldelatNew, updates int
	ids := map[string]bool{}
	for i, n := range ns {
		if ids[n.MessageID] {
			t.Errorf("Message-ID %s twice", n.MessageID)
		}
		ids[n.MessageID] = true
		types[n.Type] = true
		ct, _ := app.CaseTypeByKey(n.Type)
		groups[ct.Group] = true
		if n.ReceivedAt.After(wednesday) || n.ReceivedAt.Before(wednesday.AddDate(0, 0, -14)) {
			t.Errorf("%s received %s: not in the two weeks before %s", n.MessageID, n.ReceivedAt, wednesday)
		}
		if i > 0 && n.Sent.Before(ns[i-1].Sent) {
			t.Errorf("notices not in the order they were sent: %s before %s", ns[i-1].Sent, n.Sent)
		}
		switch {
		case n.Update:
			updates++
			if n.Kind != app.NoticeTilldelat {
				t.Errorf("update %s is %s", n.MessageID, n.Kind)
			}
			continue
		case n.Kind == app.NoticeTilldelat:
			tilldelatNew++
		}
		flags[app.DeadlineFlag(cal.DueDate(n.ReceivedAt), nil, nil, wednesday)]++
	}
	for _, g := range app.Groups() {
		if !groups[g] {
			t.Errorf("no notice of group %s", g)
		}
	}
	for _, ct := range app.CaseTypes() {
		if !types[ct.Key] {
			t.Errorf("no notice of type %s", ct.Key)
		}
	}
	if updates != 2 || tilldelatNew == 0 {
		t.Errorf("%d updating and %d new tilldelat notices, want 2 and some", updates, tilldelatNew)
	}
	for _, f := range []app.Flag{app.FlagOverdue, app.FlagDueToday, app.FlagOK} {
		if flags[f] < 3 {
			t.Errorf("%d cases %s on %s, want at least 3 (%v)", flags[f], f, today, flags)
		}
	}
	n, err := srv.Messages()
	if err != nil || n != len(ns) {
		t.Errorf("mailbox holds %d messages (%v), want %d", n, err, len(ns))
	}
}

// On a Sunday no case can be due today; the seed still dates every notice
// within the two weeks before now, never after it, also just after midnight.
func TestSeedOnAWeekendJustAfterMidnight(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 0, 3, 0, 0, app.Stockholm)
	srv := start(t, demo.Options{Now: fixed(sunday), Seed: 3})
	ns := srv.Notices()
	if len(ns) != 30 {
		t.Fatalf("%d notices", len(ns))
	}
	for _, n := range ns {
		if n.ReceivedAt.After(sunday) || n.Sent.After(sunday) {
			t.Errorf("%s received %s, sent %s: after now %s", n.MessageID, n.ReceivedAt, n.Sent, sunday)
		}
	}
}

var pnrLike = regexp.MustCompile(`\b(\d{6}|\d{8})[-+]?\d{4}\b`)

// The demo has no patient data: nothing in a notice reads as a personnummer.
func TestNoPersonnummer(t *testing.T) {
	srv := start(t, demo.Options{Now: fixed(wednesday), Seed: 11})
	for range 20 {
		if _, err := srv.Append(); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range srv.Notices() {
		for _, m := range pnrLike.FindAllString(string(n.Raw), -1) {
			if _, err := app.ParsePersonnummer(m); err == nil {
				t.Errorf("%s holds %q, a valid personnummer", n.MessageID, m)
			}
		}
	}
}

// The account logs in over plain IMAP on the loopback interface and finds
// the seeded notices in INBOX; after Close nothing listens.
func TestAccount(t *testing.T) {
	srv := start(t, demo.Options{Now: fixed(wednesday), Seed: 5, Count: 12})
	acc := srv.Account()
	if err := acc.Validate(); err != nil {
		t.Fatal(err)
	}
	if acc.Host != "127.0.0.1" || acc.Security != "plain" || acc.Username != demo.User || acc.Password == "" || acc.Assignee != demo.Owner {
		t.Fatalf("account %+v", acc)
	}
	c, err := imapclient.DialInsecure(srv.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("demo", "wrong").Wait(); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
	if err := c.Login(acc.Username, acc.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(acc.Mailbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages != 12 {
		t.Fatalf("INBOX has %d messages, want 12", sel.NumMessages)
	}
	c.Close()

	other := start(t, demo.Options{Now: fixed(wednesday), Count: -1})
	if other.Password() == srv.Password() {
		t.Error("two servers have the same password")
	}
	if n, _ := other.Messages(); n != 0 {
		t.Errorf("Count -1 seeded %d messages", n)
	}

	srv.Close()
	if c, err := imapclient.DialInsecure(srv.Addr(), nil); err == nil {
		defer c.Close()
		if err := c.Noop().Wait(); err == nil {
			t.Error("server still answers after Close")
		}
	}
}

// AppendEvery appends notices until its context is done.
func TestAppendEvery(t *testing.T) {
	srv := start(t, demo.Options{Now: fixed(wednesday), Seed: 9})
	before, err := srv.Messages()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.AppendEvery(ctx, 2*time.Millisecond, 5*time.Millisecond) }()
	deadline := time.Now().Add(10 * time.Second)
	var n int
	for n < before+3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		if n, err = srv.Messages(); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("AppendEvery: %v", err)
	}
	if n < before+3 {
		t.Fatalf("mailbox grew from %d to %d, want 3 more", before, n)
	}
	// What was appended is dated now and reads as a notice.
	ns := srv.Notices()
	last := ns[len(ns)-1]
	if !last.Sent.Equal(wednesday) {
		t.Errorf("appended notice sent %s, want %s", last.Sent, wednesday)
	}
	if in := notice.Parse(last.Raw, last.Sent, "demo"); in.Notice == nil || in.Notice.Type != last.Type {
		t.Errorf("appended notice parses as %+v", in.Notice)
	}
	after, _ := srv.Messages()
	time.Sleep(30 * time.Millisecond)
	if still, _ := srv.Messages(); still != after {
		t.Errorf("appending went on after cancel: %d then %d", after, still)
	}
}

func openDB(t *testing.T) *data.DB {
	t.Helper()
	db, err := data.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SeedStaff gives every role to someone, schedules this week's working
// days, and changes nothing when run again.
func TestSeedStaff(t *testing.T) {
	ctx := t.Context()
	db := openDB(t)
	today := app.DateOf(wednesday)
	if err := demo.SeedStaff(ctx, db, today); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListStaff(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 5 {
		t.Fatalf("%d staff", len(list))
	}
	for _, r := range app.Roles() {
		found := false
		for _, s := range list {
			found = found || s.HasRole(r.Key)
		}
		if !found {
			t.Errorf("nobody has role %s", r.Key)
		}
	}
	monday, sunday := app.D(2026, 11, 23), app.D(2026, 11, 29)
	sched, err := db.Schedule(ctx, monday, sunday)
	if err != nil {
		t.Fatal(err)
	}
	if len(sched) != 5 {
		t.Fatalf("schedule %v, want Monday to Friday", sched)
	}
	for d, id := range sched {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			t.Errorf("scheduled on %s", d)
		}
		s, err := db.StaffByHSAID(ctx, id)
		if err != nil || !s.HasRole(app.RoleArendemottagare) {
			t.Errorf("%s on duty %s: not an ärendemottagare (%v)", id, d, err)
		}
	}

	// Run again, after someone changed the schedule: nothing is added or
	// overwritten.
	if err := db.SetOnDuty(ctx, monday, "SE2321000131-P000000000006"); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedStaff(ctx, db, today.AddDays(2)); err != nil {
		t.Fatalf("second run: %v", err)
	}
	again, _ := db.ListStaff(ctx, true)
	if len(again) != len(list) {
		t.Errorf("%d staff after the second run, want %d", len(again), len(list))
	}
	sched2, _ := db.Schedule(ctx, monday, sunday)
	if len(sched2) != 5 || sched2[monday] != "SE2321000131-P000000000006" {
		t.Errorf("schedule after second run %v", sched2)
	}
}

// In Christmas week only the working days are scheduled.
func TestSeedStaffHolidayWeek(t *testing.T) {
	ctx := t.Context()
	db := openDB(t)
	if err := demo.SeedStaff(ctx, db, app.D(2026, 12, 23)); err != nil {
		t.Fatal(err)
	}
	sched, err := db.Schedule(ctx, app.D(2026, 12, 21), app.D(2026, 12, 27))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []app.Date{app.D(2026, 12, 21), app.D(2026, 12, 22), app.D(2026, 12, 23)} {
		if sched[d] == "" {
			t.Errorf("%s not scheduled", d)
		}
	}
	if len(sched) != 3 {
		t.Errorf("schedule %v: julafton and juldagen are not working days", sched)
	}
}
