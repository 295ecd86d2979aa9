package app

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"strings"
	"unicode"
)

// Security modes of an IMAP account.
const (
	IMAPSecurityTLS      = "tls"      // implicit TLS, port 993: the default
	IMAPSecurityStartTLS = "starttls" // STARTTLS on port 143
	IMAPSecurityPlain    = "plain"    // no encryption: loopback only
)

// IMAPAccount is the mailbox that receives 1177's notices.
type IMAPAccount struct {
	Host string
	Port int // 0: 993 for tls, 143 otherwise
	// Security is "tls" (the default), "starttls" or "plain". Plain is
	// allowed only to a loopback address: the password and the notices
	// would otherwise cross the network in clear text.
	Security           string
	Username, Password string // the password is never saved in the settings
	Mailbox            string // default "INBOX"
	// MarkSeen sets \Seen on notices once they are stored. Off by default:
	// the mailbox is opened read-only (EXAMINE) and read with BODY.PEEK so
	// that the user's mail is never altered.
	MarkSeen bool
	// MoveTo, when set, is the folder notices are moved to once stored.
	MoveTo string
	// Assignee is the HSA-ID of the staff member who owns the mailbox ("" =
	// none); tilldelat notices assign their case to them.
	Assignee string
	// TLSConfig is used for tls and starttls; nil (always, in the product)
	// means the system's roots, verified against Host. Tests set their own
	// roots here. It is never saved.
	TLSConfig *tls.Config
}

// Server is the host as it is dialled: without spaces or IPv6 brackets.
func (a IMAPAccount) Server() string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(a.Host), "["), "]")
}

// SecurityMode is the security in effect: Security in lower case, "tls"
// when it is empty.
func (a IMAPAccount) SecurityMode() string {
	if a.Security == "" {
		return IMAPSecurityTLS
	}
	return strings.ToLower(a.Security)
}

// ServerPort is the port in effect: Port, else 993 for tls and 143 for
// the others.
func (a IMAPAccount) ServerPort() int {
	if a.Port != 0 {
		return a.Port
	}
	if a.SecurityMode() == IMAPSecurityTLS {
		return 993
	}
	return 143
}

// MailboxName is the folder in effect: Mailbox, else "INBOX".
func (a IMAPAccount) MailboxName() string {
	if a.Mailbox == "" {
		return "INBOX"
	}
	return a.Mailbox
}

// Addr is "host:port" to dial.
func (a IMAPAccount) Addr() string {
	return net.JoinHostPort(a.Server(), strconv.Itoa(a.ServerPort()))
}

// ReadOnly reports whether the mailbox can be opened with EXAMINE: nothing
// in it is to be marked or moved.
func (a IMAPAccount) ReadOnly() bool { return !a.MarkSeen && a.MoveTo == "" }

// Key identifies the mailbox in the store's sync state:
// "user@host:port/mailbox".
func (a IMAPAccount) Key() string {
	return a.Username + "@" + strings.ToLower(a.Server()) + ":" + strconv.Itoa(a.ServerPort()) + "/" + a.MailboxName()
}

// The account's Swedish messages, one per problem.
const (
	msgIMAPNoHost   = "Ange serverns namn eller adress."
	msgIMAPBadHost  = "Ange bara serverns namn, t.ex. imap.exempel.se (utan imap://, port eller mellanslag)."
	msgIMAPPort     = "Porten ska vara ett tal mellan 1 och 65535."
	msgIMAPPlain    = "Okrypterad anslutning är bara tillåten till den egna datorn (127.0.0.1, ::1 eller localhost): lösenordet och notiserna skulle annars gå i klartext över nätet. Välj TLS eller STARTTLS."
	msgIMAPSecurity = "Välj säkerhet: tls, starttls eller plain."
	msgIMAPNoUser   = "Ange användarnamnet."
)

