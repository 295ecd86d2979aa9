package notice

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// toUTF8 returns b as text. Bytes that are not UTF-8 (a part without a
// charset, an unknown charset, a mislabelled one) are read as Windows-1252,
// the superset of ISO-8859-1 that Swedish mail in the wild uses.
func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			sb.WriteRune(charmap.Windows1252.DecodeByte(b[0]))
		} else {
			sb.Write(b[:n])
		}
		b = b[n:]
	}
	return sb.String()
}

// mojibake is what UTF-8 å, ä, ö, Å, Ä, Ö, é look like when read as
// ISO-8859-1 or Windows-1252.
var mojibake = []string{"Ã¥", "Ã¤", "Ã¶", "Ã…", "Ã„", "Ã–", "Ã©", "Ã\u0085", "Ã\u0084", "Ã\u0096"}

// repairMojibake undoes a UTF-8 text mislabelled as ISO-8859-1 or
// Windows-1252 (a sender that declares Latin-1 but writes UTF-8): when the
// text shows the tell-tale pairs and reads back as valid UTF-8.
func repairMojibake(s string) string {
	if !containsAny(s, mojibake...) {
		return s
	}
	for _, cm := range []*charmap.Charmap{charmap.Windows1252, charmap.ISO8859_1} {
		if b, err := cm.NewEncoder().String(s); err == nil && utf8.ValidString(b) {
			return b
		}
	}
	return s
}

// normalize prepares body text for reading fields: composed characters,
// "\n" line ends, plain spaces, and quoting ("> ", ">> ") removed so that a
// forwarded or replied-to notice reads like the original.
func normalize(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		line := s
		s = ""
		if i := strings.IndexAny(line, "\r\n"); i >= 0 {
			s = line[i+1:]
			if line[i] == '\r' && strings.HasPrefix(s, "\n") {
				s = s[1:]
			}
			line = line[:i]
		}
		line = strings.Map(cleanRune, line)
		line = strings.TrimLeft(line, "> \t")
		line = strings.TrimRight(line, " \t")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// cleanRune maps odd spaces to a space and drops invisible characters.
func cleanRune(r rune) rune {
	switch r {
	case '\u00a0', '\u2007', '\u202f', '\u2002', '\u2003', '\u2009', '\t', '\f', '\v':
		return ' '
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return -1
	}
	if r < ' ' {
		return -1
	}
	return r
}

// looksLikeHTML reports whether a part labelled text/plain is HTML.
func looksLikeHTML(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n\ufeff")
	if len(t) > 16 {
		t = t[:16]
	}
	t = strings.ToLower(t)
	return strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html")
}

// htmlToText reduces HTML to text: tags stripped, line breaks where the
// layout breaks lines (<br>, </p>, block elements), white space collapsed
// as a browser would, entities decoded. It is linear in the input, also for
// hostile HTML (unclosed tags, quotes and scripts).
func htmlToText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	newline := func() {
		b.WriteByte('\n')
		space = false
	}
	unclosed := map[string]bool{} // elements with no end tag further on
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' {
				space = true
			} else {
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteByte(c)
			}
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := tagEnd(s, i)
		if end < 0 {
			// Not a tag ("a < b"): text.
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			i++
			continue
		}
		name, closing := tagName(s[i+1 : end])
		i = end + 1
		if !closing && (name == "script" || name == "style" || name == "head" || name == "title") && !unclosed[name] {
			if j := indexCloseTag(s[i:], name); j >= 0 {
				i += j
			} else {
				unclosed[name] = true
			}
			continue
		}
		switch name {
		case "br", "p", "div", "tr", "li", "ul", "ol", "table", "blockquote", "hr", "pre",
			"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer":
			newline()
		case "td", "th":
			space = true
		}
	}
	return html.UnescapeString(b.String())
}

// maxQuoted bounds a quoted attribute value, which may hold '<' and '>'.
const maxQuoted = 2048

// tagEnd returns the index of the '>' closing the tag that starts at s[i],
// or -1 when s[i] starts no tag: no name, '/', '!' or '?' follows, or
// another '<' comes first. Each byte is looked at a bounded number of
// times however the '<' are placed.
func tagEnd(s string, i int) int {
	if i+1 >= len(s) {
		return -1
	}
	c := s[i+1]
	if !(c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return -1
	}
	for j := i + 1; j < len(s); j++ {
		switch q := s[j]; q {
		case '>':
			return j
		case '<':
			return -1
		case '"', '\'':
			if s[j-1] != '=' {
				continue
			}
			end := strings.IndexByte(s[j+1:min(len(s), j+1+maxQuoted)], q)
			if end < 0 {
				return -1
			}
			j += 1 + end
		}
	}
	return -1
}

// tagName returns the lower-case name of a tag's inside ("/P class=x").
func tagName(inner string) (name string, closing bool) {
	if strings.HasPrefix(inner, "/") {
		closing = true
		inner = inner[1:]
	}
	n := 0
	for n < len(inner) {
		c := inner[n]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			break
		}
		n++
	}
	return strings.ToLower(inner[:n]), closing
}

// indexCloseTag returns the index in s of "</name", any case, or -1.
func indexCloseTag(s, name string) int {
	for off := 0; ; {
		k := strings.Index(s[off:], "</")
		if k < 0 {
			return -1
		}
		at := off + k
		rest := s[at+2:]
		if len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) {
			return at
		}
		off = at + 2
	}
}

// fold reduces text for phrase matching: lower case, Swedish and other
// Latin diacritics removed, dashes as "-", white space as single spaces.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		r = unicode.ToLower(r)
		switch r {
		case 'å', 'ä', 'à', 'á', 'â', 'ã':
			r = 'a'
		case 'ö', 'ø', 'ó', 'ò', 'ô', 'õ':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú', 'ù', 'û':
			r = 'u'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// has1177 reports whether s names 1177 as a number of its own (not a part
// of a longer number such as a reference).
func has1177(s string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], "1177")
		if i < 0 {
			return false
		}
		at := off + i
		end := at + 4
		if (at == 0 || !isDigit(s[at-1])) && (end == len(s) || !isDigit(s[end])) {
			return true
		}
		off = at + 1
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// containsAny reports whether s contains any of the phrases.
func containsAny(s string, phrases ...string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
