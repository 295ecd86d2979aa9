package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"arendestod/app"
)

// sampleChartWeeks is twelve weeks around Christmas 2026: fewer cases over
// the holidays and a share in time that dips, a week where nothing is
// settled yet (the line breaks) and an empty week.
var sampleChartWeeks = []ChartWeek{
	{Label: "v46", Incoming: 41, Share: 0.95, HasShare: true},
	{Label: "v47", Incoming: 38, Share: 1, HasShare: true},
	{Label: "v48", Incoming: 44, Share: 0.9, HasShare: true},
	{Label: "v49", Incoming: 39, Share: 0.97, HasShare: true},
	{Label: "v50", Incoming: 47, Share: 0.85, HasShare: true},
	{Label: "v51", Incoming: 36, Share: 0.8, HasShare: true},
	{Label: "v52", Incoming: 19, Share: 0.6, HasShare: true},
	{Label: "v53", Incoming: 12, Share: 0.75, HasShare: true},
	{Label: "v1", Incoming: 0},
	{Label: "v2", Incoming: 33, Share: 0.92, HasShare: true},
	{Label: "v3", Incoming: 40, Share: 1, HasShare: true},
	{Label: "v4", Incoming: 8},
}

// The chart drawn with the test theme, compared to the golden image
// testdata/chart/chart.png (looked at by eye when it was made).
func TestWeekChartGolden(t *testing.T) {
	test.NewTempApp(t)
	c := NewWeekChart(sampleChartWeeks)
	w := test.NewWindow(c)
	defer w.Close()
	w.Resize(fyne.NewSize(640, 300))
	test.AssertImageMatches(t, "chart/chart.png", w.Canvas().Capture())

	// Changing the weeks redraws: no bars, the empty message.
	c.SetWeeks(nil)
	test.AssertImageMatches(t, "chart/chart_empty.png", w.Canvas().Capture())
}

func TestChartNiceMax(t *testing.T) {
	for n, want := range map[int]int{0: 4, 3: 4, 4: 4, 5: 8, 7: 8, 9: 12, 23: 24, 47: 48, 81: 100, 100: 100, 101: 120, 950: 1000, 4001: 4800} {
		if got := chartNiceMax(n); got != want || got < n || got%chartGridLines != 0 {
			t.Errorf("chartNiceMax(%d) = %d, want %d", n, got, want)
		}
	}
}

// ChartWeeks labels weeks "v48" and carries the share only when there is
// one.
func TestChartWeeksFromStats(t *testing.T) {
	cal := app.NewCalendar()
	cs := []app.StatsCase{
		{Type: app.TypeFornyaRecept, Received: app.D(2026, 11, 23), Due: app.D(2026, 11, 25), Feedback: app.D(2026, 11, 24)},
		{Type: app.TypeFornyaRecept, Received: app.D(2026, 11, 24), Due: app.D(2026, 11, 26), Feedback: app.D(2026, 11, 27)},
		{Type: app.TypeFornyaRecept, Received: app.D(2026, 12, 8), Due: app.D(2026, 12, 10)},
	}
	s := app.ComputeStats(cs, cal, app.StatsQuery{From: app.D(2026, 11, 23), To: app.D(2026, 12, 13), Today: app.D(2026, 12, 9)})
	got := ChartWeeks(s)
	want := []ChartWeek{
		{Label: "v48", Incoming: 2, Share: 0.5, HasShare: true},
		{Label: "v49", Incoming: 0},
		{Label: "v50", Incoming: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("week %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
