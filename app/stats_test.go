package app_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"arendestod/app"
)

// The oracle of these tests is written here, apart from the code under
// test: the closed days of the period are listed by hand, working days and
// due dates are counted by the simplest loop, ISO weeks come from the
// standard library, and medians from sorting.

// stClosed lists by hand every weekday the clinic is closed from December
// 2026 to April 2027: Christmas and New Year, trettondedag jul, and Easter
// 2027 (Easter Sunday 28 March).
var stClosed = map[string]bool{
	"2026-12-24": true, // julafton
	"2026-12-25": true, // juldagen
	"2026-12-31": true, // nyårsafton
	"2027-01-01": true, // nyårsdagen
	"2027-01-06": true, // trettondedag jul
	"2027-03-26": true, // långfredagen
	"2027-03-29": true, // annandag påsk
}

func stDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func stWorking(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !stClosed[t.Format(time.DateOnly)]
}

// stDue is the second working day strictly after t.
func stDue(t time.Time) time.Time {
	for n := 0; n < 2; {
		t = t.AddDate(0, 0, 1)
		if stWorking(t) {
			n++
		}
	}
	return t
}

// stWorkdays counts working days d with from < d <= to.
func stWorkdays(from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if stWorking(d) {
			n++
		}
	}
	return n
}

func stWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func stDate(t time.Time) app.Date { return app.D(t.Year(), t.Month(), t.Day()) }

