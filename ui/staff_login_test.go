package ui

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
	"arendestod/pdf"
)

// selectStaff selects the staff member with hsaID in Personal's list.
func (f *fixture) selectStaff(hsaID string) {
	f.t.Helper()
	st := f.u.staffs
	for i, s := range st.rows {
		if s.HSAID == hsaID {
			st.list.Select(i)
			f.settle()
			return
		}
	}
	f.t.Fatalf("no staff %s in the list", hsaID)
}

// On one desk there are no database logins: Personal shows no card.
func TestStaffLoginCardHiddenOnOneDesk(t *testing.T) {
	f := newFixture(t)
	f.selectTab("Personal")
	f.settle()
	f.selectStaff(hsaLars)
	if f.u.staffs.logins.box.Visible() {
		t.Error("the login card is shown on a database without logins")
	}
}

// The window given who works (the team database's login) never offers to
// choose someone else.
func TestGivenLoginNeverOffersAChoice(t *testing.T) {
	db := openDB(t)
	seedStaff(t, db)
	a := test.NewTempApp(t)
	u := newUI(context.Background(), a, Services{Store: db, Intyg: app.NewIntygService(db, pdf.Renderer{}),
		Now: func() time.Time { return testNow }, OSUser: "test", Login: "SE2321000131-P000000000099"})
	u.queued, u.debounce, u.coalesce = true, 0, 0
	u.start()
	if !u.settle() {
		t.Fatal("background work does not settle")
	}
	if u.me != nil || u.login.picker != nil {
		t.Fatalf("signed in as %v, picker %v", u.me, u.login.picker)
	}
	if u.login.notStaff == nil || !strings.Contains(u.login.notStaff.Text, "ingen aktiv personal") {
		t.Errorf("no message that the login is no active staff member")
	}
}

// On a team database an administrator whose login has CREATEROLE creates
// a login for a staff member from Personal, maps it, and disables it.
func TestStaffLoginCardCreatesAndDisables(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	pid := strconv.Itoa(os.Getpid())
	admin, lars := "ui_admin_"+pid, "ui_lars_"+pid
	srv.Exec(ctx, `CREATE ROLE arendestod_owner LOGIN`) // exists already: fine
	srv.Exec(ctx, `CREATE ROLE arendestod_app`)
	if err := srv.Exec(ctx, `CREATE ROLE `+admin+` LOGIN CREATEROLE IN ROLE arendestod_app`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Exec(context.Background(), `DROP ROLE IF EXISTS `+lars)
		srv.Exec(context.Background(), `DROP ROLE IF EXISTS `+admin)
	})
	name := "uilogin_" + pid
	srv.DropDatabase(ctx, name)
	if err := srv.CreateDatabase(ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DropDatabase(context.Background(), name) })
	if err := srv.Exec(ctx, `ALTER DATABASE `+name+` OWNER TO arendestod_owner`); err != nil {
		t.Fatal(err)
	}
	as := func(login string) string {
		u, _ := url.Parse(srv.URL(name))
		u.User = url.User(login)
		return u.String()
	}
	owner, err := data.Open(as("arendestod_owner"))
	if err != nil {
		t.Fatal(err)
	}
	seedStaff(t, owner)
	if err := owner.SetStaffLogin(ctx, hsaEva, admin); err != nil {
		t.Fatal(err)
	}
	owner.Close()
	roles, err := os.ReadFile("../data/server_roles.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", as("arendestod_owner"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(string(roles)); err != nil {
		t.Fatal(err)
	}

	db, err := data.Open(as(admin))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return testNow }
	f := &fixture{t: t, db: db, a: test.NewTempApp(t)}
	f.u = newUI(context.Background(), f.a, Services{Store: db, Intyg: app.NewIntygService(db, pdf.Renderer{}),
		Now: func() time.Time { return testNow }, OSUser: "test", Login: hsaEva})
	f.u.queued, f.u.debounce, f.u.coalesce = true, 0, 0
	f.u.start()
	f.settle()
	if f.u.me == nil || f.u.me.HSAID != hsaEva {
		t.Fatalf("not signed in as the login's staff member: %+v", f.u.me)
	}
	f.selectTab("Personal")
	f.settle()
	f.selectStaff(hsaLars)
	c := f.u.staffs.logins
	if !c.box.Visible() {
		t.Fatal("no login card on a team database")
	}
	test.Type(c.login, lars)
	test.Type(c.password, "kort")
	test.Tap(c.create)
	f.settle()
	if !c.errLabel.Visible() || !strings.Contains(c.errLabel.Text, "12 tecken") {
		t.Errorf("short password: %q", c.errLabel.Text)
	}
	c.login.SetText(lars)
	c.password.SetText("")
	test.Type(c.password, "Långt-lösen-4711")
	test.Tap(c.create)
	f.settle()
	if c.errLabel.Visible() {
		t.Fatalf("create: %s", c.errLabel.Text)
	}
	s, err := db.StaffByHSAID(ctx, hsaLars)
	if err != nil || s.DBLogin != lars {
		t.Fatalf("Lars after create: %+v, %v", s, err)
	}
	canLogin := func() bool {
		var ok bool
		if err := raw.QueryRow(`SELECT rolcanlogin FROM pg_roles WHERE rolname = $1`, lars).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !canLogin() {
		t.Error("the new login cannot log in")
	}
	f.selectStaff(hsaLars)
	if !strings.Contains(c.current.Text, lars) {
		t.Errorf("the card does not show the login: %q", c.current.Text)
	}
	test.Tap(c.disable)
	f.settle()
	if c.errLabel.Visible() || canLogin() {
		t.Errorf("disable: %q, can login %v", c.errLabel.Text, canLogin())
	}
	f.selectStaff(hsaLars)
	test.Tap(c.enable)
	f.settle()
	if !canLogin() {
		t.Error("enabled again: cannot log in")
	}
}
