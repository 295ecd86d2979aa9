package ui

import (
	"context"
	"testing"

	"arendestod/app"
	"arendestod/data"
)

// fillMottagning gives the database the default mottagning's details and
// the region's links, so that every shipped reply fills completely.
func fillMottagning(tb testing.TB, db *data.DB) {
	tb.Helper()
	ctx := context.Background()
	if err := app.SaveUnitDetails(ctx, db, "", app.UnitDetails{Name: "BUP Uddevalla", Address: "Box 1, 451 80 Uddevalla",
		Phone: "010-435 00 00", CareProvider: "NU-sjukvården", Town: "Uddevalla"}); err != nil {
		tb.Fatal(err)
	}
	for k, v := range map[string]string{app.SettingLankCentralarkivet: "https://example.org/arkiv",
		app.SettingLankEVI: "https://example.org/evi"} {
		if err := db.SetSetting(ctx, k, v); err != nil {
			tb.Fatal(err)
		}
	}
}

// fillAllUnits is fillMottagning with every unit the cases name given
// details of its own (app.UnitDetailsFor never signs one unit's case
// with another's details).
func fillAllUnits(tb testing.TB, db *data.DB) {
	tb.Helper()
	fillMottagning(tb, db)
	ctx := context.Background()
	units, err := db.CaseUnits(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range units {
		if err := app.SaveUnitDetails(ctx, db, u, app.UnitDetails{Name: u, Address: "Box 1, 451 80 " + u,
			Phone: "010-435 00 00"}); err != nil {
			tb.Fatal(err)
		}
	}
}
