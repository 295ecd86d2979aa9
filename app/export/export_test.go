package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"arendestod/app"
	"arendestod/app/export"
)

// testPnr returns a personnummer of Skatteverket's test series (birth
// number 980–999) born on yyyymmdd, with its check digit computed here.
func testPnr(t testing.TB, yyyymmdd string, birth int) app.Personnummer {
	t.Helper()
	nine := yyyymmdd[2:] + strconv.Itoa(birth)
	sum := 0
	for i, c := range nine {
		v := int(c - '0')
		if i%2 == 0 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	p, err := app.ParsePersonnummerOn(yyyymmdd+strconv.Itoa(birth)+strconv.Itoa((10-sum%10)%10), app.D(2026, 12, 1))
	if err != nil || !p.IsTestNumber() {
		t.Fatalf("test pnr %s/%d: %v", yyyymmdd, birth, err)
	}
	return p
}

// serial is the Excel 1900-system serial of a date, computed here from
// Go's calendar: days since 1899-12-30.
func serial(y int, m time.Month, d int) string {
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
	return strconv.Itoa(int(days))
}

func receptEntries(t *testing.T) []app.ReceptEntry {
	return []app.ReceptEntry{
		{ID: 1, CaseID: 7, Date: app.D(2026, 12, 1), PatientPnr: testPnr(t, "20120315", 982), PatientName: "Åsa Testsson",
			Lakemedel: "Melatonin 3 mg", ForskrivandeLakare: "Dr Örjan Påhittad", Status: app.ReceptSkickad,
			Note: "Ring vårdnadshavare", Nurse: "SE1111111111-TEST0001"},
		{ID: 2, Date: app.D(2026, 12, 24), PatientPnr: testPnr(t, "20090707", 991), PatientName: "Ebbe Exempel",
			Lakemedel: "=HYPERLINK(\"x\")", ForskrivandeLakare: "Dr Lena Låtsas", Status: app.ReceptFornyad,
			Nurse: "SE1111111111-TEST0002"},
		{ID: 3, Date: app.D(2027, 3, 29), PatientPnr: testPnr(t, "20150101", 999), PatientName: "Märta Mock",
			Lakemedel: "Atomoxetin", ForskrivandeLakare: "Dr Lena Låtsas", Status: app.ReceptAvbojd,
			Note: "Ny bedömning behövs", Nurse: "SE1111111111-TEST0001"},
	}
}

func TestWriteReceptXLSX(t *testing.T) {
	entries := receptEntries(t)
	var buf bytes.Buffer
	names := map[string]string{"SE1111111111-TEST0001": "Sara Sköterska"}
	if err := export.WriteReceptXLSX(&buf, entries, func(id string) string { return names[id] }); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Receptförfrågningar"
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %q, want [%s]", got, sheet)
	}

	want := [][]string{
		{"Datum", "Personnummer", "Namn", "Läkemedel", "Förskrivande läkare", "Status", "Anteckning", "Sjuksköterska"},
		{"2026-12-01", entries[0].PatientPnr.String(), "Åsa Testsson", "Melatonin 3 mg", "Dr Örjan Påhittad", "Skickad till läkare", "Ring vårdnadshavare", "Sara Sköterska"},
		{"2026-12-24", entries[1].PatientPnr.String(), "Ebbe Exempel", "=HYPERLINK(\"x\")", "Dr Lena Låtsas", "Förnyad", "", "SE1111111111-TEST0002"},
		{"2027-03-29", entries[2].PatientPnr.String(), "Märta Mock", "Atomoxetin", "Dr Lena Låtsas", "Avböjd", "Ny bedömning behövs", "Sara Sköterska"},
	}
	for r, cols := range want {
		for c, w := range cols {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			got, err := f.GetCellValue(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("%s = %q, want %q", cell, got, w)
			}
		}
	}
	// Nothing beyond the table.
	for _, cell := range []string{"I1", "I2", "A5", "H5"} {
		if v, _ := f.GetCellValue(sheet, cell); v != "" {
			t.Errorf("%s = %q, want empty", cell, v)
		}
	}
	if s := entries[0].PatientPnr.String(); len(s) != 13 || s[8] != '-' {
		t.Fatalf("personnummer shown as %q, want YYYYMMDD-NNNN", s)
	}

	// Dates are numbers with the date format, not text.
	for i, d := range []string{serial(2026, 12, 1), serial(2026, 12, 24), serial(2027, 3, 29)} {
		cell := "A" + strconv.Itoa(i+2)
		rawV, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if rawV != d {
			t.Errorf("%s raw = %q, want serial %s", cell, rawV, d)
		}
		typ, _ := f.GetCellType(sheet, cell)
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s type %v, want a number", cell, typ)
		}
		id, _ := f.GetCellStyle(sheet, cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
			t.Errorf("%s number format %v, want yyyy-mm-dd", cell, st.CustomNumFmt)
		}
	}
	// Personnummer and the formula-looking text are text.
	for _, cell := range []string{"B2", "D3"} {
		typ, _ := f.GetCellType(sheet, cell)
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s type %v, want a string", cell, typ)
		}
		if fo, _ := f.GetCellFormula(sheet, cell); fo != "" {
			t.Errorf("%s has formula %q", cell, fo)
		}
	}
	// Header bold.
	id, _ := f.GetCellStyle(sheet, "H1")
	if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header H1 not bold")
	}

	// Frozen header row.
	p, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want row 1 frozen", p)
	}

	// Autofilter over the header and every row, in the sheet and as the
	// workbook's hidden filter name.
	if ref := sheetAutoFilter(t, raw, "xl/worksheets/sheet1.xml"); ref != "A1:H4" {
		t.Errorf("autoFilter ref %q, want A1:H4", ref)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			found = true
			if dn.RefersTo != "'Receptförfrågningar'!$A$1:$H$4" {
				t.Errorf("filter database %q", dn.RefersTo)
			}
		}
	}
	if !found {
		t.Errorf("no _xlnm._FilterDatabase defined name")
	}
}

func TestWriteReceptXLSXEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteReceptXLSX(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Receptförfrågningar")
	if len(rows) != 1 || len(rows[0]) != 8 {
		t.Fatalf("rows %q, want the header only", rows)
	}
}

// sheetAutoFilter returns the ref of the <autoFilter> element of a sheet
// part, read from the zip itself.
func sheetAutoFilter(t *testing.T, xlsx []byte, part string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name != part {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		dec := xml.NewDecoder(rc)
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return ""
			} else if err != nil {
				t.Fatal(err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "autoFilter" {
				for _, a := range se.Attr {
					if a.Name.Local == "ref" {
						// excelize writes the range absolute ($A$1:$H$4),
						// which Excel reads as the same range.
						return strings.ReplaceAll(a.Value, "$", "")
					}
				}
			}
		}
	}
	t.Fatalf("no part %s", part)
	return ""
}

func sampleStats() *app.Stats {
	q := app.StatsQuery{From: app.D(2026, 11, 23), To: app.D(2026, 12, 6), Today: app.D(2026, 12, 7)}
	cal := app.NewCalendar()
	var cs []app.StatsCase
	add := func(typ, unit string, recv, fb app.Date, closed bool) {
		cs = append(cs, app.StatsCase{Type: typ, Unit: unit, Received: recv, Due: cal.DueDate(recv.Time()), Feedback: fb, Closed: closed})
	}
	add(app.TypeFornyaRecept, "BUP Uddevalla", app.D(2026, 11, 23), app.D(2026, 11, 24), true)
	add(app.TypeFornyaRecept, "BUP Uddevalla", app.D(2026, 11, 24), app.D(2026, 11, 30), false)
	add(app.TypeJournalkopia, "=BUP Trollhättan", app.D(2026, 11, 30), app.Date{}, false)
	return app.ComputeStats(cs, cal, q)
}

