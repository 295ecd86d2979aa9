package data

// The PostgreSQL backend: connecting, the settings check that stands in
// for SQLite's pragmas, and PostgreSQL's errors as the store's Swedish
// messages.

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"arendestod/app"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite/lib"
)

// The pools on a server. Writers no longer queue for one connection as on
// SQLite: row locks order what must be ordered.
const (
	pgWriteConns = 8
	pgReadConns  = 4
)

// pgDSN adds the store's per-connection settings to a connection URL,
// unless the URL sets them itself: a name the server's activity view
// shows, a lock wait of at most 10 s (as SQLite's busy_timeout; longer is
// "Databasen är upptagen"), a connect timeout, for the read pool
// read-only transactions (as SQLite's query_only), and for a server on
// another machine sslmode=verify-full (WithServerDefaults).
func pgDSN(dsn string, readOnly bool) (string, error) {
	u, err := url.Parse(WithServerDefaults(dsn))
	if err != nil {
		return "", err
	}
	q := u.Query()
	def := func(k, v string) {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	def("application_name", "arendestod")
	def("lock_timeout", "10000")
	def("connect_timeout", "10")
	if readOnly {
		q.Set("default_transaction_read_only", "on")
		// The reads' best plan depends on the values: a search term
		// that one case in a thousand holds wants the trigram index, one
		// that every third holds wants the list's own index. pgx keeps
		// its statements prepared, and after five runs PostgreSQL would
		// plan them once for any value (a generic plan, blind to the
		// term: a walk over every case for a rare one). Planning takes a
		// fraction of a millisecond; the writes keep their generic plans.
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func openPG(dsn string, o options) (*DB, error) {
	name := pgDisplayName(dsn)
	db := &DB{path: name, dsn: dsn, d: pgDialect{}, Now: time.Now, opts: o}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	open := func(readOnly bool, conns int) (*pool, error) {
		s, err := pgDSN(dsn, readOnly)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "Adressen till databasservern går inte att läsa (%s).", name)
		}
		sdb, err := sql.Open("pgx", s)
		if err != nil {
			return nil, pgOpenError(name, err)
		}
		sdb.SetMaxOpenConns(conns)
		sdb.SetMaxIdleConns(conns)
		if err := sdb.PingContext(ctx); err != nil {
			sdb.Close()
			return nil, pgOpenError(name, err)
		}
		return &pool{sdb, db.d}, nil
	}
	var err error
	if db.rw, err = open(false, pgWriteConns); err != nil {
		return nil, err
	}
	if err := db.checkPGSettings(ctx, db.rw); err != nil {
		db.Close()
		return nil, err
	}
	ms, err := pgMigrations()
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := migratePG(ctx, db.rw.db, name, ms, db.Now); err != nil {
		db.Close()
		return nil, pgOpenError(name, err)
	}
	if db.ro, err = open(true, pgReadConns); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadCalendar(ctx); err != nil {
		db.Close()
		return nil, pgOpenError(name, err)
	}
	if err := db.fillDerived(ctx); err != nil {
		db.Close()
		return nil, pgOpenError(name, err)
	}
	return db, nil
}

// pgOpenError says in Swedish why the database could not be opened,
// without the password. Errors that are already the store's pass.
func pgOpenError(name string, err error) error {
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return app.Errorf(app.EINTERNAL, "Fel användare eller lösenord för databasservern (%s).", name)
		case "3D000":
			return app.Errorf(app.EINTERNAL, "Databasen finns inte på servern (%s).", name)
		}
	}
	return pgConnectError(name, err)
}

// checkPGSettings refuses a server without what the store relies on, as
// checkPragmas does for SQLite: PostgreSQL 13 or later (pg_trgm a trusted
// extension), UTF-8, standard strings (the SQL writes ESCAPE '\'), and
// durable commits (fsync on, synchronous_commit neither off nor local:
// SQLite runs with synchronous FULL).
func (db *DB) checkPGSettings(ctx context.Context, p *pool) error {
	var version, enc, std, fsync, syncCommit string
	err := p.QueryRowContext(ctx, `SELECT current_setting('server_version_num'), current_setting('server_encoding'),
		current_setting('standard_conforming_strings'), current_setting('fsync'), current_setting('synchronous_commit')`).
		Scan(&version, &enc, &std, &fsync, &syncCommit)
	if err != nil {
		return pgOpenError(db.path, err)
	}
	var bad []string
	if v, _ := strconv.Atoi(version); v < 130000 {
		bad = append(bad, "server_version_num="+version+" (krävs PostgreSQL 13 eller senare)")
	}
	if !strings.EqualFold(enc, "UTF8") {
		bad = append(bad, "server_encoding="+enc+" (krävs UTF8)")
	}
	if std != "on" {
		bad = append(bad, "standard_conforming_strings="+std+" (krävs on)")
	}
	if fsync != "on" {
		bad = append(bad, "fsync="+fsync+" (krävs on)")
	}
	if syncCommit == "off" || syncCommit == "local" {
		bad = append(bad, "synchronous_commit="+syncCommit+" (krävs on)")
	}
	if len(bad) > 0 {
		return app.Errorf(app.EINTERNAL, "Databasen %s saknar nödvändiga säkerhetsinställningar: %s. Programmet startar inte så.", db.path, strings.Join(bad, ", "))
	}
	return nil
}

