package notice

import (
	netmail "net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"arendestod/app"
)

// labelRe finds the labels of a notice's fields: "Ärendetyp:",
// "Ärendenummer:", "Inkom:" and the unit, with or without diacritics, in
// any case, with stray spaces. A label may start a line or follow another
// field on the same line (HTML without line breaks).
var labelRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(` +
	`[aåä]rende[ \t]*(?:typ|nummer|nr\.?|-?id)` +
	`|inkom(?:mit|met|men)?(?:[ \t]*(?:datum|tid))?` +
	`|mottagning|v[aå]rdenhet|enhet` +
	`)[ \t]*:`)

// headerLineRe finds the header lines of a notice forwarded inline, as mail
// clients write them in the body: "Från: 1177 e-tjänster <...>",
// "Ämne: Nytt ärende ...", and Outlook's Swedish "Ärende:".
var headerLineRe = regexp.MustCompile(`(?im)^(fr[aå]n|from|avs[aä]ndare|[aä]mne|subject|[aä]rende|skickat|sent|datum|date)[ \t]*:[ \t]*(.+)$`)

// swedishDateRe reads the date of a forwarded header as Swedish mail
// clients write it: "den 25 mars 2027 08:01", "tors 25 mars 2027 kl 08:01".
var swedishDateRe = regexp.MustCompile(`(?i)(\d{1,2})\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+(\d{4})(?:\D{0,12}?(\d{1,2})[:.](\d{2}))?`)

var swedishMonths = map[string]time.Month{"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
	"juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12}

// fieldLikeRe matches a line that starts another field ("Inkom: ...",
// "Från: ..."), which ends a value folded over several lines.
var fieldLikeRe = regexp.MustCompile(`^\p{L}[\p{L}\p{N} .\-]{0,30}:(?:\s|$)`)

// inkomRe reads "2026-11-23 08:13" and close variants ("2026-11-23T08:13",
// "2026-11-23 kl. 08.13", seconds).
var inkomRe = regexp.MustCompile(`(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[ \t]*T|[ \t,]+(?:kl\.?|klockan)?)[ \t]*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?`)

// referenceRe is an Ärendenummer: a token with at least one digit.
var referenceRe = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}\-/_.]*`)

// unitSentenceRe finds the unit in the notice's first sentence: "har kommit
// in till BUP Uddevalla i 1177 e-tjänster", "tilldelats ett ärende på BUP
// Uddevalla i 1177".
var unitSentenceRe = regexp.MustCompile(`(?i)(?:^|[\s(])(?:till|på|pa|hos)\s+((?:[\p{L}\p{N}&'’/\-]+\s+){0,5}?[\p{L}\p{N}&'’/\-]+)\s+i\s+1177(?:[^\p{N}]|$)`)

// subjectPrefixRe strips reply and forward prefixes ("VB:", "Fwd:", "Sv:",
// "Re[2]:") and tags ("[EXTERN]") from the start of a subject.
var subjectPrefixRe = regexp.MustCompile(`(?i)^\s*(?:(?:re|sv|vb|fw|fwd|fv|vs|aw|wg|tr|antw|ang|doorst)\s*(?:\[\d+\]|\(\d+\))?\s*:|\[[^\]]{0,40}\])\s*`)

// subjectUnitRe splits "Nytt ärende i 1177 e-tjänster – BUP Uddevalla" at
// the dash before the unit.
var subjectUnitRe = regexp.MustCompile(`\s+[-–—]\s+`)

// maxForwardedHeaders bounds the "Från:" and "Ämne:" lines read from the
// body.
const maxForwardedHeaders = 20

// Field kinds, by their folded label.
const (
	fieldType = iota + 1
	fieldReference
	fieldInkom
	fieldUnit
)

var labelSqueeze = strings.NewReplacer(" ", "", "\t", "", ".", "", "-", "")

func fieldOf(label string) int {
	l := labelSqueeze.Replace(fold(label))
	switch {
	case strings.HasPrefix(l, "arendetyp"):
		return fieldType
	case strings.HasPrefix(l, "arende"):
		return fieldReference
	case strings.HasPrefix(l, "inkom"):
		return fieldInkom
	}
	return fieldUnit
}

