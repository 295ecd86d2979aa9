package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"arendestod/ui/cli"
)

// Inställningar → Databas: the database in use shown without password;
// Spara puts the URL without password in the per-user file and the
// password in the keyring, to take effect at the next start.
func TestDatabaseSettings(t *testing.T) {
	keyring.MockInit()
	path := filepath.Join(t.TempDir(), "databas.json")
	db := openDB(t)
	seedStaff(t, db)
	f := &fixture{t: t, db: db, ids: seedCases(t, db)}
	f.a = test.NewTempApp(t)
	f.a.Preferences().SetString("medarbetare.test", hsaMaria) // not an administrator: may still choose her database
	f.u = newUI(t.Context(), f.a, Services{Store: db, Now: func() time.Time { return testNow }, OSUser: "test",
		Database: &DatabaseSettings{
			Current: "postgres://arendestod_app@db.example.se/arendestod",
			Source:  cli.DBFromSaved,
			Saved:   func() (string, error) { return cli.LoadDBChoice(path) },
			Save:    func(u string) error { return cli.SaveDBChoice(path, u) },
		}})
	f.u.queued, f.u.debounce, f.u.coalesce = true, 0, 0
	f.u.start()
	f.settle()
	f.selectTab("Inställningar")
	f.settle()
	d := f.u.settings.db
	if d == nil || !strings.Contains(d.current.Text, "postgres://arendestod_app@db.example.se/arendestod") {
		t.Fatalf("current database not shown: %+v", d)
	}

	// Not a PostgreSQL URL: said in the form, nothing saved.
	test.Type(d.url, "/tmp/annan.db")
	test.Tap(d.save)
	f.settle()
	if !d.errLabel.Visible() || !strings.Contains(d.errLabel.Text, "postgres://") {
		t.Errorf("no error for a file path: %q", d.errLabel.Text)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("saved despite the error")
	}

	// A URL and a password.
	d.url.SetText("")
	test.Type(d.url, "postgres://arendestod_app@db.example.se/arendestod")
	test.Type(d.password, "Hemligt-123")
	test.Tap(d.save)
	f.settle()
	if d.errLabel.Visible() {
		t.Fatalf("error: %s", d.errLabel.Text)
	}
	if !strings.Contains(d.info.Text, "nästa gång") {
		t.Errorf("info %q", d.info.Text)
	}
	if d.password.Text != "" {
		t.Error("password left in the field")
	}
	b, err := os.ReadFile(path)
	if err != nil || strings.Contains(string(b), "Hemligt") || !strings.Contains(string(b), "db.example.se") {
		t.Fatalf("file %q, %v", b, err)
	}
	if pw, err := DatabasePassword("postgres://arendestod_app@db.example.se/arendestod"); err != nil || pw != "Hemligt-123" {
		t.Errorf("keyring: %q, %v", pw, err)
	}
	// The next start resolves to the saved URL with the keyring's password.
	got, src, err := cli.ResolveDB("", func(string) string { return "" }, func() (string, error) { return cli.LoadDBChoice(path) }, DatabasePassword)
	if err != nil || src != cli.DBFromSaved || got != "postgres://arendestod_app:Hemligt-123@db.example.se/arendestod" {
		t.Errorf("next start: %q %q %v", got, src, err)
	}

	// A password typed into the address goes to the keyring, not the file.
	d.url.SetText("")
	test.Type(d.url, "postgresql://eva:iURL-456@db2.example.se:5433/team?sslmode=verify-full")
	test.Tap(d.save)
	f.settle()
	b, _ = os.ReadFile(path)
	if strings.Contains(string(b), "iURL") || !strings.Contains(string(b), "db2.example.se") {
		t.Errorf("file %s", b)
	}
	if strings.Contains(d.url.Text, "iURL") {
		t.Errorf("password left in the address field: %q", d.url.Text)
	}
	if pw, _ := DatabasePassword("postgresql://eva@db2.example.se:5433/team"); pw != "iURL-456" {
		t.Errorf("keyring for the typed password: %q", pw)
	}

	// No keyring: said, and nothing saved.
	keyring.MockInitWithError(errors.New("org.freedesktop.secrets saknas"))
	d.url.SetText("")
	test.Type(d.url, "postgres://annan@db3.example.se/x")
	test.Type(d.password, "x")
	test.Tap(d.save)
	f.settle()
	if !d.errLabel.Visible() || !strings.Contains(d.errLabel.Text, "nyckelring") {
		t.Errorf("no keyring message: %q", d.errLabel.Text)
	}
	if b, _ := os.ReadFile(path); strings.Contains(string(b), "db3") {
		t.Error("saved without the keyring")
	}
	keyring.MockInit()

	// An empty field goes back to the local database.
	d.url.SetText("")
	test.Tap(d.save)
	f.settle()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("saved choice not removed: %v", err)
	}
	if !strings.Contains(d.info.Text, "lokala databasen") {
		t.Errorf("info %q", d.info.Text)
	}
}
