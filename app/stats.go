package app

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Statistics on incoming cases and the two-working-day rule: what the
// clinic read from its Power BI report. Every figure is about the cases
// received in a period (by their Stockholm date), grouped by the ISO week
// they were received in, by type and by unit, and describes those cases as
// they stand at the time of the report:
//
//   - incoming: cases received;
//   - feedback in time: first feedback on a Stockholm date on or before the
//     case's due date (the date stored with the case, as promised);
//   - feedback late: first feedback after the due date;
//   - no feedback yet: no first feedback (so in time + late + none =
//     incoming);
//   - overdue now: no feedback and the due date has passed (a part of "no
//     feedback yet");
//   - closed: closed in 1177;
//   - median working days to first feedback: over the cases with
//     feedback, Calendar.WorkingDaysBetween(received date, feedback date);
//   - share in time: in time / (in time + late + overdue now), that is of
//     the cases whose outcome is settled; cases still within their
//     deadline count neither way.

// StatsCase is the little of a case that statistics need, with times
// already turned into Stockholm dates.
type StatsCase struct {
	Type     string
	Unit     string
	Received Date // Stockholm date of received_at
	Due      Date
	Feedback Date // Stockholm date of first_feedback_at; zero when none
	Closed   bool
}

// StatsCaseOf returns the statistics view of c.
func StatsCaseOf(c *Case) StatsCase {
	s := StatsCase{Type: c.Type, Unit: c.Unit, Received: DateOf(c.ReceivedAt), Due: c.DueDate, Closed: c.ClosedAt != nil}
	if c.FirstFeedbackAt != nil {
		s.Feedback = DateOf(*c.FirstFeedbackAt)
	}
	return s
}

// ISOWeek is an ISO 8601 week.
type ISOWeek struct{ Year, Week int }

// WeekOf returns the ISO week of d.
func WeekOf(d Date) ISOWeek {
	y, w := d.utc().ISOWeek()
	return ISOWeek{y, w}
}

// String formats w as "2026-W48".
func (w ISOWeek) String() string {
	if w.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-W%02d", w.Year, w.Week)
}

// IsZero reports whether w is the zero week (a row over the whole period).
func (w ISOWeek) IsZero() bool { return w == ISOWeek{} }

// Monday returns the first day of w.
func (w ISOWeek) Monday() Date {
	// 4 January is always in week 1.
	jan4 := D(w.Year, time.January, 4)
	wd := (int(jan4.Weekday()) + 6) % 7 // Monday = 0
	return jan4.AddDays(-wd + (w.Week-1)*7)
}

func (w ISOWeek) before(v ISOWeek) bool {
	return w.Year < v.Year || w.Year == v.Year && w.Week < v.Week
}

// StatsRow is one line of a statistics table: a week and/or a type and/or
// a unit, or the whole period ("" and the zero week mean "all").
type StatsRow struct {
	Week ISOWeek
	Type string
	Unit string

	Incoming       int
	FeedbackInTime int
	FeedbackLate   int
	NoFeedbackYet  int
	OverdueNow     int
	Closed         int
	// MedianWorkdays is the median working days to first feedback; valid
	// only when HasMedian (some case has feedback).
	MedianWorkdays float64
	HasMedian      bool
}

// Settled returns the cases whose in-time question is answered: feedback
// given, or the deadline passed without it.
func (r StatsRow) Settled() int { return r.FeedbackInTime + r.FeedbackLate + r.OverdueNow }

// ShareInTime returns the share (0–1) of settled cases that had feedback in
// time; ok is false when none is settled.
func (r StatsRow) ShareInTime() (share float64, ok bool) {
	n := r.Settled()
	if n == 0 {
		return 0, false
	}
	return float64(r.FeedbackInTime) / float64(n), true
}

// StatsQuery says what to count.
type StatsQuery struct {
	From, To Date // received dates, inclusive
	Today    Date // "now" for overdue and pending
	Unit     string
	Type     string
}

// Validate checks the period.
func (q StatsQuery) Validate() error {
	var errs ValidationErrors
	if q.From.IsZero() {
		errs = append(errs, FieldErrorf("from", "startdatum saknas"))
	}
	if q.To.IsZero() {
		errs = append(errs, FieldErrorf("to", "slutdatum saknas"))
	}
	if len(errs) == 0 && q.To.Before(q.From) {
		errs = append(errs, FieldErrorf("to", "slutdatumet %s ligger före startdatumet %s", q.To, q.From))
	}
	if len(errs) == 0 && q.From.DaysUntil(q.To) > 366*10 {
		errs = append(errs, FieldErrorf("to", "perioden får vara högst tio år"))
	}
	return errs.Err()
}

