package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite" // to count rows behind the store's back

	"arendestod/app"
	"arendestod/data"
	"arendestod/ui/cli"
)

// syncBuffer is a buffer that commands may write to from several
// goroutines while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// result is what one run of the command line did.
type result struct {
	code           int
	stdout, stderr string
}

// harness runs the command line with a real SQLite store, a fixed clock
// and an environment of its own.
type harness struct {
	t   *testing.T
	env map[string]string
	now time.Time
	// window stands in for main's window: it gets the store the run opened
	// and the window the run asked for. nil: asking for one fails the test.
	window func(ctx context.Context, s cli.Store, w *cli.Window) error
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, env: map[string]string{}, now: time.Date(2026, 12, 28, 9, 0, 0, 0, app.Stockholm)}
}

func (h *harness) envFor(stdout, stderr *syncBuffer) cli.Env {
	return cli.Env{
		Stdout:  stdout,
		Stderr:  stderr,
		Stdin:   strings.NewReader(""),
		Getenv:  func(k string) string { return h.env[k] },
		Now:     func() time.Time { return h.now },
		Version: "1.2.3",
		Open:    func(path string) (cli.Store, error) { return data.Open(path) },
	}
}

// mainNoWindow runs the command line as main does, for a run that must not
// ask for the window.
func mainNoWindow(t *testing.T, ctx context.Context, args []string, env cli.Env) int {
	code, win := cli.Main(ctx, args, env)
	if win != nil {
		t.Errorf("%v asked for the window", args)
		return win.Close(nil)
	}
	return code
}

// run runs `arendestod ARGS...` to its end.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	return h.runCtx(h.t.Context(), args...)
}

func (h *harness) runCtx(ctx context.Context, args ...string) result {
	var stdout, stderr syncBuffer
	env := h.envFor(&stdout, &stderr)
	// As main does: keep the store the run opens, for the window.
	var opened cli.Store
	env.Open = func(path string) (cli.Store, error) {
		s, err := data.Open(path)
		opened = s
		return s, err
	}
	code, win := cli.Main(ctx, args, env)
	if win != nil {
		if h.window == nil {
			h.t.Errorf("%v asked for the window", args)
			code = win.Close(nil)
		} else {
			code = win.Close(h.window(ctx, opened, win))
		}
	}
	return result{code, stdout.String(), stderr.String()}
}

// ok runs and fails the test unless the exit status is 0.
func (h *harness) ok(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	if r.code != 0 {
		h.t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// casesJSON returns `cases --json` (or with --all) decoded.
func (h *harness) casesJSON(db string, all bool) []cli.CaseJSON {
	h.t.Helper()
	args := []string{"--db", db, "cases", "--json"}
	if all {
		args = append(args, "--all")
	}
	var out []cli.CaseJSON
	if err := json.Unmarshal([]byte(h.ok(args...)), &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "arendestod.db") }

// rowCounts counts the rows of every table of the database at path.
func rowCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 8 {
		t.Fatalf("only tables %v", tables)
	}
	counts := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM "` + tb + `"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[tb] = n
	}
	return counts
}

var caseFields = []string{"assignee", "closed_at", "due_date", "first_feedback_at", "flag", "id", "received_at",
	"reference", "status", "type", "type_name", "unit"}

