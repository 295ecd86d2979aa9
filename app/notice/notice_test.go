package notice_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"arendestod/app"
	"arendestod/app/notice"
)

const corpusDir = "../../testdata/notices"

type expectation struct {
	File        string  `json:"file"`
	Notice      bool    `json:"notice"`
	Kind        string  `json:"kind"`
	Unit        string  `json:"unit"`
	Type        string  `json:"type"`
	Reference   *string `json:"reference"`
	ReceivedAt  string  `json:"received_at"`
	MessageID   string  `json:"message_id"`
	DuplicateOf string  `json:"duplicate_of"`
}

func readCorpus(tb testing.TB) []expectation {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "expected.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var exp []expectation
	if err := json.Unmarshal(b, &exp); err != nil {
		tb.Fatal(err)
	}
	if len(exp) == 0 {
		tb.Fatal("expected.json lists no files")
	}
	return exp
}

func readEML(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkInvariants holds for every result of Parse.
func checkInvariants(tb testing.TB, raw []byte, in app.Inbound) {
	tb.Helper()
	if in.Key == "" {
		tb.Fatal("Key is empty")
	}
	if in.Key != notice.MessageKey(raw) {
		tb.Fatalf("Key %q differs from MessageKey %q", in.Key, notice.MessageKey(raw))
	}
	if in.Notice != nil && in.Quarantine != nil {
		tb.Fatal("both Notice and Quarantine are set")
	}
	if q := in.Quarantine; q != nil {
		if !bytes.Equal(q.Raw, raw) {
			tb.Fatal("quarantined Raw differs from the input")
		}
		if q.Key != in.Key || !strings.HasPrefix(q.Reason, "Notisen kunde inte läsas: ") {
			tb.Fatalf("quarantine key %q reason %q", q.Key, q.Reason)
		}
	}
	if n := in.Notice; n != nil {
		if _, ok := app.CaseTypeByKey(n.Type); !ok {
			tb.Fatalf("notice type %q is no case type", n.Type)
		}
		if n.Kind != app.NoticeInkommit && n.Kind != app.NoticeTilldelat {
			tb.Fatalf("notice kind %q", n.Kind)
		}
		if n.ReceivedAt.Location() != app.Stockholm {
			tb.Fatalf("ReceivedAt in %v, want Europe/Stockholm", n.ReceivedAt.Location())
		}
	}
}

func TestParseCorpus(t *testing.T) {
	byFile := map[string]app.Inbound{}
	for _, e := range readCorpus(t) {
		t.Run(e.File, func(t *testing.T) {
			raw := readEML(t, e.File)
			in := notice.Parse(raw, time.Time{}, e.File)
			checkInvariants(t, raw, in)
			byFile[e.File] = in
			if in.Source != e.File {
				t.Errorf("Source = %q", in.Source)
			}
			if in.Quarantine != nil {
				t.Fatalf("quarantined: %s", in.Quarantine.Reason)
			}
			if !e.Notice {
				if in.Notice != nil {
					t.Fatalf("not a notice, got %+v", *in.Notice)
				}
				return
			}
			n := in.Notice
			if n == nil {
				t.Fatal("no notice")
			}
			if e.DuplicateOf != "" {
				return // compared below, once the original is parsed
			}
			if n.Kind != e.Kind {
				t.Errorf("Kind = %q, want %q", n.Kind, e.Kind)
			}
			if n.Unit != e.Unit {
				t.Errorf("Unit = %q, want %q", n.Unit, e.Unit)
			}
			if n.Type != e.Type {
				t.Errorf("Type = %q (from %q), want %q", n.Type, n.TypeName, e.Type)
			}
			if e.Type != app.TypeOkand && n.TypeName == "" {
				t.Errorf("TypeName is empty")
			}
			wantRef := ""
			if e.Reference != nil {
				wantRef = *e.Reference
			}
			if n.Reference != wantRef {
				t.Errorf("Reference = %q, want %q", n.Reference, wantRef)
			}
			want, err := time.Parse(time.RFC3339, e.ReceivedAt)
			if err != nil {
				t.Fatal(err)
			}
			if !n.ReceivedAt.Equal(want) {
				t.Errorf("ReceivedAt = %v, want %v", n.ReceivedAt, want)
			}
			if got := n.ReceivedAt.Format(time.RFC3339); got != e.ReceivedAt {
				t.Errorf("ReceivedAt formats as %s, want %s", got, e.ReceivedAt)
			}
			if n.MessageID != e.MessageID {
				t.Errorf("MessageID = %q, want %q", n.MessageID, e.MessageID)
			}
			if in.Key != e.MessageID {
				t.Errorf("Key = %q, want %q", in.Key, e.MessageID)
			}
		})
	}
	for _, e := range readCorpus(t) {
		if e.DuplicateOf == "" {
			continue
		}
		dup, orig := byFile[e.File], byFile[e.DuplicateOf]
		if dup.Key != orig.Key {
			t.Errorf("%s: key %q, want the key of %s, %q", e.File, dup.Key, e.DuplicateOf, orig.Key)
		}
		if dup.Notice == nil || orig.Notice == nil || *dup.Notice != *orig.Notice {
			t.Errorf("%s: notice differs from that of %s", e.File, e.DuplicateOf)
		}
	}
}

func TestMessageKey(t *testing.T) {
	t.Run("MessageID", func(t *testing.T) {
		raw := readEML(t, "01-new-recept-plain.eml")
		if got := notice.MessageKey(raw); got != "<01-new-recept-plain@notis.1177.example>" {
			t.Errorf("MessageKey = %q", got)
		}
	})
	t.Run("NoMessageID", func(t *testing.T) {
		raw := []byte("Subject: hej\r\n\r\nText\r\n")
		got := notice.MessageKey(raw)
		if !strings.HasPrefix(got, "sha256:") || len(got) != len("sha256:")+64 {
			t.Errorf("MessageKey = %q", got)
		}
		if got != notice.MessageKey(append([]byte(nil), raw...)) {
			t.Error("MessageKey is not stable")
		}
		if got == notice.MessageKey([]byte("Subject: hej\r\n\r\nText 2\r\n")) {
			t.Error("different messages share a key")
		}
	})
	t.Run("Variants", func(t *testing.T) {
		for raw, want := range map[string]string{
			"Message-ID:\r\n <a@b.example>\r\n\r\nx":              "<a@b.example>",
			"message-id: <a@b.example> (comment)\r\n\r\nx":        "<a@b.example>",
			"Message-Id: a@b.example\r\n\r\nx":                    "<a@b.example>",
			"Subject: x\r\n\r\nMessage-ID: <inner@b.example>\r\n": "",
			"Message-ID: <>\r\n\r\nx":                             "",
		} {
			got := notice.MessageKey([]byte(raw))
			if want == "" {
				if !strings.HasPrefix(got, "sha256:") {
					t.Errorf("MessageKey(%q) = %q, want a hash", raw, got)
				}
			} else if got != want {
				t.Errorf("MessageKey(%q) = %q, want %q", raw, got, want)
			}
		}
	})
}

// TestReceivedAtFallback: without an Inkom line the Date header decides,
// then the internal date, then nothing; always in Stockholm time.
func TestReceivedAtFallback(t *testing.T) {
	body := "Ett nytt ärende har kommit in till BUP Uddevalla i 1177 e-tjänster.\r\n"
	msg := func(date string) []byte {
		h := "From: 1177 e-tjänster <noreply@notis.1177.example>\r\n" +
			"Subject: =?utf-8?q?Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\n" +
			"Message-ID: <fallback@notis.1177.example>\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
		if date != "" {
			h += "Date: " + date + "\r\n"
		}
		return []byte(h + "\r\n" + body)
	}
	internal := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		date     string
		internal time.Time
		want     string
	}{
		{"DateHeader", "Mon, 23 Nov 2026 08:14:00 +0100", internal, "2026-11-23T08:14:00+01:00"},
		{"DateHeaderUTC", "Mon, 23 Nov 2026 23:30:00 +0000", time.Time{}, "2026-11-24T00:30:00+01:00"},
		{"InternalDate", "", internal, "2026-11-30T08:00:00+01:00"},
		{"BadDate", "sometime", internal, "2026-11-30T08:00:00+01:00"},
		{"Nothing", "", time.Time{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := msg(tc.date)
			in := notice.Parse(raw, tc.internal, "test")
			checkInvariants(t, raw, in)
			if in.Notice == nil {
				t.Fatal("no notice")
			}
			n := in.Notice
			if n.Type != app.TypeOkand || n.Reference != "" || n.Unit != "BUP Uddevalla" {
				t.Errorf("notice %+v", *n)
			}
			if tc.want == "" {
				if !n.ReceivedAt.IsZero() {
					t.Errorf("ReceivedAt = %v, want zero", n.ReceivedAt)
				}
				return
			}
			if got := n.ReceivedAt.Format(time.RFC3339); got != tc.want {
				t.Errorf("ReceivedAt = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestNotNotices are mails that mention 1177 or cases but are no notices.
func TestNotNotices(t *testing.T) {
	for name, raw := range map[string]string{
		"LunchReply": "From: Anna Kollega <anna.kollega@region.example>\r\n" +
			"To: bup.uddevalla.1177@region.example\r\nSubject: Re: lunch\r\n" +
			"Message-ID: <re-lunch@region.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Låter bra, vi ses tolv!\r\n\r\n/Anna\r\nBUP Uddevalla, 1177-ansvarig idag\r\n\r\n" +
			"> Ska vi äta lunch på torsdag?\r\n",
		"FunctionalMailboxLunch": "From: BUP Uddevalla 1177 <bup.uddevalla.1177@region.example>\r\n" +
			"Subject: Sv: Lunchmöte torsdag\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Ja, vi ses 12.\r\n",
		"ColleagueRemark": "From: kollega@region.example\r\nSubject: Idag\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Hej! Det har kommit in ett nytt ärende i 1177 som jag tittar på efter lunch.\r\n",
		"NewsletterTraining": "From: Inera nyheter <nyheter@inera.example>\r\n" +
			"Subject: =?utf-8?q?Utbildning_i_1177_e-tj=C3=A4nster_i_december?=\r\n" +
			"Content-Type: text/html; charset=utf-8\r\n\r\n" +
			"<html><body><h1>Välkommen till utbildning i 1177 e-tjänster</h1>" +
			"<p>Under december erbjuder vi webbinarier om Personalverktyget och nyheterna i 1177 e-tjänster.</p>" +
			"<p>Anmäl dig senast 1 december.</p><p><a href=\"#\">Avregistrera</a></p></body></html>\r\n",
		"NewsletterFrom1177": "From: 1177 Nyhetsbrev <nyhetsbrev@1177.example>\r\n" +
			"List-Unsubscribe: <mailto:avregistrera@1177.example>\r\n" +
			"Subject: Nytt i 1177 e-tjänster\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Nu kan du som arbetar i Personalverktyget se fler detaljer om ett nytt ärende.\r\n",
		"NewsletterNoticeLikeSubject": "From: 1177 e-tjänster <info@1177.example>\r\n" +
			"Subject: =?utf-8?q?Utbildning:_s=C3=A5_hanterar_du_ett_nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Välkommen till en utbildning om hur ett nytt ärende har kommit in i Personalverktyget.\r\n",
		"MentionInPassing": "From: chef@region.example\r\nSubject: APT\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
			"På APT tar vi upp schemat för 1177 e-tjänster och semestrar.\r\n",
		"ReplyWithoutNotice": "From: anna.kollega@region.example\r\n" +
			"Subject: =?utf-8?q?Sv:_Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster_=E2=80=93_BUP_Uddevalla?=\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\nJag tar den!\r\n",
		"Empty": "",
		"BrokenNonNotice": "From: kollega@region.example\r\nSubject: bild\r\n" +
			"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			in := notice.Parse([]byte(raw), time.Time{}, "test")
			checkInvariants(t, []byte(raw), in)
			if in.Notice != nil {
				t.Errorf("got a notice: %+v", *in.Notice)
			}
			if in.Quarantine != nil {
				t.Errorf("quarantined: %s", in.Quarantine.Reason)
			}
		})
	}
}

// TestBareNotices: notices with no type, no reference and no unit are
// still notices (okand).
func TestBareNotices(t *testing.T) {
	for name, raw := range map[string]string{
		"CitizenStyle": "From: 1177 <noreply@notis.1177.example>\r\nSubject: Meddelande\r\n" +
			"Date: Thu, 24 Jun 2027 12:01:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Du har ett meddelande i e-tjänsterna på 1177. Meddelandet finns i inkorgen när du loggat in på 1177. " +
			"Obs! Det här är ett automatiskt meddelande som inte går att besvara.\r\n",
		"StaffBare": "From: noreply@notis.1177.example\r\nSubject: Notis\r\n" +
			"Date: Thu, 24 Jun 2027 12:01:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Du har ett nytt ärende i 1177 e-tjänster.\r\n",
		// Automated mail often carries bulk headers; they must not cost a
		// bare notice its notice subject.
		"BulkHeaders": "From: 1177 e-tjänster <noreply@notis.1177.example>\r\n" +
			"Precedence: bulk\r\nList-Unsubscribe: <mailto:unsubscribe@mailer.example>\r\n" +
			"Subject: =?utf-8?q?Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\n" +
			"Date: Thu, 24 Jun 2027 12:01:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Logga in i Personalverktyget.\r\n",
		"SubjectOnly": "From: noreply@notis.1177.example\r\n" +
			"Subject: =?utf-8?q?Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\n" +
			"Date: Thu, 24 Jun 2027 12:01:00 +0200\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			in := notice.Parse([]byte(raw), time.Time{}, "test")
			checkInvariants(t, []byte(raw), in)
			n := in.Notice
			if n == nil {
				t.Fatal("no notice")
			}
			if n.Type != app.TypeOkand || n.Reference != "" || n.Unit != "" || n.Kind != app.NoticeInkommit {
				t.Errorf("notice %+v", *n)
			}
			if got := n.ReceivedAt.Format(time.RFC3339); got != "2027-06-24T12:01:00+02:00" {
				t.Errorf("ReceivedAt = %s", got)
			}
		})
	}
}

func TestQuarantine(t *testing.T) {
	b64 := readEML(t, "04-new-avboka-plain.eml")
	alt := readEML(t, "03-assigned-vab-12-16-alt.eml")
	cut := func(b []byte, marker string, keep int) []byte {
		i := bytes.Index(b, []byte(marker))
		if i < 0 {
			t.Fatalf("marker %q not found", marker)
		}
		return append([]byte(nil), b[:i+keep]...)
	}
	for _, tc := range []struct {
		name   string
		raw    []byte
		reason string
	}{
		{"BrokenBase64", bytes.Replace(b64, []byte("IGkgMTE3NyBlLXRqw6Ruc3Rlci4K"), []byte("IGk*#!3NyBlLXRqw6Ruc3Rlci4K"), 1), "base64"},
		{"TruncatedMultipart", cut(alt, "Content-Type: text/html", 40), "avkortat"},
		{"TruncatedBeforeFirstPart", cut(alt, "--===============8742514861359412280==", 0), "avkortat"},
		{"TruncatedInFirstPart", cut(alt, "dGrDpG5zdGVy", 0), ""},
		{"MultipartWithoutBoundary", bytes.Replace(alt, []byte(`boundary="===============8742514861359412280=="`), []byte("charset=utf-8"), 1), ""},
		{"MalformedHeader", append([]byte("From: 1177 e-tjanster <noreply@notis.1177.example>\r\nthis line is no header\r\n"), b64...), "huvud"},
		{"ForwardedBrokenBase64", []byte("From: kollega@region.example\r\n" +
			"Subject: =?utf-8?q?VB:_Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVq*IQ==\r\n"), "base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := notice.Parse(tc.raw, time.Time{}, "imap:INBOX")
			checkInvariants(t, tc.raw, in)
			q := in.Quarantine
			if q == nil {
				t.Fatalf("not quarantined; notice %+v", in.Notice)
			}
			if !strings.Contains(q.Reason, tc.reason) {
				t.Errorf("Reason = %q, want it to mention %q", q.Reason, tc.reason)
			}
			if q.Source != "imap:INBOX" || q.ReceivedAt.IsZero() {
				t.Errorf("quarantine %q %v", q.Source, q.ReceivedAt)
			}
		})
	}
}

// TestUnknownCharset: an unknown charset is read as raw bytes, not
// quarantined.
func TestUnknownCharset(t *testing.T) {
	raw := []byte("From: 1177 e-tjanster <noreply@notis.1177.example>\r\n" +
		"Subject: =?x-unknown?q?Nytt_=E4rende?= i 1177\r\n" +
		"Content-Type: text/plain; charset=x-unknown-8bit\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		"Ett nytt \xe4rende har kommit in till BUP Uddevalla i 1177 e-tj\xe4nster.\r\n" +
		"\xc4rendetyp: F\xf6rnya recept\r\n\xc4rendenummer: 2026-1\r\nInkom: 2026-11-23 08:13\r\n")
	in := notice.Parse(raw, time.Time{}, "test")
	checkInvariants(t, raw, in)
	if in.Notice == nil {
		t.Fatalf("no notice (quarantine %+v)", in.Quarantine)
	}
	if n := in.Notice; n.Type != app.TypeFornyaRecept || n.Reference != "2026-1" || n.Unit != "BUP Uddevalla" {
		t.Errorf("notice %+v", *n)
	}
}

// TestFieldVariants: labels and values as other senders may write them.
func TestFieldVariants(t *testing.T) {
	for _, tc := range []struct {
		name, body, typ, ref, unit, kind, at string
	}{
		{"NoDiacriticsLabels", "Ett nytt arende har kommit in till BUP Lysekil i 1177 e-tjanster.\n\nArendetyp: Egenremiss\nArendenummer: 2027-1\nInkom: 2027-01-05 14:00\n",
			app.TypeEgenremiss, "2027-1", "BUP Lysekil", app.NoticeInkommit, "2027-01-05T14:00:00+01:00"},
		{"LowerCaseSpaces", "ärendetyp :   fråga om min remiss\närende nummer:  2027-2\ninkom:2027-01-05 kl. 14.00\n",
			app.TypeFragaOmRemiss, "2027-2", "", app.NoticeInkommit, "2027-01-05T14:00:00+01:00"},
		{"ValueOnNextLine", "ÄRENDETYP:\nSkicka meddelande\nÄRENDENUMMER:\n2027-3\n",
			app.TypeSkickaMeddelande, "2027-3", "", app.NoticeInkommit, ""},
		{"FoldedValue", "Ärendetyp: Ansökan för allvarligt sjukt barn som\n   inte fyllt 18 år\nÄrendenummer: 2027-4\n",
			app.TypeAllvarligtSjuktBarn, "2027-4", "", app.NoticeInkommit, ""},
		{"OneLine", "Du har tilldelats ett ärende på BUP Strömstad i 1177 e-tjänster. Ärendetyp: Sjukskrivning till skola (gymnasiet) Ärendenummer: 2027-5 Inkom: 2027-02-01T09:30\n",
			app.TypeSjukskrivningSkola, "2027-5", "BUP Strömstad", app.NoticeTilldelat, "2027-02-01T09:30:00+01:00"},
		{"UnknownType", "Ärendetyp: Något helt nytt\nÄrendenummer: saknas\n",
			app.TypeOkand, "", "", app.NoticeInkommit, ""},
		{"UnitLabel", "Mottagning: BUP Vänersborg\nÄrendetyp: Omvårdnadsbidrag\n",
			app.TypeOmvardnadsbidrag, "", "BUP Vänersborg", app.NoticeInkommit, ""},
		{"InkomDateOnly", "Ärendetyp: Omvårdnadsbidrag\nInkom: 2026-11-23\n",
			app.TypeOmvardnadsbidrag, "", "", app.NoticeInkommit, "2026-11-23T08:14:00+01:00"},
		{"InkomDateOnlyOtherDay", "Ärendetyp: Omvårdnadsbidrag\nInkom: 2026-11-20\n",
			app.TypeOmvardnadsbidrag, "", "", app.NoticeInkommit, "2026-11-20T00:00:00+01:00"},
		{"InkomImpossible", "Ärendetyp: Omvårdnadsbidrag\nInkom: 2026-02-30 10:00\n",
			app.TypeOmvardnadsbidrag, "", "", app.NoticeInkommit, "2026-11-23T08:14:00+01:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte("From: 1177 e-tjänster <noreply@notis.1177.example>\r\n" +
				"Subject: Notis från 1177 e-tjänster\r\nDate: Mon, 23 Nov 2026 08:14:00 +0100\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body)
			in := notice.Parse(raw, time.Time{}, "test")
			checkInvariants(t, raw, in)
			n := in.Notice
			if n == nil {
				t.Fatal("no notice")
			}
			if n.Type != tc.typ || n.Reference != tc.ref || n.Unit != tc.unit || n.Kind != tc.kind {
				t.Errorf("got type %q (%q) ref %q unit %q kind %q; want %q %q %q %q",
					n.Type, n.TypeName, n.Reference, n.Unit, n.Kind, tc.typ, tc.ref, tc.unit, tc.kind)
			}
			if tc.at != "" && n.ReceivedAt.Format(time.RFC3339) != tc.at {
				t.Errorf("ReceivedAt = %s, want %s", n.ReceivedAt.Format(time.RFC3339), tc.at)
			}
		})
	}
}

