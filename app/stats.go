package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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

// ShareInTimeSv is the share in time as Swedish staff write it: "87,5 %",
// or "–" when no case is settled.
func (r StatsRow) ShareInTimeSv() string {
	v, ok := r.ShareInTime()
	if !ok {
		return "–"
	}
	return DecimalComma(v*100, 1) + " %"
}

// MedianSv is the median working days to first feedback with a decimal
// comma ("2,5"), or "–" when no case has feedback.
func (r StatsRow) MedianSv() string {
	if !r.HasMedian {
		return "–"
	}
	return DecimalComma(r.MedianWorkdays, 1)
}

// DecimalComma formats v with prec decimals and a decimal comma, as
// Swedish staff and Swedish Excel read a number: "50,0".
func DecimalComma(v float64, prec int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', prec, 64), ".", ",", 1)
}

// StatsQuery says what to count.
type StatsQuery struct {
	From, To Date // received dates, inclusive
	Today    Date // "now" for overdue and pending
	Unit     string
	Type     string
	// Group, when set, counts only the types of this group (the type
	// filter's group lines, TypeFilterOptions).
	Group string
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

// MorningChecksOf returns week w's morning checks, if AddMorningChecks
// counted them.
func (s *Stats) MorningChecksOf(w ISOWeek) (WeekMorningChecks, bool) {
	for _, m := range s.MorningChecks {
		if m.Week == w {
			return m, true
		}
	}
	return WeekMorningChecks{}, false
}

// MorningChecksTotal sums the weeks' morning checks over the period.
func (s *Stats) MorningChecksTotal() WeekMorningChecks {
	var t WeekMorningChecks
	for _, m := range s.MorningChecks {
		t.Done += m.Done
		t.WorkingDays += m.WorkingDays
	}
	return t
}

// MorningChecksSv says a count of morning checks as staff read it:
// "3 av 5 arbetsdagar", "1 av 1 arbetsdag".
func (m WeekMorningChecks) MorningChecksSv() string {
	days := " arbetsdagar"
	if m.WorkingDays == 1 {
		days = " arbetsdag"
	}
	return strconv.Itoa(m.Done) + " av " + strconv.Itoa(m.WorkingDays) + days
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

// StatsNoUnit names the cases without a unit in the tables.
const StatsNoUnit = "(ingen enhet)"

// KeyColumns are the Swedish titles of the columns that say what a row of
// table t is about ("Vecka", "Ärendetyp", "Enhet"); the figures follow
// them.
func (t StatsTable) KeyColumns() []string {
	switch t {
	case TableWeekType:
		return []string{"Vecka", "Ärendetyp"}
	case TableWeek:
		return []string{"Vecka"}
	case TableType:
		return []string{"Ärendetyp"}
	case TableUnit:
		return []string{"Enhet"}
	case TableWeekUnit:
		return []string{"Vecka", "Enhet"}
	}
	return nil
}

// RowKeys are the cells under KeyColumns for row r of table t: its week
// ("2026-W48"), its type's name, its unit (StatsNoUnit for none).
func (t StatsTable) RowKeys(r StatsRow) []string {
	unit := r.Unit
	if unit == "" {
		unit = StatsNoUnit
	}
	switch t {
	case TableWeekType:
		return []string{r.Week.String(), TypeName(r.Type)}
	case TableWeek:
		return []string{r.Week.String()}
	case TableType:
		return []string{TypeName(r.Type)}
	case TableUnit:
		return []string{unit}
	case TableWeekUnit:
		return []string{r.Week.String(), unit}
	}
	return nil
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
	// MorningChecks returns the morning checks recorded in [from, to]
	// (MorningCheckStore's), counted per week.
	MorningChecks(ctx context.Context, from, to Date) ([]MorningCheck, error)
	Calendar() *Calendar
}

// LoadStats computes the statistics of q from the cases and the morning
// checks src holds, reading the cases once without keeping them.
func LoadStats(ctx context.Context, src StatsSource, q StatsQuery) (*Stats, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	b := NewStatsBuilder(src.Calendar(), q)
	if err := src.EachStatsCase(ctx, q.From, q.To, b.Add); err != nil {
		return nil, err
	}
	st := b.Stats()
	checks, err := src.MorningChecks(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	st.AddMorningChecks(checks, src.Calendar())
	return st, nil
}