// Validate checks the account before it is used or saved. It returns
// ValidationErrors of field errors with Swedish messages, for the fields
// "host", "port", "security", "user" and "mailbox" (also the folder
// notices are moved to).
func (a IMAPAccount) Validate() error {
	var errs ValidationErrors
	host := a.Server()
	switch {
	case host == "":
		errs = append(errs, FieldErrorf("host", msgIMAPNoHost))
	case strings.ContainsFunc(host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }),
		strings.Contains(host, ":") && net.ParseIP(host) == nil:
		errs = append(errs, FieldErrorf("host", msgIMAPBadHost))
	}
	if a.Port < 0 || a.Port > 65535 {
		errs = append(errs, FieldErrorf("port", msgIMAPPort))
	}
	switch a.SecurityMode() {
	case IMAPSecurityTLS, IMAPSecurityStartTLS:
	case IMAPSecurityPlain:
		if host != "" && !IsLoopback(host) {
			errs = append(errs, FieldErrorf("security", msgIMAPPlain))
		}
	default:
		errs = append(errs, FieldErrorf("security", msgIMAPSecurity))
	}
	if strings.TrimSpace(a.Username) == "" {
		errs = append(errs, FieldErrorf("user", msgIMAPNoUser))
	}
	if !validMailbox(a.MailboxName()) {
		errs = append(errs, FieldErrorf("mailbox", "Mappnamnet är ogiltigt."))
	}
	if a.MoveTo != "" {
		if !validMailbox(a.MoveTo) {
			errs = append(errs, FieldErrorf("mailbox", "Mappen att flytta notiser till har ett ogiltigt namn."))
		} else if strings.EqualFold(a.MoveTo, a.MailboxName()) {
			errs = append(errs, FieldErrorf("mailbox", "Notiserna kan inte flyttas till samma mapp som de hämtas från."))
		}
	}
	return errs.Err()
}

func validMailbox(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsFunc(s, unicode.IsControl)
}

// IsLoopback reports whether host names this computer without asking DNS:
// "localhost", 127.0.0.0/8 or ::1, with or without IPv6 brackets.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(host), "["), "]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseIMAPPort reads a port as a form or a setting holds it: "" is 0 (the
// security's default), else a number from 1 to 65535.
func ParseIMAPPort(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, FieldErrorf("port", msgIMAPPort)
	}
	return n, nil
}

// LoadIMAPAccount reads the account saved in the settings, without a
// password. An account with an empty Host means none is saved. A saved
// value that cannot be read (a hand-edited port or mark_seen) is an
// EINVALID error naming the setting; the account is then returned as far
// as it could be read.
func LoadIMAPAccount(ctx context.Context, s SettingsStore) (IMAPAccount, error) {
	var a IMAPAccount
	vals := map[string]string{}
	for _, k := range []string{SettingIMAPHost, SettingIMAPPort, SettingIMAPSecurity, SettingIMAPUser,
		SettingIMAPMailbox, SettingIMAPMarkSeen, SettingIMAPMoveTo, SettingIMAPAssignee} {
		v, err := s.Setting(ctx, k)
		if err != nil {
			return a, err
		}
		vals[k] = strings.TrimSpace(v)
	}
	a.Host = vals[SettingIMAPHost]
	a.Security = vals[SettingIMAPSecurity]
	a.Username = vals[SettingIMAPUser]
	a.Mailbox = vals[SettingIMAPMailbox]
	a.MoveTo = vals[SettingIMAPMoveTo]
	a.Assignee = vals[SettingIMAPAssignee]
	var bad *Error
	if p, err := ParseIMAPPort(vals[SettingIMAPPort]); err != nil {
		bad = Errorf(EINVALID, "inställningen %s: %q är inget portnummer", SettingIMAPPort, vals[SettingIMAPPort])
	} else {
		a.Port = p
	}
	switch v := strings.ToLower(vals[SettingIMAPMarkSeen]); v {
	case "", "0", "false", "nej":
	case "1", "true", "ja":
		a.MarkSeen = true
	default:
		if bad == nil {
			bad = Errorf(EINVALID, "inställningen %s: %q är varken ja eller nej", SettingIMAPMarkSeen, v)
		}
	}
	if bad != nil {
		return a, bad
	}
	return a, nil
}

// SaveIMAPAccount validates a and saves it in the settings: every field
// but the password, which is never saved there.
func SaveIMAPAccount(ctx context.Context, s SettingsStore, a IMAPAccount) error {
	if err := a.Validate(); err != nil {
		return err
	}
	port := ""
	if a.Port != 0 {
		port = strconv.Itoa(a.Port)
	}
	for _, kv := range [][2]string{
		{SettingIMAPHost, strings.TrimSpace(a.Host)}, {SettingIMAPPort, port}, {SettingIMAPSecurity, a.Security},
		{SettingIMAPUser, strings.TrimSpace(a.Username)}, {SettingIMAPMailbox, a.Mailbox},
		{SettingIMAPMarkSeen, strconv.FormatBool(a.MarkSeen)}, {SettingIMAPMoveTo, a.MoveTo},
		{SettingIMAPAssignee, a.Assignee},
	} {
		if err := s.SetSetting(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
