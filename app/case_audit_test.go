package app_test

import (
	"testing"

	"arendestod/app"
)

func TestAuditCaseChange(t *testing.T) {
	const pnr = app.Personnummer("201203159825")
	withPatient := func() *app.Case {
		c := newCase(app.TypeVABUnder12)
		c.Unit, c.PatientPnr, c.PatientName = "BUP Uddevalla", pnr, "Åsa Testsson"
		return c
	}
	evs := []app.Event{{Kind: app.EventStepDone}, {Kind: app.EventDelsvar}}

	if e := app.AuditCaseChange(newCase(app.TypeVABUnder12), newCase(app.TypeVABUnder12), sara, evs); e != nil {
		t.Errorf("a case without patient data is logged: %+v", e)
	}
	want := app.AuditEntry{Actor: sara, Unit: "BUP Uddevalla", Patient: pnr, CaseID: 7, Action: "ändra", Detail: "step-done,delsvar"}
	if e := app.AuditCaseChange(withPatient(), withPatient(), sara, evs); e == nil || *e != want {
		t.Errorf("change of a case with a patient: %+v, want %+v", e, want)
	}
	// Removed: the row still says whose data it was.
	removed := withPatient()
	removed.PatientPnr, removed.PatientName = "", ""
	if e := app.AuditCaseChange(withPatient(), removed, sara, evs); e == nil || e.Patient != pnr {
		t.Errorf("patient removed: %+v, want a row for %s", e, pnr)
	}
	// Added, a name only: logged, with no personnummer to name.
	named := newCase(app.TypeVABUnder12)
	named.PatientName = "Åsa Testsson"
	if e := app.AuditCaseChange(newCase(app.TypeVABUnder12), named, sara, nil); e == nil || e.Patient != "" || e.Detail != "" {
		t.Errorf("name added: %+v", e)
	}
}
