package data

import "arendestod/app"

// Option changes how Open opens a database.
type Option func(*options)

type options struct {
	keys       app.AuditKeys
	anchors    []string // files the access log's head is appended to and read from
	noDefault  bool     // no anchor file beside a SQLite database
	auditCheck bool
}

// WithAuditKeys keeps the access log's key in keys instead of the
// product's store (secrets.AuditKeys: the OS keyring, or the key file in
// ARENDESTOD_AUDIT_KEY_FILE).
func WithAuditKeys(keys app.AuditKeys) Option { return func(o *options) { o.keys = keys } }

// WithAnchors appends the access log's head (an anchor) to each of paths
// as well, and reads anchors from them in CheckAudit; main gives the log
// file. A SQLite database always has its own anchor file beside it
// (AnchorPath).
func WithAnchors(paths ...string) Option {
	return func(o *options) { o.anchors = append(o.anchors, paths...) }
}

// ForAuditCheck opens a database that Open would refuse because its
// access log is not as it should be (a missing trigger, no key on this
// computer, a changed key record), for audit verify and audit key import
// to say what is wrong and mend what may be mended. Nothing is written to
// the access log; Audit fails.
func ForAuditCheck() Option { return func(o *options) { o.auditCheck = true } }