// The foundation's example: a case received the day before julafton is due
// after Christmas, and `cases --json` prints exactly the contract's fields.
func TestCaseAddAndCasesJSON(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	out := h.ok("--db", db, "case", "add", "--type", "vab-under-12", "--received", "2026-12-23T10:00:00+01:00")
	if !strings.Contains(out, "Ärende nr 1 registrerat") || !strings.Contains(out, "2026-12-29") {
		t.Errorf("case add said %q", out)
	}
	// The other time format, with a unit and a reference.
	h.ok("--db", db, "case", "add", "--type", "fornya-recept", "--received", "2026-12-28 08:15",
		"--unit", "BUP Lysekil", "--reference", "2026-1200001")

	raw := h.ok("--db", db, "cases", "--json")
	var objs []map[string]any
	if err := json.Unmarshal([]byte(raw), &objs); err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
	if len(objs) != 2 {
		t.Fatalf("%d cases, want 2", len(objs))
	}
	for _, o := range objs {
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, caseFields) {
			t.Errorf("fields %v, want exactly %v", keys, caseFields)
		}
	}
	want := map[string]any{
		"id": 1.0, "type": "vab-under-12", "type_name": "Ansökan för vård av barn under 12 år", "unit": "",
		"reference": nil, "received_at": "2026-12-23T10:00:00+01:00", "due_date": "2026-12-29", "status": "ny",
		"assignee": nil, "first_feedback_at": nil, "closed_at": nil, "flag": "ok",
	}
	if !reflect.DeepEqual(objs[0], want) {
		t.Errorf("first case\n got %v\nwant %v", objs[0], want)
	}
	second := objs[1]
	if second["type"] != "fornya-recept" || second["unit"] != "BUP Lysekil" || second["reference"] != "2026-1200001" ||
		second["received_at"] != "2026-12-28T08:15:00+01:00" || second["due_date"] != "2026-12-30" {
		t.Errorf("second case %v", second)
	}

	// On the due date the flag says so; the day after, overdue.
	h.now = time.Date(2026, 12, 29, 12, 0, 0, 0, app.Stockholm)
	if c := h.casesJSON(db, false)[0]; c.Flag != "due-today" {
		t.Errorf("flag on the due date: %s", c.Flag)
	}
	h.now = time.Date(2026, 12, 30, 8, 0, 0, 0, app.Stockholm)
	if c := h.casesJSON(db, false)[0]; c.Flag != "overdue" {
		t.Errorf("flag after the due date: %s", c.Flag)
	}
	text := h.ok("--db", db, "cases")
	if !strings.Contains(text, "Ansökan för vård av barn under 12 år") || !strings.Contains(text, "Ny") {
		t.Errorf("cases printed %q", text)
	}
}

// ARENDESTOD_DB names the database when --db is not given.
func TestDatabaseFromEnvironment(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	h.env["ARENDESTOD_DB"] = db
	h.ok("case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00")
	if got := h.casesJSON(db, false); len(got) != 1 || got[0].Type != "egenremiss" {
		t.Fatalf("cases in %s: %+v", db, got)
	}
}

// Bad input exits 2 with one Swedish line naming the field, and changes
// nothing: the same rows in every table, and no database file when there
// was none.
func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	h.ok("--db", db, "case", "add", "--type", "journalkopia", "--received", "2026-12-21 10:00")
	h.ok("--db", db, "staff", "add", "--name", "Sara Sjöberg", "--hsa-id", "SE2321000131-P000000000001", "--role", "sjukskoterska")
	const validID = "SE2321000131-P000000000042"
	cases := []struct {
		name  string
		args  []string
		field string
	}{
		{"unknown type", []string{"case", "add", "--type", "recept", "--received", "2026-12-21 10:00"}, "--type"},
		{"bad time", []string{"case", "add", "--type", "journalkopia", "--received", "igår kväll"}, "--received"},
		{"no such day", []string{"case", "add", "--type", "journalkopia", "--received", "2026-02-30 10:00"}, "--received"},
		{"missing type", []string{"case", "add", "--received", "2026-12-21 10:00"}, "--type"},
		{"missing received", []string{"case", "add", "--type", "journalkopia"}, "--received"},
		{"case without add", []string{"case", "--type", "journalkopia"}, "case add"},
		{"unknown flag", []string{"case", "add", "--typ", "journalkopia"}, "-typ"},
		{"invalid HSA-ID", []string{"staff", "add", "--name", "Ali Haddad", "--hsa-id", "SE232-P1", "--role", "lakare"}, "--hsa-id"},
		{"HSA-ID taken", []string{"staff", "add", "--name", "Ali Haddad", "--hsa-id", "SE2321000131-P000000000001", "--role", "lakare"}, "--hsa-id"},
		{"missing name", []string{"staff", "add", "--hsa-id", validID, "--role", "lakare"}, "--name"},
		{"missing role", []string{"staff", "add", "--name", "Ali Haddad", "--hsa-id", validID}, "--role"},
		{"unknown role", []string{"staff", "add", "--name", "Ali Haddad", "--hsa-id", validID, "--role", "doktor"}, "--role"},
		{"bad e-mail", []string{"staff", "add", "--name", "Ali Haddad", "--hsa-id", validID, "--role", "lakare", "--email", "ali@"}, "--email"},
		{"unknown command", []string{"kases"}, "kases"},
		{"version with an argument", []string{"version", "extra"}, "extra"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := rowCounts(t, db)
			r := h.run(append([]string{"--db", db}, tc.args...)...)
			if r.code != cli.ExitUsage {
				t.Errorf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if tc.name == "unknown command" {
				lines = lines[len(lines)-1:] // after the usage text
			}
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "arendestod: ") || !strings.Contains(lines[0], tc.field) {
				t.Errorf("stderr %q: want one line naming %s", r.stderr, tc.field)
			}
			if after := rowCounts(t, db); !reflect.DeepEqual(before, after) {
				t.Errorf("rows changed:\nbefore %v\nafter  %v", before, after)
			}

			if tc.name == "HSA-ID taken" {
				return // valid input against an empty database
			}
			// Against a database that does not exist, it is not created.
			missing := filepath.Join(t.TempDir(), "sub", "none.db")
			if r := h.run(append([]string{"--db", missing}, tc.args...)...); r.code != cli.ExitUsage {
				t.Errorf("on a missing database: exit %d", r.code)
			}
			if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the invalid command created %s (%v)", missing, err)
			}
		})
	}
}

