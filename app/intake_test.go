package app_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// inbound is a notice as the reader hands it to intake.
func inbound(key, kind, typ, ref string, received time.Time) app.Inbound {
	return app.Inbound{
		Key:    key,
		Source: "imap:INBOX",
		Notice: &app.Notice{Kind: kind, Unit: "BUP Testköping", Type: typ, TypeName: app.TypeName(typ),
			Reference: ref, ReceivedAt: received, MessageID: key},
		Raw: []byte("Subject: Nytt ärende\r\n\r\nnotis"),
	}
}

func decisionKinds(d app.IngestDecision) []app.EventKind {
	var out []app.EventKind
	for _, e := range d.Events {
		out = append(out, e.Kind)
	}
	return out
}

func TestInboundValidate(t *testing.T) {
	in := inbound("", app.NoticeInkommit, app.TypeEgenremiss, "R-1", t0)
	if err := in.Validate(); app.ErrorCode(err) != app.EINTERNAL {
		t.Errorf("Validate without key = %v, want EINTERNAL", err)
	}
	in.Key = "<a@test.invalid>"
	if err := in.Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
}

func TestInboundMatchReference(t *testing.T) {
	withRef := inbound("<a@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "R-1", t0)
	quarantined := withRef
	quarantined.Quarantine = &app.Quarantined{Reason: "oläslig"}
	for _, tt := range []struct {
		name string
		in   app.Inbound
		want string
	}{
		{"Notice", withRef, "R-1"},
		{"NoReference", inbound("<b@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "", t0), ""},
		{"NotNotice", app.Inbound{Key: "<c@test.invalid>"}, ""},
		{"Quarantine", quarantined, ""},
	} {
		if got := tt.in.MatchReference(); got != tt.want {
			t.Errorf("%s: MatchReference = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDecideIngest(t *testing.T) {
	now := t0.Add(3 * time.Hour)
	received := time.Date(2026, 12, 23, 7, 45, 0, 0, time.UTC) // 08:45 in Stockholm

	t.Run("New", func(t *testing.T) {
		in := inbound("<a@test.invalid>", app.NoticeInkommit, app.TypeVABUnder12, "REF-1", received)
		d := app.DecideIngest(in, nil, cal, now)
		if d.Outcome != app.OutcomeNew || d.Case == nil || d.Events != nil || d.Quarantine != nil {
			t.Fatalf("decision %+v", d)
		}
		want := &app.Case{Type: app.TypeVABUnder12, Unit: "BUP Testköping", Reference: "REF-1",
			MessageID: "<a@test.invalid>", ReceivedAt: received.In(app.Stockholm), DueDate: app.D(2026, 12, 29),
			Status: app.StatusNy, Steps: map[string]app.StepState{}}
		if !reflect.DeepEqual(d.Case, want) {
			t.Errorf("new case\n got %+v\nwant %+v", d.Case, want)
		}
	})

	t.Run("UnknownTypeIsOkand", func(t *testing.T) {
		for _, typ := range []string{"blankett-x", ""} {
			d := app.DecideIngest(inbound("<u@test.invalid>", app.NoticeInkommit, typ, "", received), nil, cal, now)
			if d.Outcome != app.OutcomeNew || d.Case.Type != app.TypeOkand {
				t.Errorf("type %q: outcome %s, case type %q; want a new okand case", typ, d.Outcome, d.Case.Type)
			}
		}
	})

	t.Run("TilldelatFirst", func(t *testing.T) {
		in := inbound("<t@test.invalid>", app.NoticeTilldelat, app.TypeSkickaMeddelande, "REF-9", received)
		in.Assignee = ali
		d := app.DecideIngest(in, nil, cal, now)
		if d.Outcome != app.OutcomeNew || d.Case.Status != app.StatusFordelad || d.Case.Assignee != ali {
			t.Errorf("decision %s, case status %q assignee %q", d.Outcome, d.Case.Status, d.Case.Assignee)
		}
		// A mailbox tied to no one and an address nobody has (issue 12
		// item 6; this used to assert "fördelad to no one"): the case stays
		// ofördelad and records the address.
		in.Assignee = ""
		in.Notice.Recipient = "okand@example.invalid"
		d = app.DecideIngest(in, nil, cal, now)
		if d.Case.Status != app.StatusNy || d.Case.Assignee != "" {
			t.Errorf("without assignee: status %q assignee %q", d.Case.Status, d.Case.Assignee)
		}
		if len(d.Events) != 1 || d.Events[0].Kind != app.EventTilldelatOkand || d.Events[0].Detail != "okand@example.invalid" {
			t.Errorf("without assignee: events %+v", d.Events)
		}
	})

	t.Run("Updated", func(t *testing.T) {
		existing := app.NewCase(app.TypeVAB1216, received, cal)
		existing.ID, existing.Reference, existing.MessageID = 42, "REF-7", "<a@test.invalid>"
		before := snapshot(existing)
		in := inbound("<b@test.invalid>", app.NoticeTilldelat, app.TypeVAB1216, "REF-7", received.Add(2*time.Hour))
		in.Assignee = sara
		d := app.DecideIngest(in, existing, cal, now)
		if d.Outcome != app.OutcomeUpdated || d.Case == nil || d.Quarantine != nil {
			t.Fatalf("decision %+v", d)
		}
		if got := snapshot(existing); !reflect.DeepEqual(got, before) {
			t.Errorf("DecideIngest changed the case it was given: %+v", got)
		}
		c := d.Case
		if c.ID != 42 || c.Status != app.StatusFordelad || c.Assignee != sara {
			t.Errorf("updated case: id %d, status %q, assignee %q", c.ID, c.Status, c.Assignee)
		}
		if !c.ReceivedAt.Equal(received) || c.DueDate != existing.DueDate || c.MessageID != "<a@test.invalid>" {
			t.Errorf("a later notice moved the case's clock or origin: %+v", c)
		}
		if want := []app.EventKind{app.EventNotice, app.EventAssigned}; !slices.Equal(decisionKinds(d), want) {
			t.Errorf("events %v, want %v", decisionKinds(d), want)
		}
		for _, e := range d.Events {
			if e.Actor != app.ActorSystem || e.CaseID != 42 || !e.At.Equal(now) {
				t.Errorf("event %+v", e)
			}
		}
	})

	t.Run("UpdatedOkandGetsType", func(t *testing.T) {
		existing := app.NewCase(app.TypeOkand, received, cal)
		existing.ID, existing.Reference = 8, "REF-8"
		d := app.DecideIngest(inbound("<b@test.invalid>", app.NoticeInkommit, app.TypeKorkort, "REF-8", received), existing, cal, now)
		if d.Outcome != app.OutcomeUpdated || d.Case.Type != app.TypeKorkort || d.Case.Status != app.StatusNy {
			t.Errorf("decision %s: type %q, status %q", d.Outcome, d.Case.Type, d.Case.Status)
		}
		if want := []app.EventKind{app.EventNotice, app.EventRerouted}; !slices.Equal(decisionKinds(d), want) {
			t.Errorf("events %v, want %v", decisionKinds(d), want)
		}
	})

	t.Run("UpdatedClosedStaysClosed", func(t *testing.T) {
		existing := app.NewCase(app.TypeJournalkopia, received, cal)
		existing.ID, existing.Reference = 9, "REF-C"
		if _, err := existing.Close(ali, received.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		in := inbound("<c@test.invalid>", app.NoticeTilldelat, app.TypeJournalkopia, "REF-C", received)
		in.Assignee = sara
		d := app.DecideIngest(in, existing, cal, now)
		if d.Outcome != app.OutcomeUpdated || d.Case.Status != app.StatusAvslutad || d.Case.Assignee != "" {
			t.Errorf("decision %s: status %q, assignee %q", d.Outcome, d.Case.Status, d.Case.Assignee)
		}
		if want := []app.EventKind{app.EventNotice}; !slices.Equal(decisionKinds(d), want) {
			t.Errorf("events %v, want %v", decisionKinds(d), want)
		}
	})

	t.Run("ExistingIgnoredWithoutReference", func(t *testing.T) {
		existing := newCase(app.TypeEgenremiss)
		d := app.DecideIngest(inbound("<n@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "", received), existing, cal, now)
		if d.Outcome != app.OutcomeNew || d.Case == existing || d.Case.ID != 0 {
			t.Errorf("decision %+v, want a new case", d)
		}
	})

	t.Run("QuarantineFromReader", func(t *testing.T) {
		raw := []byte("\x00\xff trasig")
		in := app.Inbound{Key: "sha256:abc", Source: "fil:/tmp/notis.eml",
			Quarantine: &app.Quarantined{Reason: "Notisen saknar ärendetyp och datum", Raw: raw}}
		d := app.DecideIngest(in, nil, cal, now)
		want := &app.Quarantined{Key: "sha256:abc", Source: "fil:/tmp/notis.eml", Reason: "Notisen saknar ärendetyp och datum", Raw: raw}
		if d.Outcome != app.OutcomeQuarantined || d.Case != nil || !reflect.DeepEqual(d.Quarantine, want) {
			t.Errorf("decision %+v, quarantine %+v", d, d.Quarantine)
		}
	})

	t.Run("NotNotice", func(t *testing.T) {
		d := app.DecideIngest(app.Inbound{Key: "<nyhetsbrev@test.invalid>", Source: "imap:INBOX"}, nil, cal, now)
		if !reflect.DeepEqual(d, app.IngestDecision{Outcome: app.OutcomeNotNotice}) {
			t.Errorf("decision %+v", d)
		}
	})

	t.Run("InvalidNoticeQuarantined", func(t *testing.T) {
		long := inbound("<lang@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "R-L", received)
		long.Notice.Unit = strings.Repeat("x", 201)
		okandCase := app.NewCase(app.TypeOkand, received, cal)
		okandCase.ID, okandCase.Reference = 3, "R-U"
		for _, tt := range []struct {
			name     string
			in       app.Inbound
			existing *app.Case
			want     string // in the reason
		}{
			{"NoTime", inbound("<utan-tid@test.invalid>", app.NoticeInkommit, app.TypeOkand, "", time.Time{}), nil, "inkommen tid saknas"},
			{"LongUnit", long, nil, "för långt"},
			// A later notice may not make the case invalid either.
			{"UpdateToUnknownType", inbound("<u@test.invalid>", app.NoticeInkommit, "blankett-x", "R-U", received), okandCase, "okänd ärendetyp"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				d := app.DecideIngest(tt.in, tt.existing, cal, now)
				if d.Outcome != app.OutcomeQuarantined || d.Case != nil || d.Events != nil || d.Quarantine == nil {
					t.Fatalf("decision %+v", d)
				}
				q := d.Quarantine
				if q.Key != tt.in.Key || q.Source != tt.in.Source || string(q.Raw) != string(tt.in.Raw) {
					t.Errorf("quarantined %+v", q)
				}
				if !strings.HasPrefix(q.Reason, "Notisen kunde inte bli ett ärende: ") || !strings.Contains(q.Reason, tt.want) {
					t.Errorf("reason %q, want the Swedish reason with %q", q.Reason, tt.want)
				}
			})
		}
		if okandCase.Type != app.TypeOkand {
			t.Errorf("a quarantined update changed the case it was given: type %q", okandCase.Type)
		}
	})
}

func TestCaseClone(t *testing.T) {
	c := newCase(app.TypeFornyaRecept)
	if _, err := c.SetStep(app.StepReceptlogg, true, sara, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Close(sara, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(c)
	d := c.Clone()
	if !reflect.DeepEqual(*d, *c) {
		t.Fatalf("clone %+v, want %+v", d, c)
	}
	*d.FirstFeedbackAt = d.FirstFeedbackAt.Add(time.Hour)
	*d.ClosedAt = d.ClosedAt.Add(time.Hour)
	delete(d.Steps, app.StepReceptlogg)
	d.Status = app.StatusPagaende
	if got := snapshot(c); !reflect.DeepEqual(got, before) || !c.FirstFeedbackAt.Equal(t0.Add(time.Hour)) || !c.ClosedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("changing the clone changed the case: %+v", got)
	}
}
