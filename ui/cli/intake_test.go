package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/data"
	"arendestod/ui/cli"
)

// The shared sample notices, from the package folder.
const samples = "../../testdata/notices"

type expectedNotice struct {
	File        string  `json:"file"`
	Notice      bool    `json:"notice"`
	Kind        string  `json:"kind"`
	Unit        string  `json:"unit"`
	Type        string  `json:"type"`
	Reference   *string `json:"reference"`
	ReceivedAt  string  `json:"received_at"`
	DueDate     string  `json:"due_date"`
	DuplicateOf string  `json:"duplicate_of"`
}

// caseKey is what a case must show of its notice.
type caseKey struct{ Type, Unit, Reference, ReceivedAt, DueDate, Status string }

func keyOf(c cli.CaseJSON) caseKey {
	ref := ""
	if c.Reference != nil {
		ref = *c.Reference
	}
	return caseKey{c.Type, c.Unit, ref, c.ReceivedAt, c.DueDate, c.Status}
}

func sortKeys(ks []caseKey) {
	sort.Slice(ks, func(i, j int) bool { return fmt.Sprint(ks[i]) < fmt.Sprint(ks[j]) })
}

// expectedCases reads expected.json: the cases the samples must make.
func expectedCases(t *testing.T) []caseKey {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samples, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp []expectedNotice
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	var out []caseKey
	for _, e := range exp {
		if !e.Notice || e.DuplicateOf != "" {
			continue
		}
		k := caseKey{Type: e.Type, Unit: e.Unit, ReceivedAt: e.ReceivedAt, DueDate: e.DueDate, Status: "ny"}
		if e.Reference != nil {
			k.Reference = *e.Reference
		}
		// Imported without an assignee, a tilldelat notice leaves its case
		// ofördelad (issue 12: not "fördelad" to nobody).
		out = append(out, k)
	}
	if len(out) != 10 {
		t.Fatalf("expected.json lists %d cases, want 10", len(out))
	}
	sortKeys(out)
	return out
}

func caseKeys(cs []cli.CaseJSON) []caseKey {
	var out []caseKey
	for _, c := range cs {
		out = append(out, keyOf(c))
	}
	sortKeys(out)
	return out
}

func summary(n, u, d, q, x int) string {
	return fmt.Sprintf("Nya ärenden: %d, uppdaterade: %d, dubbletter: %d, i karantän: %d, ej notiser: %d\n", n, u, d, q, x)
}

// Importing the shared samples makes exactly the cases of expected.json:
// one per notice, none for the duplicate or the lunch mail.
func TestImportSharedSamples(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2027, 7, 1, 9, 0, 0, 0, app.Stockholm)
	db := tempDB(t)
	allowCorpusSender(h, db)
	out := h.ok("--db", db, "import", samples)
	if out != summary(10, 0, 1, 0, 1) {
		t.Errorf("import printed %q", out)
	}
	got := h.casesJSON(db, true)
	if !reflect.DeepEqual(caseKeys(got), expectedCases(t)) {
		t.Errorf("cases\n got %v\nwant %v", caseKeys(got), expectedCases(t))
	}

	// Again: the ledger knows every message, the lunch mail too, so all
	// twelve are duplicates and nothing changes.
	before := rowCounts(t, db)
	if out := h.ok("--db", db, "import", samples); out != summary(0, 0, 12, 0, 0) {
		t.Errorf("second import printed %q", out)
	}
	if after := rowCounts(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("second import changed rows:\n%v\n%v", before, after)
	}

	// Single files may be named too; they are duplicates as well.
	if out := h.ok("--db", db, "import", filepath.Join(samples, "01-new-recept-plain.eml"),
		filepath.Join(samples, "12-not-a-notice.eml")); out != summary(0, 0, 2, 0, 0) {
		t.Errorf("import of two files printed %q", out)
	}
}

