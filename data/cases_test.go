package data_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

func TestCreateCase(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		pnr := testPnr(t, "20180412", 982)
		feedback := sthlm(2026, 12, 23, 11, 5)
		tests := []struct {
			name    string
			c       *app.Case
			wantDue app.Date
		}{
			{
				name: "AllFields",
				c: func() *app.Case {
					// Received given in UTC: read back in Stockholm.
					c := newCase(db, app.TypeVABUnder12, time.Date(2026, 12, 23, 8, 15, 30, 0, time.UTC))
					c.Unit = "BUP Testköping"
					c.Reference = "TEST-2026-0001"
					c.MessageID = "<notis-1@test.invalid>"
					c.Status = app.StatusPagaende
					c.Assignee = hsaMe
					c.FirstFeedbackAt = &feedback
					c.Steps = map[string]app.StepState{
						"delsvar":       {By: hsaMe, At: feedback},
						"intyg-skrivet": {By: hsaOther, At: time.Date(2026, 12, 23, 12, 0, 0, 0, time.UTC)},
					}
					c.PatientPnr = pnr
					c.PatientName = "Testa Testsson"
					return c
				}(),
				wantDue: app.D(2026, 12, 29), // ROUTINE.md: received 2026-12-23 → due 2026-12-29
			},
			{
				name: "ClosedWithBranch",
				c: func() *app.Case {
					c := newCase(db, app.TypeAvbokaOmboka, sthlm(2027, 3, 25, 16, 59))
					c.Branch = "avbokning"
					c.Status = app.StatusAvslutad
					closed := sthlm(2027, 3, 26, 8, 0)
					c.FirstFeedbackAt, c.ClosedAt = &closed, &closed
					c.Steps = map[string]app.StepState{"svar-avbokat": {By: hsaOther, At: closed}}
					return c
				}(),
				wantDue: app.D(2027, 3, 31), // before Easter
			},
			{
				name:    "Minimal",
				c:       newCase(db, app.TypeOkand, sthlm(2027, 6, 24, 23, 59)),
				wantDue: app.D(2027, 6, 29), // before midsommar
			},
			{
				name: "AfterMidnightUTC",
				// 23:30 UTC on 30 Nov is 00:30 on 1 Dec in Stockholm: the
				// Stockholm date decides.
				c:       newCase(db, app.TypeSkickaMeddelande, time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)),
				wantDue: app.D(2026, 12, 3),
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.c.DueDate != tt.wantDue {
					t.Fatalf("calendar due date %v, want %v", tt.c.DueDate, tt.wantDue)
				}
				want := *tt.c
				if err := db.CreateCase(ctx, tt.c, hsaOther); err != nil {
					t.Fatal(err)
				}
				if tt.c.ID == 0 {
					t.Fatal("CreateCase did not set ID")
				}
				want.ID = tt.c.ID
				got := mustCase(t, db, tt.c.ID)
				if d := diffCase(got, &want); d != "" {
					t.Errorf("round trip: %s", d)
				}
				evs := mustEvents(t, db, tt.c.ID)
				if len(evs) != 1 || evs[0].Kind != app.EventReceived || evs[0].Actor != hsaOther ||
					!evs[0].At.Equal(testNow) || evs[0].CaseID != tt.c.ID || evs[0].ID == 0 {
					t.Errorf("events %+v, want one received event by %s at %v", evs, hsaOther, testNow)
				}
			})
		}
		mustIntegrity(t, db)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		tests := []struct {
			name  string
			edit  func(c *app.Case)
			field string
		}{
			{"UnknownType", func(c *app.Case) { c.Type = "forsakringskassan-blankett" }, "type"},
			{"NoReceived", func(c *app.Case) { c.ReceivedAt = time.Time{} }, "received"},
			{"UnknownStatus", func(c *app.Case) { c.Status = "klar" }, "status"},
			{"LongReference", func(c *app.Case) { c.Reference = strings.Repeat("R", 101) }, "reference"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0))
				tt.edit(c)
				err := db.CreateCase(ctx, c, hsaMe)
				wantCode(t, err, app.EINVALID)
				var fe *app.Error
				if !errors.As(err, &fe) || fe.Field != tt.field {
					t.Errorf("error %v names field %q, want %q", err, fe.Field, tt.field)
				}
				if c.ID != 0 {
					t.Errorf("ID set to %d on a refused case", c.ID)
				}
				if n := countRows(t, db, "cases"); n != 0 {
					t.Errorf("%d cases stored", n)
				}
				if n := countRows(t, db, "case_events"); n != 0 {
					t.Errorf("%d events stored", n)
				}
			})
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		db := MustOpenDB(t)
		first := newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0))
		first.Reference = "TEST-DUBBEL"
		mustCreate(t, db, first)
		second := newCase(db, app.TypeJournalkopia, sthlm(2026, 11, 30, 10, 0))
		second.Reference = "TEST-DUBBEL"
		wantCode(t, db.CreateCase(ctx, second, hsaMe), app.ECONFLICT)
		if n := countRows(t, db, "cases"); n != 1 {
			t.Errorf("%d cases after a duplicate reference, want 1", n)
		}
		if n := countRows(t, db, "case_events"); n != 1 {
			t.Errorf("%d events after a duplicate reference, want 1", n)
		}
		// Cases without a reference never conflict with each other.
		for i := 0; i < 2; i++ {
			mustCreate(t, db, newCase(db, app.TypeOkand, sthlm(2026, 11, 30, 11, i)))
		}
		if n := countRows(t, db, "cases"); n != 3 {
			t.Errorf("%d cases, want 3", n)
		}
	})
}

