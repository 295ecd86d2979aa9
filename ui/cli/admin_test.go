package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/pdf"
	"arendestod/ui/cli"
)

func adminEnv(stdout, stderr *bytes.Buffer) cli.Env {
	return cli.Env{
		Stdout: stdout, Stderr: stderr,
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm) },
		Open:   func(p string) (cli.Store, error) { return data.Open(p) },
		// audit verify opens a database whose log Open refuses.
		OpenForCheck: func(p string) (cli.Store, error) { return data.Open(p, data.ForAuditCheck()) },
		Commands: cli.AdminCommands(data.Restore, func(w io.Writer, p app.Personnummer, clinic string, at time.Time, es []app.AuditEntry) error {
			return pdf.RenderAccessExtract(w, pdf.AccessExtract{Patient: p, Clinic: clinic, CreatedAt: at, Entries: es})
		}),
	}
}

func runAdmin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := mainNoWindow(t, context.Background(), args, adminEnv(&out, &errb))
	return code, out.String(), errb.String()
}

// TestAuditVerifyDetectsEditWithSqlite3 changes a row the way someone with
// the sqlite3 tool would: drop the trigger that guards the log, then edit.
func TestAuditVerifyDetectsEditWithSqlite3(t *testing.T) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("sqlite3 is not installed (make test installs it)")
		}
		t.Skip("sqlite3 is not installed")
	}
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := data.Open(path)
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

	if code, out, errs := runAdmin(t, "--db", path, "audit", "verify"); code != 0 || !strings.Contains(out, "obruten") {
		t.Fatalf("intact log: exit %d, %q %q", code, out, errs)
	}
	// The trigger refuses a plain UPDATE.
	if out, err := exec.Command(sqlite3, path, `UPDATE audit_log SET action = 'x' WHERE id = 2;`).CombinedOutput(); err == nil {
		t.Fatalf("UPDATE through sqlite3 succeeded: %s", out)
	}
	if out, err := exec.Command(sqlite3, path,
		`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'SE2321000131-P000000000009' WHERE id = 2;`).CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	code, _, errs := runAdmin(t, "--db", path, "audit", "verify")
	if code != 1 || !strings.Contains(errs, "nr 2") {
		t.Fatalf("edited log: exit %d, stderr %q; want 1 naming row 2", code, errs)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	if code, _, errs := runAdmin(t, "--db", path, "backup"); code != 2 || !strings.Contains(errs, "--out") {
		t.Fatalf("backup without --out: exit %d %q", code, errs)
	}
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := app.NewCase(app.TypeJournalkopia, time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm), db.Calendar())
	if err := db.CreateCase(context.Background(), c, "test"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	bk := filepath.Join(dir, "bk.db")
	if code, out, errs := runAdmin(t, "--db", path, "backup", "--out", bk); code != 0 || !strings.Contains(out, "bk.db") {
		t.Fatalf("backup: exit %d %q %q", code, out, errs)
	}
	// A second case after the backup disappears with the restore.
	db, _ = data.Open(path)
	c2 := app.NewCase(app.TypeEgenremiss, time.Date(2026, 11, 30, 10, 0, 0, 0, app.Stockholm), db.Calendar())
	db.CreateCase(context.Background(), c2, "test")
	db.Close()
	code, out, errs := runAdmin(t, "--db", path, "restore", bk)
	if code != 0 || !strings.Contains(out, "ersatta") {
		t.Fatalf("restore: exit %d %q %q", code, out, errs)
	}
	db, _ = data.Open(path)
	defer db.Close()
	if _, n, _ := db.Cases(context.Background(), app.CaseFilter{View: app.ViewAll}); n != 1 {
		t.Fatalf("after restore %d cases, want 1", n)
	}
	if code, _, errs := runAdmin(t, "--db", path, "restore", filepath.Join(dir, "saknas.db")); code != 2 || !strings.Contains(errs, "finns inte") {
		t.Fatalf("restore of a missing file: exit %d %q", code, errs)
	}
}

