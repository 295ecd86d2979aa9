package notice_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/notice"
)

const hardenNotice = "From: 1177 <noreply@notis.1177.example>\r\nSubject: Nytt =?utf-8?q?=C3=A4rende?= i 1177 e-tjänster\r\n" +
	"Date: Mon, 23 Nov 2026 08:14:00 +0100\r\nMessage-ID: <h1@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
	"Ett nytt ärende har kommit in i 1177 e-tjänster.\r\n\r\nÄrendetyp: Förnya recept\r\nÄrendenummer: 2026-1\r\nInkom: 2026-11-23 08:13\r\n"

// TestParseSenderAndDate: the reader gives the rules what they need: the
// sender, a failing Authentication-Results and the mail's own Date (not
// the file's time).
func TestParseSenderAndDate(t *testing.T) {
	mtime := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	in := notice.Parse([]byte(hardenNotice), mtime, "f.eml")
	if in.Notice == nil || !strings.Contains(in.Sender, "noreply@notis.1177.example") || in.AuthFailure != "" {
		t.Fatalf("%+v", in)
	}
	if want := time.Date(2026, 11, 23, 8, 14, 0, 0, app.Stockholm); !in.MailDate.Equal(want) {
		t.Errorf("mail date %v, want %v", in.MailDate, want)
	}
	for hdr, want := range map[string]string{
		"Authentication-Results: mx.example; dkim=pass header.d=1177.se; dmarc=pass\r\n":           "",
		"Authentication-Results: mx.example; dkim=fail (bad signature); dmarc=fail (p=reject)\r\n": "dmarc=fail",
		"Authentication-Results: mx.example; dkim=fail; spf=pass\r\n":                              "dkim=fail",
		"Authentication-Results: mx.example; dkim=fail; dkim=pass header.d=1177.se\r\n":            "",
		"Authentication-Results: mx.example; dmarc=permerror\r\n":                                  "dmarc=fail",
		"Authentication-Results: mx.example; none\r\n":                                             "",
	} {
		in := notice.Parse([]byte(hdr+hardenNotice), time.Time{}, "f.eml")
		if in.AuthFailure != want {
			t.Errorf("%q: %q, want %q", hdr, in.AuthFailure, want)
		}
	}
}

// TestParseTooLarge: issue 13 item 7. A message over the cap is judged by
// its header: a notice is quarantined with its size and only the header
// kept; other mail is no notice.
func TestParseTooLarge(t *testing.T) {
	big := []byte(hardenNotice + strings.Repeat("x", app.MaxMessageBytes))
	in := notice.Parse(big, time.Time{}, "f.eml")
	if in.Quarantine == nil || !strings.Contains(in.Quarantine.Reason, "för stort") ||
		!strings.Contains(in.Quarantine.Reason, fmt.Sprintf("%d byte", len(big))) || len(in.Quarantine.Raw) > 1024 || in.Key != "<h1@x>" {
		t.Fatalf("%+v", in.Quarantine)
	}
	other := notice.ParseTooLarge([]byte("From: kollega@region.example\r\nSubject: Bilder\r\n\r\n"), 50<<20, "f.eml")
	if other.Quarantine != nil || other.Notice != nil || other.Key == "" {
		t.Errorf("%+v", other)
	}
}