func TestWriteStatsXLSX(t *testing.T) {
	s := sampleStats()
	var buf bytes.Buffer
	if err := export.WriteStatsXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := []string{"Sammanfattning", "Per vecka och typ", "Per vecka", "Per typ", "Per enhet", "Per vecka och enhet"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets %q, want %q", got, wantSheets)
	}
	rows, err := f.GetRows("Per vecka och typ")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Vecka", "Ärendetyp", "Inkomna", "Återkoppling inom två arbetsdagar", "Återkoppling senare", "Ingen återkoppling än", "Andel i tid", "Median arbetsdagar till första återkoppling", "Försenade nu", "Avslutade"},
		{"2026-W48", "Förnya recept", "2", "1", "1", "0", "50.0%", "2.5", "0", "1"},
		{"2026-W49", "Beställning journalkopia", "1", "0", "0", "1", "0.0%", "", "1", "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for r := range want {
		for c := range want[r] {
			got := ""
			if c < len(rows[r]) {
				got = rows[r][c]
			}
			if got != want[r][c] {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				t.Errorf("%s = %q, want %q", cell, got, want[r][c])
			}
		}
	}
	if v, _ := f.GetCellValue("Per vecka och typ", "G2", excelize.Options{RawCellValue: true}); v != "0.5" {
		t.Errorf("share raw %q, want 0.5", v)
	}
	if v, _ := f.GetCellValue("Per vecka och typ", "C2", excelize.Options{RawCellValue: true}); v != "2" {
		t.Errorf("incoming raw %q", v)
	}
	p, _ := f.GetPanes("Per vecka")
	if !p.Freeze || p.YSplit != 1 {
		t.Errorf("Per vecka panes %+v", p)
	}
	if ref := sheetAutoFilter(t, raw, "xl/worksheets/sheet2.xml"); ref != "A1:J3" {
		t.Errorf("autofilter %q, want A1:J3", ref)
	}
	if v, _ := f.GetCellValue("Sammanfattning", "B2"); v != "2026-11-23" {
		t.Errorf("summary from %q", v)
	}
	if v, _ := f.GetCellValue("Sammanfattning", "B8"); v != "3" {
		t.Errorf("summary incoming %q", v)
	}
}

// The workbook's summary has the period's morning checks once they are
// counted, and no such row before.
func TestWriteStatsXLSXMorningChecks(t *testing.T) {
	summary := func(s *app.Stats) []string {
		var buf bytes.Buffer
		if err := export.WriteStatsXLSX(&buf, s); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Sammanfattning")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, strings.Join(r, "|"))
		}
		return out
	}
	s := sampleStats()
	if got := strings.Join(summary(s), "\n"); strings.Contains(got, "Morgonkollen") {
		t.Errorf("morning checks without counting them:\n%s", got)
	}
	s.AddMorningChecks([]app.MorningCheck{{Day: s.Query.From, By: "x"}}, app.NewCalendar())
	want := "Morgonkollen gjord|1 av 10 arbetsdagar" // two whole weeks
	if !slices.Contains(summary(s), want) {
		t.Errorf("no %q in\n%s", want, strings.Join(summary(s), "\n"))
	}
}

func TestWriteStatsCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteStatsCSV(&buf, sampleStats(), app.TableWeekUnit); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffVecka;Enhet;Inkomna;Återkoppling inom två arbetsdagar;Återkoppling senare;Ingen återkoppling än;Andel i tid (%);Median arbetsdagar till första återkoppling;Försenade nu;Avslutade\r\n" +
		"2026-W48;BUP Uddevalla;2;1;1;0;50,0;2,5;0;1\r\n" +
		"2026-W49;'=BUP Trollhättan;1;0;0;1;0,0;;1;0\r\n"
	if got := buf.String(); got != want {
		t.Errorf("csv\n%q\nwant\n%q", got, want)
	}
}
