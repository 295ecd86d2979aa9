package data_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// migrationFiles returns the versions of the migration files beside the
// package, as the binary embeds them.
func migrationFiles(t *testing.T) []int {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var vs []int
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		n, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("migration %s: %v", e.Name(), err)
		}
		vs = append(vs, v)
	}
	sort.Ints(vs)
	if len(vs) == 0 {
		t.Fatal("no migration files")
	}
	return vs
}

type migrationRow struct {
	version   int
	name      string
	appliedAt string
}

func schemaMigrations(t *testing.T, path string) []migrationRow {
	t.Helper()
	raw := rawDB(t, path)
	defer raw.Close()
	rows, err := raw.Query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []migrationRow
	for rows.Next() {
		var r migrationRow
		if err := rows.Scan(&r.version, &r.name, &r.appliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpen(t *testing.T) {
	sqliteOnly(t, "pragmas, journal mode, file and folder modes of the database file")
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "ny", "mapp") // Open makes missing folders
		path := filepath.Join(dir, "arendestod.db")
		db := mustOpenAt(t, path)
		if db.Path() != path {
			t.Errorf("Path = %q, want %q", db.Path(), path)
		}
		files := migrationFiles(t)
		if got, want := data.SchemaVersion(), files[len(files)-1]; got != want {
			t.Errorf("SchemaVersion = %d, want %d (newest migration file)", got, want)
		}
		rows := schemaMigrations(t, path)
		if len(rows) != len(files) {
			t.Fatalf("schema_migrations has %d rows, want one per migration file (%d)", len(rows), len(files))
		}
		for i, r := range rows {
			n, _, _ := strings.Cut(r.name, "_")
			if v, err := strconv.Atoi(n); r.version != files[i] || err != nil || v != r.version || r.appliedAt == "" {
				t.Errorf("schema_migrations row %d = %+v, want version %d", i, r, files[i])
			}
		}
		// WAL is a property of the file: another connection sees it.
		var mode string
		if err := rawDB(t, path).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if !strings.EqualFold(mode, "wal") {
			t.Errorf("journal_mode = %q, want wal", mode)
		}
		mustIntegrity(t, db)
	})

	t.Run("Reopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arendestod.db")
		db := mustOpenAt(t, path)
		if err := db.SetSetting(ctx, "mottagning", "BUP Testköping"); err != nil {
			t.Fatal(err)
		}
		c := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0)))
		before := schemaMigrations(t, path)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		// Migrating again must be a no-op: same rows, same applied_at,
		// though the clock has moved on.
		db2, err := data.Open(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer db2.Close()
		setClock(db2, testNow.AddDate(1, 0, 0))
		after := schemaMigrations(t, path)
		if len(after) != len(before) {
			t.Fatalf("schema_migrations %v after reopen, was %v", after, before)
		}
		for i := range before {
			if after[i] != before[i] {
				t.Errorf("schema_migrations row %d = %+v after reopen, was %+v", i, after[i], before[i])
			}
		}
		if v, err := db2.Setting(ctx, "mottagning"); err != nil || v != "BUP Testköping" {
			t.Errorf("Setting after reopen = %q, %v", v, err)
		}
		got, err := db2.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffCase(got, c); d != "" {
			t.Errorf("case after reopen: %s", d)
		}
		mustIntegrity(t, db2)
	})

	t.Run("ErrConflict", func(t *testing.T) {
		// A database written by a newer version is refused and left as it is.
		dir := t.TempDir()
		path := filepath.Join(dir, "arendestod.db")
		db := mustOpenAt(t, path)
		mustCreate(t, db, newCase(db, app.TypeJournalkopia, sthlm(2026, 11, 30, 9, 0)))
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		future := data.SchemaVersion() + 1
		raw := rawDB(t, path)
		if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			future, strconv.Itoa(future)+"_framtid.sql", "2030-01-01T00:00:00.000Z"); err != nil {
			t.Fatal(err)
		}
		if err := raw.Close(); err != nil {
			t.Fatal(err)
		}
		before := snapshotDir(t, dir)

		db2, err := data.Open(path)
		if err == nil {
			db2.Close()
			t.Fatal("Open of a newer database succeeded")
		}
		wantCode(t, err, app.ECONFLICT)
		if db2 != nil {
			t.Errorf("Open returned a DB with the error")
		}
		if !strings.Contains(err.Error(), strconv.Itoa(future)) {
			t.Errorf("error %q does not name the database's schema %d", err, future)
		}
		after := snapshotDir(t, dir)
		if len(after) != len(before) {
			t.Errorf("files after refused Open: %v, before: %v", sortedNames(after), sortedNames(before))
		}
		for name, b := range before {
			if !bytes.Equal(after[name], b) {
				t.Errorf("%s changed by a refused Open (%d bytes, was %d)", name, len(after[name]), len(b))
			}
		}
		raw = rawDB(t, path)
		var n, maxV int
		if err := raw.QueryRow(`SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &maxV); err != nil {
			t.Fatal(err)
		}
		if n != len(migrationFiles(t))+1 || maxV != future {
			t.Errorf("schema_migrations: %d rows, max %d after refused Open", n, maxV)
		}
		if err := raw.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&n); err != nil || n != 1 {
			t.Errorf("cases after refused Open: %d, %v", n, err)
		}
	})

	t.Run("PathCharacters", func(t *testing.T) {
		// The path is a file name, not a URI: characters that mean
		// something in a URI (#, %, ?) must not send the data elsewhere.
		for _, name := range []string{"med mellanslag", "Åsa Öberg", "BUP #2", "100%41", "fråga?x=1&y"} {
			t.Run(name, func(t *testing.T) {
				parent := t.TempDir()
				path := filepath.Join(parent, name, "arendestod.db")
				db, err := data.Open(path)
				if err != nil {
					t.Fatalf("Open(%q): %v", path, err)
				}
				setClock(db, testNow)
				if err := db.SetSetting(ctx, "mottagning", "BUP Testköping"); err != nil {
					t.Fatal(err)
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(path); err != nil {
					t.Fatalf("the database is not at %q: %v", path, err)
				}
				entries, _ := os.ReadDir(parent)
				if len(entries) != 1 || entries[0].Name() != name {
					t.Errorf("files beside the folder: %v, want only %q", entries, name)
				}
				db = mustOpenAt(t, path)
				if v, err := db.Setting(ctx, "mottagning"); err != nil || v != "BUP Testköping" {
					t.Errorf("setting after reopen = %q, %v", v, err)
				}
			})
		}
	})

	t.Run("ErrNotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arendestod.db")
		junk := bytes.Repeat([]byte("inte en databas "), 512)
		if err := os.WriteFile(path, junk, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := data.Open(path)
		if err == nil {
			db.Close()
			t.Fatal("Open of a file that is not a database succeeded")
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, junk) {
			t.Errorf("the file was changed by a failed Open")
		}
	})
}

// snapshotDir reads every file in dir.
func snapshotDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The clock is the injected one: stored times come from db.Now, not the
// machine's time.
func TestNowIsInjected(t *testing.T) {
	db := MustOpenDB(t)
	at := time.Date(2027, time.March, 25, 14, 30, 0, 0, app.Stockholm)
	setClock(db, at)
	c := mustCreate(t, db, newCase(db, app.TypeEgenremiss, sthlm(2027, 3, 25, 14, 0)))
	evs := mustEvents(t, db, c.ID)
	if len(evs) != 1 || !evs[0].At.Equal(at) {
		t.Fatalf("received event %+v, want at %v", evs, at)
	}
}
