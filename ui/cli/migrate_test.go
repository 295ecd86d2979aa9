package cli_test

// migrate --to (issue 11 item 6): a desk's SQLite database into an empty
// PostgreSQL database, verified before it says done.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
	"arendestod/pdf"
	"arendestod/ui/cli"
)

// migrateTo is main's wiring of the command to the store.
func migrateTo(ctx context.Context, from cli.Store, to string, progress func(string, int64, int64)) (cli.MigrateResult, error) {
	res, err := data.CopyToServer(ctx, from.(*data.DB), to, progress)
	if err != nil {
		return cli.MigrateResult{}, err
	}
	out := cli.MigrateResult{Target: res.Target}
	for _, t := range res.Tables {
		out.Tables = append(out.Tables, cli.MigratedTable{Name: t.Name, Rows: t.Rows})
	}
	return out, nil
}

// migrateRun runs the command line with the commands main adds, the
// migrate command among them.
func migrateRun(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := cli.Env{
		Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""),
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm) },
		Open:   func(p string) (cli.Store, error) { return data.Open(p) },
		Commands: cli.AdminCommands(data.Restore, func(w io.Writer, p app.Personnummer, clinic string, at time.Time, es []app.AuditEntry) error {
			return pdf.RenderAccessExtract(w, pdf.AccessExtract{Patient: p, Clinic: clinic, CreatedAt: at, Entries: es})
		}),
	}
	env.Commands["migrate"] = cli.MigrateCommand(migrateTo)
	code := mainNoWindow(t, context.Background(), args, env)
	return result{code, out.String(), errb.String()}
}

// fillDesk fills a SQLite store through the store's own API with a bit
// of everything a desk holds: staff and roles, a schedule and a closed
// day, settings, cases with steps, events, notes and patients, intake's
// ledger, sync state and quarantine, the recept log, intyg versions and a
// draft, and the access log those leave.
func fillDesk(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm)
	db.Now = func() time.Time { return now }
	const nurse, doctor = "SE1111111111-TEST0001", "SE1111111111-TEST0002"
	for _, s := range []*app.Staff{
		{HSAID: nurse, Name: "Åsa Öberg", Email: "asa@test.invalid", Roles: []app.Role{app.RoleSjukskoterska, app.RoleArendemottagare}, Active: true},
		{HSAID: doctor, Name: "Erik Ek", Roles: []app.Role{app.RoleLakare}, Active: true},
	} {
		must(t, db.AddStaff(ctx, s))
	}
	must(t, db.SetOnDuty(ctx, app.DateOf(now), nurse))
	must(t, db.SetClosedDay(ctx, app.D(2026, 12, 28), "Klämdag", true))
	must(t, db.SetSetting(ctx, app.SettingMottagningNamn, "BUP Testköping"))

	pnr := "20190312-9805"
	var ids []int64
	for i, typ := range []string{app.TypeVABUnder12, app.TypeFornyaRecept, app.TypeJournalkopia, app.TypeVABUnder12} {
		c := app.NewCase(typ, now.Add(-time.Duration(i+1)*time.Hour), db.Calendar())
		c.Unit = "BUP Testköping"
		must(t, db.CreateCase(ctx, c, nurse))
		ids = append(ids, c.ID)
	}
	_, err = db.UpdateCase(ctx, ids[0], nurse, func(c *app.Case) ([]app.Event, error) {
		var evs []app.Event
		for _, f := range []func() ([]app.Event, error){
			func() ([]app.Event, error) { return c.Assign(nurse, nurse, now) },
			func() ([]app.Event, error) { return c.SetPatient(pnr, "Alva Testsson", nurse, now) },
			func() ([]app.Event, error) { return c.AddNote("Ringde vårdnadshavaren, återkommer.", nurse, now) },
		} {
			e, err := f()
			if err != nil {
				return nil, err
			}
			evs = append(evs, e...)
		}
		return evs, nil
	})
	must(t, err)
	_, err = db.UpdateCase(ctx, ids[2], nurse, func(c *app.Case) ([]app.Event, error) {
		evs, err := c.Assign(doctor, nurse, now)
		if err != nil {
			return nil, err
		}
		more, err := c.Close(nurse, now)
		return append(evs, more...), err
	})
	must(t, err)
	v, err := db.IssueIntyg(ctx, ids[0], nurse, migrateIntyg())
	must(t, err)
	if v != 1 {
		t.Fatalf("intyg version %d", v)
	}
	must(t, db.SaveIntygDraft(ctx, ids[3], nurse, []byte(`{"diagnosis":"utkast"}`)))
	must(t, db.AddRecept(ctx, &app.ReceptEntry{Date: app.DateOf(now), PatientPnr: app.Personnummer(pnr), PatientName: "Alva Testsson",
		Lakemedel: "Melatonin 3 mg", ForskrivandeLakare: "Dr Örjan Påhittad", Status: app.ReceptMottagen}, nurse))
	received := now.Add(-30 * time.Minute)
	_, err = db.IngestBatch(ctx, []app.Inbound{
		{Key: "<n1@test.invalid>", Source: "imap:INBOX", Notice: &app.Notice{Kind: app.NoticeInkommit, Unit: "BUP Testköping",
			Type: app.TypeVAB1216, TypeName: app.TypeName(app.TypeVAB1216), Reference: "2026-1200001", ReceivedAt: received, MessageID: "<n1@test.invalid>"}},
		{Key: "<bad@test.invalid>", Source: "imap:INBOX", Quarantine: &app.Quarantined{Key: "<bad@test.invalid>", Source: "imap:INBOX",
			Reason: "Notisen gick inte att läsa", Raw: []byte("From: 1177\r\n\r\nå\x00\xff")}},
	}, &app.SyncState{Account: "notiser@imap.test.invalid:993/INBOX", UIDValidity: 4000000000, LastUID: 42})
	must(t, err)
	must(t, db.Audit(ctx, app.AuditEntry{Actor: nurse, Action: "visa", CaseID: ids[0], Patient: app.Personnummer(pnr), Detail: "öppnade ärendet"}))
}

