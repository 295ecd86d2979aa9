package cli

import (
	"context"
	"runtime"
	"sync"

	"arendestod/app"
	"arendestod/app/intake"
)

// Window is the desktop window a run asks for: without a command, and in
// the demo. Main returns it with the store still open; main opens the
// window on the store that Env.Open gave, and calls Close when the window
// has closed. The command line itself never opens a window (it imports no
// Fyne).
type Window struct {
	// Demo marks the demo's window (its title says so).
	Demo bool
	// Intake is the intake running beside the window (the demo's). It is
	// nil on a plain start: main then starts the one of the account saved
	// in the settings (StartSavedIntake).
	Intake Intake
	// DBSource says where the run's database was chosen (DBFrom…), for
	// Inställningar → Databas.
	DBSource string
	// Login, when set, is the HSA-ID of the staff member the window signs
	// in as at once (the team demo's two windows; EnvDemoLogin).
	Login string

	// end, when set, stops what runs beside the window and prints the
	// run's last lines; it returns the run's error.
	end   func(windowErr error) error
	env   Env
	store Store
}

// Close ends the run once the window has closed, with the window's error:
// it stops what ran beside the window, closes the store, reports the error
// in Swedish on stderr and returns the exit status.
func (w *Window) Close(windowErr error) int {
	err := windowErr
	if w.end != nil {
		err = w.end(windowErr)
	}
	if w.store != nil {
		w.store.Close()
	}
	return report(w.env, err)
}

// Intake is what the window can do with the intake that runs beside it:
// fetch at once, and hear of new cases, of the connection's state and of a
// catch-up's progress. The callbacks run on the intake's goroutine: a
// window must hand widget changes to its UI thread. Each On… returns a
// function that unregisters fn.
type Intake interface {
	// SyncNow asks for a catch-up at once; it never blocks.
	SyncNow()
	// OnCase registers fn for each new or updated case.
	OnCase(fn func(r app.IngestResult, n *app.Notice)) (cancel func())
	// OnState registers fn for each change of the connection state; err is
	// set with app.IntakeError and has a Swedish message.
	OnState(fn func(state app.IntakeState, err error)) (cancel func())
	// OnProgress registers fn for a catch-up's progress: done of total.
	OnProgress(fn func(done, total int)) (cancel func())
}

// needDisplay returns a Swedish error when there is no screen to open the
// window on (on X11/Wayland systems), before anything is started, instead
// of letting GLFW panic once the window opens.
func needDisplay(getenv func(string) string, demo bool) error {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
			return nil
		}
		if demo {
			return app.Errorf(app.ECONFLICT, "Ingen skärm hittades (varken DISPLAY eller WAYLAND_DISPLAY är satt), så demots fönster kan inte öppnas; demot startades inte. Utan fönster: %s=1 arendestod demo.", EnvDemoHeadless)
		}
		return app.Errorf(app.ECONFLICT, "Ingen skärm hittades (varken DISPLAY eller WAYLAND_DISPLAY är satt), så fönstret kan inte öppnas. Kommandona fungerar utan skärm: se arendestod help.")
	}
	return nil
}

// liveIntake is the running intake as the window sees it: its callbacks
// fan out to whoever registered.
type liveIntake struct {
	in *intake.Intake

	cases    listeners[func(app.IngestResult, *app.Notice)]
	states   listeners[func(app.IntakeState, error)]
	progress listeners[func(done, total int)]
}

var _ Intake = (*liveIntake)(nil)

func newLiveIntake() *liveIntake { return &liveIntake{} }

func (l *liveIntake) SyncNow() {
	if l.in != nil {
		l.in.SyncNow()
	}
}

func (l *liveIntake) OnCase(fn func(app.IngestResult, *app.Notice)) func() { return l.cases.add(fn) }

func (l *liveIntake) OnState(fn func(app.IntakeState, error)) func() { return l.states.add(fn) }

func (l *liveIntake) OnProgress(fn func(done, total int)) func() { return l.progress.add(fn) }

func (l *liveIntake) fireProgress(p intake.Progress) {
	for _, fn := range l.progress.all() {
		fn(p.Done, p.Total)
	}
}

func (l *liveIntake) fireCase(r app.IngestResult, n *app.Notice) {
	for _, fn := range l.cases.all() {
		fn(r, n)
	}
}

func (l *liveIntake) fireState(s app.IntakeState, err error) {
	for _, fn := range l.states.all() {
		fn(s, err)
	}
}

// listeners are the callbacks registered for one kind of event. The zero
// value is ready to use; it is safe from any goroutine.
type listeners[F any] struct {
	mu   sync.Mutex
	next int
	fns  map[int]F
}

// add registers fn and returns the function that removes it again.
func (ls *listeners[F]) add(fn F) (remove func()) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.fns == nil {
		ls.fns = map[int]F{}
	}
	id := ls.next
	ls.next++
	ls.fns[id] = fn
	return func() {
		ls.mu.Lock()
		delete(ls.fns, id)
		ls.mu.Unlock()
	}
}

// all returns the callbacks registered now, to be called without the
// lock held (a callback may register or remove one).
func (ls *listeners[F]) all() []F {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	out := make([]F, 0, len(ls.fns))
	for _, fn := range ls.fns {
		out = append(out, fn)
	}
	return out
}

// StartSavedIntake prepares intake on the account saved in the settings,
// with its password from password(host, user) (the OS keyring, in the
// app). It returns a nil Intake when no account is saved. start begins
// the intake (catch-up, then push, reconnecting until ctx is done): call it
// after subscribing, so that no state change is missed.
func StartSavedIntake(ctx context.Context, s Store, password func(host, user string) (string, error)) (in Intake, start func(), err error) {
	acc, err := app.LoadIMAPAccount(ctx, s)
	if err != nil && app.ErrorCode(err) != app.EINVALID {
		return nil, nil, err
	}
	if acc.Host == "" {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, app.Errorf(app.EINVALID, "E-postkontot i inställningarna går inte att använda: %s", app.ErrorMessage(err))
	}
	pw, err := password(acc.Host, acc.Username)
	if err != nil || pw == "" {
		return nil, nil, app.Errorf(app.EINVALID, "Lösenordet till e-postkontot %s finns inte i datorns nyckelring. Spara det under Inställningar → E-postkonto.", acc.Key())
	}
	acc.Password = pw
	if err := acc.Validate(); err != nil {
		return nil, nil, app.Errorf(app.EINVALID, "E-postkontot i inställningarna går inte att använda: %s", app.ErrorMessage(err))
	}
	live := newLiveIntake()
	live.in = intake.New(acc, intake.Options{Store: s, OnCase: live.fireCase, OnState: live.fireState,
		OnProgress: live.fireProgress})
	return live, func() { go live.in.Watch(ctx) }, nil
}
