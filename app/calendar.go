package app

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// The working-day calendar of ROUTINE.md, "Statuses and the two-working-day
// rule": Swedish public holidays, the aftnar the clinic is closed on, the
// clinic's own closed days (klämdagar), due dates and deadline flags.

// Holiday is a day the clinic is closed.
type Holiday struct {
	Date Date
	// Name is the Swedish name ("Långfredagen", "Midsommarafton") or, for a
	// day the clinic closes itself, the clinic's own label.
	Name string
}

// Swedish names of the closed days.
const (
	holNyarsdagen      = "Nyårsdagen"
	holTrettondedag    = "Trettondedag jul"
	holLangfredagen    = "Långfredagen"
	holPaskdagen       = "Påskdagen"
	holAnnandagPask    = "Annandag påsk"
	holForstaMaj       = "Första maj"
	holKristiHimmel    = "Kristi himmelsfärdsdag"
	holPingstdagen     = "Pingstdagen"
	holAnnandagPingst  = "Annandag pingst"
	holNationaldagen   = "Sveriges nationaldag"
	holMidsommarafton  = "Midsommarafton"
	holMidsommardagen  = "Midsommardagen"
	holAllaHelgonsDag  = "Alla helgons dag"
	holJulafton        = "Julafton"
	holJuldagen        = "Juldagen"
	holAnnandagJul     = "Annandag jul"
	holNyarsafton      = "Nyårsafton"
	calClinicClosed    = "Kliniken stängd" // label of a clinic-closed day added without a name
	calSaturday        = "Lördag"
	calSunday          = "Söndag"
	calReasonSeparator = ", " // between names of holidays that fall on the same date
)

// calEaster returns Easter Sunday of year by the Gregorian computus
// (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).
func calEaster(year int) Date {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return Date{year, time.Month(n / 31), n%31 + 1}
}

// calSaturdayFrom returns the first Saturday on or after d.
func calSaturdayFrom(d Date) Date {
	return d.AddDays((int(time.Saturday) - int(d.Weekday()) + 7) % 7)
}

// SwedishHolidays returns the days of year on which the clinic is closed by
// law or custom, sorted by date: the public holidays (including those that
// always fall on a Sunday or Saturday) plus midsommarafton, julafton and
// nyårsafton. Two holidays can share a date (Kristi himmelsfärdsdag on
// första maj, e.g. 2008); both are listed.
//
// The rules are today's (lag 1989:253), valid for 1900–2200, with one piece
// of history: Sveriges nationaldag (6 June) is a holiday from 2005, and
// annandag pingst was one until 2004. Earlier reforms (midsommardagen on
// 24 June and alla helgons dag on 1 November before 1953, första maj only
// from 1939) are not modelled: the calendar is for cases from 2026 on.
func SwedishHolidays(year int) []Holiday {
	easter := calEaster(year)
	hs := []Holiday{
		{D(year, time.January, 1), holNyarsdagen},
		{D(year, time.January, 6), holTrettondedag},
		{easter.AddDays(-2), holLangfredagen},
		{easter, holPaskdagen},
		{easter.AddDays(1), holAnnandagPask},
		{D(year, time.May, 1), holForstaMaj},
		{easter.AddDays(39), holKristiHimmel},
		{easter.AddDays(49), holPingstdagen},
	}
	if year <= 2004 {
		hs = append(hs, Holiday{easter.AddDays(50), holAnnandagPingst})
	} else {
		hs = append(hs, Holiday{D(year, time.June, 6), holNationaldagen})
	}
	midsommar := calSaturdayFrom(D(year, time.June, 20))
	hs = append(hs,
		Holiday{midsommar.AddDays(-1), holMidsommarafton},
		Holiday{midsommar, holMidsommardagen},
		Holiday{calSaturdayFrom(D(year, time.October, 31)), holAllaHelgonsDag},
		Holiday{D(year, time.December, 24), holJulafton},
		Holiday{D(year, time.December, 25), holJuldagen},
		Holiday{D(year, time.December, 26), holAnnandagJul},
		Holiday{D(year, time.December, 31), holNyarsafton},
	)
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// calYear is the holidays of one year, indexed by month and day: the name
// (names joined when two share a date), "" on other days.
type calYear [13][32]string

// Calendar tells working days from closed days. It is safe for concurrent
// use. The zero value is unusable; use NewCalendar.
type Calendar struct {
	mu     sync.RWMutex
	years  map[int]*calYear // filled lazily, never changed once stored
	clinic map[Date]string  // the clinic's own closed days and their labels
}

// NewCalendar returns a calendar of Swedish holidays plus the clinic's own
// closed days (klämdagar).
func NewCalendar(closed ...Holiday) *Calendar {
	c := &Calendar{years: make(map[int]*calYear), clinic: make(map[Date]string)}
	c.AddClosed(closed...)
	return c
}

// AddClosed adds days the clinic is closed. Adding a date again replaces its
// label; an empty Name gets a generic label.
func (c *Calendar) AddClosed(h ...Holiday) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range h {
		name := strings.TrimSpace(x.Name)
		if name == "" {
			name = calClinicClosed
		}
		c.clinic[calNormalize(x.Date)] = name
	}
}