func TestCase(t *testing.T) {
	db := MustOpenDB(t)
	c := mustCreate(t, db, newCase(db, app.TypeEgenremiss, sthlm(2026, 11, 30, 9, 0)))

	t.Run("OK", func(t *testing.T) {
		got := mustCase(t, db, c.ID)
		if got.ID != c.ID || got.Type != app.TypeEgenremiss || got.Steps == nil {
			t.Errorf("Case = %+v", got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.Case(context.Background(), c.ID+1)
		wantCode(t, err, app.ENOTFOUND)
	})
}

func TestUpdateCase(t *testing.T) {
	ctx := context.Background()
	now := testNow.Add(90 * time.Minute)

	type op func(c *app.Case) ([]app.Event, error)
	tests := []struct {
		name string
		typ  string
		// prep runs first, as its own UpdateCase.
		prep       op
		fn         op
		wantStatus app.Status
		wantKinds  []app.EventKind // events fn adds, in order
		check      func(t *testing.T, c *app.Case)
	}{
		{
			name: "Assign", typ: app.TypeFornyaRecept,
			fn:         func(c *app.Case) ([]app.Event, error) { return c.Assign(hsaOther, hsaMe, now) },
			wantStatus: app.StatusFordelad,
			wantKinds:  []app.EventKind{app.EventAssigned},
			check: func(t *testing.T, c *app.Case) {
				if c.Assignee != hsaOther {
					t.Errorf("Assignee = %q", c.Assignee)
				}
			},
		},
		{
			name: "Delsvar", typ: app.TypeVABUnder12,
			fn:         func(c *app.Case) ([]app.Event, error) { return c.Delsvar(hsaMe, now) },
			wantStatus: app.StatusPagaende,
			wantKinds:  []app.EventKind{app.EventDelsvar, app.EventStepDone},
			check: func(t *testing.T, c *app.Case) {
				if c.FirstFeedbackAt == nil || !c.FirstFeedbackAt.Equal(now) {
					t.Errorf("FirstFeedbackAt = %v, want %v", c.FirstFeedbackAt, now)
				}
				if s, ok := c.Steps["delsvar"]; !ok || s.By != hsaMe || !s.At.Equal(now) {
					t.Errorf("step delsvar = %+v, %v", s, ok)
				}
			},
		},
		{
			name: "Motfraga", typ: app.TypeSkickaMeddelande,
			fn:         func(c *app.Case) ([]app.Event, error) { return c.Motfraga(hsaMe, now) },
			wantStatus: app.StatusVantar,
			wantKinds:  []app.EventKind{app.EventMotfraga},
			check: func(t *testing.T, c *app.Case) {
				if c.FirstFeedbackAt == nil || c.ClosedAt != nil {
					t.Errorf("FirstFeedbackAt = %v, ClosedAt = %v", c.FirstFeedbackAt, c.ClosedAt)
				}
			},
		},
		{
			name: "Close", typ: app.TypeFornyaRecept,
			fn:         func(c *app.Case) ([]app.Event, error) { return c.Close(hsaMe, now) },
			wantStatus: app.StatusAvslutad,
			wantKinds:  []app.EventKind{app.EventSvar, app.EventStepDone},
			check: func(t *testing.T, c *app.Case) {
				if c.ClosedAt == nil || !c.ClosedAt.Equal(now) || c.FirstFeedbackAt == nil {
					t.Errorf("ClosedAt = %v, FirstFeedbackAt = %v", c.ClosedAt, c.FirstFeedbackAt)
				}
				if _, ok := c.Steps["besvarat"]; !ok {
					t.Errorf("step besvarat not ticked: %v", c.Steps)
				}
			},
		},
		{
			name: "Reopen", typ: app.TypeJournalkopia,
			prep:       func(c *app.Case) ([]app.Event, error) { return c.Close(hsaMe, testNow) },
			fn:         func(c *app.Case) ([]app.Event, error) { return c.Reopen(hsaMe, now) },
			wantStatus: app.StatusPagaende,
			wantKinds:  []app.EventKind{app.EventReopened},
			check: func(t *testing.T, c *app.Case) {
				if c.ClosedAt != nil {
					t.Errorf("ClosedAt = %v after reopen", c.ClosedAt)
				}
				if c.FirstFeedbackAt == nil || !c.FirstFeedbackAt.Equal(testNow) {
					t.Errorf("FirstFeedbackAt = %v, want kept at %v", c.FirstFeedbackAt, testNow)
				}
			},
		},
		{
			name: "SetStep", typ: app.TypeKorkort,
			fn:         func(c *app.Case) ([]app.Event, error) { return c.SetStep(app.StepMelior, true, hsaOther, now) },
			wantStatus: app.StatusNy,
			wantKinds:  []app.EventKind{app.EventStepDone},
			check: func(t *testing.T, c *app.Case) {
				if s, ok := c.Steps[app.StepMelior]; !ok || s.By != hsaOther {
					t.Errorf("step melior = %+v, %v", s, ok)
				}
				if !c.MeliorWarning() {
					t.Errorf("no Melior warning on a documented, unclosed case")
				}
			},
		},
		{
			name: "SetStepUndo", typ: app.TypeKorkort,
			prep:       func(c *app.Case) ([]app.Event, error) { return c.SetStep("diktat", true, hsaOther, testNow) },
			fn:         func(c *app.Case) ([]app.Event, error) { return c.SetStep("diktat", false, hsaOther, now) },
			wantStatus: app.StatusNy,
			wantKinds:  []app.EventKind{app.EventStepUndone},
			check: func(t *testing.T, c *app.Case) {
				if len(c.Steps) != 0 {
					t.Errorf("steps %v after undo", c.Steps)
				}
			},
		},
		{
			name: "Reroute", typ: app.TypeVABUnder12,
			prep: func(c *app.Case) ([]app.Event, error) {
				ev1, _ := c.Delsvar(hsaMe, testNow) // ticks "delsvar"; feedback, not the doctor flow's step
				ev2, err := c.SetStep("intyg-skrivet", true, hsaMe, testNow)
				return append(ev1, ev2...), err
			},
			fn:         func(c *app.Case) ([]app.Event, error) { return c.Reroute(app.TypeVAB1216, hsaMe, now) },
			wantStatus: app.StatusPagaende,
			wantKinds:  []app.EventKind{app.EventRerouted},
			check: func(t *testing.T, c *app.Case) {
				if c.Type != app.TypeVAB1216 {
					t.Errorf("Type = %q", c.Type)
				}
				// Issue 12: the new type's checklist starts empty; the
				// feedback clock stays.
				if len(c.Steps) != 0 || c.FirstFeedbackAt == nil {
					t.Errorf("steps after reroute = %v, first feedback %v; want none, kept", c.Steps, c.FirstFeedbackAt)
				}
				if c.DueDate != app.D(2026, 12, 2) {
					t.Errorf("due date changed by reroute: %v", c.DueDate)
				}
			},
		},
		{
			name: "AddNote", typ: app.TypeAvbokaOmboka,
			fn: func(c *app.Case) ([]app.Event, error) {
				return c.AddNote("  Ringt vårdnadshavaren; återkommer.  ", hsaMe, now)
			},
			wantStatus: app.StatusNy,
			wantKinds:  []app.EventKind{app.EventNote},
		},
		{
			name: "ChooseBranch", typ: app.TypeAvbokaOmboka,
			fn:         func(c *app.Case) ([]app.Event, error) { return c.ChooseBranch("ny-tid", hsaMe, now) },
			wantStatus: app.StatusNy,
			wantKinds:  []app.EventKind{app.EventBranch},
			check: func(t *testing.T, c *app.Case) {
				if c.Branch != "ny-tid" {
					t.Errorf("Branch = %q", c.Branch)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			c := mustCreate(t, db, newCase(db, tt.typ, sthlm(2026, 11, 30, 9, 0)))
			if tt.prep != nil {
				if _, err := db.UpdateCase(ctx, c.ID, hsaMe, tt.prep); err != nil {
					t.Fatalf("prep: %v", err)
				}
			}
			before := mustEvents(t, db, c.ID)
			setClock(db, now)
			got, err := db.UpdateCase(ctx, c.ID, hsaMe, tt.fn)
			if err != nil {
				t.Fatal(err)
			}
			stored := mustCase(t, db, c.ID)
			if d := diffCase(stored, got); d != "" {
				t.Errorf("stored case differs from the one UpdateCase returned: %s", d)
			}
			if stored.Status != tt.wantStatus {
				t.Errorf("Status = %q, want %q", stored.Status, tt.wantStatus)
			}
			if tt.check != nil {
				tt.check(t, stored)
			}
			after := mustEvents(t, db, c.ID)
			if len(after) < len(before) {
				t.Fatalf("events went from %d to %d", len(before), len(after))
			}
			added := after[len(before):]
			if !slices.Equal(eventKinds(added), tt.wantKinds) {
				t.Errorf("added events %v, want %v", eventKinds(added), tt.wantKinds)
			}
			for _, e := range added {
				if e.CaseID != c.ID || !e.At.Equal(now) || e.Actor == "" {
					t.Errorf("event %+v: want case %d at %v with an actor", e, c.ID, now)
				}
			}
			if tt.name == "AddNote" && (len(added) != 1 || added[0].Detail != "Ringt vårdnadshavaren; återkommer.") {
				t.Errorf("note event %+v", added)
			}
			mustIntegrity(t, db)
		})
	}
}

// An error from fn, from the domain or from validation stores nothing,
// even when fn changed the case before it failed.
func TestUpdateCaseErr(t *testing.T) {
	ctx := context.Background()
	errBoom := errors.New("avbrutet av testet")
	tests := []struct {
		name     string
		id       func(c *app.Case) int64
		fn       func(c *app.Case) ([]app.Event, error)
		wantCode string
		wantErr  error
	}{
		{
			name: "ErrFn",
			fn: func(c *app.Case) ([]app.Event, error) {
				c.Assign(hsaOther, hsaMe, testNow)
				c.AddNote("ska inte sparas", hsaMe, testNow)
				return nil, errBoom
			},
			wantCode: app.EINTERNAL,
			wantErr:  errBoom,
		},
		{
			name: "ErrConflict",
			fn: func(c *app.Case) ([]app.Event, error) {
				c.Delsvar(hsaMe, testNow)
				return c.Reopen(hsaMe, testNow) // the case is not closed
			},
			wantCode: app.ECONFLICT,
		},
		{
			name: "ErrInvalid",
			fn: func(c *app.Case) ([]app.Event, error) {
				c.Type = "ingen-sadan-typ" // saveCase validates
				c.Status = app.StatusPagaende
				return []app.Event{{Kind: app.EventNote, Actor: hsaMe, At: testNow, Detail: "x"}}, nil
			},
			wantCode: app.EINVALID,
		},
		{
			name: "ErrNotFound",
			id:   func(c *app.Case) int64 { return c.ID + 100 },
			fn: func(c *app.Case) ([]app.Event, error) {
				panic("fn called for a case that does not exist")
			},
			wantCode: app.ENOTFOUND,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			c := newCase(db, app.TypeSkickaMeddelande, sthlm(2026, 11, 30, 9, 0))
			c.PatientPnr = testPnr(t, "20150101", 990) // so a stored change would be audited
			mustCreate(t, db, c)
			want := mustCase(t, db, c.ID)
			evBefore := len(mustEvents(t, db, c.ID))
			id := c.ID
			if tt.id != nil {
				id = tt.id(c)
			}
			got, err := db.UpdateCase(ctx, id, hsaMe, tt.fn)
			wantCode(t, err, tt.wantCode)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if got != nil {
				t.Errorf("UpdateCase returned a case with the error: %+v", got)
			}
			if d := diffCase(mustCase(t, db, c.ID), want); d != "" {
				t.Errorf("case changed by a failed update: %s", d)
			}
			if n := len(mustEvents(t, db, c.ID)); n != evBefore {
				t.Errorf("events %d after a failed update, want %d", n, evBefore)
			}
			if n := countRows(t, db, "case_events"); n != evBefore {
				t.Errorf("case_events has %d rows, want %d", n, evBefore)
			}
			if n := countRows(t, db, "audit_log"); n != 0 {
				t.Errorf("audit_log has %d rows after a failed update", n)
			}
		})
	}
}

func TestEvents(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := mustCreate(t, db, newCase(db, app.TypeVABUnder12, sthlm(2026, 11, 30, 9, 0)))
	b := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 5)))

	// Interleave the two cases' histories; each must come back alone and
	// in the order it happened, even where the clock stands still or an
	// event's own time is earlier than the one before.
	steps := []struct {
		id int64
		at time.Time
		fn func(c *app.Case) ([]app.Event, error)
	}{
		{a.ID, testNow.Add(1 * time.Minute), func(c *app.Case) ([]app.Event, error) { return c.Assign(hsaMe, hsaOther, testNow.Add(time.Minute)) }},
		{b.ID, testNow.Add(2 * time.Minute), func(c *app.Case) ([]app.Event, error) {
			return c.AddNote("b-anteckning", hsaMe, testNow.Add(2*time.Minute))
		}},
		{a.ID, testNow.Add(3 * time.Minute), func(c *app.Case) ([]app.Event, error) { return c.Delsvar(hsaMe, testNow.Add(3*time.Minute)) }},
		{a.ID, testNow.Add(3 * time.Minute), func(c *app.Case) ([]app.Event, error) {
			return c.AddNote("samma minut", hsaMe, testNow.Add(3*time.Minute))
		}},
		{a.ID, testNow.Add(4 * time.Minute), func(c *app.Case) ([]app.Event, error) { return c.Close(hsaMe, testNow.Add(4*time.Minute)) }},
	}
	for _, s := range steps {
		setClock(db, s.at)
		if _, err := db.UpdateCase(ctx, s.id, hsaMe, s.fn); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("OK", func(t *testing.T) {
		evs := mustEvents(t, db, a.ID)
		want := []app.EventKind{app.EventReceived, app.EventAssigned, app.EventDelsvar, app.EventStepDone,
			app.EventNote, app.EventSvar, app.EventStepDone}
		if !slices.Equal(eventKinds(evs), want) {
			t.Fatalf("events of a: %v, want %v", eventKinds(evs), want)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].ID <= evs[i-1].ID || evs[i].At.Before(evs[i-1].At) {
				t.Errorf("event %d (%d at %v) not after event %d (%d at %v)", i, evs[i].ID, evs[i].At, i-1, evs[i-1].ID, evs[i-1].At)
			}
			if evs[i].CaseID != a.ID {
				t.Errorf("event %d belongs to case %d", i, evs[i].CaseID)
			}
		}
		if evs[1].Detail != hsaMe || evs[1].Actor != hsaOther {
			t.Errorf("assigned event %+v", evs[1])
		}
		if evs[6].Detail != "besvarat" {
			t.Errorf("last step-done detail %q, want besvarat", evs[6].Detail)
		}
		bevs := mustEvents(t, db, b.ID)
		if !slices.Equal(eventKinds(bevs), []app.EventKind{app.EventReceived, app.EventNote}) || bevs[1].Detail != "b-anteckning" {
			t.Errorf("events of b: %+v", bevs)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		// A case with no history has no events; Events does not fail.
		evs, err := db.Events(ctx, b.ID+100)
		if err != nil || len(evs) != 0 {
			t.Errorf("Events of a missing case = %v, %v", evs, err)
		}
	})
}

