package cli_test

// Intake exactly once across desks (issue 11): sync --once, sync --watch
// and the window's intake on a server take the store's intake lease, and
// leave the mailbox to the desk that holds it.

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
	"arendestod/ui/cli"
)

func TestSyncLeavesMailboxToLeaseHolder(t *testing.T) {
	u := pgtest.DB(t)
	h := newHarness(t)
	h.now = time.Date(2026, 11, 25, 14, 30, 0, 0, app.Stockholm)
	srv := startDemo(t, h.now, 5)
	acc := srv.Account()
	h.env[cli.EnvIMAPPassword] = acc.Password
	allowCorpusSender(h, u)

	// Another desk fetches this mailbox.
	holder, err := data.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	key := app.IMAPAccount{Host: "127.0.0.1", Port: acc.Port, Security: "plain", Username: acc.Username}.Key()
	lease, err := holder.AcquireIntakeLease(t.Context(), key)
	if err != nil || lease == nil {
		t.Fatalf("lease: %v, %v", lease, err)
	}
	released := false
	defer func() {
		if !released {
			lease.Release()
		}
	}()
	flags := []string{"--host", "127.0.0.1", "--port", strconv.Itoa(acc.Port), "--security", "plain", "--user", acc.Username}
	const elsewhere = "E-postintaget sköts av en annan dator just nu."

	r := h.run(append([]string{"--db", u, "sync", "--once"}, flags...)...)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, elsewhere) {
		t.Errorf("sync --once beside the fetching desk: exit %d, stderr %q", r.code, r.stderr)
	}

	// The window's intake says so in its status line.
	store, err := data.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for k, v := range map[string]string{
		app.SettingIMAPHost: "127.0.0.1", app.SettingIMAPPort: strconv.Itoa(acc.Port), app.SettingIMAPSecurity: "plain",
		app.SettingIMAPUser: acc.Username,
	} {
		if err := store.SetSetting(t.Context(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	wctx, wcancel := context.WithCancel(t.Context())
	defer wcancel()
	win, start, err := cli.StartSavedIntake(wctx, store, func(string, string) (string, error) { return acc.Password, nil })
	if err != nil || win == nil {
		t.Fatalf("StartSavedIntake: %v", err)
	}
	states := make(chan app.IntakeState, 100)
	defer win.OnState(func(s app.IntakeState, _ error) { states <- s })()
	start()
	select {
	case s := <-states:
		if s != app.IntakeElsewhere || s.Text(nil) != elsewhere {
			t.Errorf("window's intake: state %q (%q)", s, s.Text(nil))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the window's intake reported no state")
	}
	wcancel()

	// sync --watch waits, and takes over when the desk lets go.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- mainNoWindow(t, ctx, append([]string{"--db", u, "sync", "--watch"}, flags...), h.envFor(&stdout, &stderr))
	}()
	waitFor := func(what string, within time.Duration, cond func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(within)
		for !cond(stdout.String()) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s; stdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("line that another desk fetches", 10*time.Second, func(s string) bool { return strings.Contains(s, elsewhere) })
	if strings.Contains(stdout.String(), "Nytt ärende") {
		t.Fatalf("sync --watch fetched beside the desk that holds the lease:\n%s", stdout.String())
	}
	lease.Release()
	released = true
	releasedAt := time.Now()
	waitFor("takeover", 15*time.Second, func(s string) bool { return strings.Contains(s, "Bevakar inkorgen.") })
	t.Logf("took over %v after the release", time.Since(releasedAt).Round(time.Millisecond))
	if n := strings.Count(stdout.String(), "Nytt ärende"); n != 5 {
		t.Errorf("%d new cases printed, want 5:\n%s", n, stdout.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after cancel; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sync --watch did not stop on cancel")
	}
}
