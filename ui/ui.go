// Package ui is the desktop window of Ärendestöd (Fyne). It reaches data
// only through the interfaces of package app (and two optional ones
// declared here), never package data.
//
// # Wiring it in main.go
//
// The simplest use blocks until the window closes:
//
//	return ui.Run(ctx, a, ui.Services{Store: s})
//
// To plug in the intake, build the window first, hand its hooks to the
// intake, then run it. With app/cli's WindowOptions.Intake (the demo):
//
//	Window: func(ctx context.Context, s cli.Store, opts cli.WindowOptions) error {
//		a := fyneapp.NewWithID("se.bupnu.arendestod")
//		svc := ui.Services{Store: s, Demo: opts.Demo}
//		if opts.Intake != nil {
//			svc.Intake = opts.Intake // "Synka nu"
//		}
//		w := ui.New(ctx, a, svc)
//		if opts.Intake != nil {
//			defer opts.Intake.OnCase(w.OnNewCase)()
//			defer opts.Intake.OnState(w.OnSyncState)()
//		}
//		return w.ShowAndRun()
//	},
//
// and, where the intake is made, intake.Options{OnProgress: func(p
// intake.Progress) { w.OnProgress(p.Done, p.Total) }} (cli.Intake has no
// OnProgress fan-out yet).
//
// The three hooks are safe to call from any goroutine, as often as the
// intake likes:
//
//   - OnNewCase refreshes the inbox and counters and sends one desktop
//     notification ("Nytt ärende" / "Förnya recept – svar senast ons 2/12").
//     Cases arriving close together (a catch-up) give one notification
//     ("12 nya ärenden"), never a flood; during a catch-up reported by
//     OnProgress, one at its end.
//   - OnSyncState shows the intake's state in the status bar. The states of
//     app/intake ("ansluter", "hamtar", "bevakar", "fel", "stoppad"; the
//     State* constants here) have Swedish texts; any other string is shown
//     as it is.
//     A non-nil err is shown once, with its reason (app.ErrorMessage), in
//     the status bar; repeats of the same error change nothing, and no
//     dialog is ever opened for it, so a retrying intake cannot pop dialogs
//     in a loop.
//   - OnProgress(done, total) shows a progress bar while done < total.
//
// Services.Intake (optional) is what "Synka nu" calls, in the status bar
// and in the system tray menu. Services.TestIMAP (optional) is what the
// settings screen's "Testa anslutning" calls with the account form's
// content. The account is saved in the settings keys the command line's
// sync reads (imap.host, imap.port, ...); its password only in the OS
// keyring, under KeyringService/KeyringAccount(host, user): read it with
// IMAPPassword(host, user).
package ui

import (
	"context"
	"io/fs"
	"log"
	"os"
	"os/user"
	"runtime"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/assets"
)

// Store is what the window needs from storage.
type Store interface {
	app.CaseStore
	app.StaffStore
	app.ScheduleStore
	app.SettingsStore
	app.AuditLog
	Calendar() *app.Calendar
}

// InboxStore is the inbox's fast path: one page at a time after the last
// row shown, and the total counted apart, so a keystroke costs one page.
// When the Store does not implement it, the inbox pages with Cases.
type InboxStore interface {
	InboxPage(ctx context.Context, f app.CaseFilter, after *app.Case, limit int) ([]*app.Case, error)
	InboxCount(ctx context.Context, f app.CaseFilter) (int, error)
}

// ClosedDayStore keeps the clinic's own closed days (klämdagar). When the
// Store does not implement it the settings screen says so.
type ClosedDayStore interface {
	ClosedDays(ctx context.Context) ([]app.Holiday, error)
	SetClosedDay(ctx context.Context, day app.Date, label string, closed bool) error
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
	TestIMAP func(ctx context.Context, acc IMAPAccount) error
	// OSUser names the computer account whose choice of staff member is
	// remembered; "" means the current one.
	OSUser string
	// Demo marks the window as the demo's (its title says so).
	Demo bool
}

// Intake states OnSyncState knows: app's (app.IntakeState), whose Swedish
// texts the status bar shows.
const (
	StateConnecting = string(app.IntakeConnecting)
	StateCatchingUp = string(app.IntakeFetching)
	StateIdle       = string(app.IntakeWatching) // connected, waiting for pushes (IDLE)
	StateError      = string(app.IntakeError)    // with the error; retried by the intake
	StateStopped    = string(app.IntakeStopped)
)

