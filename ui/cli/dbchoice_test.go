package cli_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/ui/cli"
)

// --db > ARENDESTOD_DB > the saved choice > the default file; a saved URL
// without password gets the keyring's, in memory only.
func TestResolveDB(t *testing.T) {
	const saved = "postgres://arendestod_app@db.example.se/arendestod"
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == cli.EnvDB {
				return v
			}
			return ""
		}
	}
	savedFn := func(v string, err error) func() (string, error) { return func() (string, error) { return v, err } }
	keyring := func(u string) (string, error) {
		if u != saved {
			t.Errorf("keyring asked for %q", u)
		}
		return "hemligt", nil
	}
	noKeyring := func(string) (string, error) { return "", errors.New("no keyring") }
	for _, c := range []struct {
		name               string
		flag, env          string
		saved              func() (string, error)
		password           func(string) (string, error)
		wantDB, wantSource string
		wantErr            bool
	}{
		{"flag first", "/tmp/a.db", "/tmp/b.db", savedFn(saved, nil), keyring, "/tmp/a.db", cli.DBFromFlag, false},
		{"then env", "", "/tmp/b.db", savedFn(saved, nil), keyring, "/tmp/b.db", cli.DBFromEnv, false},
		{"then saved, keyring password", "", "", savedFn(saved, nil), keyring, "postgres://arendestod_app:hemligt@db.example.se/arendestod", cli.DBFromSaved, false},
		{"saved without keyring", "", "", savedFn(saved, nil), noKeyring, saved, cli.DBFromSaved, false},
		{"saved, no keyring wired", "", "", savedFn(saved, nil), nil, saved, cli.DBFromSaved, false},
		{"nothing saved", "", "", savedFn("", nil), keyring, cli.DefaultDBPath(), cli.DBFromDefault, false},
		{"no saved func", "", "", nil, nil, cli.DefaultDBPath(), cli.DBFromDefault, false},
		{"unreadable saved choice", "", "", savedFn("", errors.New("trasig")), keyring, "", "", true},
		{"unreadable saved choice, flag wins", "/tmp/a.db", "", savedFn("", errors.New("trasig")), keyring, "/tmp/a.db", cli.DBFromFlag, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, src, err := cli.ResolveDB(c.flag, env(c.env), c.saved, c.password)
			if (err != nil) != c.wantErr || db != c.wantDB || src != c.wantSource {
				t.Errorf("ResolveDB = %q, %q, %v; want %q, %q (error %v)", db, src, err, c.wantDB, c.wantSource, c.wantErr)
			}
		})
	}
}

// The saved file never holds a password, is the owner's only, and reads
// back as saved; "" removes it.
func TestDBChoiceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "conf", "databas.json")
	if v, err := cli.LoadDBChoice(path); v != "" || err != nil {
		t.Fatalf("no file: %q, %v", v, err)
	}
	for _, in := range []string{
		"postgres://app:hemligt@db.example.se:5433/arendestod?sslmode=verify-full",
		"postgresql://app@db.example.se/arendestod?password=hemligt&sslmode=require",
	} {
		if err := cli.SaveDBChoice(path, in); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "hemligt") {
			t.Errorf("password in the file: %s", b)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v", fi.Mode().Perm())
		}
		v, err := cli.LoadDBChoice(path)
		if err != nil || v != app.StripDBPassword(in) || strings.Contains(v, "hemligt") {
			t.Errorf("read back %q, %v; want %q", v, err, app.StripDBPassword(in))
		}
	}
	if err := cli.SaveDBChoice(path, "/tmp/fil.db"); err == nil {
		t.Error("a SQLite path saved")
	}
	if err := cli.SaveDBChoice(path, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file still there: %v", err)
	}
	os.WriteFile(path, []byte("{inte json"), 0o600)
	if _, err := cli.LoadDBChoice(path); err == nil || !strings.Contains(err.Error(), "Inställningar → Databas") {
		t.Errorf("broken file: %v", err)
	}
}

func TestDBPasswordHelpers(t *testing.T) {
	for _, c := range []struct{ in, stripped, pw string }{
		{"postgres://u:p%40ss@h/db", "postgres://u@h/db", "p@ss"},
		{"postgres://u@h/db?password=x&sslmode=disable", "postgres://u@h/db?sslmode=disable", "x"},
		{"postgres://h/db", "postgres://h/db", ""},
		{"/tmp/a.db", "/tmp/a.db", ""},
	} {
		if got := app.StripDBPassword(c.in); got != c.stripped {
			t.Errorf("app.StripDBPassword(%q) = %q, want %q", c.in, got, c.stripped)
		}
		if got := app.StripDBPassword(c.in); got != c.stripped {
			t.Errorf("app.StripDBPassword(%q) = %q, want %q", c.in, got, c.stripped)
		}
		if got := cli.DBPasswordOf(c.in); got != c.pw {
			t.Errorf("DBPasswordOf(%q) = %q, want %q", c.in, got, c.pw)
		}
	}
	if got := cli.WithDBPassword("postgres://u@h/db", "p@ss"); got != "postgres://u:p%40ss@h/db" {
		t.Errorf("WithDBPassword = %q", got)
	}
	if got := cli.WithDBPassword("postgres://u:a@h/db", "b"); got != "postgres://u:a@h/db" {
		t.Errorf("WithDBPassword kept? %q", got)
	}
}
