package notice

import (
	"regexp"
	"strings"
)

// findAllOnColonLines is re.FindAllStringSubmatchIndex(text, -1) for a
// regexp whose every match lies on one line that holds a colon, after the
// line's newline when withNewline (labelRe: its first character may be
// the newline before the label; headerLineRe: none). It runs re on those
// lines only: most of a notice's lines have no colon. The indices are
// into text, as FindAllStringSubmatchIndex gives them.
//
// A line is run from its start, or with withNewline from the newline
// before it (where a non-multiline ^ cannot be followed by a label, which
// starts with a letter), to its end; a match that ends on a line ends
// before its newline, so the next line's run starts where the whole
// text's search would go on.
func findAllOnColonLines(re *regexp.Regexp, text string, withNewline bool) [][]int {
	var out [][]int
	for i := 0; i < len(text); {
		c := strings.IndexByte(text[i:], ':')
		if c < 0 {
			break
		}
		c += i
		start := strings.LastIndexByte(text[i:c], '\n') + 1 + i
		end := strings.IndexByte(text[c:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += c
		}
		from := start
		if withNewline && start > 0 {
			from = start - 1
		}
		for _, m := range re.FindAllStringSubmatchIndex(text[from:end], -1) {
			for j := range m {
				if m[j] >= 0 {
					m[j] += from
				}
			}
			out = append(out, m)
		}
		i = end + 1
	}
	return out
}
