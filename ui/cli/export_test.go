package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"arendestod/app"
	"arendestod/data"
	"arendestod/ui/cli"
)

const exNurse = "SE1111111111-TEST0001" // made up

// exRun runs the command line with ExportCommands, a fixed clock and
// ARENDESTOD_USER set.
func exRun(t *testing.T, now time.Time, args ...string) result {
	t.Helper()
	var stdout, stderr syncBuffer
	env := cli.Env{
		Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(""),
		Getenv:   func(k string) string { return map[string]string{"ARENDESTOD_USER": exNurse}[k] },
		Now:      func() time.Time { return now },
		Open:     func(path string) (cli.Store, error) { return data.Open(path) },
		Commands: cli.ExportCommands(),
	}
	code := mainNoWindow(t, context.Background(), args, env)
	return result{code, stdout.String(), stderr.String()}
}

// exPnr returns a personnummer of Skatteverket's test series (birth number
// 980–999) with its Luhn check digit worked out here.
func exPnr(t *testing.T, yyyymmdd string, birth int) app.Personnummer {
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
		t.Fatalf("test pnr: %v", err)
	}
	return p
}

func exOpen(t *testing.T, path string, now time.Time) *data.DB {
	t.Helper()
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return now }
	return db
}

func TestExportReceptCommand(t *testing.T) { exportReceptCommand(t, tempDB(t)) }

// exportReceptCommand is TestExportReceptCommand on the database at path
// (a file, or a PostgreSQL URL: postgres_test.go).
func exportReceptCommand(t *testing.T, path string) {
	now := time.Date(2026, 12, 28, 9, 0, 0, 0, app.Stockholm)
	db := exOpen(t, path, now)
	ctx := context.Background()
	if err := db.AddStaff(ctx, &app.Staff{Name: "Sara Sköterska", HSAID: exNurse, Roles: []app.Role{app.RoleSjukskoterska}}); err != nil {
		t.Fatal(err)
	}
	p1, p2 := exPnr(t, "20120315", 982), exPnr(t, "20090707", 991)
	for _, e := range []app.ReceptEntry{
		{Date: app.D(2026, 11, 30), PatientPnr: p1, PatientName: "Åsa Testsson", Lakemedel: "Melatonin 3 mg", ForskrivandeLakare: "Dr Örjan Påhittad", Status: app.ReceptFornyad, Note: "90 dagar"},
		{Date: app.D(2026, 12, 23), PatientPnr: p2, PatientName: "Ebbe Exempel", Lakemedel: "Atomoxetin 40 mg", ForskrivandeLakare: "Dr Lena Låtsas", Status: app.ReceptSkickad},
		{Date: app.D(2027, 1, 1), PatientPnr: p1, PatientName: "Åsa Testsson", Lakemedel: "Melatonin 5 mg", ForskrivandeLakare: "Dr Örjan Påhittad", Status: app.ReceptMottagen, Nurse: "SE1111111111-TEST0002"},
	} {
		e := e
		if e.Date.After(app.DateOf(now)) {
			db.Now = func() time.Time { return now.AddDate(0, 0, 10) }
		}
		if err := db.AddRecept(ctx, &e, exNurse); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	out := filepath.Join(t.TempDir(), "Receptförfrågningar BUP.xlsx")
	r := exRun(t, now, "--db", path, "export", "recept", "--from", "2026-12-01", "--to", "2027-01-31", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "2 rader") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Receptförfrågningar"
	want := [][]string{
		{"Datum", "Personnummer", "Namn", "Läkemedel", "Förskrivande läkare", "Status", "Anteckning", "Sjuksköterska"},
		{"2026-12-23", p2.String(), "Ebbe Exempel", "Atomoxetin 40 mg", "Dr Lena Låtsas", "Skickad till läkare", "", "Sara Sköterska"},
		{"2027-01-01", p1.String(), "Åsa Testsson", "Melatonin 5 mg", "Dr Örjan Påhittad", "Mottagen", "", "SE1111111111-TEST0002"},
	}
	for ri, row := range want {
		for ci, w := range row {
			cell, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
			if got, _ := f.GetCellValue(sheet, cell); got != w {
				t.Errorf("%s = %q, want %q", cell, got, w)
			}
		}
	}
	if rows, _ := f.GetRows(sheet); len(rows) != 3 {
		t.Errorf("%d rows, want 3", len(rows))
	}
	// 2026-12-23 is Excel day 46379 (45658 is 2025-01-01, plus 721 days).
	if v, _ := f.GetCellValue(sheet, "A2", excelize.Options{RawCellValue: true}); v != "46379" {
		t.Errorf("A2 raw %q, want 46379", v)
	}
	id, _ := f.GetCellStyle(sheet, "A3")
	if st, _ := f.GetStyle(id); st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("A3 style %+v", st)
	}
	if p, _ := f.GetPanes(sheet); !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("panes %+v", p)
	}
	filter := ""
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filter = dn.RefersTo
		}
	}
	if filter != "'Receptförfrågningar'!$A$1:$H$3" {
		t.Errorf("autofilter %q", filter)
	}

	// The export is in the access log, one row per patient, as the user.
	db = exOpen(t, path, now)
	defer db.Close()
	log, err := db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var exported []app.Personnummer
	for _, a := range log {
		if a.Action == "exportera" {
			if a.Actor != exNurse {
				t.Errorf("actor %q", a.Actor)
			}
			exported = append(exported, a.Patient)
		}
	}
	sort.Slice(exported, func(i, j int) bool { return exported[i] < exported[j] })
	if !reflect.DeepEqual(exported, []app.Personnummer{p2, p1}) && !reflect.DeepEqual(exported, []app.Personnummer{p1, p2}) {
		t.Errorf("exportera rows for %v", exported)
	}
	for _, s := range []string{r.stdout, r.stderr} {
		if app.PersonnummerPattern.MatchString(s) {
			t.Errorf("output shows a personnummer: %q", s)
		}
	}
}

