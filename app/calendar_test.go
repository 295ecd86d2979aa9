package app_test

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"arendestod/app"
)

// closedDays lists, by hand from an almanac, every holiday and afton of 2026
// and 2027 on which the clinic is closed, in date order. The first two 2028
// days are there because due dates of late December 2027 reach into 2028.
var closedDays = map[int][]app.Holiday{
	2026: {
		{Date: app.D(2026, time.January, 1), Name: "Nyårsdagen"},
		{Date: app.D(2026, time.January, 6), Name: "Trettondedag jul"},
		{Date: app.D(2026, time.April, 3), Name: "Långfredagen"},
		{Date: app.D(2026, time.April, 5), Name: "Påskdagen"},
		{Date: app.D(2026, time.April, 6), Name: "Annandag påsk"},
		{Date: app.D(2026, time.May, 1), Name: "Första maj"},
		{Date: app.D(2026, time.May, 14), Name: "Kristi himmelsfärdsdag"},
		{Date: app.D(2026, time.May, 24), Name: "Pingstdagen"},
		{Date: app.D(2026, time.June, 6), Name: "Sveriges nationaldag"},
		{Date: app.D(2026, time.June, 19), Name: "Midsommarafton"},
		{Date: app.D(2026, time.June, 20), Name: "Midsommardagen"},
		{Date: app.D(2026, time.October, 31), Name: "Alla helgons dag"},
		{Date: app.D(2026, time.December, 24), Name: "Julafton"},
		{Date: app.D(2026, time.December, 25), Name: "Juldagen"},
		{Date: app.D(2026, time.December, 26), Name: "Annandag jul"},
		{Date: app.D(2026, time.December, 31), Name: "Nyårsafton"},
	},
	2027: {
		{Date: app.D(2027, time.January, 1), Name: "Nyårsdagen"},
		{Date: app.D(2027, time.January, 6), Name: "Trettondedag jul"},
		{Date: app.D(2027, time.March, 26), Name: "Långfredagen"},
		{Date: app.D(2027, time.March, 28), Name: "Påskdagen"},
		{Date: app.D(2027, time.March, 29), Name: "Annandag påsk"},
		{Date: app.D(2027, time.May, 1), Name: "Första maj"},
		{Date: app.D(2027, time.May, 6), Name: "Kristi himmelsfärdsdag"},
		{Date: app.D(2027, time.May, 16), Name: "Pingstdagen"},
		{Date: app.D(2027, time.June, 6), Name: "Sveriges nationaldag"},
		{Date: app.D(2027, time.June, 25), Name: "Midsommarafton"},
		{Date: app.D(2027, time.June, 26), Name: "Midsommardagen"},
		{Date: app.D(2027, time.November, 6), Name: "Alla helgons dag"},
		{Date: app.D(2027, time.December, 24), Name: "Julafton"},
		{Date: app.D(2027, time.December, 25), Name: "Juldagen"},
		{Date: app.D(2027, time.December, 26), Name: "Annandag jul"},
		{Date: app.D(2027, time.December, 31), Name: "Nyårsafton"},
	},
	2028: {
		{Date: app.D(2028, time.January, 1), Name: "Nyårsdagen"},
		{Date: app.D(2028, time.January, 6), Name: "Trettondedag jul"},
	},
}

// closedSet returns the dates of closedDays as a set.
func closedSet() map[app.Date]bool {
	set := map[app.Date]bool{}
	for _, hs := range closedDays {
		for _, h := range hs {
			set[h.Date] = true
		}
	}
	return set
}

// openByList reports whether d is a working day by closedDays and the
// weekday of the standard library, without the calendar under test.
func openByList(closed map[app.Date]bool, d app.Date) bool {
	wd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !closed[d]
}

// nextDay steps one calendar day with the standard library.
func nextDay(d app.Date) app.Date {
	t := time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC)
	return app.D(t.Year(), t.Month(), t.Day())
}

