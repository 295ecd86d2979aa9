package notice

import (
	"strings"
	"testing"
	"time"
)

// TestHTMLToText: what a reader of the HTML sees, one case per rule.
func TestHTMLToText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Entities", "<p>&Auml;rendetyp: F&ouml;rnya&#32;recept &amp; mer</p>", "\nÄrendetyp: Förnya recept & mer\n"},
		{"Breaks", "a<br>b<br/>c</p>d<div>e</div>", "a\nb\nc\nd\ne\n"},
		{"Cells", "<table><tr><td>Inkom:</td><td>2026-12-01</td></tr></table>", "\n\n Inkom: 2026-12-01\n\n"},
		{"WhiteSpace", "  a \r\n\t b  ", " a b"},
		{"Head", "<html><head><title>1177</title><style>p{}</style><meta charset=utf-8></head><body>x</body></html>", "x"},
		{"UnclosedHead", "<head><title>t</title><p>x</p>", "\nx\n"},
		{"TextEndsHead", "<head>x", "x"},
		{"Script", "a<script>var x = '<p>Ärendetyp: Egenremiss</p>';</script>b", "ab"},
		{"SelfClosingScript", "a<script/>hidden</script>b", "ab"},
		{"UnclosedScript", "a<script>hidden", "a"},
		{"Noscript", "<noscript><p>Aktivera</p></noscript>", "\nAktivera\n"},
		{"NoscriptInHead", "<head><noscript><p>Aktivera</p></noscript></head>", "\nAktivera\n"},
		{"Comment", "a<!-- <p>b</p> -->c", "ac"},
		{"UnclosedComment", "a<!-- b", "a"},
		{"LessThan", "3 < 4 och 5 <= 6", "3 < 4 och 5 <= 6"},
		{"QuotedGreaterThan", `<a title="x>y">länk</a>`, "länk"},
		{"UnknownTag", "<o:p>x</o:p>", "x"},
		{"Nbsp", "a&nbsp;b", "a\u00a0b"},
	} {
		if got := htmlToText(tc.in); got != tc.want {
			t.Errorf("%s: htmlToText(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestHTMLToTextLinear: a large hostile input takes time linear in its
// size (a quadratic path takes minutes).
func TestHTMLToTextLinear(t *testing.T) {
	for name, s := range map[string]string{
		"Tags":     strings.Repeat("<p>x", 1<<18),
		"Unclosed": strings.Repeat("<a", 1<<19),
		"Quotes":   strings.Repeat(`<a b="`, 1<<17),
		"Scripts":  strings.Repeat("<script>", 1<<17),
		"Heads":    strings.Repeat("<head><title>", 1<<16),
	} {
		start := time.Now()
		htmlToText(s)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}
