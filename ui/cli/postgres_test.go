package cli_test

// The command line on PostgreSQL (issue 11): `--db postgres://…` or
// ARENDESTOD_DB selects the server, and the contract commands print
// exactly what they print on SQLite.

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/data"
	"arendestod/data/pgtest"
	"arendestod/ui/cli"
)

// The command line's own test of a server URL agrees with the store's.
func TestIsServerDB(t *testing.T) {
	for _, s := range []string{"postgres://h/db", "postgresql://u@h/db", "POSTGRES://h", "/tmp/a.db", "postgres", "postgres:/x",
		"./postgres://x", "", "C:\\data\\a.db"} {
		if app.IsServerDB(s) != data.IsPostgresURL(s) {
			t.Errorf("%q: command line %v, store %v", s, app.IsServerDB(s), data.IsPostgresURL(s))
		}
	}
}

// backends returns a fresh SQLite file and a fresh PostgreSQL database.
func backends(t *testing.T) []struct{ name, db string } {
	t.Helper()
	return []struct{ name, db string }{{"SQLite", tempDB(t)}, {"PostgreSQL", pgtest.DB(t)}}
}

// The same commands on both backends print the same, byte for byte:
// staff, case add (and a refused duplicate), cases --json with and
// without --all, quarantine, audit verify.
func TestPostgresSameOutput(t *testing.T) {
	pgtest.Need(t)
	h := newHarness(t)
	type step struct {
		args []string
		env  bool // the database from ARENDESTOD_DB instead of --db
	}
	steps := []step{
		{args: []string{"staff", "add", "--name", "Åsa Öberg", "--hsa-id", "SE1111111111-TEST0001", "--role", "sjukskoterska", "--role", "ansvarig"}},
		{args: []string{"staff", "add", "--name", "Erik Ek", "--hsa-id", "SE1111111111-TEST0002", "--role", "lakare"}},
		{args: []string{"staff", "add", "--name", "Dubblett", "--hsa-id", "SE1111111111-TEST0002", "--role", "lakare"}},
		{args: []string{"staff", "list", "--json"}},
		{args: []string{"case", "add", "--type", "vab-under-12", "--received", "2026-12-23T10:00:00+01:00"}},
		{args: []string{"case", "add", "--type", "fornya-recept", "--received", "2026-12-28 08:15", "--unit", "BUP Lysekil", "--reference", "2026-1200001"}},
		{args: []string{"case", "add", "--type", "journalkopia", "--received", "2026-12-28 08:20", "--reference", "2026-1200001"}},
		{args: []string{"case", "add", "--type", "egenremiss", "--received", "2026-12-27 23:59", "--unit", "BUP Åmål"}, env: true},
		{args: []string{"cases", "--json"}},
		{args: []string{"cases", "--json", "--all"}, env: true},
		{args: []string{"cases"}},
		{args: []string{"quarantine", "--json"}},
	}
	outs := map[string][]result{}
	for _, b := range backends(t) {
		for _, s := range steps {
			args := append([]string{"--db", b.db}, s.args...)
			delete(h.env, "ARENDESTOD_DB")
			if s.env {
				args = s.args
				h.env["ARENDESTOD_DB"] = b.db
			}
			outs[b.name] = append(outs[b.name], h.run(args...))
		}
		code, out, errs := runAdmin(t, "--db", b.db, "audit", "verify")
		outs[b.name] = append(outs[b.name], result{code, out, errs})
	}
	for i, lite := range outs["SQLite"] {
		pg := outs["PostgreSQL"][i]
		if pg != lite {
			t.Errorf("step %d differs:\nSQLite:     %+v\nPostgreSQL: %+v", i, lite, pg)
		}
	}
	// And the runs did what they say (not two identical failures).
	if r := outs["PostgreSQL"][9]; r.code != 0 || strings.Count(r.stdout, `"id"`) != 3 {
		t.Errorf("cases --json --all on PostgreSQL: %+v", r)
	}
	if r := outs["PostgreSQL"][6]; r.code == 0 || !strings.Contains(r.stderr, "2026-1200001") {
		t.Errorf("duplicate reference on PostgreSQL: %+v", r)
	}
	if r := outs["PostgreSQL"][2]; r.code == 0 || !strings.Contains(r.stderr, "finns redan personal") {
		t.Errorf("duplicate staff on PostgreSQL: %+v", r)
	}
}

