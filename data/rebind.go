package data

import (
	"strconv"
	"strings"
)

// rebind rewrites the store's SQL, written with SQLite's ? placeholders,
// for PostgreSQL, which numbers them: the n-th ? becomes $n. A ? inside a
// string literal ('...', E'...', $tag$...$tag$), a quoted identifier
// ("...") or a comment (-- and nested /* */) is text and stays. SQL shared
// by both backends must therefore not use PostgreSQL's ? operators (jsonb
// ?, ?|, ?&): write jsonb_exists() and friends instead.
func rebind(query string) string {
	out, _ := rebindCount(query)
	return out
}

// rebindCount is rebind that also says how many placeholders it numbered.
func rebindCount(query string) (string, int) {
	if strings.IndexByte(query, '?') < 0 {
		return query, 0
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
			continue
		}
		j := skipToken(query, i)
		b.WriteString(query[i:j])
		i = j
	}
	return b.String(), n
}

// skipToken returns the end of the literal, quoted identifier or comment
// that starts at query[i], or i+1 when none starts there. An unterminated
// one runs to the end of the query.
func skipToken(q string, i int) int {
	switch c := q[i]; {
	case c == '\'':
		return endString(q, i+1, isEscapeStringPrefix(q, i))
	case c == '"':
		return endDoubled(q, i+1, '"')
	case c == '-' && i+1 < len(q) && q[i+1] == '-':
		if k := strings.IndexByte(q[i+2:], '\n'); k >= 0 {
			return i + 2 + k + 1
		}
		return len(q)
	case c == '/' && i+1 < len(q) && q[i+1] == '*':
		return endBlockComment(q, i+2)
	case c == '$' && (i == 0 || !isIdentByte(q[i-1])):
		if tag := dollarTag(q, i); tag != "" {
			if k := strings.Index(q[i+len(tag):], tag); k >= 0 {
				return i + len(tag) + k + len(tag)
			}
			return len(q)
		}
	}
	return i + 1
}

// isEscapeStringPrefix reports whether the quote at q[i] opens an E'...'
// string, in which a backslash escapes the next character: an E or e
// right before it that is not the end of a longer word (as in DATE'...').
func isEscapeStringPrefix(q string, i int) bool {
	if i == 0 || (q[i-1] != 'E' && q[i-1] != 'e') {
		return false
	}
	return i == 1 || !isIdentByte(q[i-2])
}

// endString returns the end of a quoted string whose body starts at j:
// two quotes in a row stand for one inside it, as does a backslash and a
// quote when backslash is set.
func endString(q string, j int, backslash bool) int {
	for j < len(q) {
		switch q[j] {
		case '\\':
			if backslash {
				j += 2
				continue
			}
		case '\'':
			if j+1 < len(q) && q[j+1] == '\'' {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(q)
}

// endDoubled returns the end of a quoted token whose body starts at j and
// ends at quote, a doubled quote standing for itself.
func endDoubled(q string, j int, quote byte) int {
	for j < len(q) {
		if q[j] == quote {
			if j+1 < len(q) && q[j+1] == quote {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(q)
}

// endBlockComment returns the end of a /* */ comment whose body starts at
// j; PostgreSQL's block comments nest.
func endBlockComment(q string, j int) int {
	depth := 1
	for j < len(q) {
		switch {
		case q[j] == '/' && j+1 < len(q) && q[j+1] == '*':
			depth++
			j += 2
		case q[j] == '*' && j+1 < len(q) && q[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j
			}
		default:
			j++
		}
	}
	return len(q)
}

// dollarTag returns the dollar-quote tag ($$ or $name$) starting at q[i],
// or "" when q[i] starts none (as in a $1 parameter).
func dollarTag(q string, i int) string {
	j := i + 1
	if j < len(q) && q[j] == '$' {
		return "$$"
	}
	if j >= len(q) || !(isLetterByte(q[j]) || q[j] == '_') {
		return ""
	}
	for j < len(q) && (isLetterByte(q[j]) || q[j] == '_' || (q[j] >= '0' && q[j] <= '9')) {
		j++
	}
	if j < len(q) && q[j] == '$' {
		return q[i : j+1]
	}
	return ""
}

// isLetterByte: ASCII letters and every byte of a non-ASCII character,
// which PostgreSQL's lexer takes as letters in identifiers and tags.
func isLetterByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIdentByte(c byte) bool {
	return isLetterByte(c) || (c >= '0' && c <= '9') || c == '_' || c == '$'
}
