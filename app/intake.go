package app

import (
	"context"
	"fmt"
	"time"
)

// Notice kinds.
const (
	NoticeInkommit  = "inkommit"  // a new case arrived at the mottagning
	NoticeTilldelat = "tilldelat" // a case was assigned to the mailbox owner
)

// Notice is what a 1177 e-mail notice says about a case.
type Notice struct {
	Kind       string
	Unit       string // mottagning, e.g. "BUP Uddevalla"; empty when the notice names none
	Type       string // case-type key; TypeOkand when not recognised
	TypeName   string // the type name as the notice wrote it, for review
	Reference  string // Ärendenummer; empty when absent
	ReceivedAt time.Time
	MessageID  string
}

// Ingest outcomes, as recorded in the ledger of ingested messages.
const (
	OutcomeNew         = "new"
	OutcomeUpdated     = "updated"
	OutcomeDuplicate   = "duplicate"
	OutcomeQuarantined = "quarantined"
	OutcomeNotNotice   = "not-notice"
)

// Inbound is one message offered for ingestion. Exactly one of Notice and
// Quarantine is set when the message is a notice; neither when it is not.
type Inbound struct {
	// Key identifies the message across deliveries: its Message-ID, or a
	// hash of its bytes when it has none.
	Key    string
	Source string // where it came from: "imap:INBOX", a file path
	// Notice is the parsed notice.
	Notice *Notice
	// Quarantine holds a message that looks like a notice but cannot be
	// read; it is kept whole for review.
	Quarantine *Quarantined
	// Assignee is the HSA-ID of the staff member who owns the mailbox, for
	// tilldelat notices; empty when the account is tied to no one.
	Assignee string
	// Raw is the message as received, kept if the notice cannot become a
	// case after all and is quarantined by the store.
	Raw []byte
}

// Quarantined is a message kept for review.
type Quarantined struct {
	ID         int64
	Key        string
	Source     string
	Reason     string // Swedish, for the reviewer
	Raw        []byte
	ReceivedAt time.Time // when we took it in
}

// IngestResult is what ingesting one Inbound did.
type IngestResult struct {
	Key     string
	Outcome string
	CaseID  int64
}

// IngestSummary counts outcomes for the one-line summary of import and sync.
type IngestSummary struct {
	New, Updated, Duplicates, Quarantined, NotNotices int
}

// Add counts the results.
func (s *IngestSummary) Add(rs ...IngestResult) {
	for _, r := range rs {
		switch r.Outcome {
		case OutcomeNew:
			s.New++
		case OutcomeUpdated:
			s.Updated++
		case OutcomeDuplicate:
			s.Duplicates++
		case OutcomeQuarantined:
			s.Quarantined++
		case OutcomeNotNotice:
			s.NotNotices++
		}
	}
}

// String is the Swedish summary line.
func (s IngestSummary) String() string {
	return fmt.Sprintf("Nya ärenden: %d, uppdaterade: %d, dubbletter: %d, i karantän: %d, ej notiser: %d",
		s.New, s.Updated, s.Duplicates, s.Quarantined, s.NotNotices)
}

// SyncState is where IMAP intake stands in a mailbox.
type SyncState struct {
	Account     string // "user@host:port/mailbox"
	UIDValidity uint32
	LastUID     uint32
}

// NoticeStore is what intake needs from storage. IngestBatch stores the
// cases, the ledger rows and (when state is not nil) the new sync state in
// one transaction, so a crash at any point loses nothing and duplicates
// nothing. Messages already in the ledger are duplicates.
type NoticeStore interface {
	IngestBatch(ctx context.Context, items []Inbound, state *SyncState) ([]IngestResult, error)
	SyncState(ctx context.Context, account string) (SyncState, error)
	// KnownKeys reports which of keys are already in the ledger, for
	// re-matching after a UIDVALIDITY change without fetching bodies twice.
	KnownKeys(ctx context.Context, keys []string) (map[string]bool, error)
}