// mboxOf writes the messages as an mbox file (mboxrd: body lines starting
// with "From " or ">From " get one more ">").
func mboxOf(t *testing.T, path string, msgs [][]byte, crlf bool) {
	t.Helper()
	nl := "\n"
	if crlf {
		nl = "\r\n"
	}
	var b bytes.Buffer
	for i, m := range msgs {
		fmt.Fprintf(&b, "From noreply@notis.1177.example Mon Nov %2d 08:14:00 2026%s", i+1, nl)
		lines := strings.SplitAfter(string(m), "\n")
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimLeft(l, ">"), "From ") {
				l = ">" + l
			}
			b.WriteString(l)
		}
		if !bytes.HasSuffix(m, []byte("\n")) {
			b.WriteString(nl)
		}
		b.WriteString(nl)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func sampleMessages(t *testing.T) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(samples, "*.eml"))
	if err != nil || len(files) != 12 {
		t.Fatalf("samples: %v %v", files, err)
	}
	sort.Strings(files)
	var msgs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, b)
	}
	return msgs
}

// An mbox of the samples gives the same as the folder of them, with LF and
// with CRLF line ends.
func TestImportMbox(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		t.Run(fmt.Sprintf("crlf=%v", crlf), func(t *testing.T) {
			h := newHarness(t)
			db := tempDB(t)
			allowCorpusSender(h, db)
			msgs := sampleMessages(t)
			if crlf {
				for i, m := range msgs {
					msgs[i] = bytes.ReplaceAll(m, []byte("\n"), []byte("\r\n"))
				}
			}
			mbox := filepath.Join(t.TempDir(), "notiser") // no extension: known by its first line
			mboxOf(t, mbox, msgs, crlf)
			if out := h.ok("--db", db, "import", mbox); out != summary(10, 0, 1, 0, 1) {
				t.Errorf("import printed %q", out)
			}
			if got := caseKeys(h.casesJSON(db, true)); !reflect.DeepEqual(got, expectedCases(t)) {
				t.Errorf("cases\n got %v\nwant %v", got, expectedCases(t))
			}
		})
	}
}