// fields are the labelled fields of a notice's body.
type fields struct {
	hasTypeLabel bool
	typeName     string // as written, white space collapsed; "" when absent
	typeKey      string // app.TypeOkand when absent or not recognised
	reference    string
	inkom        time.Time // zero when absent or unreadable
	inkomDate    bool      // Inkom gave a date but no time of day
	unit         string    // from a "Mottagning:" label
	senders      []string  // "Från:" lines of a notice forwarded inline
	subjects     []string  // "Ämne:" lines of a notice forwarded inline
	// sent is when 1177 sent a notice forwarded inline: the "Skickat:" line
	// under a 1177 "Från:" line. Zero when there is none.
	sent time.Time
}

// label is one field label found in the text.
type label struct {
	field      int
	start      int // where the label's name starts
	valueStart int // after the colon
	valueEnd   int // end of the value on the label's line
	lineEnd    int // end of the label's line (index of '\n' or len)
}

func findLabels(text string) []label {
	idx := findAllOnColonLines(labelRe, text, true)
	out := make([]label, 0, len(idx))
	lineEnd := -1
	for _, m := range idx {
		// Labels on one line share its end: find it once per line, so
		// that a long line with many labels costs no more than its length.
		if lineEnd < m[1] {
			lineEnd = strings.IndexByte(text[m[1]:], '\n')
			if lineEnd < 0 {
				lineEnd = len(text)
			} else {
				lineEnd += m[1]
			}
		}
		out = append(out, label{
			field:      fieldOf(text[m[2]:m[3]]),
			start:      m[2],
			valueStart: m[1],
			valueEnd:   lineEnd,
			lineEnd:    lineEnd,
		})
	}
	// A value ends where the next label on the same line starts.
	for i := range out {
		if i+1 < len(out) && out[i+1].start < out[i].lineEnd {
			out[i].valueEnd = out[i+1].start
		}
	}
	return out
}

// value returns a label's value on its own line and the lines after it that
// may continue it (a value folded onto the next lines), up to a blank line
// or another field. When the label ends its line with no value, the value
// is what follows on the next lines (a table laid out in two rows).
func (l label) value(text string) (first string, more []string) {
	first = strings.TrimSpace(text[l.valueStart:l.valueEnd])
	if l.valueEnd != l.lineEnd {
		return first, nil // another field follows on the same line
	}
	rest := text[min(l.lineEnd+1, len(text)):]
	blanks := 0
	for len(more) < 3 && rest != "" {
		line, next, _ := strings.Cut(rest, "\n")
		rest = next
		line = strings.TrimSpace(line)
		if line == "" {
			if first == "" && len(more) == 0 && blanks < 2 {
				blanks++
				continue // the value may come after a blank line
			}
			break
		}
		if fieldLikeRe.MatchString(line) || labelRe.MatchString(line) {
			break
		}
		more = append(more, line)
	}
	if first == "" && len(more) > 0 {
		first, more = more[0], more[1:]
	}
	return first, more
}

