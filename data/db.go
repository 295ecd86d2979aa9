// Package data is the store of Ärendestöd: an embedded SQLite file for one
// desk, or a PostgreSQL database shared by a whole mottagning. Both run
// the same methods over database/sql; what differs between the two is in
// one small dialect (dialect.go). It implements the storage interfaces that
// package app declares.
package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"arendestod/app"
	"arendestod/app/secrets"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the store. On SQLite, writes go through one connection (SQLite has
// one writer anyway, and BEGIN IMMEDIATE makes waiting for it explicit);
// reads use a read-only pool that WAL lets run beside the writer. On
// PostgreSQL both pools have several connections, and the write
// transactions take row locks (dialect.forUpdate) and the access log's
// advisory lock where SQLite's single writer made them serial.
type DB struct {
	path string // the SQLite file, or the PostgreSQL display name (no password)
	dsn  string // PostgreSQL: the connection URL as given, password and all; never shown
	d    dialect
	rw   *pool
	ro   *pool

	// Now is the clock; tests replace it.
	Now func() time.Time

	calMu sync.RWMutex
	cal   *app.Calendar

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared on the write connection

	live liveFeed // the change feed (feed.go)

	opts   options
	closed atomic.Bool
	lock   *fileLock // SQLite: the shared lock on the lock file (lock.go)

	// The access log's key record and key (auditkey.go); auditKey is nil
	// when this computer lacks the key (auditKeyErr says so) or the
	// database is opened ForAuditCheck before it had a record.
	// (CheckAudit and ImportAuditKey, which change them, run on a
	// database the command line opened for them alone.)
	epoch       *auditEpoch
	auditKey    []byte
	auditKeyErr error

	anchorMu    sync.Mutex
	sinceAnchor int       // rows appended since the last anchor
	anchoredAt  time.Time // when the last anchor was written
}

var (
	_ app.CaseStore     = (*DB)(nil)
	_ app.StaffStore    = (*DB)(nil)
	_ app.ScheduleStore = (*DB)(nil)
	_ app.SettingsStore = (*DB)(nil)
	_ app.AuditLog      = (*DB)(nil)
	_ app.NoticeStore   = (*DB)(nil)
)

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)", "secure_delete(1)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	// An absolute path: a relative one could read as a URI's authority
	// ("//host/x") once behind "file:".
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() + "?" + q.Encode()
}

// Open opens the store at location. A location starting with postgres://
// or postgresql:// (IsPostgresURL) is a PostgreSQL database: it is
// connected to, never a local file or folder made for it. Anything else is
// the path of a SQLite file, created when absent. Open checks that the
// connection has the safety settings the product relies on and brings the
// schema up to date; a database made by a newer version is refused.
//
// The access log must be whole enough to go on: its append-only triggers
// in place and its key on this computer (the OS keyring, or the key file
// in ARENDESTOD_AUDIT_KEY_FILE: secrets.AuditKeys, or WithAuditKeys); a
// database without a key gets a new one. Otherwise Open refuses, in
// Swedish, unless opts hold ForAuditCheck. A SQLite database is held
// open under a shared lock (lock.go) that restore waits for.
func Open(location string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return openWith(location, o)
}

func openWith(location string, o options) (*DB, error) {
	if o.keys == nil {
		o.keys = secrets.AuditKeys()
	}
	var db *DB
	var err error
	if IsPostgresURL(location) {
		db, err = openPG(location, o)
	} else {
		db, err = openSQLite(location, o)
	}
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := db.checkTriggers(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadAuditKey(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if !o.auditCheck {
		if err := db.writeAnchor(ctx, app.AnchorOpen); err != nil {
			log.Printf("Åtkomstloggen: %v", err)
		}
	}
	return db, nil
}

func openSQLite(path string, o options) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, app.Errorf(app.EINTERNAL, "Kunde inte skapa mappen för databasen (%s): %v", dir, err)
		}
	}
	ownerOnly(path)
	lock, err := lockShared(path)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, d: sqliteDialect{}, Now: time.Now, opts: o, lock: lock}
	rw, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		lock.release()
		return nil, err
	}
	db.rw = &pool{rw, db.d}
	rw.SetMaxOpenConns(1)
	if err := db.checkPragmas(db.rw); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.prepareHot(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	ro, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		db.Close()
		return nil, err
	}
	db.ro = &pool{ro, db.d}
	ro.SetMaxOpenConns(4)
	if err := db.checkPragmas(db.ro); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadCalendar(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.fillDerived(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ownerOnly makes the database at path owner-only, whatever the umask:
// an absent file is created empty with mode 0600 before SQLite opens it
// (SQLite creates the -wal and -shm files with the database file's mode),
// and an existing file, -wal or -shm loses any group and other bits. Best
// effort: what fails here SQLite reports when it opens the file.
func ownerOnly(path string) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		f.Close()
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
			os.Chmod(p, fi.Mode().Perm()&^0o077)
		}
	}
}