// ---- Generated variants ----

// A variant is one way to write a notice: transfer encoding, charset,
// structure, and mangling of the type name.
type variant struct {
	encoding, charset, structure, mangle string
}

var (
	encodings  = []string{"quoted-printable", "base64", "8bit"}
	charsets   = []string{"utf-8", "iso-8859-1", "windows-1252"}
	structures = []string{"plain", "html", "alternative", "forward-quoted", "forward-quoted-nested", "forward-attached"}
	mangles    = []string{"exact", "upper", "no-diacritics", "en-dash", "folded"}
)

var noDiacritics = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O", "é", "e")

func mangleName(name, how string) string {
	switch how {
	case "upper":
		return strings.ToUpper(name)
	case "no-diacritics":
		return noDiacritics.Replace(name)
	case "en-dash":
		return strings.ReplaceAll(name, " - ", " – ")
	case "folded":
		// Fold at the middle space; a one-word name goes to the next line.
		words := strings.Fields(name)
		if len(words) < 2 {
			return "\r\n" + name
		}
		mid := len(words) / 2
		return strings.Join(words[:mid], " ") + "\r\n" + strings.Join(words[mid:], " ")
	}
	return name
}

// noticeText is the plain-text body of a generated notice, CRLF lines.
func noticeText(typeName, ref, unit string) string {
	return "Hej!\r\n\r\nEtt nytt ärende har kommit in till " + unit + " i 1177 e-tjänster.\r\n\r\n" +
		"Ärendetyp: " + typeName + "\r\nÄrendenummer: " + ref + "\r\nInkom: 2027-03-25 08:00\r\n\r\n" +
		"Logga in i Personalverktyget för att läsa och hantera ärendet.\r\n\r\n" +
		"Obs! Det här är ett automatiskt meddelande som inte går att besvara.\r\n"
}