// Stats is the statistics of a period, as tables.
type Stats struct {
	Query StatsQuery
	// ByWeekType has one row per week and type with incoming cases, weeks
	// in order, types in the routine's order.
	ByWeekType []StatsRow
	// ByWeekUnit has one row per week and unit with incoming cases.
	ByWeekUnit []StatsRow
	// ByWeek has one row for every ISO week the period touches, empty
	// weeks included: the chart's bars.
	ByWeek []StatsRow
	// ByType and ByUnit are over the whole period.
	ByType []StatsRow
	ByUnit []StatsRow
	Total  StatsRow
	// MorningChecks has, once AddMorningChecks is called, one row per
	// week of ByWeek: on how many of its working days in the period the
	// morning check was done (`morning_checks` in `stats --json`).
	MorningChecks []WeekMorningChecks
}

// WeekMorningChecks is one week's morning checks.
type WeekMorningChecks struct {
	Week ISOWeek
	// Done is the number of the week's working days in the period with at
	// least one morning check; WorkingDays the number of its working days
	// in the period.
	Done, WorkingDays int
}

// AddMorningChecks fills s.MorningChecks from checks, by cal. A check on
// a day that is not a working day, or outside the period, is not
// counted; two checks of one day count once.
func (s *Stats) AddMorningChecks(checks []MorningCheck, cal *Calendar) {
	done := map[Date]bool{}
	for _, c := range checks {
		done[c.Day] = true
	}
	s.MorningChecks = make([]WeekMorningChecks, 0, len(s.ByWeek))
	for _, row := range s.ByWeek {
		w := WeekMorningChecks{Week: row.Week}
		for d, i := row.Week.Monday(), 0; i < 7; d, i = d.AddDays(1), i+1 {
			if d.Before(s.Query.From) || d.After(s.Query.To) || !cal.IsWorkingDay(d) {
				continue
			}
			w.WorkingDays++
			if done[d] {
				w.Done++
			}
		}
		s.MorningChecks = append(s.MorningChecks, w)
	}
}

// StatsTable names one of the tables of Stats.
type StatsTable string

const (
	TableWeekType StatsTable = "vecka-typ"
	TableWeek     StatsTable = "vecka"
	TableType     StatsTable = "typ"
	TableUnit     StatsTable = "enhet"
	TableWeekUnit StatsTable = "vecka-enhet"
)

// StatsTables lists the tables in display order.
func StatsTables() []StatsTable {
	return []StatsTable{TableWeekType, TableWeek, TableType, TableUnit, TableWeekUnit}
}

// Swedish returns the table's name as staff read it.
func (t StatsTable) Swedish() string {
	switch t {
	case TableWeekType:
		return "Per vecka och typ"
	case TableWeek:
		return "Per vecka"
	case TableType:
		return "Per typ"
	case TableUnit:
		return "Per enhet"
	case TableWeekUnit:
		return "Per vecka och enhet"
	}
	return string(t)
}

// Table returns the rows of table t; nil for an unknown table.
func (s *Stats) Table(t StatsTable) []StatsRow {
	switch t {
	case TableWeekType:
		return s.ByWeekType
	case TableWeek:
		return s.ByWeek
	case TableType:
		return s.ByType
	case TableUnit:
		return s.ByUnit
	case TableWeekUnit:
		return s.ByWeekUnit
	}
	return nil
}

// StatsSource is what statistics need from storage.
type StatsSource interface {
	// EachStatsCase calls fn with every case received from from to to
	// (Stockholm dates, inclusive), in received order as far as it can;
	// it may pass a few more, which the builder skips. fn must not keep
	// the pointer.
	EachStatsCase(ctx context.Context, from, to Date, fn func(*StatsCase)) error
	Calendar() *Calendar
}

// LoadStats computes the statistics of q from the cases src holds,
// reading them once without keeping them.
func LoadStats(ctx context.Context, src StatsSource, q StatsQuery) (*Stats, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	b := NewStatsBuilder(src.Calendar(), q)
	if err := src.EachStatsCase(ctx, q.From, q.To, b.Add); err != nil {
		return nil, err
	}
	return b.Stats(), nil
}

// statsAcc accumulates one row.
type statsAcc struct {
	row  StatsRow
	hist []int32 // cases with feedback by working days to it
}

