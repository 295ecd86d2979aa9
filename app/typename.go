package app

import (
	"strings"
	"unicode"
)

// MatchTypeName maps a type name as a notice writes it to a case-type key.
// It tolerates case, extra white space and line folding, a hyphen or a dash
// between numbers ("12 - 16", "12–16"), and missing diacritics. A name it
// cannot recognise gives TypeOkand, never an error.
func MatchTypeName(name string) string {
	n := NormalizeTypeName(name)
	if n == "" {
		return TypeOkand
	}
	if k, ok := typeNameIndex[n]; ok {
		return k
	}
	// A notice may run the name into more text on the same line ("Förnya
	// recept (BUP)"): take the longest known name that the text starts with,
	// followed by a word boundary.
	best, bestLen := TypeOkand, 0
	for norm, k := range typeNameIndex {
		if len(norm) > bestLen && strings.HasPrefix(n, norm) && !isWordByte(n, len(norm)) {
			best, bestLen = k, len(norm)
		}
	}
	return best
}

func isWordByte(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

var typeNameIndex = func() map[string]string {
	m := map[string]string{}
	for _, t := range caseTypes {
		if t.Key == TypeOkand {
			continue
		}
		m[NormalizeTypeName(t.Name)] = t.Key
		for _, a := range t.Aliases {
			m[NormalizeTypeName(a)] = t.Key
		}
	}
	return m
}()

var foldRunes = map[rune]string{
	'å': "a", 'ä': "a", 'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'æ': "ae",
	'ö': "o", 'ø': "o", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'ü': "u", 'ú': "u", 'ù': "u", 'û': "u",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
}

// NormalizeTypeName reduces a type name to the form used for matching:
// lower case without diacritics, dashes as "-" without surrounding space,
// single spaces, no surrounding punctuation.
func NormalizeTypeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2212' || r == '-':
			// Drop a space before the dash; none is written after it.
			b.WriteByte('-')
			space = false
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '_':
			space = true
			continue
		}
		if space {
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte(' ')
			}
			space = false
		}
		if f, ok := foldRunes[r]; ok {
			b.WriteString(f)
		} else if r < unicode.MaxASCII || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	out := b.String()
	// "12 - 16": the space before the dash was written before the dash came.
	out = strings.ReplaceAll(out, " -", "-")
	return strings.Trim(out, " .:;,\"'«»")
}
