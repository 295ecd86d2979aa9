package app_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"arendestod/app"
)

func TestNormalizePostcode(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"45150", "451 50", true},
		{"451 50", "451 50", true},
		{" 4 5 1 5 0 ", "451 50", true},
		{"4515", "4515", false},
		{"451500", "451500", false},
		{"451 5O", "451 5O", false}, // the letter O
		{"", "", false},
		{"SE-45150", "SE-45150", false},
	} {
		got, ok := app.NormalizePostcode(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizePostcode(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestIntygAddressFormat(t *testing.T) {
	a := &app.IntygAddress{Street: "Storgatan 1", Postcode: "451 50", City: "Uddevalla"}
	if got := a.Lines(); !slices.Equal(got, []string{"Storgatan 1", "451 50  Uddevalla"}) {
		t.Errorf("Lines = %q", got)
	}
	if got := a.String(); got != "Storgatan 1, 451 50 Uddevalla" {
		t.Errorf("String = %q", got)
	}
	for _, z := range []*app.IntygAddress{nil, {}, {Street: " ", City: "\t"}} {
		if !z.IsZero() || z.Lines() != nil || z.String() != "" {
			t.Errorf("%+v: not empty", z)
		}
	}
}

func TestTilltalFor(t *testing.T) {
	for _, c := range []struct {
		readers int
		want    app.Tilltal
	}{
		{0, app.Tilltal{Du: "du", Dig: "dig", Valkommen: "välkommen", Sjalv: "själv"}},
		{1, app.Tilltal{Du: "du", Dig: "dig", Valkommen: "välkommen", Sjalv: "själv"}},
		{2, app.Tilltal{Du: "ni", Dig: "er", Valkommen: "välkomna", Sjalv: "själva"}},
	} {
		if got := app.TilltalFor(c.readers); got != c.want {
			t.Errorf("TilltalFor(%d) = %+v, want %+v", c.readers, got, c.want)
		}
	}
	if app.Cap("ni") != "Ni" || app.Cap("ö") != "Ö" || app.Cap("") != "" {
		t.Error("Cap")
	}
}

func TestLetterAddressees(t *testing.T) {
	home := &app.IntygAddress{Street: "Storgatan 1", Postcode: "451 50", City: "Uddevalla"}
	homeTyped := &app.IntygAddress{Street: "storgatan  1", Postcode: "45150", City: "UDDEVALLA"}
	other := &app.IntygAddress{Street: "Annan väg 3", Postcode: "461 30", City: "Trollhättan"}
	g := func(name string, a *app.IntygAddress) app.IntygPerson {
		return app.IntygPerson{Name: name, PostalAddress: a}
	}
	for _, c := range []struct {
		name      string
		guardians []app.IntygPerson
		names     []string
		window    []string
		elsewhere []string
		du        string
	}{
		{"one, no address", []app.IntygPerson{g("Åsa", nil)}, []string{"Åsa"}, []string{"Åsa"}, nil, "du"},
		{"two, no address", []app.IntygPerson{g("Åsa", nil), g("Jonas", nil)}, []string{"Åsa", "Jonas"}, []string{"Åsa", "Jonas"}, nil, "ni"},
		{"one with address", []app.IntygPerson{g("Åsa", home)}, []string{"Åsa"}, []string{"Åsa", "Storgatan 1", "451 50  Uddevalla"}, nil, "du"},
		{"address typed once", []app.IntygPerson{g("Åsa", home), g("Jonas", nil)}, []string{"Åsa", "Jonas"},
			[]string{"Åsa", "Jonas", "Storgatan 1", "451 50  Uddevalla"}, nil, "ni"},
		{"address typed by the second only", []app.IntygPerson{g("Åsa", &app.IntygAddress{}), g("Jonas", home)}, []string{"Åsa", "Jonas"},
			[]string{"Åsa", "Jonas", "Storgatan 1", "451 50  Uddevalla"}, nil, "ni"},
		{"same address typed twice", []app.IntygPerson{g("Åsa", home), g("Jonas", homeTyped)}, []string{"Åsa", "Jonas"},
			[]string{"Åsa", "Jonas", "Storgatan 1", "451 50  Uddevalla"}, nil, "ni"},
		{"different addresses", []app.IntygPerson{g("Åsa", home), g("Jonas", other)}, []string{"Åsa"},
			[]string{"Åsa", "Storgatan 1", "451 50  Uddevalla"}, []string{"Jonas"}, "du"},
	} {
		in := &app.Intyg{Guardians: c.guardians}
		a := in.LetterAddressees()
		if !slices.Equal(a.Names, c.names) || !slices.Equal(a.WindowLines(), c.window) || !slices.Equal(a.Elsewhere, c.elsewhere) || a.Tilltal().Du != c.du {
			t.Errorf("%s: names %q window %q elsewhere %q %s; want %q %q %q %s", c.name, a.Names, a.WindowLines(), a.Elsewhere,
				a.Tilltal().Du, c.names, c.window, c.elsewhere, c.du)
		}
	}
}

func TestIntygPostalAddressValidation(t *testing.T) {
	in := validIntyg()
	in.Guardians[0].PostalAddress = &app.IntygAddress{Street: "  Storgatan\n 1 ", Postcode: "45150", City: " Uddevalla "}
	out, err := in.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	if got := *out.Guardians[0].PostalAddress; got != (app.IntygAddress{Street: "Storgatan 1", Postcode: "451 50", City: "Uddevalla"}) {
		t.Errorf("normalised %+v", got)
	}
	if in.Guardians[0].PostalAddress.Postcode != "45150" {
		t.Error("Normalized changed its receiver")
	}
	// An empty address is no address.
	in.Guardians[0].PostalAddress = &app.IntygAddress{Street: " "}
	if out, err := in.Normalized(); err != nil || out.Guardians[0].PostalAddress != nil {
		t.Errorf("empty address: %+v %v", out, err)
	}

	for _, c := range []struct {
		addr   app.IntygAddress
		fields []string
	}{
		{app.IntygAddress{Street: "Storgatan 1"}, []string{"guardians[0].postal_address.postcode", "guardians[0].postal_address.city"}},
		{app.IntygAddress{Postcode: "451 50", City: "Uddevalla"}, []string{"guardians[0].postal_address.street"}},
		{app.IntygAddress{Street: "Storgatan 1", Postcode: "4515", City: "Uddevalla"}, []string{"guardians[0].postal_address.postcode"}},
		{app.IntygAddress{Street: strings.Repeat("x", app.IntygFieldMax+1), Postcode: "45150", City: "Uddevalla"}, []string{"guardians[0].postal_address.street"}},
	} {
		in := validIntyg()
		a := c.addr
		in.Guardians[0].PostalAddress = &a
		if got := fieldsOf(t, in.Validate()); !slices.Equal(got, c.fields) {
			t.Errorf("%+v: fields %q, want %q", c.addr, got, c.fields)
		}
	}

	in = validIntyg()
	in.Child.PostalAddress = &app.IntygAddress{Street: "Storgatan 1", Postcode: "45150", City: "Uddevalla"}
	if got := fieldsOf(t, in.Validate()); !slices.Equal(got, []string{"child.postal_address"}) {
		t.Errorf("child's address: fields %q", got)
	}
}

func TestIntygFKAddress(t *testing.T) {
	in := validIntyg()
	out, err := in.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	if out.FKAddress != app.DefaultFKAddress || app.DefaultFKAddress != "Försäkringskassan, Inläsningscentralen, 839 88 Östersund" {
		t.Errorf("FKAddress %q", out.FKAddress)
	}
	in.FKAddress = "  Försäkringskassan,\n Box 1, 123 45 Testort "
	if out, _ := in.Normalized(); out.FKAddress != "Försäkringskassan, Box 1, 123 45 Testort" {
		t.Errorf("FKAddress %q", out.FKAddress)
	}
	in.FKAddress = strings.Repeat("x", app.IntygFieldMax+1)
	if got := fieldsOf(t, in.Validate()); !slices.Equal(got, []string{"fk_address"}) {
		t.Errorf("fields %q", got)
	}
	// An intyg written before the setting says the same as one with the
	// default address.
	withDefault := validIntyg()
	withDefault.FKAddress = app.DefaultFKAddress
	if !app.SameIntygContent(validIntyg(), withDefault) {
		t.Error("an intyg without fk_address differs from one with the default")
	}
	withDefault.FKAddress = "Annan adress 1"
	if app.SameIntygContent(validIntyg(), withDefault) {
		t.Error("the address posted to is not content")
	}
}

// postal_address and fk_address are new JSON fields: they round-trip, and
// JSON without them (every intyg stored before) reads as before.
func TestIntygJSONPostalAddress(t *testing.T) {
	in := validIntyg()
	in.Guardians[0].PostalAddress = &app.IntygAddress{Street: "Storgatan 1", Postcode: "451 50", City: "Uddevalla"}
	in.FKAddress = app.DefaultFKAddress
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"postal_address":{"street":"Storgatan 1","postcode":"451 50","city":"Uddevalla"}`,
		`"fk_address":"Försäkringskassan, Inläsningscentralen, 839 88 Östersund"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s: %s", s, b)
		}
	}
	if strings.Count(string(b), "postal_address") != 1 {
		t.Errorf("the child or an address-less guardian has postal_address: %s", b)
	}
	var back app.Intyg
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(&back, in) {
		t.Errorf("round trip: %+v %v", back, err)
	}

	old := `{"child": {"name": "Alva Testsson", "personnummer": "20190312-9805"},
	  "guardians": [{"name": "Åsa Öberg", "personnummer": "19850720-9818"}],
	  "diagnosis": "Feber", "periods": [{"from": "2026-11-20", "to": "2026-11-27", "percent": 100}],
	  "contact": {"date": "2026-11-24", "kind": "besok"},
	  "issuer": {"name": "Sara Sjöberg", "title": "Sjuksköterska", "hsa_id": "SE2321000131-P000000000001",
	             "unit": "BUP Uddevalla", "address": "Box 1, 451 80 Uddevalla", "phone": "010-000 00 00",
	             "care_provider": "Västra Götalandsregionen"},
	  "place": "Uddevalla", "date": "2026-11-25"}`
	var o app.Intyg
	if err := json.Unmarshal([]byte(old), &o); err != nil {
		t.Fatal(err)
	}
	if o.Guardians[0].PostalAddress != nil || o.FKAddress != "" {
		t.Errorf("old JSON: %+v", o)
	}
	n, err := o.Normalized()
	if err != nil || n.FKAddress != app.DefaultFKAddress || n.Guardians[0].PostalAddress != nil {
		t.Errorf("old JSON normalised: %+v %v", n, err)
	}
	if a := n.LetterAddressees(); !slices.Equal(a.WindowLines(), []string{"Åsa Öberg"}) {
		t.Errorf("old JSON's letter goes to %q", a.WindowLines())
	}
}

// Preview draws the normalised intyg, refusing what Issue refuses; it
// stores nothing.
func TestIntygServicePreview(t *testing.T) {
	svc, st, r, c := newIntygService(t)
	in := validIntyg()
	in.Child.Name = "  Alva   Testsson "
	imgs, err := svc.Preview(in, app.IntygFoljebrevFile, 72)
	if err != nil || len(imgs) != 1 {
		t.Fatalf("Preview: %v %v", imgs, err)
	}
	if !slices.Equal(r.previews, []string{"foljebrev.pdf Alva Testsson 72"}) {
		t.Errorf("renderer got %q", r.previews)
	}
	bad := validIntyg()
	bad.Diagnosis = ""
	if _, err := svc.Preview(bad, app.IntygOriginalFile, 72); err == nil {
		t.Error("an invalid intyg was previewed")
	}
	if _, err := svc.Preview(nil, app.IntygOriginalFile, 72); err == nil {
		t.Error("no intyg was previewed")
	}
	if vs, _ := st.IntygVersions(context.Background(), c.ID); len(vs) != 0 || r.writes != 0 {
		t.Errorf("preview stored %d versions, wrote %d times", len(vs), r.writes)
	}
}
