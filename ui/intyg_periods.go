package ui

import (
	"fmt"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The form's periods: one row each, added and removed by the nurse.

// intygPercentLabels are the shares offered, as the form prints them.
var intygPercentLabels = func() []string {
	var out []string
	for _, p := range app.IntygPercents {
		out = append(out, app.PercentSv(p))
	}
	return out
}()

// intygPeriodRow is one period of the form.
type intygPeriodRow struct {
	from, to *widget.Entry
	percent  *widget.Select
	remove   *widget.Button
	errs     *widget.Label
	touched  bool
}

func (f *intygFlow) addPeriodRow(p app.IntygPeriod) *intygPeriodRow {
	r := &intygPeriodRow{}
	r.from = widget.NewEntry()
	r.from.SetPlaceHolder("Första dag ÅÅÅÅ-MM-DD")
	r.from.SetText(p.From)
	r.to = widget.NewEntry()
	r.to.SetPlaceHolder("Sista dag ÅÅÅÅ-MM-DD")
	r.to.SetText(p.To)
	r.percent = widget.NewSelect(intygPercentLabels, nil)
	r.percent.PlaceHolder = "Omfattning …"
	if p.Percent != 0 {
		r.percent.SetSelected(app.PercentSv(p.Percent))
	}
	changed := func() {
		r.touched = true
		f.onFieldChanged("periods")
	}
	r.from.OnChanged = func(string) { changed() }
	r.to.OnChanged = func(string) { changed() }
	r.percent.OnChanged = func(string) { changed() }
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { f.onRemovePeriodTapped(r) })
	r.errs = errLabel()
	f.periods = append(f.periods, r)
	return r
}

func (f *intygFlow) renderPeriods() {
	f.periodBox.Objects = nil
	for i, r := range f.periods {
		if len(f.periods) > 1 {
			r.remove.Enable()
		} else {
			r.remove.Disable()
		}
		row := container.NewBorder(nil, nil, widget.NewLabel(fmt.Sprintf("Period %d", i+1)), r.remove,
			container.NewGridWithColumns(3, r.from, r.to, r.percent))
		f.periodBox.Add(container.NewVBox(row, reserve(1, r.errs)))
	}
	f.periodBox.Refresh()
}

func (f *intygFlow) onAddPeriodTapped() {
	r := f.addPeriodRow(app.IntygPeriod{Percent: 100})
	f.renderPeriods()
	f.u.win.Canvas().Focus(r.from)
	f.onFieldChanged("periods")
}

func (f *intygFlow) onRemovePeriod(r *intygPeriodRow) {
	for i, x := range f.periods {
		if x == r && len(f.periods) > 1 {
			f.periods = append(f.periods[:i], f.periods[i+1:]...)
			break
		}
	}
	f.renderPeriods()
	f.onFieldChanged("periods")
}
