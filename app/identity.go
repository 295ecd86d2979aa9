package app

import (
	"context"
	"strings"
)

// Who is who (issue 13 item 9).
//
// On a team database every staff member connects with a database login of
// their own, mapped to them in the staff list; the server refuses a row
// that names anyone else. On one desk (SQLite) there are no logins.

// Identity is who the database knows a connection as.
type Identity struct {
	// Login is the database login (PostgreSQL's session_user); "" on a
	// database without logins (SQLite).
	Login string
	// Staff is the staff member the login is mapped to; nil when it is
	// mapped to no one (the headless intake, scripts, the database owner).
	Staff *Staff
	// Unbound: the server does not hold the login to one name (a superuser
	// or the database's owner, who could drop the server's checks anyway).
	// Such a login may act as a staff member named by ARENDESTOD_USER.
	Unbound bool
}

// Team reports whether the database has logins: a team database.
func (id Identity) Team() bool { return id.Login != "" }

// LoginActor is the actor of a login mapped to no staff member: "cli:" and
// the login, as the command line acts without a staff member.
func LoginActor(login string) string { return "cli:" + login }

// ValidateDBLogin checks the name of a database login an administrator
// creates or maps: 1-63 characters, lower-case a-z, digits, "_", "." or
// "-", starting with a letter, and not PostgreSQL's reserved "pg_".
func ValidateDBLogin(login string) (string, error) {
	login = strings.TrimSpace(login)
	if login == "" {
		return "", FieldErrorf("login", "ange inloggningens namn")
	}
	if len(login) > 63 {
		return "", FieldErrorf("login", "inloggningens namn är för långt (högst 63 tecken)")
	}
	for i, r := range login {
		ok := r >= 'a' && r <= 'z' || i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-')
		if !ok {
			return "", FieldErrorf("login", "inloggningens namn får bara innehålla a–z, siffror, _, . och - och ska börja med en bokstav: %q", login)
		}
	}
	if strings.HasPrefix(login, "pg_") {
		return "", FieldErrorf("login", "inloggningar som börjar med pg_ är reserverade för databasservern")
	}
	return login, nil
}

type osUserKey struct{}

// WithOSUser returns ctx carrying the computer account a command-line run
// acts from, so that every access-log row the run writes names it beside
// the staff member's HSA-ID (AuditDetail).
func WithOSUser(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, osUserKey{}, name)
}

// OSUserOf returns the computer account ctx carries, "" when none.
func OSUserOf(ctx context.Context) string {
	s, _ := ctx.Value(osUserKey{}).(string)
	return s
}

// AuditDetail is an access-log row's detail as stored: detail, followed
// by the computer account ctx carries (WithOSUser), if any.
func AuditDetail(ctx context.Context, detail string) string {
	name := OSUserOf(ctx)
	if name == "" {
		return detail
	}
	note := "datorkonto " + name
	if detail == "" {
		return note
	}
	return detail + " (" + note + ")"
}