func extractFields(text string) fields {
	f := fields{typeKey: app.TypeOkand}
	var haveType, haveRef, haveInkom, haveUnit bool
	for _, l := range findLabels(text) {
		switch l.field {
		case fieldType:
			f.hasTypeLabel = true
			if haveType {
				continue
			}
			first, more := l.value(text)
			if first == "" {
				continue
			}
			haveType = true
			f.typeName, f.typeKey = matchType(first, more)
		case fieldReference:
			if haveRef {
				continue
			}
			first, _ := l.value(text)
			if ref := referenceRe.FindString(first); ref != "" && strings.ContainsAny(ref, "0123456789") && len(ref) <= 64 {
				f.reference = strings.TrimRight(ref, ".-/_")
				haveRef = true
			}
		case fieldInkom:
			if haveInkom {
				continue
			}
			first, _ := l.value(text)
			if t, dateOnly, ok := parseInkom(first); ok {
				f.inkom, f.inkomDate = t, dateOnly
				haveInkom = true
			}
		case fieldUnit:
			if haveUnit {
				continue
			}
			first, _ := l.value(text)
			if u := cleanUnit(first); u != "" {
				f.unit = u
				haveUnit = true
			}
		}
	}
	// A date line counts only in the header block of a forwarded 1177
	// notice: a few lines under its "Från:" line.
	from1177 := -1 // line number of the last 1177 "Från:" line
	line, counted := 0, 0
	for _, m := range findAllOnColonLines(headerLineRe, text, false) {
		line += strings.Count(text[counted:m[0]], "\n")
		counted = m[0]
		value := text[m[4]:m[5]]
		// A forward of a forward has a few header blocks; more are not
		// worth reading.
		switch fold(text[m[2]:m[3]]) {
		case "fran", "from", "avsandare":
			if len(f.senders) < maxForwardedHeaders {
				f.senders = append(f.senders, value)
				if isSender1177(value) {
					from1177 = line
				}
			}
		case "skickat", "sent", "datum", "date":
			if f.sent.IsZero() && from1177 >= 0 && line-from1177 <= 5 {
				f.sent = parseSent(value)
			}
		default:
			if len(f.subjects) < maxForwardedHeaders {
				f.subjects = append(f.subjects, value)
			}
		}
	}
	return f
}

// parseSent reads the date of a forwarded header: ISO, Swedish, or RFC 5322.
func parseSent(v string) time.Time {
	if t, dateOnly, ok := parseInkom(v); ok && !dateOnly {
		return t
	}
	if m := swedishDateRe.FindStringSubmatch(v); m != nil {
		d, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[3])
		mo := swedishMonths[strings.ToLower(m[2])]
		h, mi := 0, 0
		if m[4] != "" {
			h, _ = strconv.Atoi(m[4])
			mi, _ = strconv.Atoi(m[5])
		}
		if d >= 1 && d <= 31 && h <= 23 && mi <= 59 && y >= 1900 {
			if t := time.Date(y, mo, d, h, mi, 0, 0, app.Stockholm); t.Day() == d {
				return t
			}
		}
		return time.Time{}
	}
	if t, err := netmail.ParseDate(strings.TrimSpace(v)); err == nil {
		return t
	}
	return time.Time{}
}

// matchType recognises the type from the value's first line and the lines
// that may continue it. The longest candidate that names a type decides
// the type (MatchTypeName prefers the longest name the text starts with);
// the shortest candidate naming that type is the name kept for review.
func matchType(first string, more []string) (name, key string) {
	cands := []string{first}
	for _, m := range more {
		cands = append(cands, cands[len(cands)-1]+" "+m)
	}
	key = app.TypeOkand
	for i := len(cands) - 1; i >= 0; i-- {
		if k := app.MatchTypeName(cands[i]); k != app.TypeOkand {
			key = k
			break
		}
	}
	name = first
	if key != app.TypeOkand {
		for _, c := range cands {
			if app.MatchTypeName(c) == key {
				name = c
				break
			}
		}
	}
	return strings.Join(strings.Fields(name), " "), key
}

// parseInkom reads the Inkom value as Stockholm time.
func parseInkom(v string) (t time.Time, dateOnly, ok bool) {
	m := inkomRe.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, false, false
	}
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	y, mo, d := num(m[1]), num(m[2]), num(m[3])
	if y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false, false
	}
	h, mi, s := 0, 0, 0
	dateOnly = m[4] == ""
	if !dateOnly {
		h, mi = num(m[4]), num(m[5])
		if m[6] != "" {
			s = num(m[6])
		}
		if h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
			return time.Time{}, false, false
		}
	}
	t = time.Date(y, time.Month(mo), d, h, mi, s, 0, app.Stockholm)
	if t.Day() != d { // 2026-02-30 does not exist
		return time.Time{}, false, false
	}
	return t, dateOnly, true
}

