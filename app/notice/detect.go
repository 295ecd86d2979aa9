package notice

import (
	"regexp"
	"strings"
)

// Deciding whether a message is a 1177 notice.
//
// The clinic's mailbox also gets colleagues' mail, replies, and newsletters
// that talk about 1177 e-tjänster. A notice must name 1177 (in the sender,
// the subject or the body) and carry enough evidence of being a notice
// about a case, weighed as points. Strong evidence is what only a notice
// has:
//
//	subject reads like a notice ("ärende i 1177", "Du har tilldelats ...
//	  1177", "Nytt ärende ... 1177", and no newsletter words): 3, or 1
//	  when the subject is a colleague's reply or forward (the body must
//	  then show the notice)
//	"Ärendetyp:" with a value                                       3
//	"Ärendenummer:" with a number                                   3
//	"Inkom:" with a date                                            2
//
// Soft evidence is what a newsletter about 1177 may also have:
//
//	sender is 1177 (domain label "1177", or a name like "1177 e-tjänster";
//	  also a "Från:" line of a notice forwarded inline, or the From of an
//	  attached message)                                             2
//	notice phrases in the body ("nytt ärende", "har kommit in",
//	  "har tilldelats", "meddelande i e-tjänsterna" ...)            1 each, at most 2
//	"Personalverktyget" (1177's staff portal)                       1
//	an automated-message footer                                     1
//
// Newsletter signs (List-Id or List-Unsubscribe headers, "nyhetsbrev",
// "avregistrera", "utbildning", "webbinar" ... in the body) take 3 points
// off the soft evidence only: mail services add List-Unsubscribe to
// automated mail too, and must not cost a real notice its strong evidence.
//
// A message with 3 points or more is a notice. So a bare notice from 1177
// ("Du har ett nytt ärende i 1177 e-tjänster.") is one; a colleague's
// "Re: lunch", a colleague's remark that "det har kommit in ett nytt ärende
// i 1177", a reply "Sv: Nytt ärende i 1177 ..." that quotes nothing, and a
// newsletter about 1177 e-tjänster training are not.
//
// A message whose body cannot be read is quarantined when it is
// recognisable as a notice from what could be read: a 1177 sender, a
// notice subject, or enough points.
const noticeThreshold = 3

type evidence struct {
	mentions1177 bool
	sender       bool // a sender is 1177 itself
	subject      bool // a subject reads like a notice subject (prefixed or not)
	score        int
}

func (e evidence) isNotice() bool { return e.mentions1177 && e.score >= noticeThreshold }

func (e evidence) recognisable() bool { return e.sender || e.subject || e.isNotice() }

var (
	bodyPhrases = []string{"nytt arende", "har kommit in", "har tilldelats", "tilldelats ett arende",
		"meddelande i e-tjansterna", "arende i 1177", "nytt meddelande"}
	footerPhrases = []string{"automatiskt meddelande", "automatiskt genererat", "gar inte att besvara",
		"kan inte besvaras", "svara inte pa detta"}
	newsletterPhrases = []string{"nyhetsbrev", "avregistrera", "prenumeration", "prenumerera", "unsubscribe",
		"webbinar", "utbildning", "inbjudan", "anmal dig"}
	subjectPhrases = []string{"arende i 1177", "arende pa 1177", "arende fran 1177", "arende via 1177",
		"meddelande i e-tjansterna", "nytt meddelande i 1177", "notis fran 1177"}
	subjectWithNumber = []string{"nytt arende", "tilldelats", "har kommit in"}
)

func weigh(m *mail, text string, f fields) evidence {
	var e evidence
	body := fold(text)
	senders := append(m.senders(), f.senders...)
	subjects := append(m.subjects(), f.subjects...)

	e.mentions1177 = has1177(body)
	for _, s := range senders {
		if isSender1177(s) {
			e.sender = true
		}
		if has1177(fold(s)) {
			e.mentions1177 = true
		}
	}
	for _, s := range subjects {
		if has1177(fold(s)) {
			e.mentions1177 = true
		}
	}

	// The message's own subject may be a colleague's reply or forward; the
	// subjects of forwarded notices are 1177's own.
	strong := 0
	for i, s := range subjects {
		if !isNoticeSubject(s) {
			continue
		}
		e.subject = true
		p := 3
		if i == 0 && hadPrefix(s) && !isSender1177(m.from) {
			p = 1
		}
		strong = max(strong, p)
	}
	if f.typeName != "" {
		strong += 3
	}
	if f.reference != "" {
		strong += 3
	}
	if !f.inkom.IsZero() {
		strong += 2
	}

	soft := 0
	if e.sender {
		soft += 2
	}
	phrases := 0
	for _, p := range bodyPhrases {
		if strings.Contains(body, p) {
			phrases++
		}
	}
	soft += min(phrases, 2)
	if strings.Contains(body, "personalverktyget") {
		soft++
	}
	if containsAny(body, footerPhrases...) {
		soft++
	}
	if m.bulk || containsAny(body, newsletterPhrases...) {
		soft = max(0, soft-3)
	}
	e.score = strong + soft
	return e
}

func isNoticeSubject(s string) bool {
	f := fold(stripSubject(s))
	if containsAny(f, newsletterPhrases...) {
		return false
	}
	if containsAny(f, subjectPhrases...) {
		return true
	}
	return has1177(f) && containsAny(f, subjectWithNumber...)
}

// addressRe finds e-mail addresses and captures the domain.
var addressRe = regexp.MustCompile(`[^\s<>"',;:()\[\]]+@([A-Za-z0-9.\-]+)`)

// isSender1177 reports whether a From value is 1177 itself: an address in a
// 1177 domain (noreply@notis.1177.se), or a display name starting with 1177
// ("1177 e-tjänster"). The clinic's own functional mailbox may have 1177 in
// its local part (bup.uddevalla.1177@region.se): that is not 1177.
func isSender1177(from string) bool {
	for _, m := range addressRe.FindAllStringSubmatch(from, -1) {
		for _, l := range strings.Split(strings.ToLower(m[1]), ".") {
			if l == "1177" {
				return true
			}
		}
	}
	name := addressRe.ReplaceAllString(from, "")
	name = strings.Trim(strings.TrimSpace(strings.NewReplacer("<>", "", "[mailto:]", "", "()", "").Replace(name)), `"' `)
	fn := fold(name)
	return strings.HasPrefix(fn, "1177") && (len(fn) == 4 || !isDigit(fn[4]))
}

// rawLooksLikeNotice is the recognition of last resort, from a lenient
// reading of the header only.
func rawLooksLikeNotice(raw []byte) bool {
	h := lenientHeader(raw)
	from, _ := h.get("From")
	subject, _ := h.get("Subject")
	return isSender1177(decodeWords(from)) || isNoticeSubject(decodeWords(subject))
}