// The mbox reader gives back each message byte for byte: ">From " lines
// unquoted, a "From " line inside a paragraph kept, and the separator's blank
// line dropped. Messages without a Message-ID are known by the hash of their
// bytes, so the same message from an .eml file and from an mbox is a
// duplicate only if the bytes are the same.
func TestImportMboxExactBytes(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	allowCorpusSender(h, db)
	dir := t.TempDir()
	msg := []byte("From: =?utf-8?q?1177_e-tj=C3=A4nster?= <noreply@notis.1177.example>\n" +
		"Subject: Nytt =?utf-8?q?=C3=A4rende?= i 1177 e-tjanster\n" +
		"Date: Tue, 24 Nov 2026 10:03:00 +0100\n" +
		"Content-Type: text/plain; charset=utf-8\n\n" +
		"Ett nytt arende har kommit in till BUP Lysekil i 1177 e-tjanster.\n\n" +
		"From a line that looks like a separator\n" +
		">From a line that was quoted already\n" +
		"Arendetyp: Egenremiss\n" +
		"From here on the text goes on, without a blank line before\n" +
		"Arendenummer: 2026-7700001\nInkom: 2026-11-24 10:02\n")
	other := []byte("From: kollega@region.example\nSubject: Lunch\nDate: Tue, 24 Nov 2026 09:00:00 +0100\n\nFrom today we eat at 12.\n")
	if err := os.WriteFile(filepath.Join(dir, "a.eml"), msg, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.eml"), other, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := h.ok("--db", db, "import", dir); out != summary(1, 0, 0, 0, 1) {
		t.Fatalf("import of the .eml files printed %q", out)
	}
	mbox := filepath.Join(t.TempDir(), "export.mbox")
	mboxOf(t, mbox, [][]byte{msg, other}, false)
	if out := h.ok("--db", db, "import", mbox); out != summary(0, 0, 2, 0, 0) {
		t.Errorf("import of the same messages as mbox printed %q: the bytes differ", out)
	}
	cs := h.casesJSON(db, true)
	if len(cs) != 1 || cs[0].Type != "egenremiss" || cs[0].Unit != "BUP Lysekil" {
		t.Errorf("cases %+v", cs)
	}

	// An mboxo file, whose writer quoted nothing: a "From " line is a
	// separator only after a blank line and with a date, so these body
	// lines stay in their messages.
	mboxo := filepath.Join(t.TempDir(), "old.mbox")
	writeFile(t, mboxo, "From MAILER-DAEMON Tue Nov 24 09:00:00 2026\n"+
		"From: kollega@region.example\nSubject: Lunch\n\n"+
		"From today we eat at 12.\n"+
		"Plans: From 2026 on we meet at 12:00\n"+
		"From 2026 on we meet at 12:00, as said\n\n"+
		"From noreply@notis.1177.example  Tue Nov 24 10:03:00 2026\n"+string(msg)+"\n")
	db2 := tempDB(t)
	allowCorpusSender(h, db2)
	if out := h.ok("--db", db2, "import", mboxo); out != summary(1, 0, 0, 0, 1) {
		t.Errorf("import of an mboxo file printed %q", out)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// brokenNotice is a 1177 notice whose base64 body cannot be decoded.
const brokenNotice = "From: =?utf-8?q?1177_e-tj=C3=A4nster?= <noreply@notis.1177.example>\r\n" +
	"Subject: =?utf-8?q?Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster_=E2=80=93_BUP_Uddevalla?=\r\n" +
	"Date: Wed, 25 Nov 2026 10:00:00 +0100\r\n" +
	"Message-ID: <broken-1@notis.1177.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\n" +
	"SGVqIQoKRXR0IG55dHQg*** this is not base64 ***w6RyZW5kZQ==\r\n"

// A notice that cannot be read is quarantined, kept whole, and listed.
func TestImportQuarantine(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	allowCorpusSender(h, db)
	if out := h.ok("--db", db, "quarantine"); out != "Inga meddelanden i karantän.\n" {
		t.Errorf("empty quarantine printed %q", out)
	}
	if out := h.ok("--db", db, "quarantine", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("empty quarantine --json printed %q", out)
	}
	dir := t.TempDir()
	broken := filepath.Join(dir, "inkorg", "trasig.eml")
	writeFile(t, broken, brokenNotice)
	writeFile(t, filepath.Join(dir, "inkorg", "notes.txt"), "not a message, not read")
	writeFile(t, filepath.Join(dir, "01.eml"), string(sampleMessages(t)[0]))
	if out := h.ok("--db", db, "import", dir); out != summary(1, 0, 0, 1, 0) {
		t.Errorf("import printed %q", out)
	}

	raw := h.ok("--db", db, "quarantine", "--json")
	var objs []map[string]any
	if err := json.Unmarshal([]byte(raw), &objs); err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 {
		t.Fatalf("quarantine lists %d, want 1: %s", len(objs), raw)
	}
	q := objs[0]
	var keys []string
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if want := []string{"id", "key", "reason", "size", "source", "taken_at"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("fields %v, want %v", keys, want)
	}
	if q["key"] != "broken-1@notis.1177.example" && q["key"] != "<broken-1@notis.1177.example>" {
		t.Errorf("key %v", q["key"])
	}
	if q["source"] != broken || q["size"] != float64(len(brokenNotice)) || q["id"] != 1.0 {
		t.Errorf("source %v size %v id %v", q["source"], q["size"], q["id"])
	}
	if r, _ := q["reason"].(string); !strings.Contains(r, "Notisen kunde inte läsas") {
		t.Errorf("reason %q", r)
	}
	if at, _ := q["taken_at"].(string); func() error { _, err := time.Parse(time.RFC3339, at); return err }() != nil {
		t.Errorf("taken_at %q is not RFC 3339", at)
	}
	text := h.ok("--db", db, "quarantine")
	if !strings.Contains(text, broken) || !strings.Contains(text, "Notisen kunde inte läsas") {
		t.Errorf("quarantine printed %q", text)
	}
	// Quarantined once: seen again, it is a duplicate.
	if out := h.ok("--db", db, "import", broken); out != summary(0, 0, 1, 0, 0) {
		t.Errorf("second import printed %q", out)
	}
	if cs := h.casesJSON(db, true); len(cs) != 1 {
		t.Errorf("%d cases, want 1", len(cs))
	}
}

// A file that cannot be read is named on stderr and skipped; the rest is
// imported and the exit status is 1. A path that does not exist, or no
// path, is bad input: exit 2 and nothing imported.
func TestImportErrors(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	allowCorpusSender(h, db)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "01.eml"), string(sampleMessages(t)[0]))
	dangling := filepath.Join(dir, "02.eml")
	if err := os.Symlink(filepath.Join(dir, "gone.eml"), dangling); err != nil {
		t.Fatal(err)
	}
	notMbox := filepath.Join(dir, "export.mbox")
	writeFile(t, notMbox, "Subject: hej\n\ntext\n")

	r := h.run("--db", db, "import", dir)
	if r.code != cli.ExitError {
		t.Errorf("exit %d, want 1", r.code)
	}
	if r.stdout != summary(1, 0, 0, 0, 0) {
		t.Errorf("stdout %q", r.stdout)
	}
	for _, want := range []string{dangling + " kunde inte läsas: filen finns inte", notMbox + " kunde inte läsas: filen är ingen mbox-fil", "2 filer kunde inte läsas"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	for _, args := range [][]string{
		{"import"},
		{"import", filepath.Join(dir, "01.eml"), filepath.Join(dir, "saknas.eml")},
		{"import", "--owner", "x", dir},
		{"import", "--assignee", "inget-hsa-id", dir},
	} {
		missing := filepath.Join(t.TempDir(), "none.db")
		r := h.run(append([]string{"--db", missing}, args...)...)
		if r.code != cli.ExitUsage || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, r.code, r.stderr)
		}
		if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v created the database", args)
		}
	}
}

