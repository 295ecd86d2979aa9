package data

// The SQLite schema as this program's migrations make it: what a backup
// is compared with before restore installs it, and what the append-only
// triggers of an open database are compared with.

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// schemaObject is one row of sqlite_master with SQL: a table, index,
// view or trigger.
type schemaObject struct {
	typ, name, table, sql string
}

// readSchema reads the schema of the SQLite database q, the SQL with its
// whitespace folded, sorted by type and name.
func readSchema(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]schemaObject, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.typ, &o.name, &o.table, &o.sql); err != nil {
			return nil, err
		}
		o.sql = strings.Join(strings.Fields(o.sql), " ")
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].typ != out[j].typ {
			return out[i].typ < out[j].typ
		}
		return out[i].name < out[j].name
	})
	return out, rows.Err()
}

func findObject(objs []schemaObject, typ, name string) (schemaObject, bool) {
	for _, o := range objs {
		if o.typ == typ && o.name == name {
			return o, true
		}
	}
	return schemaObject{}, false
}

var refSchemas = struct {
	sync.Mutex
	m map[int][]schemaObject
}{m: map[int][]schemaObject{}}

// referenceSchema is the schema this program's migrations up to version
// make, built once per version in an in-memory database.
func referenceSchema(version int) ([]schemaObject, error) {
	refSchemas.Lock()
	defer refSchemas.Unlock()
	if s, ok := refSchemas.m[version]; ok {
		return s, nil
	}
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	mem, err := sql.Open("sqlite", "file:reference?mode=memory")
	if err != nil {
		return nil, err
	}
	defer mem.Close()
	ctx := context.Background()
	conn, err := mem.Conn(ctx) // one connection: one in-memory database
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.version > version {
			break
		}
		if _, err := conn.ExecContext(ctx, m.sql); err != nil {
			return nil, fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	s, err := readSchema(ctx, conn)
	if err != nil {
		return nil, err
	}
	refSchemas.m[version] = s
	return s, nil
}

// schemaDifference says in Swedish how the schema of the SQLite database
// q differs from the one this program's migrations up to version make;
// "" when it does not.
func schemaDifference(ctx context.Context, q *sql.DB, version int) (string, error) {
	ref, err := referenceSchema(version)
	if err != nil {
		return "", err
	}
	got, err := readSchema(ctx, q)
	if err != nil {
		return "", err
	}
	for _, o := range ref {
		g, ok := findObject(got, o.typ, o.name)
		if !ok {
			return fmt.Sprintf("%s %s saknas", schemaTypeName(o.typ), o.name), nil
		}
		if g.sql != o.sql || g.table != o.table {
			return fmt.Sprintf("%s %s är ändrad", schemaTypeName(o.typ), o.name), nil
		}
	}
	for _, g := range got {
		if _, ok := findObject(ref, g.typ, g.name); !ok {
			return fmt.Sprintf("%s %s finns inte i programmets schema", schemaTypeName(g.typ), g.name), nil
		}
	}
	return "", nil
}

// schemaTypeName is the Swedish word for a type of sqlite_master, with
// its article.
func schemaTypeName(typ string) string {
	switch typ {
	case "table":
		return "tabellen"
	case "index":
		return "indexet"
	case "trigger":
		return "triggern"
	case "view":
		return "vyn"
	}
	return typ
}
