package data_test

import (
	"context"
	"testing"
	"time"

	"arendestod/app"
)

// Issue 14, item 6: which new cases a person has opened is kept per
// person in the store; a person's record starts at the newest case.
func TestSeenCases(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old := mustCreate(t, db, newCase(db, app.TypeEgenremiss, sthlm(2026, time.November, 30, 9, 0)))

	me, err := db.SeenCases(ctx, hsaMe)
	if err != nil {
		t.Fatal(err)
	}
	if me.After != old.ID || me.IsNew(old) {
		t.Fatalf("first record %+v: the case stored before is new", me)
	}
	a := mustCreate(t, db, newCase(db, app.TypeJournalkopia, sthlm(2026, time.December, 1, 8, 0)))
	b := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, sthlm(2026, time.December, 1, 9, 0)))
	// Someone who starts now sees none of them as new; I see both.
	other, err := db.SeenCases(ctx, hsaOther)
	if err != nil {
		t.Fatal(err)
	}
	if other.IsNew(a) || other.IsNew(b) {
		t.Errorf("a newcomer's record %+v marks old cases new", other)
	}
	if me, _ = db.SeenCases(ctx, hsaMe); !me.IsNew(a) || !me.IsNew(b) {
		t.Fatalf("record %+v: the cases after it are not new", me)
	}
	if err := db.MarkSeen(ctx, hsaMe, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSeen(ctx, hsaMe, a.ID); err != nil { // twice is once
		t.Fatal(err)
	}
	me, err = db.SeenCases(ctx, hsaMe)
	if err != nil {
		t.Fatal(err)
	}
	if me.IsNew(a) || !me.IsNew(b) || len(me.IDs) != 1 {
		t.Errorf("after opening a: %+v", me)
	}
	// Per person: the other's record did not change.
	if other2, _ := db.SeenCases(ctx, hsaOther); other2.After != other.After || len(other2.IDs) != 0 {
		t.Errorf("other's record %+v changed", other2)
	}
	// The HSA-ID is one person however it is written.
	if lower, _ := db.SeenCases(ctx, "  "+toLower(hsaMe)); lower.IsNew(a) {
		t.Error("the HSA-ID's case makes another record")
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
