package demo

import (
	"context"
	"fmt"

	"arendestod/app"
)

// StaffStore is what SeedStaff needs from storage.
type StaffStore interface {
	app.StaffStore
	app.ScheduleStore
}

// The demo's staff. The names are made up; the HSA-IDs have the shape of
// the region's (organisation number 232100-0131) with local parts that no
// real person has.
var staff = []app.Staff{
	{Name: "Sara Sjöberg", HSAID: "SE2321000131-P000000000001", Email: "sara.sjoberg@bup-demo.example",
		Roles: []app.Role{app.RoleSjukskoterska}},
	{Name: "Ali Haddad", HSAID: "SE2321000131-P000000000002", Email: "ali.haddad@bup-demo.example",
		Roles: []app.Role{app.RoleLakare}},
	{Name: "Maja Lind", HSAID: "SE2321000131-P000000000003", Email: "maja.lind@bup-demo.example",
		Roles: []app.Role{app.RoleMedicinskSekreterare, app.RoleIntygshanterare}},
	{Name: "Erik Ek", HSAID: "SE2321000131-P000000000004", Email: "erik.ek@bup-demo.example",
		Roles: []app.Role{app.RoleArendemottagare, app.RoleArendehanterare}},
	{Name: "Karin Berg", HSAID: "SE2321000131-P000000000005", Email: "karin.berg@bup-demo.example",
		Roles: []app.Role{app.RoleChef, app.RoleAdministrator}},
	{Name: "Jonas Åberg", HSAID: "SE2321000131-P000000000006", Email: "jonas.aberg@bup-demo.example",
		Roles: []app.Role{app.RoleArendemottagare, app.RoleSjukskoterska}},
}

// Owner is the HSA-ID of the demo mailbox's owner, Erik Ek
// (ärendehanterare): tilldelat notices assign their cases to him.
const Owner = "SE2321000131-P000000000004"

// onDuty takes turns as 1177-ansvarig, Monday to Friday.
var onDuty = []string{"SE2321000131-P000000000004", "SE2321000131-P000000000006"}

// Staff returns the demo's staff.
func Staff() []app.Staff {
	out := make([]app.Staff, len(staff))
	for i, s := range staff {
		s.Roles = append([]app.Role(nil), s.Roles...)
		out[i] = s
	}
	return out
}

// SeedStaff adds the demo's staff and makes them 1177-ansvarig in turns on
// the working days (Monday to Friday, not public holidays) of today's week.
// It adds only what is missing: staff already there, by HSA-ID, and days
// already scheduled are left as they are.
func SeedStaff(ctx context.Context, store StaffStore, today app.Date) error {
	for _, s := range Staff() {
		_, err := store.StaffByHSAID(ctx, s.HSAID)
		switch {
		case err == nil:
			continue
		case app.ErrorCode(err) != app.ENOTFOUND:
			return err
		}
		if err := store.AddStaff(ctx, &s); err != nil {
			return fmt.Errorf("demo: add %s: %w", s.HSAID, err)
		}
	}
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	friday := monday.AddDays(4)
	scheduled, err := store.Schedule(ctx, monday, friday)
	if err != nil {
		return err
	}
	cal := app.NewCalendar()
	for i := 0; i < 5; i++ {
		d := monday.AddDays(i)
		if _, ok := scheduled[d]; ok || !cal.IsWorkingDay(d) {
			continue
		}
		if err := store.SetOnDuty(ctx, d, onDuty[i%len(onDuty)]); err != nil {
			return fmt.Errorf("demo: schedule %s: %w", d, err)
		}
	}
	return nil
}