func migrateIntyg() *app.Intyg {
	return &app.Intyg{
		Child:     app.IntygPerson{Name: "Alva Testsson", Personnummer: "20190312-9805"},
		Guardians: []app.IntygPerson{{Name: "Åsa Öberg", Personnummer: "19850720-9818"}},
		Diagnosis: "Feber och hosta, behöver tillsyn i hemmet.",
		Periods:   []app.IntygPeriod{{From: "2026-11-24", To: "2026-11-30", Percent: 100}},
		Contact:   app.IntygContact{Date: "2026-11-30", Kind: app.ContactBesok},
		Issuer: app.IntygIssuer{Name: "Sara Sjöberg", Title: "Sjuksköterska", HSAID: "SE2321000131-P000000000001",
			Unit: "BUP Uddevalla", Address: "Box 1, 451 80 Uddevalla", Phone: "010-000 00 00", CareProvider: "Västra Götalandsregionen"},
		Place: "Uddevalla",
		Date:  "2026-12-01",
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// passwordRole makes a login role with a password on the test server and
// returns the URL of db as that role, password included. The server
// trusts every connection, so the password is not checked here (see
// TestPasswordAuthNeverShown for a server that checks it); what matters is
// that it is in the URL the command gets.
func withPassword(t *testing.T, dbURL, password string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String()
}

func TestMigrateTo(t *testing.T) {
	pgtest.Need(t)
	const secret = "Hemligt-lösen-4711"
	src := tempDB(t)
	fillDesk(t, src)
	target := withPassword(t, pgtest.DB(t), secret)

	r := migrateRun(t, "--db", src, "migrate", "--to", target)
	if r.code != 0 {
		t.Fatalf("migrate --to: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Klart:") {
		t.Errorf("no Klart line:\n%s", r.stdout)
	}
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, secret) || strings.Contains(s, url.QueryEscape(secret)) {
			t.Errorf("the password was printed:\n%s", s)
		}
	}
	t.Log(r.stdout)

	// The same answers from both.
	for _, args := range [][]string{
		{"cases", "--json"}, {"cases", "--json", "--all"}, {"staff", "list", "--json"}, {"quarantine", "--json"}, {"audit", "verify"},
	} {
		a := migrateRun(t, append([]string{"--db", src}, args...)...)
		b := migrateRun(t, append([]string{"--db", target}, args...)...)
		if a.code != 0 || a != b {
			t.Errorf("%v: SQLite exit %d\n%s%s\nPostgreSQL exit %d\n%s%s", args, a.code, a.stdout, a.stderr, b.code, b.stdout, b.stderr)
		}
	}
	ctx := context.Background()
	s, err := data.Open(src)
	must(t, err)
	defer s.Close()
	p, err := data.Open(target)
	must(t, err)
	defer p.Close()
	if bad, err := p.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Errorf("VerifyAudit on the target: %d, %v", bad, err)
	}
	// Everything a case has, and what lives beside the cases.
	all, _, err := s.Cases(ctx, app.CaseFilter{View: app.ViewAll})
	must(t, err)
	var maxID int64
	for _, c := range all {
		maxID = max(maxID, c.ID)
		ce, err := s.Events(ctx, c.ID)
		must(t, err)
		pe, err := p.Events(ctx, c.ID)
		must(t, err)
		if len(ce) == 0 || !sameJSON(t, ce, pe) {
			t.Errorf("case %d: events differ", c.ID)
		}
		sc, err := s.Case(ctx, c.ID)
		must(t, err)
		pc, err := p.Case(ctx, c.ID)
		must(t, err)
		if !sameJSON(t, sc, pc) {
			t.Errorf("case %d differs:\n%+v\n%+v", c.ID, sc, pc)
		}
	}
	for _, q := range []func(d *data.DB) (any, error){
		func(d *data.DB) (any, error) { return d.AuditEntries(ctx, data.AuditFilter{}) },
		func(d *data.DB) (any, error) { return d.IntygVersions(ctx, all[0].ID) },
		func(d *data.DB) (any, error) { return d.Quarantine(ctx) },
		func(d *data.DB) (any, error) {
			return d.SyncState(ctx, "notiser@imap.test.invalid:993/INBOX")
		},
		func(d *data.DB) (any, error) {
			m, err := d.Schedule(ctx, app.D(2026, 12, 1), app.D(2026, 12, 31))
			out := map[string]string{}
			for k, v := range m {
				out[k.String()] = v
			}
			return out, err
		},
		func(d *data.DB) (any, error) { return d.ClosedDays(ctx) },
		func(d *data.DB) (any, error) { return d.Setting(ctx, app.SettingMottagningNamn) },
		func(d *data.DB) (any, error) {
			es, _, err := d.ReceptEntries(ctx, app.ReceptFilter{}, "SE1111111111-TEST0001")
			return es, err
		},
		func(d *data.DB) (any, error) {
			return d.KnownKeys(ctx, []string{"<n1@test.invalid>", "<bad@test.invalid>", "<none@test.invalid>"})
		},
	} {
		a, err := q(s)
		must(t, err)
		b, err := q(p)
		must(t, err)
		if !sameJSON(t, a, b) {
			t.Errorf("differs:\n%+v\n%+v", a, b)
		}
	}
	for _, id := range []int64{all[0].ID} {
		a, _ := s.IntygDraft(ctx, id)
		b, _ := p.IntygDraft(ctx, id)
		if !bytes.Equal(a, b) {
			t.Errorf("draft of %d differs", id)
		}
	}
	// The next case on the server continues after the copied ones; the
	// access log goes on chaining.
	c := app.NewCase(app.TypeEgenremiss, time.Date(2026, 12, 1, 11, 0, 0, 0, app.Stockholm), p.Calendar())
	must(t, p.CreateCase(ctx, c, "SE1111111111-TEST0001"))
	if c.ID != maxID+1 {
		t.Errorf("next case id %d, want %d", c.ID, maxID+1)
	}
	must(t, p.Audit(ctx, app.AuditEntry{Actor: "SE1111111111-TEST0001", Action: "visa", CaseID: c.ID}))
	if bad, err := p.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Errorf("VerifyAudit after new rows: %d, %v", bad, err)
	}
	// Every table of the schema came along.
	raw, err := sql.Open("pgx", target)
	must(t, err)
	defer raw.Close()
	for _, table := range []string{"staff", "staff_roles", "cases", "case_steps", "case_events", "schedule", "closed_days", "settings",
		"ledger", "quarantine", "sync_state", "audit_log", "recept_log", "case_search", "intyg", "intyg_draft"} {
		var n int
		must(t, raw.QueryRow(`SELECT count(*) FROM `+table).Scan(&n))
		if n == 0 {
			t.Errorf("table %s is empty on the target", table)
		}
	}
}

