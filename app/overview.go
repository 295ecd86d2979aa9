package app

import (
	"context"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Dagens översikt: "Administrativ resurs (ärendemottagare) börjar dagen med
// att kolla av inkomna ärenden och är 1177-ansvarig enligt schema." The
// overview's buckets, the record that the morning check was done, and
// Fördela with each person's load in view.

// OverviewBucket is one figure of Dagens översikt, and the case list a
// click on it opens.
type OverviewBucket struct {
	Key   string // the view key (View* constants)
	Label string // Swedish
	Count int
	// Filter is the case list the bucket stands for.
	Filter CaseFilter
}

// Overview is Dagens översikt.
type Overview struct {
	Today Date
	// Since is the last working day before Today: "new" cases are those
	// received on or after it.
	Since   Date
	Buckets []OverviewBucket
}

// Bucket returns the bucket with key k.
func (o Overview) Bucket(k string) (OverviewBucket, bool) {
	for _, b := range o.Buckets {
		if b.Key == k {
			return b, true
		}
	}
	return OverviewBucket{}, false
}

// OverviewSince returns the last working day before today by cal: on a
// Monday the Friday before (or the Thursday, when that Friday was
// långfredagen).
func OverviewSince(cal *Calendar, today Date) Date {
	return cal.WorkingDayOnOrBefore(today.AddDays(-1))
}

// OverviewFilters returns the overview's buckets, without counts, in
// display order: new since the last working day, due today, overdue,
// ofördelade, citizen has answered, no action for staleDays days,
// efterarbete, Melior not closed. me is the viewer (for the filters'
// Me).
func OverviewFilters(cal *Calendar, today Date, staleDays int, me string) []OverviewBucket {
	since := OverviewSince(cal, today)
	base := CaseFilter{Me: me, Today: today, StaleCutoff: StaleCutoff(cal, today, staleDays)}
	mk := func(view, label string) OverviewBucket {
		f := base
		f.View = view
		if view == ViewReceivedSince {
			f.ReceivedFrom = since
		}
		return OverviewBucket{Key: view, Label: label, Filter: f}
	}
	return []OverviewBucket{
		mk(ViewReceivedSince, "Nya sedan "+since.ShortSv()),
		mk(ViewDueToday, "Svar senast idag"),
		mk(ViewOverdue, "Försenade"),
		mk(ViewUnassigned, "Ofördelade"),
		mk(ViewCitizenAnswered, "Invånaren har svarat"),
		mk(ViewStale, StaleLabel(staleDays)),
		mk(ViewEfterarbete, "Efterarbete"),
		mk(ViewMelior, "Dokumenterat i Melior men ej avslutat i 1177"),
	}
}

// ComputeOverview computes Dagens översikt over cases (all the clinic's
// open cases and those closed since, at least) on today by cal, with
// staleDays for "Ingen åtgärd på N dagar". A store can instead count each
// bucket's Filter.
func ComputeOverview(cases []*Case, today Date, cal *Calendar, staleDays int, me string) Overview {
	o := Overview{Today: today, Since: OverviewSince(cal, today), Buckets: OverviewFilters(cal, today, staleDays, me)}
	for i := range o.Buckets {
		r := o.Buckets[i].Filter.Rule()
		for _, c := range cases {
			if r.Matches(c) {
				o.Buckets[i].Count++
			}
		}
	}
	return o
}

// MorningCheck records that the day's check of incoming cases ("Morgonkollen
// klar") was done: by whom and when.
type MorningCheck struct {
	Day Date // Stockholm date of At
	By  string
	At  time.Time
}

// MorningCheckDeadline is the hour (Stockholm) after which a working day
// without a morning check is shown in the header.
const MorningCheckDeadline = 10

// NewMorningCheck returns the record of staff member by's check at now.
func NewMorningCheck(by string, now time.Time) (MorningCheck, error) {
	if strings.TrimSpace(by) == "" {
		return MorningCheck{}, FieldErrorf("by", "ange vem som gjorde morgonkollen")
	}
	if now.IsZero() {
		return MorningCheck{}, FieldErrorf("at", "tidpunkt saknas")
	}
	now = now.In(Stockholm)
	return MorningCheck{Day: DateOf(now), By: StaffKey(by), At: now}, nil
}

// MorningCheckMissing reports whether the header should say that today's
// morning check is not done: now is a working day by cal, 10:00 or later
// in Stockholm, and done (whether a check of today exists) is false.
func MorningCheckMissing(done bool, now time.Time, cal *Calendar) bool {
	t := now.In(Stockholm)
	return !done && cal.IsWorkingDay(DateOf(t)) && t.Hour() >= MorningCheckDeadline
}

// MorningCheckDone reports whether checks hold one of day.
func MorningCheckDone(checks []MorningCheck, day Date) bool {
	for _, c := range checks {
		if c.Day == day {
			return true
		}
	}
	return false
}

// MorningCheckStore keeps the morning checks. Recording a second check of
// the same day keeps both (who and when); statistics count days.
type MorningCheckStore interface {
	RecordMorningCheck(ctx context.Context, m MorningCheck) error
	// MorningChecks returns the checks of days in [from, to], oldest first.
	MorningChecks(ctx context.Context, from, to Date) ([]MorningCheck, error)
}

// AssignOption is one person in the Fördela list.
type AssignOption struct {
	Staff *Staff
	// Open is how many open cases the person holds.
	Open int
	// OnDuty: the person is today's 1177-ansvarig by the schedule.
	OnDuty bool
	// RightRole: the person holds one of the type's RoutingRoles.
	RightRole bool
	// Suggested: the one SuggestAssignee picks.
	Suggested bool
}

// AssignOptions returns the Fördela list for a case of type t: the active
// staff in StaffForAssign order, each with the open cases they hold (by
// HSA-ID in open), whether they are today's 1177-ansvarig (onDuty, an
// HSA-ID or ""), and the suggestion marked. The choice stays the user's.
func AssignOptions(t CaseType, staff []*Staff, open map[string]int, onDuty string) []AssignOption {
	suggested := SuggestAssignee(t, staff, open)
	var out []AssignOption
	for _, s := range t.StaffForAssign(staff) {
		o := AssignOption{Staff: s, Open: open[s.HSAID], OnDuty: onDuty != "" && StaffKey(onDuty) == StaffKey(s.HSAID)}
		for _, r := range t.RoutingRoles() {
			o.RightRole = o.RightRole || s.HasRole(r)
		}
		o.Suggested = suggested != nil && suggested.HSAID == s.HSAID
		out = append(out, o)
	}
	return out
}

// SuggestAssignee returns whom Fördela suggests for a case of type t: of
// the active staff holding the first of t's RoutingRoles that anyone
// holds, the one with the fewest open cases (open, by HSA-ID); ties by
// name in Swedish order, then HSA-ID. nil when nobody holds any of the
// roles.
func SuggestAssignee(t CaseType, staff []*Staff, open map[string]int) *Staff {
	col := collate.New(language.Swedish, collate.IgnoreCase)
	for _, r := range t.RoutingRoles() {
		var best *Staff
		for _, s := range staff {
			if !s.Active || !s.HasRole(r) {
				continue
			}
			if best == nil {
				best = s
				continue
			}
			switch nb, ns := open[best.HSAID], open[s.HSAID]; {
			case ns < nb:
				best = s
			case ns == nb:
				if c := col.CompareString(s.Name, best.Name); c < 0 || c == 0 && s.HSAID < best.HSAID {
					best = s
				}
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}