// startDemo starts a demo mail server dated at now.
func startDemo(t *testing.T, now time.Time, count int) *demo.Server {
	t.Helper()
	srv, err := demo.Start(t.Context(), demo.Options{Now: func() time.Time { return now }, Seed: 1177, Count: count})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// seededCases is what the demo's notices must make: one case per notice
// that is not an update, tilldelat ones fördelade to assignee when there
// is one (issue 12: else they stay ofördelade).
func seededCases(srv *demo.Server, cal *app.Calendar, assignee string) (map[string]caseKey, map[string]string) {
	keys := map[string]caseKey{}
	assignees := map[string]string{}
	for _, n := range srv.Notices() {
		k, ok := keys[n.Reference]
		if !ok {
			k = caseKey{Type: n.Type, Unit: n.Unit, Reference: n.Reference,
				ReceivedAt: n.ReceivedAt.Format(time.RFC3339), DueDate: cal.DueDate(n.ReceivedAt).String(), Status: "ny"}
		}
		if n.Kind == app.NoticeTilldelat && assignee != "" {
			k.Status = "fordelad"
		}
		if n.Kind == app.NoticeTilldelat {
			assignees[n.Reference] = assignee
		}
		if n.Reference == "" {
			keys["okand"] = k
			continue
		}
		keys[n.Reference] = k
	}
	return keys, assignees
}

func checkSeeded(t *testing.T, got []cli.CaseJSON, srv *demo.Server, assignee string) {
	t.Helper()
	want, assignees := seededCases(srv, app.NewCalendar(), assignee)
	if len(got) != len(want) {
		t.Fatalf("%d cases, want %d", len(got), len(want))
	}
	for _, c := range got {
		ref := "okand"
		if c.Reference != nil {
			ref = *c.Reference
		}
		if keyOf(c) != want[ref] {
			t.Errorf("case %s\n got %v\nwant %v", ref, keyOf(c), want[ref])
		}
		a := ""
		if c.Assignee != nil {
			a = *c.Assignee
		}
		if a != assignees[ref] {
			t.Errorf("case %s assigned to %q, want %q", ref, a, assignees[ref])
		}
	}
}

func passwordFile(t *testing.T, pw string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pw")
	writeFile(t, p, pw+"\nsecond line is ignored\n")
	return p
}

// sync --once against the demo mail server makes the seeded cases; again,
// nothing; after a new notice arrives, that one.
func TestSyncOnce(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	srv := startDemo(t, h.now, 30)
	acc := srv.Account()
	db := tempDB(t)
	allowCorpusSender(h, db)
	args := []string{"--db", db, "sync", "--once", "--host", "127.0.0.1", "--port", strconv.Itoa(acc.Port),
		"--security", "plain", "--user", acc.Username, "--password-file", passwordFile(t, "  "+acc.Password+" ")}
	r := h.run(args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != summary(28, 2, 0, 0, 0) {
		t.Errorf("sync printed %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "Hämtar 30 av 30 …") {
		t.Errorf("no final progress on stderr: %q", r.stderr)
	}
	checkSeeded(t, h.casesJSON(db, true), srv, "")

	if out := h.ok(args...); out != summary(0, 0, 0, 0, 0) {
		t.Errorf("second sync printed %q", out)
	}
	n, err := srv.Append()
	if err != nil {
		t.Fatal(err)
	}
	want := summary(1, 0, 0, 0, 0)
	if n.Update {
		want = summary(0, 1, 0, 0, 0)
	}
	if out := h.ok(args...); out != want {
		t.Errorf("sync after a new notice printed %q, want %q", out, want)
	}

	// A wrong password is refused with a Swedish message.
	bad := append(args[:len(args)-1:len(args)-1], passwordFile(t, "fel"))
	r = h.run(bad...)
	if r.code == 0 || !strings.Contains(r.stderr, "Inloggningen misslyckades") {
		t.Errorf("wrong password: exit %d, stderr %q", r.code, r.stderr)
	}
}

// Without account flags sync uses the account saved in the settings, with
// the password from the environment; tilldelat cases go to the mailbox
// owner.
func TestSyncSavedAccount(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	srv := startDemo(t, h.now, 30)
	acc := srv.Account()
	db := tempDB(t)
	allowCorpusSender(h, db)
	store, err := data.Open(db)
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

	if r := h.run("--db", db, "sync", "--once"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, cli.EnvIMAPPassword) {
		t.Errorf("without a password: exit %d, stderr %q", r.code, r.stderr)
	}
	h.env[cli.EnvIMAPPassword] = acc.Password
	if out := h.ok("--db", db, "sync", "--once"); out != summary(28, 2, 0, 0, 0) {
		t.Errorf("sync printed %q", out)
	}
	checkSeeded(t, h.casesJSON(db, true), srv, demo.Owner)
}

// sync --watch prints a line per new case, without patient data, and the
// connection's state, until it is cancelled.
func TestSyncWatch(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	srv := startDemo(t, h.now, 10)
	acc := srv.Account()
	db := tempDB(t)
	allowCorpusSender(h, db)
	h.env[cli.EnvIMAPPassword] = acc.Password

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- mainNoWindow(t, ctx, []string{"--db", db, "sync", "--watch", "--host", "127.0.0.1", "--port", strconv.Itoa(acc.Port),
			"--security", "plain", "--user", acc.Username}, h.envFor(&stdout, &stderr))
	}()
	waitFor := func(what string, cond func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !cond(stdout.String()) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s; stdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	cal := app.NewCalendar()
	var want []string
	for _, n := range srv.Notices() {
		if !n.Update {
			want = append(want, "Nytt ärende: "+app.TypeName(n.Type)+" – svar senast "+cal.DueDate(n.ReceivedAt).ShortSv())
		}
	}
	newLines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "Nytt ärende: ") {
				out = append(out, l)
			}
		}
		return out
	}
	waitFor("line per seeded case", func(s string) bool { return len(newLines(s)) >= len(want) })
	waitFor("watching state", func(s string) bool { return strings.Contains(s, "Bevakar inkorgen.") })
	// The state is reported just before IDLE is sent, and imapmemserver
	// misses an append that lands before its IDLE has begun (BUILD-NOTES):
	// give the command a moment to reach it on a loaded machine.
	time.Sleep(300 * time.Millisecond)

	// A notice that arrives now is pushed and printed.
	var pushed demo.Notice
	for {
		n, err := srv.Append()
		if err != nil {
			t.Fatal(err)
		}
		if !n.Update {
			pushed = n
			break
		}
	}
	want = append(want, "Nytt ärende: "+app.TypeName(pushed.Type)+" – svar senast "+cal.DueDate(pushed.ReceivedAt).ShortSv())
	waitFor("line for the pushed case", func(s string) bool { return len(newLines(s)) >= len(want) })
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after cancel; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sync --watch did not stop on cancel")
	}
	got := newLines(stdout.String())
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines\n got %q\nwant %q", got, want)
	}
	if !strings.Contains(stdout.String(), "Bevakningen är stoppad.") {
		t.Errorf("no stopped state in %q", stdout.String())
	}
	if len(h.casesJSON(db, true)) != len(want) {
		t.Errorf("cases in the database differ from the lines printed")
	}
}