// calNormalize turns an out-of-range Date (2026-02-30, the zero Date) into
// the real date time.Date would make of it, so that it can index a calYear.
func calNormalize(d Date) Date {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 28 && d.Day > calDaysIn(d.Year, d.Month) {
		return d.AddDays(0)
	}
	return d
}

// calDaysIn returns the number of days in month m of year y.
func calDaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// lookup returns the holiday name(s) of d and the clinic's label of d, ""
// when there is none. d must be normalized.
func (c *Calendar) lookup(d Date) (holiday, clinic string) {
	c.mu.RLock()
	t := c.years[d.Year]
	clinic = c.clinic[d]
	c.mu.RUnlock()
	if t == nil {
		t = c.computeYear(d.Year)
	}
	return t[d.Month][d.Day], clinic
}

// computeYear fills and stores the holiday table of y, unless another
// goroutine stored it first.
func (c *Calendar) computeYear(y int) *calYear {
	t := new(calYear)
	for _, h := range SwedishHolidays(y) {
		if s := &t[h.Date.Month][h.Date.Day]; *s == "" {
			*s = h.Name
		} else {
			*s += calReasonSeparator + h.Name
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.years[y]; old != nil {
		return old
	}
	c.years[y] = t
	return t
}

// ClosedReason returns why the clinic is closed on d: the holiday's name,
// the clinic's label of a day it closed itself, or "Lördag"/"Söndag". On a
// working day it returns "", false.
func (c *Calendar) ClosedReason(d Date) (string, bool) {
	holiday, clinic := c.lookup(calNormalize(d))
	if holiday != "" {
		return holiday, true
	}
	if clinic != "" {
		return clinic, true
	}
	switch d.Weekday() {
	case time.Saturday:
		return calSaturday, true
	case time.Sunday:
		return calSunday, true
	}
	return "", false
}

// IsWorkingDay reports whether d is Monday to Friday, not a holiday or an
// afton of SwedishHolidays, and not a day the clinic has closed.
func (c *Calendar) IsWorkingDay(d Date) bool {
	d = calNormalize(d)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	holiday, clinic := c.lookup(d)
	return holiday == "" && clinic == ""
}

// NextWorkingDay returns the first working day strictly after d.
func (c *Calendar) NextWorkingDay(d Date) Date {
	for d = d.AddDays(1); !c.IsWorkingDay(d); d = d.AddDays(1) {
	}
	return d
}

// WorkingDayOnOrBefore returns d if it is a working day, else the last
// working day before it.
func (c *Calendar) WorkingDayOnOrBefore(d Date) Date {
	for d = calNormalize(d); !c.IsWorkingDay(d); d = d.AddDays(-1) {
	}
	return d
}

// DueDate returns the date by which a case received at received must have
// feedback: the second working day strictly after the calendar date of
// received in Stockholm.
func (c *Calendar) DueDate(received time.Time) Date {
	return c.NextWorkingDay(c.NextWorkingDay(DateOf(received)))
}

// WorkingDaysBetween returns the number of working days d with
// from < d <= to, or 0 when to is not after from. A case answered on its
// due date took 2 working days by this count.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := calNormalize(from).AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// Flag is the deadline state of a case.
type Flag string

const (
	FlagOK       Flag = "ok"        // no feedback yet, due date not reached
	FlagDueToday Flag = "due-today" // no feedback yet, due today
	FlagOverdue  Flag = "overdue"   // no feedback and the due date has passed
	FlagAnswered Flag = "answered"  // first feedback given, not closed
	FlagClosed   Flag = "closed"    // closed in 1177
	// FlagCitizenAnswered: the citizen has answered and the new two-day
	// clock has not run out (Case.Flag; then due-today and overdue).
	FlagCitizenAnswered Flag = "citizen-answered"
	// FlagStale: open, no action for the clinic's number of working days
	// (Case.FlagAt).
	FlagStale Flag = "stale"
)

// Flags lists every flag value, as `cases --json` may print them.
func Flags() []Flag {
	return []Flag{FlagOK, FlagDueToday, FlagOverdue, FlagAnswered, FlagClosed, FlagCitizenAnswered, FlagStale}
}

// DeadlineFlag returns the deadline state of a case due on due at time now:
// closed when closedAt is set, answered when firstFeedback is set, else
// due-today or overdue by the Stockholm date of now, else ok.
func DeadlineFlag(due Date, firstFeedback, closedAt *time.Time, now time.Time) Flag {
	switch today := DateOf(now); {
	case closedAt != nil:
		return FlagClosed
	case firstFeedback != nil:
		return FlagAnswered
	case today == due:
		return FlagDueToday
	case today.After(due):
		return FlagOverdue
	}
	return FlagOK
}

// Swedish returns the flag as staff see it; an unknown flag as it is.
func (f Flag) Swedish() string {
	switch f {
	case FlagOK:
		return "I tid"
	case FlagDueToday:
		return "Svar senast idag"
	case FlagOverdue:
		return "Försenat"
	case FlagAnswered:
		return "Återkopplat"
	case FlagClosed:
		return "Avslutat"
	case FlagCitizenAnswered:
		return "Invånaren har svarat"
	case FlagStale:
		return "Ingen åtgärd på länge"
	}
	return string(f)
}
