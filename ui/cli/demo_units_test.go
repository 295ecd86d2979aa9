package cli_test

import (
	"context"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/demo"
	"arendestod/data"
	"arendestod/ui/cli"
)

// The demo ships every mottagning filled: no demo reply has a hole.
func TestDemoShipsEveryUnit(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	h.env[cli.EnvDemoHeadless] = "1"
	h.env[cli.EnvDemoSeconds] = "0.5"
	path := tempDB(t)
	h.ok("--db", path, "demo")
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, u := range demo.Units() {
		d, own, err := app.UnitDetailsFor(context.Background(), db, u)
		if err != nil || !own || d.Name != u || len(d.Missing()) > 0 {
			t.Errorf("%s: %+v own %v err %v", u, d, own, err)
		}
	}
}