func TestAuditExtract(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	pnr, other := app.Personnummer("201903129805"), app.Personnummer("198507209818")
	for _, e := range []app.AuditEntry{
		{Actor: "SE2321000131-P000000000001", Unit: "BUP Uddevalla", Patient: pnr, Action: "visa"},
		{Actor: "SE2321000131-P000000000002", Unit: "BUP Trollhättan", Patient: pnr, Action: "skriv-ut"},
		{Actor: "SE2321000131-P000000000001", Unit: "BUP Uddevalla", Patient: other, Action: "visa"},
	} {
		if err := db.Audit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if code, _, errs := runAdmin(t, "--db", path, "audit", "extract", "--pnr", "20190312-9806"); code != 2 || !strings.Contains(errs, "--pnr") {
		t.Fatalf("bad pnr: exit %d %q", code, errs)
	}
	out := filepath.Join(dir, "utdrag.pdf")
	code, stdout, errs := runAdmin(t, "--db", path, "audit", "extract", "--pnr", "20190312-9805", "--out", out)
	if code != 0 || !strings.Contains(stdout, "2 åtkomster") {
		t.Fatalf("extract: exit %d %q %q", code, stdout, errs)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "utdrag.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(csv)), "\n"); len(lines) != 3 ||
		!strings.Contains(string(csv), "BUP Trollhättan") || strings.Contains(string(csv), "P000000000002") {
		t.Errorf("csv = %q: want header + 2 rows with units, no staff", csv)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command(pdftotext, "-layout", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Utdrag ur åtkomstloggen", "20190312-9805", "BUP Trollhättan", "Skrivit ut", "Läst"} {
			if !strings.Contains(string(txt), want) {
				t.Errorf("PDF text lacks %q:\n%s", want, txt)
			}
		}
		if strings.Contains(string(txt), "19850720-9818") {
			t.Error("the extract shows another patient")
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext missing")
	}
	// Making the extract is itself logged.
	db, _ = data.Open(path)
	defer db.Close()
	es, _ := db.AuditEntries(context.Background(), app.AuditFilter{Patient: pnr})
	if len(es) != 3 || es[2].Action != "utdrag" {
		t.Errorf("audit after extract: %+v", es)
	}
}

// TestAuditExtractCSV: the CSV beside the PDF is for Excel (mark,
// semicolons, CRLF) and names each access in Swedish, not by its key.
func TestAuditExtractCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	pnr := app.Personnummer("201903129805")
	for _, e := range []app.AuditEntry{
		{Actor: "SE2321000131-P000000000001", Unit: "=BUP Uddevalla", Patient: pnr, Action: app.AuditView},
		{Actor: "SE2321000131-P000000000002", Unit: "BUP Trollhättan", Patient: pnr, Action: app.AuditPrint},
		{Actor: "SE2321000131-P000000000002", Patient: pnr, Action: app.AuditExport},
	} {
		if err := db.Audit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out := filepath.Join(dir, "utdrag.pdf")
	if code, stdout, errs := runAdmin(t, "--db", path, "audit", "extract", "--pnr", "20190312-9805", "--out", out); code != 0 {
		t.Fatalf("extract: exit %d %q %q", code, stdout, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "utdrag.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"\ufeffDatum och tid;Enhet;Åtgärd\r\n",
		";'=BUP Uddevalla;Läst\r\n",
		";BUP Trollhättan;Skrivit ut\r\n",
		";Mottagningen;Exporterat\r\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("csv lacks %q:\n%q", want, got)
		}
	}
	for _, key := range []string{";visa", ";skriv-ut", ";exportera"} {
		if strings.Contains(got, key) {
			t.Errorf("csv shows the key %q:\n%q", key, got)
		}
	}
}

// TestAuditExtractFailures: when the access log refuses the extract's row
// or a file cannot be put in place, no extract file and no temporary file
// is left; a file that cannot be written is exit status 1, as before.
func TestAuditExtractFailures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	pnr := app.Personnummer("201903129805")
	if err := db.Audit(context.Background(), app.AuditEntry{Actor: "SE2321000131-P000000000001", Unit: "BUP Uddevalla",
		Patient: pnr, Action: app.AuditView}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	files := func(dir string) []string {
		ents, _ := os.ReadDir(dir)
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		return names
	}

	// The rename of the CSV fails: a folder of that name is in the way.
	outDir := filepath.Join(dir, "ut")
	if err := os.MkdirAll(filepath.Join(outDir, "utdrag.csv", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runAdmin(t, "--db", path, "audit", "extract", "--pnr", "20190312-9805", "--out", filepath.Join(outDir, "utdrag.pdf"))
	if code != 1 || !strings.Contains(errs, "utdrag.csv") {
		t.Errorf("csv in the way: exit %d %q", code, errs)
	}
	if got := files(outDir); len(got) != 1 || got[0] != "utdrag.csv" {
		t.Errorf("after a failed extract the folder holds %q", got)
	}

	// No such folder.
	code, _, errs = runAdmin(t, "--db", path, "audit", "extract", "--pnr", "20190312-9805", "--out", filepath.Join(dir, "saknas", "u.pdf"))
	if code != 1 || !strings.Contains(errs, "u.pdf") {
		t.Errorf("missing folder: exit %d %q", code, errs)
	}

	// The access log refuses the row: neither file appears.
	sqldb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.Exec(`CREATE TRIGGER refuse_extract BEFORE INSERT ON audit_log WHEN NEW.action = 'utdrag'
		BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	sqldb.Close()
	outDir2 := filepath.Join(dir, "ut2")
	if err := os.Mkdir(outDir2, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runAdmin(t, "--db", path, "audit", "extract", "--pnr", "20190312-9805", "--out", filepath.Join(outDir2, "u.pdf")); code == 0 {
		t.Errorf("audit refused: exit 0 %q", errs)
	}
	if got := files(outDir2); len(got) != 0 {
		t.Errorf("after a refused audit row the folder holds %q", got)
	}
}
