package app

import (
	"context"
	"slices"
	"strings"
)

// Every mottagning speaks for itself: a case's unit (Case.Unit, "BUP
// Uddevalla") decides the name, address, phone, vårdgivare and ort in its
// replies, its intyg and the följebrev. Each unit keeps its own details in
// the settings, under the single mottagning keys with "@<unit>" added
// (UnitSettingKey); the single keys themselves are the default, used by a
// unit that has none of its own and by a case without a unit.

// SettingUnits lists the units that have details of their own, one a line,
// so that the settings screen shows them even when no case names them.
const SettingUnits = "mottagning.enheter"

// UnitDetails are one mottagning's details.
type UnitDetails struct {
	Name         string // "BUP Uddevalla"
	Address      string // "Box 123, 451 80 Uddevalla"
	Phone        string
	CareProvider string // vårdgivare
	Town         string // ort: the default place of an intyg (optional)
}

// unitFields are the details' settings keys and their placeholders, in
// the order the settings screen shows them.
var unitFields = []struct {
	Key, Placeholder, Sv string
	get                  func(*UnitDetails) *string
}{
	{SettingMottagningNamn, "mottagning", "mottagningens namn", func(d *UnitDetails) *string { return &d.Name }},
	{SettingMottagningAdress, "adress", "adress", func(d *UnitDetails) *string { return &d.Address }},
	{SettingMottagningTelefon, "telefon", "telefonnummer", func(d *UnitDetails) *string { return &d.Phone }},
	{SettingMottagningVardgivare, "vardgivare", "vårdgivare", func(d *UnitDetails) *string { return &d.CareProvider }},
	{SettingMottagningOrt, "", "ort", func(d *UnitDetails) *string { return &d.Town }},
}

// UnitSettingKey is the settings key of one of the mottagning's details
// (base, a SettingMottagning* key) for unit: base itself for the default
// (unit ""), else "base@unit".
func UnitSettingKey(base, unit string) string {
	unit = strings.TrimSpace(unit)
	if unit == "" {
		return base
	}
	return base + "@" + unit
}

// LoadUnitDetails reads the details of unit as saved: only its own, with
// no default filled in; unit "" reads the default.
func LoadUnitDetails(ctx context.Context, s SettingsStore, unit string) (UnitDetails, error) {
	var d UnitDetails
	for _, f := range unitFields {
		v, err := s.Setting(ctx, UnitSettingKey(f.Key, unit))
		if err != nil {
			return UnitDetails{}, err
		}
		*f.get(&d) = strings.TrimSpace(v)
	}
	return d, nil
}

// empty reports whether d holds nothing.
func (d UnitDetails) empty() bool { return d == UnitDetails{} }

// UnitDetailsFor returns the details a case of unit speaks with: the
// unit's own when it has any; else the default when it describes this
// unit (its name is the unit's, or it has no name: a clinic with one
// mottagning) or the case names no unit; else only the unit's name, so
// that a reply is never signed with another mottagning's name or phone
// and what is missing is asked for. Vårdgivare, the region's and the same
// for every unit, falls back to the default on its own. own reports that
// the unit's own details were used.
func UnitDetailsFor(ctx context.Context, s SettingsStore, unit string) (d UnitDetails, own bool, err error) {
	def, err := LoadUnitDetails(ctx, s, "")
	if err != nil || strings.TrimSpace(unit) == "" {
		return def, false, err
	}
	d, err = LoadUnitDetails(ctx, s, unit)
	if err != nil {
		return UnitDetails{}, false, err
	}
	if d.empty() {
		if DefaultDescribes(def, unit) {
			return def, false, nil
		}
		return UnitDetails{Name: strings.TrimSpace(unit), CareProvider: def.CareProvider}, false, nil
	}
	if d.CareProvider == "" {
		d.CareProvider = def.CareProvider
	}
	return d, true, nil
}