// noticeHTML is the HTML body: entities for the labels, <br> inside the
// field paragraph, source lines broken where a mailer would break them.
func noticeHTML(typeName, ref, unit string) string {
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	}
	return "<html><head><title>1177</title><style>p{margin:0}</style></head><body>\r\n" +
		"<!-- Ärendetyp: Egenremiss -->\r\n" +
		"<p>Hej!</p>\r\n<p>Ett nytt &auml;rende har kommit in till " + esc(unit) + " i 1177 e-tj&auml;nster.</p>\r\n" +
		"<p>&Auml;rendetyp:&nbsp;" + esc(typeName) + "<br>\r\n&Auml;rendenummer: " + ref + "<br/>\r\n" +
		"Inkom: 2027-03-25 08:00</p>\r\n<p>Logga in i Personalverktyget f&ouml;r att l&auml;sa och hantera &auml;rendet.</p>\r\n" +
		"</body></html>\r\n"
}

func encodeCharset(tb testing.TB, s, cs string) ([]byte, bool) {
	tb.Helper()
	switch cs {
	case "utf-8":
		return []byte(s), true
	case "iso-8859-1":
		b, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s))
		return b, err == nil
	case "windows-1252":
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		return b, err == nil
	}
	tb.Fatalf("charset %s", cs)
	return nil, false
}