// Path returns the database file's path; on PostgreSQL the database's
// display name (scheme, user, host, port, database; never the password).
func (db *DB) Path() string { return db.path }

// IsServer reports whether the store is a database server (PostgreSQL)
// rather than a local file: there is no file to copy, restore or open a
// folder of.
func (db *DB) IsServer() bool { return db.d.server() }

// hotStatements are prepared once at Open on the write connection:
// intake runs them for every message, and compiling each time was a large
// part of its cost. (They cannot be prepared lazily: the one write
// connection is busy inside the transaction that first needs them.)
var hotStatements = []string{
	stmtInsertCase, stmtInsertStep, stmtInsertSearch, stmtInsertEvent,
	stmtLedgerLookup, stmtLedgerInsert, stmtCaseByReference,
}

func (db *DB) prepareHot(ctx context.Context) error {
	db.stmts = map[string]*sql.Stmt{}
	for _, q := range hotStatements {
		s, err := db.rw.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		db.stmts[q] = s
	}
	return nil
}

// stmt returns the prepared statement for query bound to tx, or nil when
// query is not one of the hot statements.
// On PostgreSQL there are none: pgx caches every statement per connection.
func (db *DB) stmt(ctx context.Context, tx *txn, query string) *sql.Stmt {
	db.stmtMu.Lock()
	s, ok := db.stmts[query]
	db.stmtMu.Unlock()
	if !ok || tx.tx == nil {
		return nil
	}
	return tx.tx.StmtContext(ctx, s)
}

// exec runs a hot statement through the statement cache when q is a
// write transaction.
func (db *DB) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	if tx, ok := q.(*txn); ok {
		if s := db.stmt(ctx, tx, query); s != nil {
			return s.ExecContext(ctx, args...)
		}
	}
	return q.ExecContext(ctx, query, args...)
}

// queryRow is exec for a statement that returns one row.
func (db *DB) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	if tx, ok := q.(*txn); ok {
		if s := db.stmt(ctx, tx, query); s != nil {
			return s.QueryRowContext(ctx, args...)
		}
	}
	return q.QueryRowContext(ctx, query, args...)
}

// Close closes the database, after anchoring the access log's head.
func (db *DB) Close() error {
	if db.closed.Swap(true) {
		return nil
	}
	if db.rw != nil && !db.opts.auditCheck {
		// Bounded: a server that no longer answers does not hold up Close.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := db.writeAnchor(ctx, app.AnchorClose); err != nil {
			log.Printf("Åtkomstloggen: %v", err)
		}
		cancel()
	}
	db.closeFeed()
	var errs []error
	db.stmtMu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	if db.ro != nil {
		errs = append(errs, db.ro.Close())
	}
	if db.rw != nil {
		errs = append(errs, db.rw.Close())
	}
	db.lock.release()
	return errors.Join(errs...)
}

