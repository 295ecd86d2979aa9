package app

import "strings"

// The access log in words: a case change is stored with the kinds of its
// events as its detail ("step-done,assigned"), a key the hash chain keeps
// for ever; the screens show it as the clinic says it.

// eventKindTexts names each kind of event without its detail.
var eventKindTexts = map[EventKind]string{
	EventReceived:         "Ärendet inkom",
	EventAssigned:         "Fördelade ärendet",
	EventDelsvar:          "Delsvar skickat",
	EventMotfraga:         "Motfråga ställd",
	EventReply:            "Invånaren har svarat",
	EventSvar:             "Besvarat och avslutat i 1177",
	EventStepDone:         "Bockade av ett steg",
	EventStepUndone:       "Tog bort en bock",
	EventBranch:           "Valde väg i rutinen",
	EventNote:             "Skrev en anteckning",
	EventRerouted:         "Styrde om till annan ärendetyp",
	EventReopened:         "Återöppnade ärendet",
	EventNotice:           "Ny notis från 1177",
	EventPatient:          "Ändrade patientuppgifter",
	EventReplySent:        "Markerade ett standardsvar som skickat",
	EventAvslutatUtanSvar: "Avslutat i 1177 utan svar",
	EventFeedbackUndone:   "Återkoppling ångrad",
	EventTilldelatOkand:   "Tilldelad i 1177 till en okänd adress",
}

// EventKinds returns every kind of event this version writes.
func EventKinds() []EventKind {
	return []EventKind{EventReceived, EventAssigned, EventDelsvar, EventMotfraga, EventReply, EventSvar,
		EventStepDone, EventStepUndone, EventBranch, EventNote, EventRerouted, EventReopened, EventNotice,
		EventPatient, EventReplySent, EventAvslutatUtanSvar, EventFeedbackUndone, EventTilldelatOkand}
}

// Swedish names the kind of event in words, without its detail; a kind
// this version does not know (written by a later one) as it is.
func (k EventKind) Swedish() string {
	if t, ok := eventKindTexts[k]; ok {
		return t
	}
	return string(k)
}

// AuditDetailText is an access-log row's detail as the access-log screen
// shows it: a case change's event kinds in words ("Bockade av ett steg,
// Fördelade ärendet"), a case shown without a detail as "Visade ärendet";
// other details are Swedish already and shown as they are.
func AuditDetailText(e AuditEntry) string {
	if e.Detail == "" {
		if e.Action == AuditView && e.CaseID != 0 {
			return "Visade ärendet"
		}
		return ""
	}
	if e.Action != AuditChange || e.CaseID == 0 {
		return e.Detail
	}
	parts := strings.Split(e.Detail, ",")
	seen := map[string]bool{}
	var out []string
	for _, p := range parts {
		k := EventKind(strings.TrimSpace(p))
		if _, ok := eventKindTexts[k]; !ok {
			return e.Detail // not a list of event kinds: as written
		}
		if t := k.Swedish(); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return strings.Join(out, ", ")
}
