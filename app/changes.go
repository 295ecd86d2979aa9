package app

import (
	"context"
	"errors"
	"time"
)

// Live updates (issue 11): every desk on one database learns of what the
// others change, as it is committed, without asking again and again. The
// store sends a Change for each committed write; a window subscribes to
// the store's ChangeFeed and reloads what the change concerns.

// ChangeKind says what kind of thing changed.
type ChangeKind string

const (
	ChangeCase       ChangeKind = "case"        // a case: new, assigned, a step, a note, its patient …
	ChangeSchedule   ChangeKind = "schedule"    // who is 1177-ansvarig
	ChangeStaff      ChangeKind = "staff"       // the staff list
	ChangeSettings   ChangeKind = "settings"    // a setting (not a secret)
	ChangeClosedDays ChangeKind = "closed-days" // the clinic's closed days: the calendar
	ChangePresence   ChangeKind = "presence"    // who has a case open
	// ChangeResync: changes may have been missed (the connection that
	// listens for them was lost and is back): reload everything.
	ChangeResync ChangeKind = "resync"
)

// Change is one committed change, as a subscriber receives it.
type Change struct {
	Kind ChangeKind
	// CaseID is the case of a ChangeCase or ChangePresence; 0 for a change
	// of many cases at once (gallring).
	CaseID int64
	// Actor is the HSA-ID of who made the change (ActorSystem for
	// intake); "" when unknown.
	Actor string
	At    time.Time
	// New marks a case that the change created.
	New bool
	// AssignedTo is set when the change assigned the case: the HSA-ID of
	// the new assignee.
	AssignedTo string
	// Local marks a change made through this process's own store (its
	// intake, its window); false for one made on another desk.
	Local bool
}

// ChangeFeed delivers the store's committed changes. Changes made by
// other desks on the same database arrive as well as this process's own;
// a rolled-back transaction delivers nothing.
type ChangeFeed interface {
	// Subscribe calls fn with every change committed from now on, in
	// commit order, from a goroutine of the feed's; fn must return
	// quickly (hand the work on). stop ends the subscription; it is also
	// ended when ctx is done.
	Subscribe(ctx context.Context, fn func(Change)) (stop func())
}

// Presence: which desks have a case open right now (collision detection,
// as Zammad's), so that two people do not answer the same citizen.

const (
	// PresenceHeartbeat is how often a window with a case open says so
	// again.
	PresenceHeartbeat = 20 * time.Second
	// PresenceTimeout is how long an entry counts without a heartbeat: a
	// desk that crashed disappears after it.
	PresenceTimeout = 60 * time.Second
)

// Presence is one desk that has a case open.
type Presence struct {
	CaseID int64
	// Session identifies the window (one desk may have several).
	Session string
	HSAID   string
	Since   time.Time // when it opened the case
	Seen    time.Time // its latest heartbeat
}

// PresenceStore keeps who has which case open.
type PresenceStore interface {
	// OpenCase records that session (a window) has case caseID open as
	// hsaID, or renews the record (the heartbeat). Only a new record is a
	// ChangePresence for the others.
	OpenCase(ctx context.Context, session, hsaID string, caseID int64) error
	// CloseCase removes the record; nothing happens when there is none.
	CloseCase(ctx context.Context, session string, caseID int64) error
	// CaseViewers returns who has case caseID open, heard from within
	// PresenceTimeout, earliest first.
	CaseViewers(ctx context.Context, caseID int64) ([]Presence, error)
}

// No lost update: an action taken on a case view that is stale (someone
// else changed the case after the view read it) is applied to the fresh
// case when it still makes sense whatever happened in between, and
// refused otherwise.

// CaseVersionStore changes a case only when the change still makes sense
// on what the person saw.
type CaseVersionStore interface {
	// UpdateCaseIf is UpdateCase for an action taken on a view of version
	// seen (Case.Version when the view read it). When someone other than
	// actor changed the case since, and the events fn makes on the fresh
	// case include one that RefusedWhenStale, nothing is stored and the
	// error is StaleCaseError (ECONFLICT). seen <= 0 checks nothing.
	UpdateCaseIf(ctx context.Context, id int64, actor string, seen int64, fn func(c *Case) ([]Event, error)) (*Case, error)
}

// RefusedWhenStale reports whether an action that makes an event of kind
// k must be refused when the person did not see the case's latest state:
// closing, assigning, re-routing, asking, answering, choosing what the
// citizen wants, changing the patient all depend on what the case says.
// A note, a ticked step, "the citizen has answered" and intake's own
// events are applied in order: they add to the case whatever came before.
func (k EventKind) RefusedWhenStale() bool {
	switch k {
	case EventAssigned, EventSvar, EventAvslutatUtanSvar, EventRerouted, EventReopened, EventMotfraga,
		EventDelsvar, EventBranch, EventPatient, EventReplySent:
		return true
	}
	return false
}

// StaleConflict decides a stale action: intervening are the events others
// made since the view was read (oldest first), evs what the action made on
// the fresh case. It returns nil when the action may be applied, else
// StaleCaseError naming who changed the case last (name: their name).
func StaleConflict(intervening, evs []Event, name func(hsaID string) string) error {
	if len(intervening) == 0 {
		return nil
	}
	for _, e := range evs {
		if e.Kind.RefusedWhenStale() {
			last := intervening[len(intervening)-1]
			return StaleCaseError(name(last.Actor), last.At)
		}
	}
	return nil
}

// FieldCaseVersion is the Field of StaleCaseError: the version of the
// case the view showed.
const FieldCaseVersion = "case-version"

// StaleCaseError is the refusal of an action on a stale view.
func StaleCaseError(who string, at time.Time) *Error {
	e := Errorf(ECONFLICT, "Ärendet ändrades av %s kl %s medan du hade det öppet. Det visas nu som det är; gör om åtgärden om den fortfarande behövs.",
		who, at.In(Stockholm).Format("15:04"))
	e.Field = FieldCaseVersion
	return e
}

// IsStale reports whether err is StaleCaseError: the view must show the
// fresh case.
func IsStale(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == ECONFLICT && e.Field == FieldCaseVersion
}

// ActorDisplayName is how the history and messages name an actor that is
// not a staff member: intake is "E-postintaget"; anyone else unknown is
// their HSA-ID.
func ActorDisplayName(hsaID string) string {
	if hsaID == ActorSystem {
		return "E-postintaget"
	}
	return hsaID
}
