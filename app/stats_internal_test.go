package app

import (
	"testing"
	"time"
)

// dayNumber against the standard library, every day 1900–2200.
func TestDayNumber(t *testing.T) {
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2200; d = d.AddDate(0, 0, 1) {
		want := int(d.Sub(epoch).Hours() / 24)
		if got := dayNumber(D(d.Year(), d.Month(), d.Day())); got != want {
			t.Fatalf("dayNumber(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}
