package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/secrets"
)

// KeyringService is the OS keyring service the IMAP password is kept under;
// KeyringAccount names the entry. main reads the password with IMAPPassword.
const KeyringService = secrets.Service

// KeyringAccount is the keyring entry of the password of user at host.
func KeyringAccount(host, user string) string {
	return "imap:" + strings.TrimSpace(user) + "@" + strings.ToLower(strings.TrimSpace(host))
}

// IMAPPassword reads the saved account's password from the OS keyring.
func IMAPPassword(host, user string) (string, error) {
	return secrets.Get(KeyringAccount(host, user))
}

var securityOptions = []struct{ key, label string }{
	{app.IMAPSecurityTLS, "TLS (port 993), rekommenderas"},
	{app.IMAPSecurityStartTLS, "STARTTLS (port 143)"},
	{app.IMAPSecurityPlain, "Okrypterad, endast till den egna datorn (127.0.0.1)"},
}

// imapForm is the settings screen's section for the e-mail account that
// receives 1177's notices.
type imapForm struct {
	u        *UI
	host     *keyEntry
	port     *keyEntry
	security *keySelect
	user     *keyEntry
	password *keyEntry
	mailbox  *keyEntry
	markSeen *keyCheck
	moveTo   *keyEntry
	owner    *keySelect
	owners   map[string]string // option → HSA-ID
	errors   map[string]*widget.Label
	save     *widget.Button
	test     *widget.Button
	info     *widget.Label
}

func newIMAPForm(u *UI) *imapForm {
	return &imapForm{u: u, errors: map[string]*widget.Label{}}
}

func (f *imapForm) build() fyne.CanvasObject {
	f.host = newKeyEntry(f.u, false)
	f.host.SetPlaceHolder("t.ex. imap.vgregion.se")
	f.port = newKeyEntry(f.u, false)
	f.port.SetPlaceHolder("tomt: 993 för TLS, annars 143")
	var labels []string
	for _, o := range securityOptions {
		labels = append(labels, o.label)
	}
	f.security = newKeySelect(f.u, labels, nil)
	f.security.SetSelected(labels[0])
	f.user = newKeyEntry(f.u, false)
	f.password = newKeyEntry(f.u, false)
	f.password.Password = true
	f.password.SetPlaceHolder("sparas i datorns nyckelring")
	f.mailbox = newKeyEntry(f.u, false)
	f.mailbox.SetPlaceHolder("INBOX")
	f.markSeen = newKeyCheck(f.u, "Markera notiser som lästa när ärendet är registrerat", nil)
	f.moveTo = newKeyEntry(f.u, false)
	f.moveTo.SetPlaceHolder("tomt: notiserna ligger kvar")
	f.owner = newKeySelect(f.u, nil, nil)
	f.owner.PlaceHolder = "Ingen"
	for _, k := range []string{"host", "port", "security", "user", "password", "mailbox"} {
		l := wrapLabel("")
		l.Importance = widget.DangerImportance
		l.Hide()
		f.errors[k] = l
	}
	f.save = widget.NewButtonWithIcon("Spara konto", theme.DocumentSaveIcon(), f.onSaveTapped)
	f.test = widget.NewButtonWithIcon("Testa anslutning", theme.MailComposeIcon(), f.onTestTapped)
	if f.u.s.TestIMAP == nil {
		f.test.Disable()
	}
	f.info = wrapLabel("")
	field := func(label string, w fyne.CanvasObject, key string) fyne.CanvasObject {
		box := container.NewVBox(boldLabel(label), w)
		if l, ok := f.errors[key]; ok {
			box.Add(l)
		}
		return box
	}
	intro := wrapLabel("Kontot som tar emot notiserna från 1177. Programmet läser bara: notiserna ändras inte i brevlådan om du inte väljer det nedan.")
	intro.TextStyle = fyne.TextStyle{Italic: true}
	return container.NewVBox(intro,
		field("Server", f.host, "host"),
		container.NewGridWithColumns(2, field("Säkerhet", f.security, "security"), field("Port", f.port, "port")),
		container.NewGridWithColumns(2, field("Användarnamn", f.user, "user"), field("Lösenord", f.password, "password")),
		field("Mapp", f.mailbox, "mailbox"),
		field("Brevlådans ägare (får ärenden som 1177 tilldelar)", f.owner, ""),
		boldLabel("Frivilligt"), f.markSeen, field("Flytta notiser till mapp efter intag", f.moveTo, ""),
		container.NewHBox(f.save, f.test), f.info)
}

