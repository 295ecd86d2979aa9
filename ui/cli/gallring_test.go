package cli_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/ui/cli"
)

// clock is a settable clock safe for the command's goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestSyncWatchGallrar: `sync --watch` gallrar at start and then once a
// day, by the injected clock: a server with no window open removes
// patient identifiers too (issue 13, item 6).
func TestSyncWatchGallrar(t *testing.T) {
	defer cli.SetGallringInterval(20 * time.Millisecond)()
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	clk := &clock{t: h.now}
	srv := startDemo(t, h.now, 2)
	acc := srv.Account()
	db := tempDB(t)
	allowCorpusSender(h, db)
	h.env[cli.EnvIMAPPassword] = acc.Password

	// Two closed cases with a patient: one beyond the 24 months, one a
	// day short of them.
	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for name, closed := range map[string]time.Time{
		"Gammalsson": h.now.AddDate(0, -25, 0),
		"Nastansson": h.now.AddDate(0, -24, 1),
	} {
		s.Now = func() time.Time { return closed }
		c := app.NewCase(app.TypeEgenremiss, closed.Add(-time.Hour), s.Calendar())
		if err := s.CreateCase(t.Context(), c, "test"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateCase(t.Context(), c.ID, "test", func(c *app.Case) ([]app.Event, error) {
			ev, err := c.SetPatient("20190312-9805", "Alva "+name, "test", closed)
			if err != nil {
				return nil, err
			}
			cl, err := c.Close("test", closed)
			return append(ev, cl...), err
		}); err != nil {
			t.Fatal(err)
		}
		ids[name] = c.ID
	}
	s.Close()
	hasPatient := func(name string) bool {
		t.Helper()
		s, err := data.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		c, err := s.Case(t.Context(), ids[name])
		if err != nil {
			t.Fatal(err)
		}
		return c.HasPatientData()
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	env := h.envFor(&stdout, &stderr)
	env.Now = clk.Now
	done := make(chan int, 1)
	go func() {
		done <- mainNoWindow(t, ctx, []string{"--db", db, "sync", "--watch", "--host", "127.0.0.1", "--port", strconv.Itoa(acc.Port),
			"--security", "plain", "--user", acc.Username}, env)
	}()
	waitLines := func(n int) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for strings.Count(stdout.String(), "Gallring: patientuppgifter borttagna ur 1 ") < n {
			if time.Now().After(deadline) {
				t.Fatalf("no gallring %d; stdout:\n%s\nstderr:\n%s", n, stdout.String(), stderr.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitLines(1)
	if hasPatient("Gammalsson") || !hasPatient("Nastansson") {
		t.Errorf("after the first gallring: beyond %v, within %v", hasPatient("Gammalsson"), hasPatient("Nastansson"))
	}
	// The same day: nothing more. Two days on: the second case is due.
	time.Sleep(100 * time.Millisecond)
	clk.add(48 * time.Hour)
	waitLines(2)
	if hasPatient("Nastansson") {
		t.Error("the second case kept its patient after the next day's gallring")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 && code != 130 {
			t.Logf("sync --watch exit %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("sync --watch did not stop")
	}
	if strings.Contains(stderr.String(), "Gallringen misslyckades") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}
