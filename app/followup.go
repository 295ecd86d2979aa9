package app

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// What keeps a case from hanging after the first feedback: the work left
// after closing in 1177 (efterarbete), the clock of "Ingen åtgärd på N
// dagar", the order "Mest brådskande först" and the day boundary at which
// counters and flags change.

// SettingStaleDays is the settings key of the number of working days
// without action after which an open case is flagged "Ingen åtgärd på N
// dagar". Empty or invalid means DefaultStaleDays.
const SettingStaleDays = "flagga.ingen-atgard-arbetsdagar"

// DefaultStaleDays is the clinic's number of working days without action
// when it has set none.
const DefaultStaleDays = 5

// ParseStaleDays checks a number of working days typed in the settings:
// a whole number from 1 to 60.
func ParseStaleDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 60 {
		return 0, FieldErrorf("stale-days", "ange ett helt antal arbetsdagar mellan 1 och 60")
	}
	return n, nil
}

// StaleDaysOf returns the number of working days the stored setting value
// says, or DefaultStaleDays when it is empty or invalid.
func StaleDaysOf(setting string) int {
	if n, err := ParseStaleDays(setting); err == nil {
		return n
	}
	return DefaultStaleDays
}

// StaleLabel is the flag's and the view's Swedish name for n days.
func StaleLabel(n int) string {
	if n == 1 {
		return "Ingen åtgärd på 1 dag"
	}
	return "Ingen åtgärd på " + strconv.Itoa(n) + " dagar"
}

// LastActivity returns when something last happened to the case that
// counts as action: LastActionAt, or ReceivedAt when nothing has.
func (c *Case) LastActivity() time.Time {
	if c.LastActionAt.After(c.ReceivedAt) {
		return c.LastActionAt
	}
	return c.ReceivedAt
}

// IsStale reports whether the case is open and has had no action for
// days working days by today: cal.WorkingDaysBetween(the Stockholm date
// of its last activity, today) >= days. days < 1 turns the rule off.
func (c *Case) IsStale(today Date, cal *Calendar, days int) bool {
	if c.Status == StatusAvslutad || days < 1 || today.IsZero() {
		return false
	}
	return cal.WorkingDaysBetween(DateOf(c.LastActivity()), today) >= days
}

// StaleCutoff returns the latest date d for which a case whose last
// activity fell on d is stale on today: a store selects the stale open
// cases with "last activity date <= StaleCutoff". The zero Date when
// days < 1 (nothing is stale).
func StaleCutoff(cal *Calendar, today Date, days int) Date {
	if days < 1 || today.IsZero() {
		return Date{}
	}
	d := today
	for n := 0; n < days; d = d.AddDays(-1) {
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	return d
}

// FlagAt is Flag with the "Ingen åtgärd på N dagar" rule: a case that is
// neither due today nor overdue and has had no action for staleDays
// working days by cal is FlagStale.
func (c *Case) FlagAt(now time.Time, cal *Calendar, staleDays int) Flag {
	f := c.Flag(now)
	switch f {
	case FlagOK, FlagAnswered, FlagCitizenAnswered:
		if c.IsStale(DateOf(now), cal, staleDays) {
			return FlagStale
		}
	}
	return f
}

// Efterarbete reports whether the case is closed in 1177 with steps of
// its checklist left: the doctor's certificate after "avslutat utan
// svar", Melior, ELVIS and the behandlare after an avbokning.
func (c *Case) Efterarbete() bool {
	return c.Status == StatusAvslutad && len(c.RemainingSteps()) > 0
}

// StepsBeforeClose returns the steps the routine puts before closing the
// case in 1177 that are not ticked: those before the checklist's first
// closing step (all of them when it has none). Satisfied alternatives
// are not listed.
func (c *Case) StepsBeforeClose() []Step {
	left := map[string]bool{}
	for _, s := range c.RemainingSteps() {
		left[s.Key] = true
	}
	var out []Step
	for _, s := range c.Flow().StepsFor(c.Branch) {
		if s.Closes() {
			break
		}
		if left[s.Key] {
			out = append(out, s)
		}
	}
	return out
}

// CloseWarning is the warning, not an error, to show when the case is
// closed in 1177 (by the close action or its step) with earlier steps
// unticked, naming them; "" when there is nothing to warn about. The UI
// shows it before or at closing; closing is not refused.
func (c *Case) CloseWarning() string {
	steps := c.StepsBeforeClose()
	if len(steps) == 0 {
		return ""
	}
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = "”" + s.Text + "”"
	}
	if len(names) == 1 {
		return "Steget " + names[0] + " före avslutet i 1177 är inte markerat som klart."
	}
	return "Stegen " + strings.Join(names[:len(names)-1], ", ") + " och " + names[len(names)-1] +
		" före avslutet i 1177 är inte markerade som klara."
}

