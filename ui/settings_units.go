package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Inställningar → Mottagning: every mottagning's own details (app.
// UnitDetails), chosen by the unit the cases name, and the default that a
// unit without details of its own uses; the region's links below.

// unitDefaultOption is the default's place in the list of units.
const unitDefaultOption = "Standard (ärenden utan mottagning)"

func (st *settingsScreen) buildUnits() fyne.CanvasObject {
	st.unit = map[string]*keyEntry{}
	st.unitKeys = map[string]string{unitDefaultOption: ""}
	st.unitSel = newKeySelect(st.u, []string{unitDefaultOption}, st.onUnitChosen)
	st.unitSel.Selected = unitDefaultOption
	st.unitNew = newKeyEntry(st.u, false)
	st.unitNew.SetPlaceHolder("Ny mottagning, t.ex. BUP Strömstad")
	st.unitAdd = widget.NewButtonWithIcon("Lägg till", theme.ContentAddIcon(), st.onUnitAddTapped)
	st.unitWho = wrapLabel("")
	st.unitWho.TextStyle = fyne.TextStyle{Italic: true}

	form := container.NewVBox()
	for _, f := range unitFields {
		e := newKeyEntry(st.u, false)
		e.SetPlaceHolder(f.hint)
		e.OnChanged = func(string) { st.updatePreview() }
		st.unit[f.key] = e
		form.Add(boldLabel(f.label))
		form.Add(e)
	}
	links := container.NewVBox()
	for _, f := range linkFields {
		e := newKeyEntry(st.u, false)
		e.SetPlaceHolder(f.hint)
		st.unit[f.key] = e
		links.Add(boldLabel(f.label))
		links.Add(e)
	}
	st.unitSave = widget.NewButtonWithIcon("Spara mottagningens uppgifter", theme.DocumentSaveIcon(), st.onUnitSaveTapped)
	st.unitInfo = wrapLabel("")
	return card("Mottagning", "Varje mottagning har egna uppgifter: ett ärendes standardsvar, intyg och följebrev tar dem från "+
		"ärendets mottagning. Standarduppgifterna gäller ärenden utan mottagning och mottagningen med samma namn; "+
		"standardens vårdgivare gäller alla mottagningar utan egen.",
		container.NewVBox(boldLabel("Mottagning"), st.unitSel,
			container.NewBorder(nil, nil, nil, st.unitAdd, st.unitNew), st.unitWho, widget.NewSeparator(),
			form, boldLabel("Gäller alla mottagningar"), links, st.unitSave, st.unitInfo))
}

