package data

// SetIngestHeldCases turns intake's held-back new cases on a server
// (intake_pg.go) on or off, until restore is called.
func SetIngestHeldCases(on bool) (restore func()) {
	old := ingestHeldCases
	ingestHeldCases = on
	return func() { ingestHeldCases = old }
}