func TestStaffAddAndList(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	if out := h.ok("--db", db, "staff", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("empty staff list: %q", out)
	}
	out := h.ok("--db", db, "staff", "add", "--name", " Erik Ek ", "--hsa-id", "se2321000131-p000000000004",
		"--email", "erik.ek@bup-demo.example", "--role", "arendehanterare", "--role", "arendemottagare")
	if !strings.Contains(out, "Erik Ek (SE2321000131-P000000000004) tillagd") {
		t.Errorf("staff add said %q", out)
	}
	h.ok("--db", db, "staff", "add", "--name", "Karin Berg", "--hsa-id", "SE2321000131-P000000000005", "--role", "chef,administrator")

	raw := h.ok("--db", db, "staff", "list", "--json")
	var objs []map[string]any
	if err := json.Unmarshal([]byte(raw), &objs); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"name": "Erik Ek", "hsa_id": "SE2321000131-P000000000004", "email": "erik.ek@bup-demo.example",
			"roles": []any{"arendemottagare", "arendehanterare"}, "active": true},
		{"name": "Karin Berg", "hsa_id": "SE2321000131-P000000000005", "email": "",
			"roles": []any{"administrator", "chef"}, "active": true},
	}
	if !reflect.DeepEqual(objs, want) {
		t.Errorf("staff list --json\n got %v\nwant %v", objs, want)
	}
	text := h.ok("--db", db, "staff", "list")
	if !strings.Contains(text, "Karin Berg") || !strings.Contains(text, "Administratör, Enhetschef/teamledare") {
		t.Errorf("staff list printed %q", text)
	}
	if r := h.run("--db", db, "staff", "remove"); r.code != cli.ExitUsage {
		t.Errorf("staff remove: exit %d", r.code)
	}
}

func TestVersionAndHelp(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	if out := h.ok("--db", db, "version"); out != "arendestod 1.2.3\n" {
		t.Errorf("version printed %q", out)
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Error("version created the database")
	}
	help := h.ok("help")
	for _, cmd := range []string{"cases", "case", "staff", "version", "import", "sync", "quarantine", "demo"} {
		if !strings.Contains(help, "\n  "+cmd+" ") {
			t.Errorf("help lacks %s:\n%s", cmd, help)
		}
	}
}

// `cases` lists open cases; `--all` adds the closed ones; both by due date.
func TestCasesAll(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	if out := h.ok("--db", db, "cases"); out != "Inga ärenden.\n" {
		t.Errorf("empty list printed %q", out)
	}
	h.ok("--db", db, "case", "add", "--type", "journalkopia", "--received", "2026-12-22 10:00")
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-18 10:00")
	h.ok("--db", db, "case", "add", "--type", "skicka-meddelande", "--received", "2026-12-21 10:00")

	// Close case 1 through the store, as the window would.
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	closedAt := time.Date(2026, 12, 23, 11, 0, 0, 0, app.Stockholm)
	if _, err := store.UpdateCase(t.Context(), 1, "SE2321000131-P000000000001", func(c *app.Case) ([]app.Event, error) {
		return c.Close("SE2321000131-P000000000001", closedAt)
	}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	ids := func(cs []cli.CaseJSON) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	open := h.casesJSON(db, false)
	if got := ids(open); !slices.Equal(got, []int64{2, 3}) {
		t.Errorf("open cases %v, want [2 3] (by due date)", got)
	}
	all := h.casesJSON(db, true)
	if got := ids(all); !slices.Equal(got, []int64{2, 3, 1}) {
		t.Errorf("all cases %v, want [2 3 1] (by due date)", got)
	}
	c1 := all[2]
	if c1.Status != "avslutad" || c1.Flag != "closed" || c1.ClosedAt == nil || *c1.ClosedAt != "2026-12-23T11:00:00+01:00" ||
		c1.FirstFeedbackAt == nil {
		t.Errorf("closed case %+v", c1)
	}
}
