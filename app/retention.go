package app

import (
	"strconv"
	"strings"
	"time"
)

// The access log's retention. Gallring takes the patient identifiers out
// of closed cases after SettingRetentionMonths, but the access log keeps
// the personnummer of every row: a patient's right to an extract of who
// accessed their data needs it, and Socialstyrelsen's HSLF-FS 2016:40
// (4 kap., kontroll av åtkomst) requires the logs to be kept at least five
// years. Its rows then point at cases that may long be anonymised.
const (
	// DefaultAccessLogYears is the retention when the setting is unset.
	DefaultAccessLogYears = 10
	// MinAccessLogYears is the least the setting may say: the legal
	// minimum of five years.
	MinAccessLogYears = 5
)

// AccessLogYearsOf reads SettingAccessLogYears' value: the default when
// empty or not a number, never less than MinAccessLogYears.
func AccessLogYearsOf(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case err != nil || n <= 0:
		return DefaultAccessLogYears
	case n < MinAccessLogYears:
		return MinAccessLogYears
	}
	return n
}

// AccessLogCutoff is the time before which access-log rows are older than
// years at now.
func AccessLogCutoff(now time.Time, years int) time.Time {
	return now.AddDate(-years, 0, 0)
}
