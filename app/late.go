package app

import "strconv"

// FeedbackLateDays returns how many working days (by cal) after its due
// date the case had its first feedback: 0 when it came in time or has not
// come yet, at least 1 when it came on a later date (a weekend day after
// the due date counts as one). Statistics call the same cases "Återkoppling
// senare".
func (c *Case) FeedbackLateDays(cal *Calendar) int {
	if c.FirstFeedbackAt == nil || c.DueDate.IsZero() {
		return 0
	}
	fb := DateOf(*c.FirstFeedbackAt)
	if !fb.After(c.DueDate) {
		return 0
	}
	return max(cal.WorkingDaysBetween(c.DueDate, fb), 1)
}

// LateLabel is what the list and the case say of a case answered after
// its due date: "Besvarad sent (1 dag)", "Besvarad sent (3 dagar)"; ""
// when days is 0. Days are working days, as the two-day rule counts.
func LateLabel(days int) string {
	switch {
	case days <= 0:
		return ""
	case days == 1:
		return "Besvarad sent (1 dag)"
	}
	return "Besvarad sent (" + strconv.Itoa(days) + " dagar)"
}