func (a *statsAcc) add(closed, inTime, late, overdue bool, workdays int) {
	r := &a.row
	r.Incoming++
	switch {
	case inTime:
		r.FeedbackInTime++
	case late:
		r.FeedbackLate++
	default:
		r.NoFeedbackYet++
		if overdue {
			r.OverdueNow++
		}
	}
	if closed {
		r.Closed++
	}
	if workdays >= 0 {
		for len(a.hist) <= workdays {
			a.hist = append(a.hist, 0)
		}
		a.hist[workdays]++
	}
}

// finish sets the median from the histogram.
func (a *statsAcc) finish() StatsRow {
	n := 0
	for _, c := range a.hist {
		n += int(c)
	}
	if n == 0 {
		return a.row
	}
	// The values at ranks (n-1)/2 and n/2 (0-based), averaged.
	lo, hi := -1, -1
	seen := 0
	for v, c := range a.hist {
		seen += int(c)
		if lo < 0 && seen > (n-1)/2 {
			lo = v
		}
		if seen > n/2 {
			hi = v
			break
		}
	}
	a.row.MedianWorkdays = float64(lo+hi) / 2
	a.row.HasMedian = true
	return a.row
}

// dayNumber returns the number of days from 1970-01-01 to d, by integer
// arithmetic (H. Hinnant's days_from_civil): statistics compare and index
// hundreds of thousands of dates.
func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// workdayCounter answers Calendar.WorkingDaysBetween in constant time for
// days from base on, by a running count of working days.
type workdayCounter struct {
	cal     *Calendar
	base    Date
	baseDay int
	cum     []int32 // cum[i]: working days d with base < d <= base+i
}

func (w *workdayCounter) upTo(day int) int {
	i := day - w.baseDay
	for len(w.cum) <= i {
		n := len(w.cum)
		v := w.cum[n-1]
		if w.cal.IsWorkingDay(w.base.AddDays(n)) {
			v++
		}
		w.cum = append(w.cum, v)
	}
	return int(w.cum[i])
}

// between counts working days d with from < d <= to, from >= base.
func (w *workdayCounter) between(from, to int) int {
	if to <= from {
		return 0
	}
	return w.upTo(to) - w.upTo(from)
}

// StatsBuilder computes statistics one case at a time, so that a store can
// feed it as it reads without holding every case. The zero value is not
// usable; use NewStatsBuilder.
type StatsBuilder struct {
	q                  StatsQuery
	from, to, today    int // day numbers
	firstMonday        int
	weeks              []ISOWeek
	typeIdx, unitIdx   map[string]int
	typeKeys           []string
	unitKeys           []string
	byWeekType         [][]*statsAcc // [week][type]
	byWeekUnit         [][]*statsAcc // [week][unit]
	byWeek             []statsAcc
	byType, byUnit     []*statsAcc
	total              statsAcc
	wd                 workdayCounter
	lastType, lastUnit string
	lastTi, lastUi     int
}

// NewStatsBuilder returns a builder for q's period, with cal for working
// days.
func NewStatsBuilder(cal *Calendar, q StatsQuery) *StatsBuilder {
	b := &StatsBuilder{
		q: q, from: dayNumber(q.From), to: dayNumber(q.To), today: dayNumber(q.Today),
		typeIdx: map[string]int{}, unitIdx: map[string]int{},
		wd:     workdayCounter{cal: cal, base: q.From, baseDay: dayNumber(q.From), cum: []int32{0}},
		lastTi: -1, lastUi: -1,
	}
	for _, t := range caseTypes {
		b.typeIdx[t.Key] = len(b.typeKeys)
		b.typeKeys = append(b.typeKeys, t.Key)
	}
	if !q.From.IsZero() && !q.To.Before(q.From) {
		first := WeekOf(q.From)
		b.firstMonday = dayNumber(first.Monday())
		for w, last := first, WeekOf(q.To); !last.before(w); w = WeekOf(w.Monday().AddDays(7)) {
			b.weeks = append(b.weeks, w)
		}
	}
	b.byWeekType = make([][]*statsAcc, len(b.weeks))
	b.byWeekUnit = make([][]*statsAcc, len(b.weeks))
	b.byWeek = make([]statsAcc, len(b.weeks))
	return b
}

// index returns the index of key k among keys, adding it when new.
func index(m map[string]int, keys *[]string, k string) int {
	i, ok := m[k]
	if !ok {
		i = len(*keys)
		m[k] = i
		*keys = append(*keys, k)
	}
	return i
}

