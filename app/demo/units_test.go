package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/data"
)

// The demo ships every mottagning its notices name, filled: no reply of
// the demo has a hole.
func TestSeedUnits(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	units := demo.Units()
	for _, want := range []string{"BUP Uddevalla", "BUP Trollhättan", "BUP Vänersborg", "BUP Strömstad", "BUP Lysekil"} {
		if !slices.Contains(units, want) {
			t.Errorf("units %v lack %s", units, want)
		}
	}
	if err := app.SaveUnitDetails(ctx, db, "BUP Lysekil", app.UnitDetails{Name: "Egen", Phone: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedUnits(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, u := range append(units, "") {
		d, own, err := app.UnitDetailsFor(ctx, db, u)
		if err != nil {
			t.Fatal(err)
		}
		if u == "BUP Lysekil" {
			if d.Name != "Egen" {
				t.Errorf("saved details overwritten: %+v", d)
			}
			continue
		}
		if m := d.Missing(); len(m) > 0 || d.Town == "" || (u != "" && (!own || d.Name != u)) {
			t.Errorf("%q: %+v own %v missing %v", u, d, own, m)
		}
	}
	book, err := app.NewReplyBook(os.DirFS("../../assets/replies"))
	if err != nil {
		t.Fatal(err)
	}
	c := &app.Case{Unit: "BUP Vänersborg", Reference: "1177-1"}
	vals, err := app.ReplyValuesFor(ctx, db, c, wednesday)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range book.All() {
		if left := app.Unfilled(app.FillReply(r.Default, vals).Text); len(left) > 0 && r.Key != "motfraga" {
			t.Errorf("%s: %v left", r.Key, left)
		}
	}
}
