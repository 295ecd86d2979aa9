// Package intake turns 1177 notices in an IMAP mailbox into cases, each
// exactly once: it catches up by UID from where the store says it stands,
// commits each batch's cases, ledger rows and sync state together, and then
// waits for pushes with IDLE, reconnecting with backoff when the connection
// fails.
//
// Several desks may run intake on one shared mailbox; the store's lease
// (app.IntakeLeaser) lets exactly one of them fetch at a time, and the
// others wait to take over.
//
// It never logs and never sets imapclient's DebugWriter: the wire carries
// the password and the messages carry patient data.
package intake

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"arendestod/app"
)

// Progress is how far a catch-up has come: Done of Total messages.
type Progress struct{ Done, Total int }

// Defaults of Options.
const (
	// 500, not 200: a catch-up of 10,000 notices runs about a third
	// faster on both backends (BENCHMARKS.md, session 4: each batch is a
	// FETCH round trip and a commit), and a batch is still a tenth of a
	// second's work; BatchBytes bounds its memory.
	defaultBatchSize  = 500
	defaultBatchBytes = 32 << 20
	defaultWatchdog   = 60 * time.Second
	defaultMinBackoff = time.Second
	defaultMaxBackoff = 5 * time.Minute
	defaultLeaseRetry = 10 * time.Second
)

// Store is what intake needs from storage: where the notices go
// (app.NoticeStore), the clinic's settings (the allowed sender domains),
// and the lease that decides which of several desks fetches a shared
// mailbox (data.DB). The desks that do not hold the lease wait, ask again
// every Options.LeaseRetry, and take over when the holder stops or dies.
// The ledger's unique key stays the last guard against a notice stored
// twice.
type Store interface {
	app.NoticeStore
	app.SettingsStore
	app.IntakeLeaser
}

// Options configures an Intake. Store is required.
type Options struct {
	Store     Store
	BatchSize int // messages per fetch and per transaction; default 500
	// BatchBytes bounds a batch's bytes as well (by RFC822.SIZE, each
	// message counted at most app.MaxMessageBytes): default 32 MiB.
	BatchBytes int64
	// Senders returns the sender domains notices are accepted from; a
	// notice from any other sender is quarantined (app.ScreenSender). nil
	// means the domains saved in the store's settings (app.SenderDomains).
	Senders func(ctx context.Context) ([]string, error)
	// OnCase is called after commit for each new or updated case.
	OnCase func(r app.IngestResult, n *app.Notice)
	// OnProgress is called during a catch-up, after each batch.
	OnProgress func(p Progress)
	// OnState is called when the connection state changes. err is set for
	// app.IntakeError and has a Swedish message (app.ErrorMessage). A failing
	// connection is reported once per streak of failures, not on every
	// retry.
	OnState func(s app.IntakeState, err error)
	Now     func() time.Time
	// WatchdogInterval is how often an idle connection is proven alive
	// with a NOOP; a command that gets no byte from the server for half of
	// it fails. A silently dead connection is noticed within 1.5 intervals.
	// Default 60 s.
	WatchdogInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait between reconnects, which
	// doubles on each failure, with jitter. Defaults 1 s and 5 min.
	MinBackoff, MaxBackoff time.Duration
	// LeaseRetry is how often a desk that does not hold the lease (another
	// desk fetches; state app.IntakeElsewhere) asks for it again: after
	// between half and all of it, with jitter. Default 10 s.
	LeaseRetry time.Duration
}

// Intake brings one account's notices into the store.
type Intake struct {
	acc  app.IMAPAccount
	opt  Options
	wake chan struct{}

	stateMu sync.Mutex
	last    app.IntakeState
}

