package ui

// Who is who (issue 13 item 9): on a team database each staff member has
// a database login of their own. An administrator creates it (its
// password goes to the server as a SCRAM verifier and is kept nowhere
// here), maps it to the staff member, and disables or enables it again,
// from Personal. On one desk (SQLite) there are no logins and the card is
// hidden.

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// loginCard is the Databasinloggning part of the staff screen.
type loginCard struct {
	st       *staffScreen
	box      *fyne.Container
	current  *widget.Label
	login    *keyEntry
	password *keyEntry
	create   *widget.Button
	link     *widget.Button
	disable  *widget.Button
	enable   *widget.Button
	errLabel *widget.Label
	team     bool // a team database: the card is shown
}

func newLoginCard(st *staffScreen) *loginCard {
	c := &loginCard{st: st}
	c.current = wrapLabel("")
	c.login = newKeyEntry(st.u, false)
	c.login.SetPlaceHolder("t.ex. asa.oberg")
	c.password = newKeyEntry(st.u, false)
	c.password.Password = true
	c.password.SetPlaceHolder("minst 12 tecken; lämnas muntligt till personen, sparas inte här")
	c.create = widget.NewButtonWithIcon("Skapa inloggning och koppla", theme.ContentAddIcon(), c.onCreateTapped)
	c.link = widget.NewButton("Koppla befintlig inloggning", c.onLinkTapped)
	c.disable = widget.NewButton("Stäng av inloggningen", func() { c.onEnableTapped(false) })
	c.enable = widget.NewButton("Slå på inloggningen", func() { c.onEnableTapped(true) })
	c.errLabel = wrapLabel("")
	c.errLabel.Importance = widget.DangerImportance
	c.errLabel.Hide()
	help := wrapLabel("På den gemensamma databasen loggar var och en in med sin egen databasinloggning; servern skriver allt i den personens namn. Lösenordet sparas i den personens dators nyckelring (Inställningar → Databas). Att skapa inloggningar kräver CREATEROLE på servern.")
	c.box = container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle("Databasinloggning", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.current, help,
		widget.NewForm(widget.NewFormItem("Inloggning", c.login), widget.NewFormItem("Lösenord", c.password)),
		container.NewHBox(c.create, c.link), container.NewHBox(c.disable, c.enable), c.errLabel)
	c.box.Hide()
	return c
}

// load asks the store whether the database has logins.
func (c *loginCard) load() {
	c.st.u.background(func(ctx context.Context) {
		id, err := c.st.u.s.Store.WhoAmI(ctx)
		fyne.Do(func() {
			c.team = err == nil && id.Team()
			c.show(c.st.editing)
		})
	})
}

// show fills the card for s (nil: a new staff member, no card yet).
func (c *loginCard) show(s *app.Staff) {
	c.errLabel.Hide()
	c.password.SetText("")
	if !c.team || s == nil {
		c.box.Hide()
		return
	}
	if s.DBLogin == "" {
		c.current.SetText(s.Name + " har ingen databasinloggning.")
		c.login.SetText("")
	} else {
		c.current.SetText(s.Name + " loggar in som " + s.DBLogin + ".")
		c.login.SetText(s.DBLogin)
	}
	admin := c.st.u.isAdmin()
	for _, w := range []fyne.Disableable{c.login, c.password, c.create, c.link, c.disable, c.enable} {
		if admin {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	c.box.Show()
}

func (c *loginCard) fail(err error) {
	c.errLabel.SetText(capitalize(app.ErrorMessage(err)))
	c.errLabel.Show()
}

// run does fn for the staff member shown, then reloads the list.
func (c *loginCard) run(done string, fn func(ctx context.Context, s *app.Staff, login string) error) {
	s := c.st.editing
	if s == nil || !c.st.u.isAdmin() {
		return
	}
	login, err := app.ValidateDBLogin(c.login.Text)
	if err != nil {
		c.fail(err)
		return
	}
	c.st.u.background(func(ctx context.Context) {
		err := fn(ctx, s, login)
		fyne.Do(func() {
			if err != nil {
				c.fail(err)
				return
			}
			c.password.SetText("")
			c.st.notice.SetText(done)
			c.st.onAddTapped()
			c.st.load()
		})
	})
}

func (c *loginCard) onCreateTapped() {
	pw := c.password.Text
	c.run("Inloggningen är skapad och kopplad.", func(ctx context.Context, s *app.Staff, login string) error {
		if err := c.st.u.s.Store.CreateLogin(ctx, login, pw); err != nil {
			return err
		}
		return c.st.u.s.Store.SetStaffLogin(ctx, s.HSAID, login)
	})
}

func (c *loginCard) onLinkTapped() {
	c.run("Inloggningen är kopplad.", func(ctx context.Context, s *app.Staff, login string) error {
		return c.st.u.s.Store.SetStaffLogin(ctx, s.HSAID, login)
	})
}

func (c *loginCard) onEnableTapped(on bool) {
	done := "Inloggningen är avstängd: den kan inte längre ansluta."
	if on {
		done = "Inloggningen kan ansluta igen."
	}
	c.run(done, func(ctx context.Context, s *app.Staff, login string) error {
		if !on && s.HSAID == c.st.u.actor() {
			return app.Errorf(app.ECONFLICT, "Du kan inte stänga av din egen inloggning.")
		}
		return c.st.u.s.Store.SetLoginEnabled(ctx, login, on)
	})
}