// UI is the main window and everything in it.
type UI struct {
	ctx     context.Context
	app     fyne.App
	win     fyne.Window
	s       Services
	replies *app.ReplyBook

	// bg counts background work, so tests can wait for it.
	bg sync.WaitGroup
	// queued makes background work wait in queue until a test runs it, so
	// tests are deterministic and free of races.
	queued  bool
	queueMu sync.Mutex
	queue   []func(context.Context)
	// debounce is how long the inbox waits after a keystroke in the search
	// field; tests set it to 0.
	debounce time.Duration
	// coalesce is how long new cases are gathered into one notification.
	coalesce time.Duration

	// UI goroutine state.
	me        *app.Staff
	staff     []*app.Staff // everyone, inactive too, by name
	lastError string       // the last message shown by showError, for tests

	login    *loginScreen
	inbox    *inboxScreen
	caseView *caseScreen
	staffs   *staffScreen
	schedule *scheduleScreen
	settings *settingsScreen
	status   *statusBar

	tabs      *container.AppTabs
	casesTab  *container.TabItem
	recept    *ReceptScreen // nil when the store keeps no prescription log
	stats     *StatsScreen
	audit     *auditScreen    // for administrators
	casesBody *fyne.Container // the inbox or one case
	onDuty    *widget.Label
	whoAmI    *widget.Label
	shortcuts map[string]func()
	tray      bool // the tray menu is in use

	// New cases waiting for their notification (any goroutine).
	newMu      sync.Mutex
	pending    []newCase
	flushArmed bool
	catchingUp bool
}