// Bad input: exit status 2, a Swedish line naming the flag, and nothing
// written: not the file, not even the database.
func TestExportReceptCommandUsage(t *testing.T) {
	now := time.Date(2026, 12, 28, 9, 0, 0, 0, app.Stockholm)
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	out := filepath.Join(dir, "x.xlsx")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "export recept"},
		{[]string{"export", "kakor"}, "export recept"},
		{[]string{"export", "recept", "--to", "2026-12-31", "--out", out}, "--from saknas"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--out", out}, "--to saknas"},
		{[]string{"export", "recept", "--from", "2026-13-01", "--to", "2026-12-31", "--out", out}, "--from: ogiltigt datum"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--to", "31/12/2026", "--out", out}, "--to: ogiltigt datum"},
		{[]string{"export", "recept", "--from", "2026-02-29", "--to", "2026-12-31", "--out", out}, "--from: ogiltigt datum"},
		{[]string{"export", "recept", "--from", "2026-12-31", "--to", "2026-12-01", "--out", out}, "ligger före --from"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--to", "2026-12-31"}, "--out saknas"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--to", "2026-12-31", "--out", filepath.Join(dir, "x.csv")}, ".xlsx"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--to", "2026-12-31", "--out", out, "--status", "klar"}, "--status"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--to", "2026-12-31", "--out", out, "--nurse", "x"}, "--nurse"},
		{[]string{"export", "recept", "--from", "2026-12-01", "--to", "2026-12-31", "--out", out, "--kakor"}, "okänd flagga"},
	} {
		r := exRun(t, now, append([]string{"--db", path}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("bad input left files: %v", ents)
	}
}

// statsFixture stores cases around Christmas 2026 whose statistics are
// worked out by hand in TestStatsCommandJSON.
func statsFixture(t *testing.T, path string) {
	t.Helper()
	db := exOpen(t, path, time.Date(2027, 1, 11, 10, 0, 0, 0, app.Stockholm))
	defer db.Close()
	ctx := context.Background()
	// exRun acts as exNurse (ARENDESTOD_USER): a known, active staff member.
	if err := db.AddStaff(ctx, &app.Staff{Name: "Sara Sköterska", HSAID: exNurse, Roles: []app.Role{app.RoleSjukskoterska}}); err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, hh, mm int) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, app.Stockholm)
	}
	add := func(typ string, recv time.Time, fb time.Time, close bool) {
		c := app.NewCase(typ, recv, db.Calendar())
		if err := db.CreateCase(ctx, c, exNurse); err != nil {
			t.Fatal(err)
		}
		if fb.IsZero() {
			return
		}
		if _, err := db.UpdateCase(ctx, c.ID, exNurse, func(c *app.Case) ([]app.Event, error) {
			if close {
				return c.Close(exNurse, fb)
			}
			return c.Delsvar(exNurse, fb)
		}); err != nil {
			t.Fatal(err)
		}
	}
	add(app.TypeFornyaRecept, at(2026, 12, 22, 10, 0), at(2026, 12, 23, 14, 0), false) // due 28 Dec; 1 working day
	add(app.TypeFornyaRecept, at(2026, 12, 23, 16, 0), at(2026, 12, 30, 9, 0), true)   // due 29 Dec; late, 3 working days
	add(app.TypeJournalkopia, at(2026, 12, 24, 11, 0), time.Time{}, false)             // julafton; due 29 Dec; overdue
	add(app.TypeJournalkopia, at(2026, 12, 31, 8, 0), at(2027, 1, 5, 15, 0), true)     // nyårsafton; due 5 Jan; 2 working days
	add(app.TypeVABUnder12, at(2027, 1, 8, 23, 30), time.Time{}, false)                // due 12 Jan: not yet late
	add(app.TypeVABUnder12, at(2026, 12, 20, 12, 0), time.Time{}, false)               // before the period
}

