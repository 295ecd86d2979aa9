package cli_test

import (
	"arendestod/app/secrets"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
)

// sqlite3Tool returns the sqlite3 command, skipping when it is missing.
func sqlite3Tool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("sqlite3 is not installed (make test installs it)")
		}
		t.Skip("sqlite3 is not installed")
	}
	return p
}

// auditedDB makes a database at a new path with n access-log rows, its
// keys kept under a configuration folder of the test's own.
func auditedDB(t *testing.T, n int) string {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := db.Audit(context.Background(), app.AuditEntry{Actor: "SE2321000131-P000000000001", Action: "visa"}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	return path
}

// The last rows deleted with the sqlite3 tool, triggers put back: the
// chain is whole, the anchor beside the database says more rows.
func TestAuditVerifyFindsTruncation(t *testing.T) {
	sqlite3 := sqlite3Tool(t)
	path := auditedDB(t, 5)
	if code, out, errs := runAdmin(t, "--db", path, "audit", "verify"); code != 0 || out != "Åtkomstloggen är obruten.\n" {
		t.Fatalf("whole log: exit %d %q %q", code, out, errs)
	}
	script := `CREATE TEMP TABLE t AS SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log';
DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
DELETE FROM audit_log WHERE id > 3;
`
	if out, err := exec.Command(sqlite3, path, script).CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	// Put the triggers back as the migration wrote them.
	for _, name := range []string{"audit_log_no_update", "audit_log_no_delete"} {
		verb := map[string]string{"audit_log_no_update": "UPDATE", "audit_log_no_delete": "DELETE"}[name]
		trig := "CREATE TRIGGER " + name + " BEFORE " + verb + " ON audit_log\nBEGIN\n\tSELECT RAISE(ABORT, 'audit_log is append-only');\nEND;"
		if out, err := exec.Command(sqlite3, path, trig).CombinedOutput(); err != nil {
			t.Fatalf("sqlite3: %v %s", err, out)
		}
	}
	code, out, errs := runAdmin(t, "--db", path, "audit", "verify")
	if code != 1 || out != "" || !strings.Contains(errs, "Åtkomstloggen har kortats") || !strings.Contains(errs, "till och med nr 5") {
		t.Fatalf("truncated log: exit %d %q %q; want 1 saying it was cut at 5", code, out, errs)
	}
}

// A dropped trigger: every command but audit verify refuses the
// database, and audit verify names the trigger.
func TestDroppedTriggerRefused(t *testing.T) {
	sqlite3 := sqlite3Tool(t)
	path := auditedDB(t, 2)
	if out, err := exec.Command(sqlite3, path, `DROP TRIGGER audit_log_no_delete;`).CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	code, _, errs := runAdmin(t, "--db", path, "backup", "--out", filepath.Join(t.TempDir(), "b.db"))
	if code != 1 || !strings.Contains(errs, "triggern audit_log_no_delete finns inte") || !strings.Contains(errs, "audit verify") {
		t.Errorf("backup: exit %d %q", code, errs)
	}
	code, _, errs = runAdmin(t, "--db", path, "audit", "verify")
	if code != 1 || errs != "arendestod: Skyddet mot ändringar i audit_log saknas: triggern audit_log_no_delete finns inte.\n" {
		t.Errorf("audit verify: exit %d %q", code, errs)
	}
}

// restore refuses, in Swedish, while the database is open elsewhere.
func TestRestoreRefusedWhileOpenCommand(t *testing.T) {
	path := auditedDB(t, 1)
	bk := filepath.Join(t.TempDir(), "bk.db")
	if code, _, errs := runAdmin(t, "--db", path, "backup", "--out", bk); code != 0 {
		t.Fatalf("backup: %d %q", code, errs)
	}
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runAdmin(t, "--db", path, "restore", bk)
	db.Close()
	if code != 1 || !strings.Contains(errs, "är öppen i ett annat program") {
		t.Fatalf("restore while open: exit %d %q", code, errs)
	}
	if code, out, errs := runAdmin(t, "--db", path, "restore", bk); code != 0 || !strings.Contains(out, "återställd") {
		t.Fatalf("restore once closed: exit %d %q %q", code, out, errs)
	}
}

// audit key export writes the key owner-only for another desk; audit key
// import takes it there, and refuses a key of another database.
func TestAuditKeyExportImport(t *testing.T) {
	// This desk keeps keys as a desk does (keyring, else its configuration
	// folder: a temporary one), not in the test run's key file.
	t.Setenv(secrets.EnvKeyFile, "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	path := auditedDB(t, 1)
	keyFile := filepath.Join(t.TempDir(), "nyckel.txt")
	code, out, errs := runAdmin(t, "--db", path, "audit", "key", "export", "--out", keyFile)
	if code != 0 || !strings.Contains(out, "sparad i") {
		t.Fatalf("export: exit %d %q %q", code, out, errs)
	}
	if fi, err := os.Stat(keyFile); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if code, _, errs := runAdmin(t, "--db", path, "audit", "key", "export", "--out", keyFile); code != 2 || !strings.Contains(errs, "finns redan") {
		t.Errorf("export over a file: exit %d %q", code, errs)
	}
	// Another desk: its own (empty) configuration folder.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if code, _, errs := runAdmin(t, "--db", path, "cases"); code != 1 || !strings.Contains(errs, "audit key import") {
		t.Errorf("without the key: exit %d %q", code, errs)
	}
	code, out, errs = runAdmin(t, "--db", path, "audit", "key", "import", keyFile)
	if code != 0 || !strings.Contains(out, "sparad på den här datorn") {
		t.Fatalf("import: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := runAdmin(t, "--db", path, "audit", "verify"); code != 0 {
		t.Errorf("verify after import: exit %d %q", code, errs)
	}
	other := auditedDB(t, 1)
	if code, _, errs := runAdmin(t, "--db", other, "audit", "key", "import", keyFile); code != 2 || !strings.Contains(errs, "hör inte till") {
		t.Errorf("import of another database's key: exit %d %q", code, errs)
	}
}
