package notice

import (
	"bytes"
	"errors"
	"regexp"
	"testing"
	"time"
)

var quotedFromRe = regexp.MustCompile(`(?m)^(>*From )`)

// normalizeMsg makes b a message the mbox format can carry unchanged: LF
// line ends, no trailing blank line, ending in a newline, not empty.
func normalizeMsg(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r"), nil)
	b = bytes.TrimRight(b, "\n")
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	return append(b, '\n')
}

// FuzzReadMbox: any input reads without a panic; and two messages written
// as mboxrd (separators, ">From" quoting, blank line between) read back
// byte for byte.
func FuzzReadMbox(f *testing.F) {
	f.Add([]byte("Subject: a\n\nFrom here\n>From there\n"), []byte("Subject: b\n\nbody\n"))
	f.Add([]byte("From x Mon Jan  1 00:00:00 2026\n"), []byte("\n\n>>From y\n"))
	f.Add([]byte("Subject: ä\r\n\r\nHej\r\n"), []byte("x"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		// Arbitrary bytes: no panic, and nothing invented.
		raw := append(append([]byte(nil), a...), b...)
		var total int
		err := ReadMbox(bytes.NewReader(raw), func(m []byte, _ time.Time) error {
			total += len(m)
			return nil
		})
		if err != nil && !errors.Is(err, ErrNotMbox) {
			t.Fatalf("readMbox: %v", err)
		}
		if total > len(raw) {
			t.Fatalf("read %d bytes of messages from %d bytes", total, len(raw))
		}

		// Well-formed messages round-trip.
		msgs := [][]byte{normalizeMsg(a), normalizeMsg(b)}
		if msgs[0] == nil || msgs[1] == nil {
			return
		}
		var mbox bytes.Buffer
		for _, m := range msgs {
			mbox.WriteString("From sender@example.se Mon Nov 23 08:14:00 2026\n")
			mbox.Write(quotedFromRe.ReplaceAll(m, []byte(">$1")))
			mbox.WriteString("\n")
		}
		var got [][]byte
		if err := ReadMbox(&mbox, func(m []byte, _ time.Time) error {
			got = append(got, m)
			return nil
		}); err != nil {
			t.Fatalf("readMbox of a well-formed file: %v", err)
		}
		if len(got) != 2 || !bytes.Equal(got[0], msgs[0]) || !bytes.Equal(got[1], msgs[1]) {
			t.Fatalf("round trip:\nwant %q\ngot  %q", msgs, got)
		}
	})
}
