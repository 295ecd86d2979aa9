package data_test

import (
	"context"
	"testing"
	"time"

	"arendestod/app"
)

// Issue 14, item 8: the inbox sorted by a column header, on both
// backends, a page at a time.
func TestInboxPageSorted(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for _, s := range []*app.Staff{
		{Name: "Örjan Ek", HSAID: hsaMe, Roles: []app.Role{app.RoleArendemottagare}},
		{Name: "Anna Berg", HSAID: hsaOther, Roles: []app.Role{app.RoleArendemottagare}},
	} {
		if err := db.AddStaff(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(typ, ref, unit string, day int, assignee string) int64 {
		c := newCase(db, typ, sthlm(2026, time.November, day, 9, 0))
		c.Reference, c.Unit = ref, unit
		mustCreate(t, db, c)
		if assignee != "" {
			if _, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
				return c.Assign(assignee, hsaMe, testNow)
			}); err != nil {
				t.Fatal(err)
			}
		}
		return c.ID
	}
	b := mk(app.TypeJournalkopia, "1177-3", "BUP Uddevalla", 27, hsaMe)      // Beställning journalkopia
	e := mk(app.TypeEgenremiss, "1177-1", "BUP Vänersborg", 30, "")          // Egenremiss
	f := mk(app.TypeFornyaRecept, "1177-2", "BUP Trollhättan", 25, hsaOther) // Förnya recept

	page := func(s app.InboxSort, offset, limit int) []int64 {
		t.Helper()
		rows, err := db.InboxPage(ctx, app.CaseFilter{View: app.ViewOpen, Today: testToday, Sort: s, Offset: offset}, nil, limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range rows {
			ids = append(ids, c.ID)
		}
		return ids
	}
	for _, tc := range []struct {
		sort app.InboxSort
		want []int64
	}{
		{app.InboxSort{Column: app.SortReference}, []int64{e, f, b}},
		{app.InboxSort{Column: app.SortReference, Desc: true}, []int64{b, f, e}},
		{app.InboxSort{Column: app.SortType}, []int64{b, e, f}},
		{app.InboxSort{Column: app.SortUnit}, []int64{f, b, e}},
		{app.InboxSort{Column: app.SortReceived}, []int64{f, b, e}},
		{app.InboxSort{Column: app.SortDue, Desc: true}, []int64{e, b, f}},
		{app.InboxSort{Column: app.SortStatus}, []int64{e, b, f}},   // ny before fördelad (id breaks the tie)
		{app.InboxSort{Column: app.SortAssignee}, []int64{e, f, b}}, // nobody, Anna, Örjan
	} {
		if got := page(tc.sort, 0, 10); !equalIDs(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.sort, got, tc.want)
		}
		// Two pages give the same order.
		got := append(page(tc.sort, 0, 2), page(tc.sort, 2, 2)...)
		if !equalIDs(got, tc.want) {
			t.Errorf("%+v in pages: %v, want %v", tc.sort, got, tc.want)
		}
	}
	// The view and a search still apply.
	rows, err := db.InboxPage(ctx, app.CaseFilter{View: app.ViewUnassigned, Today: testToday,
		Sort: app.InboxSort{Column: app.SortReference}}, nil, 10)
	if err != nil || len(rows) != 1 || rows[0].ID != e {
		t.Errorf("Ofördelade sorted: %v %v", rows, err)
	}
	rows, err = db.InboxPage(ctx, app.CaseFilter{View: app.ViewOpen, Today: testToday, Search: "uddevalla",
		Sort: app.InboxSort{Column: app.SortReference}}, nil, 10)
	if err != nil || len(rows) != 1 || rows[0].ID != b {
		t.Errorf("search sorted: %v %v", rows, err)
	}
}
