package data_test

// Who is who (issue 13 item 9): on a team database each staff member
// connects with a login of their own, and the server refuses a row that
// names anyone else.

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// On either backend the store keeps the mapping staff ↔ login; on SQLite
// nobody is logged in.
func TestStaffLoginMapping(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	for _, h := range []string{hsaMe, hsaOther} {
		if err := db.AddStaff(ctx, &app.Staff{HSAID: h, Name: "Åsa Öberg", Roles: []app.Role{app.RoleSjukskoterska}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetStaffLogin(ctx, hsaMe, "asa.oberg"); err != nil {
		t.Fatal(err)
	}
	s, err := db.StaffByHSAID(ctx, hsaMe)
	if err != nil || s.DBLogin != "asa.oberg" {
		t.Fatalf("StaffByHSAID: %+v, %v", s, err)
	}
	if err := db.SetStaffLogin(ctx, hsaOther, "asa.oberg"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the same login for two: %v", err)
	}
	for _, bad := range []string{"Åsa", "1abc", "pg_x", "a b", "x;drop"} {
		if err := db.SetStaffLogin(ctx, hsaOther, bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("login %q: %v", bad, err)
		}
	}
	if err := db.SetStaffLogin(ctx, "SE1111111111-TEST0099", "nobody"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown staff: %v", err)
	}
	if err := db.SetStaffLogin(ctx, hsaMe, ""); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.StaffByHSAID(ctx, hsaMe); s.DBLogin != "" {
		t.Errorf("mapping not removed: %q", s.DBLogin)
	}
	id, err := db.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if onPG() {
		// The tests connect as the server's superuser: mapped to no one,
		// and not bound by the server's checks.
		if id.Login != pgtest.Superuser || id.Staff != nil || !id.Unbound {
			t.Errorf("WhoAmI on the test server: %+v", id)
		}
	} else if id.Team() || id.Staff != nil {
		t.Errorf("WhoAmI on SQLite: %+v", id)
	}
}

// teamServer is a database on the shared test server set up as the README
// says: owned by arendestod_owner, which made the schema, and the grants
// of server_roles.sql. It returns the server, the database's name and a
// store opened as the owner.
func teamServer(t *testing.T) (*pgtest.Server, string, *data.DB) {
	t.Helper()
	srv := pgtest.Shared(t)
	ctx := context.Background()
	ensureRole(t, srv, "arendestod_owner")
	ensureRole(t, srv, "arendestod_app")
	name := "who_" + strconv.Itoa(os.Getpid()) + "_" + strconv.FormatInt(time.Now().UnixNano()%1e9, 10)
	if err := srv.CreateDatabase(ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DropDatabase(context.Background(), name) })
	if err := srv.Exec(ctx, `ALTER DATABASE `+name+` OWNER TO arendestod_owner`); err != nil {
		t.Fatal(err)
	}
	owner := roleURL(srv, name, "arendestod_owner", "")
	db, err := data.Open(owner)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return testNow }
	execFile(t, owner, "server_roles.sql")
	return srv, name, db
}

// appLogin makes role a login with the application's rights.
func appLogin(t *testing.T, srv *pgtest.Server, role string) {
	t.Helper()
	ensureRole(t, srv, role)
	if err := srv.Exec(context.Background(), `GRANT arendestod_app TO `+role); err != nil {
		t.Fatal(err)
	}
}

func openAs(t *testing.T, srv *pgtest.Server, name, role string) *data.DB {
	t.Helper()
	db, err := data.Open(roleURL(srv, name, role, ""))
	if err != nil {
		t.Fatalf("open as %s: %v", role, err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return testNow }
	return db
}

// refusedBy reports whether err is the server's refusal of a row in
// another's name or of a mapping: ECONFLICT, said in Swedish.
func refusedBy(err error, word string) bool {
	return err != nil && app.ErrorCode(err) == app.ECONFLICT && strings.Contains(app.ErrorMessage(err), word)
}

func TestPGLoginsBindTheActor(t *testing.T) {
	srv, name, owner := teamServer(t)
	ctx := context.Background()
	for _, r := range []string{"who_a", "who_b", "who_script"} {
		appLogin(t, srv, r)
	}
	for _, s := range []struct{ hsa, login string }{{hsaMe, "who_a"}, {hsaOther, "who_b"}} {
		if err := owner.AddStaff(ctx, &app.Staff{HSAID: s.hsa, Name: "Åsa Öberg", Roles: []app.Role{app.RoleSjukskoterska}}); err != nil {
			t.Fatal(err)
		}
		if err := owner.SetStaffLogin(ctx, s.hsa, s.login); err != nil {
			t.Fatal(err)
		}
	}
	c := mustCreate(t, owner, newCase(owner, app.TypeVABUnder12, sthlm(2026, 11, 30, 9, 0)))

	// The owner is not bound, and mapped to no one.
	if id, err := owner.WhoAmI(ctx); err != nil || id.Login != "arendestod_owner" || id.Staff != nil || !id.Unbound {
		t.Errorf("owner: %+v, %v", id, err)
	}

	a := openAs(t, srv, name, "who_a")
	id, err := a.WhoAmI(ctx)
	if err != nil || id.Login != "who_a" || id.Staff == nil || id.Staff.HSAID != hsaMe || id.Unbound || !id.Team() {
		t.Fatalf("who_a: %+v, %v", id, err)
	}
	// A desk connected as A writes as A, or as the system (intake).
	for _, actor := range []string{hsaMe, app.ActorSystem} {
		if err := a.Audit(ctx, app.AuditEntry{Actor: actor, Action: app.AuditView, CaseID: c.ID}); err != nil {
			t.Errorf("A writes as %s: %v", actor, err)
		}
	}
	// … never as B, nor as a script.
	for _, actor := range []string{hsaOther, "cli:who_a", "cli:who_b"} {
		err := a.Audit(ctx, app.AuditEntry{Actor: actor, Action: app.AuditView, CaseID: c.ID})
		if !refusedBy(err, "får inte skriva i namnet "+actor) {
			t.Errorf("A wrote an audit row as %s: %v", actor, err)
		}
	}
	// Nor a case's history in B's name.
	_, err = a.UpdateCase(ctx, c.ID, hsaOther, func(c *app.Case) ([]app.Event, error) {
		return c.AddNote("Ringer i morgon.", hsaOther, testNow)
	})
	if !refusedBy(err, "får inte skriva") {
		t.Errorf("A wrote a note as B: %v", err)
	}
	if _, err := a.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
		return c.AddNote("Ringer i morgon.", hsaMe, testNow)
	}); err != nil {
		t.Errorf("A's own note: %v", err)
	}

	// A cannot remap itself to B, nor take B's HSA-ID.
	if err := a.SetStaffLogin(ctx, hsaOther, ""); !refusedBy(err, "CREATEROLE") {
		t.Errorf("A removed B's mapping: %v", err)
	}
	raw := openPGTestRaw(t, roleURL(srv, name, "who_a", ""))
	for _, q := range []string{
		`UPDATE staff SET db_login = 'who_a' WHERE hsa_id = '` + hsaOther + `'`,
		`UPDATE staff SET hsa_id = 'SE1111111111-TEST0009' WHERE hsa_id = '` + hsaOther + `'`,
		`INSERT INTO staff (hsa_id, name, db_login) VALUES ('SE1111111111-TEST0008', 'X', 'who_script')`,
	} {
		if _, err := raw.Exec(q); pgSQLState(err) != "AR002" {
			t.Errorf("%s: %v, want refused (AR002)", q, err)
		}
	}
	// A temporary table called staff does not stand in for the real one.
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE staff (hsa_id text, db_login text, active integer)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO pg_temp.staff VALUES ('`+hsaOther+`', 'who_a', 1)`); err != nil {
		t.Fatal(err)
	}
	_, err = conn.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, prev_hash, hash) VALUES ('2026-12-01T09:00:00.000Z', $1, 'visa', '', 'x')`, hsaOther)
	if pgSQLState(err) != "AR001" {
		t.Errorf("a row as B through a temporary staff table: %v", err)
	}

	// A login mapped to no one acts as cli:LOGIN (or the system) only.
	script := openAs(t, srv, name, "who_script")
	if id, err := script.WhoAmI(ctx); err != nil || id.Login != "who_script" || id.Staff != nil || id.Unbound {
		t.Errorf("who_script: %+v, %v", id, err)
	}
	if err := script.Audit(ctx, app.AuditEntry{Actor: app.LoginActor("who_script"), Action: app.AuditView}); err != nil {
		t.Errorf("script as itself: %v", err)
	}
	if err := script.CreateCase(ctx, newCase(script, app.TypeVABUnder12, sthlm(2026, 11, 30, 10, 0)), app.LoginActor("who_script")); err != nil {
		t.Errorf("script adds a case: %v", err)
	}
	if err := script.Audit(ctx, app.AuditEntry{Actor: hsaMe, Action: app.AuditView}); !refusedBy(err, "hör inte till någon i personalen") {
		t.Errorf("script wrote as A: %v", err)
	}

	// An inactive staff member's login writes nothing in their name.
	s, _ := owner.StaffByHSAID(ctx, hsaOther)
	s.Active = false
	if err := owner.UpdateStaff(ctx, s); err != nil {
		t.Fatal(err)
	}
	b := openAs(t, srv, name, "who_b")
	if err := b.Audit(ctx, app.AuditEntry{Actor: hsaOther, Action: app.AuditView}); !refusedBy(err, "inte är aktiv") {
		t.Errorf("inactive B wrote: %v", err)
	}

	if bad, err := owner.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Errorf("VerifyAudit: %d, %v", bad, err)
	}
	// What was written names who wrote it.
	rows, err := owner.AuditEntries(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	actors := map[string]bool{}
	for _, e := range rows {
		actors[e.Actor] = true
	}
	for _, x := range []string{hsaOther, "cli:who_a", "cli:who_b"} {
		if actors[x] {
			t.Errorf("the log holds a row as %s", x)
		}
	}
}

