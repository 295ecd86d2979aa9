package app_test

import (
	"strings"
	"testing"

	"arendestod/app"
)

func TestMatchTypeName(t *testing.T) {
	fold := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O")
	for _, ct := range app.CaseTypes() {
		if ct.Key == app.TypeOkand {
			continue
		}
		variants := map[string]string{
			"exact":         ct.Name,
			"upper":         strings.ToUpper(ct.Name),
			"lower":         strings.ToLower(ct.Name),
			"no diacritics": fold.Replace(ct.Name),
			"padded":        "  " + ct.Name + " \t",
			"double spaces": strings.ReplaceAll(ct.Name, " ", "  "),
			"folded":        strings.Replace(ct.Name, " ", "\r\n ", 2),
			"en dash":       strings.ReplaceAll(ct.Name, " - ", " – "),
			"tight hyphen":  strings.ReplaceAll(ct.Name, " - ", "-"),
			"tight en dash": strings.ReplaceAll(ct.Name, " - ", "–"),
			"trailing text": ct.Name + " (via 1177)",
			"nbsp":          strings.ReplaceAll(ct.Name, " ", "\u00a0"),
		}
		for name, v := range variants {
			if got := app.MatchTypeName(v); got != ct.Key {
				t.Errorf("%s %s: MatchTypeName(%q) = %q, want %q", ct.Key, name, v, got, ct.Key)
			}
		}
	}
}

func TestMatchTypeNameUnknown(t *testing.T) {
	for _, s := range []string{"", "   ", "Lunchmöte", "Förnya", "recept", "Ansökan för vård av barn 12 år",
		"Ansökan för vård av barn under 13 år", "Egenremissen", "Skicka meddelanden"} {
		if got := app.MatchTypeName(s); got != app.TypeOkand {
			t.Errorf("MatchTypeName(%q) = %q, want okand", s, got)
		}
	}
}

func TestCaseTypesComplete(t *testing.T) {
	want := []string{"lakarintyg-omvardnadsbidrag", "lakarintyg-vab-12-16", "lakarintyg-allvarligt-sjukt-barn",
		"lakarintyg-korkort", "lakarintyg-sjukskrivning-skola", "lakarintyg-narkotika-resa", "fornya-recept",
		"vab-under-12", "avboka-omboka", "skicka-meddelande", "andra-kontaktuppgifter", "journalkopia",
		"egenremiss", "fraga-om-remiss", "okand"}
	got := app.CaseTypes()
	if len(got) != len(want) {
		t.Fatalf("got %d types, want %d", len(got), len(want))
	}
	for i, k := range want {
		ct := got[i]
		if ct.Key != k {
			t.Errorf("type %d = %q, want %q", i, ct.Key, k)
		}
		f := app.FlowOf(ct.Key)
		if len(f.Steps) == 0 && len(f.Branches) == 0 {
			t.Errorf("%s: flow %q has no steps", k, ct.Flow)
		}
		if _, ok := app.RoleByKey(string(ct.Role())); !ok {
			t.Errorf("%s: role %q unknown", k, ct.Role())
		}
		if strings.HasPrefix(k, "lakarintyg-") && (ct.Group != app.GroupIntygLakare || ct.Role() != app.RoleIntygshanterare || ct.Roles[0] != app.RoleArendemottagare) {
			t.Errorf("%s: group %q roles %v", k, ct.Group, ct.Roles)
		}
	}
}

func TestAvbokaBranches(t *testing.T) {
	f := app.FlowOf(app.TypeAvbokaOmboka)
	if len(f.StepsFor("")) != 0 {
		t.Errorf("no branch chosen should show no branch steps")
	}
	for _, b := range []string{"avbokning", "ombokning-distans", "ny-tid"} {
		steps := f.StepsFor(b)
		if len(steps) == 0 {
			t.Errorf("branch %s has no steps", b)
		}
		hasSvar := false
		for _, s := range steps {
			hasSvar = hasSvar || s.Feedback == app.FeedbackSvar
		}
		if !hasSvar {
			t.Errorf("branch %s has no answering step", b)
		}
	}
	av := f.StepsFor("avbokning")
	if av[0].Text != "Standardsvar skickat: ärendet mottaget och besöket avbokat" {
		t.Errorf("avbokning first step %q", av[0].Text)
	}
}
