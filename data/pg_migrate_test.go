package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"arendestod/app"
	"arendestod/data/pgtest"
)

var pgTestNow = func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) }

// openPGTest opens a database/sql pool on url, closed at the end of the
// test.
func openPGTest(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migratedPG returns a pool on a fresh database with the whole schema.
func migratedPG(t *testing.T) *sql.DB {
	t.Helper()
	db := openPGTest(t, pgtest.DB(t))
	ms, err := pgMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := migratePG(context.Background(), db, "test", ms, pgTestNow); err != nil {
		t.Fatal(err)
	}
	return db
}

func appliedVersions(t *testing.T, db *sql.DB) []int {
	t.Helper()
	rows, err := db.Query(`SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	return vs
}

func pgTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// allVersions is every migration version this binary knows, in order.
func allVersions() []int {
	var out []int
	for v := 1; v <= PGSchemaVersion(); v++ {
		out = append(out, v)
	}
	return out
}

// The PostgreSQL migrations are the SQLite ones, version for version.
func TestPGMigrationsMirrorSQLiteFiles(t *testing.T) {
	pg, err := pgMigrations()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, e := range entries {
		want = append(want, e.Name())
	}
	for _, m := range pg {
		got = append(got, m.name)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PostgreSQL migrations %v, SQLite %v", got, want)
	}
	if PGSchemaVersion() != SchemaVersion() {
		t.Errorf("schema versions: PostgreSQL %d, SQLite %d", PGSchemaVersion(), SchemaVersion())
	}
}

func TestPGMigrate(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := migratedPG(t)
		want := pgVersions(t)
		if got := appliedVersions(t, db); !reflect.DeepEqual(got, want) {
			t.Fatalf("applied %v, want %v", got, want)
		}
		var name, at string
		if err := db.QueryRow(`SELECT name, applied_at FROM schema_migrations WHERE version = 3`).Scan(&name, &at); err != nil {
			t.Fatal(err)
		}
		if name != "0003_search.sql" || at != "2026-12-01T08:00:00.000Z" {
			t.Errorf("row 3: %s %s", name, at)
		}
		// Again: nothing to do, nothing changes.
		ms, _ := pgMigrations()
		if err := migratePG(ctx, db, "test", ms, time.Now); err != nil {
			t.Fatal(err)
		}
		if got := appliedVersions(t, db); !reflect.DeepEqual(got, want) {
			t.Fatalf("after a second run: applied %v", got)
		}
		var ext string
		if err := db.QueryRow(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`).Scan(&ext); err != nil {
			t.Fatalf("pg_trgm not installed: %v", err)
		}
	})

	t.Run("ConcurrentDesks", func(t *testing.T) {
		// Four desks open an empty database at the same moment.
		url := pgtest.DB(t)
		ms, _ := pgMigrations()
		var wg sync.WaitGroup
		errs := make([]error, 4)
		start := make(chan struct{})
		for i := range errs {
			db := openPGTest(t, url)
			if err := db.Ping(); err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = migratePG(ctx, db, "test", ms, pgTestNow)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("desk %d: %v", i, err)
			}
		}
		if got := appliedVersions(t, openPGTest(t, url)); !reflect.DeepEqual(got, pgVersions(t)) {
			t.Errorf("applied %v", got)
		}
	})

	t.Run("ConcurrentDesksApplyEachOnce", func(t *testing.T) {
		// Migrations that count their runs in a table without a key, and
		// are slow, so that the desks overlap inside them.
		ms := []sqlMigration{
			{1, "0001_a.sql", `CREATE TABLE runs (version int); SELECT pg_sleep(0.2); INSERT INTO runs VALUES (1);`},
			{2, "0002_b.sql", `SELECT pg_sleep(0.1); INSERT INTO runs VALUES (2);`},
			{3, "0003_c.sql", `INSERT INTO runs VALUES (3);`},
		}
		url := pgtest.DB(t)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		start := make(chan struct{})
		for i := range errs {
			db := openPGTest(t, url)
			if err := db.Ping(); err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = migratePG(ctx, db, "test", ms, pgTestNow)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("desk %d: %v", i, err)
			}
		}
		db := openPGTest(t, url)
		rows, err := db.Query(`SELECT version, count(*) FROM runs GROUP BY version ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var v, n int
			rows.Scan(&v, &n)
			got = append(got, strings.Repeat("x", n))
		}
		if !reflect.DeepEqual(got, []string{"x", "x", "x"}) {
			t.Errorf("runs per migration: %q, want each once", got)
		}
	})

	t.Run("GapIsFilled", func(t *testing.T) {
		db := openPGTest(t, pgtest.DB(t))
		all := []sqlMigration{
			{1, "0001_a.sql", `CREATE TABLE a (x int)`},
			{2, "0002_b.sql", `CREATE TABLE b (x int)`},
			{3, "0003_c.sql", `CREATE TABLE c (x int)`},
		}
		if err := migratePG(ctx, db, "test", []sqlMigration{all[0], all[2]}, pgTestNow); err != nil {
			t.Fatal(err)
		}
		if err := migratePG(ctx, db, "test", all, pgTestNow); err != nil {
			t.Fatal(err)
		}
		if got := pgTables(t, db); !reflect.DeepEqual(got, []string{"a", "b", "c", "schema_migrations"}) {
			t.Errorf("tables %v", got)
		}
	})

	t.Run("FailedMigrationLeavesNothing", func(t *testing.T) {
		db := openPGTest(t, pgtest.DB(t))
		ms := []sqlMigration{
			{1, "0001_a.sql", `CREATE TABLE a (x int)`},
			{2, "0002_b.sql", `CREATE TABLE b (x int); INSERT INTO b VALUES ('not a number')`},
		}
		err := migratePG(ctx, db, "test", ms, pgTestNow)
		if err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
			t.Fatalf("err = %v", err)
		}
		if got := pgTables(t, db); !reflect.DeepEqual(got, []string{"a", "schema_migrations"}) {
			t.Errorf("tables %v: migration 2 left something behind", got)
		}
		if got := appliedVersions(t, db); !reflect.DeepEqual(got, []int{1}) {
			t.Errorf("applied %v", got)
		}
	})

	t.Run("NewerSchemaRefusedAndUnchanged", func(t *testing.T) {
		db := openPGTest(t, pgtest.DB(t))
		ms, _ := pgMigrations()
		// A database at schema 2 that a newer version also marked 99.
		if err := migratePG(ctx, db, "test", ms[:2], pgTestNow); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (99, '0099_future.sql', '2027-01-01T00:00:00.000Z')`); err != nil {
			t.Fatal(err)
		}
		tablesBefore := pgTables(t, db)
		name := pgDisplayName("postgres://arende:hemligt@db.example:5432/mottagning?sslmode=verify-full")
		err := migratePG(ctx, db, name, ms, pgTestNow)
		if app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
		want := "Databasen postgres://arende@db.example:5432/mottagning är skapad av en nyare version av Ärendestöd (schema 99, den här versionen känner till " + strconv.Itoa(PGSchemaVersion()) + "). Uppdatera programmet; databasen har inte ändrats."
		if app.ErrorMessage(err) != want {
			t.Errorf("message\n got %q\nwant %q", app.ErrorMessage(err), want)
		}
		if got := pgTables(t, db); !reflect.DeepEqual(got, tablesBefore) {
			t.Errorf("tables changed: %v -> %v", tablesBefore, got)
		}
		if got := appliedVersions(t, db); !reflect.DeepEqual(got, []int{1, 2, 99}) {
			t.Errorf("applied %v", got)
		}
	})

	t.Run("ServerDown", func(t *testing.T) {
		db := openPGTest(t, "postgres://arende:hemligt@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
		err := migratePG(ctx, db, pgDisplayName("postgres://arende:hemligt@127.0.0.1:1/x"), nil, pgTestNow)
		if err == nil || strings.Contains(err.Error(), "hemligt") || !strings.Contains(app.ErrorMessage(err), "svarar inte") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLoadMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_b.sql": {Data: []byte("B")},
		"m/0010_c.sql": {Data: []byte("C")},
		"m/0001_a.sql": {Data: []byte("A")},
		"m/README":     {Data: []byte("not a migration")},
	}
	ms, err := loadMigrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.name+"="+m.sql)
	}
	if want := []string{"0001_a.sql=A", "0002_b.sql=B", "0010_c.sql=C"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	fsys["m/01_dup.sql"] = &fstest.MapFile{Data: []byte("D")}
	if _, err := loadMigrations(fsys, "m"); err == nil {
		t.Error("two migrations numbered 1 accepted")
	}
	delete(fsys, "m/01_dup.sql")
	fsys["m/x_bad.sql"] = &fstest.MapFile{Data: []byte("X")}
	if _, err := loadMigrations(fsys, "m"); err == nil {
		t.Error("unnumbered migration accepted")
	}
}

