package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/notice"
	"arendestod/data"
)

// buttonIn returns the button with text inside o, or nil.
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	switch o := o.(type) {
	case *widget.Button:
		if o.Text == text {
			return o
		}
	case *fyne.Container:
		for _, c := range o.Objects {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// Karantän in the settings: a notice from an unknown sender is listed
// with its reason and sender; releasing it first says why not; "Tillåt
// avsändaren" allows the domain (in the access log) and "Släpp in som
// ärende" then makes the case. Only administrators see the list.
func TestQuarantineSettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw := fmt.Sprintf("Subject: Nytt =?utf-8?q?=C3=A4rende?= i 1177 e-tjänster\r\nFrom: 1177 <attacker@evil.example>\r\nTo: bup@region.example\r\n"+
		"Date: %s\r\nMessage-ID: <q1@x.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"Ett nytt ärende har kommit in i 1177 e-tjänster.\r\n\r\nÄrendetyp: Förnya recept\r\nÄrendenummer: 2026-7711\r\nInkom: 2026-11-25 09:00\r\n",
		testNow.Add(-30*time.Minute).Format(time.RFC1123Z))
	in := notice.Parse([]byte(raw), testNow, "test")
	app.ScreenSender(&in, app.DefaultSenderDomains, testNow)
	if in.Quarantine == nil {
		t.Fatalf("not quarantined: %+v", in)
	}
	if _, err := f.db.IngestBatch(ctx, []app.Inbound{in}, nil); err != nil {
		t.Fatal(err)
	}

	st := f.u.settings
	st.load()
	f.settle()
	qs := st.quarantine
	if !qs.card.Visible() || len(qs.list.Objects) != 1 {
		t.Fatalf("quarantine card visible %v, %d rows", qs.card.Visible(), len(qs.list.Objects))
	}
	row := qs.list.Objects[0]
	if l := test.LaidOutObjects(row); l == nil {
		t.Fatal("empty row")
	}
	var text string
	for _, o := range row.(*fyne.Container).Objects {
		if l, ok := o.(*widget.Label); ok {
			text = l.Text
		}
	}
	if !strings.Contains(text, "Orsak: okänd avsändare: attacker@evil.example") || !strings.Contains(text, "Avsändare: attacker@evil.example") {
		t.Errorf("row %q", text)
	}
	allow, release := buttonIn(row, "Tillåt avsändaren"), buttonIn(row, "Släpp in som ärende")
	if allow == nil || release == nil || allow.Disabled() {
		t.Fatalf("buttons %v %v", allow, release)
	}

	// Not yet: the sender is still unknown.
	test.Tap(release)
	f.settle()
	if !qs.info.Visible() || !strings.Contains(qs.info.Text, "okänd avsändare") {
		t.Errorf("release before allowing: %q", qs.info.Text)
	}

	test.Tap(allow)
	f.settle()
	if d, _ := app.SenderDomains(ctx, f.db); strings.Join(d, ",") != "1177.se,evil.example" {
		t.Errorf("domains %v", d)
	}
	entries, err := f.db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range entries {
		if e.Actor == hsaEva && strings.Contains(e.Detail, "avsändardomän tillagd: evil.example") {
			audited = true
		}
	}
	if !audited {
		t.Error("allowing the sender is not in the access log")
	}
	row = qs.list.Objects[0]
	if b := buttonIn(row, "Tillåt avsändaren"); b == nil || !b.Disabled() {
		t.Error("Tillåt avsändaren still enabled for an allowed sender")
	}

	test.Tap(buttonIn(row, "Släpp in som ärende"))
	f.settle()
	if !strings.Contains(qs.info.Text, "släppt in som ärende") {
		t.Errorf("release: %q", qs.info.Text)
	}
	if q, _ := f.db.Quarantine(ctx); len(q) != 0 {
		t.Errorf("still quarantined: %d", len(q))
	}
	cases, _, err := f.db.Cases(ctx, app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cases {
		found = found || c.Reference == "2026-7711"
	}
	if !found {
		t.Error("no case 2026-7711 after the release")
	}
	if l, ok := qs.list.Objects[0].(*widget.Label); !ok || l.Text != "Inga meddelanden i karantän." {
		t.Errorf("list after release %v", qs.list.Objects)
	}

	// Not an administrator: no quarantine.
	f.u.me = &app.Staff{Name: "Anna Berg", HSAID: hsaAnna, Roles: []app.Role{app.RoleArendemottagare, app.RoleChef}, Active: true}
	st.load()
	f.settle()
	if qs.card.Visible() {
		t.Error("quarantine shown to a non-administrator")
	}
}
