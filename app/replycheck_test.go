package app_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

func TestUnfilled(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Hej! Ring {telefon}. /{mottagning}", []string{"{telefon}", "{mottagning}"}},
		{"{telefn} och {telefn}", []string{"{telefn}"}},
		{"Tack för ditt ärende.\n\n[Skriv frågan här]\n", []string{"[Skriv frågan här]"}},
		{"Allt ifyllt: BUP Uddevalla, 010-435 00 00.", nil},
		{"Klammer i text {inte en platshållare} och [se bilaga]", nil},
		{"{{telefon}}", []string{"{telefon}"}},
		{"Obalanserad { telefon", nil},
	}
	for _, tt := range tests {
		if got := app.Unfilled(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCheckReplyReady(t *testing.T) {
	h := app.ReplyFillHelp{Unit: "BUP Lysekil", Fillers: "Karin Berg (administratör)"}
	tests := []struct {
		name, text string
		want       []string // in the message
	}{
		{"Filled", "Hej! Ring 010-1. /BUP Lysekil", nil},
		{"UnitDetail", "Ring {telefon}.", []string{"Uppgifter saknas: {telefon} (telefonnummer för BUP Lysekil, under Inställningar → Mottagning)",
			"fylls i av Karin Berg (administratör)", "kan inte kopieras eller markeras som skickat"}},
		{"Link", "Gå till {lank-evi}", []string{"{lank-evi} (länk till En Väg In, för alla mottagningar", "Karin Berg"}},
		{"NoReference", "Ditt ärende {arendenummer}", []string{"ärendet har inget ärendenummer"}},
		{"Unknown", "Ring {telefn}", []string{"{telefn} (ingen platshållare som fylls i"}},
		{"Prompt", "Vi undrar:\n[Skriv frågan här]", []string{"[Skriv frågan här] (skriv in det som ska stå där)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := app.CheckReplyReady(tt.text, h)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("not refused: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err.Error(), w)
				}
			}
		})
	}
	// Only a placeholder needing the case's text: nobody to ask.
	if err := app.CheckReplyReady("{arendenummer}", h); strings.Contains(err.Error(), "Karin") {
		t.Errorf("names who fills settings for a case field: %v", err)
	}
}

func TestCheckReplyTemplate(t *testing.T) {
	if err := app.CheckReplyTemplate("Hej från {mottagning}, ring {telefon} senast {datum}."); err != nil {
		t.Errorf("known placeholders refused: %v", err)
	}
	err := app.CheckReplyTemplate("Ring {telefn} eller {epost}")
	var e *app.Error
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "{telefn}, {epost}") {
		t.Fatalf("unknown placeholders: %v", err)
	}
	if e = err.(*app.Error); e.Field != "text" || !strings.Contains(e.Message, "{telefon}") {
		t.Errorf("error %+v", e)
	}
}

