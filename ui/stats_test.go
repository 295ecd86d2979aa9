package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"arendestod/app"
	"arendestod/app/export"
)

// memStats is a StatsSource over a fixed list of cases.
type memStats struct {
	cases []app.StatsCase
	err   error
	reads int
}

func (s *memStats) EachStatsCase(_ context.Context, from, to app.Date, fn func(*app.StatsCase)) error {
	s.reads++
	if s.err != nil {
		return s.err
	}
	for i := range s.cases {
		fn(&s.cases[i])
	}
	return nil
}

func (s *memStats) Calendar() *app.Calendar { return app.NewCalendar() }

// MorningChecks: the fixed list keeps none.
func (s *memStats) MorningChecks(context.Context, app.Date, app.Date) ([]app.MorningCheck, error) {
	return nil, nil
}

func statsFixture(t *testing.T, src app.StatsSource) *StatsScreen {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(w.Close)
	s := newStatsScreen(&runner{ctx: context.Background(), queued: true}, src, func() time.Time { return yearEndNow }, w)
	w.SetContent(s.Build())
	return s
}

func TestStatsScreen(t *testing.T) {
	// Around Christmas 2026 (due dates from the routine's calendar).
	src := &memStats{cases: []app.StatsCase{
		{Type: app.TypeFornyaRecept, Unit: "BUP Uddevalla", Received: app.D(2026, 12, 22), Due: app.D(2026, 12, 28), Feedback: app.D(2026, 12, 23)},
		{Type: app.TypeFornyaRecept, Unit: "BUP Uddevalla", Received: app.D(2026, 12, 23), Due: app.D(2026, 12, 29), Feedback: app.D(2026, 12, 30), Closed: true},
		{Type: app.TypeJournalkopia, Unit: "BUP Trollhättan", Received: app.D(2026, 12, 24), Due: app.D(2026, 12, 29)},
		{Type: app.TypeVABUnder12, Unit: "BUP Trollhättan", Received: app.D(2026, 12, 28), Due: app.D(2026, 12, 30)},
	}}
	s := statsFixture(t, src)
	// Default period: the last twelve weeks, this one included.
	if s.from.Text != "2026-10-12" || s.to.Text != "2026-12-28" {
		t.Fatalf("default period %s – %s", s.from.Text, s.to.Text)
	}
	s.Refresh()
	s.bg.settle()
	if s.lastErr != "" {
		t.Fatal(s.lastErr)
	}
	weeks := s.chart.Weeks()
	if len(weeks) != 12 || weeks[0].Label != "v42" || weeks[10].Label != "v52" || weeks[11].Label != "v53" {
		t.Fatalf("chart weeks %+v", weeks)
	}
	if w := weeks[10]; w.Incoming != 3 || !w.HasShare || w.Share != 0.5 {
		t.Errorf("week 52 %+v: 3 incoming, 1 of 2 settled in time", w)
	}
	if w := weeks[11]; w.Incoming != 1 || w.HasShare {
		t.Errorf("week 53 %+v: one case, not yet due", w)
	}
	for k, want := range map[string]string{"Inkomna": "4", "Återkoppling i tid": "1", "Återkoppling senare": "1",
		"Ingen återkoppling än": "2", "Andel i tid": "50,0 %", "Median arbetsdagar": "2,0", "Försenade nu": "0", "Avslutade": "1"} {
		if got := s.figures[k].Text; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// Week × type table first.
	if len(s.rows) != 3 || s.cell(0, 0) != "2026-W52" || s.cell(0, 1) != "Förnya recept" || s.cell(0, 2) != "2" || s.cell(0, 6) != "50,0 %" {
		t.Errorf("week×type: %d rows, first %q %q %q %q", len(s.rows), s.cell(0, 0), s.cell(0, 1), s.cell(0, 2), s.cell(0, 6))
	}
	s.tableSel.SetSelected("Per enhet")
	if len(s.rows) != 2 || s.cell(0, 0) != "BUP Trollhättan" || s.cell(1, 1) != "2" {
		t.Errorf("per unit: %d rows, %q %q", len(s.rows), s.cell(0, 0), s.cell(1, 1))
	}
	// The unit filter learnt the units.
	if got := strings.Join(s.unit.Options, "|"); got != "Alla enheter|BUP Trollhättan|BUP Uddevalla" {
		t.Errorf("unit options %q", got)
	}
	s.unit.SetSelected("BUP Uddevalla")
	s.bg.settle()
	if s.figures["Inkomna"].Text != "2" {
		t.Errorf("Uddevalla: %s", s.figures["Inkomna"].Text)
	}

	// Exports: the CSV of the table shown, the workbook of all.
	var csv bufCloser
	s.writeTo(&csv, s.writeCSV)
	if !strings.HasPrefix(csv.String(), "\ufeffEnhet;Inkomna;") || !strings.Contains(csv.String(), "BUP Uddevalla;2;1;1;0;50,0;2,0;0;1") {
		t.Errorf("csv %q", csv.String())
	}
	var x bufCloser
	s.writeTo(&x, s.writeXLSX)
	if x.Len() < 1000 || !strings.HasPrefix(x.String(), "PK") || s.message.Text != "Statistiken är sparad." {
		t.Errorf("xlsx %d bytes, message %q", x.Len(), s.message.Text)
	}
	if got := s.fileName(".xlsx"); got != "Statistik 2026-10-12–2026-12-28.xlsx" {
		t.Errorf("file name %q", got)
	}
}

func TestStatsScreenErrors(t *testing.T) {
	src := &memStats{}
	s := statsFixture(t, src)
	s.from.SetText("12/10")
	s.Refresh()
	s.bg.settle()
	if src.reads != 0 || !strings.Contains(s.lastErr, "ÅÅÅÅ-MM-DD") {
		t.Errorf("bad date: %d reads, %q", src.reads, s.lastErr)
	}
	s.from.SetText("2027-01-01")
	s.Refresh()
	s.bg.settle()
	if src.reads != 0 || !strings.Contains(s.lastErr, "före") {
		t.Errorf("reversed: %q", s.lastErr)
	}
	s.from.SetText("2026-12-01")
	src.err = app.Errorf(app.EINTERNAL, "x")
	s.Refresh()
	s.bg.settle()
	if !strings.Contains(s.lastErr, "internt fel") && !strings.Contains(s.lastErr, "x") {
		t.Errorf("store error: %q", s.lastErr)
	}
	if !s.exportBtn.Disabled() {
		t.Error("export enabled without figures")
	}
	src.err = errors.New("disk")
	s.Refresh()
	s.bg.settle()
	if !strings.Contains(s.lastErr, "internt fel") {
		t.Errorf("foreign error shown as %q", s.lastErr)
	}
}

// The statistics show per week on how many working days the morning
// check was done, read from a real database: the figure beside the chart
// over the period, a column in the week table.
func TestStatsScreenMorningChecks(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	for _, at := range []time.Time{
		time.Date(2026, 12, 21, 8, 0, 0, 0, app.Stockholm),  // Monday, week 52
		time.Date(2026, 12, 22, 8, 0, 0, 0, app.Stockholm),  // Tuesday
		time.Date(2026, 12, 22, 13, 0, 0, 0, app.Stockholm), // Tuesday again: counts once
		time.Date(2026, 12, 26, 9, 0, 0, 0, app.Stockholm),  // annandag jul, a Saturday: not counted
		time.Date(2026, 12, 28, 8, 0, 0, 0, app.Stockholm),  // Monday, week 53
	} {
		m, err := app.NewMorningCheck(hsaEva, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RecordMorningCheck(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	s := statsFixture(t, db)
	s.Refresh()
	s.bg.settle()
	if s.lastErr != "" {
		t.Fatal(s.lastErr)
	}
	// Weeks 42–51 have 50 working days, week 52 three (julafton is not
	// one), week 53 one (the period ends on Monday 28 December).
	if got := s.figures[statsMorningFigure].Text; got != "3 av 54 arbetsdagar" {
		t.Errorf("figure %q", got)
	}
	s.tableSel.SetSelected(app.TableWeek.Swedish())
	cols := len(s.headers())
	if len(s.rows) != 12 || s.columnTitle(cols-1) != statsMorningFigure {
		t.Fatalf("week table: %d rows, last column %q", len(s.rows), s.columnTitle(cols-1))
	}
	for row, want := range map[int]string{0: "0 av 5 arbetsdagar", 10: "2 av 3 arbetsdagar", 11: "1 av 1 arbetsdag"} {
		if got := s.cell(row, cols-1); got != want {
			t.Errorf("row %d (%s): %q, want %q", row, s.cell(row, 0), got, want)
		}
	}
	// Other tables keep the export's columns.
	s.tableSel.SetSelected(app.TableType.Swedish())
	if got := len(s.headers()); got != len(export.StatsHeaders(app.TableType)) {
		t.Errorf("type table has %d columns", got)
	}
}
