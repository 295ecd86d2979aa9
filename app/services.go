package app

import (
	"context"
	"time"
)

// Views of the case list: the inbox filters.
const (
	ViewOpen       = "open"       // Alla öppna
	ViewMine       = "mine"       // Mina
	ViewUnassigned = "unassigned" // Ofördelade
	ViewOverdue    = "overdue"    // Försenade
	ViewDueToday   = "due-today"  // Svar senast idag
	ViewClosed     = "closed"     // Avslutade
	ViewAll        = "all"        // open and closed
	// ViewEfterarbete: closed in 1177 with steps of the checklist left.
	ViewEfterarbete = "efterarbete" // Efterarbete
	// ViewCitizenAnswered: open, the citizen has answered and had no
	// feedback since.
	ViewCitizenAnswered = "citizen-answered" // Invånaren har svarat
	// ViewStale: open, no action for the clinic's number of working days
	// (CaseFilter.StaleCutoff).
	ViewStale = "stale" // Ingen åtgärd på N dagar
	// ViewMelior: open, documented in Melior but not closed in 1177.
	ViewMelior = "melior" // Dokumenterat i Melior men ej avslutat i 1177
	// ViewReceivedSince: received on or after CaseFilter.ReceivedFrom,
	// open or closed (Dagens översikt: new since the last working day).
	ViewReceivedSince = "received-since" // Nya sedan förra arbetsdagen
)

// CaseFilter selects cases. The zero value selects open cases.
type CaseFilter struct {
	View  string // one of the View constants; "" is ViewOpen
	Me    string // HSA-ID for ViewMine
	Today Date   // for ViewOverdue and ViewDueToday
	// StaleCutoff is StaleCutoff(calendar, Today, the clinic's days), for
	// ViewStale; zero selects nothing stale.
	StaleCutoff Date
	// ReceivedFrom is the first received date of ViewReceivedSince.
	ReceivedFrom Date
	Type         string // case-type key
	Group        string // type group
	Status       Status
	Assignee     string
	// Search matches reference, type name, unit and notes, ignoring case.
	Search string
	// Sort, when its Column is set, orders the inbox by one column
	// instead of by urgency (InboxPage then pages by Offset).
	Sort   InboxSort
	Limit  int // 0 means no limit
	Offset int
}

// CaseCounts are the inbox counters. The first five are CountedViews';
// the others RoutineCountedViews'.
type CaseCounts struct {
	New, Mine, Overdue, DueToday, Open int

	Efterarbete     int // closed in 1177, steps left
	CitizenAnswered int // Invånaren har svarat
	Stale           int // Ingen åtgärd på N dagar
	Melior          int // dokumenterat i Melior men ej avslutat i 1177
}

// CaseStore keeps cases and their events.
type CaseStore interface {
	// CreateCase stores a new case and its "received" event.
	CreateCase(ctx context.Context, c *Case, actor string) error
	// Case returns one case. ENOTFOUND when there is none.
	Case(ctx context.Context, id int64) (*Case, error)
	// Cases returns the cases that match f, most urgent first (due date,
	// then received time), and how many match in all.
	Cases(ctx context.Context, f CaseFilter) ([]*Case, int, error)
	// UpdateCase loads the case, lets fn change it and say what happened,
	// and stores the case with the events in one transaction. When fn
	// returns an error nothing is stored.
	UpdateCase(ctx context.Context, id int64, actor string, fn func(c *Case) ([]Event, error)) (*Case, error)
	// Events returns a case's history, oldest first.
	Events(ctx context.Context, caseID int64) ([]Event, error)
	// Counts returns the inbox counters for staff member me on today.
	Counts(ctx context.Context, me string, today Date) (CaseCounts, error)
}

// StaffStore keeps the staff list.
type StaffStore interface {
	// AddStaff validates and stores a new staff member.
	AddStaff(ctx context.Context, s *Staff) error
	// UpdateStaff validates and stores changes to a staff member.
	UpdateStaff(ctx context.Context, s *Staff) error
	StaffByHSAID(ctx context.Context, hsaID string) (*Staff, error)
	// ListStaff returns staff ordered by name; inactive ones only when asked.
	ListStaff(ctx context.Context, includeInactive bool) ([]*Staff, error)
}

// ScheduleStore keeps who is 1177-ansvarig on each working day.
type ScheduleStore interface {
	SetOnDuty(ctx context.Context, day Date, hsaID string) error
	// Schedule returns the HSA-ID on duty for each scheduled day in [from, to].
	Schedule(ctx context.Context, from, to Date) (map[Date]string, error)
}

// SettingsStore keeps settings that are not secrets.
type SettingsStore interface {
	Setting(ctx context.Context, key string) (string, error) // "" when unset
	SetSetting(ctx context.Context, key, value string) error
}

// AuditEntry is one row of the access log: who did what with which
// patient's data, when.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string // HSA-ID
	Unit    string
	Patient Personnummer // empty when the access concerned no patient
	CaseID  int64
	Action  string // "visa", "ändra", "skriv-ut", "exportera", ...
	Detail  string
	Hash    string
}

// AuditFilter selects access-log rows.
type AuditFilter struct {
	Actor    string
	Patient  Personnummer
	From, To Date // inclusive; zero means open
	Limit    int
}

// AuditLog is the append-only access log.
type AuditLog interface {
	Audit(ctx context.Context, e AuditEntry) error
}