type newCase struct {
	r app.IngestResult
	n *app.Notice
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
	u := &UI{ctx: ctx, app: a, s: s, replies: s.Replies, debounce: 250 * time.Millisecond, coalesce: 2 * time.Second}
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
	u.win.Resize(fyne.NewSize(1200, 760))
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
	go func() {
		<-u.ctx.Done()
		fyne.Do(u.win.Close)
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

// background runs work off the UI goroutine. work must touch widgets only
// through fyne.Do.
func (u *UI) background(work func(ctx context.Context)) {
	if u.queued {
		u.queueMu.Lock()
		u.queue = append(u.queue, work)
		u.queueMu.Unlock()
		return
	}
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		work(u.ctx)
	}()
}

// showError shows err in a dialog: its Swedish message for our own errors,
// a general message (and the detail in the log) for others. It is the one
// place errors reach the user outside form fields; safe from any goroutine.
func (u *UI) showError(err error) {
	if err == nil {
		return
	}
	if app.ErrorCode(err) == app.EINTERNAL {
		log.Printf("fel: %v", err)
	}
	msg := app.ErrorMessage(err)
	fyne.Do(func() {
		u.lastError = msg
		label := widget.NewLabel(msg)
		label.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom("Det gick inte", "Stäng", container.NewGridWrap(fyne.NewSize(420, label.MinSize().Height*3), label), u.win)
		d.Show()
	})
}

// actor is the HSA-ID every event and audit row carries.
func (u *UI) actor() string {
	if u.me == nil {
		return ""
	}
	return u.me.HSAID
}

// staffName returns the name of staff member hsaID, or hsaID itself.
func (u *UI) staffName(hsaID string) string {
	if hsaID == app.ActorSystem {
		return "E-postintaget"
	}
	for _, s := range u.staff {
		if s.HSAID == hsaID {
			return s.Name
		}
	}
	return hsaID
}

// osUser is the computer account whose choice of staff is remembered.
func (u *UI) osUser() string {
	if u.s.OSUser != "" {
		return u.s.OSUser
	}
	if cu, err := user.Current(); err == nil {
		return cu.Username
	}
	return "okänd"
}

func (u *UI) prefKey() string { return "medarbetare." + u.osUser() }

// signIn makes s the person working and opens the main view.
func (u *UI) signIn(s *app.Staff, staff []*app.Staff) {
	u.me, u.staff = s, staff
	u.app.Preferences().SetString(u.prefKey(), s.HSAID)
	u.win.SetContent(u.buildMain())
	u.refreshAll()
	u.win.Canvas().Focus(u.inbox.list)
}

// signOut goes back to choosing who is working.
func (u *UI) signOut() {
	u.me = nil
	u.app.Preferences().RemoveValue(u.prefKey())
	u.caseView = nil
	u.win.SetContent(u.login.build())
	u.login.load()
}

func (u *UI) isAdmin() bool { return u.me != nil && u.me.HasRole(app.RoleAdministrator) }

// canSchedule reports whether the person working may set who is
// 1177-ansvarig: enhetschef/teamledare or administrator.
func (u *UI) canSchedule() bool {
	return u.me != nil && (u.me.HasRole(app.RoleChef) || u.me.HasRole(app.RoleAdministrator))
}

func (u *UI) buildMain() fyne.CanvasObject {
	u.inbox = newInboxScreen(u)
	u.staffs = newStaffScreen(u)
	u.schedule = newScheduleScreen(u)
	u.settings = newSettingsScreen(u)

	title := heading("Ärendestöd")
	u.onDuty = widget.NewLabel("1177-ansvarig idag: …")
	u.onDuty.TextStyle = fyne.TextStyle{Bold: true}
	u.whoAmI = widget.NewLabel("Inloggad: " + u.me.Name)
	switchUser := widget.NewButtonWithIcon("Byt användare", theme.AccountIcon(), u.onSwitchUserTapped)
	header := container.NewHBox(title, layout.NewSpacer(), widget.NewIcon(theme.InfoIcon()), u.onDuty,
		widget.NewSeparator(), u.whoAmI, switchUser)

	u.casesBody = container.NewStack(u.inbox.build())
	u.casesTab = container.NewTabItemWithIcon("Ärenden", theme.MailComposeIcon(), u.casesBody)
	tabs := []*container.TabItem{u.casesTab}
	if rs, ok := u.s.Store.(ReceptStore); ok {
		u.recept = NewReceptScreen(u.ctx, rs, u.actor, u.s.Now, u.win)
		tabs = append(tabs, container.NewTabItemWithIcon("Receptlogg", theme.DocumentIcon(), u.recept.Build()))
	}
	if ss, ok := u.s.Store.(StatsSource); ok {
		u.stats = NewStatsScreen(u.ctx, ss, u.s.Now, u.win)
		tabs = append(tabs, container.NewTabItemWithIcon("Statistik", theme.GridIcon(), u.stats.Build()))
	}
	tabs = append(tabs,
		container.NewTabItemWithIcon("Schema 1177-ansvarig", theme.HistoryIcon(), u.schedule.build()),
		container.NewTabItemWithIcon("Personal", theme.AccountIcon(), u.staffs.build()),
		container.NewTabItemWithIcon("Inställningar", theme.SettingsIcon(), u.settings.build()),
	)
	if ar, ok := u.s.Store.(AuditReader); ok && u.me.HasRole(app.RoleAdministrator) {
		u.audit = newAuditScreen(u, ar)
		tabs = append(tabs, container.NewTabItemWithIcon("Åtkomstlogg", theme.VisibilityIcon(), u.audit.build()))
	}
	u.tabs = container.NewAppTabs(tabs...)
	u.tabs.OnSelected = u.onTabSelected
	return container.NewBorder(container.NewVBox(container.NewPadded(header), widget.NewSeparator()),
		u.status.build(), nil, nil, u.tabs)
}

func (u *UI) onSwitchUserTapped() { u.signOut() }

func (u *UI) onTabSelected(t *container.TabItem) {
	switch t.Text {
	case "Receptlogg":
		u.recept.Refresh()
	case "Åtkomstlogg":
		u.audit.load()
	case "Statistik":
		u.stats.Refresh()
	case "Schema 1177-ansvarig":
		u.schedule.load()
	case "Personal":
		u.staffs.load()
	case "Inställningar":
		u.settings.load()
	}
}

// refreshAll reloads what the main view shows: inbox, counters, header.
func (u *UI) refreshAll() {
	u.inbox.reload()
	u.refreshHeader()
}

// refreshHeader reads the counters and today's 1177-ansvarig.
func (u *UI) refreshHeader() {
	me := u.actor()
	u.background(func(ctx context.Context) {
		today := app.DateOf(u.s.Now())
		counts, err := u.s.Store.Counts(ctx, me, today)
		if err != nil {
			u.showError(err)
			return
		}
		sched, err := u.s.Store.Schedule(ctx, today, today)
		if err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			if u.inbox == nil {
				return
			}
			u.inbox.showCounts(counts)
			if id := sched[today]; id != "" {
				u.onDuty.SetText("1177-ansvarig idag: " + u.staffName(id))
			} else {
				u.onDuty.SetText("1177-ansvarig idag: ingen schemalagd")
			}
			u.updateTray(counts)
		})
	})
}

