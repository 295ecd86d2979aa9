package data_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

func mustAddStaff(t *testing.T, db *data.DB, name, hsa string, roles ...app.Role) *app.Staff {
	t.Helper()
	s := &app.Staff{Name: name, HSAID: hsa, Email: "", Roles: roles}
	if err := db.AddStaff(context.Background(), s); err != nil {
		t.Fatalf("AddStaff(%s): %v", name, err)
	}
	return s
}

func staffNames(ss []*app.Staff) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestAddStaff(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		s := &app.Staff{
			Name:  "  Alva Provberg ",
			HSAID: " se1111111111-test0001 ", // normalised on the way in
			Email: "alva.provberg@test.invalid",
			// Out of the routine's order and one twice.
			Roles: []app.Role{app.RoleLakare, app.RoleArendemottagare, app.RoleLakare, app.RoleChef},
		}
		if err := db.AddStaff(ctx, s); err != nil {
			t.Fatal(err)
		}
		if s.ID == 0 || !s.Active || s.HSAID != hsaMe || s.Name != "Alva Provberg" {
			t.Errorf("after AddStaff: %+v", s)
		}
		for _, id := range []string{hsaMe, " se1111111111-test0001"} {
			got, err := db.StaffByHSAID(ctx, id)
			if err != nil {
				t.Fatalf("StaffByHSAID(%q): %v", id, err)
			}
			want := app.Staff{ID: s.ID, Name: "Alva Provberg", HSAID: hsaMe, Email: "alva.provberg@test.invalid", Active: true,
				Roles: []app.Role{app.RoleArendemottagare, app.RoleLakare, app.RoleChef}} // the routine's order
			if got.ID != want.ID || got.Name != want.Name || got.HSAID != want.HSAID || got.Email != want.Email ||
				got.Active != want.Active || !slices.Equal(got.Roles, want.Roles) {
				t.Errorf("StaffByHSAID(%q) = %+v, want %+v", id, got, want)
			}
		}
	})

	t.Run("RolesRoundTrip", func(t *testing.T) {
		db := MustOpenDB(t)
		for i, r := range app.Roles() {
			hsa := "SE2222222222-ROLL" + string(rune('A'+i))
			mustAddStaff(t, db, "Roll "+r.Name, hsa, r.Key)
			got, err := db.StaffByHSAID(ctx, hsa)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Roles, []app.Role{r.Key}) || !got.HasRole(r.Key) {
				t.Errorf("roles of %s = %v, want [%s]", hsa, got.Roles, r.Key)
			}
		}
		var all []app.Role
		for _, r := range app.Roles() {
			all = append(all, r.Key)
		}
		mustAddStaff(t, db, "Alla Roller", hsaThird, all...)
		got, err := db.StaffByHSAID(ctx, hsaThird)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Roles, all) {
			t.Errorf("all roles = %v, want %v", got.Roles, all)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		mustAddStaff(t, db, "Befintlig Person", hsaMe, app.RoleArendemottagare)
		tests := []struct {
			name  string
			s     app.Staff
			field string
		}{
			{"BadHSAID", app.Staff{Name: "Test Testsson", HSAID: "SE123-ABC", Roles: []app.Role{app.RoleLakare}}, "hsa-id"},
			{"HSAIDWithDash", app.Staff{Name: "Test Testsson", HSAID: "SE1111111111-TE-ST", Roles: []app.Role{app.RoleLakare}}, "hsa-id"},
			{"NoHSAID", app.Staff{Name: "Test Testsson", Roles: []app.Role{app.RoleLakare}}, "hsa-id"},
			{"NoName", app.Staff{Name: "   ", HSAID: hsaOther, Roles: []app.Role{app.RoleLakare}}, "name"},
			{"BadEmail", app.Staff{Name: "Test Testsson", HSAID: hsaOther, Email: "inte en adress", Roles: []app.Role{app.RoleLakare}}, "email"},
			{"NoRole", app.Staff{Name: "Test Testsson", HSAID: hsaOther}, "role"},
			{"UnknownRole", app.Staff{Name: "Test Testsson", HSAID: hsaOther, Roles: []app.Role{"kurator"}}, "role"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, beforeRoles := countRows(t, db, "staff"), countRows(t, db, "staff_roles")
				s := tt.s
				err := db.AddStaff(ctx, &s)
				wantCode(t, err, app.EINVALID)
				var fe *app.Error
				if !errors.As(err, &fe) || fe.Field != tt.field {
					t.Errorf("error %v, want one about field %q", err, tt.field)
				}
				if s.ID != 0 {
					t.Errorf("ID set to %d", s.ID)
				}
				if n := countRows(t, db, "staff"); n != before {
					t.Errorf("staff rows %d, want %d", n, before)
				}
				if n := countRows(t, db, "staff_roles"); n != beforeRoles {
					t.Errorf("staff_roles rows %d, want %d", n, beforeRoles)
				}
			})
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		db := MustOpenDB(t)
		first := mustAddStaff(t, db, "Första Person", hsaMe, app.RoleArendemottagare)
		dup := &app.Staff{Name: "Andra Person", HSAID: "se1111111111-test0001", Roles: []app.Role{app.RoleLakare}}
		wantCode(t, db.AddStaff(ctx, dup), app.ECONFLICT)
		if n := countRows(t, db, "staff"); n != 1 {
			t.Errorf("staff rows %d, want 1", n)
		}
		got, err := db.StaffByHSAID(ctx, hsaMe)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != first.Name || !slices.Equal(got.Roles, []app.Role{app.RoleArendemottagare}) {
			t.Errorf("the first staff member changed: %+v", got)
		}
	})
}

