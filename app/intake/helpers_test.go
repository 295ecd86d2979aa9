package intake_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/data"
)

// corpusDir holds the shared sample notices, relative to this package.
const corpusDir = "../../testdata/notices"

// corpusSender is the sender domain of the sample notices.
const corpusSender = "notis.1177.example"

// openDB opens a real SQLite store in a fresh folder that accepts notices
// from the samples' sender.
func openDB(tb testing.TB) *data.DB {
	tb.Helper()
	db, err := data.Open(filepath.Join(tb.TempDir(), "arendestod.db"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := app.AllowSenderDomain(context.Background(), db, corpusSender); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

type expectedNotice struct {
	File        string  `json:"file"`
	Notice      bool    `json:"notice"`
	Kind        string  `json:"kind"`
	Type        string  `json:"type"`
	Reference   *string `json:"reference"`
	MessageID   string  `json:"message_id"`
	DuplicateOf *string `json:"duplicate_of"`
}

// corpus returns the sample notices in file order, with CRLF line ends as
// a mail server stores them, and what each must give.
func corpus(tb testing.TB) ([][]byte, []expectedNotice) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "expected.json"))
	if err != nil {
		tb.Fatalf("the shared sample notices are missing: %v", err)
	}
	var exp []expectedNotice
	if err := json.Unmarshal(b, &exp); err != nil {
		tb.Fatal(err)
	}
	sort.Slice(exp, func(i, j int) bool { return exp[i].File < exp[j].File })
	var raws [][]byte
	for _, e := range exp {
		raw, err := os.ReadFile(filepath.Join(corpusDir, e.File))
		if err != nil {
			tb.Fatal(err)
		}
		raws = append(raws, crlf(raw))
	}
	return raws, exp
}

