package cli

// Who is who (issue 13 item 9): whom a run acts as in events and the
// access log, settled once when the run opens the store.
//
//   - On a team database (PostgreSQL) the server knows the login: a login
//     mapped to a staff member acts as that member, and the server refuses
//     rows in anyone else's name; a login mapped to no one (the headless
//     intake, scripts, the database owner) acts as "cli:LOGIN" and cannot
//     open the window.
//   - ARENDESTOD_USER, when set, must name a known, active staff member
//     (else exit status 2); on a team database it must be the login's own
//     member, or the login must be one the server does not bind (the
//     owner).
//   - Otherwise the command line acts as "cli:" and the OS user, as always.
//
// Whenever the actor is not already the OS user, every access-log row of
// the run names the computer account beside it (app.WithOSUser).

import (
	"strings"

	"arendestod/app"
)

// EnvUser is the environment variable naming the staff member (HSA-ID) a
// command-line run acts as.
const EnvUser = "ARENDESTOD_USER"

// runIdentity is whom a run acts as.
type runIdentity struct {
	actor string
	id    app.Identity
}

// settleIdentity works out whom the run acts as on the store s it has just
// opened, or why it may not run (a UsageError: exit status 2).
func (r *Run) settleIdentity(s Store) error {
	id, err := s.WhoAmI(r.Ctx)
	if err != nil {
		return err
	}
	who := &runIdentity{id: id}
	named := strings.TrimSpace(r.Env.Getenv(EnvUser))
	osName := osUserName()
	switch {
	case id.Staff != nil:
		// The server binds this login to its staff member.
		if named != "" && app.StaffKey(named) != id.Staff.HSAID {
			return Usagef("%s (%s) är inte den som databasinloggningen %s hör till (%s).", EnvUser, named, id.Login, id.Staff.HSAID)
		}
		if !id.Staff.Active {
			return Usagef("Databasinloggningen %s hör till personal som inte är aktiv (HSA-ID %s); be en administratör om hjälp.", id.Login, id.Staff.HSAID)
		}
		who.actor = id.Staff.HSAID
	case named != "" && id.Team() && !id.Unbound:
		return Usagef("%s kan inte användas med databasinloggningen %s, som inte hör till någon i personalen: kommandona körs som %s. Koppla inloggningen till personal under Personal, eller ta bort %s.",
			EnvUser, id.Login, app.LoginActor(id.Login), EnvUser)
	case named != "":
		st, err := s.StaffByHSAID(r.Ctx, named)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return Usagef("%s: det finns ingen personal med HSA-ID %s.", EnvUser, named)
		} else if err != nil {
			return err
		}
		if !st.Active {
			return Usagef("%s: personalen med HSA-ID %s är inte aktiv.", EnvUser, st.HSAID)
		}
		who.actor = st.HSAID
	case id.Team():
		who.actor = app.LoginActor(id.Login)
	default:
		who.actor = "cli:" + osName
	}
	if who.actor != "cli:"+osName {
		r.Ctx = app.WithOSUser(r.Ctx, osName)
	}
	r.who = who
	return nil
}

// windowLogin is whom the window signs in as, or why it may not open. On
// one desk: demoLogin (the team demo's), else "" (the window asks "Vem
// arbetar?"). On a team database the login decides: its staff member,
// and a login mapped to no one cannot open the window (except the team
// demo's, on a login the server does not bind).
func (r *Run) windowLogin(demoLogin string) (string, error) {
	id := r.who.id
	switch {
	case !id.Team():
		return demoLogin, nil
	case id.Staff != nil:
		return id.Staff.HSAID, nil
	case demoLogin != "" && id.Unbound:
		return demoLogin, nil
	}
	return "", app.Errorf(app.ECONFLICT, "Databasinloggningen %s hör inte till någon i personalen och kan inte öppna fönstret (kommandona fungerar, som %s). Logga in med din egen databasinloggning, eller be en administratör koppla inloggningen till dig under Personal.",
		id.Login, app.LoginActor(id.Login))
}
