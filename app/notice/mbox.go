package notice

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"time"
)

// ErrNotMbox is returned by ReadMbox for a stream that is not an mbox file.
var ErrNotMbox = errors.New("not an mbox file")

// ReadMbox calls fn with each message of an mbox stream: the bytes between
// one "From " separator line and the next, with the separator's trailing
// blank line removed and one ">" taken off each ">From " line (mboxrd
// quoting, which also reads mboxo files right). date is the separator
// line's date, zero when it has none that can be read. A separator is a
// line "From SENDER DATE" at the start of the file or after a blank line, so
// that a body line that happens to start with "From " in a badly quoted
// file does not split its message. fn's error stops the reading and is
// returned. Messages are not capped: intake uses ReadMboxMessages.
func ReadMbox(r io.Reader, fn func(raw []byte, date time.Time) error) error {
	return ReadMboxMessages(r, 0, func(m MboxMessage) error { return fn(m.Raw, m.Date) })
}

// MboxMessage is one message of an mbox file.
type MboxMessage struct {
	// Raw is the message, or its first limit bytes when Truncated.
	Raw  []byte
	Date time.Time // the separator line's date; zero when unreadable
	// Size is the message's whole size in bytes.
	Size      int64
	Truncated bool
}

// ReadMboxMessages is ReadMbox with a cap: of a message larger than limit
// bytes (0: no cap) only the first limit bytes are kept, and the message
// is passed on Truncated, with its Size. The reader never holds more than
// one capped message and one buffer of 64 KiB, however long the file's
// lines or messages are.
func ReadMboxMessages(r io.Reader, limit int, fn func(m MboxMessage) error) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	var (
		msg       bytes.Buffer
		size      int64
		truncated bool
		date      time.Time
		started   bool
		prevBlank = true
		midLine   bool // the last fragment read did not end its line
	)
	write := func(b []byte) {
		size += int64(len(b))
		if truncated {
			return
		}
		// Two bytes beyond the cap: the separator's blank line, which
		// flush takes off, must not make a message truncated.
		if keep := limit + 2; limit > 0 && msg.Len()+len(b) > keep {
			msg.Write(b[:keep-msg.Len()])
			truncated = true
			return
		}
		msg.Write(b)
	}
	flush := func() error {
		if !started {
			return nil
		}
		b := msg.Bytes()
		// The writer's blank line before the next separator is not the
		// message's.
		if !truncated {
			if bytes.HasSuffix(b, []byte("\r\n\r\n")) {
				b = b[:len(b)-2]
			} else if bytes.HasSuffix(b, []byte("\n\n")) {
				b = b[:len(b)-1]
			}
			size = int64(len(b))
		}
		if limit > 0 && len(b) > limit {
			b, truncated = b[:limit], true
		}
		return fn(MboxMessage{Raw: append([]byte(nil), b...), Date: date, Size: size, Truncated: truncated})
	}
	for {
		line, err := br.ReadSlice('\n')
		atStart := !midLine
		midLine = errors.Is(err, bufio.ErrBufferFull)
		if len(line) > 0 {
			if !atStart {
				// The rest of a line longer than the buffer.
				write(line)
				prevBlank = false
			} else {
				blank := !midLine && len(bytes.TrimRight(line, "\r\n")) == 0
				switch {
				case prevBlank && !midLine && isFromLine(line):
					if err := flush(); err != nil {
						return err
					}
					started, date = true, fromLineDate(line)
					msg.Reset()
					size, truncated = 0, false
					prevBlank = false
					continue
				case !started:
					if blank {
						continue
					}
					return ErrNotMbox
				case isQuotedFrom(line):
					line = line[1:]
				}
				write(line)
				prevBlank = blank
			}
		}
		if midLine {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if !started {
		return ErrNotMbox
	}
	return flush()
}

// isFromLine reports whether line is an mbox separator: "From ", a sender,
// and a date with a time of day and a year.
func isFromLine(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	f := strings.Fields(string(line[5:]))
	if len(f) < 3 {
		return false
	}
	var hasTime, hasYear bool
	for _, x := range f[1:] {
		if len(x) >= 4 && len(x) <= 8 && strings.Count(x, ":") >= 1 && strings.Trim(x, "0123456789:") == "" {
			hasTime = true
		}
		if len(x) == 4 && strings.Trim(x, "0123456789") == "" {
			hasYear = true
		}
	}
	return hasTime && hasYear
}

// isQuotedFrom reports whether line is ">From ", ">>From ", ...
func isQuotedFrom(line []byte) bool {
	t := bytes.TrimLeft(line, ">")
	return len(t) < len(line) && bytes.HasPrefix(t, []byte("From "))
}

// fromLineDate reads the date of a separator line, "From sender Mon Nov 23
// 08:14:00 2026" (UTC by convention), or returns the zero time.
func fromLineDate(line []byte) time.Time {
	f := strings.Fields(string(line[5:]))
	if len(f) < 2 {
		return time.Time{}
	}
	s := strings.Join(f[1:], " ")
	for _, layout := range []string{
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 2006 -0700",
		"Mon Jan 2 15:04:05 -0700 2006",
		"Mon Jan 2 15:04:05 MST 2006",
		"Mon Jan 2 15:04 2006",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
