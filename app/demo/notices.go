package demo

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"time"

	"arendestod/app"
)

// Notice is one made-up 1177 notice of the demo: what it is meant to say,
// and the raw message that says it. Notices carry no patient data, as real
// staff notices do not.
type Notice struct {
	Kind       string // app.NoticeInkommit or app.NoticeTilldelat
	Unit       string
	Type       string // case-type key; app.TypeOkand for a notice without a type line
	TypeName   string // as the notice writes it; "" when it has no type line
	Reference  string // Ärendenummer; "" when the notice has none
	ReceivedAt time.Time
	// Update marks a tilldelat notice about a case seeded before it: it
	// updates that case instead of making a new one.
	Update    bool
	Sent      time.Time // the Date header; also the IMAP INTERNALDATE
	MessageID string    // in <...> form
	Raw       []byte    // the message, CRLF line endings
}

// The mottagningar of the demo, the first most often.
var units = []string{"BUP Uddevalla", "BUP Uddevalla", "BUP Uddevalla", "BUP Trollhättan", "BUP Trollhättan",
	"BUP Vänersborg", "BUP Strömstad", "BUP Lysekil"}

// commonTypes weighs the types by how often they come in: prescriptions,
// bookings and messages most.
var commonTypes = []string{
	app.TypeFornyaRecept, app.TypeFornyaRecept, app.TypeFornyaRecept, app.TypeFornyaRecept,
	app.TypeAvbokaOmboka, app.TypeAvbokaOmboka, app.TypeAvbokaOmboka,
	app.TypeSkickaMeddelande, app.TypeSkickaMeddelande, app.TypeSkickaMeddelande,
	app.TypeVABUnder12, app.TypeVABUnder12,
	app.TypeKontaktuppgifter, app.TypeJournalkopia, app.TypeEgenremiss, app.TypeFragaOmRemiss,
	app.TypeVAB1216, app.TypeKorkort, app.TypeOmvardnadsbidrag,
}

// nameVariants are spellings that real notices show besides 1177's own
// (lower case, a hyphen without spaces, missing diacritics): the parser
// must take them all.
var nameVariants = map[string][]string{
	app.TypeFornyaRecept:  {"förnya recept", "Fornya recept"},
	app.TypeVAB1216:       {"Ansökan för vård av barn 12-16 år", "Ansökan för vård av barn 12 – 16 år"},
	app.TypeAvbokaOmboka:  {"Kontakt för att avboka eller omboka tid"},
	app.TypeKorkort:       {"Lakarutlatande for korkortstillstand"},
	app.TypeEgenremiss:    {"egenremiss"},
	app.TypeJournalkopia:  {"Beställning Journalkopia"},
	app.TypeFragaOmRemiss: {"Fråga om min remiss"},
}

// generator makes notices. It is safe for concurrent use.
type generator struct {
	mu   sync.Mutex
	rnd  *rand.Rand
	cal  *app.Calendar
	run  string // tells this run's Message-IDs from another run's
	next int    // next reference number
	seq  int    // next Message-ID number
	refs []Notice
}

func newGenerator(seed uint64) *generator {
	if seed == 0 {
		seed = rand.Uint64()
	}
	rnd := rand.New(rand.NewPCG(seed, seed^0x1177))
	return &generator{
		rnd: rnd,
		cal: app.NewCalendar(),
		run: fmt.Sprintf("%08x", rnd.Uint32()),
		// References are drawn from a wide range per run, so that a later
		// demo run in the same database does not hit an earlier run's
		// references (which would update those cases instead).
		next: 1_000_000 + rnd.IntN(8_000_000),
	}
}

// deadline categories of a seeded notice, relative to now.
const (
	catOK = iota
	catDueToday
	catOverdue
)