// pgSuper opens a connection to the database at u as the test server's
// superuser, as a database administrator would with psql.
func pgSuper(t *testing.T, u string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// audit verify on PostgreSQL: whole, then refused edits, then an edit by
// someone who disabled the trigger as superuser: exit 1 naming the row.
func TestAuditVerifyPostgres(t *testing.T) {
	u := pgtest.DB(t)
	db, err := data.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	pnr := app.Personnummer("201903129813") // test series
	for i, action := range []string{"visa", "ändra", "skriv-ut"} {
		if err := db.Audit(context.Background(), app.AuditEntry{Actor: "SE2321000131-P000000000001", Unit: "BUP Uddevalla",
			Patient: pnr, CaseID: int64(i + 1), Action: action}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if code, out, errs := runAdmin(t, "--db", u, "audit", "verify"); code != 0 || out != "Åtkomstloggen är obruten.\n" {
		t.Fatalf("intact log: exit %d, %q %q", code, out, errs)
	}
	admin := pgSuper(t, u)
	for _, q := range []string{`UPDATE audit_log SET action = 'x' WHERE id = 2`, `DELETE FROM audit_log WHERE id = 2`, `TRUNCATE audit_log`} {
		if _, err := admin.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v, want the trigger's refusal", q, err)
		}
	}
	if _, err := admin.Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`UPDATE audit_log SET actor = 'SE2321000131-P000000000009' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	// The edited row, and (issue 13) the disabled trigger too.
	code, out, errs := runAdmin(t, "--db", u, "audit", "verify")
	if code != 1 || out != "" || errs != "arendestod: Åtkomstloggen är ändrad utanför programmet: första brutna rad är nr 2.\n"+
		"arendestod: Skyddet mot ändringar i audit_log är avstängt: triggern audit_log_no_update är inaktiverad.\n" {
		t.Fatalf("edited log: exit %d, %q %q; want 1 naming row 2 and the trigger", code, out, errs)
	}
}

// backup --out on PostgreSQL runs pg_dump (custom format); the password
// reaches it in its environment only, never its command line. restore is
// refused with one line pointing to pg_restore.
func TestBackupRestorePostgres(t *testing.T) {
	const secret = "hemligt-lösen-7"
	u := pgtest.DB(t)
	pu, _ := url.Parse(u)
	pu.User = url.UserPassword(pu.User.Username(), secret) // the test server trusts local connections
	withPW := pu.String()
	db, err := data.Open(withPW)
	if err != nil {
		t.Fatal(err)
	}
	c := app.NewCase(app.TypeJournalkopia, time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm), db.Calendar())
	if err := db.CreateCase(context.Background(), c, "test"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	t.Run("PgDump", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "team.dump")
		code, stdout, errs := runAdmin(t, "--db", withPW, "backup", "--out", out)
		if code != 0 || stdout != "Säkerhetskopia sparad: "+out+"\n" {
			t.Fatalf("backup: exit %d %q %q", code, stdout, errs)
		}
		b, err := os.ReadFile(out)
		if err != nil || !strings.HasPrefix(string(b), "PGDMP") {
			t.Fatalf("not a pg_dump custom archive: %v %.10q", err, b)
		}
		if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
		if code, _, errs := runAdmin(t, "--db", withPW, "backup", "--out", out); code != 1 || !strings.Contains(errs, "finns redan") {
			t.Errorf("backup over an existing file: exit %d %q", code, errs)
		}
	})

	t.Run("PasswordOnlyInEnvironment", func(t *testing.T) {
		// A stand-in pg_dump first on PATH writes down what it was given.
		bin := t.TempDir()
		script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + bin + "/argv\"\nprintf '%s' \"$PGPASSWORD\" > \"" + bin + "/pw\"\nprintf 'PGDMP'\n"
		if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out := filepath.Join(t.TempDir(), "x.dump")
		if code, _, errs := runAdmin(t, "--db", withPW, "backup", "--out", out); code != 0 {
			t.Fatalf("backup: exit %d %q", code, errs)
		}
		argv, _ := os.ReadFile(filepath.Join(bin, "argv"))
		pw, _ := os.ReadFile(filepath.Join(bin, "pw"))
		if strings.Contains(string(argv), "hemligt") || !strings.Contains(string(argv), "--format=custom") {
			t.Errorf("pg_dump's arguments: %q", argv)
		}
		if string(pw) != secret {
			t.Errorf("PGPASSWORD = %q, want the URL's password", pw)
		}
	})

	t.Run("Restore", func(t *testing.T) {
		code, out, errs := runAdmin(t, "--db", withPW, "restore", filepath.Join(t.TempDir(), "x.dump"))
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "pg_restore") || strings.Contains(errs, secret) {
			t.Errorf("restore: exit %d %q %q; want 1 and one line naming pg_restore", code, out, errs)
		}
	})
}

// sync --once into PostgreSQL makes the same cases as into SQLite, with
// the account on the command line and with the one saved in the
// database's settings.
func TestSyncOncePostgres(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	pgtest.Need(t)
	srv := startDemo(t, h.now, 30)
	acc := srv.Account()
	flags := []string{"sync", "--once", "--host", "127.0.0.1", "--port", strconv.Itoa(acc.Port),
		"--security", "plain", "--user", acc.Username, "--password-file", passwordFile(t, acc.Password)}
	var cases [][]cli.CaseJSON
	for _, b := range backends(t) {
		allowCorpusSender(h, b.db)
		if out := h.ok(append([]string{"--db", b.db}, flags...)...); out != summary(28, 2, 0, 0, 0) {
			t.Errorf("%s: sync printed %q", b.name, out)
		}
		if out := h.ok(append([]string{"--db", b.db}, flags...)...); out != summary(0, 0, 0, 0, 0) {
			t.Errorf("%s: second sync printed %q", b.name, out)
		}
		got := h.casesJSON(b.db, true)
		checkSeeded(t, got, srv, "")
		cases = append(cases, got)
	}
	if !reflect.DeepEqual(cases[0], cases[1]) {
		t.Errorf("cases differ:\nSQLite:     %+v\nPostgreSQL: %+v", cases[0], cases[1])
	}

	// The saved account, on a server: no file to look for first.
	u := pgtest.DB(t)
	store, err := data.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		app.SettingIMAPHost: "127.0.0.1", app.SettingIMAPPort: strconv.Itoa(acc.Port), app.SettingIMAPSecurity: "plain",
		app.SettingIMAPUser: acc.Username, app.SettingIMAPMailbox: "INBOX", app.SettingIMAPMarkSeen: "nej",
		app.SettingIMAPAssignee: demo.Owner,
	} {
		if err := store.SetSetting(t.Context(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	allowCorpusSender(h, u)
	h.env[cli.EnvIMAPPassword] = acc.Password
	if out := h.ok("--db", u, "sync", "--once"); out != summary(28, 2, 0, 0, 0) {
		t.Errorf("saved account: sync printed %q", out)
	}
	checkSeeded(t, h.casesJSON(u, true), srv, demo.Owner)
}

// stats and export recept on PostgreSQL: the SQLite tests' fixtures and
// assertions, on a server.
func TestStatsCommandJSONPostgres(t *testing.T)  { statsCommandJSON(t, pgtest.DB(t)) }
func TestStatsCommandFilesPostgres(t *testing.T) { statsCommandFiles(t, pgtest.DB(t)) }
func TestStatsCommandMorningChecksPostgres(t *testing.T) {
	statsCommandMorningChecks(t, pgtest.DB(t))
}
func TestExportReceptPostgres(t *testing.T) { exportReceptCommand(t, pgtest.DB(t)) }
