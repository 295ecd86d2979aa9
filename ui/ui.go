// Package ui is the desktop window of Ärendestöd (Fyne). It reaches
// storage only through Store, one interface composed of package app's,
// never package data; main checks at compile time that the SQLite store
// satisfies it.
//
// # How main wires it
//
// The command line (ui/cli) runs first; when the command asks for the
// window (no command, or "demo") it returns a *cli.Window, and
// main.openWindow makes the Fyne app, builds the window with ui.New on the
// store the command line opened, and starts the intake beside it: the
// demo's (win.Intake), or the one on the account saved in the settings
// (cli.StartSavedIntake, password from the OS keyring via IMAPPassword).
// It hands the window's three hooks to that intake, starts the daily jobs,
// and blocks in ShowAndRun:
//
//	svc := ui.Services{
//		Store:    db,
//		Demo:     win.Demo,
//		TestIMAP: intake.TestConnection, // "Testa anslutning"
//		Intyg:    app.NewIntygService(db, pdf.Renderer{}),
//		Changes:  db, // the store's change feed (app.ChangeFeed)
//	}
//	svc.Intake = in // "Synka nu"; nil without an intake
//	w := ui.New(ctx, a, svc)
//	defer in.OnCase(w.OnNewCase)()
//	defer in.OnState(w.OnSyncState)()
//	defer in.OnProgress(w.OnProgress)()
//	return w.ShowAndRun()
//
// When the saved account cannot be used (no password in the keyring), main
// reports it with w.OnSyncState(app.IntakeError, err) instead.
//
// The three hooks are safe to call from any goroutine, as often as the
// intake likes:
//
//   - OnNewCase refreshes the inbox and counters and sends one desktop
//     notification ("Nytt ärende" / "Förnya recept – svar senast ons 2/12").
//     Cases arriving close together (a catch-up) give one notification
//     ("12 nya ärenden"), never a flood; during a catch-up reported by
//     OnProgress, one at its end.
//   - OnSyncState shows the intake's state (app.IntakeState) in the status
//     bar, in the Swedish text app gives it (IntakeState.Text).
//     A non-nil err is shown once, with its reason (app.IntakeErrorReason), in
//     the status bar; repeats of the same error change nothing, and no
//     dialog is ever opened for it, so a retrying intake cannot pop dialogs
//     in a loop.
//   - OnProgress(done, total) shows a progress bar while done < total.
//
// Services.Changes (optional) is the store's change feed: the window
// follows what every desk on the database changes (live.go): lists and
// counters reload (a burst of changes is one reload), a case another
// person assigns to me gives a desktop notification, and the case on
// screen is read again, keeping what is typed, with "Ändrat av … kl …".
// The case view also shows who else has the case open (caselive.go,
// app.PresenceStore), and its actions carry the version of the case
// shown, so an action on a stale view is applied in order or refused as
// app decides (app.CaseVersionStore).
//
// Services.Intake (optional) is what "Synka nu" calls, in the status bar
// and in the system tray menu. Services.TestIMAP (optional) is what the
// settings screen's "Testa anslutning" calls with the account form's
// content (an app.IMAPAccount). The account is saved in the settings keys
// the command line's sync reads (app.SettingIMAP*); its password only in the OS
// keyring, under KeyringService/KeyringAccount(host, user): read it with
// IMAPPassword(host, user).
//
// # Files
//
// ui.go holds the window's types and constructors; shell.go the main view
// and its tabs; keys.go the keyboard; tray.go the system tray; hooks.go
// the intake's hooks and notifications; live.go the change feed and
// caselive.go the open case's live part; runner.go the background runner
// and the debouncer every screen uses; screen.go the screen convention;
// savefile.go the files the save dialog chose; one file (or two) per
// screen.
package ui

import (
	"context"
	"io/fs"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/assets"
)

