package notice

import (
	"bytes"
	"testing"

	"arendestod/app"
)

// TestRecoverParse: a panic while parsing quarantines a message that looks
// like a notice and gives up on one that does not.
func TestRecoverParse(t *testing.T) {
	parse := func(raw []byte) (in app.Inbound) {
		defer recoverParse(&in, raw, "key", "src")
		in.Notice = &app.Notice{}
		panic("parser bug")
	}
	notice := []byte("From: 1177 e-tjanster <noreply@notis.1177.example>\r\nSubject: x\r\n\r\nbody")
	in := parse(notice)
	if in.Notice != nil || in.Quarantine == nil || in.Key != "key" || in.Source != "src" {
		t.Fatalf("got %+v", in)
	}
	if in.Quarantine.Reason != reasonPanic || !bytes.Equal(in.Quarantine.Raw, notice) {
		t.Errorf("quarantine %+v", in.Quarantine)
	}
	in = parse([]byte("From: kollega@region.example\r\nSubject: lunch\r\n\r\nbody"))
	if in.Notice != nil || in.Quarantine != nil || in.Key != "key" {
		t.Errorf("got %+v", in)
	}
}
