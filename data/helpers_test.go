package data_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"

	_ "modernc.org/sqlite" // the raw connections that play the sqlite3 CLI
)

// The store's tests are a contract suite: they run on SQLite, and with
// ARENDESTOD_TEST_BACKEND=postgres (make test's second run of ./data) on a
// real PostgreSQL that data/pgtest starts. Tests that are SQLite by
// nature (pragmas, file modes, a killed writer on a file, a full disk,
// VACUUM INTO backups, the file's bytes) say so with sqliteOnly.
//
// (Read in a test, not at init: go test's cache then knows the variable.)
var onPG = sync.OnceValue(func() bool { return os.Getenv("ARENDESTOD_TEST_BACKEND") == "postgres" })

// sqliteOnly skips the test on the PostgreSQL run, saying why.
func sqliteOnly(tb testing.TB, why string) {
	tb.Helper()
	if onPG() {
		tb.Skip("SQLite only: " + why)
	}
}

// locations remembers where each test database is (file path or URL with
// everything needed to connect), for reopening and raw connections:
// db.Path() on PostgreSQL is only a display name.
var locations sync.Map // *data.DB → string

// newLocation returns where a new, empty test database is: a file in
// tb.TempDir() or a fresh database on the test PostgreSQL server.
func newLocation(tb testing.TB) string {
	tb.Helper()
	if onPG() {
		return pgtest.DB(tb)
	}
	return filepath.Join(tb.TempDir(), "arendestod.db")
}

// location returns where db is, as newLocation gave it.
func location(tb testing.TB, db *data.DB) string {
	tb.Helper()
	l, ok := locations.Load(db)
	if !ok {
		tb.Fatalf("no location recorded for %s", db.Path())
	}
	return l.(string)
}

// testNow is the clock of every test database: Tuesday 1 December 2026,
// 10:00 in Stockholm.
var testNow = time.Date(2026, time.December, 1, 10, 0, 0, 0, app.Stockholm)

// testToday is the Stockholm date of testNow.
var testToday = app.D(2026, time.December, 1)

// Made-up HSA-IDs: the right shape, no real person.
const (
	hsaMe    = "SE1111111111-TEST0001"
	hsaOther = "SE1111111111-TEST0002"
	hsaThird = "SE1111111111-TEST0003"
)

// MustOpenDB opens a new database (a real file in tb.TempDir(), or on the
// PostgreSQL run a real PostgreSQL database) with the clock fixed at
// testNow, and closes it when the test ends.
func MustOpenDB(tb testing.TB) *data.DB {
	tb.Helper()
	return mustOpenAt(tb, newLocation(tb))
}

