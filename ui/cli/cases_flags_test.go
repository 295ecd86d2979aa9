package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// `cases --json` flags as the inbox does (issue 12): citizen-answered while
// the citizen's new clock runs, stale after the clinic's number of working
// days without action (setting flagga.ingen-atgard-arbetsdagar).
func TestCasesJSONRoutineFlags(t *testing.T) {
	h := newHarness(t) // Monday 28 December 2026, 09:00
	db := tempDB(t)
	h.ok("--db", db, "case", "add", "--type", "skicka-meddelande", "--received", "2026-12-01 09:00")
	h.ok("--db", db, "case", "add", "--type", "skicka-meddelande", "--received", "2026-12-02 09:00")
	h.ok("--db", db, "case", "add", "--type", "skicka-meddelande", "--received", "2026-12-21 09:00")
	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	act := func(id int64, fn func(c *app.Case) ([]app.Event, error)) {
		t.Helper()
		if _, err := s.UpdateCase(ctx, id, "SE2321000131-P000000000001", fn); err != nil {
			t.Fatal(err)
		}
	}
	at := func(d, hh int) time.Time { return time.Date(2026, 12, d, hh, 0, 0, 0, app.Stockholm) }
	// 1: a motfråga, answered by the citizen on Wednesday 23/12: owed by
	// Tuesday 29/12 (julafton to annandag jul are no working days).
	act(1, func(c *app.Case) ([]app.Event, error) { return c.Motfraga("SE2321000131-P000000000001", at(2, 9)) })
	act(1, func(c *app.Case) ([]app.Event, error) {
		return c.CitizenAnswered(app.ActorSystem, at(23, 9), s.Calendar())
	})
	// 2: a delsvar on 3/12, nothing since.
	act(2, func(c *app.Case) ([]app.Event, error) { return c.Delsvar("SE2321000131-P000000000001", at(3, 9)) })
	// 3: a delsvar on 22/12: four working days ago.
	act(3, func(c *app.Case) ([]app.Event, error) { return c.Delsvar("SE2321000131-P000000000001", at(22, 9)) })
	s.Close()

	flags := func() map[int64]string {
		out := map[int64]string{}
		for _, c := range h.casesJSON(db, false) {
			out[c.ID] = c.Flag
		}
		return out
	}
	want := map[int64]string{1: "citizen-answered", 2: "stale", 3: "answered"}
	if got := flags(); !equalFlags(got, want) {
		t.Errorf("flags on 28/12: %v, want %v", got, want)
	}
	// On Tuesday 29/12 the citizen's answer is due; with three working
	// days without action (23, 28, 29/12) case 3 is stale too.
	h.now = at(29, 9)
	s, err = data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, app.SettingStaleDays, "3"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	want = map[int64]string{1: "due-today", 2: "stale", 3: "stale"}
	if got := flags(); !equalFlags(got, want) {
		t.Errorf("flags on 29/12 with 3 days: %v, want %v", got, want)
	}
	text := h.ok("--db", db, "cases")
	if !strings.Contains(text, "Ingen åtgärd på 3 dagar") {
		t.Errorf("cases printed %q", text)
	}
}

func equalFlags(a, b map[int64]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
