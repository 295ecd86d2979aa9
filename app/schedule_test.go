package app_test

import (
	"slices"
	"testing"

	"arendestod/app"
)

func TestStaffKey(t *testing.T) {
	if got := app.StaffKey("  se2321000131-p000000000001 \t"); got != sara {
		t.Errorf("StaffKey = %q, want %q", got, sara)
	}
}

func TestCheckOnDuty(t *testing.T) {
	active := &app.Staff{HSAID: sara, Active: true}
	if err := app.CheckOnDuty(active, sara); err != nil {
		t.Errorf("active staff: %v", err)
	}
	for name, s := range map[string]*app.Staff{"Unknown": nil, "Inactive": {HSAID: sara}} {
		err := app.CheckOnDuty(s, sara)
		if e, ok := err.(*app.Error); !ok || e.Code != app.EINVALID || e.Field != "hsa-id" {
			t.Errorf("%s: %v, want a field error on hsa-id", name, err)
		}
	}
}

func TestClosedDayLabel(t *testing.T) {
	for in, want := range map[string]string{"": "Stängt", "  ": "Stängt", " Klämdag ": "Klämdag"} {
		if got := app.ClosedDayLabel(in); got != want {
			t.Errorf("ClosedDayLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRolesInOrder(t *testing.T) {
	var keys []string
	for _, r := range app.Roles() {
		keys = append([]string{string(r.Key)}, keys...) // reversed
	}
	keys = append(keys, "okand-roll", "")
	var want []app.Role
	for _, r := range app.Roles() {
		want = append(want, r.Key)
	}
	if got := app.RolesInOrder(keys); !slices.Equal(got, want) {
		t.Errorf("RolesInOrder = %v, want %v", got, want)
	}
	if got := app.RolesInOrder([]string{""}); got != nil {
		t.Errorf("no roles: %v", got)
	}
}

func TestSortStaff(t *testing.T) {
	staff := []*app.Staff{
		{Name: "Örjan", HSAID: "3"}, {Name: "åsa", HSAID: "2"}, {Name: "Ärla", HSAID: "4"},
		{Name: "Zelda", HSAID: "5"}, {Name: "adam", HSAID: "6"}, {Name: "Bo", HSAID: "8"}, {Name: "bo", HSAID: "7"},
	}
	app.SortStaff(staff)
	var got []string
	for _, s := range staff {
		got = append(got, s.HSAID)
	}
	// Å, Ä, Ö after Z; case ignored, then the HSA-ID.
	if want := []string{"6", "7", "8", "5", "2", "4", "3"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