// sync needs exactly one of --once and --watch, a password, and a valid
// account; bad input exits 2 and creates no database.
func TestSyncUsage(t *testing.T) {
	h := newHarness(t)
	pw := passwordFile(t, "hemligt")
	empty := filepath.Join(t.TempDir(), "empty")
	writeFile(t, empty, "\n")
	acc := []string{"--host", "127.0.0.1", "--security", "plain", "--user", "u"}
	cases := []struct {
		args []string
		want string
	}{
		{append([]string{"sync"}, acc...), "--once eller --watch"},
		{append([]string{"sync", "--once", "--watch"}, acc...), "--once eller --watch"},
		{append([]string{"sync", "--once"}, acc...), "lösenord saknas"},
		{append([]string{"sync", "--once", "--password-file", empty}, acc...), "--password-file"},
		{append([]string{"sync", "--once", "--password-file", filepath.Join(t.TempDir(), "saknas")}, acc...), "--password-file"},
		{[]string{"sync", "--once", "--password-file", pw, "--host", "imap.region.example", "--security", "plain", "--user", "u"}, "--security"},
		{[]string{"sync", "--once", "--password-file", pw, "--host", "imap.region.example", "--security", "ssl", "--user", "u"}, "--security"},
		{[]string{"sync", "--once", "--password-file", pw, "--host", "imap.region.example"}, "--user"},
		{[]string{"sync", "--once", "--password-file", pw, "--host", "imap.region.example", "--user", "u", "--port", "abc"}, "--port"},
		{[]string{"sync", "--once", "--password-file", pw, "--host", "imap.region.example", "--user", "u", "--port", "70000"}, "--port"},
		{[]string{"sync", "--once", "--password-file", pw}, "inget e-postkonto"},
		{[]string{"sync", "--once", "--password", "hemligt", "--host", "imap.region.example", "--user", "u"}, "-password"},
	}
	for _, tc := range cases {
		missing := filepath.Join(t.TempDir(), "none.db")
		r := h.run(append([]string{"--db", missing}, tc.args...)...)
		if r.code != cli.ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
		if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v created the database", tc.args)
		}
	}

	// A database without a saved account: exit 2, nothing written.
	db := tempDB(t)
	h.ok("--db", db, "cases")
	before := rowCounts(t, db)
	if r := h.run("--db", db, "sync", "--once", "--password-file", pw); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "inget e-postkonto") {
		t.Errorf("no saved account: exit %d, stderr %q", r.code, r.stderr)
	}
	if after := rowCounts(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows changed: %v %v", before, after)
	}
}