// caseFixture is a small inbox on testToday (Tuesday 2026-12-01): every
// view, type group, status and search field has a case that matches and
// one that does not.
type caseFixture struct {
	db *data.DB
	id map[string]int64 // by label
}

func (f *caseFixture) label(id int64) string {
	for l, x := range f.id {
		if x == id {
			return l
		}
	}
	return fmt.Sprint(id)
}

func (f *caseFixture) labels(cs []*app.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, f.label(c.ID))
	}
	return out
}

func newCaseFixture(t *testing.T) *caseFixture {
	t.Helper()
	db := MustOpenDB(t)
	f := &caseFixture{db: db, id: map[string]int64{}}
	ptr := func(t time.Time) *time.Time { return &t }
	specs := []struct {
		label    string
		typ      string
		unit     string
		ref      string
		received time.Time
		status   app.Status
		assignee string
		feedback *time.Time
		closed   *time.Time
		note     string
	}{
		// Overdue: received Wed 25/11, due Fri 27/11, no feedback.
		{"A", app.TypeFornyaRecept, "BUP Testköping", "R-100", sthlm(2026, 11, 25, 10, 0), app.StatusNy, "", nil, nil, ""},
		// Due today: received Fri 27/11, due Tue 1/12.
		{"B", app.TypeVABUnder12, "BUP Provstad", "R-101", sthlm(2026, 11, 27, 8, 0), app.StatusFordelad, hsaMe, nil, nil, ""},
		// Due tomorrow, answered.
		{"C", app.TypeKorkort, "BUP Testköping", "R-102", sthlm(2026, 11, 30, 9, 0), app.StatusPagaende, hsaOther, ptr(sthlm(2026, 11, 30, 13, 0)), nil, ""},
		// Past its due date but answered: not overdue.
		{"D", app.TypeAvbokaOmboka, "BUP Provstad", "", sthlm(2026, 11, 24, 9, 0), app.StatusPagaende, hsaMe, ptr(sthlm(2026, 11, 25, 9, 0)), nil, ""},
		// Closed first.
		{"E", app.TypeJournalkopia, "BUP Annanstad", "R-104", sthlm(2026, 11, 20, 9, 0), app.StatusAvslutad, hsaOther, ptr(sthlm(2026, 11, 23, 9, 0)), ptr(sthlm(2026, 11, 23, 9, 0)), ""},
		// Due today, later the same day as B; a note to search.
		{"F", app.TypeSkickaMeddelande, "", "X-200", sthlm(2026, 11, 27, 12, 0), app.StatusNy, "", nil, nil, "Vårdnadshavare RINGDE om ny tid"},
		// Overdue, the same due date as A but received earlier.
		{"G", app.TypeOkand, "", "", sthlm(2026, 11, 25, 8, 0), app.StatusNy, "", nil, nil, ""},
		// Closed later than E.
		{"H", app.TypeEgenremiss, "BUP Annanstad", "X_201", sthlm(2026, 11, 26, 9, 0), app.StatusAvslutad, hsaMe, ptr(sthlm(2026, 11, 30, 9, 0)), ptr(sthlm(2026, 11, 30, 9, 0)), ""},
	}
	for _, s := range specs {
		c := newCase(db, s.typ, s.received)
		c.Unit, c.Reference, c.Status, c.Assignee = s.unit, s.ref, s.status, s.assignee
		c.FirstFeedbackAt, c.ClosedAt = s.feedback, s.closed
		if s.closed != nil {
			// Closed with every step done: no efterarbete left.
			for _, st := range c.Flow().StepsFor(c.Branch) {
				c.Steps[st.Key] = app.StepState{By: s.assignee, At: *s.closed}
			}
		}
		mustCreate(t, db, c)
		f.id[s.label] = c.ID
		if s.note != "" {
			if _, err := db.UpdateCase(context.Background(), c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
				return c.AddNote(s.note, hsaMe, testNow)
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func TestCases(t *testing.T) {
	ctx := context.Background()
	f := newCaseFixture(t)
	tests := []struct {
		name   string
		filter app.CaseFilter
		want   []string // labels in order
		total  int      // 0: len(want)
	}{
		// Views. "Mest brådskande först" (issue 12): overdue, due today,
		// then the cases owing no feedback by due date, the closed last;
		// within each by date, then received time.
		{"ViewDefault", app.CaseFilter{Today: testToday}, []string{"G", "A", "B", "F", "D", "C"}, 0},
		{"ViewOpen", app.CaseFilter{View: app.ViewOpen, Today: testToday}, []string{"G", "A", "B", "F", "D", "C"}, 0},
		{"ViewMine", app.CaseFilter{View: app.ViewMine, Me: hsaMe, Today: testToday}, []string{"B", "D"}, 0},
		{"ViewMineOther", app.CaseFilter{View: app.ViewMine, Me: hsaOther, Today: testToday}, []string{"C"}, 0},
		{"ViewMineNobody", app.CaseFilter{View: app.ViewMine, Today: testToday}, nil, 0},
		{"ViewUnassigned", app.CaseFilter{View: app.ViewUnassigned, Today: testToday}, []string{"G", "A", "F"}, 0},
		{"ViewOverdue", app.CaseFilter{View: app.ViewOverdue, Today: testToday}, []string{"G", "A"}, 0},
		{"ViewOverdueTomorrow", app.CaseFilter{View: app.ViewOverdue, Today: testToday.AddDays(1)}, []string{"G", "A", "B", "F"}, 0},
		{"ViewDueToday", app.CaseFilter{View: app.ViewDueToday, Today: testToday}, []string{"B", "F"}, 0},
		{"ViewDueTodayFriday", app.CaseFilter{View: app.ViewDueToday, Today: app.D(2026, 11, 27)}, []string{"G", "A"}, 0},
		{"ViewClosed", app.CaseFilter{View: app.ViewClosed, Today: testToday}, []string{"H", "E"}, 0}, // last closed first
		{"ViewAll", app.CaseFilter{View: app.ViewAll, Today: testToday}, []string{"G", "A", "B", "F", "D", "C", "E", "H"}, 0},
		// Type, group, status, assignee.
		{"Type", app.CaseFilter{Type: app.TypeFornyaRecept}, []string{"A"}, 0},
		{"TypeClosedInOpenView", app.CaseFilter{Type: app.TypeJournalkopia}, nil, 0},
		{"TypeAll", app.CaseFilter{View: app.ViewAll, Type: app.TypeJournalkopia}, []string{"E"}, 0},
		{"TypeMine", app.CaseFilter{View: app.ViewMine, Me: hsaMe, Type: app.TypeVABUnder12}, []string{"B"}, 0},
		{"GroupLakare", app.CaseFilter{Group: app.GroupIntygLakare}, []string{"C"}, 0},
		{"GroupSjukskoterska", app.CaseFilter{Group: app.GroupIntygSjukskoterska}, []string{"A", "B"}, 0},
		{"GroupOvrigaAll", app.CaseFilter{View: app.ViewAll, Group: app.GroupOvriga}, []string{"F", "D", "E", "H"}, 0},
		{"GroupUnknown", app.CaseFilter{View: app.ViewAll, Group: "Ingen sådan grupp"}, nil, 0},
		{"StatusNy", app.CaseFilter{Status: app.StatusNy}, []string{"G", "A", "F"}, 0},
		{"StatusPagaende", app.CaseFilter{Status: app.StatusPagaende}, []string{"D", "C"}, 0},
		{"StatusAvslutadAll", app.CaseFilter{View: app.ViewAll, Status: app.StatusAvslutad}, []string{"E", "H"}, 0},
		{"Assignee", app.CaseFilter{View: app.ViewAll, Assignee: hsaOther}, []string{"C", "E"}, 0},
		// Search: reference, unit, type name, note; any case.
		{"SearchReference", app.CaseFilter{Search: "R-100"}, []string{"A"}, 0},
		{"SearchReferencePart", app.CaseFilter{Search: "r-10"}, []string{"A", "B", "C"}, 0},
		{"SearchReferenceAll", app.CaseFilter{View: app.ViewAll, Search: "r-10"}, []string{"A", "B", "C", "E"}, 0},
		{"SearchUnit", app.CaseFilter{Search: "testköping"}, []string{"A", "C"}, 0},
		{"SearchUnitUpper", app.CaseFilter{Search: "  BUP PROVSTAD "}, []string{"B", "D"}, 0},
		{"SearchTypeName", app.CaseFilter{Search: "recept"}, []string{"A"}, 0},
		{"SearchTypeNameNoDiacritics", app.CaseFilter{Search: "Vard av barn"}, []string{"B"}, 0},
		{"SearchTypeNameAll", app.CaseFilter{View: app.ViewAll, Search: "journalkopia"}, []string{"E"}, 0},
		{"SearchNote", app.CaseFilter{Search: "ringde"}, []string{"F"}, 0},
		{"SearchNoteUpper", app.CaseFilter{Search: "NY TID"}, []string{"F"}, 0},
		{"SearchNoMatch", app.CaseFilter{Search: "finns-inte"}, nil, 0},
		// LIKE wildcards in the search are literal characters.
		{"SearchPercent", app.CaseFilter{View: app.ViewAll, Search: "%"}, nil, 0},
		{"SearchUnderscore", app.CaseFilter{View: app.ViewAll, Search: "x_2"}, []string{"H"}, 0},
		{"SearchWithFilter", app.CaseFilter{Search: "testköping", Status: app.StatusNy}, []string{"A"}, 0},
		// Pages: the total counts every match.
		{"Limit", app.CaseFilter{Limit: 2, Today: testToday}, []string{"G", "A"}, 6},
		{"LimitOffset", app.CaseFilter{Limit: 2, Offset: 2, Today: testToday}, []string{"B", "F"}, 6},
		{"LimitLastPage", app.CaseFilter{Limit: 4, Offset: 4, Today: testToday}, []string{"D", "C"}, 6},
		{"OffsetPastEnd", app.CaseFilter{Limit: 2, Offset: 10}, nil, 6},
		{"LimitClosed", app.CaseFilter{View: app.ViewClosed, Limit: 1, Offset: 1}, []string{"E"}, 2},
		{"LimitAll", app.CaseFilter{View: app.ViewAll, Limit: 3, Offset: 1, Today: testToday}, []string{"A", "B", "F"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, total, err := f.db.Cases(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.labels(cs); !slices.Equal(got, tt.want) {
				t.Errorf("cases %v, want %v", got, tt.want)
			}
			wantTotal := tt.total
			if wantTotal == 0 {
				wantTotal = len(tt.want)
			}
			if total != wantTotal {
				t.Errorf("total %d, want %d", total, wantTotal)
			}
		})
	}

	t.Run("RowsAreWholeCases", func(t *testing.T) {
		cs, _, err := f.db.Cases(ctx, app.CaseFilter{View: app.ViewAll})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			want := mustCase(t, f.db, c.ID)
			want.Steps = map[string]app.StepState{} // lists carry no steps
			if d := diffCase(c, want); d != "" {
				t.Errorf("%s in the list: %s", f.label(c.ID), d)
			}
		}
	})

	t.Run("Counts", func(t *testing.T) {
		tests := []struct {
			name  string
			me    string
			today app.Date
			want  app.CaseCounts
		}{
			// D (received Tue 24/11, nothing done since) has had no
			// action for 5 working days on Tue 1/12; A and G (Wed 25/11)
			// have from Wed 2/12.
			{"Me", hsaMe, testToday, app.CaseCounts{New: 3, Mine: 2, Overdue: 2, DueToday: 2, Open: 6, Stale: 1}},
			{"Other", hsaOther, testToday, app.CaseCounts{New: 3, Mine: 1, Overdue: 2, DueToday: 2, Open: 6, Stale: 1}},
			{"Tomorrow", hsaMe, testToday.AddDays(1), app.CaseCounts{New: 3, Mine: 2, Overdue: 4, DueToday: 0, Open: 6, Stale: 3}},
			{"Friday", hsaThird, app.D(2026, 11, 27), app.CaseCounts{New: 3, Mine: 0, Overdue: 0, DueToday: 2, Open: 6}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.db.Counts(ctx, tt.me, tt.today)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("Counts = %+v, want %+v", got, tt.want)
				}
				// The counters agree with the views they stand for.
				for view, n := range map[string]int{app.ViewMine: got.Mine, app.ViewOverdue: got.Overdue,
					app.ViewDueToday: got.DueToday, app.ViewOpen: got.Open} {
					_, total, err := f.db.Cases(ctx, app.CaseFilter{View: view, Me: tt.me, Today: tt.today})
					if err != nil {
						t.Fatal(err)
					}
					if total != n {
						t.Errorf("view %s has %d cases, counter says %d", view, total, n)
					}
				}
			})
		}
	})

	t.Run("Empty", func(t *testing.T) {
		db := MustOpenDB(t)
		cs, total, err := db.Cases(ctx, app.CaseFilter{View: app.ViewAll, Limit: 10})
		if err != nil || len(cs) != 0 || total != 0 {
			t.Errorf("Cases on an empty database = %v, %d, %v", cs, total, err)
		}
		got, err := db.Counts(ctx, hsaMe, testToday)
		if err != nil || got != (app.CaseCounts{}) {
			t.Errorf("Counts on an empty database = %+v, %v", got, err)
		}
	})
	mustIntegrity(t, f.db)
}

// Search ignores case in Swedish text too: staff type "östby" for
// "BUP Östby", or search with the very text the case shows.
func TestCasesSearchSwedishLetters(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	c := newCase(db, app.TypeFornyaRecept, sthlm(2026, 11, 30, 9, 0))
	c.Unit = "BUP Östby"
	mustCreate(t, db, c)
	if _, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
		return c.AddNote("Återkommer efter ÄRENDE i Melior", hsaMe, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Östby", "östby", "ÖSTBY", "återkommer", "Återkommer", "ärende"} {
		t.Run(s, func(t *testing.T) {
			cs, total, err := db.Cases(ctx, app.CaseFilter{Search: s})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(cs) != 1 || cs[0].ID != c.ID {
				t.Errorf("search %q found %d cases, want the one case", s, total)
			}
		})
	}
}