// reloadStaff rereads the staff list (names in lists and history), then
// runs then on the UI goroutine.
func (u *UI) reloadStaff(then func()) {
	u.background(func(ctx context.Context) {
		staff, err := u.s.Store.ListStaff(ctx, true)
		if err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			u.staff = staff
			for _, s := range staff {
				if u.me != nil && s.HSAID == u.me.HSAID {
					u.me = s
				}
			}
			if then != nil {
				then()
			}
		})
	})
}

// openCase shows case id in the Ärenden tab.
func (u *UI) openCase(id int64) {
	u.caseView = newCaseScreen(u, id)
	u.casesBody.Objects = []fyne.CanvasObject{u.caseView.build()}
	u.casesBody.Refresh()
	u.tabs.Select(u.casesTab)
	u.caseView.load()
}

// closeCase goes back from a case to the inbox.
func (u *UI) closeCase() {
	if u.caseView == nil {
		return
	}
	u.caseView = nil
	u.casesBody.Objects = []fyne.CanvasObject{u.inbox.content}
	u.casesBody.Refresh()
	u.refreshAll()
	u.win.Canvas().Focus(u.inbox.list)
}

// setupShortcuts binds the keyboard: Ctrl+F search, Ctrl+1…5 filters; Esc
// and Enter are handled where focus is (onEscape, the inbox list).
func (u *UI) setupShortcuts() {
	u.shortcuts = map[string]func(){}
	bind := func(k fyne.KeyName, fn func()) {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
		u.shortcuts[sc.ShortcutName()] = fn
		u.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { fn() })
	}
	bind(fyne.KeyF, u.onSearchShortcut)
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5} {
		view := inboxFilters[i].view
		bind(k, func() { u.onFilterShortcut(view) })
	}
	u.win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			u.onEscape()
		}
	})
}

// shortcut runs the window shortcut sc, if there is one; entries call it
// so that Ctrl+F and Ctrl+1…5 work while typing.
func (u *UI) shortcut(sc fyne.Shortcut) bool {
	if fn, ok := u.shortcuts[sc.ShortcutName()]; ok {
		fn()
		return true
	}
	return false
}

func (u *UI) onSearchShortcut() {
	if u.inbox == nil {
		return
	}
	u.closeCase()
	u.tabs.Select(u.casesTab)
	u.win.Canvas().Focus(u.inbox.search)
}

func (u *UI) onFilterShortcut(view string) {
	if u.inbox == nil {
		return
	}
	u.closeCase()
	u.tabs.Select(u.casesTab)
	u.inbox.setView(view)
}

// onEscape goes back: from a case to the inbox, from another tab to the
// inbox, from the search field to the list.
func (u *UI) onEscape() {
	if u.inbox == nil {
		return
	}
	switch {
	case u.caseView != nil:
		u.closeCase()
	case u.tabs.Selected() != u.casesTab:
		u.tabs.Select(u.casesTab)
	default:
		u.win.Canvas().Focus(u.inbox.list)
	}
}

// keyEntry is an Entry that hands Esc and the window's shortcuts to the
// window, so the keyboard works the same wherever the cursor is.
type keyEntry struct {
	widget.Entry
	u *UI
}

func newKeyEntry(u *UI, multiLine bool) *keyEntry {
	e := &keyEntry{u: u}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey sends Esc to the window.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.u != nil {
		e.u.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut runs the window's own shortcuts before the entry's.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.u != nil && e.u.shortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// setupTray adds the system tray menu where the desktop has one.
func (u *UI) setupTray() {
	if !trayAvailable() {
		return
	}
	if desk, ok := u.app.(desktop.App); ok {
		u.tray = true
		if len(assets.Icon) > 0 {
			desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", assets.Icon))
		}
		u.updateTray(app.CaseCounts{})
	}
}

// updateTray shows the counters in the tray menu, with Öppna and Synka nu.
func (u *UI) updateTray(c app.CaseCounts) {
	desk, ok := u.app.(desktop.App)
	if !ok || !u.tray {
		return
	}
	info := func(label string) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, nil)
		it.Disabled = true
		return it
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Öppna Ärendestöd", func() { u.win.Show(); u.win.RequestFocus() }),
	}
	if u.s.Intake != nil {
		items = append(items, fyne.NewMenuItem("Synka nu", u.s.Intake.SyncNow))
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		info(counterText("Försenade", c.Overdue)),
		info(counterText("Svar senast idag", c.DueToday)),
		info(counterText("Nya", c.New)),
		info(counterText("Mina", c.Mine)))
	desk.SetSystemTrayMenu(fyne.NewMenu("Ärendestöd", items...))
}

