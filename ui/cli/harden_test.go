package cli_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/ui/cli"
)

// notice is a 1177 notice from sender with Inkom inkom and Date date.
func notice(id, sender, inkom string, date time.Time) string {
	return fmt.Sprintf("Subject: Nytt =?utf-8?q?=C3=A4rende?= i 1177 e-tjänster\r\nFrom: 1177 <%s>\r\nTo: bup@region.example\r\n"+
		"Date: %s\r\nMessage-ID: <%s@x.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"Ett nytt ärende har kommit in i 1177 e-tjänster.\r\n\r\nÄrendetyp: Förnya recept\r\nÄrendenummer: 2026-77%s\r\nInkom: %s\r\n",
		sender, date.Format(time.RFC1123Z), id, id, inkom)
}

// TestCaseAddReceivedBounds: a received time before 2000 or more than a
// day ahead is refused with exit 2 naming --received (issue 13, item 1);
// within a day ahead is fine.
func TestCaseAddReceivedBounds(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	for _, when := range []string{"9999-12-31 23:59", "1999-12-31 23:59", "2026-12-29 09:01"} {
		r := h.run("--db", db, "case", "add", "--type", "egenremiss", "--received", when)
		if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "--received") {
			t.Errorf("%s: exit %d, stderr %q", when, r.code, r.stderr)
		}
	}
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-29 08:59")
	if out := h.ok("--db", db, "cases"); strings.Count(out, "\n") != 2 {
		t.Errorf("cases:\n%s", out)
	}
}

// TestImportDateQuarantine: a notice whose Inkom lies years after its own
// Date is quarantined with the reason, and `cases` keeps working (issue
// 13, item 1).
func TestImportDateQuarantine(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	allowCorpusSender(h, db)
	dir := t.TempDir()
	sent := time.Date(2026, 12, 20, 10, 0, 0, 0, app.Stockholm)
	writeFile(t, filepath.Join(dir, "a.eml"), notice("01", "noreply@notis.1177.example", "9999-12-31 23:59", sent))
	writeFile(t, filepath.Join(dir, "b.eml"), notice("02", "noreply@notis.1177.example", "1970-01-01 00:00", sent))
	writeFile(t, filepath.Join(dir, "c.eml"), notice("03", "noreply@notis.1177.example", "2026-12-20 09:00", sent))
	if out := h.ok("--db", db, "import", dir); !strings.Contains(out, summary(1, 0, 0, 2, 0)) {
		t.Errorf("import: %q", out)
	}
	h.ok("--db", db, "cases")
	var q []cli.QuarantinedJSON
	if err := json.Unmarshal([]byte(h.ok("--db", db, "quarantine", "--json")), &q); err != nil || len(q) != 2 {
		t.Fatalf("quarantine %+v, %v", q, err)
	}
	for _, x := range q {
		if !strings.Contains(x.Reason, "inkommen tid") {
			t.Errorf("reason %q", x.Reason)
		}
	}
}