func encodeTransfer(tb testing.TB, b []byte, enc string) string {
	tb.Helper()
	var sb strings.Builder
	switch enc {
	case "quoted-printable":
		w := quotedprintable.NewWriter(&sb)
		if _, err := w.Write(b); err != nil {
			tb.Fatal(err)
		}
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	case "base64":
		s := base64.StdEncoding.EncodeToString(b)
		for len(s) > 76 {
			sb.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		sb.WriteString(s + "\r\n")
	default:
		sb.Write(b)
	}
	return sb.String()
}

// part renders one body part (header and encoded body).
func part(tb testing.TB, mediaType, body string, v variant) (string, bool) {
	b, ok := encodeCharset(tb, body, v.charset)
	if !ok {
		return "", false
	}
	return "Content-Type: " + mediaType + "; charset=\"" + v.charset + "\"\r\n" +
		"Content-Transfer-Encoding: " + v.encoding + "\r\n\r\n" + encodeTransfer(tb, b, v.encoding), true
}

func quote(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\r\n"), "\r\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(prefix+l, " ")
	}
	return strings.Join(lines, "\r\n") + "\r\n"
}

// buildNotice writes a whole notice message for one variant. ok is false
// when the charset cannot encode the text (an en dash in ISO-8859-1).
func buildNotice(tb testing.TB, typeName, ref, unit string, v variant, id int) (raw []byte, ok bool) {
	tb.Helper()
	subject := mime.QEncoding.Encode("utf-8", "Nytt ärende i 1177 e-tjänster – "+unit)
	from := "From: =?utf-8?q?1177_e-tj=C3=A4nster?= <noreply@notis.1177.example>\r\n"
	head := func(from, subject string) string {
		return "MIME-Version: 1.0\r\n" + from + "To: bup.uddevalla.1177@region.example\r\n" +
			"Subject: " + subject + "\r\nDate: Thu, 25 Mar 2027 08:01:00 +0100\r\n" +
			fmt.Sprintf("Message-ID: <gen-%d@notis.1177.example>\r\n", id)
	}
	text := noticeText(typeName, ref, unit)
	var msg string
	switch v.structure {
	case "plain":
		p, ok := part(tb, "text/plain", text, v)
		if !ok {
			return nil, false
		}
		msg = head(from, subject) + p
	case "html":
		p, ok := part(tb, "text/html", noticeHTML(typeName, ref, unit), v)
		if !ok {
			return nil, false
		}
		msg = head(from, subject) + p
	case "alternative":
		p1, ok1 := part(tb, "text/plain", text, v)
		p2, ok2 := part(tb, "text/html", noticeHTML(typeName, ref, unit), v)
		if !ok1 || !ok2 {
			return nil, false
		}
		msg = head(from, subject) + "Content-Type: multipart/alternative; boundary=\"alt-b\"\r\n\r\n" +
			"--alt-b\r\n" + p1 + "\r\n--alt-b\r\n" + p2 + "\r\n--alt-b--\r\n"
	case "forward-quoted", "forward-quoted-nested":
		prefix := "> "
		if v.structure == "forward-quoted-nested" {
			prefix = ">> "
		}
		body := "Hej, kan du ta den här?\r\n/Anna\r\n\r\n" +
			"-----Ursprungligt meddelande-----\r\n" +
			quote("Från: 1177 e-tjänster <noreply@notis.1177.example>\r\n"+
				"Skickat: den 25 mars 2027 08:01\r\nTill: bup.uddevalla.1177@region.example\r\n"+
				"Ämne: Nytt ärende i 1177 e-tjänster - "+unit+"\r\n\r\n"+text, prefix)
		p, ok := part(tb, "text/plain", body, v)
		if !ok {
			return nil, false
		}
		msg = head("From: Anna Kollega <anna.kollega@region.example>\r\n",
			mime.QEncoding.Encode("utf-8", "VB: Nytt ärende i 1177 e-tjänster – "+unit)) + p
	case "forward-attached":
		p, ok := part(tb, "text/plain", text, v)
		if !ok {
			return nil, false
		}
		inner := head(from, subject) + p
		msg = head("From: Anna Kollega <anna.kollega@region.example>\r\n", "Fwd: "+subject) +
			"Content-Type: multipart/mixed; boundary=\"mix-b\"\r\n\r\n" +
			"--mix-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSe bifogad notis.\r\n" +
			"--mix-b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"notis.eml\"\r\n\r\n" +
			inner + "\r\n--mix-b--\r\n"
	default:
		tb.Fatalf("structure %s", v.structure)
	}
	return []byte(msg), true
}

