package data_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

const testAccount = "arende@test.invalid@imap.test.invalid:993/INBOX"

func notice(key, kind, typ, ref string, received time.Time) app.Inbound {
	return app.Inbound{
		Key:    key,
		Source: "imap:INBOX",
		Notice: &app.Notice{Kind: kind, Unit: "BUP Testköping", Type: typ, TypeName: app.TypeName(typ),
			Reference: ref, ReceivedAt: received, MessageID: key},
	}
}

func mustIngest(t *testing.T, db *data.DB, items []app.Inbound, state *app.SyncState) []app.IngestResult {
	t.Helper()
	res, err := db.IngestBatch(context.Background(), items, state)
	if err != nil {
		t.Fatalf("IngestBatch: %v", err)
	}
	if len(res) != len(items) {
		t.Fatalf("%d results for %d items", len(res), len(items))
	}
	for i, r := range res {
		if r.Key != items[i].Key {
			t.Errorf("result %d has key %q, want %q", i, r.Key, items[i].Key)
		}
	}
	return res
}

func wantResult(t *testing.T, r app.IngestResult, outcome string, caseID int64) {
	t.Helper()
	if r.Outcome != outcome || r.CaseID != caseID {
		t.Errorf("result %+v, want outcome %s, case %d", r, outcome, caseID)
	}
}

