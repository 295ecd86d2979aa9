package data

// "migrate --to": a desk's SQLite database copied into an empty PostgreSQL
// database, ids kept, in one transaction, verified before it is called
// done. The two schemas are the same table by table and column by column
// (migrations and migrations_pg are kept in step), so the copy reads the
// tables and columns from the target's catalog and moves every row as it
// is: no table of the schema can be forgotten by a list kept here.

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"arendestod/app"

	"github.com/jackc/pgx/v5"
)

// CopyResult is what a verified copy moved: rows per table, in the order
// they were copied.
type CopyResult struct {
	Target string // the target's display name (never the password)
	Tables []CopiedTable
}

// CopiedTable is one table of a copy.
type CopiedTable struct {
	Name string
	Rows int64
}

// Rows returns the number of rows copied into table name.
func (r *CopyResult) Rows(name string) int64 {
	for _, t := range r.Tables {
		if t.Name == name {
			return t.Rows
		}
	}
	return 0
}

// Total is the number of rows copied, all tables together.
func (r *CopyResult) Total() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// CopyProgress hears of a copy's progress: done of total rows of table.
// It is called when a table starts, every copyProgressEvery rows of a
// large table, and when it ends.
type CopyProgress func(table string, done, total int64)

// copyProgressEvery is how many rows of a table pass between two reports.
const copyProgressEvery = 10000

// CopyToServer copies the SQLite store src into the PostgreSQL database at
// targetURL, which must be empty: either without the store's tables, or
// with this version's schema and not one row in any table. The copy runs
// in one transaction that also creates the schema; ids are kept, and each
// identity column's sequence is then moved past the highest copied id. Row
// counts and the access log's chain are checked inside the transaction
// before it commits, and once more on the committed database through a
// fresh connection (Open, VerifyAudit) before CopyToServer returns.
//
// A target that is not empty, or whose schema is of another version, is
// refused with ECONFLICT and left unchanged. Errors never contain the
// password of targetURL.
func CopyToServer(ctx context.Context, src *DB, targetURL string, progress CopyProgress) (*CopyResult, error) {
	if src.IsServer() {
		return nil, app.Errorf(app.EINVALID, "Källan är redan en databasserver (%s); migrate --to kopierar från en SQLite-fil.", src.Path())
	}
	if !IsPostgresURL(targetURL) {
		return nil, app.Errorf(app.EINVALID, "Målet ska vara en PostgreSQL-adress (postgres://… eller postgresql://…).")
	}
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	name := pgDisplayName(targetURL)
	dsn, err := pgDSN(targetURL, false)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "Adressen till databasservern går inte att läsa (%s).", name)
	}
	if err := checkTargetSettings(ctx, name, dsn); err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, pgOpenError(name, err)
	}
	defer conn.Close(context.Background())

	// The source: one read transaction, so that what is counted is what is
	// copied, whatever a window on the desk does meanwhile.
	stx, err := src.ro.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer stx.Rollback()

	res, err := copyInTx(ctx, src, conn, stx, name, progress)
	if err != nil {
		return nil, err
	}
	if err := verifyCopy(ctx, src, targetURL, res); err != nil {
		return nil, err
	}
	return res, nil
}

// checkTargetSettings refuses a server without what the store relies on
// (checkPGSettings), before anything is written to it.
func checkTargetSettings(ctx context.Context, name, dsn string) error {
	sdb, err := sql.Open("pgx", dsn)
	if err != nil {
		return pgOpenError(name, err)
	}
	defer sdb.Close()
	tmp := &DB{path: name, d: pgDialect{}}
	return tmp.checkPGSettings(ctx, &pool{sdb, pgDialect{}})
}