// CaseDerived are the values of a case that a store keeps in columns of
// its own, filled at every save, to select and order cases in SQL: they
// depend on the case alone (and the routine), never on today.
type CaseDerived struct {
	// FeedbackDue is the date the next feedback is owed by (the first
	// clock, or the citizen's); zero (NULL) when none is owed.
	FeedbackDue Date
	// CitizenPending: the citizen has answered and had no feedback since.
	CitizenPending bool
	// StepsLeft is len(RemainingSteps()): efterarbete is "closed and
	// StepsLeft > 0".
	StepsLeft int
	// MeliorOpen is MeliorWarning().
	MeliorOpen bool
	// LastActionDate is the Stockholm date of LastActivity(): stale is
	// "open and LastActionDate <= StaleCutoff(...)".
	LastActionDate Date
}

// Derived returns c's derived values.
func (c *Case) Derived() CaseDerived {
	d := CaseDerived{
		CitizenPending: c.CitizenPending(),
		StepsLeft:      len(c.RemainingSteps()),
		MeliorOpen:     c.MeliorWarning(),
		LastActionDate: DateOf(c.LastActivity()),
	}
	if due, ok := c.FeedbackDue(); ok {
		d.FeedbackDue = due
	}
	return d
}

// Urgency ranks of "Mest brådskande först", most urgent first.
const (
	UrgencyOverdue         = 0 // feedback owed, its date has passed
	UrgencyDueToday        = 1 // feedback owed today
	UrgencyCitizenAnswered = 2 // the citizen answered; the new clock runs
	UrgencyUnanswered      = 3 // no feedback yet, in time
	UrgencyAnswered        = 4 // answered or waiting for the citizen
	UrgencyClosed          = 5
)

// UrgencyRank returns the case's rank on today. In SQL, with the columns
// of CaseDerived (feedback_due NULL when none is owed):
//
//	CASE WHEN status = 'avslutad' THEN 5
//	     WHEN feedback_due IS NULL THEN 4
//	     WHEN feedback_due < :today THEN 0
//	     WHEN feedback_due = :today THEN 1
//	     WHEN citizen_pending THEN 2
//	     ELSE 3 END
func UrgencyRank(c *Case, today Date) int {
	if c.Status == StatusAvslutad {
		return UrgencyClosed
	}
	due, owed := c.FeedbackDue()
	switch {
	case !owed:
		return UrgencyAnswered
	case due.Before(today):
		return UrgencyOverdue
	case due == today:
		return UrgencyDueToday
	case c.CitizenPending():
		return UrgencyCitizenAnswered
	}
	return UrgencyUnanswered
}

// CompareUrgency orders cases "Mest brådskande först" on today: by
// UrgencyRank, then by the date feedback is owed by (the due date for
// cases that owe none), then received time, then id. In SQL:
//
//	ORDER BY <rank>, COALESCE(feedback_due, due_date), received_at, id
func CompareUrgency(a, b *Case, today Date) int {
	if ra, rb := UrgencyRank(a, today), UrgencyRank(b, today); ra != rb {
		return ra - rb
	}
	da, db := urgencyDate(a), urgencyDate(b)
	switch {
	case da.Before(db):
		return -1
	case db.Before(da):
		return 1
	case a.ReceivedAt.Before(b.ReceivedAt):
		return -1
	case b.ReceivedAt.Before(a.ReceivedAt):
		return 1
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

func urgencyDate(c *Case) Date {
	if d, ok := c.FeedbackDue(); ok {
		return d
	}
	return c.DueDate
}

// SortByUrgency sorts cases most urgent first on today (CompareUrgency).
func SortByUrgency(cases []*Case, today Date) {
	sort.SliceStable(cases, func(i, j int) bool { return CompareUrgency(cases[i], cases[j], today) < 0 })
}

// NextDayBoundary returns the next midnight in Stockholm after now: when
// counters, flags and the tray must be refreshed although nobody acted.
// Daylight saving time is accounted for (the day may be 23 or 25 hours).
func NextDayBoundary(now time.Time) time.Time {
	t := now.In(Stockholm)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, Stockholm)
}

// UntilNextDay returns how long from now until NextDayBoundary, for a
// timer.
func UntilNextDay(now time.Time) time.Duration { return NextDayBoundary(now).Sub(now) }