// The PostgreSQL schema has the SQLite schema's tables, columns (in order,
// with nullability, defaults and primary keys), indexes and triggers.
func TestPGSchemaMirrorsSQLite(t *testing.T) {
	pg := migratedPG(t)
	store, err := Open(filepath.Join(t.TempDir(), "mirror.db"))
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	lite, err := sql.Open("sqlite", "file:"+filepath.ToSlash(store.Path())+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()

	strs := func(db *sql.DB, q string, args ...any) []string {
		t.Helper()
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	liteTables := strs(lite, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'case_search_%' ORDER BY name`)
	if got := pgTables(t, pg); !reflect.DeepEqual(got, liteTables) {
		t.Fatalf("tables\nPostgreSQL %v\nSQLite     %v", got, liteTables)
	}
	typeOK := map[string][]string{"INTEGER": {"bigint", "integer"}, "TEXT": {"text"}, "BLOB": {"bytea"}}
	// The columns that are SQLite rowid aliases and PostgreSQL identities.
	var identities []string
	for _, table := range liteTables {
		type col struct {
			name, typ, dflt string
			notNull, pk     bool
		}
		var lc []col
		if table == "case_search" {
			// FTS5 hides rowid; the PostgreSQL table has it as a column.
			lc = []col{{"rowid", "INTEGER", "", true, true}, {"body", "TEXT", "", true, false}}
		} else {
			rows, err := lite.Query(`SELECT name, type, COALESCE(dflt_value, ''), "notnull", pk FROM pragma_table_info(?)`, table)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var c col
				var nn, pk int
				if err := rows.Scan(&c.name, &c.typ, &c.dflt, &nn, &pk); err != nil {
					t.Fatal(err)
				}
				// SQLite lets a primary key column be NULL unless it says
				// NOT NULL; INTEGER PRIMARY KEY never is.
				c.notNull, c.pk = nn == 1 || pk > 0, pk > 0
				lc = append(lc, c)
			}
			rows.Close()
		}
		rows, err := pg.Query(`SELECT c.column_name, c.data_type, COALESCE(c.column_default, ''), c.is_nullable = 'NO',
			EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc
				ON tc.constraint_name = k.constraint_name AND tc.table_name = k.table_name
				WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name),
			c.is_identity = 'YES'
			FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = $1 ORDER BY c.ordinal_position`, table)
		if err != nil {
			t.Fatal(err)
		}
		var i int
		for ; rows.Next(); i++ {
			var name, typ, dflt string
			var notNull, pk, identity bool
			if err := rows.Scan(&name, &typ, &dflt, &notNull, &pk, &identity); err != nil {
				t.Fatal(err)
			}
			if i >= len(lc) {
				t.Errorf("%s.%s: not in SQLite", table, name)
				continue
			}
			l := lc[i]
			if name != l.name {
				t.Errorf("%s column %d: PostgreSQL %s, SQLite %s", table, i+1, name, l.name)
				continue
			}
			if !contains(typeOK[l.typ], typ) {
				t.Errorf("%s.%s: PostgreSQL %s for SQLite %s", table, name, typ, l.typ)
			}
			if notNull != l.notNull || pk != l.pk {
				t.Errorf("%s.%s: PostgreSQL not null %v pk %v, SQLite %v %v", table, name, notNull, pk, l.notNull, l.pk)
			}
			if d := strings.TrimSuffix(dflt, "::text"); d != l.dflt && !identity {
				t.Errorf("%s.%s: default PostgreSQL %q, SQLite %q", table, name, dflt, l.dflt)
			}
			if identity {
				identities = append(identities, table+"."+name)
			}
		}
		rows.Close()
		if i < len(lc) {
			t.Errorf("%s: PostgreSQL has %d columns, SQLite %d", table, i, len(lc))
		}
	}
	sort.Strings(identities)
	wantIdentities := []string{"audit_log.id", "case_events.id", "cases.id", "intyg.id", "quarantine.id", "recept_log.id", "staff.id"}
	if !reflect.DeepEqual(identities, wantIdentities) {
		t.Errorf("identity columns %v, want %v", identities, wantIdentities)
	}
	pgIndexes := strs(pg, `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)
	for _, ix := range strs(lite, `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`) {
		if !contains(pgIndexes, ix) {
			t.Errorf("index %s missing in PostgreSQL", ix)
		}
	}
	pgTriggers := strs(pg, `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal`)
	for _, tr := range strs(lite, `SELECT name FROM sqlite_master WHERE type = 'trigger'`) {
		if !contains(pgTriggers, tr) {
			t.Errorf("trigger %s missing in PostgreSQL", tr)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPGAuditLogAppendOnly(t *testing.T) {
	db := migratedPG(t)
	if _, err := db.Exec(`INSERT INTO audit_log (at, actor, action, prev_hash, hash) VALUES ($1, 'SE1', 'visa', '', 'h1')`,
		"2026-12-01T08:00:00.000Z"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_log SET actor = 'SE2'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		_, err := db.Exec(q)
		if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
			t.Errorf("%s: err = %v", q, err)
		}
	}
	var n int
	var actor string
	if err := db.QueryRow(`SELECT count(*), min(actor) FROM audit_log`).Scan(&n, &actor); err != nil {
		t.Fatal(err)
	}
	if n != 1 || actor != "SE1" {
		t.Errorf("after the refused changes: %d rows, actor %s", n, actor)
	}
}

// The store's unique reference is the same named constraint on both
// backends, so the dialect maps PostgreSQL's 23505 by its name.
func TestPGUniqueReference(t *testing.T) {
	db := migratedPG(t)
	ins := rebind(`INSERT INTO cases (type, reference, received_at, due_date, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	args := []any{"egenremiss", "1177-1", "2026-12-01T08:00:00.000Z", "2026-12-04", "ny", "2026-12-01T08:00:00.000Z", "2026-12-01T08:00:00.000Z"}
	var id int64
	if err := db.QueryRow(ins, args...).Scan(&id); err != nil || id != 1 {
		t.Fatalf("first insert: id %d, %v", id, err)
	}
	err := db.QueryRow(ins, args...).Scan(&id)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" || pe.ConstraintName != "cases_reference" {
		t.Fatalf("second insert: %v", err)
	}
	// Without a reference, any number.
	args[1] = nil
	for i := 0; i < 2; i++ {
		if err := db.QueryRow(ins, args...).Scan(&id); err != nil {
			t.Fatal(err)
		}
	}
	// A row with an explicit id (as "migrate --to" writes them) is kept,
	// and the sequence moved past it gives the next.
	if _, err := db.Exec(`INSERT INTO cases (id, type, received_at, due_date, status, created_at, updated_at)
		VALUES (500, 'egenremiss', '', '', 'ny', '', '')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))`); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ins, args...).Scan(&id); err != nil || id != 501 {
		t.Errorf("after setval: id %d, %v", id, err)
	}
}

// Search with å, ä and ö: the store lowers both the text and the term in
// Go, so the match ignores case whatever the server's locale, and the
// trigram index serves it.
func TestPGSearchSwedish(t *testing.T) {
	db := migratedPG(t)
	ctx := context.Background()
	now := "2026-12-01T08:00:00.000Z"
	insertCase := rebind(`INSERT INTO cases (type, unit, reference, received_at, due_date, status, created_at, updated_at, search)
		VALUES ('egenremiss', ?, ?, ?, '2026-12-04', 'ny', ?, ?, ?) RETURNING id`)
	insertSearch := rebind(`INSERT INTO case_search (rowid, body) VALUES (?, ?)`)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	add := func(ref, unit, notes string) int64 {
		body := strings.ToLower(ref + " " + unit + " " + notes) // as searchBody does
		var id int64
		if err := tx.QueryRow(insertCase, unit, ref, now, now, now, body).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(insertSearch, id, body); err != nil {
			t.Fatal(err)
		}
		return id
	}
	amal := add("1177-ÅMÅL-1", "BUP Åmål", "Mamma ringde om Överföring")
	vaner := add("1177-2", "BUP Vänersborg", "ÄNDRAD TID")
	// Enough other cases that an index pays.
	for _, q := range []string{
		`INSERT INTO cases (type, unit, reference, received_at, due_date, status, created_at, updated_at, search)
			SELECT 'egenremiss', 'BUP Uddevalla', '1177-x' || i, '` + now + `', '2026-12-04', 'ny', '` + now + `', '` + now + `',
			'1177-x' || i || ' bup uddevalla' FROM generate_series(1, 5000) AS i`,
		`INSERT INTO case_search (rowid, body) SELECT id, search FROM cases WHERE reference LIKE '1177-x%'`,
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE case_search`); err != nil {
		t.Fatal(err)
	}
	search := rebind(`SELECT rowid FROM case_search WHERE body LIKE ? ESCAPE '\'`)
	find := func(term string) []int64 {
		t.Helper()
		rows, err := db.Query(search, "%"+escapeLikeTerm(strings.ToLower(term))+"%")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return ids
	}
	for _, tc := range []struct {
		term string
		want []int64
	}{
		{"åmål", []int64{amal}},
		{"ÅMÅL", []int64{amal}},
		{"Åmål", []int64{amal}},
		{"öVERför", []int64{amal}},
		{"ändrad", []int64{vaner}},
		{"VÄNERSBORG", []int64{vaner}},
		{"amal", nil}, // å is not a
		{"ö", []int64{amal}},
		{"100%", nil}, // % is literal
	} {
		if got := find(tc.term); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("search %q: %v, want %v", tc.term, got, tc.want)
		}
	}

	// The trigram index answers, and the server takes å, ä and ö as
	// letters in trigrams (not as word breaks, as a C locale would).
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// At this size a sequential scan costs the planner about as much;
	// forbidding it shows that the index can answer the query.
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var plan []string
	rows, err := conn.QueryContext(ctx, `EXPLAIN `+search, "%åmål%")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if !strings.Contains(strings.Join(plan, "\n"), "case_search_body_trgm") {
		t.Errorf("the search does not use the trigram index:\n%s", strings.Join(plan, "\n"))
	}
	// "åmål" has five trigrams ("  å", " åm", "åmå", "mål", "ål "); with
	// å as a word break it would have those of "m" and "l" only. (Trigrams
	// with non-ASCII letters show as hashes, so count and compare.)
	var n int
	var differs bool
	if err := conn.QueryRowContext(ctx, `SELECT array_length(show_trgm('åmål'), 1), show_trgm('åmål') <> show_trgm('ämöl')`).Scan(&n, &differs); err != nil {
		t.Fatal(err)
	}
	if n != 5 || !differs {
		t.Errorf("show_trgm('åmål'): %d trigrams, differs from ämöl's: %v", n, differs)
	}
	// ILIKE, folding in the server (UTF-8 locale), finds the same through
	// the index, even on text not lowered by the program.
	var id int64
	if err := conn.QueryRowContext(ctx, `SELECT id FROM cases WHERE unit ILIKE $1`, "%ÅMÅL%").Scan(&id); err != nil || id != amal {
		t.Errorf("ILIKE: %d, %v", id, err)
	}
}

