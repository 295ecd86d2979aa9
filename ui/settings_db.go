package ui

// Inställningar → Databas: which database Ärendestöd opens on this
// computer account. The choice is kept outside the database (it cannot
// live in the database it chooses): the URL, without password, in a small
// file of the account's own, the password in the OS keyring. It takes
// effect at the next start.

import (
	"context"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/secrets"
)

// DatabaseSettings are what Inställningar → Databas needs from main.
type DatabaseSettings struct {
	// Current is the database in use, as it may be shown: a SQLite path,
	// or a PostgreSQL URL without password.
	Current string
	// Source says where the database in use was chosen: "--db",
	// "ARENDESTOD_DB", "saved" or "default" (cli.DBFrom…).
	Source string
	// Saved returns the saved choice, a PostgreSQL URL without password;
	// "" when none is saved.
	Saved func() (string, error)
	// Save saves a PostgreSQL URL without password as the next start's
	// database; "" removes the saved choice.
	Save func(dbURL string) error
}

// DatabaseKeyringAccount is the keyring entry of the password of the
// PostgreSQL database at dbURL: its user, host, port and database.
func DatabaseKeyringAccount(dbURL string) string {
	u, err := url.Parse(strings.TrimSpace(dbURL))
	if err != nil {
		return "db:" + strings.TrimSpace(dbURL)
	}
	user := ""
	if u.User != nil {
		user = u.User.Username()
	}
	host := strings.ToLower(u.Host)
	if h := u.Query().Get("host"); h != "" {
		host = h
	}
	return "db:" + user + "@" + host + u.Path
}

// DatabasePassword reads the password of the database at dbURL from the
// OS keyring.
func DatabasePassword(dbURL string) (string, error) {
	return secrets.Get(DatabaseKeyringAccount(dbURL))
}

// dbForm is the settings screen's section for the database.
type dbForm struct {
	u        *UI
	current  *widget.Label
	url      *keyEntry
	password *keyEntry
	errLabel *widget.Label
	save     *widget.Button
	info     *widget.Label
}

func newDBForm(u *UI) *dbForm { return &dbForm{u: u} }

// build returns the section, or nil when main gave no database settings.
func (f *dbForm) build() fyne.CanvasObject {
	ds := f.u.s.Database
	if ds == nil {
		return nil
	}
	f.current = wrapLabel(dbCurrentText(ds))
	f.url = newKeyEntry(f.u, false)
	f.url.SetPlaceHolder("postgres://användare@server/databas")
	f.password = newKeyEntry(f.u, false)
	f.password.Password = true
	f.password.SetPlaceHolder("sparas i datorns nyckelring")
	f.errLabel = wrapLabel("")
	f.errLabel.Importance = widget.DangerImportance
	f.errLabel.Hide()
	f.save = widget.NewButtonWithIcon("Spara databasval", theme.DocumentSaveIcon(), f.onSaveTapped)
	f.info = wrapLabel("")
	if ds.Saved != nil {
		if v, err := ds.Saved(); err != nil {
			f.showError(capitalize(app.ErrorMessage(err)))
		} else {
			f.url.SetText(v)
		}
	}
	help := wrapLabel("Tomt fält: den lokala databasen på den här datorn. En server på en annan dator nås krypterat med kontroll av serverns certifikat (sslmode=verify-full) om adressen inte säger något annat. Valet gäller ditt datorkonto och börjar gälla när Ärendestöd startas nästa gång.")
	help.TextStyle = fyne.TextStyle{Italic: true}
	return card("Databas", "Vilken databas Ärendestöd öppnar: den lokala filen, eller mottagningens gemensamma PostgreSQL-databas.",
		container.NewVBox(boldLabel("Databas nu"), f.current,
			boldLabel("PostgreSQL-adress"), f.url,
			boldLabel("Lösenord"), f.password, f.errLabel, help,
			container.NewHBox(f.save), f.info))
}

// dbCurrentText says which database is open and where it was chosen.
func dbCurrentText(ds *DatabaseSettings) string {
	s := ds.Current
	switch ds.Source {
	case "--db":
		s += " (vald med --db, som går före det sparade valet)"
	case "ARENDESTOD_DB":
		s += " (vald med miljövariabeln ARENDESTOD_DB, som går före det sparade valet)"
	case "saved":
		s += " (det sparade valet)"
	case "default":
		s += " (den lokala databasen)"
	}
	return s
}

func (f *dbForm) showError(msg string) {
	f.errLabel.SetText(msg)
	f.errLabel.Show()
}

// onSaveTapped saves the URL without password in the per-user file and
// the password (from its field, or from the URL when typed there) in the
// keyring.
func (f *dbForm) onSaveTapped() {
	f.errLabel.Hide()
	f.info.SetText("")
	raw := strings.TrimSpace(f.url.Text)
	pw := f.password.Text
	var stripped string
	if raw != "" {
		l := strings.ToLower(raw)
		u, err := url.Parse(raw)
		if err != nil || !(strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")) {
			f.showError("Ange en PostgreSQL-adress som börjar med postgres:// eller postgresql://, t.ex. postgres://arendestod_app@dbserver.example.se/arendestod. Tomt fält: den lokala databasen.")
			return
		}
		// A password typed into the address goes to the keyring too,
		// never to the file.
		if u.User != nil {
			if p, ok := u.User.Password(); ok {
				if pw == "" {
					pw = p
				}
				u.User = url.User(u.User.Username())
			}
		}
		q := u.Query()
		if p := q.Get("password"); p != "" || q.Has("password") {
			if pw == "" {
				pw = p
			}
			q.Del("password")
			u.RawQuery = q.Encode()
		}
		stripped = u.String()
	}
	ds := f.u.s.Database
	f.save.Disable()
	f.u.background(func(ctx context.Context) {
		var kerr error
		if stripped != "" && pw != "" {
			kerr = secrets.Set(DatabaseKeyringAccount(stripped), pw)
		}
		var err error
		if kerr == nil && ds.Save != nil {
			err = ds.Save(stripped)
		}
		fyne.Do(func() {
			f.save.Enable()
			switch {
			case kerr != nil:
				f.showError("Lösenordet kunde inte sparas i datorns nyckelring (" + kerr.Error() + "). Ingenting har sparats.")
				return
			case err != nil:
				f.showError(capitalize(app.ErrorMessage(err)))
				return
			}
			f.password.SetText("")
			f.url.SetText(stripped)
			msg := "Sparat. Ändringen gäller när Ärendestöd startas nästa gång"
			if stripped == "" {
				msg += ": då öppnas den lokala databasen på den här datorn"
			}
			msg += "."
			if ds.Source == "--db" || ds.Source == "ARENDESTOD_DB" {
				msg += " Så länge databasen väljs med --db eller ARENDESTOD_DB gäller det valet i stället."
			}
			f.info.SetText(msg)
		})
	})
}