func TestSwedishHolidays2026And2027(t *testing.T) {
	closed := closedSet()
	for _, year := range []int{2026, 2027} {
		want := closedDays[year]
		got := app.SwedishHolidays(year)
		if len(got) != len(want) {
			t.Errorf("SwedishHolidays(%d): %d days, want %d: %v", year, len(got), len(want), got)
		}
		for i := 0; i < len(got) && i < len(want); i++ {
			if got[i] != want[i] {
				t.Errorf("SwedishHolidays(%d)[%d] = %v %q, want %v %q", year, i, got[i].Date, got[i].Name, want[i].Date, want[i].Name)
			}
		}
		cal := app.NewCalendar()
		for _, h := range want {
			if cal.IsWorkingDay(h.Date) {
				t.Errorf("IsWorkingDay(%v) = true on %s", h.Date, h.Name)
			}
			if reason, ok := cal.ClosedReason(h.Date); !ok || reason != h.Name {
				t.Errorf("ClosedReason(%v) = %q, %v; want %q, true", h.Date, reason, ok, h.Name)
			}
		}
		for d := app.D(year, time.January, 1); d.Year == year; d = nextDay(d) {
			if got, want := cal.IsWorkingDay(d), openByList(closed, d); got != want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", d, got, want)
			}
		}
	}
}

func TestHolidayHistoryPingstAndNationaldag(t *testing.T) {
	cal := app.NewCalendar()
	tests := []struct {
		date    app.Date
		name    string // "" = not a holiday in that year
		working bool
	}{
		{app.D(2004, time.May, 31), "Annandag pingst", false}, // Monday
		{app.D(2004, time.June, 6), "", false},                // a Sunday anyway
		{app.D(2003, time.June, 9), "Annandag pingst", false}, // Monday
		{app.D(2003, time.June, 6), "", true},                 // Friday, not yet a holiday
		{app.D(2005, time.May, 16), "", true},                 // Monday after pingst, no longer a holiday
		{app.D(2005, time.June, 6), "Sveriges nationaldag", false},
		{app.D(2006, time.June, 5), "", true}, // Monday after pingst
		{app.D(2006, time.June, 6), "Sveriges nationaldag", false},
	}
	for _, tt := range tests {
		var names []string
		for _, h := range app.SwedishHolidays(tt.date.Year) {
			if h.Date == tt.date {
				names = append(names, h.Name)
			}
		}
		if tt.name == "" && len(names) != 0 || tt.name != "" && (len(names) != 1 || names[0] != tt.name) {
			t.Errorf("SwedishHolidays(%d) on %v: %q, want %q", tt.date.Year, tt.date, names, tt.name)
		}
		if got := cal.IsWorkingDay(tt.date); got != tt.working {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.date, got, tt.working)
		}
	}
	for year := 1900; year <= 2200; year++ {
		hasAnnandag, hasNational := false, false
		for _, h := range app.SwedishHolidays(year) {
			hasAnnandag = hasAnnandag || h.Name == "Annandag pingst"
			hasNational = hasNational || h.Name == "Sveriges nationaldag"
		}
		if hasAnnandag != (year <= 2004) || hasNational != (year >= 2005) {
			t.Errorf("%d: annandag pingst %v, nationaldag %v", year, hasAnnandag, hasNational)
		}
	}
}

// holidayOn returns the date of the holiday named name in year.
func holidayOn(t *testing.T, year int, name string) app.Date {
	t.Helper()
	for _, h := range app.SwedishHolidays(year) {
		if h.Name == name {
			return h.Date
		}
	}
	t.Fatalf("SwedishHolidays(%d) has no %s", year, name)
	return app.Date{}
}

func TestEasterDates(t *testing.T) {
	// Easter Sundays from published tables.
	tests := []app.Date{
		app.D(1900, time.April, 15),
		app.D(1913, time.March, 23),
		app.D(1943, time.April, 25), // latest possible
		app.D(1954, time.April, 18),
		app.D(1961, time.April, 2),
		app.D(2000, time.April, 23),
		app.D(2008, time.March, 23),
		app.D(2019, time.April, 21),
		app.D(2024, time.March, 31),
		app.D(2025, time.April, 20),
		app.D(2026, time.April, 5),
		app.D(2027, time.March, 28),
		app.D(2038, time.April, 25),
		app.D(2049, time.April, 18),
		app.D(2100, time.March, 28),
		app.D(2160, time.March, 23),
		app.D(2200, time.April, 6),
	}
	for _, want := range tests {
		if got := holidayOn(t, want.Year, "Påskdagen"); got != want {
			t.Errorf("Påskdagen %d = %v, want %v", want.Year, got, want)
		}
	}
}