func stTime(d app.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// stExpect is the expected figures of one row.
type stExpect struct {
	incoming, inTime, late, none, overdue, closed int
	workdays                                      []int
}

func (e *stExpect) median() (float64, bool) {
	if len(e.workdays) == 0 {
		return 0, false
	}
	w := append([]int(nil), e.workdays...)
	sort.Ints(w)
	n := len(w)
	if n%2 == 1 {
		return float64(w[n/2]), true
	}
	return float64(w[n/2-1]+w[n/2]) / 2, true
}

func stCheckRow(t *testing.T, what string, got app.StatsRow, want *stExpect) {
	t.Helper()
	if want == nil {
		want = &stExpect{}
	}
	if got.Incoming != want.incoming || got.FeedbackInTime != want.inTime || got.FeedbackLate != want.late ||
		got.NoFeedbackYet != want.none || got.OverdueNow != want.overdue || got.Closed != want.closed {
		t.Errorf("%s: got incoming %d in time %d late %d none %d overdue %d closed %d; want %d %d %d %d %d %d", what,
			got.Incoming, got.FeedbackInTime, got.FeedbackLate, got.NoFeedbackYet, got.OverdueNow, got.Closed,
			want.incoming, want.inTime, want.late, want.none, want.overdue, want.closed)
	}
	m, ok := want.median()
	if got.HasMedian != ok || got.MedianWorkdays != m {
		t.Errorf("%s: median %v (%v), want %v (%v)", what, got.MedianWorkdays, got.HasMedian, m, ok)
	}
}

// stHistory generates cases received 2026-12-07 .. 2027-04-18, a few
// outside the queried period on each side, with the due date from the
// oracle.
func stHistory() []app.StatsCase {
	r := rand.New(rand.NewPCG(6, 2027))
	types := []string{app.TypeFornyaRecept, app.TypeVABUnder12, app.TypeJournalkopia, app.TypeKorkort, "gammal-typ"}
	units := []string{"BUP Uddevalla", "BUP Trollhättan", ""}
	var out []app.StatsCase
	for d := stDay("2026-12-07"); !d.After(stDay("2027-04-18")); d = d.AddDate(0, 0, 1) {
		n := 2 + r.IntN(8)
		if !stWorking(d) {
			n = r.IntN(3) // fewer on closed days, but some: 1177 never closes
		}
		for i := 0; i < n; i++ {
			c := app.StatsCase{
				Type:     types[r.IntN(len(types))],
				Unit:     units[r.IntN(len(units))],
				Received: stDate(d),
				Due:      stDate(stDue(d)),
			}
			if r.IntN(5) > 0 {
				c.Feedback = stDate(d.AddDate(0, 0, r.IntN(9)))
				c.Closed = r.IntN(3) > 0
			}
			out = append(out, c)
		}
	}
	// Fixed cases around the holidays, checked by hand below.
	out = append(out,
		// Received the day before julafton: due 29 December.
		app.StatsCase{Type: app.TypeFornyaRecept, Unit: "BUP Uddevalla", Received: app.D(2026, 12, 23), Due: app.D(2026, 12, 29), Feedback: app.D(2026, 12, 29)},
		// Received before Easter: due 31 March; feedback on 1 April is late.
		app.StatsCase{Type: app.TypeFornyaRecept, Unit: "BUP Uddevalla", Received: app.D(2027, 3, 25), Due: app.D(2027, 3, 31), Feedback: app.D(2027, 4, 1)},
	)
	return out
}

func TestComputeStatsAcrossChristmasAndEaster(t *testing.T) {
	cal := app.NewCalendar()
	from, to, today := stDay("2026-12-14"), stDay("2027-04-11"), stDay("2027-04-09")
	cases := stHistory()

	// The oracle's due dates agree with the calendar's on every date used.
	for _, c := range cases {
		if got := cal.DueDate(c.Received.Time().Add(12 * time.Hour)); got != c.Due {
			t.Fatalf("received %v: calendar due %v, oracle %v", c.Received, got, c.Due)
		}
	}

	byWeekType := map[string]*stExpect{}
	byWeek := map[string]*stExpect{}
	byType := map[string]*stExpect{}
	byUnit := map[string]*stExpect{}
	total := &stExpect{}
	get := func(m map[string]*stExpect, k string) *stExpect {
		if m[k] == nil {
			m[k] = &stExpect{}
		}
		return m[k]
	}
	for _, c := range cases {
		recv := stTime(c.Received)
		if recv.Before(from) || recv.After(to) {
			continue
		}
		week := stWeek(recv)
		for _, e := range []*stExpect{get(byWeekType, week+"|"+c.Type), get(byWeek, week), get(byType, c.Type), get(byUnit, c.Unit), total} {
			e.incoming++
			if c.Closed {
				e.closed++
			}
			if c.Feedback.IsZero() {
				e.none++
				if today.After(stTime(c.Due)) {
					e.overdue++
				}
				continue
			}
			fb := stTime(c.Feedback)
			if fb.After(stTime(c.Due)) {
				e.late++
			} else {
				e.inTime++
			}
			e.workdays = append(e.workdays, stWorkdays(recv, fb))
		}
	}

	s := app.ComputeStats(cases, cal, app.StatsQuery{From: stDate(from), To: stDate(to), Today: stDate(today)})

	// Week × type: exactly the combinations with incoming cases, in week
	// order and the routine's type order (unknown keys last).
	if len(s.ByWeekType) != len(byWeekType) {
		t.Errorf("%d week×type rows, want %d", len(s.ByWeekType), len(byWeekType))
	}
	for i, r := range s.ByWeekType {
		k := r.Week.String() + "|" + r.Type
		stCheckRow(t, k, r, byWeekType[k])
		if byWeekType[k] == nil {
			t.Errorf("unexpected row %s", k)
		}
		if i > 0 {
			p := s.ByWeekType[i-1]
			if p.Week.String() > r.Week.String() || p.Week == r.Week && p.Type == "gammal-typ" {
				t.Errorf("row %d (%s) out of order after %s|%s", i, k, p.Week, p.Type)
			}
		}
	}
	// Every week of the period, in order: 2026-W51 .. 2027-W14 is 17 weeks
	// (2026 has 53 ISO weeks).
	var weeks []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 7) {
		weeks = append(weeks, stWeek(d))
	}
	if len(weeks) != 17 || weeks[0] != "2026-W51" || weeks[2] != "2026-W53" || weeks[3] != "2027-W01" || weeks[16] != "2027-W14" {
		t.Fatalf("oracle weeks %v", weeks)
	}
	if len(s.ByWeek) != len(weeks) {
		t.Fatalf("%d week rows, want %d", len(s.ByWeek), len(weeks))
	}
	for i, w := range weeks {
		if s.ByWeek[i].Week.String() != w {
			t.Errorf("week %d = %s, want %s", i, s.ByWeek[i].Week, w)
		}
		stCheckRow(t, "week "+w, s.ByWeek[i], byWeek[w])
	}
	if len(s.ByType) != len(byType) {
		t.Errorf("%d type rows, want %d", len(s.ByType), len(byType))
	}
	for _, r := range s.ByType {
		stCheckRow(t, "type "+r.Type, r, byType[r.Type])
	}
	if s.ByType[len(s.ByType)-1].Type != "gammal-typ" {
		t.Errorf("unknown type key not last: %v", s.ByType[len(s.ByType)-1].Type)
	}
	if len(s.ByUnit) != len(byUnit) {
		t.Errorf("%d unit rows, want %d", len(s.ByUnit), len(byUnit))
	}
	for _, r := range s.ByUnit {
		stCheckRow(t, "unit "+r.Unit, r, byUnit[r.Unit])
	}
	stCheckRow(t, "total", s.Total, total)
	if total.incoming < 300 || total.overdue == 0 || total.late == 0 || total.none == total.overdue {
		t.Fatalf("generated history too thin to test anything: %+v", *total)
	}

	// Week × unit sums to the week.
	sums := map[string]int{}
	for _, r := range s.ByWeekUnit {
		sums[r.Week.String()] += r.Incoming
	}
	for w, e := range byWeek {
		if sums[w] != e.incoming {
			t.Errorf("week %s: units sum to %d, want %d", w, sums[w], e.incoming)
		}
	}
}