// The demo without a window: its own database with the demo's staff and
// schedule, the seeded notices as cases, and the summary at the end.
func TestDemoHeadless(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	h.env[cli.EnvDemoHeadless] = "1"
	h.env[cli.EnvDemoSeconds] = "3"
	db := tempDB(t)
	start := time.Now()
	r := h.run("demo", "--db", db)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if d := time.Since(start); d < 3*time.Second || d > 20*time.Second {
		t.Errorf("ran %s, want about 3 s", d)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if last := lines[len(lines)-1] + "\n"; last != summary(28, 2, 0, 0, 0) {
		t.Errorf("last line %q", last)
	}
	if n := strings.Count(r.stdout, "Nytt ärende: "); n != 28 {
		t.Errorf("%d new-case lines", n)
	}
	cs := h.casesJSON(db, true)
	if len(cs) != 28 {
		t.Errorf("%d cases in the demo database", len(cs))
	}
	var staff []cli.StaffJSON
	if err := json.Unmarshal([]byte(h.ok("--db", db, "staff", "list", "--json")), &staff); err != nil {
		t.Fatal(err)
	}
	if len(staff) != len(demo.Staff()) {
		t.Errorf("%d staff", len(staff))
	}
	assigned := 0
	for _, c := range cs {
		if c.Assignee != nil && *c.Assignee == demo.Owner {
			assigned++
		}
	}
	if assigned == 0 {
		t.Error("no case assigned to the mailbox owner")
	}

	// Run again on the same database: staff are not added twice.
	h.env[cli.EnvDemoSeconds] = "0.5"
	h.ok("--db", db, "demo")
	staff = nil
	json.Unmarshal([]byte(h.ok("--db", db, "staff", "list", "--json")), &staff)
	if len(staff) != len(demo.Staff()) {
		t.Errorf("%d staff after a second run", len(staff))
	}
}

// The demo refuses a database that is not the demo's, and bad settings.
func TestDemoRefuses(t *testing.T) {
	h := newHarness(t)
	h.env[cli.EnvDemoHeadless] = "1"
	h.env[cli.EnvDemoSeconds] = "1"
	db := tempDB(t)
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00")
	before := rowCounts(t, db)
	r := h.run("--db", db, "demo")
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "ingen demodatabas") {
		t.Errorf("demo on a real database: exit %d, stderr %q", r.code, r.stderr)
	}
	if after := rowCounts(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows changed: %v %v", before, after)
	}
	h.env[cli.EnvDemoSeconds] = "snart"
	if r := h.run("demo", "--db", tempDB(t)); r.code != cli.ExitUsage || !strings.Contains(r.stderr, cli.EnvDemoSeconds) {
		t.Errorf("bad seconds: exit %d, stderr %q", r.code, r.stderr)
	}
}

