package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// The access log's key. Every row of the access log carries an
// HMAC-SHA256 over its content and the row before it, under a key kept
// outside the database (the OS keyring on a desk, a key file on a
// server: app/secrets). Whoever can change the database but does not
// hold the key can no longer rewrite the log and recompute the chain.

// AuditKeySize is the length of an access-log key in bytes.
const AuditKeySize = 32

// AuditKeys keeps access-log keys outside the database. A database
// records only its key's id (AuditKeyID), never the key.
type AuditKeys interface {
	// AuditKey returns the key whose id is id. An error with code
	// ENOTFOUND says that this computer does not have it.
	AuditKey(id string) ([]byte, error)
	// NewAuditKey returns the key for a database that has none yet,
	// already kept where AuditKey finds it: a new random key, or the key
	// of a key file that all of a clinic's databases share.
	NewAuditKey() ([]byte, error)
	// SaveAuditKey keeps a key that an administrator brought from another
	// computer (audit key import), where AuditKey finds it.
	SaveAuditKey(key []byte) error
}

// AuditKeyID is the id under which key is kept and which a database
// records: the first 16 hex digits of an HMAC of a fixed text under the
// key. It names the key without revealing it, and a key that does not
// belong to a database is known by its id.
func AuditKeyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("arendestod audit key id"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// AuditAnchor is the head of the access log written outside the
// database (an anchor): that at At the log LogID held Rows rows, the last with
// id LastID and hash LastHash. Kind says what wrote it (AnchorOpen, ...).
// A later check finds rows cut off the end, which the chain itself
// cannot show.
type AuditAnchor struct {
	KeyID    string
	LogID    string // the log's own random id: anchors of other logs under the same key are not its
	At       time.Time
	Rows     int64
	LastID   int64
	LastHash string
	Kind     string
	Source   string // the file it was read from; not part of the anchor
}

// Kinds of anchor.
const (
	AnchorOpen    = "open"
	AnchorClose   = "close"
	AnchorPeriod  = "period"
	AnchorBackup  = "backup"
	AnchorRestore = "restore" // the database was replaced by a backup: earlier anchors no longer apply
	AnchorVerify  = "verify"
)

// AuditCheck is what a check of the access log found (audit verify).
type AuditCheck struct {
	Rows     int64
	LastID   int64
	LastHash string
	// Keyed is the number of rows chained with the key; the rows before
	// the key came into use (databases from before it) are chained with
	// plain SHA-256.
	Keyed int64
	// BrokenAt is the id of the first row that does not follow from its
	// content and the row before it, 0 when none.
	BrokenAt int64
	// Anchor is the anchor the log was compared with, nil when none was
	// found.
	Anchor *AuditAnchor
	// Problems says in Swedish, one line each, what is wrong; none when
	// the log is whole.
	Problems []string
}

// OK reports whether the check found nothing wrong.
func (c AuditCheck) OK() bool { return len(c.Problems) == 0 }
