package app

import (
	"context"
	"fmt"
	"strings"
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
	// Recipient is the address the notice was sent to (its To header, the
	// address only): for a tilldelat notice, the staff member the case was
	// assigned to in 1177. Empty when the reader could not tell.
	Recipient string
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
	// Assignee is the HSA-ID of the staff member a tilldelat notice assigns
	// the case to: the one whose e-mail address the notice was sent to
	// (ResolveAssignee), else the mailbox's owner; empty when neither is
	// known, and then the case stays ofördelad.
	Assignee string
	// Raw is the message as received, kept if the notice cannot become a
	// case after all and is quarantined by the store.
	Raw []byte
	// Sender is the message's From (the address as written), for the
	// sender rule (ScreenSender).
	Sender string
	// AuthFailure is set when the receiving server's Authentication-Results
	// say DKIM or DMARC failed ("dmarc=fail"); "" otherwise.
	AuthFailure string
	// MailDate is the mail's own date: the IMAP INTERNALDATE when intake
	// fetched it, else its Date header; zero when unknown. A notice's
	// received time may not lie more than a day after it.
	MailDate time.Time
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

// Validate checks what the store needs of every message before anything
// else: a key for the ledger. A message without one is a fault of the
// reader, not of the message, and stops the batch.
func (in *Inbound) Validate() error {
	if in.Key == "" {
		return Errorf(EINTERNAL, "meddelandet saknar nyckel")
	}
	return nil
}

// MatchReference returns the reference whose case a notice updates: the
// notice's Ärendenummer, or "" when the message is no readable notice or
// names none (then nothing ties it to an earlier case). The store looks up
// the case with this reference and hands it to DecideIngest.
func (in *Inbound) MatchReference() string {
	if in.Quarantine != nil || in.Notice == nil {
		return ""
	}
	return in.Notice.Reference
}

// IngestDecision is what a message that is not a duplicate becomes. The
// store persists exactly this, with the message's ledger row, in one
// transaction. Outcome says which of the other fields is set:
//
//   - OutcomeNew: Case is a new case to create (its ID is 0 until stored);
//     Events, when set, are to be stored with it after its "received"
//     event (a tilldelat notice to an unknown address).
//   - OutcomeUpdated: Case is the existing case as changed, Events what
//     happened to it.
//   - OutcomeQuarantined: Quarantine is the message to keep for review.
//   - OutcomeNotNotice: nothing is stored but the ledger row.
type IngestDecision struct {
	Outcome    string
	Case       *Case
	Events     []Event
	Quarantine *Quarantined
}

// DecideIngest decides what a message becomes. existing is the case with
// in.MatchReference() (nil when there is none or no reference); it is not
// changed: an update works on a copy. A notice with a reference updates
// that case (Case.ApplyNotice); any other notice makes a new case, of type
// okand when its type is unknown, fördelad to in.Assignee when it is a
// tilldelat notice, due by cal. A notice that cannot become a valid case
// (no time at all, a received time before 2000 or more than a day after
// the mail's own date, absurd fields) is quarantined with the Swedish reason
// and its raw bytes, so that it does not stop intake, which would fetch it
// again forever.
func DecideIngest(in Inbound, existing *Case, cal *Calendar, now time.Time) IngestDecision {
	switch {
	case in.Quarantine != nil:
		q := *in.Quarantine
		q.Key, q.Source = in.Key, in.Source
		return IngestDecision{Outcome: OutcomeQuarantined, Quarantine: &q}
	case in.Notice == nil:
		return IngestDecision{Outcome: OutcomeNotNotice}
	}
	n := *in.Notice
	if err := CheckNoticeTime(n.ReceivedAt, in.MailDate); err != nil {
		return IngestDecision{Outcome: OutcomeQuarantined, Quarantine: &Quarantined{
			Key: in.Key, Source: in.Source, Raw: in.Raw,
			Reason: "Notisen kunde inte bli ett ärende: " + ErrorMessage(err),
		}}
	}
	if existing != nil && n.Reference != "" && existing.Broken != "" {
		// The notice's case cannot be read whole: kept in quarantine,
		// released once the row is mended, never written over it.
		return IngestDecision{Outcome: OutcomeQuarantined, Quarantine: &Quarantined{
			Key: in.Key, Source: in.Source, Raw: in.Raw,
			Reason: fmt.Sprintf("Notisen gäller ärende nr %d, som inte går att ändra. %s", existing.ID, existing.Broken),
		}}
	}
	d := IngestDecision{Outcome: OutcomeNew}
	if existing != nil && n.Reference != "" {
		c := existing.Clone()
		d = IngestDecision{Outcome: OutcomeUpdated, Case: c, Events: c.ApplyNoticeOn(n, in.Assignee, now, cal)}
	} else {
		typ := n.Type
		if _, ok := CaseTypeByKey(typ); !ok {
			typ = TypeOkand
		}
		c := NewCase(typ, n.ReceivedAt, cal)
		c.Unit, c.Reference, c.MessageID = n.Unit, n.Reference, n.MessageID
		switch {
		case n.Kind == NoticeTilldelat && in.Assignee != "":
			c.Status = StatusFordelad
			c.Assignee = in.Assignee
		case n.Kind == NoticeTilldelat:
			// Assigned in 1177 to an address nobody here has: the case
			// stays ofördelad and says where it went. The store saves
			// these events with the new case.
			d.Events = []Event{c.event(EventTilldelatOkand, ActorSystem, now, n.Recipient)}
		}
		d.Case = c
	}
	if err := d.Case.Validate(); err != nil {
		return IngestDecision{Outcome: OutcomeQuarantined, Quarantine: &Quarantined{
			Key: in.Key, Source: in.Source, Raw: in.Raw,
			Reason: "Notisen kunde inte bli ett ärende: " + ErrorMessage(err),
		}}
	}
	return d
}

// MaxMessageBytes caps one message: a larger one is not read whole but
// judged by its header, and quarantined with its size when it looks like
// a notice. Real notices are a few kilobytes.
const MaxMessageBytes = 2 << 20

// Bounds on a received time. Before EarliestReceived no case can have
// come in; a received time more than ReceivedSlack after the mail's own
// date (or, for a case typed in, after now) is a typing error or a forged
// notice. LatestReceived keeps every due date a four-digit year even when
// the mail's own date is absurd too.
var (
	EarliestReceived = time.Date(2000, 1, 1, 0, 0, 0, 0, Stockholm)
	LatestReceived   = time.Date(2100, 1, 1, 0, 0, 0, 0, Stockholm)
)

// ReceivedSlack is how far a received time may lie after its reference.
const ReceivedSlack = 24 * time.Hour

// CheckReceivedAt refuses a received time before 2000, from 2100 on, or
// more than a day after ref (zero: no such bound). The error is about
// the field "received".
func CheckReceivedAt(t, ref time.Time) error {
	switch {
	case t.IsZero():
		return FieldErrorf("received", "inkommen tid saknas")
	case t.Before(EarliestReceived):
		return FieldErrorf("received", "inkommen tid %s ligger före år 2000", t.In(Stockholm).Format("2006-01-02 15:04"))
	case !t.Before(LatestReceived):
		return FieldErrorf("received", "inkommen tid %s ligger orimligt långt fram", t.In(Stockholm).Format("2006-01-02 15:04"))
	case !ref.IsZero() && t.After(ref.Add(ReceivedSlack)):
		return FieldErrorf("received", "inkommen tid %s ligger mer än ett dygn efter %s",
			t.In(Stockholm).Format("2006-01-02 15:04"), ref.In(Stockholm).Format("2006-01-02 15:04"))
	}
	return nil
}

// CheckNoticeTime is CheckReceivedAt for a notice: its received time
// against the mail's own date. A notice without any time is left to the
// case's validation.
func CheckNoticeTime(received, mailDate time.Time) error {
	if received.IsZero() {
		return nil
	}
	if !mailDate.IsZero() && received.After(mailDate.Add(ReceivedSlack)) {
		return FieldErrorf("received", "inkommen tid %s ligger mer än ett dygn efter meddelandets datum %s",
			received.In(Stockholm).Format("2006-01-02 15:04"), mailDate.In(Stockholm).Format("2006-01-02 15:04"))
	}
	return CheckReceivedAt(received, time.Time{})
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

// IntakeLease is the right to fetch a shared mailbox, held by one desk
// (window or `sync --watch`) at a time so that the others do not fetch the
// same notices at once. The store grants it (IntakeLeaser); on a database
// server it lives as long as the connection that holds it.
type IntakeLease interface {
	// Lost is closed when the lease is gone without Release: the database
	// connection holding it died or stopped answering, and another desk
	// may have the lease now. Fetching must stop.
	Lost() <-chan struct{}
	// Release gives the lease up.
	Release()
}

// IntakeLeaser grants the intake lease. AcquireIntakeLease returns nil
// and no error when another desk holds the lease for account
// (IMAPAccount.Key); a store with one desk always grants it.
type IntakeLeaser interface {
	AcquireIntakeLease(ctx context.Context, account string) (IntakeLease, error)
}

// ResolveAssignee sets in.Assignee for a tilldelat notice from the address
// it was sent to: the active staff member with that e-mail address
// (compared without case and surrounding space). When nobody has it,
// in.Assignee stays what the mailbox gave (its owner, or "" for a mailbox
// tied to no one). It reports whether the address matched. The store
// calls it with its staff list before DecideIngest.
func ResolveAssignee(in *Inbound, staff []*Staff) bool {
	if in.Notice == nil || in.Notice.Kind != NoticeTilldelat {
		return false
	}
	if s := StaffByEmail(staff, in.Notice.Recipient); s != nil {
		in.Assignee = s.HSAID
		return true
	}
	return false
}

// StaffByEmail returns the active staff member whose e-mail address is
// addr ("Namn <adress>" or a bare address, case ignored), or nil.
func StaffByEmail(staff []*Staff, addr string) *Staff {
	a := normalizeEmail(addr)
	if a == "" {
		return nil
	}
	for _, s := range staff {
		if s.Active && normalizeEmail(s.Email) == a {
			return s
		}
	}
	return nil
}

func normalizeEmail(addr string) string {
	addr = strings.TrimSpace(addr)
	if i := strings.LastIndexByte(addr, '<'); i >= 0 {
		if j := strings.IndexByte(addr[i:], '>'); j > 0 {
			addr = addr[i+1 : i+j]
		}
	}
	return strings.ToLower(strings.TrimSpace(addr))
}