func TestStatsCommandJSON(t *testing.T) { statsCommandJSON(t, tempDB(t)) }

func statsCommandJSON(t *testing.T, path string) {
	statsFixture(t, path)
	now := time.Date(2027, 1, 11, 10, 0, 0, 0, app.Stockholm)
	r := exRun(t, now, "--db", path, "stats", "--from", "2026-12-21", "--to", "2027-01-10", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	fields := []string{"closed", "feedback_in_time", "feedback_late", "incoming", "median_workdays_to_feedback", "morning_checks", "no_feedback_yet", "type", "week"}
	for _, o := range raw {
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, fields) {
			t.Fatalf("fields %v, want exactly %v", keys, fields)
		}
	}
	two := 2.0 // (1+3)/2 for förnya recept; 2 for the journalkopia of nyårsafton
	want := []cli.StatsJSON{
		{Week: "2026-W52", Type: app.TypeFornyaRecept, Incoming: 2, FeedbackInTime: 1, FeedbackLate: 1, NoFeedbackYet: 0, MedianWorkdaysToFeedback: &two, Closed: 1},
		{Week: "2026-W52", Type: app.TypeJournalkopia, Incoming: 1, NoFeedbackYet: 1},
		{Week: "2026-W53", Type: app.TypeJournalkopia, Incoming: 1, FeedbackInTime: 1, MedianWorkdaysToFeedback: &two, Closed: 1},
		{Week: "2027-W01", Type: app.TypeVABUnder12, Incoming: 1, NoFeedbackYet: 1},
	}
	var got []cli.StatsJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", jsonOf(got), jsonOf(want))
	}
	if !strings.Contains(r.stdout, `"median_workdays_to_feedback": null`) {
		t.Errorf("no null median in\n%s", r.stdout)
	}

	// Text: the same figures and the overdue count.
	r = exRun(t, now, "--db", path, "stats", "--from", "2026-12-21", "--to", "2027-01-10")
	if r.code != 0 || !strings.Contains(r.stdout, "2026-W52") || !strings.Contains(r.stdout, "Alla ärendetyper") || !strings.Contains(r.stdout, "50,0 %") {
		t.Errorf("text: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// An empty period.
	r = exRun(t, now, "--db", path, "stats", "--from", "2025-01-01", "--to", "2025-01-31", "--json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty period: %d %q", r.code, r.stdout)
	}
}

func TestStatsCommandMorningChecks(t *testing.T) { statsCommandMorningChecks(t, tempDB(t)) }