// trayAvailable reports whether a tray icon can be shown. On Linux and the
// BSDs the tray speaks D-Bus: without a session bus (a server, Xvfb in CI)
// Fyne's systray (v1.11) fails to connect and then crashes the program
// when it quits (fyne-io/fyne#6403, fixed in fyne.io/systray after
// v1.12.1), so there the window goes without a tray.
func trayAvailable() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return os.Getenv("DBUS_SESSION_BUS_ADDRESS") != ""
	}
	return true
}

func counterText(label string, n int) string { return label + ": " + itoa(n) }

// OnNewCase tells the window that intake stored or updated a case. Safe
// from any goroutine; see the package documentation.
func (u *UI) OnNewCase(r app.IngestResult, n *app.Notice) {
	if r.Outcome != app.OutcomeNew && r.Outcome != app.OutcomeUpdated {
		return
	}
	u.newMu.Lock()
	defer u.newMu.Unlock()
	u.pending = append(u.pending, newCase{r, n})
	if !u.flushArmed && !u.catchingUp {
		u.armFlush()
	}
}

// armFlush schedules the notification of the gathered cases. newMu held.
func (u *UI) armFlush() {
	u.flushArmed = true
	if u.coalesce <= 0 {
		u.background(u.flushNew)
		return
	}
	time.AfterFunc(u.coalesce, func() { u.background(u.flushNew) })
}

// flushNew sends one notification for the gathered cases and refreshes the
// inbox. It runs off the UI goroutine.
func (u *UI) flushNew(ctx context.Context) {
	u.newMu.Lock()
	batch := u.pending
	u.pending, u.flushArmed = nil, false
	u.newMu.Unlock()
	if len(batch) == 0 {
		return
	}
	var fresh []*app.Case
	assigned := 0
	for _, nc := range batch {
		c, err := u.s.Store.Case(ctx, nc.r.CaseID)
		if err != nil {
			continue
		}
		if nc.r.Outcome == app.OutcomeNew {
			fresh = append(fresh, c)
		} else if nc.n != nil && nc.n.Kind == app.NoticeTilldelat {
			assigned++
		}
	}
	var note *fyne.Notification
	switch {
	case len(fresh) == 1:
		note = fyne.NewNotification("Nytt ärende", caseHeadline(fresh[0]))
	case len(fresh) > 1:
		urgent := fresh[0]
		for _, c := range fresh[1:] {
			if c.DueDate.Before(urgent.DueDate) {
				urgent = c
			}
		}
		note = fyne.NewNotification(itoa(len(fresh))+" nya ärenden", "Mest brådskande: "+caseHeadline(urgent))
	case assigned > 0:
		note = fyne.NewNotification("Ärende fördelat", "Ett ärende har fördelats via 1177.")
	}
	fyne.Do(func() {
		if note != nil {
			u.app.SendNotification(note)
		}
		if u.inbox != nil {
			if u.caseView == nil {
				u.inbox.reload()
			}
			u.refreshHeader()
		}
	})
}

// caseHeadline is "Förnya recept – svar senast ons 2/12".
func caseHeadline(c *app.Case) string {
	return app.TypeName(c.Type) + " – svar senast " + c.DueDate.ShortSv()
}

// OnSyncState shows the intake's state; safe from any goroutine.
func (u *UI) OnSyncState(state string, err error) {
	fyne.Do(func() { u.status.setState(state, err) })
}

// OnProgress shows catch-up progress; safe from any goroutine. While a
// catch-up runs, new cases are gathered into one notification at its end.
func (u *UI) OnProgress(done, total int) {
	u.newMu.Lock()
	running := total > 0 && done < total
	if u.catchingUp && !running && len(u.pending) > 0 && !u.flushArmed {
		u.catchingUp = false
		u.armFlush()
	}
	u.catchingUp = running
	u.newMu.Unlock()
	fyne.Do(func() { u.status.setProgress(done, total) })
}
