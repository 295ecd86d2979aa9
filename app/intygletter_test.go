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

// Who gets which letter: one per distinct postal address, to the
// guardians living there, "du" to one and "ni" to two; a guardian without
// an address shares the one given; each letter names who else gets one.
func TestLetters(t *testing.T) {
	home := &app.IntygAddress{Street: "Storgatan 1", Postcode: "451 50", City: "Uddevalla"}
	homeTyped := &app.IntygAddress{Street: "storgatan  1", Postcode: "45150", City: "UDDEVALLA"}
	other := &app.IntygAddress{Street: "Annan väg 3", Postcode: "461 30", City: "Trollhättan"}
	g := func(name string, a *app.IntygAddress) app.IntygPerson {
		return app.IntygPerson{Name: name, PostalAddress: a}
	}
	type letter struct {
		names  []string
		window []string
		alsoTo []string
		du     string
	}
	homeLines := []string{"Storgatan 1", "451 50  Uddevalla"}
	otherLines := []string{"Annan väg 3", "461 30  Trollhättan"}
	for _, c := range []struct {
		name      string
		guardians []app.IntygPerson
		letters   []letter
	}{
		{"one, no address", []app.IntygPerson{g("Åsa", nil)}, []letter{{[]string{"Åsa"}, []string{"Åsa"}, nil, "du"}}},
		{"two, no address", []app.IntygPerson{g("Åsa", nil), g("Jonas", nil)},
			[]letter{{[]string{"Åsa", "Jonas"}, []string{"Åsa", "Jonas"}, nil, "ni"}}},
		{"one with address", []app.IntygPerson{g("Åsa", home)},
			[]letter{{[]string{"Åsa"}, append([]string{"Åsa"}, homeLines...), nil, "du"}}},
		{"address typed once", []app.IntygPerson{g("Åsa", home), g("Jonas", nil)},
			[]letter{{[]string{"Åsa", "Jonas"}, append([]string{"Åsa", "Jonas"}, homeLines...), nil, "ni"}}},
		{"address typed by the second only", []app.IntygPerson{g("Åsa", &app.IntygAddress{}), g("Jonas", home)},
			[]letter{{[]string{"Åsa", "Jonas"}, append([]string{"Åsa", "Jonas"}, homeLines...), nil, "ni"}}},
		{"same address typed twice", []app.IntygPerson{g("Åsa", home), g("Jonas", homeTyped)},
			[]letter{{[]string{"Åsa", "Jonas"}, append([]string{"Åsa", "Jonas"}, homeLines...), nil, "ni"}}},
		{"different addresses", []app.IntygPerson{g("Åsa", home), g("Jonas", other)}, []letter{
			{[]string{"Åsa"}, append([]string{"Åsa"}, homeLines...), []string{"Jonas"}, "du"},
			{[]string{"Jonas"}, append([]string{"Jonas"}, otherLines...), []string{"Åsa"}, "du"},
		}},
		{"different addresses, the other first", []app.IntygPerson{g("Jonas", other), g("Åsa", homeTyped)}, []letter{
			{[]string{"Jonas"}, append([]string{"Jonas"}, otherLines...), []string{"Åsa"}, "du"},
			{[]string{"Åsa"}, []string{"Åsa", "storgatan  1", "45150  UDDEVALLA"}, []string{"Jonas"}, "du"},
		}},
		{"no guardian", nil, []letter{{nil, nil, nil, "du"}}},
	} {
		in := &app.Intyg{Guardians: c.guardians}
		got := in.Letters()
		if len(got) != len(c.letters) {
			t.Errorf("%s: %d letters, want %d: %+v", c.name, len(got), len(c.letters), got)
			continue
		}
		for i, w := range c.letters {
			a := got[i]
			if !slices.Equal(a.Names, w.names) || !slices.Equal(a.WindowLines(), w.window) || !slices.Equal(a.AlsoTo, w.alsoTo) || a.Tilltal().Du != w.du {
				t.Errorf("%s, letter %d: names %q window %q also to %q %s; want %q %q %q %s", c.name, i+1, a.Names, a.WindowLines(), a.AlsoTo,
					a.Tilltal().Du, w.names, w.window, w.alsoTo, w.du)
			}
		}
	}
}

// The note for whoever posts the letters: only when there are several,
// naming each letter's addressees and address and asking for one copy
// per envelope.
func TestLettersNote(t *testing.T) {
	in := validIntyg()
	in.Guardians = []app.IntygPerson{
		{Name: "Åsa Öberg", PostalAddress: &app.IntygAddress{Street: "Storgatan 1", Postcode: "451 50", City: "Uddevalla"}},
		{Name: "Jonas Testsson"},
	}
	if note := in.LettersNote(); note != "" {
		t.Errorf("one address: note %q", note)
	}
	in.Guardians[1].PostalAddress = &app.IntygAddress{Street: "Annan väg 3", Postcode: "46130", City: "Trollhättan"} // as typed
	want := "Vårdnadshavarna bor på olika adresser, så följebrevet är två brev, vart och ett på egen sida: " +
		"ett till Åsa Öberg (Storgatan 1, 451 50 Uddevalla) och ett till Jonas Testsson (Annan väg 3, 461 30 Trollhättan). " +
		"Skriv ut kopian två gånger och lägg brevet och en kopia i varje kuvert."
	if note := in.LettersNote(); note != want {
		t.Errorf("note\n%q, want\n%q", note, want)
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
	if ls := n.Letters(); len(ls) != 1 || !slices.Equal(ls[0].WindowLines(), []string{"Åsa Öberg"}) || ls[0].AlsoTo != nil {
		t.Errorf("old JSON's letters: %+v", ls)
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

// PreviewLetters draws the normalised intyg's letters, one group per
// address, refusing what Issue refuses; it stores nothing.
func TestIntygServicePreviewLetters(t *testing.T) {
	svc, st, r, c := newIntygService(t)
	in := validIntyg()
	in.Child.Name = "  Alva   Testsson "
	in.Guardians = []app.IntygPerson{
		{Name: "Åsa Öberg", Personnummer: in.Guardians[0].Personnummer, PostalAddress: &app.IntygAddress{Street: "Storgatan 1", Postcode: "45150", City: "Uddevalla"}},
		{Name: "Jonas Testsson", Personnummer: "19860203-9847", PostalAddress: &app.IntygAddress{Street: "Annan väg 3", Postcode: "461 30", City: "Trollhättan"}},
	}
	letters, err := svc.PreviewLetters(in, 72)
	if err != nil || len(letters) != 2 {
		t.Fatalf("PreviewLetters: %d letters, %v", len(letters), err)
	}
	if !slices.Equal(r.previews, []string{"letters Alva Testsson 72"}) {
		t.Errorf("renderer got %q", r.previews)
	}
	in.Guardians[1].PostalAddress = nil // shares Åsa's address
	if letters, err := svc.PreviewLetters(in, 72); err != nil || len(letters) != 1 {
		t.Errorf("one address: %d letters, %v", len(letters), err)
	}
	bad := validIntyg()
	bad.Diagnosis = ""
	if _, err := svc.PreviewLetters(bad, 72); err == nil {
		t.Error("an invalid intyg was previewed")
	}
	if _, err := svc.PreviewLetters(nil, 72); err == nil {
		t.Error("no intyg was previewed")
	}
	if vs, _ := st.IntygVersions(context.Background(), c.ID); len(vs) != 0 || r.writes != 0 {
		t.Errorf("preview stored %d versions, wrote %d times", len(vs), r.writes)
	}
}
