package ui

import (
	"strings"
)

// onRemovePeriodTapped removes an intyg period at once when nothing is
// typed in it, and asks first when it holds dates: they would be lost.
func (f *intygFlow) onRemovePeriodTapped(r *intygPeriodRow) {
	from, to := strings.TrimSpace(r.from.Text), strings.TrimSpace(r.to.Text)
	if from == "" && to == "" {
		f.onRemovePeriod(r)
		return
	}
	n := 0
	for i, x := range f.periods {
		if x == r {
			n = i + 1
		}
	}
	what := strings.TrimSpace(from + " – " + to)
	if r.percent.Selected != "" {
		what += ", " + r.percent.Selected
	}
	f.u.confirm("Ta bort period "+itoa(n)+"?", "Perioden "+what+" tas bort ur intyget.", "", "Ta bort",
		func() { f.onRemovePeriod(r) })
}