// statsCommandMorningChecks: checks on two working days of week 1 of 2027
// (one of them twice) count 2, a check on its Saturday does not count;
// week 53 of 2026 had none. Every type of a week carries the week's count.
func statsCommandMorningChecks(t *testing.T, path string) {
	statsFixture(t, path)
	now := time.Date(2027, 1, 11, 10, 0, 0, 0, app.Stockholm)
	db := exOpen(t, path, now)
	for _, at := range []time.Time{
		time.Date(2027, 1, 4, 8, 5, 0, 0, app.Stockholm),   // Monday
		time.Date(2027, 1, 5, 8, 10, 0, 0, app.Stockholm),  // Tuesday (trettondagsafton)
		time.Date(2027, 1, 5, 11, 0, 0, 0, app.Stockholm),  // Tuesday again: the day counts once
		time.Date(2027, 1, 9, 9, 0, 0, 0, app.Stockholm),   // Saturday: not a working day
		time.Date(2027, 1, 11, 8, 0, 0, 0, app.Stockholm),  // after the period
		time.Date(2026, 12, 18, 8, 0, 0, 0, app.Stockholm), // before the period
	} {
		m, err := app.NewMorningCheck(exNurse, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RecordMorningCheck(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r := exRun(t, now, "--db", path, "stats", "--from", "2026-12-21", "--to", "2027-01-10", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got []cli.StatsJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"2026-W52": 0, "2026-W53": 0, "2027-W01": 2}
	if len(got) != 4 {
		t.Fatalf("%d rows\n%s", len(got), r.stdout)
	}
	for _, o := range got {
		if o.MorningChecks != want[o.Week] {
			t.Errorf("%s %s: morning_checks %d, want %d", o.Week, o.Type, o.MorningChecks, want[o.Week])
		}
	}
}

func jsonOf(v any) string { b, _ := json.MarshalIndent(v, "", "  "); return string(b) }

func TestStatsCommandFiles(t *testing.T) { statsCommandFiles(t, tempDB(t)) }

func statsCommandFiles(t *testing.T, path string) {
	statsFixture(t, path)
	now := time.Date(2027, 1, 11, 10, 0, 0, 0, app.Stockholm)
	dir := t.TempDir()
	x := filepath.Join(dir, "statistik.xlsx")
	if r := exRun(t, now, "--db", path, "stats", "--from", "2026-12-21", "--to", "2027-01-10", "--out", x); r.code != 0 || !strings.Contains(r.stdout, "sparad") {
		t.Fatalf("xlsx: %d %s %s", r.code, r.stdout, r.stderr)
	}
	f, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Per vecka")
	want := [][]string{
		{"Vecka", "Inkomna", "Återkoppling inom två arbetsdagar", "Återkoppling senare", "Ingen återkoppling än", "Andel i tid", "Median arbetsdagar till första återkoppling", "Försenade nu", "Avslutade"},
		{"2026-W52", "3", "1", "1", "1", "33.3%", "2.0", "1", "1"},
		{"2026-W53", "1", "1", "0", "0", "100.0%", "2.0", "0", "1"},
		{"2027-W01", "1", "0", "0", "1", "", "", "0", "0"},
	}
	if !reflect.DeepEqual(rows, trimRows(want)) {
		t.Errorf("Per vecka\n%q\nwant\n%q", rows, want)
	}
	c := filepath.Join(dir, "statistik.csv")
	if r := exRun(t, now, "--db", path, "stats", "--from", "2026-12-21", "--to", "2027-01-10", "--out", c, "--table", "typ"); r.code != 0 {
		t.Fatalf("csv: %d %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(c)
	wantCSV := "\ufeffÄrendetyp;Inkomna;Återkoppling inom två arbetsdagar;Återkoppling senare;Ingen återkoppling än;Andel i tid (%);Median arbetsdagar till första återkoppling;Försenade nu;Avslutade\r\n" +
		"Förnya recept;2;1;1;0;50,0;2,0;0;1\r\n" +
		"Ansökan för vård av barn under 12 år;1;0;0;1;;;0;0\r\n" +
		"Beställning journalkopia;2;1;0;1;50,0;2,0;1;1\r\n"
	if !bytes.Equal(b, []byte(wantCSV)) {
		t.Errorf("csv\n%q\nwant\n%q", b, wantCSV)
	}
}

// trimRows drops trailing empty cells, as excelize's GetRows does.
func trimRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		out[i] = r[:n]
	}
	return out
}

func TestStatsCommandUsage(t *testing.T) {
	now := time.Date(2027, 1, 11, 10, 0, 0, 0, app.Stockholm)
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stats"}, "--from saknas"},
		{[]string{"stats", "--from", "2026-12-01"}, "--to saknas"},
		{[]string{"stats", "--from", "2026-12-32", "--to", "2026-12-31"}, "--from: ogiltigt datum"},
		{[]string{"stats", "--from", "2026-12-01", "--to", "2026-1-5"}, "--to: ogiltigt datum"},
		{[]string{"stats", "--from", "2027-01-01", "--to", "2026-12-31"}, "ligger före --from"},
		{[]string{"stats", "--from", "2000-01-01", "--to", "2026-12-31"}, "tio år"},
		{[]string{"stats", "--from", "2026-12-01", "--to", "2026-12-31", "--type", "kakor"}, "--type"},
		{[]string{"stats", "--from", "2026-12-01", "--to", "2026-12-31", "--out", filepath.Join(dir, "s.pdf")}, "--out"},
		{[]string{"stats", "--from", "2026-12-01", "--to", "2026-12-31", "--table", "kakor"}, "--table"},
		{[]string{"stats", "--from", "2026-12-01", "--to", "2026-12-31", "extra"}, "oväntat argument"},
	} {
		r := exRun(t, now, append([]string{"--db", path}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("bad input left files: %v", ents)
	}
}
