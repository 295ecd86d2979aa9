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
	// Overdue and DueToday also hold for the citizen's clock: an open case
	// whose citizen answered and had no feedback since, by
	// NextFeedbackDue. In general: by the date of Case.FeedbackDue.

	// OrEfterarbete widens Open: a closed case with steps left counts as
	// open too (Mina keeps its efterarbete).
	OrEfterarbete bool
	// Efterarbete: closed in 1177 with steps left (Case.Efterarbete).
	Efterarbete bool
	// CitizenAnswered: Case.CitizenPending.
	CitizenAnswered bool
	// Stale: the date of Case.LastActivity is on or before StaleCutoff
	// (never when StaleCutoff is zero).
	Stale       bool
	StaleCutoff Date
	// Melior: Case.MeliorWarning.
	Melior bool
	// ReceivedFrom, when set: received on or after it (Stockholm date).
	ReceivedFrom Date
}

// ViewRuleOf returns the rule of view for staff member me on today: the
// inbox's tabs and counters. An unknown view selects every case, as
// ViewAll does.
func ViewRuleOf(view, me string, today Date) ViewRule {
	switch view {
	case "", ViewOpen:
		return ViewRule{Open: true}
	case ViewMine:
		return ViewRule{Open: true, OrEfterarbete: true, Mine: true, Me: me}
	case ViewUnassigned:
		return ViewRule{Open: true, Unassigned: true}
	case ViewOverdue:
		return ViewRule{Open: true, Overdue: true, Today: today}
	case ViewDueToday:
		return ViewRule{Open: true, DueToday: true, Today: today}
	case ViewClosed:
		return ViewRule{Closed: true}
	case ViewEfterarbete:
		return ViewRule{Closed: true, Efterarbete: true}
	case ViewCitizenAnswered:
		return ViewRule{Open: true, CitizenAnswered: true}
	case ViewStale:
		return ViewRule{Open: true, Stale: true}
	case ViewMelior:
		return ViewRule{Open: true, Melior: true}
	case ViewReceivedSince:
		return ViewRule{}
	}
	return ViewRule{}
}

// Rule returns the rule of f's view, with f's StaleCutoff and (for
// ViewReceivedSince) ReceivedFrom.
func (f CaseFilter) Rule() ViewRule {
	r := ViewRuleOf(f.View, f.Me, f.Today)
	if r.Stale {
		r.StaleCutoff = f.StaleCutoff
	}
	if f.View == ViewReceivedSince {
		r.ReceivedFrom = f.ReceivedFrom
	}
	return r
}

// Matches reports whether c is in the view. The flag a case shows agrees:
// an open case is Overdue exactly when c.Flag is FlagOverdue on Today, and
// DueToday exactly when it is FlagDueToday.
func (r ViewRule) Matches(c *Case) bool {
	closed := c.Status == StatusAvslutad
	due, owed := c.FeedbackDue()
	switch {
	case r.Open && closed && !(r.OrEfterarbete && c.Efterarbete()), r.Closed && !closed:
		return false
	case r.Mine && (c.Assignee == "" || c.Assignee != r.Me):
		return false
	case r.Unassigned && c.Assignee != "":
		return false
	case r.Overdue && (!owed || !due.Before(r.Today)):
		return false
	case r.DueToday && (!owed || due != r.Today):
		return false
	case r.Efterarbete && !c.Efterarbete():
		return false
	case r.CitizenAnswered && !c.CitizenPending():
		return false
	case r.Stale && (r.StaleCutoff.IsZero() || DateOf(c.LastActivity()).After(r.StaleCutoff)):
		return false
	case r.Melior && !c.MeliorWarning():
		return false
	case !r.ReceivedFrom.IsZero() && DateOf(c.ReceivedAt).Before(r.ReceivedFrom):
		return false
	}
	return true
}

// CountedViews are the views the inbox counts, each into the field of
// CaseCounts that SetCount names.
func CountedViews() []string {
	return []string{ViewOpen, ViewUnassigned, ViewMine, ViewOverdue, ViewDueToday}
}

// RoutineCountedViews are the counters the routine adds (issue 12):
// efterarbete, citizen answered, stale, Melior not closed. SetCount
// stores them too. ViewEfterarbete selects closed cases, the others open
// ones.
func RoutineCountedViews() []string {
	return []string{ViewEfterarbete, ViewCitizenAnswered, ViewStale, ViewMelior}
}

// CountCases counts cases into the counters of CountedViews and
// RoutineCountedViews for staff member me on today, stale by
// staleCutoff: what a store's Counts computes, over cases in memory.
func CountCases(cases []*Case, me string, today, staleCutoff Date) CaseCounts {
	var counts CaseCounts
	for _, v := range append(CountedViews(), RoutineCountedViews()...) {
		r := CaseFilter{View: v, Me: me, Today: today, StaleCutoff: staleCutoff}.Rule()
		n := 0
		for _, c := range cases {
			if r.Matches(c) {
				n++
			}
		}
		counts.SetCount(v, n)
	}
	return counts
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
	case ViewEfterarbete:
		c.Efterarbete = n
	case ViewCitizenAnswered:
		c.CitizenAnswered = n
	case ViewStale:
		c.Stale = n
	case ViewMelior:
		c.Melior = n
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
