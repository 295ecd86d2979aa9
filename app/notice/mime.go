package notice

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // ISO-8859-1, Windows-1252 and the rest
	"github.com/emersion/go-message/textproto"
)

// Bounds on a message's structure. Real notices have one or two levels; a
// forwarded notice as an attachment a few more.
const (
	maxDepth = 8
	maxParts = 256
)

// mail is what the reader took out of one message.
type mail struct {
	subject string
	from    string
	// recipient is the address the message was delivered to (recipientOf).
	recipient string
	date      time.Time // zero when absent or unreadable
	bulk      bool      // mailing-list headers: a sign of a newsletter
	// auth is the failing DKIM or DMARC result of the receiving server's
	// Authentication-Results ("dmarc=fail"), "" when none failed.
	auth string
	body content
}

// content is what the readable parts of a message say.
type content struct {
	texts    []string   // text of each part read, in document order
	embedded []envelope // headers of messages attached to it
	// problem is the Swedish reason the body could not be read whole, or
	// "" when every part that matters was read.
	problem string
	plain   bool // the part is text/plain (for choosing among alternatives)
}

// envelope is the header of an attached (forwarded) message.
type envelope struct {
	subject string
	from    string
	date    time.Time
}

func (c *content) fail(reason string) {
	if c.problem == "" {
		c.problem = reason
	}
}

// text is the body text to read fields from: every part read, normalised.
func (m *mail) text() string {
	return normalize(strings.Join(m.body.texts, "\n\n"))
}

// subjects lists the subjects that may carry the notice's own subject: the
// message's, then those of attached messages.
func (m *mail) subjects() []string {
	s := []string{m.subject}
	for _, e := range m.body.embedded {
		s = append(s, e.subject)
	}
	return s
}

// senders lists the From of the message and of attached messages.
func (m *mail) senders() []string {
	s := []string{m.from}
	for _, e := range m.body.embedded {
		s = append(s, e.from)
	}
	return s
}

// noticeDate is the Date to fall back on when the notice has no Inkom
// line: when 1177 sent the notice. For a notice forwarded as an attachment
// that is the attached message's Date, for one forwarded inline its quoted
// "Skickat:" line (sent); else it is the message's own Date.
func (m *mail) noticeDate(sent time.Time) time.Time {
	for _, e := range m.body.embedded {
		if !e.date.IsZero() {
			return e.date
		}
	}
	if !sent.IsZero() {
		return sent
	}
	return m.date
}

// readMail reads raw with go-message. It does not fail: problems are noted
// in body.problem and whatever could be read is kept for recognition.
func readMail(raw []byte) *mail {
	data := trimPreamble(raw)
	e, h, err := readEntity(data)
	m := &mail{}
	if err != nil {
		// The header is malformed. Read what a lenient pass can, for
		// recognising the message only: it will not become a notice.
		lh := lenientHeader(data)
		m.subject, _ = lh.get("Subject")
		m.from, _ = lh.get("From")
		m.subject = decodeWords(m.subject)
		m.from = decodeWords(m.from)
		m.body.texts = []string{toUTF8(lh.body)}
		m.body.fail(reasonHeader)
		return m
	}
	m.subject = headerText(h, "Subject")
	m.from = headerText(h, "From")
	m.recipient = recipientOf(h)
	m.date = headerDate(h)
	m.bulk = h.Has("List-Id") || h.Has("List-Unsubscribe")
	m.auth = authFailure(h.Values("Authentication-Results"))
	w := walker{c: &m.body}
	w.entity(e, 0)
	return m
}

// trimPreamble drops what some mail stores put before the header: a UTF-8
// byte order mark and an mbox "From " line.
func trimPreamble(raw []byte) []byte {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		} else {
			raw = nil
		}
	}
	return raw
}

// readEntity reads a header and wraps the rest of data as an entity whose
// body is decoded (transfer encoding, charset). An unknown charset or
// transfer encoding is not an error: the body is then the raw bytes.
func readEntity(data []byte) (*message.Entity, message.Header, error) {
	br := bufio.NewReader(bytes.NewReader(data))
	th, err := textproto.ReadHeader(br)
	h := message.Header{Header: th}
	if err != nil {
		return nil, h, err
	}
	e, err := message.New(h, br)
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, h, err
	}
	return e, h, nil
}

// headerText decodes an RFC 2047 header; on a bad encoded word it keeps
// the raw value.
// recipientOf returns the address (the address only, as written) the
// message was delivered to: the delivering server's Delivered-To, else
// X-Original-To, which name the mailbox even when the notice came by a
// list or an alias, else the first address of To. "" when none says.
func recipientOf(h message.Header) string {
	for _, k := range []string{"Delivered-To", "X-Original-To", "To"} {
		if a := firstAddress(headerText(h, k)); a != "" {
			return a
		}
	}
	return ""
}

