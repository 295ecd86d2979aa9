package data_test

// The access log on a server (issue 11 item 7): besides its trigger, the
// application's role set up as the README says (data/server_roles.sql) has
// no UPDATE, DELETE or TRUNCATE on it. And a password in the connection
// URL is used and never shown (item 1).

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// roleURL is the URL of database name on srv as role user (password pw,
// "" for none).
func roleURL(srv *pgtest.Server, name, user, pw string) string {
	u, _ := url.Parse(srv.URL(name))
	if pw != "" {
		u.User = url.UserPassword(user, pw)
	} else {
		u.User = url.User(user)
	}
	return u.String()
}

// ensureRole creates a login role on the server unless it exists (roles
// are the cluster's, shared by the package's tests).
func ensureRole(t *testing.T, srv *pgtest.Server, name string) {
	t.Helper()
	err := srv.Exec(context.Background(), `DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '`+name+`') THEN CREATE ROLE `+name+` LOGIN; END IF;
		END $$`)
	if err != nil && pgSQLState(err) != "23505" { // two creating at once
		t.Fatal(err)
	}
}

func pgSQLState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// execFile runs the SQL file at path on url.
func execFile(t *testing.T, dbURL, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(string(b)); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestAppRoleCannotChangeAuditLog(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	ensureRole(t, srv, "arendestod_owner")
	ensureRole(t, srv, "arendestod_app")
	name := "roles_" + strconv.Itoa(os.Getpid()) + "_" + strconv.FormatInt(time.Now().UnixNano()%1e9, 10)
	if err := srv.CreateDatabase(ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DropDatabase(context.Background(), name) })
	if err := srv.Exec(ctx, `ALTER DATABASE `+name+` OWNER TO arendestod_owner`); err != nil {
		t.Fatal(err)
	}
	owner := roleURL(srv, name, "arendestod_owner", "")
	appURL := roleURL(srv, name, "arendestod_app", "")

	// The owner's first start makes the schema; then the README's grants.
	db, err := data.Open(owner)
	if err != nil {
		t.Fatalf("open as owner: %v", err)
	}
	// The owner's first rows are old enough for the access log's
	// retention (issue 13 item 6), which the application then prunes.
	setClock(db, time.Date(2010, 3, 1, 9, 0, 0, 0, app.Stockholm))
	if err := db.Audit(ctx, app.AuditEntry{Actor: app.ActorSystem, Action: "visa", Detail: "gammal rad"}); err != nil {
		t.Fatal(err)
	}
	// The server lets a login write only in the name of the staff member
	// it is mapped to (issue 13 item 9): the owner maps this one.
	if err := db.AddStaff(ctx, &app.Staff{HSAID: hsaMe, Name: "Åsa Öberg", Roles: []app.Role{app.RoleSjukskoterska, app.RoleArendemottagare}, Active: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStaffLogin(ctx, hsaMe, "arendestod_app"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	execFile(t, owner, "server_roles.sql")

	// Ordinary work as the application.
	db, err = data.Open(appURL)
	if err != nil {
		t.Fatalf("open as the application's role: %v", err)
	}
	defer db.Close()
	db.Now = func() time.Time { return testNow }
	if err := db.AddStaff(ctx, &app.Staff{HSAID: hsaOther, Name: "Örjan Åberg", Roles: []app.Role{app.RoleSjukskoterska}, Active: true}); err != nil {
		t.Fatal(err)
	}
	c := mustCreate(t, db, newCase(db, app.TypeVABUnder12, sthlm(2026, 11, 30, 9, 0)))
	if _, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
		evs, err := c.Assign(hsaMe, hsaMe, testNow)
		if err != nil {
			return nil, err
		}
		more, err := c.AddNote("Ringer i morgon.", hsaMe, testNow)
		return append(evs, more...), err
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetOnDuty(ctx, testToday, hsaMe); err != nil {
		t.Fatal(err)
	}
	if err := db.Audit(ctx, app.AuditEntry{Actor: hsaMe, Action: "visa", CaseID: c.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IngestBatch(ctx, []app.Inbound{notice("<r@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "R-9", testNow)},
		&app.SyncState{Account: "a@h:993/INBOX", UIDValidity: 1, LastUID: 7}); err != nil {
		t.Fatal(err)
	}
	g, err := db.Gallra(ctx, testNow.AddDate(-3, 0, 0), "system")
	if err != nil {
		t.Fatalf("gallring as the application: %v", err)
	}
	// Without DELETE on the log, through the owner's audit_log_prune.
	if g.AccessLog == 0 {
		t.Errorf("gallring as the application removed no access-log rows: %+v", g)
	}
	if bad, err := db.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Fatalf("VerifyAudit: %d, %v", bad, err)
	}

	asApp, err := sql.Open("pgx", appURL)
	if err != nil {
		t.Fatal(err)
	}
	defer asApp.Close()
	asOwner, err := sql.Open("pgx", owner)
	if err != nil {
		t.Fatal(err)
	}
	defer asOwner.Close()
	refused := func(when string) {
		t.Helper()
		for _, q := range []string{`UPDATE audit_log SET detail = 'ändrad'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`,
			`UPDATE audit_prune SET up_to = 0`, `DELETE FROM audit_prune`, `TRUNCATE audit_prune`,
			`DELETE FROM schema_migrations`, `ALTER TABLE audit_log DISABLE TRIGGER USER`, `DROP TABLE audit_log`} {
			_, err := asApp.Exec(q)
			// 42501 insufficient_privilege: refused by the role's rights,
			// not by the trigger (P0001).
			if st := pgSQLState(err); st != "42501" {
				t.Errorf("%s, %s: %v (SQLSTATE %q), want refused for lack of privilege", when, q, err, st)
			}
		}
	}
	refused("triggers on")
	// Someone with the owner's keys turns the triggers off: the
	// application's role still may not touch the log.
	if _, err := asOwner.Exec(`ALTER TABLE audit_log DISABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	refused("triggers off")
	if _, err := asOwner.Exec(`ALTER TABLE audit_log ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	// What the application may do to the log: read it and add to it.
	var n int
	if err := asApp.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n == 0 {
		t.Errorf("read the log: %d, %v", n, err)
	}
	if bad, err := db.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Fatalf("VerifyAudit after: %d, %v", bad, err)
	}
}

// A URL with a password, against a server that checks it: the store
// connects with it, and a wrong one is said in Swedish without being shown.
func TestPasswordURLNeverShown(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	const role, secret = "arendestod_pw", "Rätt-lösen-2718"
	ensureRole(t, srv, role)
	if err := srv.Exec(ctx, `ALTER ROLE `+role+` PASSWORD '`+secret+`'`); err != nil {
		t.Fatal(err)
	}
	// This role, and only it, must give its password over TCP.
	hba := filepath.Join(srv.DataDir, "pg_hba.conf")
	b, err := os.ReadFile(hba)
	if err != nil {
		t.Fatal(err)
	}
	line := "host all " + role + " 127.0.0.1/32 scram-sha-256\n"
	if !strings.Contains(string(b), line) {
		if err := os.WriteFile(hba, append([]byte(line), b...), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := srv.Exec(ctx, `SELECT pg_reload_conf()`); err != nil {
			t.Fatal(err)
		}
	}
	name := "pw_" + strconv.Itoa(os.Getpid())
	srv.DropDatabase(ctx, name)
	if err := srv.CreateDatabase(ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DropDatabase(context.Background(), name) })
	if err := srv.Exec(ctx, `ALTER DATABASE `+name+` OWNER TO `+role); err != nil {
		t.Fatal(err)
	}
	const wrong = "Fel-lösen-1414"
	// The reload takes effect within moments.
	deadline := time.Now().Add(10 * time.Second)
	var openErr error
	for {
		var db *data.DB
		db, openErr = data.Open(roleURL(srv, name, role, wrong))
		if db != nil {
			db.Close()
		}
		if openErr != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if openErr == nil {
		t.Fatal("a wrong password was accepted: the server does not check passwords")
	}
	if msg := openErr.Error() + app.ErrorMessage(openErr); strings.Contains(msg, wrong) || !strings.Contains(msg, "lösenord") {
		t.Errorf("wrong password: %q", msg)
	}
	db, err := data.Open(roleURL(srv, name, role, secret))
	if err != nil {
		t.Fatalf("the right password: %v", err)
	}
	defer db.Close()
	if strings.Contains(db.Path(), secret) || !strings.Contains(db.Path(), role+"@127.0.0.1") {
		t.Errorf("Path() = %q", db.Path())
	}
	if err := db.SetSetting(ctx, app.SettingMottagningNamn, "BUP Testköping"); err != nil {
		t.Fatal(err)
	}
	// Without a password: refused, said in Swedish.
	if _, err := data.Open(roleURL(srv, name, role, "")); err == nil {
		t.Error("no password accepted")
	}
}

// The README quotes server_roles.sql as it is: one place for the SQL.
func TestREADMEQuotesServerRoles(t *testing.T) {
	roles, err := os.ReadFile("server_roles.sql")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```sql\n"+string(roles)+"```") {
		t.Error("README.md does not quote data/server_roles.sql as it is")
	}
}