// mustOpenAt opens (or reopens) the database at path with the clock fixed
// at testNow.
func mustOpenAt(tb testing.TB, path string) *data.DB {
	tb.Helper()
	db, err := data.Open(path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	db.Now = func() time.Time { return testNow }
	locations.Store(db, path)
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// setClock fixes db's clock at t.
func setClock(db *data.DB, t time.Time) { db.Now = func() time.Time { return t } }

// rawDB opens a plain database/sql connection to path, as the sqlite3 CLI
// would: none of the store's checks, triggers still in force.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := newRaw(path)
	if err != nil {
		tb.Fatalf("raw open: %v", err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

func newRaw(path string) (*sql.DB, error) {
	u := &url.URL{Path: filepath.ToSlash(path)}
	raw, err := sql.Open("sqlite", "file:"+u.EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	raw.SetMaxOpenConns(1)
	return raw, nil
}

// rawConn is a plain database/sql connection behind the store's back,
// with the store's ? placeholders: as the sqlite3 CLI would connect, or on
// PostgreSQL psql as the test server's superuser.
type rawConn struct {
	*sql.DB
	pg bool
}

func (r *rawConn) bind(q string) string {
	if r.pg {
		return data.Rebind(q)
	}
	return q
}

func (r *rawConn) Exec(q string, args ...any) (sql.Result, error) {
	return r.DB.Exec(r.bind(q), args...)
}

func (r *rawConn) QueryRow(q string, args ...any) *sql.Row {
	return r.DB.QueryRow(r.bind(q), args...)
}

func (r *rawConn) Query(q string, args ...any) (*sql.Rows, error) {
	return r.DB.Query(r.bind(q), args...)
}

// rawStore opens a raw connection to db's database, closed when the test
// ends: none of the store's checks, triggers still in force.
func rawStore(tb testing.TB, db *data.DB) *rawConn {
	tb.Helper()
	if !onPG() {
		return &rawConn{DB: rawDB(tb, db.Path())}
	}
	raw, err := sql.Open("pgx", location(tb, db))
	if err != nil {
		tb.Fatalf("raw open: %v", err)
	}
	tb.Cleanup(func() { raw.Close() })
	return &rawConn{DB: raw, pg: true}
}

// disableAuditTriggers takes away the access log's append-only triggers,
// as someone with the database's keys could: on SQLite by dropping them
// with the sqlite3 CLI, on PostgreSQL as the superuser by disabling them.
func disableAuditTriggers(tb testing.TB, raw *rawConn) {
	tb.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if raw.pg {
		stmts = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
	}
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// failInserts makes every INSERT into table fail with msg until the
// returned function is called, through a trigger named name.
func failInserts(tb testing.TB, raw *rawConn, name, table, msg string) (undo func()) {
	tb.Helper()
	create := []string{`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, '` + msg + `'); END`}
	drop := []string{`DROP TRIGGER ` + name}
	if raw.pg {
		create = []string{
			`CREATE FUNCTION ` + name + `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '` + msg + `'; END $$`,
			`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION ` + name + `()`,
		}
		drop = []string{`DROP TRIGGER ` + name + ` ON ` + table, `DROP FUNCTION ` + name + `()`}
	}
	for _, s := range create {
		if _, err := raw.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
	return func() {
		tb.Helper()
		for _, s := range drop {
			if _, err := raw.Exec(s); err != nil {
				tb.Fatalf("%s: %v", s, err)
			}
		}
	}
}

// countRows returns the number of rows in table (a constant name from the
// test, never input).
func countRows(tb testing.TB, db *data.DB, table string) int {
	tb.Helper()
	raw := rawStore(tb, db)
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

// mustIntegrity fails the test unless PRAGMA integrity_check says ok.
func mustIntegrity(tb testing.TB, db *data.DB) {
	tb.Helper()
	s, err := db.IntegrityCheck(context.Background())
	if err != nil {
		tb.Fatalf("IntegrityCheck: %v", err)
	}
	if s != "ok" {
		tb.Fatalf("IntegrityCheck = %q, want ok", s)
	}
}

// wantCode fails the test unless err carries the domain error code code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want code %s", code)
	}
	if got := app.ErrorCode(err); got != code {
		tb.Fatalf("ErrorCode(%v) = %s, want %s", err, got, code)
	}
}

// testPnr returns a personnummer in Skatteverket's test series: born on
// yyyymmdd with birth number birth (980–999), the check digit computed.
func testPnr(tb testing.TB, yyyymmdd string, birth int) app.Personnummer {
	tb.Helper()
	if birth < 980 || birth > 999 {
		tb.Fatalf("birth number %d is not a test number", birth)
	}
	nine := yyyymmdd[2:] + strconv.Itoa(birth)
	sum := 0
	for i, c := range nine {
		v := int(c - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	s := fmt.Sprintf("%s-%d%d", yyyymmdd, birth, (10-sum%10)%10)
	p, err := app.ParsePersonnummer(s)
	if err != nil {
		tb.Fatalf("ParsePersonnummer(%s): %v", s, err)
	}
	if !p.IsTestNumber() {
		tb.Fatalf("%s is not a test number", p)
	}
	return p
}

// sthlm returns a time in Stockholm.
func sthlm(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, app.Stockholm)
}

// mustCreate stores c and fails the test on error.
func mustCreate(tb testing.TB, db *data.DB, c *app.Case) *app.Case {
	tb.Helper()
	if err := db.CreateCase(context.Background(), c, hsaMe); err != nil {
		tb.Fatalf("CreateCase: %v", err)
	}
	return c
}

// newCase returns a case of typ received at received, due by db's calendar.
func newCase(db *data.DB, typ string, received time.Time) *app.Case {
	return app.NewCase(typ, received, db.Calendar())
}

// eventKinds lists the kinds of evs in order.
func eventKinds(evs []app.Event) []app.EventKind {
	var out []app.EventKind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

func mustEvents(tb testing.TB, db *data.DB, id int64) []app.Event {
	tb.Helper()
	evs, err := db.Events(context.Background(), id)
	if err != nil {
		tb.Fatalf("Events(%d): %v", id, err)
	}
	return evs
}

func mustCase(tb testing.TB, db *data.DB, id int64) *app.Case {
	tb.Helper()
	c, err := db.Case(context.Background(), id)
	if err != nil {
		tb.Fatalf("Case(%d): %v", id, err)
	}
	return c
}

// sameTime reports whether a and b are both nil or the same instant.
func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// diffCase returns how got differs from want, "" when they are the same
// case: instants compared with Equal, every time read back in Stockholm.
func diffCase(got, want *app.Case) string {
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	if got.ID != want.ID {
		add("ID %d, want %d", got.ID, want.ID)
	}
	if got.Type != want.Type {
		add("Type %q, want %q", got.Type, want.Type)
	}
	if got.Unit != want.Unit {
		add("Unit %q, want %q", got.Unit, want.Unit)
	}
	if got.Reference != want.Reference {
		add("Reference %q, want %q", got.Reference, want.Reference)
	}
	if got.MessageID != want.MessageID {
		add("MessageID %q, want %q", got.MessageID, want.MessageID)
	}
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		add("ReceivedAt %v, want %v", got.ReceivedAt, want.ReceivedAt)
	}
	if got.ReceivedAt.Location() != app.Stockholm {
		add("ReceivedAt in %v, want Europe/Stockholm", got.ReceivedAt.Location())
	}
	if got.DueDate != want.DueDate {
		add("DueDate %v, want %v", got.DueDate, want.DueDate)
	}
	if got.Status != want.Status {
		add("Status %q, want %q", got.Status, want.Status)
	}
	if got.Assignee != want.Assignee {
		add("Assignee %q, want %q", got.Assignee, want.Assignee)
	}
	if !sameTime(got.FirstFeedbackAt, want.FirstFeedbackAt) {
		add("FirstFeedbackAt %v, want %v", got.FirstFeedbackAt, want.FirstFeedbackAt)
	}
	if got.FirstFeedbackAt != nil && got.FirstFeedbackAt.Location() != app.Stockholm {
		add("FirstFeedbackAt in %v", got.FirstFeedbackAt.Location())
	}
	if !sameTime(got.ClosedAt, want.ClosedAt) {
		add("ClosedAt %v, want %v", got.ClosedAt, want.ClosedAt)
	}
	if got.ClosedAt != nil && got.ClosedAt.Location() != app.Stockholm {
		add("ClosedAt in %v", got.ClosedAt.Location())
	}
	if got.Branch != want.Branch {
		add("Branch %q, want %q", got.Branch, want.Branch)
	}
	if len(got.Steps) != len(want.Steps) {
		add("Steps %v, want %v", got.Steps, want.Steps)
	} else {
		for k, w := range want.Steps {
			g, ok := got.Steps[k]
			if !ok || g.By != w.By || !g.At.Equal(w.At) || g.At.Location() != app.Stockholm {
				add("Steps[%s] = %v (present %v), want %v", k, g, ok, w)
			}
		}
	}
	if !sameTime(got.CitizenAnsweredAt, want.CitizenAnsweredAt) {
		add("CitizenAnsweredAt %v, want %v", got.CitizenAnsweredAt, want.CitizenAnsweredAt)
	}
	if got.NextFeedbackDue != want.NextFeedbackDue {
		add("NextFeedbackDue %v, want %v", got.NextFeedbackDue, want.NextFeedbackDue)
	}
	if !sameTime(got.LastFeedbackAt, want.LastFeedbackAt) {
		add("LastFeedbackAt %v, want %v", got.LastFeedbackAt, want.LastFeedbackAt)
	}
	if !got.LastActionAt.Equal(want.LastActionAt) {
		add("LastActionAt %v, want %v", got.LastActionAt, want.LastActionAt)
	}
	if len(got.Feedback) != len(want.Feedback) {
		add("Feedback %v, want %v", got.Feedback, want.Feedback)
	} else {
		for i, w := range want.Feedback {
			if g := got.Feedback[i]; !g.At.Equal(w.At) || g.Kind != w.Kind || g.Step != w.Step || g.At.Location() != app.Stockholm {
				add("Feedback[%d] = %v, want %v", i, g, w)
			}
		}
	}
	if got.PatientPnr != want.PatientPnr {
		add("PatientPnr %q, want %q", got.PatientPnr, want.PatientPnr)
	}
	if got.PatientName != want.PatientName {
		add("PatientName %q, want %q", got.PatientName, want.PatientName)
	}
	if len(d) == 0 {
		return ""
	}
	return fmt.Sprint(d)
}
