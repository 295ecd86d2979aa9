package data

// The store's two backends differ in a few SQL forms and in how concurrent
// writers are kept apart; everything else is one set of methods over
// database/sql. The methods write their SQL with ? placeholders and go
// through pool and txn, which rebind it for the backend; what differs is
// asked of the dialect.

import (
	"context"
	"database/sql"
	"strings"

	"arendestod/app"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	// server reports a database server (PostgreSQL) rather than a file.
	server() bool
	// rebind turns the store's ? placeholders into the backend's.
	rebind(q string) string
	// contains is the condition "column col holds term as a substring"
	// and its argument. col and term are both lower-cased in Go, so no
	// server locale is involved.
	contains(col, term string) (string, any)
	// searchIndex is the condition "the case's row of the search index
	// holds term" that the index answers without reading each row; open
	// says the condition is asked among open cases only.
	searchIndex(term string, open bool) (string, any)
	// walkTest is the walk's per-case test (see InboxPage): the case's
	// search text holds term.
	walkTest(term string) (string, any)
	// typeFilter is "type IN (n placeholders)" as a filter the planner
	// does not use an index for.
	typeFilter(n int) string
	// indexedBy is the FROM clause's hint to walk index name (SQLite's
	// INDEXED BY; PostgreSQL plans from its statistics and has none).
	indexedBy(name string) string
	// forUpdate is appended to the SELECT of a row a write transaction
	// goes on to change, so that concurrent changes apply in order.
	forUpdate() string
	// lockAudit makes tx the only transaction appending to the access
	// log until it ends, so the hash chain cannot fork.
	lockAudit(ctx context.Context, tx querier) error
	// closedOrder orders the closed view: most recently closed first, a
	// case without closing time last.
	closedOrder() string
	// statsQuery is statsQuery for the backend.
	statsQuery() string
}

// sqliteDialect: one writer (BEGIN IMMEDIATE on one connection) makes
// every write transaction serial, so no locks are needed.
type sqliteDialect struct{}

func (sqliteDialect) server() bool           { return false }
func (sqliteDialect) rebind(q string) string { return q }

// GLOB, not LIKE: the trigram index serves GLOB, and LIKE only without an
// ESCAPE clause.
func (sqliteDialect) contains(col, term string) (string, any) {
	return col + ` GLOB ?`, "*" + escapeGlob(term) + "*"
}

// A phrase MATCH reads only the trigram index, where LIKE reads every
// candidate row again to check it.
func (sqliteDialect) searchIndex(term string, _ bool) (string, any) {
	return `id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)`, searchPhrase(term)
}

// The case's own search text (cases.search, the same as its case_search
// row, lower-cased in Go), in the row the walk reads anyway: a lookup in
// the FTS5 table for each case walked cost more than the test.
func (sqliteDialect) walkTest(term string) (string, any) {
	return `search LIKE ? ESCAPE '\'`, "%" + escapeLike(strings.ToLower(term)) + "%"
}

// SQLite's unary + keeps the planner off the type's index.
func (sqliteDialect) typeFilter(n int) string                  { return `+type IN (` + placeholders(n) + `)` }
func (sqliteDialect) forUpdate() string                        { return "" }
func (sqliteDialect) indexedBy(name string) string             { return ` INDEXED BY ` + name }
func (sqliteDialect) lockAudit(context.Context, querier) error { return nil }
func (sqliteDialect) closedOrder() string                      { return ` ORDER BY closed_at DESC, id DESC` }
func (sqliteDialect) statsQuery() string                       { return statsQuery }

// pgDialect: several writers at once under READ COMMITTED; row locks and
// an advisory lock order what SQLite's single writer ordered.
type pgDialect struct{}

func (pgDialect) server() bool           { return true }
func (pgDialect) rebind(q string) string { return rebind(q) }

// LIKE on text lowered in Go (never ILIKE or lower(), which depend on
// the database's LC_CTYPE); the trigram indexes serve it.
func (pgDialect) contains(col, term string) (string, any) {
	return col + ` LIKE ? ESCAPE '\'`, "%" + escapeLike(term) + "%"
}

