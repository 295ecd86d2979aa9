package notice_test

import (
	"strings"
	"testing"
	"time"

	"arendestod/app/notice"
)

// Every sample notice was sent to the clinic's mailbox: Recipient says so.
func TestRecipientCorpus(t *testing.T) {
	n := 0
	for _, e := range readCorpus(t) {
		in := notice.Parse(readEML(t, e.File), time.Time{}, "test")
		if in.Notice == nil {
			continue
		}
		n++
		if got := in.Notice.Recipient; got != "bup.uddevalla.1177@region.example" {
			t.Errorf("%s: Recipient %q", e.File, got)
		}
	}
	if n == 0 {
		t.Fatal("no notice in the corpus")
	}
}

// Delivered-To, then X-Original-To, then the first address of To.
func TestRecipientHeaders(t *testing.T) {
	sample := string(readEML(t, "03-assigned-vab-12-16-alt.eml"))
	const to = "To: bup.uddevalla.1177@region.example\n"
	if !strings.Contains(sample, to) {
		t.Fatal("sample 03 has changed")
	}
	for _, tt := range []struct {
		name, headers, want string
	}{
		{"NameAndAddress", "To: =?utf-8?q?Sk=C3=B6terska_Test?= <Syster.Test@Region.example>\n", "Syster.Test@Region.example"},
		{"List", "To: \"Test, Syster\" <syster.test@region.example>, annan@region.example\n", "syster.test@region.example"},
		{"DeliveredToFirst", "Delivered-To: syster.test@region.example\nX-Original-To: alias@region.example\n" + to, "syster.test@region.example"},
		{"OriginalTo", "X-Original-To: alias@region.example\n" + to, "alias@region.example"},
		{"Unparsable", "To: Syster Test <syster.test@region.example\n", ""},
		{"UnparsableBrackets", "To: Syster (Test <syster.test@region.example>\n", "syster.test@region.example"},
		{"None", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw := strings.Replace(sample, to, tt.headers, 1)
			in := notice.Parse([]byte(raw), time.Time{}, "test")
			if in.Notice == nil {
				t.Fatal("no notice")
			}
			if got := in.Notice.Recipient; got != tt.want {
				t.Errorf("Recipient %q, want %q", got, tt.want)
			}
		})
	}
}
