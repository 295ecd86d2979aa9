package data

import (
	"strconv"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"None", `SELECT 1`, `SELECT 1`},
		{"Empty", ``, ``},
		{"One", `SELECT id FROM cases WHERE reference = ?`, `SELECT id FROM cases WHERE reference = $1`},
		{"Many", `INSERT INTO t (a, b, c) VALUES (?, ?,?)`, `INSERT INTO t (a, b, c) VALUES ($1, $2,$3)`},
		{"Ten", strings.Repeat("?,", 10) + "?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11"},
		{"Adjacent", `??`, `$1$2`},
		{"InString", `SELECT '?' || ?`, `SELECT '?' || $1`},
		{"DoubledQuoteInString", `SELECT 'it''s ?' , ?`, `SELECT 'it''s ?' , $1`},
		{"EmptyStringThenParam", `WHERE a = '' AND b = ?`, `WHERE a = '' AND b = $1`},
		{"BackslashIsTextInStandardString", `LIKE ? ESCAPE '\' AND x = ?`, `LIKE $1 ESCAPE '\' AND x = $2`},
		{"EscapeString", `SELECT E'\'?' , ?`, `SELECT E'\'?' , $1`},
		{"EscapeStringLower", `SELECT e'a\\' , ?`, `SELECT e'a\\' , $1`},
		{"EscapeStringDoubled", `SELECT E'a''?' , ?`, `SELECT E'a''?' , $1`},
		{"TypedLiteralIsNotEscapeString", `SELECT DATE'2026-01-01', '\', ?`, `SELECT DATE'2026-01-01', '\', $1`},
		{"Identifier", `SELECT "odd?col" FROM t WHERE x = ?`, `SELECT "odd?col" FROM t WHERE x = $1`},
		{"IdentifierDoubledQuote", `SELECT "a""?" , ?`, `SELECT "a""?" , $1`},
		{"LineComment", "SELECT ? -- why? because\n, ?", "SELECT $1 -- why? because\n, $2"},
		{"LineCommentAtEnd", "SELECT ? -- what?", "SELECT $1 -- what?"},
		{"MinusIsNotComment", "SELECT ? - ?", "SELECT $1 - $2"},
		{"BlockComment", `SELECT /* ? */ ?`, `SELECT /* ? */ $1`},
		{"NestedBlockComment", `SELECT /* a /* ? */ still? */ ?`, `SELECT /* a /* ? */ still? */ $1`},
		{"DivideIsNotComment", `SELECT ? / ?`, `SELECT $1 / $2`},
		{"DollarQuote", `SELECT $$ ? $$, ?`, `SELECT $$ ? $$, $1`},
		{"TaggedDollarQuote", `SELECT $fn$ $$ ? $$ $fn$, ?`, `SELECT $fn$ $$ ? $$ $fn$, $1`},
		{"DollarInIdentifierIsNotQuote", `SELECT a$b$ , ?`, `SELECT a$b$ , $1`},
		{"ExistingNumberedParamIsNotQuote", `SELECT $1, ?`, `SELECT $1, $1`},
		{"Unterminated", `SELECT ?, 'open ?`, `SELECT $1, 'open ?`},
		{"UnterminatedIdentifier", `SELECT ?, "open ?`, `SELECT $1, "open ?`},
		{"UnterminatedComment", `SELECT ? /* open ?`, `SELECT $1 /* open ?`},
		{"UnterminatedDollar", `SELECT ? $$ open ?`, `SELECT $1 $$ open ?`},
		{"NonASCII", `SELECT 'åäö?' AS "Ärende?", ? -- ö?`, `SELECT 'åäö?' AS "Ärende?", $1 -- ö?`},
		{"StoreQuery", `SELECT COUNT(*) FROM cases WHERE status <> 'avslutad' AND (id IN (SELECT rowid FROM case_search WHERE body LIKE ? ESCAPE '\') OR type IN (?, ?))`,
			`SELECT COUNT(*) FROM cases WHERE status <> 'avslutad' AND (id IN (SELECT rowid FROM case_search WHERE body LIKE $1 ESCAPE '\') OR type IN ($2, $3))`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rebind(tc.in); got != tc.want {
				t.Errorf("rebind(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// rebindToken is one piece of a generated query, with what rebind must
// make of it.
type rebindToken struct {
	in          string
	placeholder bool // a ? that becomes $n
}

// rebindTokens are the pieces generated queries are made of: each is
// closed, so that pieces concatenate into a query whose right rewriting is
// known. Text pieces end in a space where the next piece could otherwise
// change their meaning (E before a quote, - before -, $ after a letter).
var rebindTokens = []rebindToken{
	{"?", true},
	{"SELECT ", false},
	{"a = ", false},
	{", ", false},
	{"'?' ", false},
	{"'it''s ?' ", false},
	{"'\\' ", false},
	{"E'\\'?' ", false},
	{"\"col?\" ", false},
	{"\"a\"\"?\" ", false},
	{"-- why?\n", false},
	{"/* ? /* ? */ ? */ ", false},
	{"$$ ? $$ ", false},
	{"$t$ ? $$ ? $t$ ", false},
	{"åäö ", false},
	{"$1 ", false},
	{"( ", false},
	{") ", false},
}

// FuzzRebind checks rebind two ways. The fuzzer's bytes pick a sequence of
// pieces whose right rewriting is known, and the result must be exactly
// that. And on the raw bytes as a query: no panic, nothing changes without
// a ?, and every ? either stays or becomes the next $n with the rest of
// the text unchanged.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"", "?", "\x00\x04\x00\x0a", "SELECT '?' , ? -- ?\n", "E'\\'?'?", "$$?$$?", "/*/*?*/?*/?"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// The structured query.
		var in, want strings.Builder
		n := 0
		for _, c := range b {
			tok := rebindTokens[int(c)%len(rebindTokens)]
			in.WriteString(tok.in)
			if tok.placeholder {
				n++
				want.WriteString("$" + strconv.Itoa(n))
			} else {
				want.WriteString(tok.in)
			}
		}
		if got := rebind(in.String()); got != want.String() {
			t.Fatalf("rebind(%q)\n got %q\nwant %q", in.String(), got, want.String())
		}

		// The raw bytes.
		q := string(b)
		got, count := rebindCount(q)
		if !strings.Contains(q, "?") {
			if got != q || count != 0 {
				t.Fatalf("rebind changed %q without a ? into %q", q, got)
			}
			return
		}
		// Undo the numbering: walking both strings, each $k (k counting
		// up from 1) in the output that is not in the input stands for a ?.
		i, j, k := 0, 0, 0
		for i < len(q) {
			if q[i] == '?' {
				if j < len(got) && got[j] == '?' {
					i, j = i+1, j+1
					continue
				}
				k++
				num := "$" + strconv.Itoa(k)
				if !strings.HasPrefix(got[j:], num) {
					t.Fatalf("rebind(%q) = %q: the ? at %d is neither kept nor %s", q, got, i, num)
				}
				i, j = i+1, j+len(num)
				continue
			}
			if j >= len(got) || got[j] != q[i] {
				t.Fatalf("rebind(%q) = %q: text changed at %d", q, got, i)
			}
			i, j = i+1, j+1
		}
		if j != len(got) || k != count {
			t.Fatalf("rebind(%q) = %q: %d placeholders counted, %d found, trailing %q", q, got, count, k, got[j:])
		}
	})
}