// With a window, the demo hands it the store and the running intake, and
// stops everything when the window closes.
func TestDemoWindow(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	db := tempDB(t)
	h.env["DISPLAY"] = ":0" // the window is this test's own
	var gotOpts cli.Window
	h.window = func(ctx context.Context, s cli.Store, opts *cli.Window) error {
		gotOpts = *opts
		if opts.Intake == nil {
			return errors.New("no intake")
		}
		states := make(chan app.IntakeState, 100)
		stop := opts.Intake.OnState(func(st app.IntakeState, err error) { states <- st })
		defer stop()
		opts.Intake.SyncNow()
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			cs, _, err := s.Cases(ctx, app.CaseFilter{View: app.ViewAll})
			if err != nil {
				return err
			}
			if len(cs) == 28 {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
		return errors.New("cases did not arrive")
	}
	r := h.run("demo", "--db", db)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !gotOpts.Demo {
		t.Error("window not told it is the demo")
	}
	if !strings.HasSuffix(r.stdout, summary(28, 2, 0, 0, 0)) {
		t.Errorf("stdout ends %q", r.stdout)
	}
}

// The window's intake: the saved account, the password from the keyring
// function, cases reported to subscribers once started.
func TestStartSavedIntake(t *testing.T) {
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	srv := startDemo(t, now, 5)
	acc := srv.Account()
	store, err := data.Open(tempDB(t))
	if err == nil {
		_, _, err = app.AllowSenderDomain(t.Context(), store, corpusSender)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pw := func(host, user string) (string, error) {
		if host != "127.0.0.1" || user != acc.Username {
			return "", fmt.Errorf("no entry for %s@%s", user, host)
		}
		return acc.Password, nil
	}

	// Nothing saved: no intake, no error.
	if in, start, err := cli.StartSavedIntake(ctx, store, pw); in != nil || start != nil || err != nil {
		t.Fatalf("no account: %v %v", in, err)
	}
	for k, v := range map[string]string{
		app.SettingIMAPHost: "127.0.0.1", app.SettingIMAPPort: strconv.Itoa(acc.Port), app.SettingIMAPSecurity: "plain",
		app.SettingIMAPUser: acc.Username,
	} {
		if err := store.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	// No password in the keyring: a Swedish message, no intake.
	if _, _, err := cli.StartSavedIntake(ctx, store, func(string, string) (string, error) { return "", errors.New("not found") }); err == nil ||
		!strings.Contains(app.ErrorMessage(err), "nyckelring") {
		t.Fatalf("no password: %v", err)
	}
	in, start, err := cli.StartSavedIntake(ctx, store, pw)
	if err != nil || in == nil {
		t.Fatalf("StartSavedIntake: %v", err)
	}
	got := make(chan app.IngestResult, 10)
	defer in.OnCase(func(r app.IngestResult, _ *app.Notice) { got <- r })()
	start()
	for i := 0; i < 5; i++ {
		select {
		case r := <-got:
			if r.CaseID == 0 {
				t.Errorf("result without a case: %+v", r)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of 5 cases reported", i)
		}
	}
}

// corpusSender is the sender domain of the sample notices and the demo's.
const corpusSender = "notis.1177.example"

// allowCorpusSender lets the samples' notices into the database at db, as
// an administrator does with `senders allow`.
func allowCorpusSender(h *harness, db string) {
	h.t.Helper()
	h.ok("--db", db, "senders", "allow", corpusSender)
}
