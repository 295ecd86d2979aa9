package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
)

// The port plan proposes SQL forms that run unchanged on both backends
// where today's SQL is SQLite's own. Each is run here on a real SQLite
// store and a real PostgreSQL with the same schema and rows; both must
// give the same answer. And the forms that must change do fail on
// PostgreSQL, so the plan's list is not guesswork.
func TestPortableSQL(t *testing.T) {
	ctx := context.Background()
	store, err := Open(filepath.Join(t.TempDir(), "portable.db"))
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	lite, err := sql.Open("sqlite", "file:"+filepath.ToSlash(store.Path())+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := migratedPG(t)

	type backend struct {
		name string
		db   *sql.DB
		bind func(string) string
	}
	backends := []backend{{"SQLite", lite, func(q string) string { return q }}, {"PostgreSQL", pg, rebind}}

	// The same rows in both: two cases (one closed, one open with NULL
	// closed_at), notes, a staff member with two roles.
	const t0 = "2026-12-01T08:00:00.000Z"
	for _, b := range backends {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO cases (type, reference, received_at, due_date, status, closed_at, created_at, updated_at)
				VALUES ('egenremiss', '1177-1', ?, '2026-12-04', 'avslutad', '2026-12-02T08:00:00.000Z', ?, ?)`, []any{t0, t0, t0}},
			{`INSERT INTO cases (type, reference, received_at, due_date, status, created_at, updated_at)
				VALUES ('egenremiss', '1177-2', ?, '2026-12-03', 'ny', ?, ?)`, []any{t0, t0, t0}},
			{`INSERT INTO case_events (case_id, kind, actor, at, detail) VALUES (1, 'note', 'SE1', ?, 'första')`, []any{t0}},
			{`INSERT INTO case_events (case_id, kind, actor, at, detail) VALUES (1, 'note', 'SE1', ?, 'andra')`, []any{t0}},
			{`INSERT INTO staff (hsa_id, name) VALUES ('SE1', 'Åsa')`, nil},
			{`INSERT INTO staff_roles (staff_id, role) VALUES (1, 'sjukskoterska'), (1, 'ansvarig')`, nil},
		} {
			if _, err := b.db.ExecContext(ctx, b.bind(q.sql), q.args...); err != nil {
				t.Fatalf("%s: %s: %v", b.name, q.sql, err)
			}
		}
	}

	for _, tc := range []struct {
		name string
		sql  string
		args []any
		want []string
	}{
		// RETURNING replaces LastInsertId (pgx has none).
		{"Returning", `INSERT INTO settings (key, value) VALUES (?, ?) RETURNING key`, []any{"k", "v"}, []string{"k"}},
		// ON CONFLICT ... excluded is the same on both.
		{"Upsert", `INSERT INTO settings (key, value) VALUES ('k', 'w') ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING value`, nil, []string{"w"}},
		// string_agg with ORDER BY replaces GROUP_CONCAT (SQLite 3.44+).
		{"StringAgg", `SELECT COALESCE((SELECT string_agg(detail, ' ' ORDER BY id) FROM case_events WHERE case_id = 1 AND kind = 'note'), '')`, nil, []string{"första andra"}},
		{"StringAggRoles", `SELECT COALESCE(string_agg(r.role, ',' ORDER BY r.role), '') FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id WHERE s.hsa_id = 'SE1' GROUP BY s.id`, nil, []string{"ansvarig,sjukskoterska"}},
		// A 0/1 flag as text, instead of concatenating a boolean; the
		// separator as a parameter instead of char(31).
		{"StatsLine", `SELECT received_at || ? || CASE WHEN closed_at IS NOT NULL THEN '1' ELSE '0' END || ? || type FROM cases ORDER BY id`,
			[]any{"\x1f", "\x1f"}, []string{t0 + "\x1f1\x1fegenremiss", t0 + "\x1f0\x1fegenremiss"}},
		// NULL closed_at last in a descending order, as SQLite puts it
		// by default and PostgreSQL only when asked.
		{"NullsLast", `SELECT reference FROM cases ORDER BY closed_at DESC NULLS LAST, id DESC`, nil, []string{"1177-1", "1177-2"}},
		// A subquery in FROM with an alias (PostgreSQL before 16 needs it).
		{"SubqueryAlias", `SELECT COUNT(*) FROM (SELECT 1 FROM cases ORDER BY due_date LIMIT ?) AS probe`, []any{10}, []string{"2"}},
		// Row values for keyset paging.
		{"RowValues", `SELECT reference FROM cases WHERE (due_date, received_at, id) > (?, ?, ?) ORDER BY due_date, received_at, id`,
			[]any{"2026-12-03", t0, 2}, []string{"1177-1"}},
		// LIKE with ESCAPE '\' on text the program lowered.
		{"LikeEscape", `SELECT reference FROM cases WHERE reference LIKE ? ESCAPE '\'`, []any{`1177\_1`}, nil},
		{"LikeEscapeMatch", `SELECT reference FROM cases WHERE reference LIKE ? ESCAPE '\'`, []any{`%7-1%`}, []string{"1177-1"}},
		// The type filter without SQLite's unary + (an index hint there).
		{"InList", `SELECT COUNT(*) FROM cases WHERE type IN (?, ?)`, []any{"egenremiss", "okand"}, []string{"2"}},
		{"EmptyInList", `SELECT COUNT(*) FROM cases WHERE type IN (NULL)`, nil, []string{"0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, b := range backends {
				rows, err := b.db.QueryContext(ctx, b.bind(tc.sql), tc.args...)
				if err != nil {
					t.Fatalf("%s: %v", b.name, err)
				}
				var got []string
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						t.Fatalf("%s: %v", b.name, err)
					}
					got = append(got, s)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					t.Fatalf("%s: %v", b.name, err)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("%s: %q, want %q", b.name, got, tc.want)
				}
			}
		})
	}

	// Today's SQLite-only forms fail on PostgreSQL (the plan replaces each).
	for _, q := range []string{
		`SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1)`,             // subquery without alias
		`SELECT COUNT(*) FROM cases WHERE +type IN ('egenremiss')`,       // unary + on text
		`SELECT GROUP_CONCAT(detail, ' ') FROM case_events`,              // no GROUP_CONCAT
		`SELECT received_at || char(31) FROM cases`,                      // char() is chr()
		`SELECT id FROM cases WHERE reference GLOB '*1*'`,                // no GLOB
		`SELECT rowid FROM case_search WHERE case_search MATCH '"1177"'`, // no FTS5
		`PRAGMA integrity_check`,                                         // no PRAGMA
	} {
		if _, err := pg.ExecContext(ctx, q); err == nil {
			t.Errorf("PostgreSQL accepted %s", q)
		}
	}
	// And a boolean concatenated is 'true', not SQLite's 1.
	var s string
	if err := pg.QueryRowContext(ctx, `SELECT (closed_at IS NOT NULL) || '' FROM cases WHERE id = 1`).Scan(&s); err != nil || s != "true" {
		t.Errorf("PostgreSQL boolean as text: %q, %v", s, err)
	}
	// The closed view's order as written today differs: PostgreSQL puts
	// NULL first in DESC.
	if err := pg.QueryRowContext(ctx, `SELECT reference FROM cases ORDER BY closed_at DESC, id DESC LIMIT 1`).Scan(&s); err != nil || s != "1177-2" {
		t.Errorf("PostgreSQL ORDER BY closed_at DESC: first %q, %v", s, err)
	}
}
