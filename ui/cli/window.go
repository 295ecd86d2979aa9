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

	mu       sync.Mutex
	next     int
	cases    map[int]func(app.IngestResult, *app.Notice)
	states   map[int]func(app.IntakeState, error)
	progress map[int]func(done, total int)
}

var _ Intake = (*liveIntake)(nil)

func newLiveIntake() *liveIntake {
	return &liveIntake{cases: map[int]func(app.IngestResult, *app.Notice){}, states: map[int]func(app.IntakeState, error){},
		progress: map[int]func(int, int){}}
}

func (l *liveIntake) SyncNow() {
	if l.in != nil {
		l.in.SyncNow()
	}
}

func (l *liveIntake) OnCase(fn func(app.IngestResult, *app.Notice)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.next
	l.next++
	l.cases[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.cases, id)
		l.mu.Unlock()
	}
}

func (l *liveIntake) OnState(fn func(app.IntakeState, error)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.next
	l.next++
	l.states[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.states, id)
		l.mu.Unlock()
	}
}

func (l *liveIntake) OnProgress(fn func(done, total int)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.next
	l.next++
	l.progress[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.progress, id)
		l.mu.Unlock()
	}
}

func (l *liveIntake) fireProgress(p intake.Progress) {
	l.mu.Lock()
	fns := make([]func(int, int), 0, len(l.progress))
	for _, fn := range l.progress {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn(p.Done, p.Total)
	}
}

func (l *liveIntake) fireCase(r app.IngestResult, n *app.Notice) {
	l.mu.Lock()
	fns := make([]func(app.IngestResult, *app.Notice), 0, len(l.cases))
	for _, fn := range l.cases {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn(r, n)
	}
}

func (l *liveIntake) fireState(s app.IntakeState, err error) {
	l.mu.Lock()
	fns := make([]func(app.IntakeState, error), 0, len(l.states))
	for _, fn := range l.states {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn(s, err)
	}
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
