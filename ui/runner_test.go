package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestRunnerQueued(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "fönstret")
	r := &runner{ctx: ctx, queued: true}
	var ran []string
	r.background(func(ctx context.Context) {
		ran = append(ran, "a:"+ctx.Value(key{}).(string))
		r.background(func(context.Context) { ran = append(ran, "c") }) // queued by work
	})
	r.background(func(context.Context) { ran = append(ran, "b") })
	if len(ran) != 0 {
		t.Fatalf("queued work ran at once: %v", ran)
	}
	if !r.runNext() || len(ran) != 1 || ran[0] != "a:fönstret" {
		t.Fatalf("runNext ran %v", ran)
	}
	if !r.settle() {
		t.Fatal("did not settle")
	}
	if got := len(ran); got != 3 || ran[1] != "b" || ran[2] != "c" {
		t.Fatalf("ran %v, want a, b, c in order", ran)
	}
	if r.runNext() {
		t.Error("runNext on an empty queue")
	}
}

func TestRunnerSettleGivesUp(t *testing.T) {
	r := &runner{ctx: context.Background(), queued: true}
	n := 0
	var again func(context.Context)
	again = func(context.Context) { n++; r.background(again) }
	r.background(again)
	if r.settle() {
		t.Fatal("work that queues itself forever settled")
	}
	if n < settleLimit {
		t.Errorf("gave up after %d pieces of work", n)
	}
}

func TestRunnerGoroutine(t *testing.T) {
	r := newRunner(context.Background())
	done := make(chan context.Context, 1)
	r.background(func(ctx context.Context) { done <- ctx })
	select {
	case ctx := <-done:
		if ctx != r.ctx {
			t.Error("work did not get the runner's context")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("work never ran")
	}
}

// calls records what a debounced action was called with.
type calls struct {
	mu  sync.Mutex
	got []string
}

func (c *calls) add(s string) { c.mu.Lock(); c.got = append(c.got, s); c.mu.Unlock() }

func (c *calls) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

func TestDebouncerAtOnce(t *testing.T) {
	var d debouncer // delay 0, as in tests
	var c calls
	d.call(func() { c.add("a") })
	d.call(func() { c.add("b") })
	if got := c.list(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("ran %v, want a and b at once", got)
	}
}

// A burst of calls runs the last action once, after the input is quiet.
func TestDebouncerBurst(t *testing.T) {
	test.NewTempApp(t)
	d := debouncer{delay: 40 * time.Millisecond}
	var c calls
	for _, s := range []string{"m", "me", "mel", "mela"} {
		d.call(func() { c.add(s) })
	}
	if got := c.list(); len(got) != 0 {
		t.Fatalf("ran before the delay: %v", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(c.list()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(4 * d.delay) // time for a superseded action to show up
	if got := c.list(); len(got) != 1 || got[0] != "mela" {
		t.Fatalf("ran %v, want only the last action once", got)
	}
}

func TestDebouncerStop(t *testing.T) {
	test.NewTempApp(t)
	d := debouncer{delay: 20 * time.Millisecond}
	var c calls
	d.call(func() { c.add("a") })
	d.stop()
	time.Sleep(5 * d.delay)
	if got := c.list(); len(got) != 0 {
		t.Fatalf("stopped action ran: %v", got)
	}
}
