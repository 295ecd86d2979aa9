package app

import (
	"net/url"
	"regexp"
	"strings"
)

// A database location is a SQLite file's path or a PostgreSQL server's
// connection URL. The rules for telling them apart and for keeping a
// URL's password out of files and messages live here, for the store and
// the front ends alike.

// IsServerDB reports whether location is a PostgreSQL connection URL
// (postgres:// or postgresql://, any letter case): the team database on a
// server, never a local file.
func IsServerDB(location string) bool {
	l := strings.ToLower(location)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// StripDBPassword returns a PostgreSQL URL without its password (in the
// user part or as a password parameter): what may be saved in a file.
// Anything that is not such a URL is returned as it is.
func StripDBPassword(location string) string {
	if !IsServerDB(location) {
		return location
	}
	u, err := url.Parse(location)
	if err != nil {
		return RedactDBPassword(location)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

var dbPasswordPattern = regexp.MustCompile(`(?i)(://[^:/@\s]*:)[^@\s]*@|(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)

// RedactDBPassword replaces any database password in s (a URL's user
// part, a password= parameter or key) by "***": for text that may hold a
// connection string, such as a driver's error.
func RedactDBPassword(s string) string {
	return dbPasswordPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := dbPasswordPattern.FindStringSubmatch(m)
		if sub[1] != "" {
			return sub[1] + "***@"
		}
		return sub[2] + "***"
	})
}