func TestParseGeneratedVariants(t *testing.T) {
	units := []string{"BUP Uddevalla", "BUP Trollhättan", "BUP Vänersborg", "BUP Strömstad"}
	id, skipped := 0, 0
	for ti, ct := range app.CaseTypes() {
		if ct.Key == app.TypeOkand {
			continue
		}
		for _, enc := range encodings {
			for _, cs := range charsets {
				for _, st := range structures {
					for _, mg := range mangles {
						v := variant{enc, cs, st, mg}
						id++
						ref := fmt.Sprintf("2027-%07d", id)
						unit := units[(ti+id)%len(units)]
						raw, ok := buildNotice(t, mangleName(ct.Name, mg), ref, unit, v, id)
						if !ok {
							skipped++ // an en dash has no ISO-8859-1 byte
							continue
						}
						in := notice.Parse(raw, time.Time{}, "gen")
						checkInvariants(t, raw, in)
						name := fmt.Sprintf("%s/%s/%s/%s/%s", ct.Key, enc, cs, st, mg)
						n := in.Notice
						if n == nil {
							t.Errorf("%s: no notice (quarantine %v)\n%s", name, in.Quarantine, raw)
							continue
						}
						if n.Type != ct.Key || n.Reference != ref || n.Unit != unit || n.Kind != app.NoticeInkommit {
							t.Errorf("%s: got type %q (from %q) ref %q unit %q kind %q; want %q %q %q",
								name, n.Type, n.TypeName, n.Reference, n.Unit, n.Kind, ct.Key, ref, unit)
						}
						if got := n.ReceivedAt.Format(time.RFC3339); got != "2027-03-25T08:00:00+01:00" {
							t.Errorf("%s: ReceivedAt = %s", name, got)
						}
						if want := fmt.Sprintf("<gen-%d@notis.1177.example>", id); in.Key != want {
							t.Errorf("%s: Key = %q, want %q", name, in.Key, want)
						}
					}
				}
			}
		}
	}
	t.Logf("%d variants, %d skipped (not encodable in the charset)", id, skipped)
}

