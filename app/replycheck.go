package app

import (
	"strings"
)

// Nothing half-filled reaches a citizen: a reply text still holding a
// placeholder ("{telefon}") or a prompt for the writer ("[Skriv frågan
// här]") is neither copied nor marked as sent. The checks here say which,
// and where each is filled in.

// Unfilled returns what is still to fill in text, once each in order:
// every "{name}" that looks like a placeholder, known or not, as "{name}",
// and every prompt "[Skriv …]" as written.
func Unfilled(text string) []string {
	var out []string
	add := func(s string) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	for i := 0; i < len(text); i++ {
		var closing byte
		switch text[i] {
		case '{':
			closing = '}'
		case '[':
			closing = ']'
		default:
			continue
		}
		j := strings.IndexByte(text[i+1:], closing)
		if j < 0 {
			continue
		}
		inner := text[i+1 : i+1+j]
		if strings.ContainsAny(inner, "{[\n") {
			continue // the inner one is looked at next
		}
		switch {
		case closing == '}' && isPlaceholderName(inner):
			add("{" + inner + "}")
		case closing == ']' && isPrompt(inner):
			add("[" + inner + "]")
		default:
			continue
		}
		i += j + 1
	}
	return out
}

// isPrompt reports whether the bracketed s is a prompt for the writer,
// such as the motfråga's "[Skriv frågan här]".
func isPrompt(s string) bool {
	s = strings.TrimSpace(s)
	for _, w := range []string{"Skriv", "Fyll i", "Ange"} {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// CheckReplyTemplate checks a standard reply's text as an administrator
// writes it: every placeholder must be one we fill. The error (field
// "text") names the unknown ones and the known.
func CheckReplyTemplate(text string) error {
	f := FillReply(text, ReplyValues{})
	if len(f.Unknown) == 0 {
		return nil
	}
	which := "okänd platshållare {" + f.Unknown[0] + "}"
	if len(f.Unknown) > 1 {
		which = "okända platshållare {" + strings.Join(f.Unknown, "}, {") + "}"
	}
	return FieldErrorf("text", "%s; de som fylls i är {%s}", which, strings.Join(ReplyPlaceholders(), "}, {"))
}

// ReplyFillHelp says where a case's missing details are filled in.
type ReplyFillHelp struct {
	// Unit is the case's unit ("BUP Lysekil"); "" for none.
	Unit string
	// Fillers names who can fill in the settings (WhoCanFill).
	Fillers string
}

// CheckReplyReady refuses a reply text that still holds something to fill
// in (Unfilled): the error (EINVALID, field "reply") names each and where
// it is filled in, and who can.
func CheckReplyReady(text string, h ReplyFillHelp) error {
	left := Unfilled(text)
	if len(left) == 0 {
		return nil
	}
	known := map[string]bool{}
	for _, p := range replyPlaceholders {
		known[p.Name] = true
	}
	unitName := strings.TrimSpace(h.Unit)
	var parts []string
	settings := false
	for _, u := range left {
		name := strings.Trim(u, "{}")
		switch {
		case strings.HasPrefix(u, "["):
			parts = append(parts, u+" (skriv in det som ska stå där)")
		case isUnitPlaceholder(name):
			what := unitFieldSv(name)
			if unitName != "" {
				what += " för " + unitName
			}
			parts = append(parts, u+" ("+what+", under Inställningar → Mottagning)")
			settings = true
		case name == "lank-centralarkivet" || name == "lank-evi":
			sv := "länk till centralarkivet"
			if name == "lank-evi" {
				sv = "länk till En Väg In"
			}
			parts = append(parts, u+" ("+sv+", för alla mottagningar under Inställningar → Mottagning)")
			settings = true
		case name == "arendenummer":
			parts = append(parts, u+" (ärendet har inget ärendenummer: skriv in det i texten)")
		case known[name]:
			parts = append(parts, u+" (skriv in uppgiften i texten)")
		default:
			parts = append(parts, u+" (ingen platshållare som fylls i: ta bort den eller skriv in det som ska stå där)")
		}
	}
	msg := "Uppgifter saknas: " + strings.Join(parts, "; ") + "."
	if settings {
		who := h.Fillers
		if who == "" {
			who = "en administratör eller enhetschef/teamledare"
		}
		msg += " Inställningarna fylls i av " + who + "; du kan också skriva in uppgiften i texten."
	}
	msg += " Svaret kan inte kopieras eller markeras som skickat förrän allt är ifyllt."
	return &Error{Code: EINVALID, Field: "reply", Message: msg}
}

func unitFieldSv(placeholder string) string {
	for _, f := range unitFields {
		if f.Placeholder == placeholder {
			return f.Sv
		}
	}
	return placeholder
}

// RecentReply returns the name of the standard reply whose marking as sent
// was the case's latest change (Case.RecentReply), "" when it was
// something else. latest are the case's latest events, newest first. A
// marking is its reply-sent event and, after it, what the reply recorded
// (a delsvar, a motfråga, the answer and the steps they tick), all by one
// person at one time (SendReply).
func RecentReply(latest []Event) string {
	if len(latest) == 0 {
		return ""
	}
	first := latest[0]
	for _, e := range latest {
		if e.Actor != first.Actor || !e.At.Equal(first.At) {
			return ""
		}
		switch e.Kind {
		case EventReplySent:
			return e.Detail
		case EventDelsvar, EventMotfraga, EventSvar, EventStepDone:
			continue // what the reply recorded
		}
		return ""
	}
	return ""
}
