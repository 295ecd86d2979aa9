package app

import (
	"context"
	"strings"
)

// Store capabilities beyond the basic case, staff, schedule, settings and
// audit stores (services.go). Each front end composes the ones it needs
// into one interface of its own, and main checks at compile time that the
// store satisfies it: nothing is discovered at run time.

// InboxPager is the inbox's fast path: one page at a time after the last
// row shown, and the total counted apart, so a keystroke costs one page.
type InboxPager interface {
	InboxPage(ctx context.Context, f CaseFilter, after *Case, limit int) ([]*Case, error)
	// InboxCount returns how many cases match f; for the closed view at
	// most ClosedCap(f)+1, meaning more than ClosedCap(f).
	InboxCount(ctx context.Context, f CaseFilter) (int, error)
}

// ClosedCountCap bounds the closed view's total (InboxCount): a clinic's
// database holds tens of thousands of closed cases, and counting them
// exactly on every keystroke costs more than the page; beyond this the
// window says "över 10 000". Statistik counts them exactly.
const ClosedCountCap = 10_000

// ClosedSearchCountCap bounds the closed view's total while a search is
// typed: a common term matches a third of every case ever closed, and a
// total beyond a thousand tells the person no more than "över 1 000"
// does (refine the search) while counting it costs more than the page.
const ClosedSearchCountCap = 1_000

// ClosedCap is the bound on the closed view's total for f (InboxCount):
// ClosedSearchCountCap with a search, ClosedCountCap without.
func ClosedCap(f CaseFilter) int {
	if strings.TrimSpace(f.Search) != "" {
		return ClosedSearchCountCap
	}
	return ClosedCountCap
}

// ClosedDayStore keeps the clinic's own closed days (klämdagar).
type ClosedDayStore interface {
	ClosedDays(ctx context.Context) ([]Holiday, error)
	SetClosedDay(ctx context.Context, day Date, label string, closed bool) error
}

// AuditReader reads the access log.
type AuditReader interface {
	AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// AuditVerifier checks the access log's hash chain.
type AuditVerifier interface {
	// VerifyAudit returns the id of the first row that does not follow
	// from the one before it, or 0 when the chain is whole.
	VerifyAudit(ctx context.Context) (int64, error)
	// CheckAudit checks everything audit verify reports: the chain (keyed
	// rows with the key, ids consecutive), the append-only triggers, and
	// the newest anchor written outside the database (rows cut off the
	// end).
	CheckAudit(ctx context.Context) (AuditCheck, error)
}

// AuditKeyHolder hands the access log's key to an administrator who
// brings it to another desk of a shared database, and takes it there.
type AuditKeyHolder interface {
	// ExportAuditKey returns the key of the database's access log;
	// ENOTFOUND when this computer does not have it.
	ExportAuditKey(ctx context.Context) ([]byte, error)
	// ImportAuditKey keeps key on this computer after checking that it is
	// the database's; EINVALID when it is not.
	ImportAuditKey(ctx context.Context, key []byte) error
}

// Backupper makes a consistent copy of the database.
type Backupper interface {
	Backup(ctx context.Context, dest string) error
}

// QuarantineStore lists the messages kept for review.
type QuarantineStore interface {
	Quarantine(ctx context.Context) ([]Quarantined, error)
}

// QuarantineReleaser takes a quarantined message into cases once it may
// be: in one transaction it removes the quarantine row with id (whose key
// must be in.Key) and the message's "quarantined" ledger row, and ingests
// in as IngestBatch would. ENOTFOUND when there is no such row.
type QuarantineReleaser interface {
	ReleaseQuarantined(ctx context.Context, id int64, in Inbound) (IngestResult, error)
}

// SessionIdentity says who the database knows the connection as: on a
// team database the login and the staff member it is mapped to, whose
// HSA-ID is then the only name (beside "system") the server lets the
// connection write rows in.
type SessionIdentity interface {
	WhoAmI(ctx context.Context) (Identity, error)
}

// LoginAdmin maps staff members to database logins and, on a team
// database, creates and disables the logins themselves (the
// administrator's login needs CREATEROLE on the server).
type LoginAdmin interface {
	// SetStaffLogin maps the staff member to login ("" removes the
	// mapping). ENOTFOUND for an unknown HSA-ID, ECONFLICT when the login
	// is someone else's.
	SetStaffLogin(ctx context.Context, hsaID, login string) error
	// CreateLogin creates a database login with password that may use the
	// application (member of arendestod_app). The password is sent as a
	// SCRAM verifier, never as text the server could log. EINVALID on a
	// database without logins.
	CreateLogin(ctx context.Context, login, password string) error
	// SetLoginEnabled lets the login connect again, or not (NOLOGIN).
	SetLoginEnabled(ctx context.Context, login string, enabled bool) error
}

// UnitLister lists the units (mottagningar) the cases name, for the
// settings screen's per-unit details.
type UnitLister interface {
	CaseUnits(ctx context.Context) ([]string, error)
}

// SeenStore keeps, per staff member, which new cases they have opened
// (app.SeenCases), so the inbox can highlight the others on every desk.
type SeenStore interface {
	// SeenCases returns hsaID's record. The first call for a person
	// starts it at the newest case stored, and stores that.
	SeenCases(ctx context.Context, hsaID string) (SeenCases, error)
	// MarkSeen records that hsaID opened case id.
	MarkSeen(ctx context.Context, hsaID string, id int64) error
}