// DefaultDescribes reports whether the default details def are unit's
// own: they name no mottagning (a clinic with one) or name unit.
func DefaultDescribes(def UnitDetails, unit string) bool {
	return def.Name == "" || strings.EqualFold(strings.TrimSpace(def.Name), strings.TrimSpace(unit))
}

// Missing names the required details d lacks, in Swedish ("telefonnummer");
// the ort is optional.
func (d UnitDetails) Missing() []string {
	var out []string
	for _, f := range unitFields {
		if f.Placeholder != "" && *f.get(&d) == "" {
			out = append(out, f.Sv)
		}
	}
	return out
}

// Check returns every problem with d, each naming its settings key as the
// field: a detail is one line of at most 200 characters.
func (d UnitDetails) Check() error {
	var errs ValidationErrors
	for _, f := range unitFields {
		v := *f.get(&d)
		switch {
		case len(v) > 200:
			errs = append(errs, FieldErrorf(f.Key, "%s är för lång (högst 200 tecken)", f.Sv))
		case strings.ContainsAny(v, "\r\n"):
			errs = append(errs, FieldErrorf(f.Key, "%s ska stå på en rad", f.Sv))
		default:
			if err := CheckText(f.Key, v); err != nil {
				errs = append(errs, err.(*Error))
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// SaveUnitDetails stores the details of unit ("" the default), trimmed.
// A unit saved with nothing in it goes back to the default, and leaves
// SettingUnits.
func SaveUnitDetails(ctx context.Context, s SettingsStore, unit string, d UnitDetails) error {
	unit = strings.TrimSpace(unit)
	for _, f := range unitFields {
		*f.get(&d) = strings.TrimSpace(*f.get(&d))
	}
	if err := d.Check(); err != nil {
		return err
	}
	if len(unit) > 200 || strings.ContainsAny(unit, "\r\n@") {
		return FieldErrorf("unit", "mottagningens namn i ärendena är ogiltigt")
	}
	for _, f := range unitFields {
		if err := s.SetSetting(ctx, UnitSettingKey(f.Key, unit), *f.get(&d)); err != nil {
			return err
		}
	}
	if unit == "" {
		return nil
	}
	units, err := UnitsWithDetails(ctx, s)
	if err != nil {
		return err
	}
	has := slices.Contains(units, unit)
	switch {
	case !d.empty() && !has:
		units = append(units, unit)
	case d.empty() && has:
		units = slices.DeleteFunc(units, func(u string) bool { return u == unit })
	default:
		return nil
	}
	slices.Sort(units)
	return s.SetSetting(ctx, SettingUnits, strings.Join(units, "\n"))
}

// UnitsWithDetails returns the units that have details of their own,
// sorted.
func UnitsWithDetails(ctx context.Context, s SettingsStore) ([]string, error) {
	v, err := s.Setting(ctx, SettingUnits)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out, nil
}

// SettingsEditors returns the active staff who may change the settings
// (the mottagning's details among them): administrators and
// enhetschef/teamledare.
func SettingsEditors(staff []*Staff) []*Staff {
	var out []*Staff
	for _, s := range staff {
		if s != nil && s.Active && (s.HasRole(RoleAdministrator) || s.HasRole(RoleChef)) {
			out = append(out, s)
		}
	}
	return out
}

// WhoCanFill names, in Swedish, who can fill in a missing setting: the
// administrators' and chefs' names ("Karin Berg (administratör) eller
// Anna Berg (enhetschef/teamledare)"), or the roles when nobody holds one.
func WhoCanFill(staff []*Staff) string {
	var names []string
	for _, s := range SettingsEditors(staff) {
		var roles []string
		if s.HasRole(RoleAdministrator) {
			roles = append(roles, "administratör")
		}
		if s.HasRole(RoleChef) {
			roles = append(roles, "enhetschef/teamledare")
		}
		names = append(names, s.Name+" ("+strings.Join(roles, ", ")+")")
	}
	switch len(names) {
	case 0:
		return "en administratör eller enhetschef/teamledare"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " eller " + names[len(names)-1]
}