// checkPragmas refuses a connection without the settings that make writes
// durable and consistent: a driver or build that ignores them must not run
// with patient data.
func (db *DB) checkPragmas(pool *pool) error {
	var mode string
	var sync, fk, timeout int
	row := pool.QueryRowContext(context.Background(), `SELECT * FROM pragma_journal_mode, pragma_synchronous, pragma_foreign_keys, pragma_busy_timeout`)
	if err := row.Scan(&mode, &sync, &fk, &timeout); err != nil {
		return app.Errorf(app.EINTERNAL, "Databasen %s kunde inte öppnas: %v", db.path, err)
	}
	var bad []string
	if !strings.EqualFold(mode, "wal") {
		bad = append(bad, "journal_mode="+mode+" (krävs wal)")
	}
	if sync != 2 {
		bad = append(bad, "synchronous="+strconv.Itoa(sync)+" (krävs 2, FULL)")
	}
	if fk != 1 {
		bad = append(bad, "foreign_keys av")
	}
	if timeout < 5000 {
		bad = append(bad, "busy_timeout="+strconv.Itoa(timeout)+" (krävs minst 5000)")
	}
	if len(bad) > 0 {
		return app.Errorf(app.EINTERNAL, "Databasen %s saknar nödvändiga säkerhetsinställningar: %s. Programmet startar inte så.", db.path, strings.Join(bad, ", "))
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest migration this binary knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies each migration not yet applied, each in its own
// transaction together with its row in schema_migrations.
func (db *DB) migrate() error {
	ctx := context.Background()
	if _, err := db.rw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return app.Errorf(app.EINTERNAL, "Databasen %s kunde inte läsas: %v", db.path, err)
	}
	applied := map[int]bool{}
	rows, err := db.rw.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	current := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
		current = max(current, v)
	}
	rows.Close()
	ms, err := migrations()
	if err != nil {
		return err
	}
	if latest := SchemaVersion(); current > latest {
		return app.Errorf(app.ECONFLICT, "Databasen %s är skapad av en nyare version av Ärendestöd (schema %d, den här versionen känner till %d). Uppdatera programmet; databasen har inte ändrats.", db.path, current, latest)
	}
	// Each migration not yet applied, in order, whatever the highest
	// applied one is: one added between two others still runs.
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := db.inTx(ctx, func(tx *txn) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, fmtTime(db.Now()))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a write transaction and commits when it returns nil.
// On PostgreSQL a transaction the server aborted for a serialization
// failure or a deadlock is run once more; a second such failure is the
// Swedish "busy" conflict.
func (db *DB) inTx(ctx context.Context, fn func(tx *txn) error) error {
	err := db.tryTx(ctx, fn)
	if db.d.server() && retryable(err) {
		err = db.tryTx(ctx, fn)
	}
	if retryable(err) {
		return &app.Error{Code: app.ECONFLICT, Message: msgBusy}
	}
	if db.d.server() {
		// A lock wait or a lost connection in any statement of fn: the
		// same Swedish messages as the statements that wrap their errors.
		return wrapDBError(err)
	}
	return err
}

func (db *DB) tryTx(ctx context.Context, fn func(tx *txn) error) error {
	tx, err := db.rw.BeginTx(ctx)
	if err != nil {
		return wrapDBError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		if tx.failed != nil {
			// A held statement failed first (txn.hold).
			return tx.failed
		}
		return err
	}
	if tx.conn != nil {
		// PostgreSQL: what is held, NOTIFY and COMMIT in one round trip.
		if err := tx.commitConn(ctx, db.unsentChanges(tx)); err != nil {
			return wrapDBError(err)
		}
	} else {
		if err := db.sendChanges(ctx, tx); err != nil {
			return wrapDBError(err)
		}
		if err := tx.Commit(); err != nil {
			return wrapDBError(err)
		}
	}
	db.committed(tx)
	if tx.audited > 0 {
		db.appended(ctx, tx.audited)
	}
	return nil
}

// sqliteCode returns the extended result code of the SQLite error in err's
// chain, or 0 when there is none. The primary code is code & 0xff.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// The Swedish messages of storage failures the user can act on, the same
// for both backends.
const (
	msgDiskFull = "Disken är full: ändringen sparades inte. Frigör utrymme och försök igen."
	msgBusy     = "Databasen är upptagen av en annan åtgärd. Försök igen om en stund."
	msgIOError  = "Läs- eller skrivfel på disken: ändringen sparades inte."
	msgReadOnly = "Databasen går inte att skriva till (skrivskyddad)."
)

// wrapDBError turns a storage failure the user can act on into a Swedish
// message; others pass through for the log. It knows both backends'
// errors (SQLite's result codes, PostgreSQL's SQLSTATEs: pgError).
func wrapDBError(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_FULL:
		return &app.Error{Code: app.EINTERNAL, Message: msgDiskFull}
	case sqlite3.SQLITE_BUSY:
		return &app.Error{Code: app.ECONFLICT, Message: msgBusy}
	case sqlite3.SQLITE_IOERR:
		return &app.Error{Code: app.EINTERNAL, Message: msgIOError}
	case sqlite3.SQLITE_READONLY:
		return &app.Error{Code: app.EINTERNAL, Message: msgReadOnly}
	}
	return pgError(err)
}

// IntegrityCheck checks the database and returns "ok" or the first
// problem: SQLite's PRAGMA integrity_check; on PostgreSQL, which keeps its
// own pages whole and offers no such check to an application's role, that
// the schema is there and the access log's chain verifies (checkPGIntegrity).
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	if db.d.server() {
		return db.checkPGIntegrity(ctx)
	}
	var s string
	err := db.rw.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&s)
	return s, err
}

// Times are stored as fixed-width UTC text so that they sort as they compare.
const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	return t.In(app.Stockholm), err
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

func scanNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	return &t, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var (
	_ app.InboxPager      = (*DB)(nil)
	_ app.ClosedDayStore  = (*DB)(nil)
	_ app.AuditReader     = (*DB)(nil)
	_ app.AuditVerifier   = (*DB)(nil)
	_ app.Backupper       = (*DB)(nil)
	_ app.QuarantineStore = (*DB)(nil)
	_ app.ReceptStore     = (*DB)(nil)
	_ app.StatsSource     = (*DB)(nil)
	_ app.IntygStore      = (*DB)(nil)
)