// A target that is not empty is refused with one Swedish line and left
// as it was.
func TestMigrateToRefusesNonEmpty(t *testing.T) {
	pgtest.Need(t)
	const secret = "Annat-lösen-0815"
	src := tempDB(t)
	fillDesk(t, src)
	target := withPassword(t, pgtest.DB(t), secret)
	// A team database in use: one case.
	if r := migrateRun(t, "--db", target, "case", "add", "--type", "egenremiss", "--received", "2026-12-01 08:00"); r.code != 0 {
		t.Fatalf("case add: %d %s", r.code, r.stderr)
	}
	before := migrateRun(t, "--db", target, "cases", "--json", "--all")
	r := migrateRun(t, "--db", src, "migrate", "--to", target)
	if r.code != 1 && r.code != 2 {
		t.Errorf("exit %d, want 1 or 2", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(r.stderr, "inte tom") || r.stdout != "" {
		t.Errorf("want one Swedish line; stdout %q stderr %q", r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, secret) {
		t.Errorf("the password was printed: %s", r.stderr)
	}
	after := migrateRun(t, "--db", target, "cases", "--json", "--all")
	if before != after {
		t.Errorf("target changed:\n%s\n%s", before.stdout, after.stdout)
	}

	// A schema of another version: refused, unchanged.
	other := pgtest.DB(t)
	raw, err := sql.Open("pgx", other)
	must(t, err)
	defer raw.Close()
	_, err = raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
		INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 'x')`)
	must(t, err)
	r = migrateRun(t, "--db", src, "migrate", "--to", other)
	if (r.code != 1 && r.code != 2) || !strings.Contains(r.stderr, "schema 99") {
		t.Errorf("newer schema: exit %d %q", r.code, r.stderr)
	}
	var n int
	must(t, raw.QueryRow(`SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace`).Scan(&n))
	if n != 2 { // schema_migrations and its primary key
		t.Errorf("target changed: %d relations", n)
	}

	// Bad input: exit 2, nothing opened.
	for _, args := range [][]string{
		{"--db", src, "migrate"},
		{"--db", src, "migrate", "--to", "/tmp/x.db"},
		{"--db", target, "migrate", "--to", target},
		{"--db", tempDB(t), "migrate", "--to", target},
	} {
		r := migrateRun(t, args...)
		if r.code != 2 || strings.Contains(r.stderr, secret) {
			t.Errorf("%v: exit %d %q", args[2:], r.code, r.stderr)
		}
	}
}

// sameJSON compares two values as their JSON.
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	must(t, err)
	jb, err := json.Marshal(b)
	must(t, err)
	return string(ja) == string(jb)
}
