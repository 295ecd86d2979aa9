// Package notice reads the e-mail notices (notiser) that 1177 e-tjänster
// sends to the clinic and turns each into an app.Inbound: a notice, a
// message kept in quarantine for review, or a message that is no notice.
//
// The notice format is not published and real notices may be very bare, so
// the reader is tolerant: it accepts plain text, HTML, multipart and
// forwarded notices (quoted inline or attached), common charsets and
// transfer encodings, and labels and type names with or without
// diacritics. It never logs: a notice may carry patient data.
package notice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"arendestod/app"
)

// Parse reads one raw e-mail (RFC 5322 bytes). internalDate is the IMAP
// INTERNALDATE or file mtime (zero if unknown), source a label like
// "imap:INBOX" or a file path.
//
// It never panics and never returns an error: the result is an app.Inbound
// with Key set, and either Notice set (a 1177 notice), Quarantine set (looks
// like a notice but cannot be read: Raw keeps the bytes and Reason says why,
// in Swedish), or neither (not a notice).
func Parse(raw []byte, internalDate time.Time, source string) (in app.Inbound) {
	// MessageKey(raw), with the Message-ID read once for the notice too.
	id := messageID(raw)
	key := id
	if key == "" {
		key = hashKey(raw)
	}
	in = app.Inbound{Key: key, Source: source}
	if catchPanics {
		defer recoverParse(&in, raw, key, source)
	}

	if len(raw) > app.MaxMessageBytes {
		return tooLarge(raw, int64(len(raw)), source)
	}
	m := readMail(raw)
	in.Sender, in.AuthFailure, in.MailDate = m.from, m.auth, m.date
	text := m.text()
	f := extractFields(text)
	ev := weigh(m, text, f)

	if m.body.problem != "" {
		if ev.recognisable() {
			in.Quarantine = quarantine(raw, key, source, m.body.problem)
		}
		return in
	}
	if !ev.isNotice() {
		return in
	}

	n := &app.Notice{
		Kind:       kindOf(append(m.subjects(), f.subjects...), text),
		Unit:       unitOf(text, f, m.subjects()),
		Type:       f.typeKey,
		TypeName:   f.typeName,
		Reference:  f.reference,
		ReceivedAt: receivedAt(f, m.noticeDate(f.sent), internalDate),
		MessageID:  id,
		Recipient:  m.recipient,
	}
	if n.Type == "" {
		n.Type = app.TypeOkand
	}
	in.Notice = n
	// Kept so the store can still quarantine the message whole if the
	// notice cannot become a case.
	in.Raw = raw
	return in
}

// ParseTooLarge is Parse for a message of size bytes that was not read
// whole because it is larger than app.MaxMessageBytes: head is its
// beginning (at least its header, as far as it fits). The message is
// judged by its header alone: quarantined with its size, the header kept,
// when the header looks like a 1177 notice's; else it is no notice.
func ParseTooLarge(head []byte, size int64, source string) (in app.Inbound) {
	return tooLarge(head, size, source)
}

// maxHeaderBytes bounds the header kept of a message that is too large.
const maxHeaderBytes = 256 << 10

func tooLarge(head []byte, size int64, source string) (in app.Inbound) {
	hdr := headerOf(head)
	key := MessageKey(hdr)
	in = app.Inbound{Key: key, Source: source}
	if catchPanics {
		defer recoverParse(&in, hdr, key, source)
	}
	m := readMail(append(append([]byte(nil), hdr...), "\r\n"...))
	in.Sender, in.AuthFailure, in.MailDate = m.from, m.auth, m.date
	m.body = content{}
	ev := weigh(m, "", fields{})
	if !ev.recognisable() {
		return in
	}
	in.Quarantine = quarantine(hdr, key, source, fmt.Sprintf(
		"Meddelandet är för stort för att läsas (%d byte, högst %d byte); bara huvudet är sparat.", size, app.MaxMessageBytes))
	return in
}

// headerOf returns the header of a message's beginning: up to and
// including the blank line that ends it, or at most maxHeaderBytes.
func headerOf(b []byte) []byte {
	if len(b) > maxHeaderBytes {
		b = b[:maxHeaderBytes]
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		rest := b[i+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("\n")):
			return b[:i+2]
		case bytes.HasPrefix(rest, []byte("\r\n")):
			return b[:i+3]
		}
	}
	return b
}

// recoverParse is the last line of defence, deferred by Parse: a message
// the parser fails on must reach a person and never take intake down. It
// is quarantined when it looks like a notice, and also when even that
// cannot be told.
func recoverParse(in *app.Inbound, raw []byte, key, source string) {
	if r := recover(); r == nil {
		return
	}
	*in = app.Inbound{Key: key, Source: source}
	if looksLikeNoticeSafely(raw) {
		in.Quarantine = quarantine(raw, key, source, reasonPanic)
	}
}

func looksLikeNoticeSafely(raw []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = true
		}
	}()
	return rawLooksLikeNotice(raw)
}

// catchPanics turns a panic in Parse into a quarantined message (or a
// non-notice). Tests switch it off so that the fuzzer reports every panic.
var catchPanics = true

// now is when a quarantined message was taken in.
var now = time.Now

func quarantine(raw []byte, key, source, reason string) *app.Quarantined {
	return &app.Quarantined{
		Key:        key,
		Source:     source,
		Reason:     reason,
		Raw:        append([]byte(nil), raw...),
		ReceivedAt: now().In(app.Stockholm),
	}
}

// Reasons for quarantine, shown to the reviewer.
const (
	reasonHeader    = "Notisen kunde inte läsas: meddelandets huvud är felaktigt."
	reasonBase64    = "Notisen kunde inte läsas: texten är felaktigt base64-kodad."
	reasonTruncated = "Notisen kunde inte läsas: meddelandet är avkortat, en MIME-del tar slut i förtid."
	reasonStructure = "Notisen kunde inte läsas: MIME-strukturen är felaktig."
	reasonDecode    = "Notisen kunde inte läsas: texten kunde inte avkodas."
	reasonTooDeep   = "Notisen kunde inte läsas: meddelandet har för många eller för djupt nästlade delar."
	reasonPanic     = "Notisen kunde inte läsas: oväntat fel vid tolkningen."
)

// maxKeyLen bounds a Message-ID used as a ledger key; a longer one is
// suspect and the hash of the bytes identifies the message as well.
const maxKeyLen = 998

// MessageKey returns the message's Message-ID in <...> form as in the file,
// or "sha256:<hex>" of the raw bytes when it has none. It is the key of the
// ledger of ingested messages, so the same message delivered twice has the
// same key.
func MessageKey(raw []byte) string {
	if id := messageID(raw); id != "" {
		return id
	}
	return hashKey(raw)
}

// hashKey is the key of a message without a Message-ID: its bytes' hash.
func hashKey(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// messageID returns the top-level Message-ID in <...> form, or "". It reads
// the header leniently so that a message whose header go-message rejects
// still has a stable key.
func messageID(raw []byte) string {
	v, ok := lenientHeader(raw).get("Message-Id")
	if !ok {
		return ""
	}
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			v = strings.TrimSpace(v[i+1 : i+j])
		}
	}
	v = strings.Trim(v, "<> \t")
	if v == "" || len(v) > maxKeyLen {
		return ""
	}
	// A Message-ID is printable ASCII; anything else is no usable key.
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c > '~' || c == '<' || c == '>' {
			return ""
		}
	}
	return "<" + v + ">"
}
