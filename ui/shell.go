package ui

import (
	"context"
	"log"
	"os/user"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The main view: who is working, the tabs, the header's counters and
// today's 1177-ansvarig, opening and closing a case, and the error dialog.

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
	msg := capitalize(app.ErrorMessage(err)) // a message may start in lower case
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
	if u.s.Login == "" {
		u.app.Preferences().SetString(u.prefKey(), s.HSAID)
	}
	u.win.SetContent(u.buildMain())
	u.refreshAll()
	u.armDayTimer()
	u.win.Canvas().Focus(u.inbox.list)
}

// signOut goes back to choosing who is working.
func (u *UI) signOut() {
	u.me = nil
	u.stopDayChange()
	u.app.Preferences().RemoveValue(u.prefKey())
	if u.caseView != nil {
		u.caseView.stopPresence()
	}
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
	if u.s.Login != "" {
		// Who works is given (the database login on a team database).
		switchUser.Hide()
	}
	u.morningNotice = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.morningNotice.Importance = widget.WarningImportance
	u.morningNotice.Hide()
	// The notices give way (cut with …) before the header widens the window.
	u.morningNotice.Truncation = fyne.TextTruncateEllipsis
	u.onDuty.Truncation = fyne.TextTruncateEllipsis
	u.headerNotices = trailingRow(u.morningNotice, widget.NewIcon(theme.InfoIcon()), u.onDuty)
	header := container.NewBorder(nil, nil, title, container.NewHBox(widget.NewSeparator(), u.whoAmI, switchUser),
		u.headerNotices)

	u.casesBody = container.NewStack(u.inbox.build())
	u.casesTab = container.NewTabItemWithIcon("Ärenden", theme.MailComposeIcon(), u.casesBody)
	u.overview = newOverviewScreen(u)
	u.overviewTab = container.NewTabItemWithIcon("Dagens översikt", theme.HomeIcon(), u.overview.build())
	tabs := []*container.TabItem{u.casesTab, u.overviewTab}
	u.recept = newReceptScreen(&u.runner, u.s.Store, u.actor, u.s.Now, u.win)
	u.recept.onEscape = u.onEscape
	u.stats = newStatsScreen(&u.runner, u.s.Store, u.s.Now, u.win)
	u.stats.onEscape = u.onEscape
	tabs = append(tabs,
		container.NewTabItemWithIcon("Receptlogg", theme.DocumentIcon(), u.recept.Build()),
		container.NewTabItemWithIcon("Statistik", theme.GridIcon(), u.stats.Build()),
		container.NewTabItemWithIcon("Schema 1177-ansvarig", theme.HistoryIcon(), u.schedule.build()),
		container.NewTabItemWithIcon("Personal", theme.AccountIcon(), u.staffs.build()),
		container.NewTabItemWithIcon("Inställningar", theme.SettingsIcon(), u.settings.build()),
	)
	if u.isAdmin() {
		u.audit = newAuditScreen(u)
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
	case "Dagens översikt":
		u.overview.load()
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
	if u.overview != nil && u.tabs != nil && u.tabs.Selected() == u.overviewTab {
		u.overview.load()
	}
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
		staleDays, err := u.s.Store.StaleDays(ctx)
		if err != nil {
			u.showError(err)
			return
		}
		checks, err := u.s.Store.MorningChecks(ctx, today, today)
		if err != nil {
			u.showError(err)
			return
		}
		missing := app.MorningCheckMissing(app.MorningCheckDone(checks, today), u.s.Now(), u.s.Store.Calendar())
		sched, err := u.s.Store.Schedule(ctx, today, today)
		if err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			if u.inbox == nil {
				return
			}
			if u.staleDays != staleDays {
				u.staleDays = staleDays
				u.inbox.list.Refresh() // the rows' stale flags
			}
			u.inbox.showCounts(counts)
			if missing {
				u.morningNotice.SetText("Morgonkollen är inte gjord idag")
				u.morningNotice.Show()
			} else {
				u.morningNotice.Hide()
			}
			if id := sched[today]; id != "" {
				u.onDuty.SetText("1177-ansvarig idag: " + u.staffName(id))
			} else {
				u.onDuty.SetText("1177-ansvarig idag: ingen schemalagd")
			}
			u.headerNotices.Refresh() // lay out the new texts' widths
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
	if u.caseView != nil {
		u.caseView.stopPresence()
	}
	u.caseView = newCaseScreen(u, id)
	u.markSeen(id)
	u.casesBody.Objects = []fyne.CanvasObject{u.caseView.build()}
	u.casesBody.Refresh()
	u.tabs.Select(u.casesTab)
	u.caseView.load()
	u.caseView.startPresence()
}

// closeCase goes back from a case to the inbox.
func (u *UI) closeCase() {
	if u.caseView == nil {
		return
	}
	u.caseView.stopPresence()
	u.caseView = nil
	u.casesBody.Objects = []fyne.CanvasObject{u.inbox.content}
	u.casesBody.Refresh()
	u.refreshAll()
	u.win.Canvas().Focus(u.inbox.list)
}
