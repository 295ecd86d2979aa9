package app_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"arendestod/app"
)

func TestUnitDetailsFor(t *testing.T) {
	ctx := context.Background()
	s := memSettings{}
	def := app.UnitDetails{Name: "BUP Trollhättan", Address: "Box 1, 461 80 Trollhättan", Phone: "010-1",
		CareProvider: "NU-sjukvården", Town: "Trollhättan"}
	if err := app.SaveUnitDetails(ctx, s, "", def); err != nil {
		t.Fatal(err)
	}
	if s[app.SettingMottagningNamn] != "BUP Trollhättan" {
		t.Fatalf("the default is not the single settings: %v", s)
	}
	udd := app.UnitDetails{Name: " BUP Uddevalla ", Address: "Box 2, 451 80 Uddevalla", Phone: "010-2"}
	if err := app.SaveUnitDetails(ctx, s, "BUP Uddevalla", udd); err != nil {
		t.Fatal(err)
	}
	if s["mottagning.namn@BUP Uddevalla"] != "BUP Uddevalla" {
		t.Errorf("keys %v", s)
	}
	tests := []struct {
		unit string
		want app.UnitDetails
		own  bool
	}{
		// Its own details; vårdgivare, the region's, from the default.
		{"BUP Uddevalla", app.UnitDetails{Name: "BUP Uddevalla", Address: "Box 2, 451 80 Uddevalla", Phone: "010-2",
			CareProvider: "NU-sjukvården"}, true},
		{" BUP Uddevalla ", app.UnitDetails{Name: "BUP Uddevalla", Address: "Box 2, 451 80 Uddevalla", Phone: "010-2",
			CareProvider: "NU-sjukvården"}, true},
		// None of its own: never another mottagning's name or phone,
		// only its own name and the region's vårdgivare (the rest is
		// asked for); the default when it is this unit or there is none.
		{"BUP Lysekil", app.UnitDetails{Name: "BUP Lysekil", CareProvider: "NU-sjukvården"}, false},
		{"bup trollhättan", def, false},
		{"", def, false},
	}
	for _, tt := range tests {
		got, own, err := app.UnitDetailsFor(ctx, s, tt.unit)
		if err != nil || got != tt.want || own != tt.own {
			t.Errorf("%q: %+v own %v err %v, want %+v own %v", tt.unit, got, own, err, tt.want, tt.own)
		}
	}
	if units, _ := app.UnitsWithDetails(ctx, s); !reflect.DeepEqual(units, []string{"BUP Uddevalla"}) {
		t.Errorf("units %v", units)
	}
	// A case from Uddevalla is signed Uddevalla, not by the default.
	c := app.NewCase(app.TypeAvbokaOmboka, time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm), app.NewCalendar())
	c.Unit = "BUP Uddevalla"
	v, err := app.ReplyValuesFor(ctx, s, c, c.ReceivedAt)
	if err != nil || v["mottagning"] != "BUP Uddevalla" || v["telefon"] != "010-2" || v["vardgivare"] != "NU-sjukvården" {
		t.Errorf("values %v %v", v, err)
	}
	// Emptied, the unit has its name only and leaves the list.
	if err := app.SaveUnitDetails(ctx, s, "BUP Uddevalla", app.UnitDetails{}); err != nil {
		t.Fatal(err)
	}
	if got, own, _ := app.UnitDetailsFor(ctx, s, "BUP Uddevalla"); own || got != (app.UnitDetails{Name: "BUP Uddevalla", CareProvider: "NU-sjukvården"}) {
		t.Errorf("emptied unit: %+v %v", got, own)
	}
	if units, _ := app.UnitsWithDetails(ctx, s); len(units) != 0 {
		t.Errorf("units %v", units)
	}
	if err := app.SaveUnitDetails(ctx, s, "BUP Uddevalla", app.UnitDetails{Name: "a\nb"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("two lines: %v", err)
	}
}

func TestUnitDetailsMissing(t *testing.T) {
	d := app.UnitDetails{Name: "BUP Lysekil", CareProvider: "NU"}
	if got := d.Missing(); !reflect.DeepEqual(got, []string{"adress", "telefonnummer"}) {
		t.Errorf("missing %v", got)
	}
}

func TestWhoCanFill(t *testing.T) {
	karin := &app.Staff{Name: "Karin Berg", Active: true, Roles: []app.Role{app.RoleChef, app.RoleAdministrator}}
	anna := &app.Staff{Name: "Anna Ek", Active: true, Roles: []app.Role{app.RoleChef}}
	gone := &app.Staff{Name: "Gun Ström", Active: false, Roles: []app.Role{app.RoleAdministrator}}
	nurse := &app.Staff{Name: "Sara Sjö", Active: true, Roles: []app.Role{app.RoleSjukskoterska}}
	tests := []struct {
		staff []*app.Staff
		want  string
	}{
		{[]*app.Staff{nurse, karin}, "Karin Berg (administratör, enhetschef/teamledare)"},
		{[]*app.Staff{karin, gone, anna, nurse}, "Karin Berg (administratör, enhetschef/teamledare) eller Anna Ek (enhetschef/teamledare)"},
		{[]*app.Staff{nurse, gone}, "en administratör eller enhetschef/teamledare"},
	}
	for _, tt := range tests {
		if got := app.WhoCanFill(tt.staff); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
