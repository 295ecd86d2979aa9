package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The settings of issue 12: the number of working days after which an
// open case is flagged "Ingen åtgärd på N dagar", and the wordings an
// administrator taught ("Den här formuleringen betyder …"), listed and
// removable; and (issue 14) the address the intyg's original is posted to.

type routineSettings struct {
	u         *UI
	staleDays *keyEntry
	staleSave *widget.Button
	staleInfo *widget.Label
	wordings  *fyne.Container

	// Where the intyg's original is posted (issue 14, item 9).
	fkAddr *keyEntry
	fkSave *widget.Button
	fkInfo *widget.Label
}

func newRoutineSettings(u *UI) *routineSettings { return &routineSettings{u: u} }

func (rs *routineSettings) build() fyne.CanvasObject {
	rs.staleDays = newKeyEntry(rs.u, false)
	rs.staleDays.SetPlaceHolder(strconv.Itoa(app.DefaultStaleDays))
	rs.staleSave = widget.NewButtonWithIcon("Spara", theme.DocumentSaveIcon(), rs.onStaleSaveTapped)
	rs.staleInfo = wrapLabel("")
	rs.wordings = container.NewVBox()
	stale := card("Ingen åtgärd på N dagar", "Ett öppet ärende utan åtgärd i så många arbetsdagar flaggas, så att inget blir liggande.",
		container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel("Arbetsdagar:"), rs.staleSave, rs.staleDays), rs.staleInfo))
	words := card("Inlärda formuleringar", "Ärendetyper som 1177 skrev på ett sätt programmet inte kände igen, och som en administratör har lärt det (från ett okänt ärende: Den här formuleringen betyder …).",
		rs.wordings)
	rs.fkAddr = newKeyEntry(rs.u, false)
	rs.fkAddr.SetPlaceHolder(app.DefaultFKAddress)
	rs.fkSave = widget.NewButtonWithIcon("Spara", theme.DocumentSaveIcon(), rs.onFKSaveTapped)
	rs.fkInfo = wrapLabel("")
	fk := card("Intyg till Försäkringskassan", "Adressen som originalet av intyget postas till. Den skrivs på originalet. "+
		"Lämnas fältet tomt gäller "+app.DefaultFKAddress+".",
		container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel("Adress:"), rs.fkSave, rs.fkAddr), rs.fkInfo))
	return container.NewVBox(stale, fk, words)
}

func (rs *routineSettings) onFKSaveTapped() {
	u := rs.u
	addr := strings.Join(strings.Fields(rs.fkAddr.Text), " ")
	if n := utf8.RuneCountInString(addr); n > app.IntygFieldMax {
		rs.fkInfo.SetText(fmt.Sprintf("Adressen får ha högst %d tecken (har %d).", app.IntygFieldMax, n))
		return
	}
	u.background(func(ctx context.Context) {
		if err := u.s.Store.SetSetting(ctx, app.SettingFKAdress, addr); err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			rs.fkAddr.SetText(addr)
			if addr == "" {
				addr = app.DefaultFKAddress
			}
			rs.fkInfo.SetText("Sparat. Nya intyg skickas till " + addr + ".")
		})
	})
}

// load reads the stale days and the learned wordings.
func (rs *routineSettings) load() {
	u := rs.u
	if u.canSchedule() {
		rs.staleDays.Enable()
		rs.staleSave.Enable()
		rs.fkAddr.Enable()
		rs.fkSave.Enable()
	} else {
		rs.staleDays.Disable()
		rs.staleSave.Disable()
		rs.fkAddr.Disable()
		rs.fkSave.Disable()
	}
	u.background(func(ctx context.Context) {
		days, err := u.s.Store.StaleDays(ctx)
		if err != nil {
			u.showError(err)
			return
		}
		w, err := u.s.Store.TypeWordings(ctx)
		if err != nil {
			u.showError(err)
			return
		}
		fk, err := u.s.Store.Setting(ctx, app.SettingFKAdress)
		if err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			rs.fkAddr.SetText(fk)
			rs.staleDays.SetText(strconv.Itoa(days))
			rs.renderWordings(w.List())
		})
	})
}

func (rs *routineSettings) renderWordings(list []app.TypeWording) {
	rs.wordings.Objects = nil
	if len(list) == 0 {
		rs.wordings.Add(widget.NewLabel("Inga inlärda formuleringar."))
	}
	for _, w := range list {
		wording := w.Wording
		remove := widget.NewButtonWithIcon("Ta bort", theme.DeleteIcon(), func() { rs.onForgetTapped(wording) })
		if !rs.u.isAdmin() {
			remove.Disable()
		}
		rs.wordings.Add(container.NewBorder(nil, nil, nil, remove, wrapLabel("”"+w.Wording+"” betyder "+app.TypeName(w.Type))))
	}
	rs.wordings.Refresh()
}

func (rs *routineSettings) onStaleSaveTapped() {
	u := rs.u
	n, err := app.ParseStaleDays(rs.staleDays.Text)
	if err != nil {
		rs.staleInfo.SetText(capitalize(app.ErrorMessage(err)))
		return
	}
	u.background(func(ctx context.Context) {
		if err := u.s.Store.SetSetting(ctx, app.SettingStaleDays, strconv.Itoa(n)); err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			rs.staleInfo.SetText("Sparat: " + app.StaleLabel(n) + ".")
			u.refreshAll()
		})
	})
}

func (rs *routineSettings) onForgetTapped(wording string) {
	u := rs.u
	actor := u.actor()
	u.background(func(ctx context.Context) {
		if _, err := u.s.Store.ForgetTypeWording(ctx, actor, wording); err != nil {
			u.showError(err)
			return
		}
		fyne.Do(rs.load)
	})
}
