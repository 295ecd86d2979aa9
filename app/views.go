package app

import "strings"

// ViewRule is what a view of the case list selects, as plain conditions
// that a store turns into its query and that Matches applies to one case.
// Every condition that is set must hold.
type ViewRule struct {
	Open       bool   // the case is not closed
	Closed     bool   // the case is closed
	Mine       bool   // the case is assigned to Me (none when Me is empty)
	Me         string // HSA-ID
	Unassigned bool   // the case is assigned to no one
	// Overdue: no feedback yet and the due date is before Today.
	Overdue bool
	// DueToday: no feedback yet and the due date is Today.
	DueToday bool
	Today    Date
}

// ViewRuleOf returns the rule of view for staff member me on today: the
// inbox's tabs and counters. An unknown view selects every case, as
// ViewAll does.
func ViewRuleOf(view, me string, today Date) ViewRule {
	switch view {
	case "", ViewOpen:
		return ViewRule{Open: true}
	case ViewMine:
		return ViewRule{Open: true, Mine: true, Me: me}
	case ViewUnassigned:
		return ViewRule{Open: true, Unassigned: true}
	case ViewOverdue:
		return ViewRule{Open: true, Overdue: true, Today: today}
	case ViewDueToday:
		return ViewRule{Open: true, DueToday: true, Today: today}
	case ViewClosed:
		return ViewRule{Closed: true}
	}
	return ViewRule{}
}

// Rule returns the rule of f's view.
func (f CaseFilter) Rule() ViewRule { return ViewRuleOf(f.View, f.Me, f.Today) }

// Matches reports whether c is in the view. The flag a case shows agrees:
// an open case is Overdue exactly when c.Flag is FlagOverdue on Today, and
// DueToday exactly when it is FlagDueToday.
func (r ViewRule) Matches(c *Case) bool {
	closed := c.Status == StatusAvslutad
	switch {
	case r.Open && closed, r.Closed && !closed:
		return false
	case r.Mine && (c.Assignee == "" || c.Assignee != r.Me):
		return false
	case r.Unassigned && c.Assignee != "":
		return false
	case r.Overdue && (c.FirstFeedbackAt != nil || !c.DueDate.Before(r.Today)):
		return false
	case r.DueToday && (c.FirstFeedbackAt != nil || c.DueDate != r.Today):
		return false
	}
	return true
}

// CountedViews are the views the inbox counts, each into the field of
// CaseCounts that SetCount names.
func CountedViews() []string {
	return []string{ViewOpen, ViewUnassigned, ViewMine, ViewOverdue, ViewDueToday}
}

// SetCount stores n as the count of view (one of CountedViews): the
// unassigned cases are the counter "New".
func (c *CaseCounts) SetCount(view string, n int) {
	switch view {
	case ViewOpen:
		c.Open = n
	case ViewUnassigned:
		c.New = n
	case ViewMine:
		c.Mine = n
	case ViewOverdue:
		c.Overdue = n
	case ViewDueToday:
		c.DueToday = n
	}
}

// TypeKeysInGroup returns the keys of the case types in group, in the
// routine's order.
func TypeKeysInGroup(group string) []string {
	var keys []string
	for _, t := range caseTypes {
		if t.Group == group {
			keys = append(keys, t.Key)
		}
	}
	return keys
}

// TypeKeysMatching returns the keys of the case types whose Swedish name
// holds term, compared as NormalizeTypeName writes both: searching the case
// list finds a case by its type's name, which is Swedish text here, not
// stored with the case.
func TypeKeysMatching(term string) []string {
	norm := NormalizeTypeName(term)
	var keys []string
	for _, t := range caseTypes {
		if strings.Contains(NormalizeTypeName(t.Name), norm) {
			keys = append(keys, t.Key)
		}
	}
	return keys
}
