package data_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"arendestod/app"
)

// One batch holding everything a batch can hold (new cases, the same
// message twice, a notice that updates a case made earlier in the batch,
// a message that is no notice, one quarantined) stores exactly what the
// same messages store one batch each: the same outcomes and case ids, the
// same history per case, one search row per case, one ledger row per
// message. (On a server the batch writes its rows together, intake_pg.go.)
func TestIngestBatchSameAsOneByOne(t *testing.T) {
	received := time.Date(2026, 12, 23, 7, 45, 0, 0, time.UTC)
	assigned := notice("<c@test.invalid>", app.NoticeTilldelat, app.TypeVAB1216, "REF-1", received.Add(time.Hour))
	assigned.Assignee = hsaMe
	items := []app.Inbound{
		notice("<a@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-1", received),
		notice("<b@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "REF-2", received),
		notice("<a@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-1", received),
		assigned,
		{Key: "<x@test.invalid>", Source: "imap:INBOX"},
		{Key: "<q@test.invalid>", Source: "imap:INBOX", Quarantine: &app.Quarantined{Reason: "oläslig", Raw: []byte("x")}},
		notice("<d@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "", received),
		notice("<e@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "REF-2", received.Add(2*time.Hour)),
	}
	type outcome struct {
		results []app.IngestResult
		events  map[int64][]app.EventKind
		cases   []*app.Case
		rows    map[string]int
	}
	run := func(batched bool) outcome {
		db := MustOpenDB(t)
		var o outcome
		if batched {
			o.results = mustIngest(t, db, items, nil)
		} else {
			for _, in := range items {
				o.results = append(o.results, mustIngest(t, db, []app.Inbound{in}, nil)...)
			}
		}
		o.events = map[int64][]app.EventKind{}
		cs, _, err := db.Cases(context.Background(), app.CaseFilter{View: app.ViewAll})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			o.events[c.ID] = eventKinds(mustEvents(t, db, c.ID))
			o.cases = append(o.cases, mustCase(t, db, c.ID))
		}
		o.rows = map[string]int{}
		for _, table := range []string{"cases", "case_search", "case_events", "ledger", "quarantine"} {
			o.rows[table] = countRows(t, db, table)
		}
		return o
	}
	one, batch := run(false), run(true)
	if !reflect.DeepEqual(batch.results, one.results) {
		t.Errorf("results\nbatch:      %+v\none by one: %+v", batch.results, one.results)
	}
	if !reflect.DeepEqual(batch.events, one.events) {
		t.Errorf("events\nbatch:      %v\none by one: %v", batch.events, one.events)
	}
	for i := range one.cases {
		if d := diffCase(batch.cases[i], one.cases[i]); d != "" {
			t.Errorf("case %d: %s", one.cases[i].ID, d)
		}
	}
	want := map[string]int{"cases": 3, "case_search": 3, "ledger": 7, "quarantine": 1}
	for table, n := range want {
		if batch.rows[table] != n || one.rows[table] != n {
			t.Errorf("%s: %d rows in the batch, %d one by one; want %d", table, batch.rows[table], one.rows[table], n)
		}
	}
	if batch.rows["case_events"] != one.rows["case_events"] {
		t.Errorf("case_events: %d rows in the batch, %d one by one", batch.rows["case_events"], one.rows["case_events"])
	}
	if got := batch.results[3]; got.Outcome != app.OutcomeUpdated || got.CaseID != batch.results[0].CaseID {
		t.Errorf("the tilldelat notice in the batch: %+v", got)
	}
}
