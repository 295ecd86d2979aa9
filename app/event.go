package app

import "time"

// The events of a case's life: what the case history shows and the
// store keeps. Case's methods make them (case.go).

// EventKind says what happened to a case.
type EventKind string

const (
	EventReceived   EventKind = "received"
	EventAssigned   EventKind = "assigned"
	EventDelsvar    EventKind = "delsvar"
	EventMotfraga   EventKind = "motfraga"
	EventReply      EventKind = "invanare-svarat" // the citizen answered a motfråga
	EventSvar       EventKind = "svar"            // besvarat och avslutat
	EventStepDone   EventKind = "step-done"
	EventStepUndone EventKind = "step-undone"
	EventBranch     EventKind = "branch"
	EventNote       EventKind = "note"
	EventRerouted   EventKind = "rerouted"
	EventReopened   EventKind = "reopened"
	EventNotice     EventKind = "notice" // a later notice about the same case
	EventPatient    EventKind = "patient"
	EventReplySent  EventKind = "standardsvar" // a standard reply was copied and sent
	// EventAvslutatUtanSvar: closed in 1177 without an answer (the
	// doctor-certificate flow); not feedback to the citizen.
	EventAvslutatUtanSvar EventKind = "avslutat-utan-svar"
	// EventFeedbackUndone: unticking a step took back the feedback it
	// recorded; Detail is the step key.
	EventFeedbackUndone EventKind = "aterkoppling-angrad"
	// EventTilldelatOkand: a tilldelat notice went to an address no staff
	// member has; Detail is the address. The case stays ofördelad.
	EventTilldelatOkand EventKind = "tilldelat-okand-adress"
	// EventRepaired: an upgrade mended dates no list could read or no
	// case can have (migration 0009); Detail keeps the values as they
	// were ("inkommen tid …, svar senast …").
	EventRepaired EventKind = "lagad"
)

// Event is one change in a case's life.
type Event struct {
	ID     int64
	CaseID int64
	Kind   EventKind
	Actor  string // HSA-ID, or "system" for intake
	At     time.Time
	// Detail: the step key, the note text, "from→to" of a re-route, the
	// assignee's HSA-ID.
	Detail string
}

// ActorSystem is the actor of events made by intake, not a person.
const ActorSystem = "system"

// Swedish describes the event for the case history.
func (e Event) Swedish() string {
	switch e.Kind {
	case EventReceived:
		return "Ärendet inkom"
	case EventAssigned:
		return "Fördelat till " + e.Detail
	case EventDelsvar:
		return "Delsvar skickat"
	case EventMotfraga:
		return "Motfråga ställd"
	case EventReply:
		return "Invånaren har svarat"
	case EventSvar:
		return "Besvarat och avslutat i 1177"
	case EventStepDone:
		return "Klart: " + e.Detail
	case EventStepUndone:
		return "Ångrat: " + e.Detail
	case EventBranch:
		return "Vald väg: " + e.Detail
	case EventNote:
		return "Anteckning: " + e.Detail
	case EventRerouted:
		return "Omstyrt: " + e.Detail
	case EventReopened:
		return "Återöppnat"
	case EventNotice:
		return "Ny notis: " + e.Detail
	case EventPatient:
		return "Patientuppgifter ändrade"
	case EventReplySent:
		return "Standardsvar skickat: " + e.Detail
	case EventAvslutatUtanSvar:
		return "Avslutat i 1177 utan svar"
	case EventFeedbackUndone:
		return "Återkoppling ångrad: " + e.Detail
	case EventTilldelatOkand:
		if e.Detail == "" {
			return "Tilldelad i 1177, men notisen sa inte till vilken adress; ärendet är ofördelat"
		}
		return "Tilldelad i 1177 till " + e.Detail + ", som ingen i personallistan har; ärendet är ofördelat"
	case EventRepaired:
		return "Orimliga datum lagade vid uppgradering (var: " + e.Detail + "); inkommen tid är nu när ärendet registrerades. Kontrollera mot 1177"
	}
	return string(e.Kind)
}
