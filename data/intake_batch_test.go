package data_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
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

// A batch stores the same rows, byte for byte, with the held-back new
// cases of a server (data/intake_pg.go: ids drawn first, every row of a
// new case written with the batch's others) as with each new case
// inserted on its own, and as one message per batch: cases, steps, search
// rows, events, ledger, quarantine, access log, sync state. The batch
// mixes new cases, updates by reference of a case stored before and of
// one made earlier in the batch, duplicates (within the batch and of the
// ledger), quarantined messages (by intake and by the decision), a
// message that is no notice and tilldelat notices to a known and an
// unknown address; it starts with a quarantined message, so a held-back
// ledger row comes before the first case.
func TestIngestBatchHeldCasesSameRows(t *testing.T) {
	received := time.Date(2026, 11, 23, 7, 45, 0, 0, time.UTC)
	before := []app.Inbound{
		notice("<old@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-OLD", received),
	}
	assigned := notice("<c@test.invalid>", app.NoticeTilldelat, app.TypeVAB1216, "REF-1", received.Add(time.Hour))
	assigned.Assignee = hsaMe
	unknownTo := notice("<u@test.invalid>", app.NoticeTilldelat, app.TypeFornyaRecept, "REF-U", received)
	unknownTo.Notice.Recipient = "okand@test.invalid"
	late := notice("<late@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-LATE", received.Add(72*time.Hour))
	late.MailDate = received
	oldAssigned := notice("<old2@test.invalid>", app.NoticeTilldelat, app.TypeVAB1216, "REF-OLD", received.Add(3*time.Hour))
	oldAssigned.Assignee = hsaMe
	items := []app.Inbound{
		{Key: "<q@test.invalid>", Source: "imap:INBOX", Quarantine: &app.Quarantined{Reason: "oläslig", Raw: []byte("x")}},
		notice("<a@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-1", received),
		notice("<b@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "REF-2", received),
		notice("<a@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-1", received),
		notice("<old@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-OLD", received),
		oldAssigned,
		assigned,
		{Key: "<x@test.invalid>", Source: "imap:INBOX"},
		late,
		unknownTo,
		notice("<d@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "", received),
		notice("<e@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "REF-2", received.Add(2*time.Hour)),
		notice("<f@test.invalid>", app.NoticeInkommit, app.TypeSkickaMeddelande, "REF-3", received.Add(4*time.Hour)),
	}
	state := &app.SyncState{Account: testAccount, UIDValidity: 7, LastUID: 42}
	tables := []struct{ name, order string }{
		{"cases", "id"}, {"case_steps", "case_id, step"}, {"case_search", "rowid"}, {"case_events", "id"},
		{"ledger", "msg_key"}, {"quarantine", "id"}, {"sync_state", "account"},
	}
	run := func(held, oneByOne bool) (results []app.IngestResult, rows map[string][]string) {
		defer data.SetIngestHeldCases(held)()
		db := MustOpenDB(t)
		mustAddStaff(t, db, "Sara Sjuksköterska", hsaMe, app.RoleSjukskoterska)
		mustIngest(t, db, before, nil)
		if oneByOne {
			for _, in := range items {
				results = append(results, mustIngest(t, db, []app.Inbound{in}, nil)...)
			}
			mustIngest(t, db, nil, state)
		} else {
			results = mustIngest(t, db, items, state)
		}
		raw := rawStore(t, db)
		defer raw.Close()
		rows = map[string][]string{}
		for _, tb := range tables {
			rows[tb.name] = dumpRows(t, raw.DB, `SELECT * FROM `+tb.name+` ORDER BY `+tb.order)
		}
		rows["audit_log"] = dumpRows(t, raw.DB, `SELECT id, at, actor, unit, patient, case_id, action, detail FROM audit_log ORDER BY id`)
		return results, rows
	}
	heldRes, heldRows := run(true, false)
	oneRes, oneRows := run(false, false)
	singleRes, singleRows := run(true, true)
	for _, o := range []struct {
		name    string
		results []app.IngestResult
		rows    map[string][]string
	}{{"each case on its own", oneRes, oneRows}, {"one message per batch", singleRes, singleRows}} {
		if !reflect.DeepEqual(heldRes, o.results) {
			t.Errorf("results\nheld back: %+v\n%s: %+v", heldRes, o.name, o.results)
		}
		for name, want := range o.rows {
			if got := heldRows[name]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s\nheld back: %q\n%s: %q", name, got, o.name, want)
			}
		}
	}
	// What the batch was meant to hold.
	count := map[string]int{}
	for _, r := range heldRes {
		count[r.Outcome]++
	}
	want := map[string]int{app.OutcomeNew: 5, app.OutcomeUpdated: 3, app.OutcomeDuplicate: 2,
		app.OutcomeQuarantined: 2, app.OutcomeNotNotice: 1}
	if !reflect.DeepEqual(count, want) {
		t.Errorf("outcomes %v, want %v (%+v)", count, want, heldRes)
	}
	if len(heldRows["cases"]) != 6 {
		t.Errorf("%d cases, want 6", len(heldRows["cases"]))
	}
}

// dumpRows returns every row of query, each column formatted with %v.
func dumpRows(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&sb, "%s=%v|", cols[i], v)
		}
		out = append(out, sb.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