// New returns an Intake for acc. It does not connect.
func New(acc app.IMAPAccount, opt Options) *Intake {
	if opt.BatchSize <= 0 {
		opt.BatchSize = defaultBatchSize
	}
	if opt.BatchBytes <= 0 {
		opt.BatchBytes = defaultBatchBytes
	}
	if opt.Senders == nil && opt.Store != nil {
		s := opt.Store
		opt.Senders = func(ctx context.Context) ([]string, error) { return app.SenderDomains(ctx, s) }
	}
	if opt.WatchdogInterval <= 0 {
		opt.WatchdogInterval = defaultWatchdog
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = defaultMinBackoff
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = defaultMaxBackoff
	}
	opt.MaxBackoff = max(opt.MaxBackoff, opt.MinBackoff)
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.LeaseRetry <= 0 {
		opt.LeaseRetry = defaultLeaseRetry
	}
	return &Intake{acc: acc, opt: opt, wake: make(chan struct{}, 1)}
}

func (in *Intake) cmdTimeout() time.Duration { return in.opt.WatchdogInterval / 2 }

func (in *Intake) state(s app.IntakeState, err error) {
	in.stateMu.Lock()
	changed := s != in.last || err != nil
	in.last = s
	in.stateMu.Unlock()
	if changed && in.opt.OnState != nil {
		in.opt.OnState(s, err)
	}
}

// SyncNow wakes a running Watch to catch up at once, also in the middle of
// a wait before reconnecting. It never blocks.
func (in *Intake) SyncNow() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// SyncOnce connects, brings in every message not yet seen, and disconnects.
// When another desk holds the lease it fetches nothing and
// returns an ECONFLICT error saying so.
func (in *Intake) SyncOnce(ctx context.Context) (app.IngestSummary, error) {
	var sum app.IngestSummary
	if err := in.check(); err != nil {
		in.state(app.IntakeError, err)
		return sum, err
	}
	lease, err := in.acquire(ctx)
	if err != nil {
		if ctx.Err() != nil {
			in.state(app.IntakeStopped, nil)
			return sum, ctx.Err()
		}
		in.state(app.IntakeError, err)
		return sum, err
	}
	if lease == nil {
		in.state(app.IntakeElsewhere, nil)
		return sum, app.Errorf(app.ECONFLICT, "%s Den hämtar det som är nytt; försök igen senare om du vill hämta här.",
			app.IntakeElsewhere.Text(nil))
	}
	defer lease.Release()
	outer := ctx
	ctx, stop := whileHeld(ctx, lease)
	defer stop()
	in.state(app.IntakeConnecting, nil)
	fail := func(err error) (app.IngestSummary, error) {
		if outer.Err() != nil {
			in.state(app.IntakeStopped, nil)
			return sum, outer.Err()
		}
		if ctx.Err() != nil {
			err = app.Errorf(app.EINTERNAL, "Anslutningen till databasen bröts under hämtningen; det som hann sparas är sparat. Försök igen.")
			in.state(app.IntakeError, err)
			return sum, err
		}
		err = classify(ctx, in.acc, "session", err)
		in.state(app.IntakeError, err)
		return sum, err
	}
	k, err := dial(ctx, in.acc, in.cmdTimeout())
	if err != nil {
		return fail(err)
	}
	defer k.close()
	in.state(app.IntakeFetching, nil)
	var cur cursor
	if _, err := in.catchUp(ctx, k, &cur, &sum); err != nil {
		return fail(err)
	}
	k.logout()
	in.state(app.IntakeStopped, nil)
	return sum, nil
}

