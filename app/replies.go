package app

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// Standard replies (standardsvar): the texts staff copy into 1177. The
// catalogue (keys, names, what sending one records) lives here; the default
// texts are files (assets/replies/<key>.txt) handed to NewReplyBook, and
// staff may override each text in the settings under "svar.<key>".

// Reply actions: what marking a reply as sent records besides the reply
// itself.
const (
	ReplyActionNone     = ""
	ReplyActionDelsvar  = FeedbackDelsvar // a delsvar: stops the two-day clock
	ReplyActionMotfraga = "motfraga"      // the case waits for the citizen
	ReplyActionSvar     = FeedbackSvar    // the final answer: the case is closed
)

// Reply is one standard reply.
type Reply struct {
	Key  string
	Name string // Swedish, as staff pick it
	// Action is what sending it records (ReplyAction*).
	Action string
	// Types are the case types the reply is made for; they see it first.
	// Empty means it suits any type.
	Types   []string
	Default string // the shipped text; "" for the clinic's own
	// Custom marks a reply the clinic added (AddReply): its text is in the
	// settings, and it can be removed.
	Custom bool
}

// Suits reports whether the reply is made for case type typeKey.
func (r Reply) Suits(typeKey string) bool {
	for _, t := range r.Types {
		if t == typeKey {
			return true
		}
	}
	return false
}

var lakarintygTypes = []string{TypeOmvardnadsbidrag, TypeVAB1216, TypeAllvarligtSjuktBarn, TypeKorkort,
	TypeSjukskrivningSkola, TypeNarkotikaResa}

// replyCatalog is the routine's list of standard replies, in display order.
var replyCatalog = []Reply{
	{Key: "delsvar", Name: "Delsvar (allmänt)", Action: ReplyActionDelsvar},
	{Key: "delsvar-lakare", Name: "Delsvar: ärendet läggs till läkare", Action: ReplyActionDelsvar, Types: lakarintygTypes},
	{Key: "motfraga", Name: "Motfråga (allmän)", Action: ReplyActionMotfraga},
	{Key: "avbokning", Name: "Avbokning bekräftad", Action: ReplyActionSvar, Types: []string{TypeAvbokaOmboka}},
	{Key: "journalkopia", Name: "Journalkopia: länk till centralarkivet", Action: ReplyActionSvar, Types: []string{TypeJournalkopia}},
	{Key: "evi", Name: "Egenremiss/Fråga om remiss: länk till En Väg In", Action: ReplyActionSvar, Types: []string{TypeEgenremiss, TypeFragaOmRemiss}},
	// Not for the doctor's certificates: those are closed in 1177 without
	// an answer, and the certificate goes by post.
	{Key: "intyg-skickat", Name: "Intyg skickat", Action: ReplyActionSvar, Types: []string{TypeVABUnder12}},
}

// ActionFor returns what sending the reply records on a case of type
// typeKey: its Action, except that a type that ClosesWithoutReply is
// never closed by a reply (its closing is "Avsluta utan svar"), so a
// closing reply records only that it was sent.
func (r Reply) ActionFor(typeKey string) string {
	if r.Action == ReplyActionSvar {
		if t, ok := CaseTypeByKey(typeKey); ok && t.ClosesWithoutReply() {
			return ReplyActionNone
		}
	}
	return r.Action
}

// ClosingReplies returns the replies offered as the way to close a case of
// type typeKey (Action svar): those made for the type, then the general
// ones. None for a type that ClosesWithoutReply.
func (b *ReplyBook) ClosingReplies(typeKey string) []Reply {
	var out []Reply
	for _, r := range b.ForType(typeKey) {
		if r.ActionFor(typeKey) == ReplyActionSvar && (r.Suits(typeKey) || len(r.Types) == 0) {
			out = append(out, r)
		}
	}
	return out
}

// ReplyBook is the catalogue of standard replies with their default texts.
// It is read-only after NewReplyBook and safe for concurrent use. The
// clinic's own replies (AddReply) live in the settings; WithCustom returns
// a book that holds them too.
type ReplyBook struct {
	replies []Reply
}

// NewReplyBook reads the default text of every reply from defaults, one
// file "<key>.txt" each. A missing or empty file is an error: a reply
// without a text is a build fault, not something to find at the desk.
func NewReplyBook(defaults fs.FS) (*ReplyBook, error) {
	b := &ReplyBook{}
	for _, r := range replyCatalog {
		raw, err := fs.ReadFile(defaults, r.Key+".txt")
		if err != nil {
			return nil, fmt.Errorf("standard reply %s: %w", r.Key, err)
		}
		r.Default = strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
		if r.Default == "" {
			return nil, fmt.Errorf("standard reply %s: empty default text", r.Key)
		}
		r.Types = append([]string(nil), r.Types...)
		b.replies = append(b.replies, r)
	}
	return b, nil
}