// firstAddress returns the first address of an address-list header value
// ("Namn <adress>, annan@example"); for a value net/mail cannot parse, the
// part in angle brackets or the first comma-separated word with an @.
func firstAddress(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if list, err := netmail.ParseAddressList(v); err == nil && len(list) > 0 {
		return list[0].Address
	}
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 1 {
			if a := strings.TrimSpace(v[i+1 : i+j]); strings.Contains(a, "@") {
				return a
			}
		}
	}
	first, _, _ := strings.Cut(v, ",")
	if first = strings.Trim(strings.TrimSpace(first), `"'`); strings.Contains(first, "@") && !strings.ContainsAny(first, " \t") {
		return first
	}
	return ""
}

func headerText(h message.Header, k string) string {
	v, err := h.Text(k)
	if err != nil {
		return h.Get(k)
	}
	return v
}

func headerDate(h message.Header) time.Time {
	v := strings.TrimSpace(h.Get("Date"))
	if v == "" {
		return time.Time{}
	}
	return parseMailDate(v)
}

// rfc5322Date is the form nearly every mail's Date has: the first of
// net/mail.ParseDate's layouts with a day of the week.
const rfc5322Date = "Mon, 2 Jan 2006 15:04:05 -0700"

// parseMailDate is net/mail.ParseDate (zero on error). A date in the
// common form is read at once: ParseDate would try some twenty layouts
// without a day of the week before it, fail them, and read it with that
// same layout.
func parseMailDate(v string) time.Time {
	if t, err := time.Parse(rfc5322Date, v); err == nil {
		return t
	}
	t, err := netmail.ParseDate(v)
	if err != nil {
		return time.Time{}
	}
	return t
}

var wordDecoder = mime.WordDecoder{CharsetReader: message.CharsetReader}

// decodeWords decodes RFC 2047 encoded words, keeping the input on error.
func decodeWords(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// walker reads an entity tree depth first, collecting text.
type walker struct {
	c     *content
	parts int
}

func (w *walker) entity(e *message.Entity, depth int) {
	w.parts++
	if depth > maxDepth || w.parts > maxParts {
		w.c.fail(reasonTooDeep)
		return
	}
	mt := mediaType(e.Header)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		w.multipart(e, mt, depth)
	case isAttachedMessage(mt, e.Header):
		w.attached(e, depth)
	case mt == "" || strings.HasPrefix(mt, "text/"):
		w.text(e, mt)
	default:
		// Images, PDFs and the like say nothing we read. Their bodies are
		// skipped unread, so a broken one does not matter.
	}
}

// mediaType returns the lower-case media type, also when the parameters
// cannot be parsed (go-message then reads no charset or boundary, and we
// read the raw bytes or report the structure as broken).
func mediaType(h message.Header) string {
	v := h.Get("Content-Type")
	if v == "" {
		return ""
	}
	if mt, _, err := mime.ParseMediaType(v); err == nil || errors.Is(err, mime.ErrInvalidMediaParameter) {
		return mt
	}
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// isAttachedMessage reports whether a part is a whole message: a notice
// forwarded as an attachment. Some clients label a saved .eml as
// application/octet-stream.
func isAttachedMessage(mt string, h message.Header) bool {
	switch mt {
	case "message/rfc822", "message/global":
		return true
	case "application/octet-stream":
		name := ""
		if _, p, err := h.ContentDisposition(); err == nil {
			name = p["filename"]
		}
		if name == "" {
			if _, p, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil {
				name = p["name"]
			}
		}
		return strings.HasSuffix(strings.ToLower(name), ".eml")
	}
	return false
}

func (w *walker) multipart(e *message.Entity, mt string, depth int) {
	mr := e.MultipartReader()
	if mr == nil {
		w.c.fail(reasonStructure)
		return
	}
	if mt == "multipart/alternative" {
		w.alternative(mr, depth)
		return
	}
	for {
		p, ok := w.nextPart(mr)
		if !ok {
			return
		}
		w.entity(p, depth+1)
		if w.c.problem == reasonTooDeep {
			return
		}
	}
}

// nextPart returns the next part of mr; false at the end, or when the
// structure is broken (the notice then fails with the reason). An unknown
// charset or encoding does not break the structure: the part is returned.
func (w *walker) nextPart(mr message.MultipartReader) (*message.Entity, bool) {
	p, err := mr.NextPart()
	if err == io.EOF {
		return nil, false
	}
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) || p == nil {
		w.c.fail(structureReason(err))
		return nil, false
	}
	return p, true
}

