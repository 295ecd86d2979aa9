package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// The one way screens work off the UI goroutine. A screen hands reads and
// writes to a runner (UI.background, or the *runner a screen is given),
// and puts what they return on screen through fyne.Do. Typing that starts
// work (a search field) goes through a debouncer first.

// runner runs background work. In the window each piece of work gets a
// goroutine of its own; in tests (queued) it waits in a queue until the
// test runs it with settle or runNext, so tests are deterministic and free
// of races.
type runner struct {
	// ctx is passed to the work: the window's context.
	ctx context.Context
	// queued makes work wait in queue; set it before any work is started.
	queued  bool
	queueMu sync.Mutex
	queue   []func(context.Context)
}

func newRunner(ctx context.Context) runner { return runner{ctx: ctx} }

// background runs work off the UI goroutine. work must touch widgets only
// through fyne.Do.
func (r *runner) background(work func(ctx context.Context)) {
	if r.queued {
		r.queueMu.Lock()
		r.queue = append(r.queue, work)
		r.queueMu.Unlock()
		return
	}
	go work(r.ctx)
}

// runNext runs the first queued work, on the caller's goroutine; false
// when the queue is empty.
func (r *runner) runNext() bool {
	r.queueMu.Lock()
	if len(r.queue) == 0 {
		r.queueMu.Unlock()
		return false
	}
	work := r.queue[0]
	r.queue = r.queue[1:]
	r.queueMu.Unlock()
	work(r.ctx)
	return true
}

// settleLimit is how much queued work settle runs before it gives up:
// work that keeps queueing more would never settle.
const settleLimit = 1000

// settle runs queued work, and the work it queues, until none is left;
// false when it does not end.
func (r *runner) settle() bool {
	for i := 0; r.runNext(); i++ {
		if i > settleLimit {
			return false
		}
	}
	return true
}

// debouncer runs an action once input has been quiet for delay: each call
// replaces the action waiting and starts the wait again. The action runs
// on the UI goroutine. With a delay of 0 (tests) it runs at once.
type debouncer struct {
	delay time.Duration

	mu    sync.Mutex
	timer *time.Timer
	seq   int // bumped by every call and stop: a superseded action is dropped
}

// call runs fn after the delay, unless call or stop comes first. Call it
// from the UI goroutine.
func (d *debouncer) call(fn func()) {
	d.mu.Lock()
	d.seq++
	seq := d.seq
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.delay <= 0 {
		d.mu.Unlock()
		fn()
		return
	}
	d.timer = time.AfterFunc(d.delay, func() {
		fyne.Do(func() {
			d.mu.Lock()
			current := seq == d.seq
			d.mu.Unlock()
			if current {
				fn()
			}
		})
	})
	d.mu.Unlock()
}

// stop drops the action waiting, if any.
func (d *debouncer) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seq++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}