// load reads the saved account (never the password) into the form. A
// saved value that cannot be read is said under the form; the rest shows.
func (f *imapForm) load(ctx context.Context, staff []*app.Staff) (func(), error) {
	acc, err := app.LoadIMAPAccount(ctx, f.u.s.Store)
	if err != nil && app.ErrorCode(err) != app.EINVALID {
		return nil, err
	}
	return func() {
		f.host.SetText(acc.Host)
		port := ""
		if acc.Port != 0 {
			port = strconv.Itoa(acc.Port)
		}
		f.port.SetText(port)
		for _, o := range securityOptions {
			if o.key == acc.Security {
				f.security.SetSelected(o.label)
			}
		}
		f.user.SetText(acc.Username)
		f.password.SetText("")
		f.mailbox.SetText(acc.Mailbox)
		f.markSeen.SetChecked(acc.MarkSeen)
		f.moveTo.SetText(acc.MoveTo)
		f.owners = map[string]string{"Ingen": ""}
		opts := []string{"Ingen"}
		for _, s := range staff {
			if s.Active {
				opts = append(opts, s.Name)
				f.owners[s.Name] = s.HSAID
			}
		}
		f.owner.Options = opts
		f.owner.SetSelected("Ingen")
		for name, id := range f.owners {
			if id != "" && id == acc.Assignee {
				f.owner.SetSelected(name)
			}
		}
		if err != nil {
			f.info.SetText(app.IntakeErrorReason(err))
		}
	}, nil
}

func (f *imapForm) setEnabled(on bool) {
	for _, e := range []*keyEntry{f.host, f.port, f.user, f.password, f.mailbox, f.moveTo} {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	for _, w := range []fyne.Disableable{f.security, f.markSeen, f.owner, f.save} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

func (f *imapForm) showError(field, msg string) {
	l := f.errors[field]
	l.SetText(msg)
	l.Show()
}

// account reads the form and checks it as app.IMAPAccount does; errors
// show under their fields.
func (f *imapForm) account() (app.IMAPAccount, bool) {
	for _, l := range f.errors {
		l.Hide()
	}
	acc := app.IMAPAccount{
		Host: strings.TrimSpace(f.host.Text), Username: strings.TrimSpace(f.user.Text), Password: f.password.Text,
		Mailbox: strings.TrimSpace(f.mailbox.Text), MarkSeen: f.markSeen.Checked, MoveTo: strings.TrimSpace(f.moveTo.Text),
		Assignee: f.owners[f.owner.Selected],
	}
	for _, o := range securityOptions {
		if o.label == f.security.Selected {
			acc.Security = o.key
		}
	}
	var errs app.ValidationErrors
	port, err := app.ParseIMAPPort(f.port.Text)
	if ae := (*app.Error)(nil); errors.As(err, &ae) {
		errs = append(errs, ae)
	}
	acc.Port = port
	if err := acc.Validate(); err != nil {
		var ve app.ValidationErrors
		if !errors.As(err, &ve) {
			f.u.showError(err)
			return acc, false
		}
		errs = append(errs, ve...)
	}
	for _, e := range errs {
		if _, ok := f.errors[e.Field]; ok && !f.errors[e.Field].Visible() {
			f.showError(e.Field, e.Message)
		}
	}
	return acc, len(errs) == 0
}

func (f *imapForm) onSaveTapped() {
	acc, ok := f.account()
	if !ok {
		return
	}
	f.u.background(func(ctx context.Context) {
		if err := app.SaveIMAPAccount(ctx, f.u.s.Store, acc); err != nil {
			f.u.showError(err)
			return
		}
		var kerr error
		if acc.Password != "" {
			kerr = secrets.Set(KeyringAccount(acc.Host, acc.Username), acc.Password)
		}
		fyne.Do(func() {
			if kerr != nil {
				f.showError("password", "Lösenordet kunde inte sparas: datorn har ingen nyckelring som programmet kan använda ("+
					kerr.Error()+"). Lösenordet sparas aldrig i en fil eller i databasen. Utan nyckelring kan e-postintaget köras från kommandoraden med --password-file.")
				f.info.SetText("Kontot sparades, men utan lösenord.")
				return
			}
			f.password.SetText("")
			f.info.SetText("Kontot sparat " + whenAt(f.u.s.Now(), f.u.s.Now()) + ". Det används nästa gång e-postintaget startar.")
		})
	})
}

func (f *imapForm) onTestTapped() {
	if f.u.s.TestIMAP == nil {
		return
	}
	acc, ok := f.account()
	if !ok {
		return
	}
	if acc.Password == "" {
		pw, err := secrets.Get(KeyringAccount(acc.Host, acc.Username))
		if err != nil {
			f.showError("password", "Skriv lösenordet: inget lösenord är sparat för kontot i nyckelringen.")
			return
		}
		acc.Password = pw
	}
	f.test.Disable()
	f.info.SetText("Ansluter till " + acc.Host + " …")
	f.u.background(func(ctx context.Context) {
		err := f.u.s.TestIMAP(ctx, acc)
		fyne.Do(func() {
			f.test.Enable()
			if err != nil {
				f.info.Importance = widget.DangerImportance
				f.info.SetText("Anslutningen misslyckades: " + app.IntakeErrorReason(err))
				return
			}
			f.info.Importance = widget.SuccessImportance
			f.info.SetText("Anslutningen fungerar: inloggningen lyckades och mappen finns.")
		})
	})
}
