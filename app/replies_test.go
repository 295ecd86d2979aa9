package app_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"arendestod/app"
)

// memSettings is a SettingsStore in memory.
type memSettings map[string]string

func (m memSettings) Setting(_ context.Context, k string) (string, error) { return m[k], nil }
func (m memSettings) SetSetting(_ context.Context, k, v string) error     { m[k] = v; return nil }

func mustBook(t *testing.T) *app.ReplyBook {
	t.Helper()
	b, err := app.NewReplyBook(os.DirFS("../assets/replies"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplyBookShipsEveryReply(t *testing.T) {
	b := mustBook(t)
	want := []string{"delsvar", "delsvar-lakare", "motfraga", "avbokning", "journalkopia", "evi", "intyg-skickat"}
	var got []string
	for _, r := range b.All() {
		got = append(got, r.Key)
		if r.Name == "" || r.Default == "" {
			t.Errorf("%s: name or default text empty", r.Key)
		}
		// Every placeholder in a shipped text must be one we fill.
		f := app.FillReply(r.Default, app.ReplyValues{})
		if len(f.Unknown) > 0 {
			t.Errorf("%s: unknown placeholders %v", r.Key, f.Unknown)
		}
		if !strings.Contains(r.Default, "{mottagning}") {
			t.Errorf("%s: does not sign with {mottagning}", r.Key)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replies = %v, want %v", got, want)
	}
	for key, link := range map[string]string{"journalkopia": "{lank-centralarkivet}", "evi": "{lank-evi}"} {
		r, _ := b.Reply(key)
		if !strings.Contains(r.Default, link) {
			t.Errorf("%s lacks %s", key, link)
		}
	}
}

func TestNewReplyBookMissingText(t *testing.T) {
	fsys := fstest.MapFS{"delsvar.txt": {Data: []byte("Hej")}}
	if _, err := app.NewReplyBook(fsys); err == nil {
		t.Fatal("want an error for missing default texts")
	}
	full := fstest.MapFS{}
	for _, r := range mustBook(t).All() {
		full[r.Key+".txt"] = &fstest.MapFile{Data: []byte("x")}
	}
	full["evi.txt"] = &fstest.MapFile{Data: []byte(" \n")}
	if _, err := app.NewReplyBook(full); err == nil {
		t.Fatal("want an error for an empty default text")
	}
}

func TestFillReply(t *testing.T) {
	v := app.ReplyValues{"mottagning": "BUP Uddevalla", "telefon": "010-123 45 67", "datum": "2 december 2026",
		"arendenummer": "", "adress": "Storgatan 1"}
	tests := []struct {
		name, in, want string
		missing        []string
		unknown        []string
	}{
		{"OK", "Hälsningar {mottagning}, tel {telefon}", "Hälsningar BUP Uddevalla, tel 010-123 45 67", nil, nil},
		{"Repeated", "{mottagning}/{mottagning}", "BUP Uddevalla/BUP Uddevalla", nil, nil},
		{"DueDate", "senast {datum}.", "senast 2 december 2026.", nil, nil},
		{"EmptyValueStaysVisible", "Ärende {arendenummer}", "Ärende {arendenummer}", []string{"arendenummer"}, nil},
		{"UnsetValueStaysVisible", "{vardgivare} {vardgivare}", "{vardgivare} {vardgivare}", []string{"vardgivare"}, nil},
		{"UnknownStaysVisible", "Ring {telefn}", "Ring {telefn}", nil, []string{"telefn"}},
		{"BracesInText", "a {} b { c } d", "a {} b { c } d", nil, nil},
		{"Unclosed", "Hej {mottagning", "Hej {mottagning", nil, nil},
		{"Nested", "x {y {telefon} z", "x {y 010-123 45 67 z", nil, nil},
		{"NoPlaceholders", "Hej!\n\nMvh", "Hej!\n\nMvh", nil, nil},
		{"Diacritics", "Från {mottagning} – å ä ö", "Från BUP Uddevalla – å ä ö", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := app.FillReply(tt.in, v)
			if got.Text != tt.want {
				t.Errorf("text = %q, want %q", got.Text, tt.want)
			}
			if !reflect.DeepEqual(got.Missing, tt.missing) {
				t.Errorf("missing = %v, want %v", got.Missing, tt.missing)
			}
			if !reflect.DeepEqual(got.Unknown, tt.unknown) {
				t.Errorf("unknown = %v, want %v", got.Unknown, tt.unknown)
			}
		})
	}
}

func TestReplyTextOverrideAndReset(t *testing.T) {
	ctx := context.Background()
	b := mustBook(t)
	s := memSettings{}
	def, _ := b.Reply("delsvar")

	text, custom, err := b.Text(ctx, s, "delsvar")
	if err != nil || custom || text != def.Default {
		t.Fatalf("default: %q %v %v", text, custom, err)
	}
	if err := b.SetText(ctx, s, "delsvar", "Vår egen text från {mottagning}\r\n"); err != nil {
		t.Fatal(err)
	}
	if s["svar.delsvar"] != "Vår egen text från {mottagning}" {
		t.Errorf("stored %q", s["svar.delsvar"])
	}
	text, custom, _ = b.Text(ctx, s, "delsvar")
	if !custom || text != "Vår egen text från {mottagning}" {
		t.Errorf("override: %q %v", text, custom)
	}
	if err := b.ResetText(ctx, s, "delsvar"); err != nil {
		t.Fatal(err)
	}
	if text, custom, _ = b.Text(ctx, s, "delsvar"); custom || text != def.Default {
		t.Errorf("after reset: %q %v", text, custom)
	}
	// Saving the default text is the same as no override.
	_ = b.SetText(ctx, s, "delsvar", def.Default)
	if s["svar.delsvar"] != "" {
		t.Errorf("default text stored as override")
	}
	if _, _, err := b.Text(ctx, s, "nope"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown key: %v", err)
	}
	if err := b.SetText(ctx, s, "delsvar", strings.Repeat("x", 9000)); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("too long: %v", err)
	}
}

func TestReplyValuesFor(t *testing.T) {
	ctx := context.Background()
	s := memSettings{app.SettingMottagningNamn: " BUP Uddevalla ", app.SettingMottagningTelefon: "010-123 45 67",
		app.SettingLankEVI: "https://example.org/evi"}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	c := app.NewCase(app.TypeFornyaRecept, now, app.NewCalendar())
	c.Reference = "1177-42"
	v, err := app.ReplyValuesFor(ctx, s, c, now)
	if err != nil {
		t.Fatal(err)
	}
	want := app.ReplyValues{"mottagning": "BUP Uddevalla", "telefon": "010-123 45 67", "adress": "", "vardgivare": "",
		"lank-centralarkivet": "", "lank-evi": "https://example.org/evi", "datum": "2 december 2026",
		"arendenummer": "1177-42", "idag": "30 november 2026"}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("values = %v\nwant %v", v, want)
	}
	f := app.FillReply("{mottagning} svarar senast {datum} på {arendenummer}; {adress}", v)
	if f.Text != "BUP Uddevalla svarar senast 2 december 2026 på 1177-42; {adress}" || !reflect.DeepEqual(f.Missing, []string{"adress"}) {
		t.Errorf("filled %+v", f)
	}
}

func TestReplyForType(t *testing.T) {
	b := mustBook(t)
	keys := func(rs []app.Reply) []string {
		var ks []string
		for _, r := range rs {
			ks = append(ks, r.Key)
		}
		return ks
	}
	tests := []struct {
		typ   string
		first []string
	}{
		// Issue 12 item 3: "Intyg skickat" is no longer made for the
		// doctor's certificates (closed in 1177 without an answer).
		{app.TypeKorkort, []string{"delsvar-lakare", "delsvar", "motfraga"}},
		{app.TypeEgenremiss, []string{"evi", "delsvar", "motfraga"}},
		{app.TypeAvbokaOmboka, []string{"avbokning", "delsvar", "motfraga"}},
		{app.TypeSkickaMeddelande, []string{"delsvar", "motfraga"}},
	}
	for _, tt := range tests {
		got := keys(b.ForType(tt.typ))
		if len(got) != len(b.All()) {
			t.Errorf("%s: %d replies, want all %d", tt.typ, len(got), len(b.All()))
		}
		if !reflect.DeepEqual(got[:len(tt.first)], tt.first) {
			t.Errorf("%s: order %v, want first %v", tt.typ, got, tt.first)
		}
	}
}

func TestSendReply(t *testing.T) {
	b := mustBook(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	reply := func(k string) app.Reply { r, _ := b.Reply(k); return r }
	kinds := func(evs []app.Event) []app.EventKind {
		var ks []app.EventKind
		for _, e := range evs {
			ks = append(ks, e.Kind)
		}
		return ks
	}
	tests := []struct {
		name   string
		typ    string
		status app.Status
		reply  string
		want   []app.EventKind
		after  app.Status
	}{
		{"Delsvar", app.TypeFornyaRecept, app.StatusFordelad, "delsvar",
			[]app.EventKind{app.EventReplySent, app.EventDelsvar}, app.StatusPagaende},
		{"DelsvarTicksStep", app.TypeKorkort, app.StatusNy, "delsvar-lakare",
			[]app.EventKind{app.EventReplySent, app.EventDelsvar, app.EventStepDone}, app.StatusPagaende},
		{"Motfraga", app.TypeSkickaMeddelande, app.StatusNy, "motfraga",
			[]app.EventKind{app.EventReplySent, app.EventMotfraga}, app.StatusVantar},
		{"MotfragaAgain", app.TypeSkickaMeddelande, app.StatusVantar, "motfraga",
			[]app.EventKind{app.EventReplySent}, app.StatusVantar},
		{"Svar", app.TypeEgenremiss, app.StatusNy, "evi",
			[]app.EventKind{app.EventReplySent, app.EventSvar, app.EventStepDone}, app.StatusAvslutad},
		{"OnClosed", app.TypeKorkort, app.StatusAvslutad, "intyg-skickat",
			[]app.EventKind{app.EventReplySent}, app.StatusAvslutad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.NewCase(tt.typ, now.AddDate(0, 0, -1), app.NewCalendar())
			c.Status = tt.status
			evs, err := c.SendReply(reply(tt.reply), "SE2321000131-P1", now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(kinds(evs), tt.want) {
				t.Errorf("events %v, want %v", kinds(evs), tt.want)
			}
			if evs[0].Detail != reply(tt.reply).Name {
				t.Errorf("detail %q", evs[0].Detail)
			}
			if c.Status != tt.after {
				t.Errorf("status %s, want %s", c.Status, tt.after)
			}
		})
	}
	if _, err := (&app.Case{}).SendReply(app.Reply{}, "x", now); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("empty reply: %v", err)
	}
}

func TestDateLongSv(t *testing.T) {
	for d, want := range map[app.Date]string{
		app.D(2026, 12, 2): "2 december 2026",
		app.D(2027, 1, 31): "31 januari 2027",
		app.D(2027, 5, 1):  "1 maj 2027",
	} {
		if got := app.DateLongSv(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
