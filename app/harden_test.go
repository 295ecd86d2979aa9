package app_test

import (
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// TestDecideIngestReceivedBounds: issue 13 item 1. A notice received in
// year 9999, before 2000, or more than a day after its mail's date is
// quarantined with the reason instead of becoming a case whose due date
// breaks every list; a future notice consistent with its own Date (the
// holiday samples) still becomes a case.
func TestDecideIngestReceivedBounds(t *testing.T) {
	cal := app.NewCalendar()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	mail := time.Date(2026, 11, 30, 8, 0, 0, 0, app.Stockholm)
	in := func(received, mailDate time.Time) app.Inbound {
		return app.Inbound{Key: "<k>", Source: "test", Raw: []byte("raw"), MailDate: mailDate,
			Notice: &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeEgenremiss, ReceivedAt: received}}
	}
	for name, c := range map[string]app.Inbound{
		"year 9999":         in(time.Date(9999, 12, 31, 23, 59, 0, 0, app.Stockholm), mail),
		"9999 without date": in(time.Date(9999, 12, 31, 23, 59, 0, 0, app.Stockholm), time.Time{}),
		"1999":              in(time.Date(1999, 12, 31, 23, 0, 0, 0, app.Stockholm), mail),
		"two days ahead":    in(mail.Add(49*time.Hour), mail),
	} {
		d := app.DecideIngest(c, nil, cal, now)
		if d.Outcome != app.OutcomeQuarantined || d.Quarantine == nil || !strings.Contains(d.Quarantine.Reason, "inkommen tid") ||
			string(d.Quarantine.Raw) != "raw" {
			t.Errorf("%s: %+v", name, d)
		}
	}
	christmas := time.Date(2026, 12, 23, 9, 0, 0, 0, app.Stockholm)
	for name, c := range map[string]app.Inbound{
		"holiday sample, own date": in(christmas, christmas.Add(time.Minute)),
		"within a day":             in(mail.Add(23*time.Hour), mail),
		"no mail date":             in(christmas, time.Time{}),
	} {
		if d := app.DecideIngest(c, nil, cal, now); d.Outcome != app.OutcomeNew {
			t.Errorf("%s: %+v", name, d)
		}
	}
}

func TestCheckReceivedAt(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	for _, tc := range []struct {
		t  time.Time
		ok bool
	}{
		{now, true},
		{now.Add(24 * time.Hour), true},
		{now.Add(24*time.Hour + time.Minute), false},
		{app.EarliestReceived, true},
		{app.EarliestReceived.Add(-time.Minute), false},
		{time.Time{}, false},
	} {
		if err := app.CheckReceivedAt(tc.t, now); (err == nil) != tc.ok {
			t.Errorf("%v: %v", tc.t, err)
		}
	}
}

// TestSenderRule: issue 13 item 2.
func TestSenderRule(t *testing.T) {
	domains := []string{"1177.se", "notis.1177.example"}
	for addr, want := range map[string]bool{
		"noreply@1177.se":                            true,
		"1177 <noreply@notis.1177.se>":               true,
		"=?utf-8?q?x?= <NoReply@Notis.1177.Example>": true,
		"noreply@x1177.se":                           false,
		"noreply@1177.se.evil.example":               false,
		"kollega@region.example":                     false,
		"1177.se":                                    false,
		"":                                           false,
	} {
		if got := app.SenderAllowed(addr, domains); got != want {
			t.Errorf("%q: %v, want %v", addr, got, want)
		}
	}
	n := &app.Notice{Kind: app.NoticeTilldelat, Type: app.TypeEgenremiss, Reference: "2026-1"}
	forged := app.Inbound{Key: "<k>", Notice: n, Sender: "Chef <chef@evil.example>", Raw: []byte("raw")}
	app.ScreenSender(&forged, domains, time.Now())
	if forged.Notice != nil || forged.Quarantine == nil || forged.Quarantine.Reason != "okänd avsändare: chef@evil.example" ||
		string(forged.Quarantine.Raw) != "raw" {
		t.Errorf("forged: %+v", forged)
	}
	failed := app.Inbound{Key: "<k>", Notice: n, Sender: "noreply@1177.se", AuthFailure: "dmarc=fail"}
	app.ScreenSender(&failed, domains, time.Now())
	if failed.Quarantine == nil || !strings.Contains(failed.Quarantine.Reason, "dmarc=fail") {
		t.Errorf("dmarc: %+v", failed)
	}
	ok := app.Inbound{Key: "<k>", Notice: n, Sender: "noreply@1177.se"}
	if app.ScreenSender(&ok, domains, time.Now()); ok.Notice == nil || ok.Quarantine != nil {
		t.Errorf("allowed: %+v", ok)
	}
	other := app.Inbound{Key: "<k>", Sender: "kollega@region.example"}
	if app.ScreenSender(&other, domains, time.Now()); other.Quarantine != nil {
		t.Error("mail that is no notice was quarantined")
	}
	for d, want := range map[string]string{"1177.se": "1177.se", " @Region.Example. ": "region.example", "a-b.c": "a-b.c"} {
		if got, err := app.ValidateSenderDomain(d); err != nil || got != want {
			t.Errorf("%q: %q, %v", d, got, err)
		}
	}
	for _, d := range []string{"", "se", "a..se", "-a.se", "a-.se", "a b.se", "å.se", "a.se\nb.se"} {
		if _, err := app.ValidateSenderDomain(d); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%q accepted", d)
		}
	}
}

// TestCleanText: issue 13 item 8.
func TestCleanText(t *testing.T) {
	cal := app.NewCalendar()
	for _, bad := range []string{"BUP\nUddevalla", "BUP\x1b[2J", "BUP \xff", "BUP\u202e", "BUP\u0085"} {
		c := app.NewCase(app.TypeEgenremiss, time.Now(), cal)
		c.Unit = bad
		if err := c.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("unit %q accepted", bad)
		}
		c.Unit, c.Reference = "", bad
		if err := c.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("reference %q accepted", bad)
		}
		s := &app.Staff{Name: "Eva " + bad + " x", HSAID: "SE2321000131-P000000000001", Roles: []app.Role{app.RoleSjukskoterska}}
		if err := s.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("name %q accepted", bad)
		}
	}
	c := app.NewCase(app.TypeEgenremiss, time.Now(), cal)
	c.Unit = "BUP Trollhättan – Åmål"
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	for in, want := range map[string]string{
		"BUP Trollhättan": "BUP Trollhättan",
		"a\nb\tc\r":       `a\nb\tc\r`,
		"\x1b[2J\x7f":     `\x1b[2J\x7f`,
		"x\xffy":          `x\xffy`,
		"a\u202eb":        `a\u202eb`,
	} {
		if got := app.TerminalSafe(in); got != want {
			t.Errorf("TerminalSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
