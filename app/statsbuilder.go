package app

import "sort"

// Counting the statistics: StatsBuilder reads cases one at a time into
// the rows of every table, with a histogram per row for the median.

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
	groupKeys          map[string]bool // q.Group's types, read once
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
	if b.q.Group != "" && !b.inGroup(c.Type) {
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

// inGroup reports whether case type key belongs to the query's group.
func (b *StatsBuilder) inGroup(key string) bool {
	if b.groupKeys == nil {
		b.groupKeys = map[string]bool{}
		for _, k := range TypeKeysInGroup(b.q.Group) {
			b.groupKeys[k] = true
		}
	}
	return b.groupKeys[key]
}