// Store is everything the window needs from storage, in one interface the
// compiler checks (main asserts that *data.DB satisfies it).
type Store interface {
	app.CaseStore
	app.StaffStore
	app.ScheduleStore
	app.SettingsStore
	app.AuditLog
	app.AuditReader    // the access-log screen
	app.InboxPager     // the inbox, a page at a time
	app.ClosedDayStore // klämdagar in the settings
	app.ReceptStore    // the receptförfrågningslogg
	app.StatsSource    // the statistics, and Calendar
	app.PresenceStore  // who else has a case open
	app.CaseVersionStore
	app.MorningCheckStore // Dagens översikt's "Morgonkollen klar"
	app.QuarantineStore   // Karantän in the settings
	app.QuarantineReleaser
	app.SessionIdentity // who the database knows the window as
	app.LoginAdmin      // Personal: database logins on a team database
	app.UnitLister      // the mottagningar in the settings
	app.SeenStore       // the new cases the person working has opened
	RoutineStore
}

// RoutineStore is what the screens of issue 12 read besides cases: the
// clinic's number of days for "Ingen åtgärd på N dagar", the wordings an
// administrator taught, and Fördela's load.
type RoutineStore interface {
	StaleDays(ctx context.Context) (int, error)
	TypeWordings(ctx context.Context) (app.TypeWordings, error)
	LearnTypeWording(ctx context.Context, actor, wording, typeKey string) error
	ForgetTypeWording(ctx context.Context, actor, wording string) (bool, error)
	// OpenCasesByAssignee: open cases held, by HSA-ID.
	OpenCasesByAssignee(ctx context.Context) (map[string]int, error)
}

// Syncer starts a sync at once ("Synka nu").
type Syncer interface{ SyncNow() }

// Services are the window's dependencies. Store and Intyg are required.
type Services struct {
	Store Store
	// Intyg issues and prints the intyg of vab-under-12 cases.
	Intyg *app.IntygService
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Replies are the standard replies; nil means the shipped texts.
	Replies *app.ReplyBook
	// Intake, when set, is what "Synka nu" calls.
	Intake Syncer
	// TestIMAP, when set, is "Testa anslutning" in the settings: connect to
	// the account as the form holds it (the password from the form or the
	// keyring), log in and open the mailbox read-only, and say why not.
	TestIMAP func(ctx context.Context, acc app.IMAPAccount) error
	// OSUser names the computer account whose choice of staff member is
	// remembered; "" means the current one.
	OSUser string
	// Demo marks the window as the demo's (its title says so).
	Demo bool
	// Database, when set, is Inställningar → Databas (settings_db.go).
	Database *DatabaseSettings
	// Login, when set, is the HSA-ID of the staff member the window signs
	// in as at once, without remembering the choice (the team demo's
	// windows).
	Login string
	// Changes, when set, is the store's change feed: the window follows
	// what other desks change (live.go). nil: it reads again only when
	// the user acts.
	Changes app.ChangeFeed
}