// readUnits reads the units to offer (those the cases name and those with
// details of their own), the details of unit and the links; the func it
// returns shows them (UI goroutine).
func (st *settingsScreen) readUnits(ctx context.Context, unit string) (func(), error) {
	units, err := st.u.s.Store.CaseUnits(ctx)
	if err != nil {
		return nil, err
	}
	own, err := app.UnitsWithDetails(ctx, st.u.s.Store)
	if err != nil {
		return nil, err
	}
	for _, u := range own {
		if !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	def, err := app.LoadUnitDetails(ctx, st.u.s.Store, "")
	if err != nil {
		return nil, err
	}
	show, err := st.readUnit(ctx, unit)
	if err != nil {
		return nil, err
	}
	links := map[string]string{}
	for _, f := range linkFields {
		if links[f.key], err = st.u.s.Store.Setting(ctx, f.key); err != nil {
			return nil, err
		}
	}
	return func() {
		st.setUnitOptions(units, own, def)
		for k, v := range links {
			st.unit[k].SetText(v)
		}
		show()
	}, nil
}

// setUnitOptions offers the default and units, those without details of
// their own marked: using the default (def names them) or lacking them.
func (st *settingsScreen) setUnitOptions(units, own []string, def app.UnitDetails) {
	st.unitKeys = map[string]string{unitDefaultOption: ""}
	st.unitLoaded = map[string]bool{}
	opts := []string{unitDefaultOption}
	selected := unitDefaultOption
	for _, u := range units {
		label := u
		if !slices.Contains(own, u) {
			label += unitLabelSuffix(def, u)
		}
		opts = append(opts, label)
		st.unitKeys[label] = u
		st.unitLoaded[u] = true
		if u == st.unitName {
			selected = label
		}
	}
	st.unitSel.Options = opts
	st.unitSel.Selected = selected
	st.unitSel.Refresh()
}

// readUnit reads unit's own details and the default; the func shows them.
func (st *settingsScreen) readUnit(ctx context.Context, unit string) (func(), error) {
	d, err := app.LoadUnitDetails(ctx, st.u.s.Store, unit)
	if err != nil {
		return nil, err
	}
	def, err := app.LoadUnitDetails(ctx, st.u.s.Store, "")
	if err != nil {
		return nil, err
	}
	return func() {
		if st.unitName != unit {
			return
		}
		st.showUnit(unit, d, def)
	}, nil
}

func (st *settingsScreen) showUnit(unit string, d, def app.UnitDetails) {
	own := unitValues(d)
	defs := unitValues(def)
	for _, f := range unitFields {
		e := st.unit[f.key]
		e.SetText(own[f.key])
		if unit != "" && defs[f.key] != "" && (app.DefaultDescribes(def, unit) || f.key == app.SettingMottagningVardgivare) {
			e.SetPlaceHolder("Standard: " + defs[f.key])
		} else if unit != "" && f.key == app.SettingMottagningNamn {
			e.SetPlaceHolder("t.ex. " + unit)
		} else {
			e.SetPlaceHolder(f.hint)
		}
	}
	who := "Uppgifterna ändras av " + app.WhoCanFill(st.u.staff) + "."
	switch {
	case unit == "":
		st.unitWho.SetText("Standarduppgifterna gäller ärenden utan mottagning och mottagningen med samma namn. " + who)
	case d == (app.UnitDetails{}) && app.DefaultDescribes(def, unit):
		st.unitWho.SetText(unit + " har inga egna uppgifter och använder standarduppgifterna. " + who)
	case d == (app.UnitDetails{}):
		st.unitWho.SetText(unit + " har inga egna uppgifter: dess svar och intyg kan inte skickas förrän adress och telefon är ifyllda här. " + who)
	default:
		text := "Uppgifterna gäller ärenden från " + unit + "."
		if m := d.Missing(); len(m) > 0 {
			text += " Saknas: " + strings.Join(m, ", ") + "."
		}
		st.unitWho.SetText(text + " " + who)
	}
	st.updatePreview()
}

func unitValues(d app.UnitDetails) map[string]string {
	return map[string]string{
		app.SettingMottagningNamn:       d.Name,
		app.SettingMottagningAdress:     d.Address,
		app.SettingMottagningTelefon:    d.Phone,
		app.SettingMottagningVardgivare: d.CareProvider,
		app.SettingMottagningOrt:        d.Town,
	}
}

// onUnitChosen shows the chosen unit's details.
func (st *settingsScreen) onUnitChosen(option string) {
	unit, ok := st.unitKeys[option]
	if !ok {
		return
	}
	st.selectUnit(unit)
}

func (st *settingsScreen) selectUnit(unit string) {
	st.unitName = unit
	st.unitInfo.SetText("")
	st.u.background(func(ctx context.Context) {
		show, err := st.readUnit(ctx, unit)
		if err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(show)
	})
}

// onUnitAddTapped offers a mottagning no case names yet.
func (st *settingsScreen) onUnitAddTapped() {
	unit := strings.Join(strings.Fields(st.unitNew.Text), " ")
	if unit == "" || !st.canEdit() {
		return
	}
	if strings.Contains(unit, "@") {
		st.unitInfo.SetText("Mottagningens namn kan inte innehålla @.")
		return
	}
	if !st.unitLoaded[unit] {
		label := unit + " (uppgifter saknas)"
		st.unitSel.Options = append(st.unitSel.Options, label)
		st.unitKeys[label] = unit
		st.unitLoaded[unit] = true
	}
	for label, u := range st.unitKeys {
		if u == unit {
			st.unitSel.Selected = label
		}
	}
	st.unitSel.Refresh()
	st.unitNew.SetText("")
	st.selectUnit(unit)
}

func (st *settingsScreen) onUnitSaveTapped() {
	if !st.canEdit() {
		return
	}
	unit := st.unitName
	d := app.UnitDetails{
		Name: st.unit[app.SettingMottagningNamn].Text, Address: st.unit[app.SettingMottagningAdress].Text,
		Phone: st.unit[app.SettingMottagningTelefon].Text, CareProvider: st.unit[app.SettingMottagningVardgivare].Text,
		Town: st.unit[app.SettingMottagningOrt].Text,
	}
	links := map[string]string{}
	for _, f := range linkFields {
		links[f.key] = strings.TrimSpace(st.unit[f.key].Text)
	}
	st.u.background(func(ctx context.Context) {
		if err := app.SaveUnitDetails(ctx, st.u.s.Store, unit, d); err != nil {
			st.u.showError(err)
			return
		}
		for _, f := range linkFields {
			if err := st.u.s.Store.SetSetting(ctx, f.key, links[f.key]); err != nil {
				st.u.showError(err)
				return
			}
		}
		show, err := st.readUnits(ctx, unit)
		if err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(func() {
			show()
			what := "Standarduppgifterna"
			if unit != "" {
				what = "Uppgifterna för " + unit
			}
			st.unitInfo.SetText(what + " sparades " + whenAt(st.u.s.Now(), st.u.s.Now()) + ".")
		})
	})
}

// unitEntries are the entries of the mottagning's form, links included.
func (st *settingsScreen) unitEntries() []*keyEntry {
	var out []*keyEntry
	for _, e := range st.unit {
		out = append(out, e)
	}
	return out
}

// unitLabelSuffix marks a unit without details of its own in the list.
func unitLabelSuffix(def app.UnitDetails, unit string) string {
	if app.DefaultDescribes(def, unit) {
		return " (använder standard)"
	}
	return " (uppgifter saknas)"
}