func crlf(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

// typeNames are notice type names with the key each must give, in the
// spellings notices use.
var typeNames = []struct{ name, key string }{
	{"Förnya recept", app.TypeFornyaRecept},
	{"Ansökan för vård av barn under 12 år", app.TypeVABUnder12},
	{"Ansökan för vård av barn 12 - 16 år", app.TypeVAB1216},
	{"Kontakt för att avboka eller omboka tid", app.TypeAvbokaOmboka},
	{"Beställning journalkopia", app.TypeJournalkopia},
	{"Egenremiss", app.TypeEgenremiss},
	{"Läkarutlåtande för körkortstillstånd", app.TypeKorkort},
	{"Ändring av kontaktuppgifter", app.TypeKontaktuppgifter},
	{"Fråga om min remiss", app.TypeFragaOmRemiss},
	{"Skicka meddelande", app.TypeSkickaMeddelande},
	{"Omvårdnadsbidrag", app.TypeOmvardnadsbidrag},
}

var units = []string{"BUP Uddevalla", "BUP Trollhättan", "BUP Vänersborg"}

var noticeTmpl = template.Must(template.ParseFiles("testdata/notice.tmpl"))

// genNotice is one generated notice.
type genNotice struct {
	Raw       []byte
	Reference string
	MessageID string
	Kind      string
	TypeKey   string
}

// genNotices makes n notices, each with a unique Message-ID and reference
// (run keeps runs apart), with varied kinds, types, units, charsets and
// transfer encodings.
func genNotices(tb testing.TB, run string, n int) []genNotice {
	tb.Helper()
	base := time.Date(2026, 11, 2, 7, 0, 0, 0, app.Stockholm)
	// Intake quarantines a notice received more than a day after now: a
	// run long enough to reach past today starts that much earlier.
	if last := base.Add(time.Duration(n) * 7 * time.Minute); last.After(time.Now()) {
		base = base.Add(time.Now().Add(-time.Hour).Sub(last))
	}
	out := make([]genNotice, n)
	for i := range out {
		t := typeNames[i%len(typeNames)]
		kind := app.NoticeInkommit
		if i%7 == 3 {
			kind = app.NoticeTilldelat
		}
		unit := units[i%len(units)]
		at := base.Add(time.Duration(i) * 7 * time.Minute)
		g := genNotice{
			Reference: fmt.Sprintf("%s-%07d", run, i),
			MessageID: fmt.Sprintf("<gen-%s-%d@notis.1177.example>", strings.ToLower(run), i),
			Kind:      kind,
			TypeKey:   t.key,
		}
		var body strings.Builder
		err := noticeTmpl.Execute(&body, map[string]any{
			"Assigned": kind == app.NoticeTilldelat,
			"Unit":     unit,
			"Type":     t.name,
			"Ref":      g.Reference,
			"Inkom":    at.Format("2006-01-02 15:04"),
		})
		if err != nil {
			tb.Fatal(err)
		}
		subject := "Nytt ärende i 1177 e-tjänster – " + unit
		if kind == app.NoticeTilldelat {
			subject = "Du har tilldelats ett ärende i 1177 e-tjänster"
		}
		var m bytes.Buffer
		fmt.Fprintf(&m, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
		fmt.Fprintf(&m, "From: =?utf-8?q?1177_e-tj=C3=A4nster?= <noreply@notis.1177.example>\r\n")
		fmt.Fprintf(&m, "To: bup.uddevalla.1177@region.example\r\n")
		fmt.Fprintf(&m, "Date: %s\r\n", at.Add(time.Minute).Format(time.RFC1123Z))
		fmt.Fprintf(&m, "Message-ID: %s\r\nMIME-Version: 1.0\r\n", g.MessageID)
		text := strings.ReplaceAll(body.String(), "\n", "\r\n")
		switch i % 3 {
		case 0: // UTF-8, 8bit
			m.WriteString("Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
			m.WriteString(text)
		case 1: // ISO-8859-1, quoted-printable
			m.WriteString("Content-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
			w := quotedprintable.NewWriter(&m)
			w.Write(latin1(text))
			w.Close()
		case 2: // HTML only, UTF-8, base64
			m.WriteString("Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
			html := "<html><body><p>" + strings.ReplaceAll(strings.TrimSpace(body.String()), "\n", "<br>\n") + "</p></body></html>\n"
			enc := base64.StdEncoding.EncodeToString([]byte(html))
			for len(enc) > 76 {
				m.WriteString(enc[:76] + "\r\n")
				enc = enc[76:]
			}
			m.WriteString(enc + "\r\n")
		}
		g.Raw = m.Bytes()
		out[i] = g
	}
	return out
}

func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 256 {
			b = append(b, byte(r))
		} else {
			b = append(b, '-') // the en dash, which Latin-1 lacks
		}
	}
	return b
}

func raws(ns []genNotice) [][]byte {
	out := make([][]byte, len(ns))
	for i, n := range ns {
		out[i] = n.Raw
	}
	return out
}

// mailClient is a test's own IMAP connection for delivering and
// inspecting mail.
func mailClient(tb testing.TB, acc app.IMAPAccount) *imapclient.Client {
	tb.Helper()
	opts := &imapclient.Options{TLSConfig: acc.TLSConfig}
	addr := net.JoinHostPort(acc.Host, fmt.Sprint(acc.Port))
	var c *imapclient.Client
	var err error
	switch acc.Security {
	case app.IMAPSecurityPlain:
		c, err = imapclient.DialInsecure(addr, opts)
	case app.IMAPSecurityStartTLS:
		c, err = imapclient.DialStartTLS(addr, opts)
	default:
		c, err = imapclient.DialTLS(addr, opts)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Login(acc.Username, acc.Password).Wait(); err != nil {
		c.Close()
		tb.Fatal(err)
	}
	return c
}

// deliver appends msgs to mailbox by IMAP APPEND over conns connections.
// With Dovecot one connection is fastest: parallel APPENDs to one maildir
// wait for each other's locks.
func deliver(tb testing.TB, acc app.IMAPAccount, mailbox string, msgs [][]byte, conns int) {
	tb.Helper()
	conns = max(1, min(conns, len(msgs)))
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for w := range conns {
		c := mailClient(tb, acc)
		wg.Go(func() {
			defer c.Close()
			var pending []*imapclient.AppendCommand
			for i := w; i < len(msgs); i += conns {
				cmd := c.Append(mailbox, int64(len(msgs[i])), appendOptions(msgs[i]))
				if _, err := cmd.Write(msgs[i]); err != nil {
					errs <- err
					return
				}
				if err := cmd.Close(); err != nil {
					errs <- err
					return
				}
				pending = append(pending, cmd)
			}
			for _, cmd := range pending {
				if _, err := cmd.Wait(); err != nil {
					errs <- err
					return
				}
			}
			c.Logout().Wait()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatalf("APPEND: %v", err)
	}
}

// flagsOf returns the flags of every message in mailbox by UID.
func flagsOf(tb testing.TB, acc app.IMAPAccount, mailbox string) map[imap.UID][]imap.Flag {
	tb.Helper()
	c := mailClient(tb, acc)
	defer c.Close()
	if _, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		tb.Fatal(err)
	}
	msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[imap.UID][]imap.Flag{}
	for _, m := range msgs {
		out[m.UID] = m.Flags
	}
	return out
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, x := range flags {
		if strings.EqualFold(string(x), string(f)) {
			return true
		}
	}
	return false
}

// allCases returns every case in the store.
func allCases(tb testing.TB, db *data.DB) []*app.Case {
	tb.Helper()
	cs, total, err := db.Cases(context.Background(), app.CaseFilter{View: app.ViewAll})
	if err != nil {
		tb.Fatal(err)
	}
	if total != len(cs) {
		tb.Fatalf("Cases returned %d of %d", len(cs), total)
	}
	return cs
}

// exactlyOnce checks that the store holds one case per wanted reference,
// none lost and none twice, and that the database is sound.
func exactlyOnce(tb testing.TB, db *data.DB, wantRefs []string) {
	tb.Helper()
	cs := allCases(tb, db)
	want := map[string]bool{}
	for _, r := range wantRefs {
		want[r] = true
	}
	seenRef, seenID := map[string]int{}, map[string]int{}
	for _, c := range cs {
		seenRef[c.Reference]++
		seenID[c.MessageID]++
	}
	var lost, dup, extra int
	for r := range want {
		switch n := seenRef[r]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	for r, n := range seenRef {
		if !want[r] {
			extra += n
		}
	}
	for id, n := range seenID {
		if n > 1 {
			tb.Errorf("message %s made %d cases", id, n)
		}
	}
	if lost != 0 || dup != 0 || extra != 0 || len(cs) != len(want) {
		tb.Errorf("cases: %d, want %d: %d lost, %d duplicate, %d unexpected", len(cs), len(want), lost, dup, extra)
	}
	integrityOK(tb, db)
}

func integrityOK(tb testing.TB, db *data.DB) {
	tb.Helper()
	s, err := db.IntegrityCheck(context.Background())
	if err != nil || s != "ok" {
		tb.Errorf("integrity_check = %q, %v", s, err)
	}
}

// recorder collects what an Intake reports.
type recorder struct {
	mu       sync.Mutex
	cases    []app.IngestResult
	states   []app.IntakeState
	errs     []error
	progress []intake.Progress
	caseCh   chan app.IngestResult
	stateCh  chan app.IntakeState
}

func newRecorder() *recorder {
	return &recorder{caseCh: make(chan app.IngestResult, 100000), stateCh: make(chan app.IntakeState, 10000)}
}

func (r *recorder) options(store intake.Store) intake.Options {
	return intake.Options{
		Store: store,
		OnCase: func(res app.IngestResult, n *app.Notice) {
			if n == nil {
				panic("OnCase without a notice")
			}
			r.mu.Lock()
			r.cases = append(r.cases, res)
			r.mu.Unlock()
			r.caseCh <- res
		},
		OnProgress: func(p intake.Progress) {
			r.mu.Lock()
			r.progress = append(r.progress, p)
			r.mu.Unlock()
		},
		OnState: func(s app.IntakeState, err error) {
			r.mu.Lock()
			r.states = append(r.states, s)
			if s == app.IntakeError {
				r.errs = append(r.errs, err)
			}
			r.mu.Unlock()
			r.stateCh <- s
		},
	}
}

// waitState waits for state s.
func (r *recorder) waitState(tb testing.TB, s app.IntakeState, within time.Duration) {
	tb.Helper()
	deadline := time.After(within)
	for {
		select {
		case got := <-r.stateCh:
			if got == s {
				return
			}
		case <-deadline:
			tb.Fatalf("no state %q within %v; states: %v", s, within, r.statesSeen())
		}
	}
}

func (r *recorder) statesSeen() []app.IntakeState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]app.IntakeState(nil), r.states...)
}

func (r *recorder) errors() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

// waitCases waits until n cases have been reported.
func (r *recorder) waitCases(tb testing.TB, n int, within time.Duration) {
	tb.Helper()
	deadline := time.After(within)
	for got := 0; got < n; got++ {
		select {
		case <-r.caseCh:
		case <-deadline:
			tb.Fatalf("%d of %d cases reported within %v", got, n, within)
		}
	}
}

// proxy is a TCP proxy that a test can cut (close every connection) or
// freeze (stop forwarding but keep the connections open, like a dead NAT).
type proxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	conns  []net.Conn
	frozen bool
	cuts   int
	down   int64  // bytes forwarded from the server
	atDown int64  // when down passes this, run trigger
	trig   func() // once
}

func newProxy(tb testing.TB, target string) *proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go p.serve()
	tb.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *proxy) port() int { return p.ln.Addr().(*net.TCPAddr).Port }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(c, s, true)
		go p.pipe(s, c, false)
	}
}