func TestStaffByHSAID(t *testing.T) {
	db := MustOpenDB(t)
	mustAddStaff(t, db, "Alva Provberg", hsaMe, app.RoleSjukskoterska)
	t.Run("OK", func(t *testing.T) {
		s, err := db.StaffByHSAID(context.Background(), hsaMe)
		if err != nil || s.Name != "Alva Provberg" {
			t.Errorf("StaffByHSAID = %+v, %v", s, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.StaffByHSAID(context.Background(), hsaOther)
		wantCode(t, err, app.ENOTFOUND)
	})
}

func TestListStaff(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAddStaff(t, db, "Cecilia Testare", hsaThird, app.RoleLakare)
	mustAddStaff(t, db, "Anna Provsson", hsaOther, app.RoleArendemottagare, app.RoleArendehanterare)
	b := mustAddStaff(t, db, "Bertil Exempel", hsaMe, app.RoleChef)
	b.Active = false
	if err := db.UpdateStaff(ctx, b); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		inactive bool
		want     []string
	}{
		{"ActiveOnly", false, []string{"Anna Provsson", "Cecilia Testare"}},
		{"IncludeInactive", true, []string{"Anna Provsson", "Bertil Exempel", "Cecilia Testare"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.ListStaff(ctx, tt.inactive)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(staffNames(got), tt.want) {
				t.Errorf("ListStaff(%v) = %v, want %v", tt.inactive, staffNames(got), tt.want)
			}
			for _, s := range got {
				if s.Name == "Anna Provsson" && !slices.Equal(s.Roles, []app.Role{app.RoleArendemottagare, app.RoleArendehanterare}) {
					t.Errorf("roles of %s = %v", s.Name, s.Roles)
				}
				if s.Active != (s.Name != "Bertil Exempel") {
					t.Errorf("%s Active = %v", s.Name, s.Active)
				}
			}
		})
	}
}

func TestUpdateStaff(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		orig := mustAddStaff(t, db, "Alva Provberg", hsaMe, app.RoleArendemottagare, app.RoleSjukskoterska)
		upd := &app.Staff{Name: "Alva Provberg-Test", HSAID: "se1111111111-test0001", Email: "alva@test.invalid",
			Roles: []app.Role{app.RoleLakare}, Active: false}
		if err := db.UpdateStaff(ctx, upd); err != nil {
			t.Fatal(err)
		}
		if upd.ID != orig.ID {
			t.Errorf("UpdateStaff set ID %d, want %d", upd.ID, orig.ID)
		}
		got, err := db.StaffByHSAID(ctx, hsaMe)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Alva Provberg-Test" || got.Email != "alva@test.invalid" || got.Active ||
			!slices.Equal(got.Roles, []app.Role{app.RoleLakare}) {
			t.Errorf("after update: %+v", got)
		}
		if n := countRows(t, db, "staff_roles"); n != 1 {
			t.Errorf("staff_roles rows %d, want 1 (old roles removed)", n)
		}
		// Deactivated staff leave the active list but keep their row.
		list, err := db.ListStaff(ctx, false)
		if err != nil || len(list) != 0 {
			t.Errorf("active staff = %v, %v", staffNames(list), err)
		}
		// And come back.
		got.Active = true
		if err := db.UpdateStaff(ctx, got); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.ListStaff(ctx, false); len(list) != 1 || !list[0].Active {
			t.Errorf("reactivated staff: %v", staffNames(list))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mustAddStaff(t, db, "Alva Provberg", hsaMe, app.RoleArendemottagare)
		err := db.UpdateStaff(ctx, &app.Staff{Name: "Ingen Alls", HSAID: hsaOther, Roles: []app.Role{app.RoleLakare}})
		wantCode(t, err, app.ENOTFOUND)
		if n := countRows(t, db, "staff"); n != 1 {
			t.Errorf("staff rows %d, want 1", n)
		}
		if n := countRows(t, db, "staff_roles"); n != 1 {
			t.Errorf("staff_roles rows %d, want 1", n)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		mustAddStaff(t, db, "Alva Provberg", hsaMe, app.RoleArendemottagare)
		err := db.UpdateStaff(ctx, &app.Staff{Name: "Alva Provberg", HSAID: hsaMe})
		wantCode(t, err, app.EINVALID)
		got, _ := db.StaffByHSAID(ctx, hsaMe)
		if got == nil || !slices.Equal(got.Roles, []app.Role{app.RoleArendemottagare}) || !got.Active {
			t.Errorf("staff changed by a refused update: %+v", got)
		}
	})
}

func TestSchedule(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAddStaff(t, db, "Alva Provberg", hsaMe, app.RoleArendemottagare)
	mustAddStaff(t, db, "Bertil Exempel", hsaOther, app.RoleArendemottagare)
	gone := mustAddStaff(t, db, "Cecilia Testare", hsaThird, app.RoleArendemottagare)
	gone.Active = false
	if err := db.UpdateStaff(ctx, gone); err != nil {
		t.Fatal(err)
	}
	mon, tue, wed := app.D(2026, 11, 30), app.D(2026, 12, 1), app.D(2026, 12, 2)
	week := func() map[app.Date]string {
		t.Helper()
		m, err := db.Schedule(ctx, mon, mon.AddDays(6))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	t.Run("OK", func(t *testing.T) {
		for d, id := range map[app.Date]string{mon: hsaMe, tue: hsaOther, wed: " " + hsaMe + " "} {
			if err := db.SetOnDuty(ctx, d, id); err != nil {
				t.Fatalf("SetOnDuty(%v): %v", d, err)
			}
		}
		got := week()
		want := map[app.Date]string{mon: hsaMe, tue: hsaOther, wed: hsaMe}
		if len(got) != len(want) {
			t.Fatalf("Schedule = %v, want %v", got, want)
		}
		for d, id := range want {
			if got[d] != id {
				t.Errorf("on %v: %q, want %q", d, got[d], id)
			}
		}
		// A narrower range leaves the other days out; ends are inclusive.
		one, err := db.Schedule(ctx, tue, tue)
		if err != nil || len(one) != 1 || one[tue] != hsaOther {
			t.Errorf("Schedule(tue, tue) = %v, %v", one, err)
		}
		// Replacing a day keeps one row per day.
		if err := db.SetOnDuty(ctx, tue, hsaMe); err != nil {
			t.Fatal(err)
		}
		if got := week(); got[tue] != hsaMe || len(got) != 3 {
			t.Errorf("after replace: %v", got)
		}
	})

	t.Run("Clear", func(t *testing.T) {
		if err := db.SetOnDuty(ctx, wed, ""); err != nil {
			t.Fatal(err)
		}
		got := week()
		if _, ok := got[wed]; ok || len(got) != 2 {
			t.Errorf("after clearing %v: %v", wed, got)
		}
		// Clearing an unscheduled day is not an error.
		if err := db.SetOnDuty(ctx, wed.AddDays(10), "  "); err != nil {
			t.Errorf("clearing an empty day: %v", err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		before := week()
		for name, id := range map[string]string{"Unknown": "SE9999999999-OKAND", "Inactive": hsaThird} {
			t.Run(name, func(t *testing.T) {
				wantCode(t, db.SetOnDuty(ctx, mon, id), app.EINVALID)
				got := week()
				if len(got) != len(before) || got[mon] != before[mon] {
					t.Errorf("schedule changed: %v, was %v", got, before)
				}
			})
		}
	})
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	tests := []struct {
		name, key, value string
	}{
		{"OK", "mottagning", "BUP Testköping"},
		{"Overwrite", "mottagning", "BUP Provstad"},
		{"Empty", "telefon", ""},
		{"Multiline", "signatur", "Med vänliga hälsningar\nBUP Provstad\n\"Citat\" & 'apostrof'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.SetSetting(ctx, tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			got, err := db.Setting(ctx, tt.key)
			if err != nil || got != tt.value {
				t.Errorf("Setting(%q) = %q, %v; want %q", tt.key, got, err, tt.value)
			}
		})
	}
	t.Run("Unset", func(t *testing.T) {
		got, err := db.Setting(ctx, "finns-inte")
		if err != nil || got != "" {
			t.Errorf("unset setting = %q, %v", got, err)
		}
	})
	if n := countRows(t, db, "settings"); n != 3 {
		t.Errorf("settings rows %d, want 3 (overwrite replaces)", n)
	}
}

func TestClosedDays(t *testing.T) {
	ctx := context.Background()
	path := newLocation(t)
	db := mustOpenAt(t, path)
	received := sthlm(2026, 12, 7, 9, 0) // Monday
	normal, klamdag := app.D(2026, 12, 9), app.D(2026, 12, 8)
	if got := db.Calendar().DueDate(received); got != normal {
		t.Fatalf("due date %v, want %v", got, normal)
	}
	before := mustCreate(t, db, newCase(db, app.TypeFornyaRecept, received))

	t.Run("Close", func(t *testing.T) {
		if err := db.SetClosedDay(ctx, klamdag, "  Kompetensdag ", true); err != nil {
			t.Fatal(err)
		}
		if got := db.Calendar().DueDate(received); got != app.D(2026, 12, 10) {
			t.Errorf("due date with %v closed = %v, want 2026-12-10", klamdag, got)
		}
		if reason, ok := db.Calendar().ClosedReason(klamdag); !ok || reason != "Kompetensdag" {
			t.Errorf("ClosedReason = %q, %v", reason, ok)
		}
		days, err := db.ClosedDays(ctx)
		if err != nil || len(days) != 1 || days[0].Date != klamdag || days[0].Name != "Kompetensdag" {
			t.Errorf("ClosedDays = %+v, %v", days, err)
		}
		// New cases get the new due date, through intake too; the case
		// already received keeps the one it was promised.
		res, err := db.IngestBatch(ctx, []app.Inbound{{Key: "<klamdag@test.invalid>", Source: "test",
			Notice: &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeJournalkopia, ReceivedAt: received}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c := mustCase(t, db, res[0].CaseID); c.DueDate != app.D(2026, 12, 10) {
			t.Errorf("ingested case due %v, want 2026-12-10", c.DueDate)
		}
		if c := mustCase(t, db, before.ID); c.DueDate != normal {
			t.Errorf("existing case moved to %v", c.DueDate)
		}
	})

	t.Run("Label", func(t *testing.T) {
		day := app.D(2026, 12, 28)
		if err := db.SetClosedDay(ctx, day, " ", true); err != nil {
			t.Fatal(err)
		}
		if reason, ok := db.Calendar().ClosedReason(day); !ok || reason == "" {
			t.Errorf("ClosedReason without label = %q, %v", reason, ok)
		}
		if err := db.SetClosedDay(ctx, day, "Jullov", true); err != nil {
			t.Fatal(err)
		}
		if reason, _ := db.Calendar().ClosedReason(day); reason != "Jullov" {
			t.Errorf("relabelled day = %q", reason)
		}
		if err := db.SetClosedDay(ctx, day, "", false); err != nil {
			t.Fatal(err)
		}
	})

	outer := t // the reopened database outlives this subtest
	t.Run("Reopen", func(t *testing.T) {
		// Closed days survive a restart: the calendar is loaded on Open.
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db2 := mustOpenAt(outer, path)
		if got := db2.Calendar().DueDate(received); got != app.D(2026, 12, 10) {
			t.Errorf("due date after reopen = %v, want 2026-12-10", got)
		}
		if !db2.Calendar().IsWorkingDay(app.D(2026, 12, 28)) {
			t.Errorf("removed closed day still closed after reopen")
		}
		db = db2
	})

	t.Run("Open", func(t *testing.T) {
		if err := db.SetClosedDay(ctx, klamdag, "", false); err != nil {
			t.Fatal(err)
		}
		if got := db.Calendar().DueDate(received); got != normal {
			t.Errorf("due date after reopening %v = %v, want %v", klamdag, got, normal)
		}
		if days, err := db.ClosedDays(ctx); err != nil || len(days) != 0 {
			t.Errorf("ClosedDays = %+v, %v", days, err)
		}
		c := mustCreate(t, db, newCase(db, app.TypeOkand, received.Add(time.Hour)))
		if c.DueDate != normal {
			t.Errorf("new case due %v, want %v", c.DueDate, normal)
		}
	})
	mustIntegrity(t, db)
}

// Staff lists follow the Swedish alphabet (… Z, Å, Ä, Ö) whatever the case
// of the first letter.
func TestListStaffSwedishOrder(t *testing.T) {
	db := MustOpenDB(t)
	for i, n := range []string{"Östen Test", "Åsa Test", "Ärla Test", "Zelda Test", "anna Test", "Bo Test"} {
		mustAddStaff(t, db, n, "SE1111111111-ORD"+string(rune('A'+i)), app.RoleLakare)
	}
	got, err := db.ListStaff(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"anna Test", "Bo Test", "Zelda Test", "Åsa Test", "Ärla Test", "Östen Test"}
	if !slices.Equal(staffNames(got), want) {
		t.Errorf("ListStaff = %v, want %v", staffNames(got), want)
	}
}