func copyInTx(ctx context.Context, src *DB, conn *pgx.Conn, stx *sql.Tx, name string, progress CopyProgress) (*CopyResult, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, pgOpenError(name, err)
	}
	defer tx.Rollback(context.Background())
	// The migrations' lock: a desk starting on the database now waits
	// until the copy is committed, then finds the schema in place.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, pgMigrateLockKey); err != nil {
		return nil, pgOpenError(name, err)
	}

	srcTables, err := sqliteTables(ctx, stx)
	if err != nil {
		return nil, err
	}
	var hasMigrations bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&hasMigrations); err != nil {
		return nil, pgOpenError(name, err)
	}
	var srcVersion int
	if err := stx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&srcVersion); err != nil {
		return nil, err
	}
	if srcVersion != PGSchemaVersion() {
		return nil, app.Errorf(app.EINTERNAL, "Källdatabasen har schema %d, men den här versionen kopierar schema %d.", srcVersion, PGSchemaVersion())
	}
	if hasMigrations {
		var v int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
			return nil, pgOpenError(name, err)
		}
		if v != PGSchemaVersion() {
			return nil, app.Errorf(app.ECONFLICT, "Måldatabasen %s har schema %d men den här versionen av Ärendestöd har schema %d; migrate --to kopierar bara till en tom databas av samma version. Ingenting har ändrats.", name, v, PGSchemaVersion())
		}
	} else {
		// No schema yet: none of the store's tables may be there either.
		for _, t := range srcTables {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, t).Scan(&exists); err != nil {
				return nil, pgOpenError(name, err)
			}
			if exists {
				return nil, app.Errorf(app.ECONFLICT, "Måldatabasen %s är inte tom (tabellen %s finns redan); migrate --to kopierar bara till en tom databas. Ingenting har ändrats.", name, t)
			}
		}
		if err := applyPGMigrationsInTx(ctx, tx); err != nil {
			return nil, err
		}
	}

	tables, err := pgTablesInOrder(ctx, tx)
	if err != nil {
		return nil, err
	}
	if hasMigrations {
		for _, t := range tables {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				return nil, app.Errorf(app.ECONFLICT, "Måldatabasen %s är inte tom (tabellen %s har %d rader); migrate --to kopierar bara till en tom databas. Ingenting har ändrats.", name, t, n)
			}
		}
	}
	// Every table of the source must have a place in the target.
	inTarget := map[string]bool{}
	for _, t := range tables {
		inTarget[t] = true
	}
	for _, t := range srcTables {
		if !inTarget[t] {
			return nil, app.Errorf(app.EINTERNAL, "Tabellen %s finns i källan men inte i måldatabasen; ingenting har kopierats.", t)
		}
	}

	// The copy sets every column itself, as the source has it: user
	// triggers (the access log's guards, notifications, derived columns)
	// stay off until the rows are in; foreign keys stay checked.
	for _, t := range tables {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{t}.Sanitize()+` DISABLE TRIGGER USER`); err != nil {
			return nil, app.Errorf(app.EINTERNAL, "Tabellen %s i måldatabasen kunde inte förberedas (kör migrate --to som databasens ägare): %s", t, app.RedactDBPassword(err.Error()))
		}
	}
	res := &CopyResult{Target: name}
	for _, t := range tables {
		n, err := copyTable(ctx, tx, stx, t, progress)
		if err != nil {
			return nil, err
		}
		res.Tables = append(res.Tables, CopiedTable{t, n})
	}
	for _, t := range tables {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{t}.Sanitize()+` ENABLE TRIGGER USER`); err != nil {
			return nil, err
		}
	}
	if err := setIdentitySequences(ctx, tx); err != nil {
		return nil, err
	}
	// Checked before commit: a difference rolls everything back.
	if err := compareCounts(ctx, res, func(t string) (int64, error) {
		var n int64
		err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n)
		return n, err
	}); err != nil {
		return nil, err
	}
	prows, err := tx.Query(ctx, auditPruneQuery)
	if err != nil {
		return nil, err
	}
	prunes, err := readPrunes(prows)
	prows.Close()
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, auditChainQuery)
	if err != nil {
		return nil, err
	}
	// The key record and the prune records came with the rows: the
	// source's key checks them.
	c, err := walkChain(rows, src.epoch, src.auditKey, 0, prunes)
	rows.Close()
	if err != nil {
		return nil, err
	}
	if c.brokenAt != 0 {
		return nil, app.Errorf(app.EINTERNAL, "Åtkomstloggens kedja bryts vid rad %d efter kopieringen; ingenting har sparats i måldatabasen.", c.brokenAt)
	}
	if c.unchecked {
		return nil, src.auditKeyErr
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, pgOpenError(name, err)
	}
	return res, nil
}

// applyPGMigrationsInTx creates this version's schema inside tx.
func applyPGMigrationsInTx(ctx context.Context, tx pgx.Tx) error {
	ms, err := pgMigrations()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	now := fmtTime(time.Now())
	for _, m := range ms {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, now); err != nil {
			return err
		}
	}
	// Rows a migration added to a new database are the source's to give.
	tables, err := pgTablesInOrder(ctx, tx)
	if err != nil {
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{tables[i]}.Sanitize()); err != nil {
			return err
		}
	}
	return nil
}

// sqliteTables lists the source's tables with rows to copy: every table
// but SQLite's own, the full-text index's shadow tables and
// schema_migrations (the target has its own).
func sqliteTables(ctx context.Context, stx *sql.Tx) ([]string, error) {
	rows, err := stx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []string
	virtual := map[string]bool{}
	for rows.Next() {
		var n string
		var s sql.NullString
		if err := rows.Scan(&n, &s); err != nil {
			return nil, err
		}
		all = append(all, n)
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s.String)), "CREATE VIRTUAL TABLE") {
			virtual[n] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, n := range all {
		if strings.HasPrefix(n, "sqlite_") || n == "schema_migrations" {
			continue
		}
		shadow := false
		for v := range virtual {
			if strings.HasPrefix(n, v+"_") {
				shadow = true
			}
		}
		if !shadow {
			out = append(out, n)
		}
	}
	return out, nil
}

