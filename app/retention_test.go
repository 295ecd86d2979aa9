package app_test

import (
	"testing"
	"time"

	"arendestod/app"
)

// TestAccessLogYearsOf: the access log's own retention setting defaults to
// ten years and never goes under the legal five.
func TestAccessLogYearsOf(t *testing.T) {
	for v, want := range map[string]int{"": 10, "x": 10, "0": 10, "-3": 10, "3": 5, "5": 5, " 12 ": 12} {
		if got := app.AccessLogYearsOf(v); got != want {
			t.Errorf("AccessLogYearsOf(%q) = %d, want %d", v, got, want)
		}
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, app.Stockholm)
	if got := app.AccessLogCutoff(now, 10); !got.Equal(time.Date(2016, 12, 1, 10, 0, 0, 0, app.Stockholm)) {
		t.Errorf("cutoff %v", got)
	}
	if app.SettingAccessLogYears == app.SettingRetentionMonths {
		t.Error("the access log shares the cases' setting")
	}
}