// alternative reads every alternative and keeps the one that reads best as
// a notice: the most field labels, and text/plain before HTML on a tie (the
// order of the parts decides the rest).
func (w *walker) alternative(mr message.MultipartReader, depth int) {
	var alts []content
	for {
		p, ok := w.nextPart(mr)
		if !ok {
			break
		}
		sub := walker{c: &content{}, parts: w.parts}
		sub.entity(p, depth+1)
		w.parts = sub.parts
		sub.c.plain = mediaType(p.Header) == "text/plain"
		alts = append(alts, *sub.c)
		if sub.c.problem != "" {
			w.c.fail(sub.c.problem)
		}
		if w.c.problem == reasonTooDeep {
			break
		}
	}
	best, bestScore := -1, -1
	for i, a := range alts {
		t := normalize(strings.Join(a.texts, "\n\n"))
		if strings.TrimSpace(t) == "" {
			continue
		}
		score := 2 * len(findAllOnColonLines(labelRe, t, true))
		if a.plain {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best >= 0 {
		w.c.texts = append(w.c.texts, alts[best].texts...)
		w.c.embedded = append(w.c.embedded, alts[best].embedded...)
	}
}

func (w *walker) attached(e *message.Entity, depth int) {
	b, err := io.ReadAll(e.Body)
	if err != nil {
		w.c.fail(readReason(err))
	}
	inner, h, err := readEntity(trimPreamble(b))
	w.c.embedded = append(w.c.embedded, envelope{
		subject: headerText(h, "Subject"),
		from:    headerText(h, "From"),
		date:    headerDate(h),
	})
	if err != nil {
		w.c.fail(reasonHeader)
		return
	}
	w.entity(inner, depth+1)
}

func (w *walker) text(e *message.Entity, mt string) {
	b, err := io.ReadAll(e.Body)
	if err != nil {
		w.c.fail(readReason(err))
	}
	s := repairMojibake(toUTF8(b))
	if mt == "text/html" || looksLikeHTML(s) {
		s = htmlToText(s)
	}
	w.c.texts = append(w.c.texts, s)
}

// readReason explains an error reading a part's body.
func readReason(err error) string {
	var corrupt base64.CorruptInputError
	switch {
	case errors.As(err, &corrupt):
		return reasonBase64
	case errors.Is(err, io.ErrUnexpectedEOF):
		return reasonTruncated
	}
	return reasonDecode
}

// structureReason explains an error moving to the next part.
func structureReason(err error) string {
	if err != nil && (errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "EOF")) {
		return reasonTruncated
	}
	return reasonStructure
}

// header is a top-level header read leniently: fields unfolded, lines
// without a colon skipped. It never fails.
type header struct {
	keys   []string
	values [][]string // the pieces of each field's unfolded value
	body   []byte
}

func (h header) get(k string) (string, bool) {
	for i, key := range h.keys {
		if strings.EqualFold(key, k) {
			return strings.Join(h.values[i], " "), true
		}
	}
	return "", false
}

func lenientHeader(raw []byte) header {
	raw = trimPreamble(raw)
	var h header
	rest := raw
	for len(rest) > 0 {
		line := rest
		next := []byte(nil)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, next = rest[:i], rest[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			h.body = next
			return h
		}
		rest = next
		if line[0] == ' ' || line[0] == '\t' {
			if n := len(h.values); n > 0 {
				h.values[n-1] = append(h.values[n-1], strings.TrimSpace(string(line)))
			}
			continue
		}
		i := bytes.IndexByte(line, ':')
		if i <= 0 {
			continue
		}
		h.keys = append(h.keys, strings.TrimSpace(string(line[:i])))
		h.values = append(h.values, []string{strings.TrimSpace(string(line[i+1:]))})
	}
	return h
}

// authFailure reads Authentication-Results fields (RFC 8601) and returns
// the failing result that makes a message's sender unproven: "dmarc=fail"
// (or permerror), else "dkim=fail" when no DKIM signature passed and
// DMARC did not pass either; "" otherwise. A forger can add such fields
// too, but only to have the own mail quarantined: a pass is never trusted
// over the receiving server's fail.
func authFailure(values []string) string {
	var dmarcFail, dmarcPass, dkimFail, dkimPass bool
	for _, v := range values {
		parts := strings.Split(v, ";")
		for _, p := range parts[1:] {
			p = strings.ToLower(strings.TrimSpace(p))
			method, rest, ok := strings.Cut(p, "=")
			if !ok {
				continue
			}
			method = strings.TrimSpace(method)
			if i := strings.IndexByte(method, '/'); i >= 0 {
				method = method[:i]
			}
			result := strings.TrimSpace(rest)
			if i := strings.IndexAny(result, " \t("); i >= 0 {
				result = result[:i]
			}
			bad := result == "fail" || result == "permerror"
			switch method {
			case "dmarc":
				dmarcFail = dmarcFail || bad
				dmarcPass = dmarcPass || result == "pass"
			case "dkim":
				dkimFail = dkimFail || bad
				dkimPass = dkimPass || result == "pass"
			}
		}
	}
	switch {
	case dmarcFail:
		return "dmarc=fail"
	case dkimFail && !dkimPass && !dmarcPass:
		return "dkim=fail"
	}
	return ""
}
