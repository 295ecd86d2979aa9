package notice

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
// as a browser would, entities decoded, and what a browser does not show
// (head, title, script, style, frames) left out. The tokenizer of
// golang.org/x/net/html reads the markup as a browser does; it is linear in
// the input, also for hostile HTML (unclosed tags, quotes and scripts).
func htmlToText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	newline := func() {
		b.WriteByte('\n')
		space = false
	}
	text := func(t []byte) {
		for _, c := range t {
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' {
				space = true
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
		}
	}
	// hidden is the element whose raw content is not shown, or 0; head
	// is whether the head is open.
	var hidden atom.Atom
	head := false
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			t := z.Text()
			if hidden != 0 {
				continue
			}
			if head && len(bytes.TrimLeft(t, " \t\r\n\f")) > 0 {
				head = false // text ends the head, as in a browser
			}
			if !head {
				text(t)
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		default: // comments, doctype
			continue
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		start := tt != html.EndTagToken
		if hidden != 0 {
			if !start && a == hidden {
				hidden = 0
			}
			continue
		}
		if start && notShown[a] {
			hidden = a
			continue
		}
		if start && a == atom.Noscript {
			// Mail is read without scripts: its content is markup to show.
			z.NextIsNotRawText()
		}
		if head {
			if !start || inHead[a] {
				head = a != atom.Head || start
				continue
			}
			head = false // an element of the body ends the head
		}
		if tt == html.StartTagToken && a == atom.Head {
			head = true
			continue
		}
		switch a {
		case atom.Br, atom.P, atom.Div, atom.Tr, atom.Li, atom.Ul, atom.Ol, atom.Table, atom.Blockquote,
			atom.Hr, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
			atom.Section, atom.Article, atom.Header, atom.Footer:
			newline()
		case atom.Td, atom.Th:
			space = true
		}
	}
}

// notShown are the elements whose content a browser does not show; the
// tokenizer reads their content as raw text up to the end tag.
var notShown = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Title: true,
	atom.Iframe: true, atom.Noembed: true, atom.Noframes: true,
}

// inHead are the elements that may stand in the head; any other start tag
// begins the body.
var inHead = map[atom.Atom]bool{
	atom.Title: true, atom.Style: true, atom.Script: true, atom.Meta: true, atom.Link: true,
	atom.Base: true, atom.Noscript: true, atom.Template: true, atom.Head: true,
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