// An administrator's login with CREATEROLE creates a login for a new staff
// member and disables it; the password reaches the server as a SCRAM
// verifier, with which the login then connects.
func TestPGCreateAndDisableLogin(t *testing.T) {
	srv, name, owner := teamServer(t)
	ctx := context.Background()
	appLogin(t, srv, "who_admin")
	appLogin(t, srv, "who_plain")
	if err := srv.Exec(ctx, `ALTER ROLE who_admin CREATEROLE`); err != nil {
		t.Fatal(err)
	}
	login := "who_new_" + strconv.Itoa(os.Getpid())
	srv.Exec(ctx, `DROP ROLE IF EXISTS `+login)
	t.Cleanup(func() { srv.Exec(context.Background(), `DROP ROLE IF EXISTS `+login) })
	// This login, and only it, must give its password over TCP.
	hba := filepath.Join(srv.DataDir, "pg_hba.conf")
	b, err := os.ReadFile(hba)
	if err != nil {
		t.Fatal(err)
	}
	line := "host all " + login + " 127.0.0.1/32 scram-sha-256\n"
	if !strings.Contains(string(b), line) {
		if err := os.WriteFile(hba, append([]byte(line), b...), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := srv.Exec(ctx, `SELECT pg_reload_conf()`); err != nil {
			t.Fatal(err)
		}
	}
	if err := owner.AddStaff(ctx, &app.Staff{HSAID: hsaMe, Name: "Åsa Öberg", Roles: []app.Role{app.RoleSjukskoterska}}); err != nil {
		t.Fatal(err)
	}

	const secret = "Rätt-lösen-31415"
	plain := openAs(t, srv, name, "who_plain")
	if err := plain.CreateLogin(ctx, login, secret); !refusedBy(err, "CREATEROLE") {
		t.Errorf("a login without CREATEROLE made a login: %v", err)
	}
	admin := openAs(t, srv, name, "who_admin")
	if err := admin.CreateLogin(ctx, login, "kort"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("short password: %v", err)
	}
	if err := admin.CreateLogin(ctx, login, secret); err != nil {
		t.Fatal(err)
	}
	if err := admin.CreateLogin(ctx, login, secret); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the same login twice: %v", err)
	}
	if err := admin.SetStaffLogin(ctx, hsaMe, login); err != nil {
		t.Fatalf("the administrator maps the login: %v", err)
	}
	// The server keeps a SCRAM verifier, not the password.
	var stored string
	if err := openPGTestRaw(t, srv.URL(name)).QueryRow(`SELECT rolpassword FROM pg_authid WHERE rolname = $1`, login).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "SCRAM-SHA-256$4096:") || strings.Contains(stored, secret) {
		t.Errorf("stored password %q", stored)
	}

	// The reload of pg_hba.conf takes effect within moments.
	deadline := time.Now().Add(10 * time.Second)
	for {
		db, err := data.Open(roleURL(srv, name, login, "Fel-lösen-27182"))
		if db != nil {
			db.Close()
		}
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a wrong password was accepted: the server does not check passwords")
		}
		time.Sleep(50 * time.Millisecond)
	}
	db, err := data.Open(roleURL(srv, name, login, secret))
	if err != nil {
		t.Fatalf("the new login with its password: %v", err)
	}
	id, err := db.WhoAmI(ctx)
	if err != nil || id.Staff == nil || id.Staff.HSAID != hsaMe {
		t.Errorf("the new login: %+v, %v", id, err)
	}
	if err := db.Audit(ctx, app.AuditEntry{Actor: hsaMe, Action: app.AuditView}); err != nil {
		t.Errorf("the new login writes as its staff member: %v", err)
	}
	db.Close()

	if err := admin.SetLoginEnabled(ctx, login, false); err != nil {
		t.Fatal(err)
	}
	if db, err := data.Open(roleURL(srv, name, login, secret)); err == nil {
		db.Close()
		t.Error("a disabled login connected")
	}
	if err := admin.SetLoginEnabled(ctx, login, true); err != nil {
		t.Fatal(err)
	}
	if db, err := data.Open(roleURL(srv, name, login, secret)); err != nil {
		t.Errorf("enabled again: %v", err)
	} else {
		db.Close()
	}
	if err := admin.SetLoginEnabled(ctx, "who_nobody", false); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("an unknown login: %v", err)
	}
}

func openPGTestRaw(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
