package notice

import (
	"math/rand/v2"
	netmail "net/mail"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// findAllOnColonLines finds exactly what the regexp finds in the whole
// text, for the regexps it is used with: on the notices of testdata (as
// read and as text), on texts cut into lines at every place, and on
// random texts made of labels, header lines, colons, letters and line
// breaks.
func TestFindAllOnColonLinesSameAsWholeText(t *testing.T) {
	check := func(text string) {
		t.Helper()
		for _, c := range []struct {
			name        string
			want        [][]int
			withNewline bool
		}{
			{"labelRe", labelRe.FindAllStringSubmatchIndex(text, -1), true},
			{"headerLineRe", headerLineRe.FindAllStringSubmatchIndex(text, -1), false},
		} {
			re := labelRe
			if c.name == "headerLineRe" {
				re = headerLineRe
			}
			if got := findAllOnColonLines(re, text, c.withNewline); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("%s on %q:\ngot  %v\nwant %v", c.name, text, got, c.want)
			}
		}
	}
	files, err := filepath.Glob("../../testdata/notices/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no notices in testdata: %v", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(string(raw))
		check(readMail(raw).text())
	}
	pieces := []string{
		"Ärendetyp:", "ärendetyp :", "ARENDENUMMER:", "Ärende-id:", "Ärendenr.:", "Inkom:", "inkommet datum:",
		"Inkom tid\t:", "Mottagning:", "Vårdenhet:", "enhet:", "Från:", "From: 1177", "Ämne: Nytt ärende",
		"Skickat: 2026-11-23 08:13", "Subject:", "Datum:", "Date :", ":", "::", " ", "\t", "\n", "\r\n", "\n\n",
		"x", "Å", "1", "ab", "(", "<", "BUP Testköping", "Förnya recept", "R-2026-1", "2026-11-23 08:13",
	}
	rnd := rand.New(rand.NewPCG(11, 6))
	for range 20000 {
		var sb strings.Builder
		for range rnd.IntN(14) {
			sb.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		check(sb.String())
	}
}

// parseMailDate reads every date as net/mail.ParseDate does.
func TestParseMailDateSameAsParseDate(t *testing.T) {
	for _, v := range []string{
		"Mon, 23 Nov 2026 08:13:00 +0100", "Tue, 1 Dec 2026 10:00:00 +0100", "tue, 01 Dec 2026 10:00:00 -0500",
		"Wed, 2 Dec 2026 10:00 +0100", "2 Dec 2026 10:00:00 +0100", "Thu, 3 Dec 26 10:00:00 +0100",
		"Fri, 4 Dec 2026 10:00:00 CET", "Fri, 4 Dec 2026 10:00:00 +0100 (CET)", "Sat, 5 Dec 2026 10:00:00 GMT",
		"Sun, 6 Dec 2026 10:00:00 +01000", "Mon, 7 Dec 2026 25:00:00 +0100", "Mon, 31 Feb 2026 10:00:00 +0100",
		"Mon, 7 Dec 2026 10:00:00 +0100\r\n", "Mon, 7 Dec\r\n 2026 10:00:00 +0100", "Monday, 7 Dec 2026 10:00:00 +0100",
		"Mon, 7 Dec 2026 10:00:00 +0100 extra", "Mon,  7 Dec 2026 10:00:00 +0100", "", "x",
	} {
		want, err := netmail.ParseDate(v)
		if err != nil {
			want = time.Time{}
		}
		if got := parseMailDate(v); !got.Equal(want) || got.Location().String() != want.Location().String() || got.String() != want.String() {
			t.Errorf("parseMailDate(%q) = %v, ParseDate %v", v, got, want)
		}
	}
}