func TestComputeStatsHolidayExamples(t *testing.T) {
	cal := app.NewCalendar()
	recv := func(y int, m time.Month, d int) app.Date { return app.D(y, m, d) }
	cases := []app.StatsCase{
		// Julafton week: received Wed 23 Dec, due Tue 29 Dec.
		{Type: app.TypeFornyaRecept, Received: recv(2026, 12, 23), Due: app.D(2026, 12, 29), Feedback: app.D(2026, 12, 28)}, // 1 working day (28th)
		{Type: app.TypeFornyaRecept, Received: recv(2026, 12, 23), Due: app.D(2026, 12, 29), Feedback: app.D(2026, 12, 29)}, // 2: in time on the due date
		{Type: app.TypeFornyaRecept, Received: recv(2026, 12, 23), Due: app.D(2026, 12, 29), Feedback: app.D(2026, 12, 30)}, // 3: late
		{Type: app.TypeFornyaRecept, Received: recv(2026, 12, 24), Due: app.D(2026, 12, 29), Feedback: app.D(2027, 1, 4)},   // 28,29,30,4 = 4: late
		// Easter: received Thu 25 March 2027, due Wed 31 March.
		{Type: app.TypeJournalkopia, Received: recv(2027, 3, 25), Due: app.D(2027, 3, 31), Feedback: app.D(2027, 3, 30)}, // 26 and 29 closed: 1
		{Type: app.TypeJournalkopia, Received: recv(2027, 3, 25), Due: app.D(2027, 3, 31), Closed: true},                 // none, overdue
		{Type: app.TypeJournalkopia, Received: recv(2027, 3, 28), Due: app.D(2027, 3, 31)},                               // received on Easter Sunday, none, overdue
	}
	for _, c := range cases {
		if got := cal.DueDate(c.Received.Time()); got != c.Due {
			t.Fatalf("DueDate(%v) = %v, want %v", c.Received, got, c.Due)
		}
	}
	s := app.ComputeStats(cases, cal, app.StatsQuery{From: app.D(2026, 12, 21), To: app.D(2027, 4, 4), Today: app.D(2027, 4, 1)})
	want := []struct {
		week, typ                                    string
		incoming, inTime, late, none, overdue, closd int
		median                                       float64
	}{
		{"2026-W52", app.TypeFornyaRecept, 4, 2, 2, 0, 0, 0, 2.5},
		{"2027-W12", app.TypeJournalkopia, 3, 1, 0, 2, 2, 1, 1},
	}
	if len(s.ByWeekType) != len(want) {
		t.Fatalf("rows %+v", s.ByWeekType)
	}
	for i, w := range want {
		r := s.ByWeekType[i]
		if r.Week.String() != w.week || r.Type != w.typ || r.Incoming != w.incoming || r.FeedbackInTime != w.inTime ||
			r.FeedbackLate != w.late || r.NoFeedbackYet != w.none || r.OverdueNow != w.overdue || r.Closed != w.closd ||
			!r.HasMedian || r.MedianWorkdays != w.median {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
	}
	if sh, ok := s.ByWeekType[1].ShareInTime(); !ok || sh != 1.0/3 {
		t.Errorf("share %v %v, want 1/3 (one in time of three settled)", sh, ok)
	}
	// 15 weeks from W52 2026 to W13 2027 (2026 has 53 weeks).
	if len(s.ByWeek) != 15 || s.ByWeek[0].Week.String() != "2026-W52" || s.ByWeek[1].Week.String() != "2026-W53" || s.ByWeek[14].Week.String() != "2027-W13" {
		t.Errorf("weeks %v", s.ByWeek)
	}
	if s.ByWeek[1].Incoming != 0 || s.ByWeek[1].HasMedian {
		t.Errorf("empty week %+v", s.ByWeek[1])
	}
}

func TestComputeStatsFilters(t *testing.T) {
	cal := app.NewCalendar()
	cases := []app.StatsCase{
		{Type: app.TypeFornyaRecept, Unit: "A", Received: app.D(2026, 11, 30), Due: app.D(2026, 12, 2)},
		{Type: app.TypeFornyaRecept, Unit: "B", Received: app.D(2026, 11, 30), Due: app.D(2026, 12, 2)},
		{Type: app.TypeJournalkopia, Unit: "A", Received: app.D(2026, 11, 30), Due: app.D(2026, 12, 2)},
		{Type: app.TypeJournalkopia, Unit: "A", Received: app.D(2026, 11, 29), Due: app.D(2026, 12, 1)}, // before the period
	}
	q := app.StatsQuery{From: app.D(2026, 11, 30), To: app.D(2026, 12, 6), Today: app.D(2026, 12, 2), Unit: "A"}
	if s := app.ComputeStats(cases, cal, q); s.Total.Incoming != 2 || len(s.ByUnit) != 1 {
		t.Errorf("unit A: %+v", s.Total)
	}
	q.Type = app.TypeJournalkopia
	s := app.ComputeStats(cases, cal, q)
	if s.Total.Incoming != 1 || s.Total.OverdueNow != 0 {
		t.Errorf("unit A journalkopia: %+v", s.Total)
	}
	// Due today is pending: not settled, no share.
	if _, ok := s.Total.ShareInTime(); ok {
		t.Errorf("share of a case due today should be unknown")
	}
}

func TestStatsQueryValidate(t *testing.T) {
	ok := app.StatsQuery{From: app.D(2026, 1, 1), To: app.D(2026, 12, 31)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []app.StatsQuery{
		{To: app.D(2026, 1, 1)},
		{From: app.D(2026, 1, 1)},
		{From: app.D(2026, 2, 1), To: app.D(2026, 1, 31)},
		{From: app.D(2000, 1, 1), To: app.D(2026, 1, 31)},
	} {
		if err := q.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", q, err)
		}
	}
}

func TestISOWeek(t *testing.T) {
	for _, c := range []struct {
		d    app.Date
		want string
		mon  app.Date
	}{
		{app.D(2026, 11, 25), "2026-W48", app.D(2026, 11, 23)},
		{app.D(2026, 12, 31), "2026-W53", app.D(2026, 12, 28)},
		{app.D(2027, 1, 3), "2026-W53", app.D(2026, 12, 28)},
		{app.D(2027, 1, 4), "2027-W01", app.D(2027, 1, 4)},
		{app.D(2027, 3, 28), "2027-W12", app.D(2027, 3, 22)},
	} {
		w := app.WeekOf(c.d)
		if w.String() != c.want || w.Monday() != c.mon {
			t.Errorf("WeekOf(%v) = %s (Monday %v), want %s (%v)", c.d, w, w.Monday(), c.want, c.mon)
		}
	}
}

func TestStatsCaseOf(t *testing.T) {
	// 23:30 in Stockholm on 23 December is 22:30 UTC: the Stockholm date
	// counts.
	recv := time.Date(2026, 12, 23, 22, 30, 0, 0, time.UTC)
	fb := time.Date(2026, 12, 28, 23, 15, 0, 0, time.UTC) // 00:15 on the 29th
	c := app.NewCase(app.TypeFornyaRecept, recv, app.NewCalendar())
	c.FirstFeedbackAt = &fb
	got := app.StatsCaseOf(c)
	if got.Received != app.D(2026, 12, 23) || got.Feedback != app.D(2026, 12, 29) || got.Due != app.D(2026, 12, 29) || got.Closed {
		t.Errorf("StatsCaseOf = %+v", got)
	}
}

// TestStatsRowSwedish: the share and the median as staff read them, in
// the window and on the command line alike.
func TestStatsRowSwedish(t *testing.T) {
	for _, tt := range []struct {
		r             app.StatsRow
		share, median string
	}{
		{app.StatsRow{FeedbackInTime: 7, FeedbackLate: 1}, "87,5 %", "–"},
		{app.StatsRow{FeedbackInTime: 1, OverdueNow: 2, MedianWorkdays: 2.25, HasMedian: true}, "33,3 %", "2,2"},
		{app.StatsRow{NoFeedbackYet: 3}, "–", "–"},
		{app.StatsRow{FeedbackInTime: 2, MedianWorkdays: 0, HasMedian: true}, "100,0 %", "0,0"},
	} {
		if got := tt.r.ShareInTimeSv(); got != tt.share {
			t.Errorf("%+v: share %q, want %q", tt.r, got, tt.share)
		}
		if got := tt.r.MedianSv(); got != tt.median {
			t.Errorf("%+v: median %q, want %q", tt.r, got, tt.median)
		}
	}
	if got := app.DecimalComma(1234.5, 2); got != "1234,50" {
		t.Errorf("DecimalComma = %q", got)
	}
}

// TestStatsTableKeys: every table names its key columns and fills them
// for a row, one cell a column; a row without a unit says so.
func TestStatsTableKeys(t *testing.T) {
	r := app.StatsRow{Week: app.ISOWeek{Year: 2026, Week: 48}, Type: app.TypeFornyaRecept}
	want := map[app.StatsTable]string{
		app.TableWeekType: "Vecka=2026-W48 Ärendetyp=Förnya recept",
		app.TableWeek:     "Vecka=2026-W48",
		app.TableType:     "Ärendetyp=Förnya recept",
		app.TableUnit:     "Enhet=(ingen enhet)",
		app.TableWeekUnit: "Vecka=2026-W48 Enhet=(ingen enhet)",
	}
	for _, tab := range app.StatsTables() {
		cols, keys := tab.KeyColumns(), tab.RowKeys(r)
		if len(cols) != len(keys) {
			t.Fatalf("%s: %d columns, %d keys", tab, len(cols), len(keys))
		}
		got := ""
		for i := range cols {
			if i > 0 {
				got += " "
			}
			got += cols[i] + "=" + keys[i]
		}
		if got != want[tab] {
			t.Errorf("%s: %q, want %q", tab, got, want[tab])
		}
	}
	r.Unit = "BUP Uddevalla"
	if got := app.TableUnit.RowKeys(r); len(got) != 1 || got[0] != "BUP Uddevalla" {
		t.Errorf("unit %q", got)
	}
	if app.StatsTable("okänd").KeyColumns() != nil || app.StatsTable("okänd").RowKeys(r) != nil {
		t.Error("an unknown table has keys")
	}
}
