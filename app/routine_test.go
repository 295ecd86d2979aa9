package app_test

import (
	"reflect"
	"strings"
	"testing"

	"arendestod/app"
)

func TestRoutingRoles(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		want []app.Role
	}{
		// Issue 12 item 3: the intygshanterare first, not the doctor.
		{app.TypeKorkort, []app.Role{app.RoleIntygshanterare, app.RoleArendemottagare}},
		{app.TypeVAB1216, []app.Role{app.RoleIntygshanterare, app.RoleArendemottagare}},
		{app.TypeFornyaRecept, []app.Role{app.RoleSjukskoterska}},
		{app.TypeVABUnder12, []app.Role{app.RoleSjukskoterska}},
		{app.TypeAvbokaOmboka, []app.Role{app.RoleMedicinskSekreterare}},
		{app.TypeJournalkopia, []app.Role{app.RoleArendemottagare}},
		{app.TypeOkand, []app.Role{app.RoleArendemottagare}},
	} {
		ct, ok := app.CaseTypeByKey(tc.typ)
		if !ok {
			t.Fatalf("no type %s", tc.typ)
		}
		if got := ct.RoutingRoles(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: RoutingRoles = %v, want %v", tc.typ, got, tc.want)
		}
		if got := ct.RoutingRoles()[0]; got != ct.Role() {
			t.Errorf("%s: first routing role %s, want the handling role %s", tc.typ, got, ct.Role())
		}
	}
}

// The clinic in the routine's words: who is offered first under Fördela.
var routingStaff = []*app.Staff{
	{Name: "Ada Admin", HSAID: "A", Roles: []app.Role{app.RoleAdministrator}, Active: true},
	{Name: "Mona Mottagare", HSAID: "M", Roles: []app.Role{app.RoleArendemottagare}, Active: true},
	{Name: "Lars Läkare", HSAID: "L", Roles: []app.Role{app.RoleLakare}, Active: true},
	{Name: "Sara Sköterska", HSAID: "S", Roles: []app.Role{app.RoleSjukskoterska, app.RoleArendemottagare}, Active: true},
	{Name: "Sixten Sekreterare", HSAID: "SEK", Roles: []app.Role{app.RoleMedicinskSekreterare}, Active: true},
	{Name: "Lea Läkare (slutat)", HSAID: "L2", Roles: []app.Role{app.RoleLakare}, Active: false},
	{Name: "Leo Läkare och mottagare", HSAID: "LM", Roles: []app.Role{app.RoleArendemottagare, app.RoleLakare}, Active: true},
}

func staffIDs(staff []*app.Staff) string {
	var out []string
	for _, s := range staff {
		out = append(out, s.HSAID)
	}
	return strings.Join(out, ",")
}

func TestStaffForAssign(t *testing.T) {
	for _, tc := range []struct {
		typ, want string
	}{
		// Läkarintyg (issue 12 item 3): intygshanterare (nobody here),
		// then ärendemottagare, then the rest; the doctor is not offered
		// first, the inactive läkare not at all.
		{app.TypeKorkort, "M,S,LM,A,L,SEK"},
		// Förnya recept: the sjuksköterska, then everyone else by list order.
		{app.TypeFornyaRecept, "S,A,M,L,SEK,LM"},
		{app.TypeAvbokaOmboka, "SEK,A,M,L,S,LM"},
		{app.TypeSkickaMeddelande, "M,S,LM,A,L,SEK"},
	} {
		ct, _ := app.CaseTypeByKey(tc.typ)
		if got := staffIDs(ct.StaffForAssign(routingStaff)); got != tc.want {
			t.Errorf("%s: offered %s, want %s", tc.typ, got, tc.want)
		}
	}
}

func TestStaffByRoles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		roles []app.Role
		want  string
	}{
		{"no roles: active staff in list order", nil, "A,M,L,S,SEK,LM"},
		{"1177-ansvarig schedule", []app.Role{app.RoleArendemottagare}, "M,S,LM,A,L,SEK"},
		{"two roles, each person once", []app.Role{app.RoleLakare, app.RoleArendemottagare}, "L,LM,M,S,A,SEK"},
		{"a role nobody holds", []app.Role{app.RoleChef}, "A,M,L,S,SEK,LM"},
	} {
		if got := staffIDs(app.StaffByRoles(routingStaff, tc.roles...)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if got := app.StaffByRoles(nil, app.RoleLakare); len(got) != 0 {
		t.Errorf("no staff: %v", got)
	}
}