// receivedAt is the notice's Inkom time; else the Date header (of the
// forwarded notice when there is one); else the IMAP INTERNALDATE or file
// time; else zero. It is always in Stockholm time.
func receivedAt(f fields, date, internalDate time.Time) time.Time {
	var t time.Time
	switch {
	case !f.inkom.IsZero() && !f.inkomDate:
		t = f.inkom
	case !f.inkom.IsZero():
		// A date without a time: the Date header's time when it is the same
		// day, else the start of the day.
		t = f.inkom
		if !date.IsZero() && app.DateOf(date) == app.DateOf(f.inkom) {
			t = date
		}
	case !date.IsZero():
		t = date
	case !internalDate.IsZero():
		t = internalDate
	}
	return t.In(app.Stockholm)
}

// stripSubject removes reply and forward prefixes and tags.
func stripSubject(s string) string {
	for i := 0; i < 10; i++ {
		loc := subjectPrefixRe.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s = s[loc[1]:]
	}
	return strings.TrimSpace(s)
}

// hadPrefix reports whether a subject is a reply or forward.
func hadPrefix(s string) bool {
	loc := subjectPrefixRe.FindStringIndex(s)
	return loc != nil && loc[1] > 0
}

// Kind markers, folded.
var (
	assignedMarkers = []string{"tilldelats", "tilldelat dig", "tilldelat till dig", "tilldelad dig", "tilldelad till dig"}
	arrivedMarkers  = []string{"nytt arende", "har kommit in", "kommit in till", "inkommit", "nya arenden"}
)

// kindOf tells a case assigned to the mailbox owner from a new case at the
// mottagning: by the subject, else by the first marker in the body, else a
// new case.
func kindOf(subjects []string, text string) string {
	for _, s := range subjects {
		if k := firstKind(fold(stripSubject(s))); k != "" {
			return k
		}
	}
	if k := firstKind(fold(text)); k != "" {
		return k
	}
	return app.NoticeInkommit
}

func firstKind(s string) string {
	first := func(markers []string) int {
		best := -1
		for _, m := range markers {
			if i := strings.Index(s, m); i >= 0 && (best < 0 || i < best) {
				best = i
			}
		}
		return best
	}
	a, n := first(assignedMarkers), first(arrivedMarkers)
	switch {
	case a >= 0 && (n < 0 || a < n):
		return app.NoticeTilldelat
	case n >= 0:
		return app.NoticeInkommit
	}
	return ""
}

// unitOf names the mottagning: from the body's sentence, else a labelled
// field, else the notice's subject ("... – BUP Uddevalla"); "" if none.
func unitOf(text string, f fields, subjects []string) string {
	// The first sentence is near the top: find its match alone, and the
	// others only when it names no unit.
	if m := unitSentenceRe.FindStringSubmatch(text); m != nil {
		if u := cleanUnit(m[1]); u != "" {
			return u
		}
		for _, m := range unitSentenceRe.FindAllStringSubmatch(text, -1)[1:] {
			if u := cleanUnit(m[1]); u != "" {
				return u
			}
		}
	}
	if f.unit != "" {
		return f.unit
	}
	for _, s := range append(subjects, f.subjects...) {
		if u := subjectUnit(s); u != "" {
			return u
		}
	}
	return ""
}

func subjectUnit(subject string) string {
	s := stripSubject(subject)
	locs := subjectUnitRe.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return ""
	}
	last := locs[len(locs)-1]
	before := fold(s[:last[0]])
	if !has1177(before) && !strings.Contains(before, "arende") {
		return ""
	}
	return cleanUnit(s[last[1]:])
}

// cleanUnit tidies a unit name and rejects what cannot be one.
func cleanUnit(u string) string {
	u = strings.Join(strings.Fields(u), " ")
	u = strings.Trim(u, " .,;:!?\"'«»()")
	if u == "" || len([]rune(u)) > 60 {
		return ""
	}
	f := fold(u)
	if has1177(f) || strings.Contains(f, "arende") || strings.Contains(f, "e-tjanst") {
		return ""
	}
	// A unit is a name ("BUP Uddevalla"), not words of a sentence.
	if r, _ := utf8.DecodeRuneInString(u); !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return ""
	}
	return u
}
