package data

// The PostgreSQL backend's schema: its own numbered migrations in
// migrations_pg/, mirroring migrations/ (SQLite) version by version, and
// the runner that applies them on first connect. Several desks may start
// at the same moment on an empty database: each migration runs in its own
// transaction under a transaction-scoped advisory lock, so exactly one of
// them applies it and the others find it applied.

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"arendestod/app"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

//go:embed migrations_pg/*.sql
var pgMigrationFS embed.FS

// pgMigrateLockKey is the pg_advisory_xact_lock key under which the schema
// is read and changed ("Arende" in ASCII). Advisory locks are per
// database, so one server may hold several Ärendestöd databases.
const pgMigrateLockKey int64 = 0x417265_6e6465

// pgAuditLockKey is the pg_advisory_xact_lock key under which a
// transaction reads the access log's last hash and appends the next row
// ("AudLog" in ASCII): held to commit, so two desks never chain to the
// same row. Every advisory lock key of the product is here.
const pgAuditLockKey int64 = 0x417564_4c6f67

// pgIntakeLockKey is the session advisory lock (pg_try_advisory_lock)
// that the desk fetching a shared mailbox holds on a connection of its own
// for as long as it fetches ("Intk" in ASCII in the upper 32 bits; the
// lower 32 bits are a hash of the account, intakeLockKey, so that two
// mailboxes are fetched independently). The keys above use only 48 bits
// and never meet it.
const pgIntakeLockKey int64 = 0x496e746b << 32

// sqlMigration is one numbered migration file.
type sqlMigration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the migrations NNNN_name.sql in dir of fsys, in
// version order. Two files with one number are refused.
func loadMigrations(fsys fs.FS, dir string) ([]sqlMigration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []sqlMigration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same number", other, e.Name())
		}
		seen[v] = e.Name()
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, sqlMigration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// pgMigrations returns the PostgreSQL migrations embedded in the binary.
func pgMigrations() ([]sqlMigration, error) {
	return loadMigrations(pgMigrationFS, "migrations_pg")
}

// PGSchemaVersion is the newest PostgreSQL migration this binary knows. It
// equals SchemaVersion: the two folders are kept in step.
func PGSchemaVersion() int {
	ms, err := pgMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migratePG applies to the PostgreSQL database behind db every migration of
// ms not yet applied, in order, each in its own transaction together with
// its row in schema_migrations, as the SQLite store does. Each transaction
// first takes the advisory lock pgMigrateLockKey and only then reads what
// is applied, so desks starting at once apply each migration exactly once.
// A database with a migration newer than ms knows is refused with
// ECONFLICT and left unchanged. name says which database in messages: a
// display name without password (pgDisplayName).
func migratePG(ctx context.Context, db *sql.DB, name string, ms []sqlMigration, now func() time.Time) error {
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	for {
		done, err := migratePGStep(ctx, db, name, ms, latest, now)
		if err != nil || done {
			return err
		}
	}
}

// migratePGStep applies the first migration not yet applied, in one
// transaction under the lock. It reports done when none is left.
func migratePGStep(ctx context.Context, db *sql.DB, name string, ms []sqlMigration, latest int, now func() time.Time) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, pgConnectError(name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgMigrateLockKey); err != nil {
		return false, pgConnectError(name, err)
	}
	// Created only when missing: the application's role may not create
	// tables (see server_roles.sql), and CREATE TABLE IF NOT EXISTS asks
	// for that right even when the table is there.
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return false, app.Errorf(app.EINTERNAL, "Databasen %s kunde inte läsas: %v", name, err)
	}
	if !exists {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
			return false, app.Errorf(app.EINTERNAL, "Databasen %s kunde inte läsas: %v", name, err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return false, err
	}
	applied := map[int]bool{}
	current := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return false, err
		}
		applied[v] = true
		current = max(current, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if current > latest {
		return false, app.Errorf(app.ECONFLICT, "Databasen %s är skapad av en nyare version av Ärendestöd (schema %d, den här versionen känner till %d). Uppdatera programmet; databasen har inte ändrats.", name, current, latest)
	}
	// The first migration not yet applied, whatever the highest applied
	// one is: one added between two others still runs.
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return false, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, fmtTime(now())); err != nil {
			return false, err
		}
		return false, tx.Commit()
	}
	// Nothing to apply: commit the (possibly new, empty) bookkeeping table.
	return true, tx.Commit()
}

// pgConnectError says in Swedish that the server could not be reached or
// refused the connection, without the password.
func pgConnectError(name string, err error) error {
	return app.Errorf(app.EINTERNAL, "Databasservern för %s svarar inte eller vägrar anslutningen: %s", name, app.RedactDBPassword(err.Error()))
}

// IsPostgresURL reports whether a --db value selects PostgreSQL: it
// starts with postgres:// or postgresql://. Anything else is a SQLite path.
func IsPostgresURL(s string) bool {
	return app.IsServerDB(s)
}

// pgDisplayName is a PostgreSQL connection URL as messages and logs may
// show it: scheme, user, host, port and database, never the password
// (neither in the user part nor as a password= parameter) nor other
// parameters.
func pgDisplayName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "PostgreSQL-databasen"
	}
	out := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if u.User != nil {
		out.User = url.User(u.User.Username())
	}
	return out.String()
}

// passwordPattern finds passwords in connection strings and in driver
// messages that quote them: URL user info and password=... parameters.