// All returns every reply in display order.
func (b *ReplyBook) All() []Reply { return append([]Reply(nil), b.replies...) }

// ForType returns every reply, those made for typeKey first, then the
// general ones, then the rest; each part in display order.
func (b *ReplyBook) ForType(typeKey string) []Reply {
	var made, general, rest []Reply
	for _, r := range b.replies {
		switch {
		case r.Suits(typeKey):
			made = append(made, r)
		case len(r.Types) == 0:
			general = append(general, r)
		default:
			rest = append(rest, r)
		}
	}
	return append(append(made, general...), rest...)
}

// Reply returns the reply with key k.
func (b *ReplyBook) Reply(k string) (Reply, bool) {
	for _, r := range b.replies {
		if r.Key == k {
			return r, true
		}
	}
	return Reply{}, false
}

// find returns reply key from the book, or else from the clinic's own
// replies in s.
func (b *ReplyBook) find(ctx context.Context, s SettingsStore, key string) (Reply, error) {
	if r, ok := b.Reply(key); ok {
		return r, nil
	}
	own, err := customReplies(ctx, s)
	if err != nil {
		return Reply{}, err
	}
	for _, r := range own {
		if r.Key == key {
			return r, nil
		}
	}
	return Reply{}, Errorf(ENOTFOUND, "Standardsvaret %q finns inte.", key)
}

// Text returns the text staff use for reply key: the override in settings
// when there is one, else the default. custom reports an override. The
// text of the clinic's own reply is always its override.
func (b *ReplyBook) Text(ctx context.Context, s SettingsStore, key string) (text string, custom bool, err error) {
	r, err := b.find(ctx, s, key)
	if err != nil {
		return "", false, err
	}
	v, err := s.Setting(ctx, ReplySettingPrefix+key)
	if err != nil {
		return "", false, err
	}
	if strings.TrimSpace(v) == "" {
		return r.Default, false, nil
	}
	return v, true, nil
}

// SetText stores the clinic's own text for reply key. A text equal to the
// default, or empty, resets to the default; the clinic's own reply must
// keep a text. A text with a placeholder we do not fill is refused
// (CheckReplyTemplate).
func (b *ReplyBook) SetText(ctx context.Context, s SettingsStore, key, text string) error {
	r, err := b.find(ctx, s, key)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if len(text) > 8000 {
		return FieldErrorf("text", "texten är för lång (högst 8000 tecken)")
	}
	if err := CheckReplyTemplate(text); err != nil {
		return err
	}
	if r.Custom && text == "" {
		return FieldErrorf("text", "skriv svarets text")
	}
	if text == r.Default {
		text = ""
	}
	return s.SetSetting(ctx, ReplySettingPrefix+key, text)
}

// ResetText goes back to the default text of reply key.
func (b *ReplyBook) ResetText(ctx context.Context, s SettingsStore, key string) error {
	if r, err := b.find(ctx, s, key); err == nil && r.Custom {
		return Errorf(ECONFLICT, "Mottagningens egna svar har ingen standardtext att återställa.")
	}
	return b.SetText(ctx, s, key, "")
}

// Placeholders a reply text may hold, and where each comes from.
var replyPlaceholders = []struct{ Name, Source string }{
	{"mottagning", SettingMottagningNamn},
	{"adress", SettingMottagningAdress},
	{"telefon", SettingMottagningTelefon},
	{"vardgivare", SettingMottagningVardgivare},
	{"lank-centralarkivet", SettingLankCentralarkivet},
	{"lank-evi", SettingLankEVI},
	{"datum", ""},        // the case's due date ("2 december 2026")
	{"arendenummer", ""}, // the case's Ärendenummer
	{"idag", ""},         // today's date
}

// ReplyPlaceholders returns the names of the placeholders a reply text may
// hold, without braces, for the settings screen's help text.
func ReplyPlaceholders() []string {
	var out []string
	for _, p := range replyPlaceholders {
		out = append(out, p.Name)
	}
	return out
}

// ReplyValues are the values of the placeholders, by name without braces.
type ReplyValues map[string]string

// ReplyValuesFor collects the placeholder values for case c at now: the
// details of the case's mottagning (UnitDetailsFor c.Unit), the region's
// links, the case's due date and reference. c may be nil (a preview in the
// settings): the default mottagning's details then.
func ReplyValuesFor(ctx context.Context, s SettingsStore, c *Case, now time.Time) (ReplyValues, error) {
	unit := ""
	if c != nil {
		unit = c.Unit
	}
	d, _, err := UnitDetailsFor(ctx, s, unit)
	if err != nil {
		return nil, err
	}
	v := d.Values()
	for _, p := range replyPlaceholders {
		if p.Source == "" || v[p.Name] != "" || isUnitPlaceholder(p.Name) {
			continue
		}
		val, err := s.Setting(ctx, p.Source)
		if err != nil {
			return nil, err
		}
		v[p.Name] = strings.TrimSpace(val)
	}
	v["idag"] = DateLongSv(DateOf(now))
	if c != nil {
		if !c.DueDate.IsZero() {
			v["datum"] = DateLongSv(c.DueDate)
		}
		v["arendenummer"] = c.Reference
	}
	return v, nil
}