func (p *proxy) pipe(dst, src net.Conn, fromServer bool) {
	buf := make([]byte, 4*1024)
	for {
		n, err := src.Read(buf)
		if fromServer && n > 0 {
			p.count(int64(n))
		}
		for p.isFrozen() {
			time.Sleep(5 * time.Millisecond)
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
}

// after runs fn (once) when n more bytes have come from the server: with
// a FETCH under way, in the middle of it.
func (p *proxy) after(n int64, fn func()) {
	p.mu.Lock()
	p.atDown, p.trig = p.down+n, fn
	p.mu.Unlock()
}

func (p *proxy) count(n int64) {
	p.mu.Lock()
	p.down += n
	var fn func()
	if p.trig != nil && p.down >= p.atDown {
		fn, p.trig = p.trig, nil
	}
	p.mu.Unlock()
	if fn != nil {
		fn()
	}
}

func (p *proxy) isFrozen() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.frozen
}

// cut closes every proxied connection, as a network failure would.
func (p *proxy) cut() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.cuts++
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// freeze stops forwarding on the open connections without closing them;
// thaw drops them (they are dead to both ends) and lets new ones through.
func (p *proxy) freeze() {
	p.mu.Lock()
	p.frozen = true
	p.mu.Unlock()
}

func (p *proxy) thaw() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	p.mu.Lock()
	p.frozen = false
	p.mu.Unlock()
}

// appendOptions makes a message's INTERNALDATE its Date header, as when
// the server received it when it was sent: some samples are dated ahead,
// and a notice received more than a day after its mail's arrival is
// quarantined.
func appendOptions(raw []byte) *imap.AppendOptions {
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	t, err := m.Header.Date()
	if err != nil {
		return nil
	}
	return &imap.AppendOptions{Time: t}
}
