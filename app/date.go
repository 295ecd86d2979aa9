package app

import (
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Stockholm on machines without a zoneinfo database (Windows)
)

// Stockholm is the clinic's time zone: received times, due dates and the
// working-day calendar are all in it.
var Stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic("embedded tzdata lacks Europe/Stockholm: " + err.Error())
	}
	return loc
}()

// Date is a calendar date without a time of day or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// D is shorthand for a Date literal.
func D(y int, m time.Month, d int) Date { return Date{y, m, d} }

// DateOf returns the calendar date of t in Stockholm.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Stockholm).Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD, rejecting dates that do not exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// Time returns midnight of d in Stockholm.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Stockholm) }

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return d.utc().Format(time.DateOnly) }

// AddDays returns d plus n calendar days.
func (d Date) AddDays(n int) Date {
	t := d.utc().AddDate(0, 0, n)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.utc().Compare(e.utc()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of calendar days from d to e.
func (d Date) DaysUntil(e Date) int { return int(e.utc().Sub(d.utc()).Hours() / 24) }

var weekdaysSv = [...]string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}

// ShortSv formats d for staff: "ons 2/12".
func (d Date) ShortSv() string {
	return weekdaysSv[d.Weekday()] + " " + strconv.Itoa(d.Day) + "/" + strconv.Itoa(int(d.Month))
}
