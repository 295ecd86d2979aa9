package app

import (
	"errors"
	"testing"
	"time"
)

func TestStaleConflict(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 43, 0, 0, Stockholm)
	others := []Event{
		{Kind: EventNote, Actor: "A", At: at.Add(-time.Minute)},
		{Kind: EventAssigned, Actor: "B", At: at},
	}
	name := func(id string) string { return map[string]string{"A": "Anna Berg", "B": "Erik Ek"}[id] }
	if err := StaleConflict(nil, []Event{{Kind: EventSvar}}, name); err != nil {
		t.Errorf("nothing in between: %v", err)
	}
	if err := StaleConflict(others, []Event{{Kind: EventNote}}, name); err != nil {
		t.Errorf("a note is applied in order: %v", err)
	}
	if err := StaleConflict(others, []Event{{Kind: EventStepDone}}, name); err != nil {
		t.Errorf("a ticked step is applied in order: %v", err)
	}
	err := StaleConflict(others, []Event{{Kind: EventStepDone}, {Kind: EventSvar}}, name)
	want := "Ärendet ändrades av Erik Ek kl 10:43 medan du hade det öppet. Det visas nu som det är; gör om åtgärden om den fortfarande behövs."
	if ErrorMessage(err) != want || ErrorCode(err) != ECONFLICT || !IsStale(err) {
		t.Errorf("closing a stale view: %v", err)
	}
	if IsStale(Errorf(ECONFLICT, "Ärendet är redan fördelat.")) || IsStale(errors.New("x")) || IsStale(nil) {
		t.Error("IsStale says yes to another error")
	}
	for _, k := range []EventKind{EventAssigned, EventSvar, EventRerouted, EventReopened, EventMotfraga} {
		if !k.RefusedWhenStale() {
			t.Errorf("%s is applied on a stale view", k)
		}
	}
	for _, k := range []EventKind{EventNote, EventStepDone, EventStepUndone, EventReply, EventNotice, EventReceived} {
		if k.RefusedWhenStale() {
			t.Errorf("%s is refused on a stale view", k)
		}
	}
	if ActorDisplayName(ActorSystem) != "E-postintaget" || ActorDisplayName("SE1") != "SE1" {
		t.Error("ActorDisplayName")
	}
}
