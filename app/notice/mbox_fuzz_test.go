package notice

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
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
		checkLimited(t, raw)

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

// checkLimited reads raw with a small cap and checks that it finds the
// same messages as without one: each cut to the cap, marked truncated
// when longer, with its size.
func checkLimited(t *testing.T, raw []byte) {
	const limit = 16
	var whole [][]byte
	errWhole := ReadMbox(bytes.NewReader(raw), func(m []byte, _ time.Time) error {
		whole = append(whole, m)
		return nil
	})
	var capped []MboxMessage
	errCapped := ReadMboxMessages(bytes.NewReader(raw), limit, func(m MboxMessage) error {
		capped = append(capped, m)
		return nil
	})
	if (errWhole == nil) != (errCapped == nil) || len(whole) != len(capped) {
		t.Fatalf("capped read differs: %v/%d vs %v/%d", errWhole, len(whole), errCapped, len(capped))
	}
	for i, w := range whole {
		c := capped[i]
		if len(c.Raw) > limit {
			t.Fatalf("message %d: %d bytes kept, cap %d", i, len(c.Raw), limit)
		}
		if !bytes.Equal(c.Raw, w[:min(len(w), limit)]) {
			t.Fatalf("message %d: kept %q of %q", i, c.Raw, w)
		}
		if c.Truncated != (len(w) > limit) {
			t.Fatalf("message %d of %d bytes: truncated %v", i, len(w), c.Truncated)
		}
		if d := c.Size - int64(len(w)); d < 0 || d > 2 || !c.Truncated && d != 0 {
			t.Fatalf("message %d: size %d, is %d", i, c.Size, len(w))
		}
	}
}

// TestReadMboxLongLine: a file of one endless line (like /dev/zero) is
// read in bounded memory and kept only up to the cap.
func TestReadMboxLongLine(t *testing.T) {
	const n = 8 << 20
	r := io.MultiReader(strings.NewReader("From x Mon Nov 23 08:14:00 2026\nSubject: a\n\n"), io.LimitReader(zeros{}, n))
	var got []MboxMessage
	if err := ReadMboxMessages(r, 1<<20, func(m MboxMessage) error {
		got = append(got, m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Truncated || len(got[0].Raw) != 1<<20 || got[0].Size != n+int64(len("Subject: a\n\n")) {
		t.Fatalf("got %d messages, %+v", len(got), func() []int64 {
			var s []int64
			for _, m := range got {
				s = append(s, m.Size, int64(len(m.Raw)))
			}
			return s
		}())
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