// pgTablesInOrder lists the target schema's tables (but schema_migrations)
// so that each comes after the tables its foreign keys point to.
func pgTablesInOrder(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
		AND c.relname <> 'schema_migrations' ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT c.relname, f.relname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid
		WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			rows.Close()
			return nil, err
		}
		if from != to {
			deps[from] = append(deps[from], to)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("foreign keys form a cycle at %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		sort.Strings(deps[n])
		for _, d := range deps[n] {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[n] = 2
		out = append(out, n)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type pgColumn struct {
	name, typ string
}

// copyTable copies every row of table from the source into the target
// with COPY, column by column as the target has them.
func copyTable(ctx context.Context, tx pgx.Tx, stx *sql.Tx, table string, progress CopyProgress) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`, table)
	if err != nil {
		return 0, err
	}
	var cols []pgColumn
	for rows.Next() {
		var c pgColumn
		if err := rows.Scan(&c.name, &c.typ); err != nil {
			rows.Close()
			return 0, err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	srcCols, err := sqliteColumns(ctx, stx, table)
	if err != nil {
		return 0, err
	}
	inSrc := map[string]bool{"rowid": true}
	for _, c := range srcCols {
		inSrc[c] = true
	}
	inDst := map[string]bool{}
	var names, sel []string
	for _, c := range cols {
		inDst[c.name] = true
		if !inSrc[c.name] {
			// A column of the target the source lacks keeps its default.
			continue
		}
		names = append(names, c.name)
		sel = append(sel, `"`+c.name+`"`)
	}
	for _, c := range srcCols {
		if !inDst[c] {
			return 0, app.Errorf(app.EINTERNAL, "Kolumnen %s.%s finns i källan men inte i måldatabasen; ingenting har kopierats.", table, c)
		}
	}
	var total int64
	if err := stx.QueryRowContext(ctx, `SELECT count(*) FROM "`+table+`"`).Scan(&total); err != nil {
		return 0, err
	}
	progress(table, 0, total)
	if total == 0 || len(names) == 0 {
		progress(table, total, total)
		return 0, nil
	}
	src, err := stx.QueryContext(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	isBytes := make([]bool, len(names))
	isText := make([]bool, len(names))
	for i, n := range names {
		for _, c := range cols {
			if c.name == n {
				isBytes[i] = c.typ == "bytea"
				isText[i] = c.typ == "text" || strings.HasPrefix(c.typ, "character")
			}
		}
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var done int64
	var scanErr error
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromFunc(func() ([]any, error) {
		if !src.Next() {
			scanErr = src.Err()
			return nil, scanErr
		}
		if err := src.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case string:
				if isBytes[i] {
					v = []byte(x)
				}
			case []byte:
				if isText[i] {
					v = string(x)
				} else {
					v = append([]byte(nil), x...)
				}
			}
			row[i] = v
		}
		done++
		if done%copyProgressEvery == 0 {
			progress(table, done, total)
		}
		return row, nil
	}))
	if scanErr != nil {
		return 0, scanErr
	}
	if err != nil {
		return 0, fmt.Errorf("copy %s: %w", table, err)
	}
	progress(table, n, total)
	return n, nil
}

// sqliteColumns lists the columns of a source table.
func sqliteColumns(ctx context.Context, stx *sql.Tx, table string) ([]string, error) {
	rows, err := stx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// setIdentitySequences moves each identity column's sequence past the
// highest id copied, so that the next row the store inserts gets the next
// id (an empty table starts at 1).
func setIdentitySequences(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attidentity <> '' AND NOT a.attisdropped`)
	if err != nil {
		return err
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		t, col := pgx.Identifier{c.table}.Sanitize(), pgx.Identifier{c.column}.Sanitize()
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2),
			COALESCE((SELECT MAX(`+col+`) FROM `+t+`), 1), (SELECT MAX(`+col+`) FROM `+t+`) IS NOT NULL)`, t, c.column); err != nil {
			return fmt.Errorf("sequence of %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

// compareCounts checks that each table holds the rows copied into it.
func compareCounts(ctx context.Context, res *CopyResult, count func(table string) (int64, error)) error {
	for _, t := range res.Tables {
		n, err := count(t.Name)
		if err != nil {
			return err
		}
		if n != t.Rows {
			return app.Errorf(app.EINTERNAL, "Tabellen %s har %d rader i måldatabasen men %d i källan.", t.Name, n, t.Rows)
		}
	}
	return nil
}

// verifyCopy opens the committed target as a desk would and checks the
// counts and the access log's chain once more.
func verifyCopy(ctx context.Context, src *DB, targetURL string, res *CopyResult) error {
	db, err := openWith(targetURL, options{keys: src.opts.keys, anchors: src.opts.anchors})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := compareCounts(ctx, res, func(t string) (int64, error) {
		var n int64
		err := db.ro.QueryRowContext(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n)
		return n, err
	}); err != nil {
		return err
	}
	bad, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if bad != 0 {
		return app.Errorf(app.EINTERNAL, "Åtkomstloggens kedja bryts vid rad %d i måldatabasen.", bad)
	}
	return nil
}
