package app

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// unsafeRune reports whether r must not appear in a stored name or be
// written to a terminal as it is: control characters (C0, DEL, C1, line
// and paragraph separators) and the bidirectional overrides that can make
// text read differently from what it is.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// CheckText refuses a text field with invalid UTF-8 or a control
// character: a unit, reference or name is one line of plain text. The
// error is about field.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return FieldErrorf(field, "texten är inte giltig UTF-8")
	}
	for _, r := range s {
		if unsafeRune(r) {
			return FieldErrorf(field, "texten innehåller ett otillåtet tecken (%U)", r)
		}
	}
	return nil
}

// TerminalSafe returns s with everything a terminal would act on escaped
// as Go escapes (\n, \x1b, \u202e, \xff for a byte that is no UTF-8): a
// value printed in a table can then not forge a line or move the cursor.
// Printable text, å ä ö included, is unchanged.
func TerminalSafe(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unsafeRune(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// QuoteForTerminal is TerminalSafe in quotes, for naming bad input in an
// error message.
func QuoteForTerminal(s string) string {
	return `"` + TerminalSafe(s) + `"`
}
