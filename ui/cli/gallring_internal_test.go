package cli

import "time"

// SetGallringInterval shortens how often sync --watch asks whether the
// day's gallring is due, for a test's run (gallring_test.go).
func SetGallringInterval(d time.Duration) (restore func()) {
	old := gallringInterval
	gallringInterval = d
	return func() { gallringInterval = old }
}
