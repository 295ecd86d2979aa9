package data

// Backups of a PostgreSQL database: pg_dump's custom format, taken by
// pg_dump itself. The store has no file to copy, and the server's own
// backups (pg_dump, base backups, WAL archiving) are its operator's.

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"arendestod/app"
	"arendestod/app/files"
)

// errRestorePG refuses restore on a server: it replaces a file, and a
// server's database is restored with pg_restore by whoever runs it.
var errRestorePG = app.Errorf(app.ECONFLICT,
	"restore ersätter en databasfil och fungerar inte mot en PostgreSQL-server; återställ med pg_restore (till exempel pg_restore --clean --dbname URL SÄKERHETSKOPIA).")

// pgDump writes the database to dest with pg_dump --format=custom, the
// password in the child's environment only (PGPASSWORD), never on its
// command line. Without pg_dump on this machine it says, in Swedish, how
// to take the backup instead.
func (db *DB) pgDump(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return app.Errorf(app.ECONFLICT, "Filen %s finns redan; välj ett annat namn.", dest)
	}
	bin, ok := findPGDump()
	if !ok {
		return app.Errorf(app.ECONFLICT, "pg_dump finns inte på den här datorn (paketet postgresql-client), så säkerhetskopian av %s kan inte tas härifrån. "+
			"Ta den med: pg_dump --format=custom --file %s --dbname %s (lösenordet i PGPASSWORD eller ~/.pgpass).", db.path, dest, db.path)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		return app.Errorf(app.EINTERNAL, "Kunde inte skapa mappen för säkerhetskopian: %v", err)
	}
	// The head before the dump: the dump holds it (and maybe more), so it
	// anchors the backup.
	headRows, headLast, headHash, err := readHead(ctx, db.rw)
	if err != nil {
		return wrapDBError(err)
	}
	conn, password := libpqURL(db.dsn)
	tmp := dest + ".tmp"
	os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return app.Errorf(app.EINTERNAL, "Kunde inte skriva säkerhetskopian: %v", err)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-password", "--dbname", conn)
	cmd.Stdout, cmd.Stderr = f, &stderr
	cmd.Env = childEnv(password)
	err = cmd.Run()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		detail := strings.TrimSpace(stderr.String())
		if detail == "" {
			detail = err.Error()
		}
		return app.Errorf(app.EINTERNAL, "pg_dump kunde inte säkerhetskopiera %s: %s", db.path, app.RedactDBPassword(detail))
	}
	if db.auditKey != nil && db.epoch != nil {
		if err := db.writeBackupAnchor(dest, headRows, headLast, headHash); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		os.Remove(AnchorPath(dest))
		return err
	}
	return files.SyncDir(filepath.Dir(dest))
}

// findPGDump finds pg_dump: on PATH, else the newest of Debian's
// /usr/lib/postgresql/*/bin.
func findPGDump() (string, bool) {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p, true
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	sort.Slice(dirs, func(i, j int) bool { return pgVersionOf(dirs[i]) > pgVersionOf(dirs[j]) })
	if len(dirs) > 0 {
		return dirs[0], true
	}
	return "", false
}

func pgVersionOf(path string) int {
	n := 0
	for _, c := range filepath.Base(filepath.Dir(filepath.Dir(path))) {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return n
}

// libpqParams are the connection URL's parameters libpq (pg_dump) knows
// and the store passes on; pgx's own (and the password) stay behind.
var libpqParams = []string{"host", "port", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl",
	"connect_timeout", "target_session_attrs", "application_name"}

// libpqURL splits a connection URL into one without any password, for a
// child's command line, and the password.
func libpqURL(dsn string) (conn, password string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", ""
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if p := q.Get("password"); p != "" {
		password = p
	}
	keep := url.Values{}
	for _, k := range libpqParams {
		if v, ok := q[k]; ok {
			keep[k] = v
		}
	}
	u.RawQuery = keep.Encode()
	return u.String(), password
}

// childEnv is this process's environment for a PostgreSQL client program
// (the PG* variables pgx read as well), with PGPASSWORD when the URL gave
// a password.
func childEnv(password string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if password == "" || !strings.HasPrefix(kv, "PGPASSWORD=") {
			env = append(env, kv)
		}
	}
	if password != "" {
		env = append(env, "PGPASSWORD="+password)
	}
	return env
}