// escapeLikeTerm escapes LIKE's wildcards, as the store's escapeLike does.
func escapeLikeTerm(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func TestPGDisplayName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://arende:hemligt@db.example:5432/mottagning?sslmode=verify-full&password=x", "postgres://arende@db.example:5432/mottagning"},
		{"postgresql://db.example/arendestod", "postgresql://db.example/arendestod"},
		{"postgres://arende@/arendestod?host=/run/postgresql", "postgres://arende@/arendestod"},
		{"not a url", "PostgreSQL-databasen"},
	} {
		if got := pgDisplayName(tc.in); got != tc.want {
			t.Errorf("pgDisplayName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{`failed to connect to postgres://arende:hemligt@db:5432/x`, `failed to connect to postgres://arende:***@db:5432/x`},
		{`host=db user=arende password=hemligt dbname=x`, `host=db user=arende password=*** dbname=x`},
		{`password='hem ligt' x`, `password=*** x`},
		{`?sslmode=disable&password=hemligt&x=1`, `?sslmode=disable&password=***&x=1`},
		{`no secret here`, `no secret here`},
	} {
		if got := app.RedactDBPassword(tc.in); got != tc.want || strings.Contains(got, "hemligt") {
			t.Errorf("app.RedactDBPassword(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for s, want := range map[string]bool{
		"postgres://x": true, "postgresql://x": true, "POSTGRES://x": true,
		"/home/a/arendestod.db": false, "postgres.db": false, "": false,
	} {
		if IsPostgresURL(s) != want {
			t.Errorf("IsPostgresURL(%q) = %v", s, !want)
		}
	}
}

// pgVersions are the versions of this binary's PostgreSQL migrations.
func pgVersions(t *testing.T) []int {
	t.Helper()
	ms, err := pgMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var vs []int
	for _, m := range ms {
		vs = append(vs, m.version)
	}
	return vs
}