// Watch catches up, then waits in IDLE for new mail and catches up again on
// every push. On any failure it reconnects with exponential backoff and
// jitter. It returns nil when ctx is cancelled, and an error only when the
// account or options are invalid.
//
// It connects only while it holds the lease: while
// another desk holds it, it reports app.IntakeElsewhere and asks again
// every Options.LeaseRetry (with jitter), and when the lease is lost it
// stops fetching at once and asks again.
func (in *Intake) Watch(ctx context.Context) error {
	if err := in.check(); err != nil {
		in.state(app.IntakeError, err)
		return err
	}
	backoff := in.opt.MinBackoff
	failing := false
	for {
		lease, err := in.acquire(ctx)
		if err == nil && lease == nil {
			// Another desk fetches. Ask again in a while: it may have
			// stopped, or its computer died and the server let go.
			failing = false
			in.state(app.IntakeElsewhere, nil)
			if !in.sleep(ctx, jitter(in.opt.LeaseRetry)) {
				in.state(app.IntakeStopped, nil)
				return nil
			}
			continue
		}
		var progressed, lost bool
		if err == nil {
			progressed, lost, err = in.leased(ctx, lease, &failing)
		}
		if ctx.Err() != nil {
			in.state(app.IntakeStopped, nil)
			return nil
		}
		if progressed {
			backoff = in.opt.MinBackoff
		}
		switch {
		case lost:
			// The database connection that held the lease failed: another
			// desk may be fetching now. Ask again after a short wait.
			in.state(app.IntakeConnecting, nil)
			failing = false
		case !failing:
			failing = true
			in.state(app.IntakeError, classify(ctx, in.acc, "session", err))
		}
		// Equal jitter: wait between half and all of the backoff, so that
		// many clients cut off together do not come back together.
		wait := jitter(backoff)
		if lost {
			wait = jitter(in.opt.MinBackoff)
		} else {
			backoff = min(2*backoff, in.opt.MaxBackoff)
		}
		if !in.sleep(ctx, wait) {
			in.state(app.IntakeStopped, nil)
			return nil
		}
	}
}

// jitter is between half and all of d.
func jitter(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) }

// sleep waits d, or less when SyncNow is called. It reports false when
// ctx ends first.
func (in *Intake) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-in.wake:
	case <-t.C:
	}
	return true
}

// acquire asks the store for the lease on the account's mailbox: nil and
// no error when another desk holds it.
func (in *Intake) acquire(ctx context.Context) (app.IntakeLease, error) {
	return in.opt.Store.AcquireIntakeLease(ctx, in.acc.Key())
}

// whileHeld returns a context that ends with ctx or when lease is lost.
func whileHeld(ctx context.Context, lease app.IntakeLease) (context.Context, context.CancelFunc) {
	lctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-lease.Lost():
			cancel()
		case <-lctx.Done():
		}
	}()
	return lctx, cancel
}

// leased runs sessions while holding lease: one session, which ends on a
// failure or when the lease is lost (lost). The lease is released after.
func (in *Intake) leased(ctx context.Context, lease app.IntakeLease, failing *bool) (progressed, lost bool, err error) {
	lctx, stop := whileHeld(ctx, lease)
	progressed, err = in.session(lctx, failing)
	stop()
	lease.Release()
	select {
	case <-lease.Lost():
		lost = ctx.Err() == nil
	default:
	}
	return progressed, lost, err
}

func (in *Intake) check() error {
	if in.opt.Store == nil {
		return app.Errorf(app.EINTERNAL, "intake: Options.Store saknas")
	}
	return in.acc.Validate()
}

// session is one connection's life: catch up, then IDLE and catch up on
// every push until something fails. progressed reports whether it stored
// anything or caught up completely, which resets the backoff.
func (in *Intake) session(ctx context.Context, failing *bool) (progressed bool, err error) {
	if !*failing {
		in.state(app.IntakeConnecting, nil)
	}
	k, err := dial(ctx, in.acc, in.cmdTimeout())
	if err != nil {
		return false, err
	}
	defer k.close()
	*failing = false
	in.state(app.IntakeFetching, nil)
	var cur cursor
	for {
		var sum app.IngestSummary
		stored, err := in.catchUp(ctx, k, &cur, &sum)
		progressed = progressed || stored
		if err != nil {
			return progressed, err
		}
		progressed = true
		in.state(app.IntakeWatching, nil)
		if err := k.idle(ctx, in.wake, in.opt.WatchdogInterval); err != nil {
			if ctx.Err() != nil {
				k.logout()
			}
			return progressed, err
		}
		in.state(app.IntakeFetching, nil)
	}
}

// cursor is where a session stands in the mailbox once it has caught up:
// within one selected session UIDs are stable, even on a server whose
// UIDVALIDITY is 0.
type cursor struct {
	started bool
	last    uint32
}
