package cli

// Which database a run opens: --db, else ARENDESTOD_DB, else the choice
// saved under Inställningar → Databas (a small file of the computer
// account's own: the choice of database cannot live in the database), else
// the SQLite file in the user's configuration folder. A saved PostgreSQL
// URL never holds its password: that is kept in the OS keyring and added
// to the URL in memory only.

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"arendestod/app"
	"arendestod/app/files"
)

// EnvDB is the environment variable that chooses the database.
const EnvDB = "ARENDESTOD_DB"

// Where a run's database was chosen (DBSource).
const (
	DBFromFlag    = "--db"
	DBFromEnv     = EnvDB
	DBFromSaved   = "saved"
	DBFromDefault = "default"
)

// DBChoicePath is the file holding the database saved under Inställningar
// → Databas: beside the default database, in the user's configuration
// folder.
func DBChoicePath() string {
	return filepath.Join(filepath.Dir(DefaultDBPath()), "databas.json")
}

// dbChoice is the file's content.
type dbChoice struct {
	// URL is a PostgreSQL connection URL without password.
	URL string `json:"url"`
}

// LoadDBChoice reads the saved choice at path: "" when none is saved.
func LoadDBChoice(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", app.Errorf(app.EINTERNAL, "Det sparade databasvalet (%s) går inte att läsa: %s", path, fileProblem(err))
	}
	var c dbChoice
	if err := json.Unmarshal(b, &c); err != nil || (c.URL != "" && !app.IsServerDB(c.URL)) {
		return "", app.Errorf(app.EINTERNAL, "Det sparade databasvalet (%s) går inte att läsa. Välj databasen på nytt under Inställningar → Databas, eller ta bort filen.", path)
	}
	return app.StripDBPassword(c.URL), nil
}

// SaveDBChoice saves a PostgreSQL URL as the database of the next start,
// without any password it holds; "" removes the saved choice (the next
// start opens the default SQLite file). The file is written atomically,
// readable by its owner only.
func SaveDBChoice(path, dbURL string) error {
	dbURL = strings.TrimSpace(dbURL)
	if dbURL == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return app.Errorf(app.EINTERNAL, "Det sparade databasvalet (%s) kunde inte tas bort: %s", path, fileProblem(err))
		}
		return nil
	}
	if !app.IsServerDB(dbURL) {
		return app.Errorf(app.EINVALID, "Ange en PostgreSQL-adress som börjar med postgres:// eller postgresql://.")
	}
	if _, err := url.Parse(dbURL); err != nil {
		return app.Errorf(app.EINVALID, "Adressen går inte att läsa; skriv den som postgres://användare@server/databas.")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return app.Errorf(app.EINTERNAL, "Mappen för inställningen (%s) kunde inte skapas: %s", filepath.Dir(path), fileProblem(err))
	}
	b, err := json.MarshalIndent(dbChoice{URL: app.StripDBPassword(dbURL)}, "", "  ")
	if err != nil {
		return err
	}
	return files.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// DBPasswordOf returns the password a PostgreSQL URL holds, "" when none.
func DBPasswordOf(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || !app.IsServerDB(dbURL) {
		return ""
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			return p
		}
	}
	return u.Query().Get("password")
}

// WithDBPassword returns dbURL with password in its user part, unless it
// already holds one or password is "".
func WithDBPassword(dbURL, password string) string {
	if password == "" || DBPasswordOf(dbURL) != "" {
		return dbURL
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	user := ""
	if u.User != nil {
		user = u.User.Username()
	}
	u.User = url.UserPassword(user, password)
	return u.String()
}

// ResolveDB decides the database of a run: flag (--db), else the
// environment's ARENDESTOD_DB, else the saved choice (saved may be nil),
// else the default SQLite file. A saved URL without password gets the
// one password(url) gives (the OS keyring; nil or "" for none), in memory
// only. It returns the location and where it was chosen (DBFrom…).
func ResolveDB(flag string, getenv func(string) string, saved func() (string, error), password func(dbURL string) (string, error)) (location, source string, err error) {
	if flag != "" {
		return flag, DBFromFlag, nil
	}
	if v := getenv(EnvDB); v != "" {
		return v, DBFromEnv, nil
	}
	if saved != nil {
		v, err := saved()
		if err != nil {
			return "", "", err
		}
		if v != "" {
			if password != nil && DBPasswordOf(v) == "" {
				// No password saved (or no keyring): the server may not
				// need one; opening says when it does.
				if pw, err := password(v); err == nil {
					v = WithDBPassword(v, pw)
				}
			}
			return v, DBFromSaved, nil
		}
	}
	return DefaultDBPath(), DBFromDefault, nil
}