// TestSendersAndRelease: a forged notice from an unknown sender is
// quarantined as "okänd avsändare" with the address; `senders` validates,
// lists and audits; once the domain is allowed the message is released
// into a case (issue 13, item 2).
func TestSendersAndRelease(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	if got := h.ok("--db", db, "senders", "list", "--json"); strings.Join(strings.Fields(got), "") != `["1177.se"]` {
		t.Errorf("default senders %q", got)
	}
	for _, bad := range []string{"", "evil", "ev il.se", "-x.se", "a..se", "ex\x1bample.se"} {
		if r := h.run("--db", db, "senders", "allow", bad); r.code != cli.ExitUsage || strings.ContainsRune(r.stderr, 0x1b) {
			t.Errorf("allow %q: exit %d, stderr %q", bad, r.code, r.stderr)
		}
	}
	if r := h.run("--db", db, "senders", "frobnicate"); r.code != cli.ExitUsage {
		t.Errorf("unknown subcommand: exit %d", r.code)
	}
	dir := t.TempDir()
	sent := time.Date(2026, 12, 20, 10, 0, 0, 0, app.Stockholm)
	writeFile(t, filepath.Join(dir, "forged.eml"), notice("11", "attacker@evil.example", "2026-12-20 09:00", sent))
	if out := h.ok("--db", db, "import", dir); !strings.Contains(out, summary(0, 0, 0, 1, 0)) {
		t.Errorf("import: %q", out)
	}
	var q []cli.QuarantinedJSON
	if err := json.Unmarshal([]byte(h.ok("--db", db, "quarantine", "--json")), &q); err != nil || len(q) != 1 ||
		q[0].Reason != "okänd avsändare: attacker@evil.example" {
		t.Fatalf("quarantine %+v, %v", q, err)
	}
	id := fmt.Sprint(q[0].ID)
	if r := h.run("--db", db, "quarantine", "release", id); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "okänd avsändare") {
		t.Errorf("release before allowing: exit %d, stderr %q", r.code, r.stderr)
	}
	h.ok("--db", db, "senders", "allow", "Evil.Example.")
	if got := h.ok("--db", db, "senders", "list"); !strings.Contains(got, "  evil.example\n") || !strings.Contains(got, "  1177.se\n") {
		t.Errorf("list %q", got)
	}
	if out := h.ok("--db", db, "quarantine", "release", id); !strings.Contains(out, "släppt") {
		t.Errorf("release: %q", out)
	}
	var cases []cli.CaseJSON
	if err := json.Unmarshal([]byte(h.ok("--db", db, "cases", "--json")), &cases); err != nil || len(cases) != 1 || *cases[0].Reference != "2026-7711" {
		t.Fatalf("cases %+v, %v", cases, err)
	}
	if r := h.run("--db", db, "quarantine", "release", id); r.code != cli.ExitUsage {
		t.Errorf("second release: exit %d", r.code)
	}
	h.ok("--db", db, "senders", "remove", "evil.example")
	if got := h.ok("--db", db, "senders", "list", "--json"); strings.Contains(got, "evil") {
		t.Errorf("after remove: %q", got)
	}
	// Both changes are in the access log.
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%avsändardomän%evil.example'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("audit rows %d, %v", n, err)
	}
}

// TestImportRefusesDevices: /dev/zero is no file to import: refused with
// exit 2 and never read (issue 13, item 7).
func TestImportRefusesDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	h := newHarness(t)
	db := tempDB(t)
	r := h.run("--db", db, "import", "/dev/zero")
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "varken en vanlig fil eller en mapp") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("the database was created")
	}
}

// TestImportLargeMessages: an .eml and an mbox message larger than the
// cap are quarantined by their header with their size (issue 13, item 7).
func TestImportLargeMessages(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	allowCorpusSender(h, db)
	dir := t.TempDir()
	sent := time.Date(2026, 12, 20, 10, 0, 0, 0, app.Stockholm)
	big := notice("21", "noreply@notis.1177.example", "2026-12-20 09:00", sent) + strings.Repeat("x", app.MaxMessageBytes) + "\r\n"
	writeFile(t, filepath.Join(dir, "big.eml"), big)
	mbox := "From x Sun Dec 20 10:00:00 2026\n" + strings.ReplaceAll(notice("22", "noreply@notis.1177.example", "2026-12-20 09:00", sent), "\r\n", "\n") +
		strings.Repeat("y", 3*app.MaxMessageBytes) + "\n\nFrom x Sun Dec 20 10:00:00 2026\n" +
		strings.ReplaceAll(notice("23", "noreply@notis.1177.example", "2026-12-20 09:00", sent), "\r\n", "\n")
	writeFile(t, filepath.Join(dir, "inkorg.mbox"), mbox)
	if out := h.ok("--db", db, "import", dir); !strings.Contains(out, summary(1, 0, 0, 2, 0)) {
		t.Errorf("import: %q", out)
	}
	var q []cli.QuarantinedJSON
	if err := json.Unmarshal([]byte(h.ok("--db", db, "quarantine", "--json")), &q); err != nil || len(q) != 2 {
		t.Fatalf("quarantine %+v, %v", q, err)
	}
	for _, x := range q {
		if !strings.Contains(x.Reason, "för stort") || x.Size > 4096 {
			t.Errorf("quarantined %+v", x)
		}
	}
}