func TestRecentReplyAndSendReplyOnce(t *testing.T) {
	b := mustBook(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	delsvar, _ := b.Reply("delsvar")
	motfraga, _ := b.Reply("motfraga")
	c := app.NewCase(app.TypeSkickaMeddelande, now.AddDate(0, 0, -1), app.NewCalendar())
	evs, err := c.SendReply(delsvar, "SE2321000131-P1", now)
	if err != nil || len(evs) < 2 {
		t.Fatalf("%v %v", evs, err)
	}
	// The store gives the latest events newest first.
	newest := func(evs []app.Event) []app.Event {
		out := append([]app.Event(nil), evs...)
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out
	}
	c.RecentReply = app.RecentReply(newest(evs))
	if c.RecentReply != delsvar.Name {
		t.Fatalf("recent %q", c.RecentReply)
	}
	// Pressed again: nothing recorded.
	again, err := c.SendReply(delsvar, "SE2321000131-P1", now.Add(time.Second))
	if err != nil || len(again) != 0 {
		t.Errorf("second mark recorded %v %v", again, err)
	}
	// Another reply is recorded.
	if evs, err := c.SendReply(motfraga, "SE2321000131-P1", now.Add(2*time.Second)); err != nil || len(evs) == 0 {
		t.Errorf("other reply: %v %v", evs, err)
	}
	// Something else happened since: the same reply counts again.
	note := app.Event{Kind: app.EventNote, Actor: "SE2321000131-P1", At: now.Add(time.Minute)}
	latest := append([]app.Event{note}, newest(evs)...)
	if got := app.RecentReply(latest); got != "" {
		t.Errorf("after a note: %q", got)
	}
	// A note at the very same instant is a change of its own too.
	note.At = evs[0].At
	if got := app.RecentReply(append([]app.Event{note}, newest(evs)...)); got != "" {
		t.Errorf("after a note at the same time: %q", got)
	}
	if got := app.RecentReply(nil); got != "" {
		t.Errorf("no events: %q", got)
	}
}

func TestCustomReplies(t *testing.T) {
	ctx := context.Background()
	b := mustBook(t)
	s := memSettings{}
	r, err := b.AddReply(ctx, s, "  Påminnelse  om  tid ", app.ReplyActionNone, "Hej! Välkommen {datum}.\r\n/{mottagning}")
	if err != nil {
		t.Fatal(err)
	}
	if r.Key != "egen-1" || r.Name != "Påminnelse om tid" || !r.Custom {
		t.Errorf("reply %+v", r)
	}
	full, err := b.WithCustom(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	all := full.All()
	if last := all[len(all)-1]; last.Key != "egen-1" || len(all) != len(b.All())+1 {
		t.Errorf("book %v", all)
	}
	if !containsKey(full.ForType(app.TypeKorkort), "egen-1") {
		t.Errorf("ForType lacks the own reply")
	}
	text, custom, err := b.Text(ctx, s, "egen-1")
	if err != nil || !custom || text != "Hej! Välkommen {datum}.\n/{mottagning}" {
		t.Errorf("text %q %v %v", text, custom, err)
	}
	if err := b.SetText(ctx, s, "egen-1", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("emptied own reply: %v", err)
	}
	if err := b.ResetText(ctx, s, "egen-1"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("reset own reply: %v", err)
	}
	if err := b.SetText(ctx, s, "delsvar", "Ring {telefn}"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unknown placeholder saved: %v", err)
	}

	// Refused: a taken name, no action, an unknown placeholder; each named.
	_, err = b.AddReply(ctx, s, "delsvar (ALLMÄNT)", "nej", "Ring {telefn}")
	var list app.ValidationErrors
	if !asList(err, &list) || len(list) != 3 {
		t.Fatalf("refusal %v", err)
	}
	fields := map[string]bool{}
	for _, e := range list {
		fields[e.Field] = true
	}
	if !fields["name"] || !fields["action"] || !fields["text"] {
		t.Errorf("fields %v", fields)
	}
	r2, err := b.AddReply(ctx, s, "Bekräftelse", app.ReplyActionSvar, "Klart. /{mottagning}")
	if err != nil || r2.Key != "egen-2" {
		t.Fatalf("%+v %v", r2, err)
	}
	if err := b.RemoveReply(ctx, s, "egen-1"); err != nil {
		t.Fatal(err)
	}
	if err := b.RemoveReply(ctx, s, "delsvar"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("shipped removed: %v", err)
	}
	full, _ = b.WithCustom(ctx, s)
	if containsKey(full.All(), "egen-1") || !containsKey(full.All(), "egen-2") || s["svar.egen-1"] != "" {
		t.Errorf("after remove: %v", full.All())
	}
	// A new one does not take a removed one's key back while a later one exists.
	if r3, _ := b.AddReply(ctx, s, "Tredje", app.ReplyActionNone, "x"); r3.Key != "egen-3" {
		t.Errorf("key %q", r3.Key)
	}
}

func containsKey(rs []app.Reply, key string) bool {
	for _, r := range rs {
		if r.Key == key {
			return true
		}
	}
	return false
}

func asList(err error, out *app.ValidationErrors) bool {
	l, ok := err.(app.ValidationErrors)
	*out = l
	return ok
}