// checkPGIntegrity is IntegrityCheck on a server: PostgreSQL keeps its own
// pages whole (and checksums them when the cluster was made so), and an
// application's role has nothing like PRAGMA integrity_check. What the
// store can check: the server answers, the schema is this version's, and,
// when the amcheck extension is installed, every B-tree index of the
// schema is consistent.
func (db *DB) checkPGIntegrity(ctx context.Context) (string, error) {
	var version int
	if err := db.ro.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return "", err
	}
	if version != PGSchemaVersion() {
		return "schema " + strconv.Itoa(version) + ", väntat " + strconv.Itoa(PGSchemaVersion()), nil
	}
	var amcheck bool
	if err := db.ro.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')`).Scan(&amcheck); err != nil {
		return "", err
	}
	if amcheck {
		if _, err := db.ro.ExecContext(ctx, `SELECT bt_index_check(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
			WHERE a.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace`); err != nil {
			return "amcheck: " + app.RedactDBPassword(err.Error()), nil
		}
	}
	return "ok", nil
}

// pgSQLState returns the SQLSTATE of the PostgreSQL error in err's chain,
// "" when there is none.
func pgSQLState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isUniqueViolation reports whether err is a unique violation of the
// constraint or unique index named constraint, on either backend. SQLite
// names the columns, not the index: sqliteCols ("cases.reference").
func isUniqueViolation(err error, constraint, sqliteCols string) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" && pe.ConstraintName == constraint
	}
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE && strings.Contains(err.Error(), sqliteCols)
}

// retryable reports a transaction PostgreSQL aborted that may succeed
// when run again: a serialization failure or a deadlock.
func retryable(err error) bool {
	switch pgSQLState(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// causedError is a Swedish message that keeps the server's error in its
// chain (for retryable and the log).
type causedError struct {
	msg   *app.Error
	cause error
}

func (e *causedError) Error() string   { return e.msg.Error() }
func (e *causedError) Unwrap() []error { return []error{e.msg, e.cause} }

// pgError is wrapDBError for PostgreSQL's errors: the same Swedish
// messages and codes as SQLite's for the same situations. A constraint
// violation passes unchanged (the caller knows which it expects), as on
// SQLite.
func pgError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg := func(code, m string) error { return &causedError{&app.Error{Code: code, Message: m}, err} }
		switch c := pe.Code; {
		case c == "53100": // disk_full, on the server
			return msg(app.EINTERNAL, msgDiskFull)
		case c == "40001", c == "40P01", c == "55P03", c == "57014":
			// serialization failure, deadlock, lock_timeout, statement timeout
			return msg(app.ECONFLICT, msgBusy)
		case c == "58030": // io_error
			return msg(app.EINTERNAL, msgIOError)
		case c == "25006", c == "42501": // read-only transaction, no privilege
			return msg(app.EINTERNAL, msgReadOnly)
		case strings.HasPrefix(c, "08"), c == "57P01", c == "57P02", c == "57P03":
			return msg(app.EINTERNAL, "Databasservern svarar inte: ändringen sparades inte. Försök igen om en stund.")
		case c == "28P01", c == "28000":
			return msg(app.EINTERNAL, "Fel användare eller lösenord för databasservern.")
		case c == "3D000":
			return msg(app.EINTERNAL, "Databasen finns inte på servern.")
		case c == "AR001", c == "AR002":
			// Who is who (migrations_pg/0010_logins.sql): a row in
			// another's name, or a mapping only an administrator may
			// make. The server's message is Swedish and names logins
			// and HSA-IDs only.
			return msg(app.ECONFLICT, pe.Message)
		}
		return err
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return &app.Error{Code: app.EINTERNAL, Message: "Databasservern svarar inte: " + app.RedactDBPassword(ce.Error())}
	}
	return err
}

// pgStatsQuery is statsQuery for PostgreSQL: chr(31) for SQLite's
// char(31), and the closed flag as '1' or '0' (a boolean concatenates as
// "true" or "false").
const pgStatsQuery = `SELECT received_at || chr(31) || due_date || chr(31) || COALESCE(first_feedback_at, '') || chr(31) ||
	CASE WHEN closed_at IS NOT NULL THEN '1' ELSE '0' END || chr(31) || type || chr(31) || unit
	FROM cases WHERE received_at >= ? AND received_at < ? ORDER BY received_at`