// Values are d's details as the placeholders they fill.
func (d UnitDetails) Values() ReplyValues {
	v := ReplyValues{}
	for _, f := range unitFields {
		if f.Placeholder != "" {
			v[f.Placeholder] = *f.get(&d)
		}
	}
	return v
}

func isUnitPlaceholder(name string) bool {
	for _, f := range unitFields {
		if f.Placeholder != "" && f.Placeholder == name {
			return true
		}
	}
	return false
}

var monthsSv = [...]string{"", "januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

// DateLongSv formats d as a citizen reads it: "2 december 2026".
func DateLongSv(d Date) string {
	return strconv.Itoa(d.Day) + " " + monthsSv[d.Month] + " " + strconv.Itoa(d.Year)
}

// FilledReply is a reply text with its placeholders filled.
type FilledReply struct {
	Text string
	// Missing names the known placeholders that had no value (a setting
	// not filled in, a case without Ärendenummer); they stay visible in
	// Text as "{name}" so nobody sends a hole without seeing it.
	Missing []string
	// Unknown names placeholders that are not ours (a typo in an edited
	// text); they too stay visible.
	Unknown []string
}

// FillReply replaces each "{name}" in text with its value. Unknown
// placeholders and those without a value are left as they are, and listed.
func FillReply(text string, v ReplyValues) FilledReply {
	known := map[string]bool{}
	for _, p := range replyPlaceholders {
		known[p.Name] = true
	}
	var out FilledReply
	var b strings.Builder
	seen := map[string]bool{}
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i+1:], '}')
		if j < 0 {
			b.WriteString(text)
			break
		}
		name := text[i+1 : i+1+j]
		// A "{" followed by another "{" before the "}" is not a placeholder
		// start: keep the first and look again from the second.
		if k := strings.IndexByte(name, '{'); k >= 0 {
			b.WriteString(text[:i+1+k])
			text = text[i+1+k:]
			continue
		}
		b.WriteString(text[:i])
		text = text[i+j+2:]
		val, ok := v[name]
		switch {
		case !known[name]:
			b.WriteString("{" + name + "}")
			if !seen[name] && isPlaceholderName(name) {
				out.Unknown = append(out.Unknown, name)
			}
		case !ok || val == "":
			b.WriteString("{" + name + "}")
			if !seen[name] {
				out.Missing = append(out.Missing, name)
			}
		default:
			b.WriteString(val)
		}
		seen[name] = true
	}
	out.Text = b.String()
	return out
}

// isPlaceholderName reports whether s looks like a placeholder someone
// meant ("{telefn}"), as opposed to braces in ordinary text.
func isPlaceholderName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' ||
			r == 'å' || r == 'ä' || r == 'ö' || r == 'Å' || r == 'Ä' || r == 'Ö') {
			return false
		}
	}
	return true
}

// SendReply records that standard reply r was sent in 1177, and with it
// the action the reply is: a delsvar, a motfråga or the final answer. The
// action is left out where the case's state makes it meaningless (a
// delsvar on a closed case, a second motfråga while one is waiting): the
// reply itself is still recorded, since it was sent. Marking the reply
// that was the case's latest change again (Case.RecentReply) records
// nothing: however often "Markera som skickat" is pressed, it registers
// once.
func (c *Case) SendReply(r Reply, actor string, now time.Time) ([]Event, error) {
	if r.Key == "" {
		return nil, FieldErrorf("reply", "välj ett standardsvar")
	}
	if r.Name != "" && c.RecentReply == r.Name {
		// Pressed again (or twice at once): it was registered already
		// and nothing happened since.
		return nil, nil
	}
	ev := []Event{c.event(EventReplySent, actor, now, r.Name)}
	var more []Event
	var err error
	switch r.ActionFor(c.Type) {
	case ReplyActionDelsvar:
		if c.Status != StatusAvslutad {
			more, err = c.Delsvar(actor, now)
		}
	case ReplyActionMotfraga:
		if c.Status != StatusAvslutad && c.Status != StatusVantar {
			more, err = c.Motfraga(actor, now)
		}
	case ReplyActionSvar:
		if c.Status != StatusAvslutad {
			more, err = c.Close(actor, now)
		}
	}
	if err != nil {
		return nil, err
	}
	return append(ev, more...), nil
}