// UI is the main window and everything in it.
type UI struct {
	// runner runs background work (u.background); its ctx is the
	// window's. Tests set queued before start and run the work with
	// settle.
	runner
	app     fyne.App
	win     fyne.Window
	s       Services
	replies *app.ReplyBook

	// debounce is how long the inbox waits after a keystroke in the search
	// field, and the intyg form before it saves a draft; tests set it to 0
	// before start.
	debounce time.Duration
	// coalesce is how long new cases are gathered into one notification.
	coalesce time.Duration

	// UI goroutine state.
	me        *app.Staff
	staff     []*app.Staff // everyone, inactive too, by name
	lastError string       // the last message shown by showError, for tests
	// lastConfirm is the last question asked before an action (confirm),
	// for tests.
	lastConfirm confirmed

	login    *loginScreen
	inbox    *inboxScreen
	caseView *caseScreen
	staffs   *staffScreen
	schedule *scheduleScreen
	settings *settingsScreen
	status   *statusBar

	tabs      *container.AppTabs
	casesTab  *container.TabItem
	recept    *ReceptScreen
	stats     *StatsScreen
	audit     *auditScreen    // for administrators
	casesBody *fyne.Container // the inbox or one case
	onDuty    *widget.Label
	whoAmI    *widget.Label
	shortcuts map[string]func()
	tray      bool // the tray menu is in use

	// Issue 12: the clinic's stale days (read with the counters), the
	// overview, the header's morning-check notice and the timer that
	// refreshes everything when the day changes.
	staleDays     int
	overview      *overviewScreen
	overviewTab   *container.TabItem
	morningNotice *widget.Label
	headerNotices *fyne.Container // the morning notice and today's 1177-ansvarig
	shownDay      app.Date
	after         func(d time.Duration, f func()) (stop func() bool)
	stopDayTimer  func() bool

	// The change feed (live.go): changes gathered for one reload (any
	// goroutine), how long they are gathered (tests: 0), and closed once
	// subscribed.
	liveMu    sync.Mutex
	liveBatch []app.Change
	liveArmed bool
	liveDelay time.Duration
	liveReady chan struct{}
	// session names this window in presence; heartbeat is how often it
	// renews it (tests: 0, they call it).
	session   string
	heartbeat time.Duration

	// New cases waiting for their notification, the last notice and a
	// "Synka nu" under way (any goroutine; syncnote.go).
	notice     lastNotice
	syncing    syncRun
	newMu      sync.Mutex
	pending    []newCase
	flushArmed bool
	catchingUp bool
	// othersNew are cases another desk's intake made, gathered for one
	// notification (live.go); othersArmed: its flush is scheduled.
	othersNew   []int64
	othersArmed bool
}

// New builds the main window on a. Show it with ShowAndRun.
func New(ctx context.Context, a fyne.App, s Services) *UI {
	u := newUI(ctx, a, s)
	u.start()
	return u
}

// newUI makes the window without reading anything yet, so tests can set
// the UI up (queued work, no debounce) before it starts.
func newUI(ctx context.Context, a fyne.App, s Services) *UI {
	if s.Now == nil {
		s.Now = time.Now
	}
	addSwedish() // Fyne's dialogs in correct Swedish (filedialog.go)
	u := &UI{runner: newRunner(ctx), app: a, s: s, replies: s.Replies, debounce: 250 * time.Millisecond, coalesce: 2 * time.Second,
		staleDays: app.DefaultStaleDays, after: afterFunc, liveDelay: liveDelay, liveReady: make(chan struct{}), session: newSession(), heartbeat: app.PresenceHeartbeat}
	if u.replies == nil {
		sub, err := fs.Sub(assets.Replies, "replies")
		if err == nil {
			u.replies, err = app.NewReplyBook(sub)
		}
		if err != nil {
			// The texts are embedded: this is a build fault.
			panic("standard replies: " + err.Error())
		}
	}
	if _, ok := a.Settings().Theme().(clinicTheme); !ok {
		a.Settings().SetTheme(newClinicTheme())
	}
	title := "Ärendestöd"
	if s.Demo {
		title += " – demo med påhittade ärenden"
	}
	u.win = a.NewWindow(title)
	u.restoreWindowSize() // winsize.go
	if len(assets.Icon) > 0 {
		u.win.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	}
	u.status = newStatusBar(u)
	u.login = newLoginScreen(u)
	return u
}

// start shows who-is-working and binds keyboard, tray and ctx.
func (u *UI) start() {
	u.win.SetContent(u.login.build())
	u.login.load()
	u.setupShortcuts()
	u.setupTray()
	u.rememberWindowSize()
	go u.subscribe()
	go func() {
		<-u.ctx.Done()
		u.leaveCase()
		fyne.Do(func() {
			u.saveWindowSize()
			u.win.Close()
		})
	}()
}

// ShowAndRun shows the window and blocks until it is closed.
func (u *UI) ShowAndRun() error {
	u.win.ShowAndRun()
	return nil
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Run opens the main window and blocks until it is closed.
func Run(ctx context.Context, a fyne.App, s Services) error {
	return New(ctx, a, s).ShowAndRun()
}
