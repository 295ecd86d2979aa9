package cli_test

// Who is who (issue 13 item 9): ARENDESTOD_USER must name a known, active
// staff member, and the OS user is logged beside it; on a team database
// the login decides who the command line and the window act as.

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/user"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
	"arendestod/ui/cli"
)

const (
	whoA = "SE1111111111-TEST0001"
	whoB = "SE1111111111-TEST0002"
)

func osName(t *testing.T) string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Skip("no OS user:", err)
	}
	return u.Username
}

// auditRows reads the access log at db.
func auditRows(t *testing.T, db string) []app.AuditEntry {
	t.Helper()
	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.AuditEntries(context.Background(), app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestEnvUserMustBeKnownActiveStaff(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	h.ok("--db", db, "staff", "add", "--name", "Åsa Öberg", "--hsa-id", whoA, "--role", "sjukskoterska")
	h.ok("--db", db, "staff", "add", "--name", "Erik Ek", "--hsa-id", whoB, "--role", "lakare")
	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.StaffByHSAID(context.Background(), whoB)
	b.Active = false
	if err := s.UpdateStaff(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	s.Close()

	for _, tc := range []struct{ user, want string }{
		{"SE1111111111-TEST0099", "det finns ingen personal med HSA-ID SE1111111111-TEST0099"},
		{whoB, "är inte aktiv"},
		{"inte-ett-id", "det finns ingen personal"},
	} {
		h.env[cli.EnvUser] = tc.user
		for _, args := range [][]string{{"cases"}, {"senders", "allow", "example.se"}, {"case", "add", "--type", "vab-under-12", "--received", "2026-12-23 10:00"}} {
			r := h.run(append([]string{"--db", db}, args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
				t.Errorf("%s=%s %v: exit %d, stdout %q, stderr %q; want 2 and one line with %q", cli.EnvUser, tc.user, args, r.code, r.stdout, r.stderr, tc.want)
			}
		}
	}
	if n := len(auditRows(t, db)); n != 0 {
		t.Errorf("refused runs wrote %d access-log rows", n)
	}

	// A known, active member: the actor is the HSA-ID, the OS user beside it.
	h.env[cli.EnvUser] = " " + strings.ToLower(whoA) + " "
	h.ok("--db", db, "senders", "allow", "example.se")
	h.ok("--db", db, "case", "add", "--type", "vab-under-12", "--received", "2026-12-23 10:00")
	// Without it: cli: and the OS user, as always, and nothing beside.
	delete(h.env, cli.EnvUser)
	h.ok("--db", db, "senders", "allow", "example.org")

	rows := auditRows(t, db)
	if len(rows) != 2 {
		t.Fatalf("%d access-log rows: %+v", len(rows), rows)
	}
	me := osName(t)
	if rows[0].Actor != whoA || !strings.Contains(rows[0].Detail, "datorkonto "+me) {
		t.Errorf("as %s: actor %q, detail %q; want the HSA-ID and the OS user %s", whoA, rows[0].Actor, rows[0].Detail, me)
	}
	if rows[1].Actor != "cli:"+me || strings.Contains(rows[1].Detail, "datorkonto") {
		t.Errorf("without %s: actor %q, detail %q", cli.EnvUser, rows[1].Actor, rows[1].Detail)
	}
	// The audit filter by actor finds the member's row.
	code, out, _ := runAdmin(t, "--db", db, "audit", "verify")
	if code != 0 {
		t.Errorf("audit verify: %d %s", code, out)
	}
	cs := h.casesJSON(db, true)
	if len(cs) != 1 {
		t.Fatalf("cases: %+v", cs)
	}
	s, err = data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	evs, err := s.Events(context.Background(), cs[0].ID)
	if err != nil || len(evs) == 0 || evs[0].Actor != whoA {
		t.Errorf("the case's first event: %+v, %v", evs, err)
	}
	if got, err := s.AuditEntries(context.Background(), app.AuditFilter{Actor: whoA}); err != nil || len(got) != 1 {
		t.Errorf("audit rows by actor %s: %d, %v", whoA, len(got), err)
	}
}

// loginURL is db's URL with user as its login.
func loginURL(t *testing.T, db, login string) string {
	t.Helper()
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(login)
	return u.String()
}

func TestTeamLoginDecidesWhoActs(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	pid := strconv.Itoa(os.Getpid())
	loginA, loginB, script := "who_a_"+pid, "who_b_"+pid, "who_script_"+pid
	for _, q := range []string{
		`CREATE ROLE arendestod_owner LOGIN`, `CREATE ROLE arendestod_app`,
	} {
		srv.Exec(ctx, q) // exists already: fine
	}
	for _, r := range []string{loginA, loginB, script} {
		if err := srv.Exec(ctx, `CREATE ROLE `+r+` LOGIN IN ROLE arendestod_app`); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Exec(context.Background(), `DROP ROLE IF EXISTS `+r) })
	}
	name := "whocli_" + pid + "_" + strconv.FormatInt(time.Now().UnixNano()%1e9, 10)
	if err := srv.CreateDatabase(ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name)
		srv.DropDatabase(context.Background(), name)
	})
	if err := srv.Exec(ctx, `ALTER DATABASE `+name+` OWNER TO arendestod_owner`); err != nil {
		t.Fatal(err)
	}
	owner := loginURL(t, srv.URL(name), "arendestod_owner")

	h := newHarness(t)
	// The owner's first start makes the schema; it adds the staff and
	// maps their logins (README: Server).
	h.ok("--db", owner, "staff", "add", "--name", "Åsa Öberg", "--hsa-id", whoA, "--role", "sjukskoterska")
	h.ok("--db", owner, "staff", "add", "--name", "Erik Ek", "--hsa-id", whoB, "--role", "lakare")
	roles, err := os.ReadFile("../../data/server_roles.sql")
	if err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ hsa, login string }{{whoA, loginA}, {whoB, loginB}} {
		if err := s.SetStaffLogin(ctx, m.hsa, m.login); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	asOwner, err := data.Open(owner)
	if err != nil {
		t.Fatal(err)
	}
	defer asOwner.Close()
	// server_roles.sql, run in the database as the owner.
	rawOwner, err := sql.Open("pgx", owner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rawOwner.Exec(string(roles)); err != nil {
		t.Fatalf("server_roles.sql: %v", err)
	}
	rawOwner.Close()

	me := osName(t)
	urlA, urlB, urlScript := loginURL(t, srv.URL(name), loginA), loginURL(t, srv.URL(name), loginB), loginURL(t, srv.URL(name), script)

	// A script's login (mapped to no one) runs every command as cli:LOGIN.
	h.ok("--db", urlScript, "case", "add", "--type", "vab-under-12", "--received", "2026-12-23 10:00")
	h.ok("--db", urlScript, "cases")
	h.ok("--db", urlScript, "senders", "allow", "script.example")
	// … but cannot open the window.
	h.env["DISPLAY"] = ":0"
	var signedIn []string
	h.window = func(_ context.Context, _ cli.Store, w *cli.Window) error {
		signedIn = append(signedIn, w.Login)
		return nil
	}
	if r := h.run("--db", urlScript); r.code == 0 || !strings.Contains(r.stderr, "kan inte öppna fönstret") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("the window on a script's login: exit %d, %q", r.code, r.stderr)
	}
	// Nor may it name a staff member.
	h.env[cli.EnvUser] = whoA
	if r := h.run("--db", urlScript, "cases"); r.code != 2 || !strings.Contains(r.stderr, "kommandona körs som cli:"+script) {
		t.Errorf("%s with a script's login: exit %d, %q", cli.EnvUser, r.code, r.stderr)
	}

	// A's login acts as A: the window signs in as A, "Vem arbetar?" is
	// not asked; a command acts as A with the OS user beside.
	h.env[cli.EnvUser] = whoB
	if r := h.run("--db", urlA, "cases"); r.code != 2 || !strings.Contains(r.stderr, "är inte den som databasinloggningen "+loginA+" hör till") {
		t.Errorf("%s=B on A's login: exit %d, %q", cli.EnvUser, r.code, r.stderr)
	}
	delete(h.env, cli.EnvUser)
	h.ok("--db", urlA)
	h.ok("--db", urlA, "senders", "allow", "a.example")
	if len(signedIn) != 1 || signedIn[0] != whoA {
		t.Errorf("the window on A's login signed in as %v, want %s", signedIn, whoA)
	}

	// The owner (not bound by the server) may name a staff member.
	h.env[cli.EnvUser] = whoB
	h.ok("--db", owner, "senders", "allow", "owner.example")
	delete(h.env, cli.EnvUser)
	h.ok("--db", owner, "senders", "allow", "owner2.example")

	// B, disabled in the staff list, is refused by the command line.
	b, _ := asOwner.StaffByHSAID(ctx, whoB)
	b.Active = false
	if err := asOwner.UpdateStaff(ctx, b); err != nil {
		t.Fatal(err)
	}
	if r := h.run("--db", urlB, "cases"); r.code != 2 || !strings.Contains(r.stderr, "inte är aktiv") {
		t.Errorf("B's login, B inactive: exit %d, %q", r.code, r.stderr)
	}
	if r := h.run("--db", urlB); r.code == 0 {
		t.Errorf("the window on B's login, B inactive: exit %d, %q", r.code, r.stderr)
	}

	rows, err := asOwner.AuditEntries(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ actor, os string }
	var got []row
	for _, e := range rows {
		r := row{actor: e.Actor}
		if strings.Contains(e.Detail, "datorkonto "+me) {
			r.os = me
		}
		got = append(got, r)
	}
	want := []row{{"cli:" + script, me}, {whoA, me}, {whoB, me}, {"cli:arendestod_owner", me}}
	if len(got) != len(want) {
		t.Fatalf("access log %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i+1, got[i], want[i])
		}
	}
	cs, _, err := asOwner.Cases(ctx, app.CaseFilter{View: app.ViewAll})
	if err != nil || len(cs) != 1 {
		t.Fatalf("cases: %d, %v", len(cs), err)
	}
	if evs, err := asOwner.Events(ctx, cs[0].ID); err != nil || evs[0].Actor != "cli:"+script {
		t.Errorf("the script's case: %+v, %v", evs, err)
	}
	if bad, err := asOwner.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Errorf("VerifyAudit: %d, %v", bad, err)
	}
}