// seed returns count notices received in the two weeks up to now, oldest
// first: every type group, every type, one without a type, some assigned,
// and a mix of cases overdue, due today and not yet due.
func (g *generator) seed(now time.Time, count int) []Notice {
	g.mu.Lock()
	defer g.mu.Unlock()
	now = now.In(app.Stockholm)
	today := app.DateOf(now)

	// The days of the last two weeks by what a case received then is now.
	var days [3][]app.Date
	for off := 0; off <= 13; off++ {
		d := today.AddDays(-off)
		switch due := g.cal.DueDate(d.Time().Add(12 * time.Hour)); {
		case due == today:
			days[catDueToday] = append(days[catDueToday], d)
		case due.Before(today):
			days[catOverdue] = append(days[catOverdue], d)
		default:
			days[catOK] = append(days[catOK], d)
		}
	}

	// Every real type once, one without a type, then the common ones.
	var types []string
	for _, t := range app.CaseTypes() {
		if t.Key != app.TypeOkand {
			types = append(types, t.Key)
		}
	}
	g.rnd.Shuffle(len(types), func(i, j int) { types[i], types[j] = types[j], types[i] })
	types = append(types, app.TypeOkand)
	updates := 0
	if count >= 10 {
		updates = 2
	}
	for len(types) < count-updates {
		types = append(types, commonTypes[g.rnd.IntN(len(commonTypes))])
	}
	types = types[:max(0, count-updates)]

	// Half not yet due, a fifth due today, the rest overdue.
	cats := make([]int, len(types))
	for i := range cats {
		switch {
		case i < len(cats)/2:
			cats[i] = catOK
		case i < len(cats)/2+len(cats)/5:
			cats[i] = catDueToday
		default:
			cats[i] = catOverdue
		}
	}
	g.rnd.Shuffle(len(cats), func(i, j int) { cats[i], cats[j] = cats[j], cats[i] })

	var out []Notice
	for i, typ := range types {
		cat := cats[i]
		for len(days[cat]) == 0 { // e.g. no case is due on a Saturday
			cat = (cat + 1) % 3
		}
		d := days[cat][g.rnd.IntN(len(days[cat]))]
		n := g.notice(typ, g.receivedOn(d, now))
		// A few arrive assigned straight to the mailbox owner.
		if i%11 == 5 && n.Reference != "" {
			n.Kind = app.NoticeTilldelat
		}
		out = append(out, n)
	}
	// Tilldelat notices for cases seeded above: they update those cases.
	used := map[string]bool{}
	for u := 0; u < updates; u++ {
		var candidates []Notice
		for _, n := range out {
			if !n.Update && n.Kind == app.NoticeInkommit && n.Reference != "" && !used[n.Reference] &&
				n.ReceivedAt.Before(now.Add(-2*time.Hour)) {
				candidates = append(candidates, n)
			}
		}
		if len(candidates) == 0 {
			break
		}
		orig := candidates[g.rnd.IntN(len(candidates))]
		used[orig.Reference] = true
		n := orig
		n.Kind, n.Update = app.NoticeTilldelat, true
		n.Sent = orig.Sent.Add(time.Duration(30+g.rnd.IntN(90)) * time.Minute)
		if n.Sent.After(now) {
			n.Sent = now
		}
		out = append(out, n)
	}
	sortBySent(out)
	for i := range out {
		out[i].MessageID = g.messageID()
		out[i].Raw = g.render(out[i])
	}
	g.refs = append(g.refs, out...)
	return out
}

func sortBySent(ns []Notice) {
	slices.SortStableFunc(ns, func(a, b Notice) int { return a.Sent.Compare(b.Sent) })
}

// receivedOn returns a time on day d, no later than a minute before now:
// citizens write at any hour, mostly between seven and ten.
func (g *generator) receivedOn(d app.Date, now time.Time) time.Time {
	start := d.Time().Add(7 * time.Hour)
	end := d.Time().Add(22 * time.Hour)
	latest := now.Add(-time.Minute).Truncate(time.Minute)
	if end.After(latest) {
		end = latest
	}
	if !start.Before(end) {
		start = d.Time()
	}
	if !start.Before(end) {
		return end
	}
	span := int64(end.Sub(start) / time.Minute)
	return start.Add(time.Duration(g.rnd.Int64N(span+1)) * time.Minute)
}

// notice makes a new-case notice of type typ received at t.
func (g *generator) notice(typ string, t time.Time) Notice {
	t = t.In(app.Stockholm).Truncate(time.Minute)
	n := Notice{
		Kind:       app.NoticeInkommit,
		Unit:       units[g.rnd.IntN(len(units))],
		Type:       typ,
		ReceivedAt: t,
		Sent:       t.Add(time.Minute),
	}
	if typ != app.TypeOkand {
		n.TypeName = app.TypeName(typ)
		if vs := nameVariants[typ]; len(vs) > 0 && g.rnd.IntN(4) == 0 {
			n.TypeName = vs[g.rnd.IntN(len(vs))]
		}
		n.Reference = fmt.Sprintf("%d-%07d", t.Year(), g.next)
		g.next++
	}
	return n
}

// live returns a notice that arrives now: mostly a new case, sometimes an
// assignment of an earlier one, rarely one without a type.
func (g *generator) live(now time.Time) Notice {
	g.mu.Lock()
	defer g.mu.Unlock()
	now = now.In(app.Stockholm).Truncate(time.Minute)
	var n Notice
	switch r := g.rnd.IntN(20); {
	case r == 0:
		n = g.notice(app.TypeOkand, now)
	case r <= 2 && len(g.refs) > 0:
		orig := g.refs[g.rnd.IntN(len(g.refs))]
		if orig.Reference == "" {
			n = g.notice(commonTypes[g.rnd.IntN(len(commonTypes))], now)
			break
		}
		n = orig
		n.Kind, n.Update = app.NoticeTilldelat, true
	default:
		n = g.notice(commonTypes[g.rnd.IntN(len(commonTypes))], now)
	}
	n.Sent = now
	n.MessageID = g.messageID()
	n.Raw = g.render(n)
	g.refs = append(g.refs, n)
	return n
}

