package cli_test

import (
	"context"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// demo --team without a screen says so first and starts nothing; headless
// on a given database it seeds it and names the two windows, never the
// password.
func TestDemoTeamHeadless(t *testing.T) {
	pgtest.Need(t)
	h := newHarness(t)
	r := h.run("demo", "--team")
	if r.code != 1 || !strings.Contains(r.stderr, "Ingen skärm") || strings.Contains(r.stdout, "PostgreSQL") {
		t.Errorf("no screen: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	const secret = "Demo-lösen-31"
	target := withPassword(t, pgtest.DB(t), secret)
	h.env["ARENDESTOD_DEMO_HEADLESS"] = "1"
	h.env["ARENDESTOD_DEMO_SECONDS"] = "0.1"
	r = h.run("demo", "--team", "--db", target)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Erik Ek", "Sara Sjöberg", "Fönster 1 startas med:", "Fönster 2 startas med:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("%q missing:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Errorf("password printed:\n%s%s", r.stdout, r.stderr)
	}
	db, err := data.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	staff, err := db.ListStaff(context.Background(), true)
	if err != nil || len(staff) != 6 {
		t.Errorf("seeded staff: %d, %v", len(staff), err)
	}
	if v, _ := db.Setting(context.Background(), app.SettingDemo); v != "1" {
		t.Errorf("demo mark %q", v)
	}
	// A SQLite file is no team database.
	r = h.run("demo", "--team", "--db", tempDB(t))
	if r.code != 2 || !strings.Contains(r.stderr, "PostgreSQL") {
		t.Errorf("SQLite file: exit %d %s", r.code, r.stderr)
	}
}
