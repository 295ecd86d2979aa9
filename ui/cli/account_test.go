package cli_test

import (
	"reflect"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/data"
	"arendestod/ui/cli"
)

// The account the settings screen saves is the one `sync` and the window's
// intake read, on a real store; the password is never saved; an invalid
// account saves nothing.
func TestSavedAccountRoundTrip(t *testing.T) {
	store, err := data.Open(tempDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := t.Context()
	if acc, err := app.LoadIMAPAccount(ctx, store); err != nil || acc.Host != "" {
		t.Fatalf("nothing saved: %+v %v", acc, err)
	}
	bad := app.IMAPAccount{Host: "imap.region.example", Security: app.IMAPSecurityPlain, Username: "bup", Password: "hemligt"}
	if err := app.SaveIMAPAccount(ctx, store, bad); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("plain to a remote host saved: %v", err)
	}
	if v, _ := store.Setting(ctx, app.SettingIMAPHost); v != "" {
		t.Fatalf("invalid account saved its host %q", v)
	}
	want := app.IMAPAccount{Host: "imap.region.example", Port: 1993, Security: app.IMAPSecurityStartTLS, Username: "bup",
		Mailbox: "Notiser", MarkSeen: true, MoveTo: "Notiser/Klara", Assignee: "SE2321000131-P000000000042"}
	withPw := want
	withPw.Password = "hemligt"
	if err := app.SaveIMAPAccount(ctx, store, withPw); err != nil {
		t.Fatal(err)
	}
	got, err := app.LoadIMAPAccount(ctx, store)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded %+v, %v; want %+v", got, err, want)
	}
	for _, k := range []string{app.SettingIMAPHost, app.SettingIMAPPort, app.SettingIMAPSecurity, app.SettingIMAPUser,
		app.SettingIMAPMailbox, app.SettingIMAPMarkSeen, app.SettingIMAPMoveTo, app.SettingIMAPAssignee} {
		if v, _ := store.Setting(ctx, k); strings.Contains(v, "hemligt") {
			t.Errorf("password in setting %s", k)
		}
	}

	// A hand-edited value is named, and the rest still read.
	for _, tc := range []struct{ key, value, want string }{
		{app.SettingIMAPPort, "993a", "imap.port"},
		{app.SettingIMAPMarkSeen, "kanske", "imap.mark_seen"},
	} {
		if err := app.SaveIMAPAccount(ctx, store, want); err != nil {
			t.Fatal(err)
		}
		store.SetSetting(ctx, tc.key, tc.value)
		got, err := app.LoadIMAPAccount(ctx, store)
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) || got.Host != want.Host {
			t.Errorf("%s=%q: %+v %v", tc.key, tc.value, got, err)
		}
	}
}

// sync on a saved account with a setting it cannot read: exit 2, the
// setting named.
func TestSyncSavedAccountBadSetting(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	h.ok("--db", db, "cases")
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{app.SettingIMAPHost: "127.0.0.1", app.SettingIMAPUser: "u", app.SettingIMAPPort: "x"} {
		store.SetSetting(t.Context(), k, v)
	}
	store.Close()
	h.env[cli.EnvIMAPPassword] = "p"
	if r := h.run("--db", db, "sync", "--once"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, `inställningen imap.port: "x" är inget portnummer`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