func TestHolidayWeekdays1900To2200(t *testing.T) {
	wd := func(d app.Date) time.Weekday {
		return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	}
	for year := 1900; year <= 2200; year++ {
		hs := app.SwedishHolidays(year)
		if len(hs) != 16 {
			t.Errorf("%d: %d holidays, want 16", year, len(hs))
		}
		for i, h := range hs {
			if h.Date.Year != year {
				t.Errorf("%d: %v %s outside the year", year, h.Date, h.Name)
			}
			if i > 0 && h.Date.Before(hs[i-1].Date) {
				t.Errorf("%d: not sorted at %v %s", year, h.Date, h.Name)
			}
		}
		mid := holidayOn(t, year, "Midsommardagen")
		if wd(mid) != time.Saturday || mid.Month != time.June || mid.Day < 20 || mid.Day > 26 {
			t.Errorf("Midsommardagen %d = %v (%v), want a Saturday June 20–26", year, mid, wd(mid))
		}
		if eve := holidayOn(t, year, "Midsommarafton"); eve.AddDays(1) != mid {
			t.Errorf("Midsommarafton %d = %v, want the day before %v", year, eve, mid)
		}
		all := holidayOn(t, year, "Alla helgons dag")
		inRange := all == app.D(year, time.October, 31) || all.Month == time.November && all.Day <= 6
		if wd(all) != time.Saturday || !inRange {
			t.Errorf("Alla helgons dag %d = %v (%v), want a Saturday Oct 31–Nov 6", year, all, wd(all))
		}
		easter := holidayOn(t, year, "Påskdagen")
		if wd(easter) != time.Sunday || easter.Before(app.D(year, time.March, 22)) || easter.After(app.D(year, time.April, 25)) {
			t.Errorf("Påskdagen %d = %v (%v), want a Sunday March 22–April 25", year, easter, wd(easter))
		}
		for name, offset := range map[string]int{"Långfredagen": -2, "Annandag påsk": 1, "Kristi himmelsfärdsdag": 39, "Pingstdagen": 49} {
			if got := holidayOn(t, year, name); got != easter.AddDays(offset) {
				t.Errorf("%s %d = %v, want Easter %v %+d days", name, year, got, easter, offset)
			}
		}
	}
}

func TestCalendarClosedReason(t *testing.T) {
	cal := app.NewCalendar(app.Holiday{Date: app.D(2026, time.May, 15), Name: "Klämdag"})
	tests := []struct {
		date   app.Date
		reason string
		closed bool
	}{
		{app.D(2026, time.March, 7), "Lördag", true},
		{app.D(2026, time.March, 8), "Söndag", true},
		{app.D(2026, time.March, 9), "", false},
		{app.D(2026, time.June, 19), "Midsommarafton", true},
		{app.D(2026, time.June, 20), "Midsommardagen", true}, // the name wins over "Lördag"
		{app.D(2026, time.May, 15), "Klämdag", true},
		{app.D(2008, time.May, 1), "Första maj, Kristi himmelsfärdsdag", true},
	}
	for _, tt := range tests {
		reason, closed := cal.ClosedReason(tt.date)
		if reason != tt.reason || closed != tt.closed {
			t.Errorf("ClosedReason(%v) = %q, %v; want %q, %v", tt.date, reason, closed, tt.reason, tt.closed)
		}
		if got := cal.IsWorkingDay(tt.date); got == tt.closed {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.date, got, !tt.closed)
		}
	}
}

// at returns the Stockholm time of d at hh:mm.
func at(d app.Date, hh, mm int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, app.Stockholm)
}

