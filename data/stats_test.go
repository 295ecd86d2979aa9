package data_test

import (
	"context"
	"testing"
	"time"

	"arendestod/app"
)

// StatsCases turns stored UTC times into Stockholm dates itself, without
// the general parser: check it against the cases as the store reads them,
// at the edges of days, of the period and of summer time.
func TestStatsCases(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	type fixture struct {
		received         time.Time
		feedback         *time.Time
		close            bool
		unit             string
		wantInPeriod     bool
		wantRecv, wantFb app.Date
	}
	at := func(t time.Time) *time.Time { return &t }
	from, to := app.D(2026, 12, 14), app.D(2027, 3, 28)
	fixtures := []fixture{
		{received: sthlm(2026, 12, 13, 23, 59), unit: "BUP Uddevalla"}, // the day before the period
		{received: sthlm(2026, 12, 14, 0, 0), unit: "BUP Uddevalla", wantInPeriod: true, wantRecv: app.D(2026, 12, 14)},
		{received: sthlm(2026, 12, 23, 23, 30), feedback: at(sthlm(2026, 12, 29, 0, 15)), unit: "BUP Trollhättan",
			wantInPeriod: true, wantRecv: app.D(2026, 12, 23), wantFb: app.D(2026, 12, 29)},
		{received: sthlm(2026, 12, 31, 12, 0), feedback: at(sthlm(2027, 1, 4, 8, 0)), close: true,
			wantInPeriod: true, wantRecv: app.D(2026, 12, 31), wantFb: app.D(2027, 1, 4)},
		// Summer time begins 28 March 2027 at 02:00: 01:30 UTC is 03:30.
		{received: time.Date(2027, 3, 27, 23, 30, 0, 0, time.UTC), wantInPeriod: true, wantRecv: app.D(2027, 3, 28)},
		{received: time.Date(2027, 3, 28, 21, 59, 0, 0, time.UTC), wantInPeriod: true, wantRecv: app.D(2027, 3, 28)},
		{received: time.Date(2027, 3, 28, 22, 0, 0, 0, time.UTC)}, // 00:00 on the 29th, summer time
	}
	for i, f := range fixtures {
		c := newCase(db, []string{app.TypeFornyaRecept, app.TypeJournalkopia}[i%2], f.received)
		c.Unit = f.unit
		mustCreate(t, db, c)
		if f.feedback != nil {
			if _, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
				if f.close {
					return c.Close(hsaMe, *f.feedback)
				}
				return c.Delsvar(hsaMe, *f.feedback)
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := db.StatsCases(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := db.Cases(ctx, app.CaseFilter{View: app.ViewAll})
	if err != nil {
		t.Fatal(err)
	}
	byRecv := map[app.Date]app.StatsCase{}
	for _, c := range all {
		if d := app.DateOf(c.ReceivedAt); !d.Before(from) && !d.After(to) {
			byRecv[d] = app.StatsCaseOf(c) // one case per date in the period
		}
	}
	n := 0
	for _, f := range fixtures {
		if f.wantInPeriod {
			n++
		}
	}
	if len(got) != n {
		t.Fatalf("%d cases, want %d: %+v", len(got), n, got)
	}
	for _, g := range got {
		want, ok := byRecv[g.Received]
		if !ok && g.Received != app.D(2027, 3, 28) {
			t.Errorf("unexpected %+v", g)
			continue
		}
		if g.Received == app.D(2027, 3, 28) {
			continue // two on that date; checked below
		}
		if g != want {
			t.Errorf("StatsCases %+v, want %+v", g, want)
		}
	}
	for _, f := range fixtures {
		if !f.wantInPeriod {
			continue
		}
		found := false
		for _, g := range got {
			if g.Received == f.wantRecv && g.Feedback == f.wantFb && g.Closed == f.close && g.Unit == f.unit {
				found = true
			}
		}
		if !found {
			t.Errorf("no case received %v with feedback %v (closed %v, unit %q) in %+v", f.wantRecv, f.wantFb, f.close, f.unit, got)
		}
	}
}

// LoadStats over the store gives what ComputeStats gives over the cases
// as the store reads them one by one.
func TestLoadStats(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	start := sthlm(2026, 12, 14, 7, 0)
	for i := 0; i < 120; i++ {
		recv := start.Add(time.Duration(i) * 17 * time.Hour)
		c := mustCreate(t, db, newCase(db, []string{app.TypeFornyaRecept, app.TypeVABUnder12, app.TypeEgenremiss}[i%3], recv))
		if i%4 == 3 {
			continue
		}
		fb := recv.Add(time.Duration(i%7) * 20 * time.Hour)
		if _, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
			if i%2 == 0 {
				return c.Close(hsaMe, fb)
			}
			return c.Delsvar(hsaMe, fb)
		}); err != nil {
			t.Fatal(err)
		}
	}
	q := app.StatsQuery{From: app.D(2026, 12, 14), To: app.D(2027, 1, 31), Today: app.D(2027, 1, 20)}
	got, err := app.LoadStats(ctx, db, q)
	if err != nil {
		t.Fatal(err)
	}
	all, _, _ := db.Cases(ctx, app.CaseFilter{View: app.ViewAll})
	var cs []app.StatsCase
	for _, c := range all {
		cs = append(cs, app.StatsCaseOf(c))
	}
	want := app.ComputeStats(cs, db.Calendar(), q)
	if len(got.ByWeekType) != len(want.ByWeekType) || got.Total != want.Total {
		t.Fatalf("total %+v, want %+v", got.Total, want.Total)
	}
	for i := range want.ByWeekType {
		if got.ByWeekType[i] != want.ByWeekType[i] {
			t.Errorf("row %d %+v, want %+v", i, got.ByWeekType[i], want.ByWeekType[i])
		}
	}
	if want.Total.Incoming == 0 || want.Total.FeedbackLate == 0 {
		t.Fatalf("fixture too thin: %+v", want.Total)
	}
	_, err = app.LoadStats(ctx, db, app.StatsQuery{From: q.To, To: q.From})
	wantCode(t, err, app.EINVALID)
}

// A cancelled read stops with the context's error, in both the serial and
// the parallel path.
func TestEachStatsCaseCancelled(t *testing.T) {
	db := MustOpenDB(t)
	for i := 0; i < 10; i++ {
		mustCreate(t, db, newCase(db, app.TypeJournalkopia, sthlm(2026, 6, 1, 9, 0).AddDate(0, 0, i*15)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, to := range []app.Date{app.D(2026, 6, 30), app.D(2026, 12, 31)} {
		n := 0
		err := db.EachStatsCase(ctx, app.D(2026, 6, 1), to, func(*app.StatsCase) { n++ })
		if err == nil {
			t.Errorf("to %v: no error after cancel (%d cases)", to, n)
		}
	}
	n := 0
	if err := db.EachStatsCase(context.Background(), app.D(2026, 6, 1), app.D(2026, 12, 31), func(*app.StatsCase) { n++ }); err != nil || n != 10 {
		t.Fatalf("%d cases, %v", n, err)
	}
}
