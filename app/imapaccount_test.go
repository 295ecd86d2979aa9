package app_test

import (
	"errors"
	"strings"
	"testing"

	"arendestod/app"
)

func TestAccountValidate(t *testing.T) {
	ok := app.IMAPAccount{Host: "imap.region.example", Username: "bup", Password: "x"}
	tests := []struct {
		name  string
		edit  func(a *app.IMAPAccount)
		field string // "" = valid
	}{
		{"OK", func(a *app.IMAPAccount) {}, ""},
		{"StartTLS", func(a *app.IMAPAccount) { a.Security = "starttls"; a.Port = 143 }, ""},
		{"PlainLoopbackIPv4", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "127.0.0.1" }, ""},
		{"PlainLoopback127Net", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "127.4.5.6" }, ""},
		{"PlainLoopbackIPv6", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "::1" }, ""},
		{"PlainLocalhost", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "LocalHost" }, ""},
		{"PlainLAN", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "192.168.1.10" }, "security"},
		{"PlainName", func(a *app.IMAPAccount) { a.Security = "plain" }, "security"},
		{"PlainLocalhostLookalike", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "localhost.evil.example" }, "security"},
		{"PlainMappedNonLoopback", func(a *app.IMAPAccount) { a.Security, a.Host = "plain", "::ffff:10.0.0.1" }, "security"},
		{"UnknownSecurity", func(a *app.IMAPAccount) { a.Security = "ssl3" }, "security"},
		{"NoHost", func(a *app.IMAPAccount) { a.Host = " " }, "host"},
		{"HostWithSpace", func(a *app.IMAPAccount) { a.Host = "imap region" }, "host"},
		{"PortTooLarge", func(a *app.IMAPAccount) { a.Port = 70000 }, "port"},
		{"NegativePort", func(a *app.IMAPAccount) { a.Port = -1 }, "port"},
		{"NoUser", func(a *app.IMAPAccount) { a.Username = "" }, "user"},
		{"MailboxControlChar", func(a *app.IMAPAccount) { a.Mailbox = "IN\nBOX" }, "mailbox"},
		{"MoveToSameMailbox", func(a *app.IMAPAccount) { a.MoveTo = "inbox" }, "mailbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			err := a.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Field != tt.field || ae.Code != app.EINVALID {
				t.Fatalf("Validate() = %v, want an EINVALID error on %q", err, tt.field)
			}
		})
	}
}

func TestAccountKey(t *testing.T) {
	for _, tt := range []struct {
		acc  app.IMAPAccount
		want string
	}{
		{app.IMAPAccount{Host: "IMAP.Region.example", Username: "bup"}, "bup@imap.region.example:993/INBOX"},
		{app.IMAPAccount{Host: "imap", Username: "bup", Security: "starttls", Mailbox: "Notiser"}, "bup@imap:143/Notiser"},
		{app.IMAPAccount{Host: "127.0.0.1", Port: 1143, Username: "u", Security: "plain"}, "u@127.0.0.1:1143/INBOX"},
	} {
		if got := tt.acc.Key(); got != tt.want {
			t.Errorf("Key() = %q, want %q", got, tt.want)
		}
	}
}

// The form's and the settings' own checks are the account's: a host with a
// scheme or a port, a port out of range.
func TestAccountValidateHostAndPort(t *testing.T) {
	for _, tt := range []struct {
		host  string
		field string
	}{
		{"imap.example.se", ""},
		{"[::1]", ""},
		{"2001:db8::1", ""},
		{"imap.example.se:993", "host"},
		{"imap://imap.example.se", "host"},
		{"imap.example.se/inbox", "host"},
	} {
		err := app.IMAPAccount{Host: tt.host, Username: "u"}.Validate()
		var ae *app.Error
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%q: %v", tt.host, err)
		case tt.field != "" && (!errors.As(err, &ae) || ae.Field != tt.field):
			t.Errorf("%q: %v, want an error on %q", tt.host, err, tt.field)
		}
	}
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{{"", 0, true}, {" 993 ", 993, true}, {"1", 1, true}, {"65535", 65535, true},
		{"0", 0, false}, {"65536", 0, false}, {"-1", 0, false}, {"993a", 0, false}} {
		n, err := app.ParseIMAPPort(tt.in)
		if (err == nil) != tt.ok || n != tt.want {
			t.Errorf("ParseIMAPPort(%q) = %d, %v", tt.in, n, err)
		}
		var ae *app.Error
		if err != nil && (!errors.As(err, &ae) || ae.Field != "port") {
			t.Errorf("ParseIMAPPort(%q): %v is not a port field error", tt.in, err)
		}
	}
}

// TLS is the default; plain is never chosen for the user.
func TestAccountDefaults(t *testing.T) {
	a := app.IMAPAccount{Host: " [IMAP.Example.se] ", Username: "u"}
	if a.SecurityMode() != app.IMAPSecurityTLS || a.ServerPort() != 993 || a.MailboxName() != "INBOX" || !a.ReadOnly() {
		t.Errorf("defaults: %s %d %s %v", a.SecurityMode(), a.ServerPort(), a.MailboxName(), a.ReadOnly())
	}
	if a.Addr() != "IMAP.Example.se:993" {
		t.Errorf("Addr() = %q", a.Addr())
	}
	a.Security = "STARTTLS"
	if a.SecurityMode() != app.IMAPSecurityStartTLS || a.ServerPort() != 143 {
		t.Errorf("starttls: %s %d", a.SecurityMode(), a.ServerPort())
	}
	if a.MarkSeen = true; a.ReadOnly() {
		t.Error("MarkSeen opens the mailbox read-only")
	}
	for host, want := range map[string]bool{"localhost": true, "localhost.": true, "[::1]": true, "127.0.0.2": true,
		"10.0.0.1": false, "localhost.evil.example": false, "": false} {
		if got := app.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v", host, got)
		}
	}
}

// Every state has one Swedish line; an error gives its reason, and
// promises a retry only when one can help.
func TestIntakeStateText(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range []app.IntakeState{app.IntakeConnecting, app.IntakeFetching, app.IntakeWatching, app.IntakeError, app.IntakeStopped, app.IntakeElsewhere} {
		text := s.Text(nil)
		if text == string(s) || text == "" || seen[text] {
			t.Errorf("%s: text %q", s, text)
		}
		seen[text] = true
	}
	if got := app.IntakeState("okänt").Text(nil); got != "okänt" {
		t.Errorf("unknown state: %q", got)
	}
	got := app.IntakeError.Text(errors.New("dial tcp 127.0.0.1:993: connection refused"))
	if !strings.Contains(got, "connection refused") || !strings.Contains(got, "Försöker igen") {
		t.Errorf("network error: %q", got)
	}
	got = app.IntakeError.Text(app.FieldErrorf("password", "Lösenordet finns inte i nyckelringen."))
	if !strings.Contains(got, "nyckelringen") || strings.Contains(got, "Försöker igen") || strings.Contains(got, "password") {
		t.Errorf("account error: %q", got)
	}
}
