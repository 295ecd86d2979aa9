// Package intake turns 1177 notices in an IMAP mailbox into cases, each
// exactly once: it catches up by UID from where the store says it stands,
// commits each batch's cases, ledger rows and sync state together, and then
// waits for pushes with IDLE, reconnecting with backoff when the connection
// fails.
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
	defaultBatchSize  = 200
	defaultBatchBytes = 32 << 20
	defaultWatchdog   = 60 * time.Second
	defaultMinBackoff = time.Second
	defaultMaxBackoff = 5 * time.Minute
)

// Options configures an Intake. Store is required.
type Options struct {
	Store     app.NoticeStore
	BatchSize int // messages per fetch and per transaction; default 200
	// BatchBytes bounds a batch's bytes as well (by RFC822.SIZE, each
	// message counted at most app.MaxMessageBytes): default 32 MiB.
	BatchBytes int64
	// Senders returns the sender domains notices are accepted from; a
	// notice from any other sender is quarantined (app.ScreenSender). nil
	// means the domains saved in the store's settings (app.SenderDomains)
	// when Store keeps settings, else app.DefaultSenderDomains.
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
	if opt.Senders == nil {
		if s, ok := opt.Store.(app.SettingsStore); ok {
			opt.Senders = func(ctx context.Context) ([]string, error) { return app.SenderDomains(ctx, s) }
		} else {
			opt.Senders = func(context.Context) ([]string, error) { return app.DefaultSenderDomains, nil }
		}
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
func (in *Intake) SyncOnce(ctx context.Context) (app.IngestSummary, error) {
	var sum app.IngestSummary
	if err := in.check(); err != nil {
		in.state(app.IntakeError, err)
		return sum, err
	}
	in.state(app.IntakeConnecting, nil)
	fail := func(err error) (app.IngestSummary, error) {
		if ctx.Err() != nil {
			in.state(app.IntakeStopped, nil)
			return sum, ctx.Err()
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
func (in *Intake) Watch(ctx context.Context) error {
	if err := in.check(); err != nil {
		in.state(app.IntakeError, err)
		return err
	}
	backoff := in.opt.MinBackoff
	failing := false
	for {
		progressed, err := in.session(ctx, &failing)
		if ctx.Err() != nil {
			in.state(app.IntakeStopped, nil)
			return nil
		}
		if progressed {
			backoff = in.opt.MinBackoff
		}
		if !failing {
			failing = true
			in.state(app.IntakeError, classify(ctx, in.acc, "session", err))
		}
		// Equal jitter: wait between half and all of the backoff, so that
		// many clients cut off together do not come back together.
		wait := backoff/2 + rand.N(backoff/2+1)
		backoff = min(2*backoff, in.opt.MaxBackoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			in.state(app.IntakeStopped, nil)
			return nil
		case <-in.wake:
		case <-t.C:
		}
		t.Stop()
	}
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