// slot returns accs[i], growing accs and making the accumulator as needed.
func slot(accs *[]*statsAcc, i int) *statsAcc {
	for len(*accs) <= i {
		*accs = append(*accs, nil)
	}
	if (*accs)[i] == nil {
		(*accs)[i] = &statsAcc{}
	}
	return (*accs)[i]
}

// Add counts c, unless it is outside the period or of another unit or type
// than the query asks for.
func (b *StatsBuilder) Add(c *StatsCase) {
	recv := dayNumber(c.Received)
	if recv < b.from || recv > b.to {
		return
	}
	if b.q.Unit != "" && c.Unit != b.q.Unit || b.q.Type != "" && c.Type != b.q.Type {
		return
	}
	// Stores feed cases in received order: types and units repeat.
	ti := b.lastTi
	if ti < 0 || c.Type != b.lastType {
		ti = index(b.typeIdx, &b.typeKeys, c.Type)
		b.lastType, b.lastTi = c.Type, ti
	}
	ui := b.lastUi
	if ui < 0 || c.Unit != b.lastUnit {
		ui = index(b.unitIdx, &b.unitKeys, c.Unit)
		b.lastUnit, b.lastUi = c.Unit, ui
	}
	week := (recv - b.firstMonday) / 7
	due := dayNumber(c.Due)
	hasFeedback := !c.Feedback.IsZero()
	var inTime, late, overdue bool
	workdays := -1
	if hasFeedback {
		fb := dayNumber(c.Feedback)
		inTime, late = fb <= due, fb > due
		workdays = b.wd.between(recv, fb)
	} else {
		overdue = b.today > due
	}
	for _, acc := range [...]*statsAcc{
		slot(&b.byWeekType[week], ti),
		slot(&b.byWeekUnit[week], ui),
		&b.byWeek[week],
		slot(&b.byType, ti),
		slot(&b.byUnit, ui),
		&b.total,
	} {
		acc.add(c.Closed, inTime, late, overdue, workdays)
	}
}

// Stats returns the tables of what was added.
func (b *StatsBuilder) Stats() *Stats {
	s := &Stats{Query: b.q}
	// Types in the routine's order; keys the routine does not know (from
	// an older or newer version) after them, by key. Units by name.
	typeOrder := make([]int, len(b.typeKeys))
	for i := range typeOrder {
		typeOrder[i] = i
	}
	sort.SliceStable(typeOrder, func(i, j int) bool {
		a, c := typeOrder[i], typeOrder[j]
		if a >= len(caseTypes) && c >= len(caseTypes) {
			return b.typeKeys[a] < b.typeKeys[c]
		}
		return a < c
	})
	unitOrder := make([]int, len(b.unitKeys))
	for i := range unitOrder {
		unitOrder[i] = i
	}
	sort.Slice(unitOrder, func(i, j int) bool { return b.unitKeys[unitOrder[i]] < b.unitKeys[unitOrder[j]] })

	for w, week := range b.weeks {
		for _, ti := range typeOrder {
			if ti < len(b.byWeekType[w]) && b.byWeekType[w][ti] != nil {
				r := b.byWeekType[w][ti].finish()
				r.Week, r.Type = week, b.typeKeys[ti]
				s.ByWeekType = append(s.ByWeekType, r)
			}
		}
		for _, ui := range unitOrder {
			if ui < len(b.byWeekUnit[w]) && b.byWeekUnit[w][ui] != nil {
				r := b.byWeekUnit[w][ui].finish()
				r.Week, r.Unit = week, b.unitKeys[ui]
				s.ByWeekUnit = append(s.ByWeekUnit, r)
			}
		}
		r := b.byWeek[w].finish()
		r.Week = week
		s.ByWeek = append(s.ByWeek, r)
	}
	for _, ti := range typeOrder {
		if ti < len(b.byType) && b.byType[ti] != nil {
			r := b.byType[ti].finish()
			r.Type = b.typeKeys[ti]
			s.ByType = append(s.ByType, r)
		}
	}
	for _, ui := range unitOrder {
		if ui < len(b.byUnit) && b.byUnit[ui] != nil {
			r := b.byUnit[ui].finish()
			r.Unit = b.unitKeys[ui]
			s.ByUnit = append(s.ByUnit, r)
		}
	}
	s.Total = b.total.finish()
	return s
}

// ComputeStats computes the statistics of q's period over cases, with cal
// for working days. Cases outside the period, or of another unit or type
// than q asks for, are skipped.
func ComputeStats(cases []StatsCase, cal *Calendar, q StatsQuery) *Stats {
	b := NewStatsBuilder(cal, q)
	for i := range cases {
		b.Add(&cases[i])
	}
	return b.Stats()
}
