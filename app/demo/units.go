package demo

import (
	"context"

	"arendestod/app"
)

// The demo's mottagningar, each with its own made-up details: every unit
// the notices name (units) speaks for itself in replies, intyg and
// följebrev. The phone numbers are from the range the Swedish telecom
// authority keeps for fiction (031-390 06 00–99); the addresses and links
// are invented.
var unitDetails = map[string]app.UnitDetails{
	"BUP Uddevalla": {Name: "BUP Uddevalla", Address: "Lövängsvägen 7, 451 53 Uddevalla", Phone: "031-390 06 01",
		CareProvider: "NU-sjukvården, Västra Götalandsregionen", Town: "Uddevalla"},
	"BUP Trollhättan": {Name: "BUP Trollhättan", Address: "Kyrkvägen 21, 461 35 Trollhättan", Phone: "031-390 06 02",
		CareProvider: "NU-sjukvården, Västra Götalandsregionen", Town: "Trollhättan"},
	"BUP Vänersborg": {Name: "BUP Vänersborg", Address: "Edsgatan 4, 462 34 Vänersborg", Phone: "031-390 06 03",
		CareProvider: "NU-sjukvården, Västra Götalandsregionen", Town: "Vänersborg"},
	"BUP Strömstad": {Name: "BUP Strömstad", Address: "Norra Hamngatan 9, 452 30 Strömstad", Phone: "031-390 06 04",
		CareProvider: "NU-sjukvården, Västra Götalandsregionen", Town: "Strömstad"},
	"BUP Lysekil": {Name: "BUP Lysekil", Address: "Badhusgatan 3, 453 30 Lysekil", Phone: "031-390 06 05",
		CareProvider: "NU-sjukvården, Västra Götalandsregionen", Town: "Lysekil"},
}

// Units returns the demo's mottagningar, as the notices name them.
func Units() []string {
	var out []string
	for _, u := range units {
		if len(out) == 0 || out[len(out)-1] != u {
			out = append(out, u)
		}
	}
	return out
}

// SeedUnits fills in the details of every demo mottagning, the default
// (BUP Uddevalla's) and the region's links. Only what is missing: details
// already saved are left as they are.
func SeedUnits(ctx context.Context, s app.SettingsStore) error {
	for _, u := range append([]string{""}, Units()...) {
		have, err := app.LoadUnitDetails(ctx, s, u)
		if err != nil {
			return err
		}
		if have != (app.UnitDetails{}) {
			continue
		}
		d := unitDetails[u]
		if u == "" {
			d = unitDetails["BUP Uddevalla"]
		}
		if err := app.SaveUnitDetails(ctx, s, u, d); err != nil {
			return err
		}
	}
	for k, v := range map[string]string{
		app.SettingLankCentralarkivet: "https://centralarkivet.example/bestall-journalkopia",
		app.SettingLankEVI:            "https://envagin.example/bup",
	} {
		have, err := s.Setting(ctx, k)
		if err != nil {
			return err
		}
		if have == "" {
			if err := s.SetSetting(ctx, k, v); err != nil {
				return err
			}
		}
	}
	return nil
}