// TestCleanInputAndOutput: control characters in unit, reference and
// staff name are refused; a newline stored anyway (by another program)
// and a file name with a newline cannot forge a table line (issue 13,
// item 8).
func TestCleanInputAndOutput(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	for _, args := range [][]string{
		{"case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00", "--unit", "BUP\n1\t2026-12-22 mån\tFörsenad"},
		{"case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00", "--reference", "2026\x1b[2J"},
		{"case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00", "--unit", "BUP \xff"},
		{"staff", "add", "--name", "Eva\u202eavE", "--hsa-id", "SE2321000131-P000000000009", "--role", "kurator"},
	} {
		if r := h.run(append([]string{"--db", db}, args...)...); r.code != cli.ExitUsage {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	h.ok("--db", db, "case", "add", "--type", "egenremiss", "--received", "2026-12-21 10:00", "--unit", "BUP Uddevalla")
	conn, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`UPDATE cases SET unit = ?`, "BUP\n99\t2026-12-22 tis\tFörsenad"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	out := h.ok("--db", db, "cases")
	if strings.Count(out, "\n") != 2 || !strings.Contains(out, `BUP\n99\t2026`) {
		t.Errorf("cases:\n%s", out)
	}

	allowCorpusSender(h, db)
	dir := t.TempDir()
	name := filepath.Join(dir, "x\n7  2026-12-22 10:00  falsk.eml")
	sent := time.Date(2026, 12, 20, 10, 0, 0, 0, app.Stockholm)
	if err := os.WriteFile(name, []byte(notice("31", "someone@evil.example", "2026-12-20 09:00", sent)), 0o600); err != nil {
		t.Skip(err)
	}
	h.ok("--db", db, "import", dir)
	if out := h.ok("--db", db, "quarantine"); strings.Count(out, "\n") != 2 {
		t.Errorf("quarantine:\n%s", out)
	}
}

// TestInternalErrorOnce: our own internal error is printed once, not
// "X (X)" (issue 13, item 8).
func TestInternalErrorOnce(t *testing.T) {
	h := newHarness(t)
	var stdout, stderr syncBuffer
	env := h.envFor(&stdout, &stderr)
	env.Commands = map[string]cli.Command{"trasig": {Summary: "x", Run: func(r *cli.Run, args []string) error {
		return app.Errorf(app.EINTERNAL, "Säkerhetskopian kunde inte skrivas.")
	}}}
	if code := mainNoWindow(t, context.Background(), []string{"trasig"}, env); code != cli.ExitError ||
		stderr.String() != "arendestod: Säkerhetskopian kunde inte skrivas.\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestIntygDuplicateKeys: a second "child", or a "CHILD", is refused
// rather than silently winning (issue 13, item 8).
func TestIntygDuplicateKeys(t *testing.T) {
	b, err := os.ReadFile("../../testdata/intyg-exempel.json")
	if err != nil {
		t.Fatal(err)
	}
	ex := string(b)
	second := `"child": {"name": "Någon Annan", "personnummer": "20190312-9805"},`
	for name, text := range map[string]string{
		"duplicate":      strings.Replace(ex, `"version": 1,`, `"version": 1, `+second, 1),
		"case variant":   strings.Replace(ex, `"child":`, `"CHILD":`, 1),
		"nested":         strings.Replace(ex, `"name": "Alva Testsson",`, `"name": "Alva Testsson", "Name": "X",`, 1),
		"kelvin variant": strings.Replace(ex, `"kind": "besok"`, `"\u212aind": "besok"`, 1),
	} {
		path := filepath.Join(t.TempDir(), "intyg.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "ut")
		res := runIntygCLI(t, "", "intyg", "render", "--in", path, "--out", out)
		if res.code != cli.ExitUsage || res.rendered != 0 || !strings.Contains(res.stderr, "nyckeln") {
			t.Errorf("%s: exit %d, rendered %d, stderr %q", name, res.code, res.rendered, res.stderr)
		}
		assertNoDir(t, out)
	}
}