func (g *generator) messageID() string {
	g.seq++
	return fmt.Sprintf("<demo-%s-%04d@%s>", g.run, g.seq, SenderDomain)
}

// Message styles, like the ones 1177 and forwarding mail clients produce.
const (
	stylePlainQP = iota
	stylePlainBase64
	styleHTML
	styleAlternative
	styleLatin1
	styleCount
)

// render writes the notice as an e-mail with CRLF line endings.
func (g *generator) render(n Notice) []byte {
	style := stylePlainQP
	if r := g.rnd.IntN(10); r >= 4 {
		style = 1 + r%(styleCount-1)
	}
	return renderStyle(n, style)
}

func renderStyle(n Notice, style int) []byte {
	var subject, intro string
	if n.Kind == app.NoticeTilldelat {
		subject = "Du har tilldelats ett ärende i 1177 e-tjänster"
		intro = fmt.Sprintf("Du har tilldelats ett ärende på %s i 1177 e-tjänster.", n.Unit)
	} else {
		subject = "Nytt ärende i 1177 e-tjänster – " + n.Unit
		intro = fmt.Sprintf("Ett nytt ärende har kommit in till %s i 1177 e-tjänster.", n.Unit)
	}
	var fields []string
	if n.TypeName != "" {
		fields = append(fields, "Ärendetyp: "+n.TypeName)
	}
	if n.Reference != "" {
		fields = append(fields, "Ärendenummer: "+n.Reference)
	}
	fields = append(fields, "Inkom: "+n.ReceivedAt.In(app.Stockholm).Format("2006-01-02 15:04"))
	paras := [][]string{{"Hej!"}, {intro}, fields,
		{"Logga in i Personalverktyget för att läsa och hantera ärendet."},
		{"Obs! Det här är ett automatiskt meddelande som inte går att besvara."}}

	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", mime.QEncoding.Encode("utf-8", "1177 e-tjänster")+" <noreply@"+SenderDomain+">")
	header("To", "bup.demo.1177@region.example")
	header("Subject", foldWords(mime.QEncoding.Encode("utf-8", subject)))
	header("Date", n.Sent.In(app.Stockholm).Format(time.RFC1123Z))
	header("Message-ID", n.MessageID)
	header("MIME-Version", "1.0")

	switch style {
	case stylePlainBase64:
		header("Content-Type", `text/plain; charset="utf-8"`)
		header("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		b.WriteString(base64Lines([]byte(plainText(paras))))
	case styleHTML:
		header("Content-Type", `text/html; charset="utf-8"`)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		b.WriteString(qp([]byte(htmlText(paras))))
	case styleAlternative:
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
		b.WriteString("\r\n")
		for _, part := range []struct{ typ, text string }{{"text/plain", plainText(paras)}, {"text/html", htmlText(paras)}} {
			w, _ := mw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {part.typ + `; charset="utf-8"`},
				"Content-Transfer-Encoding": {"base64"},
			})
			w.Write([]byte(base64Lines([]byte(part.text))))
		}
		mw.Close()
		b.Write(body.Bytes())
	case styleLatin1:
		header("Content-Type", `text/plain; charset="iso-8859-1"`)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		b.WriteString(qp(latin1(plainText(paras))))
	default:
		header("Content-Type", `text/plain; charset="utf-8"`)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		b.WriteString(qp([]byte(plainText(paras))))
	}
	return b.Bytes()
}

func plainText(paras [][]string) string {
	var s []string
	for _, p := range paras {
		s = append(s, strings.Join(p, "\r\n"))
	}
	return strings.Join(s, "\r\n\r\n") + "\r\n"
}

func htmlText(paras [][]string) string {
	var b strings.Builder
	b.WriteString("<html><body>")
	for _, p := range paras {
		esc := make([]string, len(p))
		for i, l := range p {
			esc[i] = html.EscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(esc, "<br>\r\n") + "</p>\r\n")
	}
	b.WriteString("</body></html>\r\n")
	return b.String()
}

func qp(b []byte) string {
	var out bytes.Buffer
	w := quotedprintable.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.String()
}

func base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.String()
}

// latin1 encodes s as ISO-8859-1; the demo's texts have no other letters.
func latin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		out = append(out, byte(r))
	}
	return out
}

// foldWords puts each encoded word of a long header value on its own
// continuation line, as mail clients do.
func foldWords(s string) string { return strings.ReplaceAll(s, "?= =?", "?=\r\n =?") }