// Among open cases the case's own search text (cases.search, the same as
// its case_search row), which the partial trigram index over open cases
// (migration 0007) answers without a join; among all, case_search.
func (d pgDialect) searchIndex(term string, open bool) (string, any) {
	if open {
		return d.contains(`search`, strings.ToLower(term))
	}
	cond, arg := d.contains(`body`, strings.ToLower(term))
	return `id IN (SELECT rowid FROM case_search WHERE ` + cond + `)`, arg
}

// The case's own search text, in the row the walk reads anyway.
func (d pgDialect) walkTest(term string) (string, any) {
	return d.contains(`search`, strings.ToLower(term))
}

// PostgreSQL has no unary + on text and needs no hint.
func (pgDialect) typeFilter(n int) string { return `type IN (` + placeholders(n) + `)` }
func (pgDialect) forUpdate() string       { return ` FOR UPDATE` }
func (pgDialect) indexedBy(string) string { return "" }

// The lock is held to commit: the ids of the appended rows (assigned at
// insert) then follow the order of the chain.
func (pgDialect) lockAudit(ctx context.Context, tx querier) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, pgAuditLockKey)
	return err
}

// PostgreSQL sorts NULL first in DESC; SQLite last.
func (pgDialect) closedOrder() string { return ` ORDER BY closed_at DESC NULLS LAST, id DESC` }

// chr, not char; a boolean concatenates as "true"/"false" on PostgreSQL.
func (pgDialect) statsQuery() string { return pgStatsQuery }

// pool is a database/sql pool that speaks the store's SQL.
type pool struct {
	db *sql.DB
	d  dialect
}

func (p *pool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, p.d.rebind(q), args...)
}

func (p *pool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, p.d.rebind(q), args...)
}

func (p *pool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, p.d.rebind(q), args...)
}

// BeginTx begins a write transaction (on SQLite BEGIN IMMEDIATE, from the
// connection's _txlock). On PostgreSQL the transaction is a connection
// of the pool on which it sends BEGIN itself (beginConn), so that it can
// send several statements, COMMIT among them, in one round trip
// (pipeline.go).
func (p *pool) BeginTx(ctx context.Context) (*txn, error) {
	if p.d.server() {
		return beginConn(ctx, p)
	}
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &txn{tx: tx, run: tx, d: p.d}, nil
}

func (p *pool) Close() error { return p.db.Close() }

// txn is a transaction that speaks the store's SQL.
type txn struct {
	tx  *sql.Tx // SQLite
	run runner  // what runs the statements: tx, or conn on PostgreSQL
	d   dialect
	// changes are what the transaction changed, for the change feed
	// (feed.go): sent when it commits.
	changes []app.Change
	// audited counts the access-log rows appended, for the anchors.
	audited int
	// notified counts the changes already sent with NOTIFY inside the
	// transaction (PostgreSQL delivers them when it commits).
	notified int
	// PostgreSQL: the connection the transaction runs on, given back to
	// the pool when it ends (done); held are statements not sent yet
	// (an access-log row: txn.hold), which go out before any other
	// statement of the transaction, at the latest with its COMMIT.
	conn   *sql.Conn
	done   bool
	held   []heldStmt
	failed error // the error of a held statement
}

// runner runs statements: a *sql.Tx or a *sql.Conn.
type runner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func (t *txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.run.ExecContext(ctx, t.d.rebind(q), args...)
}

func (t *txn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.run.QueryContext(ctx, t.d.rebind(q), args...)
}

// QueryRowContext: when a held statement fails, the query runs in the
// aborted transaction and fails; the transaction reports the held
// statement's error (txn.failed).
func (t *txn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	t.flush(ctx)
	return t.run.QueryRowContext(ctx, t.d.rebind(q), args...)
}

func (t *txn) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.run.PrepareContext(ctx, t.d.rebind(q))
}

func (t *txn) Commit() error {
	if t.tx != nil {
		return t.tx.Commit()
	}
	return t.commitConn(context.Background(), nil)
}

func (t *txn) Rollback() error {
	if t.tx != nil {
		return t.tx.Rollback()
	}
	return t.rollbackConn()
}
