package app_test

import (
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// TestDecideIngestBrokenCase: a notice about a case whose stored row is
// broken is quarantined with the reason, not applied to what could be
// read of the case (issue 13, item 1).
func TestDecideIngestBrokenCase(t *testing.T) {
	cal := app.NewCalendar()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	existing := app.NewCase(app.TypeEgenremiss, now.Add(-time.Hour), cal)
	existing.ID, existing.Reference = 7, "REF-1"
	in := app.Inbound{Key: "<k>", Source: "test", Raw: []byte("raw"), MailDate: now,
		Notice: &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeEgenremiss, Reference: "REF-1", ReceivedAt: now}}
	if d := app.DecideIngest(in, existing, cal, now); d.Outcome != app.OutcomeUpdated {
		t.Fatalf("sound case: %+v", d)
	}
	existing.Broken = "Raden i databasen är trasig: förfallodag \"10000-01-04\" går inte att läsa."
	d := app.DecideIngest(in, existing, cal, now)
	if d.Outcome != app.OutcomeQuarantined || d.Quarantine == nil || string(d.Quarantine.Raw) != "raw" ||
		!strings.Contains(d.Quarantine.Reason, "nr 7") || !strings.Contains(d.Quarantine.Reason, "10000-01-04") {
		t.Errorf("broken case: %+v", d)
	}
}
