package data_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"arendestod/app"
)

// Markera som skickat registers once: a second mark of the same reply on
// the same case, with nothing in between, stores nothing, also when both
// presses reach the store at once.
func TestReplyMarkedSentOnce(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	c := mustCreate(t, db, newCase(db, app.TypeSkickaMeddelande, testNow.Add(-2*time.Hour)))
	reply := app.Reply{Key: "delsvar", Name: "Delsvar (allmänt)", Action: app.ReplyActionDelsvar}
	mark := func(seen int64) error {
		_, err := db.UpdateCaseIf(ctx, c.ID, hsaMe, seen, func(c *app.Case) ([]app.Event, error) {
			return c.SendReply(reply, hsaMe, db.Now())
		})
		return err
	}
	fresh, _ := db.Case(ctx, c.ID)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = mark(fresh.Version) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	countSent := func() int {
		evs, err := db.Events(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Kind == app.EventReplySent {
				n++
			}
		}
		return n
	}
	if n := countSent(); n != 1 {
		t.Fatalf("%d reply-sent events, want 1", n)
	}
	got, _ := db.Case(ctx, c.ID)
	if got.RecentReply != reply.Name {
		t.Errorf("recent reply %q", got.RecentReply)
	}
	// Once something else happened, the same reply is a new sending.
	noted, err := db.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
		return c.AddNote("ringde", hsaMe, db.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if noted.RecentReply != "" {
		t.Errorf("the case UpdateCase returned after a note still has recent reply %q", noted.RecentReply)
	}
	if got, _ := db.Case(ctx, c.ID); got.RecentReply != "" {
		t.Errorf("recent reply after a note %q", got.RecentReply)
	}
	if err := mark(0); err != nil {
		t.Fatal(err)
	}
	if n := countSent(); n != 2 {
		t.Errorf("%d reply-sent events after a note, want 2", n)
	}
}

func TestCaseUnits(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	for _, u := range []string{"BUP Vänersborg", "BUP Uddevalla", "", "BUP Uddevalla"} {
		c := newCase(db, app.TypeSkickaMeddelande, testNow.Add(-time.Hour))
		c.Unit = u
		mustCreate(t, db, c)
	}
	got, err := db.CaseUnits(ctx)
	if err != nil || !reflect.DeepEqual(got, []string{"BUP Uddevalla", "BUP Vänersborg"}) {
		t.Errorf("units %v %v", got, err)
	}
}
