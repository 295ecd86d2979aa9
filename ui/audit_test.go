package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

func TestAuditScreen(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const pnr = "20190312-9805" // test series
	if _, err := f.db.UpdateCase(ctx, f.ids["1177-100232"], hsaAnna, func(c *app.Case) ([]app.Event, error) {
		return c.SetPatient(pnr, "Alva Testsson", hsaAnna, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	f.open("1177-100232") // Eva reads the case: one "visa" row
	f.selectTab("Åtkomstlogg")
	f.settle()
	a := f.u.audit
	if a == nil {
		t.Fatal("no access-log tab for an administrator")
	}

	// A bad personnummer is shown, nothing searched.
	test.Type(a.patient, "20190312-9806")
	test.Tap(a.search)
	f.settle()
	if !a.errLbl.Visible() || !strings.Contains(a.errLbl.Text, "Patient") || len(a.rows) != 0 {
		t.Fatalf("bad pnr: error %q visible %v, rows %d", a.errLbl.Text, a.errLbl.Visible(), len(a.rows))
	}

	a.patient.SetText(pnr)
	a.staff.SetSelected("Eva Ek (" + hsaEva + ")")
	test.Tap(a.search)
	f.settle()
	if a.errLbl.Visible() {
		t.Fatalf("error: %s", a.errLbl.Text)
	}
	if len(a.rows) != 1 || a.rows[0].Action != "visa" || a.rows[0].Actor != hsaEva || a.rows[0].CaseID != f.ids["1177-100232"] {
		t.Fatalf("rows %+v, want Eva's one view of the case", a.rows)
	}
	if got := a.cell(widgetCell(0, 1)); got != "Eva Ek" {
		t.Errorf("staff column %q", got)
	}
	if got := a.cell(widgetCell(0, 5)); got != "Läst" {
		t.Errorf("action column %q, want the Swedish label", got)
	}
	// The search itself was logged, with the patient.
	all, _ := f.db.AuditEntries(ctx, app.AuditFilter{Patient: app.Personnummer("201903129805")})
	if last := all[len(all)-1]; last.Action != "visa" || !strings.Contains(last.Detail, "åtkomstloggen") {
		t.Errorf("the search was not logged: %+v", last)
	}

	// Dates: Till before Från is refused.
	a.patient.SetText("")
	a.from.SetText("2026-11-25")
	a.to.SetText("2026-11-01")
	test.Tap(a.search)
	f.settle()
	if !a.errLbl.Visible() || !strings.Contains(a.errLbl.Text, "Till") {
		t.Errorf("reversed dates: %q", a.errLbl.Text)
	}

	var buf bytes.Buffer
	if err := writeAuditCSV(&buf, a.rows, f.u.staffName); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "Eva Ek") || !strings.Contains(lines[1], pnr) {
		t.Errorf("csv %q", buf.String())
	}
	// Excel's CSV (files.NewCSV): byte-order mark, CRLF, the action in Swedish.
	if !strings.HasPrefix(lines[0], "\ufeffTid;") || !strings.HasSuffix(lines[0], "\r") || !strings.Contains(lines[1], ";Läst;") {
		t.Errorf("csv %q", buf.String())
	}
}

func TestAuditTabOnlyForAdministrators(t *testing.T) {
	f := newFixture(t)
	f.a.Preferences().SetString("medarbetare.test", hsaLars)
	f.start()
	for _, it := range f.u.tabs.Items {
		if it.Text == "Åtkomstlogg" {
			t.Fatal("a läkare without the administrator role sees the access log")
		}
	}
}

func widgetCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }
