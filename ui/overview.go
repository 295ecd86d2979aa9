package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Dagens översikt: "Administrativ resurs (ärendemottagare) börjar dagen
// med att kolla av inkomna ärenden och är 1177-ansvarig enligt schema."
// Each figure is a click into the case list; "Morgonkollen klar" records
// that today's check was done.

type overviewScreen struct {
	u       *UI
	title   *widget.Label
	grid    *fyne.Container
	tiles   map[string]*counterTile
	buckets []app.OverviewBucket
	check   *widget.Button
	checked *widget.Label
}

func newOverviewScreen(u *UI) *overviewScreen { return &overviewScreen{u: u} }

func (o *overviewScreen) build() fyne.CanvasObject {
	o.title = heading("Dagens översikt")
	o.grid = container.NewGridWithColumns(2)
	o.tiles = map[string]*counterTile{}
	o.check = widget.NewButtonWithIcon("Morgonkollen klar", theme.ConfirmIcon(), o.onCheckTapped)
	o.check.Importance = widget.HighImportance
	o.checked = widget.NewLabel("")
	intro := wrapLabel("Börja dagen med att kolla av inkomna ärenden. Klicka på en siffra för att se ärendena.")
	return container.NewVScroll(container.NewVBox(o.title, intro, o.grid, widget.NewSeparator(),
		container.NewHBox(o.check, o.checked)))
}

// load counts each bucket with the store's InboxCount and reads today's
// morning checks.
func (o *overviewScreen) load() {
	u := o.u
	now := u.s.Now()
	today := app.DateOf(now)
	cal := u.s.Store.Calendar()
	me := u.actor()
	u.background(func(ctx context.Context) {
		days, err := u.s.Store.StaleDays(ctx)
		if err != nil {
			u.showError(err)
			return
		}
		buckets := app.OverviewFilters(cal, today, days, me)
		for i := range buckets {
			if buckets[i].Count, err = u.s.Store.InboxCount(ctx, buckets[i].Filter); err != nil {
				u.showError(err)
				return
			}
		}
		checks, err := u.s.Store.MorningChecks(ctx, today, today)
		if err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() { o.show(today, buckets, checks) })
	})
}

func (o *overviewScreen) show(today app.Date, buckets []app.OverviewBucket, checks []app.MorningCheck) {
	o.title.SetText("Dagens översikt – " + today.ShortSv())
	o.buckets = buckets
	o.grid.Objects = nil
	o.tiles = map[string]*counterTile{}
	for _, b := range buckets {
		b := b
		var icon fyne.Resource
		imp := widget.MediumImportance
		switch b.Key {
		case app.ViewOverdue:
			icon = theme.NewErrorThemedResource(theme.ErrorIcon())
			if b.Count > 0 {
				imp = widget.DangerImportance
			}
		case app.ViewDueToday, app.ViewStale, app.ViewMelior:
			icon = theme.NewWarningThemedResource(theme.WarningIcon())
			if b.Count > 0 {
				imp = widget.WarningImportance
			}
		case app.ViewCitizenAnswered:
			icon = theme.MailReplyIcon()
		}
		t := newCounterTile(b.Label, icon, func() { o.u.showCaseList(b.Filter, b.Label) })
		t.set(b.Count, imp)
		o.tiles[b.Key] = t
		o.grid.Objects = append(o.grid.Objects, t.obj)
	}
	o.grid.Refresh()
	if len(checks) > 0 {
		last := checks[len(checks)-1]
		o.checked.SetText("Morgonkollen gjord " + last.At.In(app.Stockholm).Format("15:04") + " av " + o.u.staffName(last.By))
	} else {
		o.checked.SetText("Morgonkollen är inte gjord idag.")
	}
}

// onCheckTapped records today's morning check by the signed-in person.
func (o *overviewScreen) onCheckTapped() {
	u := o.u
	m, err := app.NewMorningCheck(u.actor(), u.s.Now())
	if err != nil {
		u.showError(err)
		return
	}
	u.background(func(ctx context.Context) {
		if err := u.s.Store.RecordMorningCheck(ctx, m); err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			o.load()
			u.refreshHeader()
		})
	})
}

// showCaseList opens the case list on filter f's view (a bucket of the
// overview), titled label.
func (u *UI) showCaseList(f app.CaseFilter, label string) {
	if u.caseView != nil {
		u.closeCase()
	}
	u.tabs.Select(u.casesTab)
	u.inbox.showFiltered(f.View, f.ReceivedFrom, label)
}