func TestDueDateRoutineExamples(t *testing.T) {
	cal := app.NewCalendar()
	tests := []struct {
		name     string
		received app.Date
		due      app.Date
	}{
		{"before Christmas", app.D(2026, time.December, 23), app.D(2026, time.December, 29)},
		{"before Easter", app.D(2027, time.March, 25), app.D(2027, time.March, 31)},
		{"before midsommar", app.D(2027, time.June, 24), app.D(2027, time.June, 29)},
		{"Monday", app.D(2026, time.March, 2), app.D(2026, time.March, 4)},
		{"Friday", app.D(2026, time.March, 6), app.D(2026, time.March, 10)},
		{"Saturday", app.D(2026, time.March, 7), app.D(2026, time.March, 10)},
		{"Sunday", app.D(2026, time.March, 8), app.D(2026, time.March, 10)},
	}
	for _, tt := range tests {
		for _, hm := range [][2]int{{0, 0}, {8, 0}, {23, 59}} {
			if got := cal.DueDate(at(tt.received, hm[0], hm[1])); got != tt.due {
				t.Errorf("%s: DueDate(%v %02d:%02d) = %v, want %v", tt.name, tt.received, hm[0], hm[1], got, tt.due)
			}
		}
	}
}

func TestDueDateExpectedJSON(t *testing.T) {
	raw, err := os.ReadFile("../testdata/notices/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var notices []struct {
		File       string  `json:"file"`
		ReceivedAt *string `json:"received_at"`
		DueDate    *string `json:"due_date"`
	}
	if err := json.Unmarshal(raw, &notices); err != nil {
		t.Fatal(err)
	}
	cal := app.NewCalendar()
	checked := 0
	for _, n := range notices {
		if n.ReceivedAt == nil || n.DueDate == nil {
			continue
		}
		received, err := time.Parse(time.RFC3339, *n.ReceivedAt)
		if err != nil {
			t.Fatalf("%s: %v", n.File, err)
		}
		want, err := app.ParseDate(*n.DueDate)
		if err != nil {
			t.Fatalf("%s: %v", n.File, err)
		}
		if got := cal.DueDate(received); got != want {
			t.Errorf("%s: DueDate(%s) = %v, want %v", n.File, *n.ReceivedAt, got, want)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("expected.json has no received_at/due_date pairs")
	}
}

func TestDueDateEveryDay2026To2027(t *testing.T) {
	closed := closedSet()
	cal := app.NewCalendar()
	for r := app.D(2026, time.January, 1); r.Year <= 2027; r = nextDay(r) {
		for _, hm := range [][2]int{{0, 0}, {16, 59}, {23, 59}} {
			due := cal.DueDate(at(r, hm[0], hm[1]))
			if !openByList(closed, due) {
				t.Errorf("DueDate(%v %02d:%02d) = %v, not a working day", r, hm[0], hm[1], due)
				continue
			}
			n := 0
			for d := nextDay(r); !d.After(due); d = nextDay(d) {
				if openByList(closed, d) {
					n++
				}
			}
			if n != 2 {
				t.Errorf("DueDate(%v %02d:%02d) = %v: %d working days after receipt, want 2", r, hm[0], hm[1], due, n)
			}
		}
	}
}

func TestDueDateUsesStockholmDate(t *testing.T) {
	cal := app.NewCalendar()
	tests := []struct {
		utc time.Time
		due app.Date
	}{
		// Thursday 23:30 UTC is Friday 00:30 in Stockholm (CET): due Tuesday,
		// not Monday.
		{time.Date(2026, time.November, 26, 23, 30, 0, 0, time.UTC), app.D(2026, time.December, 1)},
		// Wednesday 23:30 UTC is midsommarafton's eve, Thursday 01:30 (CEST):
		// due Tuesday after midsommar, not Monday.
		{time.Date(2027, time.June, 23, 23, 30, 0, 0, time.UTC), app.D(2027, time.June, 29)},
	}
	for _, tt := range tests {
		if got := cal.DueDate(tt.utc); got != tt.due {
			t.Errorf("DueDate(%v) = %v, want %v", tt.utc, got, tt.due)
		}
	}
}

func TestCalendarClinicClosedDay(t *testing.T) {
	received := at(app.D(2026, time.May, 13), 10, 0) // Wednesday before Kristi himmelsfärdsdag
	klamdag := app.Holiday{Date: app.D(2026, time.May, 15), Name: "Klämdag"}

	plain := app.NewCalendar()
	if got, want := plain.DueDate(received), app.D(2026, time.May, 18); got != want {
		t.Errorf("without klämdag: DueDate = %v, want %v", got, want)
	}
	if got, want := app.NewCalendar(klamdag).DueDate(received), app.D(2026, time.May, 19); got != want {
		t.Errorf("NewCalendar(klämdag): DueDate = %v, want %v", got, want)
	}
	// Added after the year's holidays were cached.
	plain.AddClosed(klamdag)
	if got, want := plain.DueDate(received), app.D(2026, time.May, 19); got != want {
		t.Errorf("AddClosed(klämdag): DueDate = %v, want %v", got, want)
	}
	if plain.IsWorkingDay(klamdag.Date) {
		t.Errorf("IsWorkingDay(%v) = true after AddClosed", klamdag.Date)
	}
	plain.AddClosed(app.Holiday{Date: app.D(2026, time.May, 19)})
	if reason, ok := plain.ClosedReason(app.D(2026, time.May, 19)); !ok || reason == "" {
		t.Errorf("ClosedReason of an unnamed clinic day = %q, %v; want a label", reason, ok)
	}
}

func TestCalendarNextAndOnOrBefore(t *testing.T) {
	cal := app.NewCalendar()
	next := []struct{ from, want app.Date }{
		{app.D(2026, time.March, 2), app.D(2026, time.March, 3)},
		{app.D(2026, time.March, 6), app.D(2026, time.March, 9)},
		{app.D(2026, time.April, 2), app.D(2026, time.April, 7)}, // over Easter
		{app.D(2026, time.December, 23), app.D(2026, time.December, 28)},
		{app.D(2027, time.December, 30), app.D(2028, time.January, 3)}, // over the year end
	}
	for _, tt := range next {
		if got := cal.NextWorkingDay(tt.from); got != tt.want {
			t.Errorf("NextWorkingDay(%v) = %v, want %v", tt.from, got, tt.want)
		}
	}
	before := []struct{ from, want app.Date }{
		{app.D(2026, time.March, 4), app.D(2026, time.March, 4)},
		{app.D(2026, time.March, 8), app.D(2026, time.March, 6)},
		{app.D(2026, time.April, 6), app.D(2026, time.April, 2)},
		{app.D(2027, time.January, 1), app.D(2026, time.December, 30)},
	}
	for _, tt := range before {
		if got := cal.WorkingDayOnOrBefore(tt.from); got != tt.want {
			t.Errorf("WorkingDayOnOrBefore(%v) = %v, want %v", tt.from, got, tt.want)
		}
	}
}

func TestCalendarWorkingDaysBetween(t *testing.T) {
	cal := app.NewCalendar()
	tests := []struct {
		from, to app.Date
		want     int
	}{
		{app.D(2026, time.December, 23), app.D(2026, time.December, 29), 2},
		{app.D(2026, time.March, 2), app.D(2026, time.March, 2), 0},
		{app.D(2026, time.March, 3), app.D(2026, time.March, 2), 0},
		{app.D(2026, time.March, 2), app.D(2026, time.March, 9), 5},
		{app.D(2026, time.March, 6), app.D(2026, time.March, 8), 0},
		{app.D(2027, time.March, 25), app.D(2027, time.March, 31), 2},
	}
	for _, tt := range tests {
		if got := cal.WorkingDaysBetween(tt.from, tt.to); got != tt.want {
			t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	// Whole years, counted independently from the literal list.
	closed := closedSet()
	for _, year := range []int{2026, 2027} {
		want := 0
		for d := app.D(year, time.January, 1); d.Year == year; d = nextDay(d) {
			if openByList(closed, d) {
				want++
			}
		}
		if got := cal.WorkingDaysBetween(app.D(year-1, time.December, 31), app.D(year, time.December, 31)); got != want {
			t.Errorf("WorkingDaysBetween over %d = %d, want %d", year, got, want)
		}
	}
}

func TestCalendarOutOfRangeDate(t *testing.T) {
	cal := app.NewCalendar()
	// 2026-02-30 is 2026-03-02, a Monday; 2026-04-31 is 2026-05-01.
	if !cal.IsWorkingDay(app.Date{Year: 2026, Month: time.February, Day: 30}) {
		t.Error("IsWorkingDay(2026-02-30) = false, want true (2026-03-02)")
	}
	if cal.IsWorkingDay(app.Date{Year: 2026, Month: time.April, Day: 31}) {
		t.Error("IsWorkingDay(2026-04-31) = true, want false (första maj)")
	}
	_ = cal.IsWorkingDay(app.Date{}) // must not panic
	_, _ = cal.ClosedReason(app.Date{Year: 2026, Month: 13, Day: 40})
}

func TestCalendarConcurrentUse(t *testing.T) {
	cal := app.NewCalendar()
	closed := closedSet()
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for d := app.D(2026, time.January, 1); d.Year <= 2027; d = nextDay(d) {
				if cal.IsWorkingDay(d) != openByList(closed, d) {
					errs <- d.String()
					return
				}
				_ = cal.IsWorkingDay(app.D(1950+g*20+d.Day, d.Month, d.Day))
			}
			cal.AddClosed(app.Holiday{Date: app.D(2030, time.January, 2+g), Name: "Stängt"})
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent IsWorkingDay wrong on %s", e)
	}
	for g := 0; g < 8; g++ {
		if d := app.D(2030, time.January, 2+g); cal.IsWorkingDay(d) {
			t.Errorf("IsWorkingDay(%v) = true after concurrent AddClosed", d)
		}
	}
}

func TestDeadlineFlag(t *testing.T) {
	due := app.D(2026, time.December, 29)
	feedback := time.Date(2026, time.December, 28, 9, 0, 0, 0, app.Stockholm)
	closedAt := time.Date(2026, time.December, 29, 14, 0, 0, 0, app.Stockholm)
	tests := []struct {
		name               string
		feedback, closedAt *time.Time
		now                time.Time
		want               app.Flag
		swedish            string
	}{
		{"before due", nil, nil, at(app.D(2026, time.December, 28), 23, 59), app.FlagOK, "I tid"},
		{"due today, morning", nil, nil, at(due, 0, 0), app.FlagDueToday, "Svar senast idag"},
		{"due today, evening", nil, nil, at(due, 23, 59), app.FlagDueToday, "Svar senast idag"},
		{"overdue", nil, nil, at(app.D(2026, time.December, 30), 0, 0), app.FlagOverdue, "Försenat"},
		// 2026-12-29 23:30 UTC is already 2026-12-30 in Stockholm.
		{"overdue by Stockholm date", nil, nil, time.Date(2026, time.December, 29, 23, 30, 0, 0, time.UTC), app.FlagOverdue, "Försenat"},
		{"answered", &feedback, nil, at(app.D(2027, time.January, 15), 10, 0), app.FlagAnswered, "Återkopplat"},
		{"closed", nil, &closedAt, at(app.D(2027, time.January, 15), 10, 0), app.FlagClosed, "Avslutat"},
		{"closed beats answered", &feedback, &closedAt, at(due, 12, 0), app.FlagClosed, "Avslutat"},
	}
	for _, tt := range tests {
		got := app.DeadlineFlag(due, tt.feedback, tt.closedAt, tt.now)
		if got != tt.want {
			t.Errorf("%s: DeadlineFlag = %q, want %q", tt.name, got, tt.want)
		}
		if s := tt.want.Swedish(); s != tt.swedish {
			t.Errorf("%s: %q.Swedish() = %q, want %q", tt.name, tt.want, s, tt.swedish)
		}
	}
}

func BenchmarkCalendarIsWorkingDay(b *testing.B) {
	cal := app.NewCalendar(app.Holiday{Date: app.D(2026, time.May, 15), Name: "Klämdag"})
	days := make([]app.Date, 0, 730)
	for d := app.D(2026, time.January, 1); d.Year <= 2027; d = nextDay(d) {
		days = append(days, d)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cal.IsWorkingDay(days[i%len(days)])
	}
}

func BenchmarkCalendarDueDate(b *testing.B) {
	cal := app.NewCalendar()
	start := at(app.D(2026, time.January, 1), 9, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cal.DueDate(start.Add(time.Duration(i%730) * 24 * time.Hour))
	}
}

func BenchmarkCalendarIsWorkingDayParallel(b *testing.B) {
	cal := app.NewCalendar()
	b.RunParallel(func(pb *testing.PB) {
		d := app.D(2026, time.March, 2)
		for pb.Next() {
			cal.IsWorkingDay(d)
		}
	})
}
