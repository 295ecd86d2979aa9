package data

// The connection URL of a PostgreSQL database: what the store adds to it
// in memory, and what may be shown of it.

import (
	"net"
	"net/url"
	"os"
	"strings"
)

// WithServerDefaults returns a PostgreSQL connection URL with the store's
// default for a server on another machine: when the URL sets no sslmode
// (and PGSSLMODE is not set either) and any host it names is not this
// machine, sslmode=verify-full is added, so the connection is encrypted
// and the server's certificate and name are checked. A URL for this
// machine (localhost, a loopback address, a socket folder, no host at all)
// keeps the driver's default. The result is only ever held in memory; a
// URL that cannot be read is returned as it is (opening it says why).
func WithServerDefaults(dsn string) string {
	if !IsPostgresURL(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Get("sslmode") != "" || os.Getenv("PGSSLMODE") != "" {
		return dsn
	}
	hosts := []string{u.Hostname()}
	if h := q.Get("host"); h != "" {
		hosts = strings.Split(h, ",")
	}
	for _, h := range hosts {
		if !isLocalHost(h) {
			q.Set("sslmode", "verify-full")
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn
}

// isLocalHost reports whether a PostgreSQL host is this machine: empty (the
// driver's default socket or localhost), a Unix socket folder, localhost,
// or a loopback address.
func isLocalHost(h string) bool {
	h = strings.TrimSpace(h)
	if i := strings.LastIndex(h, ":"); i > 0 && !strings.Contains(h[:i], ":") {
		h = h[:i] // host:port in a host= list
	}
	h = strings.Trim(h, "[]")
	switch {
	case h == "", strings.HasPrefix(h, "/"), strings.HasPrefix(h, "@"), strings.EqualFold(h, "localhost"):
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// DisplayName is a database location as it may be shown and logged: a
// SQLite path as it is, a PostgreSQL URL without password and parameters.
func DisplayName(location string) string {
	if IsPostgresURL(location) {
		return pgDisplayName(location)
	}
	return location
}
