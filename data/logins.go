package data

// Who is who on a team database (issue 13 item 9): the login a connection
// uses, the staff member it is mapped to (staff.db_login), and the
// administrator's creating and disabling of logins. The server enforces
// the mapping (migrations_pg/0010_logins.sql); on SQLite there are no
// logins and the mapping is kept but unused.

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/secure/precis"

	"arendestod/app"
)

// AppRole is the server role whose rights every desk's login has
// (server_roles.sql): CreateLogin makes a new login a member of it.
const AppRole = "arendestod_app"

// WhoAmI says who the database knows this connection as: on PostgreSQL its
// login (session_user), the staff member mapped to it, and whether the
// server binds it to that name; on SQLite nobody (app.Identity{}).
func (db *DB) WhoAmI(ctx context.Context) (app.Identity, error) {
	if !db.d.server() {
		return app.Identity{}, nil
	}
	var id app.Identity
	var hsa sql.NullString
	err := db.ro.QueryRowContext(ctx, `SELECT session_user, arendestod_unbound_session(),
		(SELECT hsa_id FROM staff WHERE db_login = session_user)`).Scan(&id.Login, &id.Unbound, &hsa)
	if err != nil {
		return app.Identity{}, wrapDBError(err)
	}
	if hsa.Valid {
		if id.Staff, err = db.StaffByHSAID(ctx, hsa.String); err != nil {
			return app.Identity{}, err
		}
	}
	return id, nil
}

// SetStaffLogin maps the staff member with hsaID to the database login
// ("" removes the mapping). On a server only a login with CREATEROLE, or
// the database's owner, may (the server refuses others).
func (db *DB) SetStaffLogin(ctx context.Context, hsaID, login string) error {
	if login != "" {
		var err error
		if login, err = app.ValidateDBLogin(login); err != nil {
			return err
		}
	}
	return db.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET db_login = ? WHERE hsa_id = ?`, nullString(login), app.StaffKey(hsaID))
		if isUniqueViolation(err, "staff_db_login", "staff.db_login") {
			return &app.Error{Code: app.ECONFLICT, Field: "login", Message: "inloggningen " + login + " hör redan till någon annan i personalen"}
		} else if err != nil {
			return wrapDBError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "Det finns ingen personal med HSA-ID %s.", hsaID)
		}
		tx.changed(app.Change{Kind: app.ChangeStaff, At: db.Now()})
		return nil
	})
}

// minLoginPassword is the shortest password CreateLogin accepts.
const minLoginPassword = 12

// CreateLogin creates a database login that may use the application (a
// member of AppRole) with password. The server gets the password as a
// SCRAM-SHA-256 verifier made here, never as text that its statement log
// or statistics could keep. EINVALID on SQLite, which has no logins.
func (db *DB) CreateLogin(ctx context.Context, login, password string) error {
	if !db.d.server() {
		return app.Errorf(app.EINVALID, "Databasinloggningar finns bara på en gemensam databas (PostgreSQL).")
	}
	login, err := app.ValidateDBLogin(login)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(password) < minLoginPassword {
		return app.FieldErrorf("password", "lösenordet ska ha minst %d tecken", minLoginPassword)
	}
	verifier, err := scramVerifier(password)
	if err != nil {
		return err
	}
	var exists bool
	if err := db.rw.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)`, AppRole).Scan(&exists); err != nil {
		return wrapDBError(err)
	}
	if !exists {
		return app.Errorf(app.ECONFLICT, "Rollen %s finns inte på databasservern; skapa den först (se README, Server).", AppRole)
	}
	_, err = db.rw.ExecContext(ctx, `CREATE ROLE `+pgx.Identifier{login}.Sanitize()+` LOGIN PASSWORD '`+verifier+
		`' IN ROLE `+pgx.Identifier{AppRole}.Sanitize())
	switch pgSQLState(err) {
	case "":
		return nil
	case "42710": // duplicate_object
		return &app.Error{Code: app.ECONFLICT, Field: "login", Message: "det finns redan en inloggning " + login + " på databasservern"}
	case "42501":
		return app.Errorf(app.ECONFLICT, "Din databasinloggning får inte skapa inloggningar (det kräver CREATEROLE på servern).")
	}
	return wrapDBError(err)
}

// SetLoginEnabled lets the login connect (LOGIN) or not (NOLOGIN). Its
// open sessions are not ended.
func (db *DB) SetLoginEnabled(ctx context.Context, login string, enabled bool) error {
	if !db.d.server() {
		return app.Errorf(app.EINVALID, "Databasinloggningar finns bara på en gemensam databas (PostgreSQL).")
	}
	login, err := app.ValidateDBLogin(login)
	if err != nil {
		return err
	}
	opt := " NOLOGIN"
	if enabled {
		opt = " LOGIN"
	}
	_, err = db.rw.ExecContext(ctx, `ALTER ROLE `+pgx.Identifier{login}.Sanitize()+opt)
	switch pgSQLState(err) {
	case "":
		return nil
	case "42704": // undefined_object
		return app.Errorf(app.ENOTFOUND, "Det finns ingen inloggning %s på databasservern.", login)
	case "42501":
		return app.Errorf(app.ECONFLICT, "Din databasinloggning får inte ändra inloggningar (det kräver CREATEROLE på servern).")
	}
	return wrapDBError(err)
}

// scramVerifier returns PostgreSQL's stored form of a SCRAM-SHA-256
// password (RFC 5802, RFC 7677): SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey.
// The password is normalised as pgx normalises it when it logs in
// (SASLprep's successor PRECIS OpaqueString, else the raw text).
func scramVerifier(password string) (string, error) {
	if n, err := precis.OpaqueString.String(password); err == nil {
		password = n
	}
	const iterations = 4096
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		return "", err
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac(salted, "Client Key"))
	server := mac(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	v := "SCRAM-SHA-256$4096:" + b64(salt) + "$" + b64(stored[:]) + ":" + b64(server)
	if strings.ContainsAny(v, "'\\") {
		return "", errors.New("scram verifier: unexpected character")
	}
	return v, nil
}
