package data

import "time"

// SetLeasePing shortens how often a lease's connection is pinged and how
// long a ping may take, until restore is called.
func SetLeasePing(every, timeout time.Duration) (restore func()) {
	e, t := leasePing, leasePingTimeout
	leasePing, leasePingTimeout = every, timeout
	return func() { leasePing, leasePingTimeout = e, t }
}