// ---- Fuzzing and benchmark ----

func corpusFiles(tb testing.TB) [][]byte {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no .eml files in %s: %v", corpusDir, err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, b := range corpusFiles(f) {
		f.Add(b)
	}
	// Structures the shared corpus lacks: HTML with entities, a forwarded
	// notice quoted inline and one attached as message/rfc822.
	for i, st := range []string{"html", "forward-quoted-nested", "forward-attached"} {
		v := variant{encodings[i], charsets[i], st, mangles[i+2]}
		if raw, ok := buildNotice(f, "Ansökan för vård av barn 12 - 16 år", "2027-1", "BUP Uddevalla", v, i); ok {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in := notice.Parse(raw, time.Time{}, "fuzz")
		checkInvariants(t, raw, in)
		// Parsing is deterministic (apart from when a quarantined
		// message was taken in).
		again := notice.Parse(raw, time.Time{}, "fuzz")
		if (in.Notice == nil) != (again.Notice == nil) || in.Notice != nil && *in.Notice != *again.Notice ||
			(in.Quarantine == nil) != (again.Quarantine == nil) ||
			in.Quarantine != nil && in.Quarantine.Reason != again.Quarantine.Reason {
			t.Fatalf("two parses differ: %+v, %+v", in, again)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	files := corpusFiles(b)
	size := 0
	for _, f := range files {
		size += len(f)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			notice.Parse(f, time.Time{}, "bench")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/msg")
}

// TestSubjects: the unit and kind from RFC 2047 subjects in several
// charsets, behind forward prefixes, when the body names neither.
func TestSubjects(t *testing.T) {
	cp1252 := func(s string) string {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return "=?windows-1252?b?" + base64.StdEncoding.EncodeToString(b) + "?="
	}
	for _, tc := range []struct{ subject, unit, kind string }{
		{"=?iso-8859-1?q?Nytt_=E4rende_i_1177_e-tj=E4nster_-_BUP_V=E4nersborg?=", "BUP Vänersborg", app.NoticeInkommit},
		{cp1252("Nytt ärende i 1177 e-tjänster – BUP Strömstad"), "BUP Strömstad", app.NoticeInkommit},
		{"VB: Fwd: " + mime.QEncoding.Encode("utf-8", "Nytt ärende i 1177 e-tjänster — BUP Lysekil"), "BUP Lysekil", app.NoticeInkommit},
		{mime.BEncoding.Encode("utf-8", "Du har tilldelats ett ärende i 1177 e-tjänster"), "", app.NoticeTilldelat},
		{"[EXTERN] SV: RE: " + mime.QEncoding.Encode("utf-8", "Du har tilldelats ett ärende i 1177 e-tjänster – BUP Uddevalla"), "BUP Uddevalla", app.NoticeTilldelat},
	} {
		raw := []byte("From: 1177 e-tjänster <noreply@notis.1177.example>\r\nSubject: " + tc.subject + "\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\nLogga in i Personalverktyget.\r\n")
		in := notice.Parse(raw, time.Time{}, "test")
		checkInvariants(t, raw, in)
		if in.Notice == nil {
			t.Errorf("%s: no notice", tc.subject)
			continue
		}
		if in.Notice.Unit != tc.unit || in.Notice.Kind != tc.kind {
			t.Errorf("%s: unit %q kind %q, want %q %q", tc.subject, in.Notice.Unit, in.Notice.Kind, tc.unit, tc.kind)
		}
	}
}

// TestStructures: alternatives and nesting beyond the generated variants.
func TestStructures(t *testing.T) {
	head := "From: 1177 e-tjänster <noreply@notis.1177.example>\r\n" +
		"Subject: =?utf-8?q?Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\nMIME-Version: 1.0\r\n"
	html := "Content-Type: text/html; charset=utf-8\r\n\r\n" +
		"<html><body><table><tr><td>&Auml;rendetyp:</td><td>F&ouml;rnya recept</td></tr>" +
		"<tr><td>&Auml;rendenummer:</td><td>2026-42</td></tr></table>" +
		"<script>var x = '<p>Ärendetyp: Egenremiss</p>';</script></body></html>\r\n"
	for name, raw := range map[string]string{
		// The text/plain alternative is a stub; the HTML one has the fields.
		"AlternativeStubPlain": head + "Content-Type: multipart/alternative; boundary=b1\r\n\r\n" +
			"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDin e-postklient kan inte visa detta meddelande.\r\n" +
			"--b1\r\n" + html + "--b1--\r\n",
		// mixed > related > alternative, and an image whose broken base64
		// is never read.
		"Nested": head + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n" +
			"--b1\r\nContent-Type: multipart/related; boundary=b2\r\n\r\n" +
			"--b2\r\nContent-Type: multipart/alternative; boundary=b3\r\n\r\n" +
			"--b3\r\n" + html + "--b3--\r\n" +
			"--b2\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n*** not base64 ***\r\n" +
			"--b2--\r\n--b1--\r\n",
		// A forwarded notice saved as an .eml file and attached as octet-stream.
		"AttachedEML": "From: kollega@region.example\r\nSubject: Fwd: notis\r\n" +
			"Content-Type: multipart/mixed; boundary=b1\r\n\r\n" +
			"--b1\r\nContent-Type: text/plain\r\n\r\nSe bilaga.\r\n" +
			"--b1\r\nContent-Type: application/octet-stream; name=\"notis.eml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			base64.StdEncoding.EncodeToString([]byte(head+html)) + "\r\n--b1--\r\n",
		// Mislabelled: HTML sent as text/plain, LF line ends.
		"HTMLAsPlain": strings.ReplaceAll(head+strings.Replace(html, "text/html", "text/plain", 1), "\r\n", "\n"),
	} {
		t.Run(name, func(t *testing.T) {
			in := notice.Parse([]byte(raw), time.Time{}, "test")
			checkInvariants(t, []byte(raw), in)
			n := in.Notice
			if n == nil {
				t.Fatalf("no notice; quarantine %v", in.Quarantine)
			}
			if n.Type != app.TypeFornyaRecept || n.TypeName != "Förnya recept" || n.Reference != "2026-42" {
				t.Errorf("notice %+v", *n)
			}
		})
	}
}

// TestHostileInputs: large hostile inputs parse in linear time. The limit
// is generous; a quadratic path takes minutes on these.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	const n = 1 << 20
	head := "From: 1177 e-tjänster <noreply@notis.1177.example>\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
	plain := strings.Replace(head, "text/html", "text/plain", 1)
	for name, raw := range map[string]string{
		"UnclosedTags":       head + strings.Repeat("<a", n/2),
		"UnclosedQuotes":     head + strings.Repeat(`<a b="`, n/6),
		"UnclosedScripts":    head + strings.Repeat("<script>", n/8),
		"ManyLabelsOneLine":  plain + strings.Repeat("Inkom: ", n/7),
		"LabelsBeforeBlanks": plain + strings.Repeat("Ärendetyp:\r\n\r\n\r\n", n/16),
		"FoldedHeader":       "Subject: x\r\n" + strings.Repeat(" y\r\n", n/4) + "\r\n",
		"ManyParts":          plain[:len(plain)-len("Content-Type: text/plain\r\n\r\n")] + "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + strings.Repeat("--b\r\n\r\nx\r\n", n/10),
		"DeepNesting":        strings.Repeat("Content-Type: message/rfc822\r\n\r\n", n/32),
		"Units":              plain + strings.Repeat("till BUP ", n/9),
		"ForwardHeaders":     plain + strings.Repeat("Från: 1177 <a@1177.se>\r\nSkickat: x\r\n", n/36),
		"Quoted":             plain + strings.Repeat(">", n),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			in := notice.Parse([]byte(raw), time.Time{}, "test")
			checkInvariants(t, []byte(raw), in)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestMislabelledUTF8: a UTF-8 body declared as Latin-1 is read as UTF-8.
func TestMislabelledUTF8(t *testing.T) {
	for _, cs := range []string{"iso-8859-1", "windows-1252"} {
		raw := []byte("From: 1177 e-tjänster <noreply@notis.1177.example>\r\nSubject: Notis\r\n" +
			"Content-Type: text/plain; charset=" + cs + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			noticeText("Ändring av kontaktuppgifter", "2027-7", "BUP Trollhättan"))
		in := notice.Parse(raw, time.Time{}, "test")
		checkInvariants(t, raw, in)
		n := in.Notice
		if n == nil {
			t.Fatalf("%s: no notice", cs)
		}
		if n.Type != app.TypeKontaktuppgifter || n.TypeName != "Ändring av kontaktuppgifter" || n.Unit != "BUP Trollhättan" {
			t.Errorf("%s: notice %+v", cs, *n)
		}
	}
}

// TestForwardedSentDate: a notice forwarded inline without an Inkom line
// was received when 1177 sent it (the quoted "Skickat:"), not when the
// colleague forwarded it.
func TestForwardedSentDate(t *testing.T) {
	for sent, want := range map[string]string{
		"den 25 mars 2027 08:01":          "2027-03-25T08:01:00+01:00",
		"torsdag 25 mars 2027 kl. 08:01":  "2027-03-25T08:01:00+01:00",
		"2027-03-25 08:01":                "2027-03-25T08:01:00+01:00",
		"Thu, 25 Mar 2027 07:01:00 +0000": "2027-03-25T08:01:00+01:00",
		"snart":                           "2027-03-29T10:00:00+02:00", // unreadable: the forward's Date
	} {
		raw := []byte("From: anna.kollega@region.example\r\n" +
			"Subject: =?utf-8?q?VB:_Nytt_=C3=A4rende_i_1177_e-tj=C3=A4nster?=\r\n" +
			"Date: Mon, 29 Mar 2027 10:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Datum: 2027-04-01 10:00 passar mig.\r\n\r\n" +
			"> Från: 1177 e-tjänster <noreply@notis.1177.example>\r\n> Skickat: " + sent + "\r\n" +
			"> Ämne: Nytt ärende i 1177 e-tjänster\r\n>\r\n> Du har ett nytt ärende i 1177 e-tjänster.\r\n")
		in := notice.Parse(raw, time.Time{}, "test")
		checkInvariants(t, raw, in)
		if in.Notice == nil {
			t.Fatalf("%s: no notice", sent)
		}
		if got := in.Notice.ReceivedAt.Format(time.RFC3339); got != want {
			t.Errorf("Skickat %q: ReceivedAt = %s, want %s", sent, got, want)
		}
	}
}
