package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// scheduleScreen is the week view of who is 1177-ansvarig each working
// day. Enhetschef/teamledare and administrators set it; others read it.
type scheduleScreen struct {
	u       *UI
	content fyne.CanvasObject

	monday  app.Date
	week    *widget.Label
	days    *fyne.Container
	notice  *widget.Label
	selects map[app.Date]*keySelect
	loaded  bool
}

const nobody = "Ingen"

func newScheduleScreen(u *UI) *scheduleScreen { return &scheduleScreen{u: u} }

func mondayOf(d app.Date) app.Date {
	wd := int(d.Weekday()+6) % 7 // Monday 0
	return d.AddDays(-wd)
}

func (sc *scheduleScreen) build() fyne.CanvasObject {
	sc.monday = mondayOf(app.DateOf(sc.u.s.Now()))
	sc.week = boldLabel("")
	sc.days = container.NewVBox()
	sc.notice = wrapLabel("")
	prev := widget.NewButtonWithIcon("Föregående vecka", theme.NavigateBackIcon(), func() { sc.onWeekTapped(-7) })
	this := widget.NewButton("Denna vecka", func() { sc.onWeekTapped(0) })
	next := widget.NewButtonWithIcon("Nästa vecka", theme.NavigateNextIcon(), func() { sc.onWeekTapped(7) })
	intro := wrapLabel("1177-ansvarig är den ärendemottagare som kollar av inkomna ärenden den dagen. Den som är schemalagd i dag visas överst i fönstret.")
	top := container.NewVBox(heading("Schema: 1177-ansvarig"), intro,
		container.NewHBox(prev, this, next, layout.NewSpacer(), sc.week))
	sc.content = container.NewBorder(top, sc.notice, nil, nil, container.NewVScroll(sc.days))
	return container.NewPadded(sc.content)
}

func (sc *scheduleScreen) onWeekTapped(delta int) {
	if delta == 0 {
		sc.monday = mondayOf(app.DateOf(sc.u.s.Now()))
	} else {
		sc.monday = sc.monday.AddDays(delta)
	}
	sc.load()
}

// load reads the week's schedule and closed days.
func (sc *scheduleScreen) load() {
	monday := sc.monday
	sc.u.background(func(ctx context.Context) {
		sched, err := sc.u.s.Store.Schedule(ctx, monday, monday.AddDays(4))
		if err != nil {
			sc.u.showError(err)
			return
		}
		staff, err := sc.u.s.Store.ListStaff(ctx, false)
		if err != nil {
			sc.u.showError(err)
			return
		}
		cal := sc.u.s.Store.Calendar()
		fyne.Do(func() {
			if monday == sc.monday {
				sc.render(monday, sched, staff, cal)
			}
		})
	})
}

func (sc *scheduleScreen) render(monday app.Date, sched map[app.Date]string, staff []*app.Staff, cal *app.Calendar) {
	_, wk := monday.Time().ISOWeek()
	sc.week.SetText("Vecka " + strconv.Itoa(wk) + ", " + monday.ShortSv() + "–" + monday.AddDays(4).ShortSv())
	// Ärendemottagare first: they are the ones the routine schedules.
	var opts []string
	ids := map[string]string{}
	names := map[string]string{}
	for _, s := range app.StaffByRoles(staff, app.RoleArendemottagare) {
		label := s.Name
		if !s.HasRole(app.RoleArendemottagare) {
			label += " (ej ärendemottagare)"
		}
		opts = append(opts, label)
		ids[label] = s.HSAID
		names[s.HSAID] = label
	}
	opts = append([]string{nobody}, opts...)
	can := sc.u.canSchedule()
	today := app.DateOf(sc.u.s.Now())
	sc.selects = map[app.Date]*keySelect{}
	sc.days.Objects = nil
	for i := 0; i < 5; i++ {
		day := monday.AddDays(i)
		label := boldLabel(dayName(day))
		if day == today {
			label.SetText(dayName(day) + " (idag)")
		}
		var right fyne.CanvasObject
		if reason, closed := cal.ClosedReason(day); closed {
			l := widget.NewLabel("Stängt: " + reason)
			l.TextStyle = fyne.TextStyle{Italic: true}
			right = l
		} else {
			sel := newKeySelect(sc.u, opts, nil)
			sel.PlaceHolder = nobody
			if id := sched[day]; id != "" {
				if n, ok := names[id]; ok {
					sel.Selected = n
				} else {
					sel.PlaceHolder = sc.u.staffName(id) + " (inaktiv)"
				}
			} else {
				sel.Selected = nobody
			}
			d := day
			sel.OnChanged = func(choice string) { sc.onDutyChosen(d, ids[choice]) }
			if !can {
				sel.Disable()
			}
			sc.selects[day] = sel
			right = container.NewHBox(container.NewGridWrap(fyne.NewSize(380, sel.MinSize().Height), sel))
		}
		sc.days.Objects = append(sc.days.Objects,
			container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(200, label.MinSize().Height), label), nil, right))
	}
	sc.days.Refresh()
	if can {
		sc.notice.SetText("Ändringar sparas direkt.")
	} else {
		sc.notice.SetText("Endast enhetschef/teamledare eller administratör kan ändra schemat.")
	}
	sc.loaded = true
}

var weekdayLong = [...]string{"Söndag", "Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag"}

func dayName(d app.Date) string {
	return weekdayLong[d.Weekday()] + " " + strconv.Itoa(d.Day) + "/" + strconv.Itoa(int(d.Month))
}

func (sc *scheduleScreen) onDutyChosen(day app.Date, hsaID string) {
	if !sc.u.canSchedule() {
		return
	}
	sc.u.background(func(ctx context.Context) {
		err := sc.u.s.Store.SetOnDuty(ctx, day, hsaID)
		if err != nil {
			sc.u.showError(err)
			fyne.Do(sc.load)
			return
		}
		fyne.Do(func() {
			who := sc.u.staffName(hsaID)
			if hsaID == "" {
				who = "ingen"
			}
			sc.notice.SetText("Sparat " + sc.u.s.Now().In(app.Stockholm).Format("15:04") + ": " + dayName(day) + " – " + who + ".")
		})
		sc.u.refreshHeader()
	})
}