func TestIngestBatch(t *testing.T) {
	ctx := context.Background()
	received := time.Date(2026, 12, 23, 7, 45, 0, 0, time.UTC) // 08:45 in Stockholm

	t.Run("New", func(t *testing.T) {
		db := MustOpenDB(t)
		res := mustIngest(t, db, []app.Inbound{notice("<a@test.invalid>", app.NoticeInkommit, app.TypeVABUnder12, "REF-1", received)}, nil)
		if res[0].Outcome != app.OutcomeNew || res[0].CaseID == 0 {
			t.Fatalf("result %+v", res[0])
		}
		got := mustCase(t, db, res[0].CaseID)
		want := &app.Case{ID: res[0].CaseID, Type: app.TypeVABUnder12, Unit: "BUP Testköping", Reference: "REF-1",
			MessageID: "<a@test.invalid>", ReceivedAt: received, DueDate: app.D(2026, 12, 29), Status: app.StatusNy,
			Steps: map[string]app.StepState{}}
		if d := diffCase(got, want); d != "" {
			t.Errorf("ingested case: %s", d)
		}
		evs := mustEvents(t, db, got.ID)
		if len(evs) != 1 || evs[0].Kind != app.EventReceived || evs[0].Actor != app.ActorSystem {
			t.Errorf("events %+v, want one received by system", evs)
		}
	})

	t.Run("Duplicate", func(t *testing.T) {
		db := MustOpenDB(t)
		in := notice("<a@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "REF-1", received)
		first := mustIngest(t, db, []app.Inbound{in}, nil)
		again := mustIngest(t, db, []app.Inbound{in}, nil)
		wantResult(t, again[0], app.OutcomeDuplicate, first[0].CaseID)
		// A redelivery with the reference gone is still the same message.
		in.Notice.Reference = ""
		third := mustIngest(t, db, []app.Inbound{in}, nil)
		wantResult(t, third[0], app.OutcomeDuplicate, first[0].CaseID)
		if n := countRows(t, db, "cases"); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}
		if n := countRows(t, db, "ledger"); n != 1 {
			t.Errorf("%d ledger rows, want 1", n)
		}
		if n := len(mustEvents(t, db, first[0].CaseID)); n != 1 {
			t.Errorf("%d events, want 1: a duplicate adds none", n)
		}
	})

	t.Run("Updated", func(t *testing.T) {
		db := MustOpenDB(t)
		first := mustIngest(t, db, []app.Inbound{notice("<a@test.invalid>", app.NoticeInkommit, app.TypeVAB1216, "REF-7", received)}, nil)
		id := first[0].CaseID
		later := notice("<b@test.invalid>", app.NoticeTilldelat, app.TypeVAB1216, "REF-7", received.Add(2*time.Hour))
		later.Assignee = hsaMe
		setClock(db, testNow.Add(time.Hour))
		res := mustIngest(t, db, []app.Inbound{later}, nil)
		wantResult(t, res[0], app.OutcomeUpdated, id)
		got := mustCase(t, db, id)
		if got.Status != app.StatusFordelad || got.Assignee != hsaMe {
			t.Errorf("after tilldelat: status %q, assignee %q", got.Status, got.Assignee)
		}
		if !got.ReceivedAt.Equal(received) || got.DueDate != app.D(2026, 12, 29) || got.MessageID != "<a@test.invalid>" {
			t.Errorf("a later notice moved the case's clock: %+v", got)
		}
		evs := mustEvents(t, db, id)
		if want := []app.EventKind{app.EventReceived, app.EventNotice, app.EventAssigned}; !slices.Equal(eventKinds(evs), want) {
			t.Errorf("events %v, want %v", eventKinds(evs), want)
		}
		for _, e := range evs[1:] {
			if e.Actor != app.ActorSystem || e.CaseID != id || !e.At.Equal(testNow.Add(time.Hour)) {
				t.Errorf("event %+v", e)
			}
		}
		if n := countRows(t, db, "cases"); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}
		// Both keys are in the ledger and point at the case.
		for _, k := range []string{"<a@test.invalid>", "<b@test.invalid>"} {
			again := mustIngest(t, db, []app.Inbound{notice(k, app.NoticeInkommit, app.TypeVAB1216, "REF-7", received)}, nil)
			wantResult(t, again[0], app.OutcomeDuplicate, id)
		}
	})

	t.Run("UpdatedOkandGetsType", func(t *testing.T) {
		db := MustOpenDB(t)
		first := mustIngest(t, db, []app.Inbound{notice("<a@test.invalid>", app.NoticeInkommit, app.TypeOkand, "REF-8", received)}, nil)
		res := mustIngest(t, db, []app.Inbound{notice("<b@test.invalid>", app.NoticeInkommit, app.TypeKorkort, "REF-8", received)}, nil)
		wantResult(t, res[0], app.OutcomeUpdated, first[0].CaseID)
		if got := mustCase(t, db, first[0].CaseID); got.Type != app.TypeKorkort || got.Status != app.StatusNy {
			t.Errorf("case after typed notice: type %q, status %q", got.Type, got.Status)
		}
	})

	t.Run("TilldelatFirst", func(t *testing.T) {
		db := MustOpenDB(t)
		in := notice("<t@test.invalid>", app.NoticeTilldelat, app.TypeSkickaMeddelande, "REF-9", received)
		in.Assignee = hsaOther
		res := mustIngest(t, db, []app.Inbound{in}, nil)
		got := mustCase(t, db, res[0].CaseID)
		if res[0].Outcome != app.OutcomeNew || got.Status != app.StatusFordelad || got.Assignee != hsaOther {
			t.Errorf("result %+v, case status %q assignee %q", res[0], got.Status, got.Assignee)
		}
	})

	t.Run("UnknownTypeKey", func(t *testing.T) {
		db := MustOpenDB(t)
		res := mustIngest(t, db, []app.Inbound{notice("<u@test.invalid>", app.NoticeInkommit, "blankett-x", "", received)}, nil)
		if got := mustCase(t, db, res[0].CaseID); got.Type != app.TypeOkand {
			t.Errorf("type %q, want okand", got.Type)
		}
	})

	t.Run("NoReference", func(t *testing.T) {
		// Without a reference nothing ties two notices together: one case per key.
		db := MustOpenDB(t)
		res := mustIngest(t, db, []app.Inbound{
			notice("<n1@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "", received),
			notice("<n2@test.invalid>", app.NoticeInkommit, app.TypeEgenremiss, "", received),
			notice("<n3@test.invalid>", app.NoticeTilldelat, app.TypeEgenremiss, "", received),
		}, nil)
		ids := map[int64]bool{}
		for _, r := range res {
			if r.Outcome != app.OutcomeNew || r.CaseID == 0 {
				t.Errorf("result %+v, want a new case", r)
			}
			ids[r.CaseID] = true
		}
		if len(ids) != 3 || countRows(t, db, "cases") != 3 {
			t.Errorf("%d distinct cases, want 3", len(ids))
		}
	})

	t.Run("Quarantine", func(t *testing.T) {
		db := MustOpenDB(t)
		raw := []byte("From: 1177 <noreply@test.invalid>\r\nSubject: =?iso-8859-1?q?=C4rende?=\r\n\r\n\x00\xff\xfe trasig\r\n")
		in := app.Inbound{Key: "sha256:abc", Source: "fil:/tmp/notis.eml",
			Quarantine: &app.Quarantined{Reason: "Notisen saknar ärendetyp och datum", Raw: raw}}
		res := mustIngest(t, db, []app.Inbound{in}, nil)
		wantResult(t, res[0], app.OutcomeQuarantined, 0)
		second := app.Inbound{Key: "sha256:def", Source: "imap:INBOX", Quarantine: &app.Quarantined{Reason: "andra", Raw: []byte{0}}}
		setClock(db, testNow.Add(time.Minute))
		mustIngest(t, db, []app.Inbound{second}, nil)

		got, err := db.Quarantine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d quarantined, want 2", len(got))
		}
		q := got[1] // newest first
		if q.Key != "sha256:abc" || q.Source != "fil:/tmp/notis.eml" || q.Reason != "Notisen saknar ärendetyp och datum" ||
			!bytes.Equal(q.Raw, raw) || !q.ReceivedAt.Equal(testNow) || q.ID == 0 {
			t.Errorf("quarantined %+v (raw %q)", q, q.Raw)
		}
		if got[0].Key != "sha256:def" || !bytes.Equal(got[0].Raw, []byte{0}) {
			t.Errorf("newest quarantined %+v", got[0])
		}
		// Quarantined once: a redelivery is a duplicate, not a second copy.
		again := mustIngest(t, db, []app.Inbound{in}, nil)
		wantResult(t, again[0], app.OutcomeDuplicate, 0)
		if n := countRows(t, db, "quarantine"); n != 2 {
			t.Errorf("%d quarantine rows, want 2", n)
		}
		if n := countRows(t, db, "cases"); n != 0 {
			t.Errorf("%d cases from quarantined messages", n)
		}
	})

	t.Run("NotNotice", func(t *testing.T) {
		db := MustOpenDB(t)
		in := app.Inbound{Key: "<nyhetsbrev@test.invalid>", Source: "imap:INBOX"}
		res := mustIngest(t, db, []app.Inbound{in}, nil)
		wantResult(t, res[0], app.OutcomeNotNotice, 0)
		if n := countRows(t, db, "cases"); n != 0 {
			t.Errorf("%d cases from a message that is not a notice", n)
		}
		if n := countRows(t, db, "ledger"); n != 1 {
			t.Errorf("%d ledger rows, want 1", n)
		}
		known, err := db.KnownKeys(ctx, []string{in.Key})
		if err != nil || !known[in.Key] {
			t.Errorf("KnownKeys = %v, %v", known, err)
		}
		again := mustIngest(t, db, []app.Inbound{in}, nil)
		wantResult(t, again[0], app.OutcomeDuplicate, 0)
	})

	t.Run("SameKeyTwiceInBatch", func(t *testing.T) {
		db := MustOpenDB(t)
		in := notice("<tva@test.invalid>", app.NoticeInkommit, app.TypeJournalkopia, "REF-2", received)
		res := mustIngest(t, db, []app.Inbound{in, in}, nil)
		if res[0].Outcome != app.OutcomeNew {
			t.Fatalf("first %+v", res[0])
		}
		wantResult(t, res[1], app.OutcomeDuplicate, res[0].CaseID)
		if n := countRows(t, db, "cases"); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}
		var sum app.IngestSummary
		sum.Add(res...)
		if sum.New != 1 || sum.Duplicates != 1 {
			t.Errorf("summary %+v", sum)
		}
	})

	t.Run("SameReferenceTwiceInBatch", func(t *testing.T) {
		db := MustOpenDB(t)
		tilldelat := notice("<r2@test.invalid>", app.NoticeTilldelat, app.TypeJournalkopia, "REF-3", received)
		tilldelat.Assignee = hsaMe
		res := mustIngest(t, db, []app.Inbound{
			notice("<r1@test.invalid>", app.NoticeInkommit, app.TypeJournalkopia, "REF-3", received),
			tilldelat,
		}, nil)
		wantResult(t, res[1], app.OutcomeUpdated, res[0].CaseID)
		if got := mustCase(t, db, res[0].CaseID); got.Assignee != hsaMe || got.Status != app.StatusFordelad {
			t.Errorf("case %+v", got)
		}
	})

	t.Run("Mixed", func(t *testing.T) {
		db := MustOpenDB(t)
		items := []app.Inbound{
			notice("<m1@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "M-1", received),
			{Key: "<m2@test.invalid>", Source: "imap:INBOX"},
			{Key: "sha256:m3", Source: "imap:INBOX", Quarantine: &app.Quarantined{Reason: "oläslig", Raw: []byte("x")}},
			notice("<m4@test.invalid>", app.NoticeTilldelat, app.TypeFornyaRecept, "M-1", received),
			notice("<m1@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "M-1", received),
		}
		res := mustIngest(t, db, items, &app.SyncState{Account: testAccount, UIDValidity: 7, LastUID: 105})
		var sum app.IngestSummary
		sum.Add(res...)
		if sum != (app.IngestSummary{New: 1, Updated: 1, Duplicates: 1, Quarantined: 1, NotNotices: 1}) {
			t.Errorf("summary %+v", sum)
		}
		if n := countRows(t, db, "ledger"); n != 4 {
			t.Errorf("%d ledger rows, want 4", n)
		}
		mustIntegrity(t, db)
	})
}

// TestIngestInvalidNoticeQuarantined: a notice that cannot become a case
// must not stop intake (which would fetch it again forever): it goes to
// quarantine with its raw bytes, and the rest of the batch goes in.
func TestIngestInvalidNoticeQuarantined(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	received := sthlm(2026, 11, 30, 9, 0)
	bad := notice("<utan-tid@test.invalid>", app.NoticeInkommit, app.TypeOkand, "", time.Time{})
	bad.Raw = []byte("Subject: Nytt ärende i 1177 e-tjänster\r\n\r\nutan tid")
	res := mustIngest(t, db, []app.Inbound{bad, notice("<ok@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "Q-1", received)}, nil)
	if res[0].Outcome != app.OutcomeQuarantined || res[1].Outcome != app.OutcomeNew {
		t.Fatalf("results %+v", res)
	}
	q, err := db.Quarantine(ctx)
	if err != nil || len(q) != 1 || string(q[0].Raw) != string(bad.Raw) || q[0].Reason == "" {
		t.Fatalf("quarantine = %+v, %v", q, err)
	}
	// Seen again: a duplicate, not a second quarantine row.
	if res := mustIngest(t, db, []app.Inbound{bad}, nil); res[0].Outcome != app.OutcomeDuplicate {
		t.Errorf("second delivery: %+v", res)
	}
	if n := countRows(t, db, "quarantine"); n != 1 {
		t.Errorf("%d quarantine rows, want 1", n)
	}
}

func TestIngestBatchAtomic(t *testing.T) {
	ctx := context.Background()
	received := sthlm(2026, 11, 30, 9, 0)
	tests := []struct {
		name string
		bad  app.Inbound
	}{
		{"EmptyKey", app.Inbound{Key: "", Source: "imap:INBOX", Notice: &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeOkand, ReceivedAt: received}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			start := app.SyncState{Account: testAccount, UIDValidity: 7, LastUID: 100}
			mustIngest(t, db, []app.Inbound{notice("<fore@test.invalid>", app.NoticeInkommit, app.TypeOkand, "F-1", received)}, &start)
			cases, events, ledger := countRows(t, db, "cases"), countRows(t, db, "case_events"), countRows(t, db, "ledger")

			items := []app.Inbound{
				notice("<x1@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "X-1", received),
				notice("<x2@test.invalid>", app.NoticeTilldelat, app.TypeOkand, "F-1", received), // would update
				{Key: "<x3@test.invalid>", Source: "imap:INBOX"},
				{Key: "sha256:x4", Source: "imap:INBOX", Quarantine: &app.Quarantined{Reason: "r", Raw: []byte("r")}},
				tt.bad,
				notice("<x6@test.invalid>", app.NoticeInkommit, app.TypeFornyaRecept, "X-6", received),
			}
			res, err := db.IngestBatch(ctx, items, &app.SyncState{Account: testAccount, UIDValidity: 7, LastUID: 106})
			if err == nil {
				t.Fatalf("IngestBatch with a bad item succeeded: %+v", res)
			}
			if res != nil {
				t.Errorf("results %+v with the error", res)
			}
			for table, want := range map[string]int{"cases": cases, "case_events": events, "ledger": ledger, "quarantine": 0} {
				if n := countRows(t, db, table); n != want {
					t.Errorf("%s: %d rows after a failed batch, want %d", table, n, want)
				}
			}
			if c := mustCase(t, db, 1); c.Status != app.StatusNy {
				t.Errorf("the earlier case was updated by a failed batch: %q", c.Status)
			}
			st, err := db.SyncState(ctx, testAccount)
			if err != nil || st != start {
				t.Errorf("SyncState after a failed batch = %+v, %v; want %+v", st, err, start)
			}
			var keys []string
			for _, in := range items {
				keys = append(keys, in.Key)
			}
			if known, err := db.KnownKeys(ctx, keys); err != nil || len(known) != 0 {
				t.Errorf("KnownKeys after a failed batch = %v, %v", known, err)
			}
			// The same batch without the bad item goes through whole.
			good := slices.Delete(slices.Clone(items), 4, 5)
			mustIngest(t, db, good, &app.SyncState{Account: testAccount, UIDValidity: 7, LastUID: 106})
			if n := countRows(t, db, "cases"); n != cases+2 {
				t.Errorf("%d cases after the retry, want %d", n, cases+2)
			}
			mustIntegrity(t, db)
		})
	}
}

func TestSyncState(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	other := "annan@test.invalid@imap.test.invalid:993/INBOX"

	t.Run("Unknown", func(t *testing.T) {
		st, err := db.SyncState(ctx, testAccount)
		if err != nil || st != (app.SyncState{Account: testAccount}) {
			t.Errorf("SyncState of a new account = %+v, %v", st, err)
		}
	})
	steps := []struct {
		name  string
		items []app.Inbound
		state *app.SyncState
		want  app.SyncState
	}{
		{"OK", []app.Inbound{{Key: "<s1@test.invalid>", Source: "imap:INBOX"}},
			&app.SyncState{Account: testAccount, UIDValidity: 1700000000, LastUID: 41}, app.SyncState{Account: testAccount, UIDValidity: 1700000000, LastUID: 41}},
		{"EmptyBatch", nil,
			&app.SyncState{Account: testAccount, UIDValidity: 1700000000, LastUID: 57}, app.SyncState{Account: testAccount, UIDValidity: 1700000000, LastUID: 57}},
		{"NilStateKeeps", []app.Inbound{{Key: "<s2@test.invalid>", Source: "fil"}},
			nil, app.SyncState{Account: testAccount, UIDValidity: 1700000000, LastUID: 57}},
		{"MaxUint32", nil,
			&app.SyncState{Account: testAccount, UIDValidity: 4294967295, LastUID: 4294967295}, app.SyncState{Account: testAccount, UIDValidity: 4294967295, LastUID: 4294967295}},
		{"UIDValidityChange", nil,
			&app.SyncState{Account: testAccount, UIDValidity: 2, LastUID: 0}, app.SyncState{Account: testAccount, UIDValidity: 2, LastUID: 0}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			mustIngest(t, db, s.items, s.state)
			st, err := db.SyncState(ctx, testAccount)
			if err != nil || st != s.want {
				t.Errorf("SyncState = %+v, %v; want %+v", st, err, s.want)
			}
		})
	}
	t.Run("AccountsApart", func(t *testing.T) {
		mustIngest(t, db, nil, &app.SyncState{Account: other, UIDValidity: 9, LastUID: 3})
		a, _ := db.SyncState(ctx, testAccount)
		b, _ := db.SyncState(ctx, other)
		if a.UIDValidity != 2 || b != (app.SyncState{Account: other, UIDValidity: 9, LastUID: 3}) {
			t.Errorf("accounts mixed: %+v, %+v", a, b)
		}
	})
}

func TestKnownKeys(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// More keys than one IN list holds, to cross the store's chunks.
	var items []app.Inbound
	var all []string
	for i := 0; i < 1300; i++ {
		k := fmt.Sprintf("<k%04d@test.invalid>", i)
		all = append(all, k)
		if i%3 == 0 {
			items = append(items, app.Inbound{Key: k, Source: "imap:INBOX"})
		}
	}
	mustIngest(t, db, items, nil)
	tests := []struct {
		name string
		keys []string
		want int
	}{
		{"OK", all, len(items)},
		{"None", []string{"<okand@test.invalid>"}, 0},
		{"Empty", nil, 0},
		{"One", []string{all[999]}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known, err := db.KnownKeys(ctx, tt.keys)
			if err != nil {
				t.Fatal(err)
			}
			if len(known) != tt.want {
				t.Errorf("%d known, want %d", len(known), tt.want)
			}
			for _, k := range tt.keys {
				var i int
				fmt.Sscanf(k, "<k%d@", &i)
				inLedger := k != "<okand@test.invalid>" && i%3 == 0
				if known[k] != inLedger {
					t.Errorf("known[%s] = %v, want %v", k, known[k], inLedger)
				}
			}
		})
	}
}
