// Package intake turns 1177 notices in an IMAP mailbox into cases, each
// exactly once: it catches up by UID from where the store says it stands,
// commits each batch's cases, ledger rows and sync state together, and then
// waits for pushes with IDLE, reconnecting with backoff when the connection
// fails.
//
// It never logs and never sets imapclient's DebugWriter: the wire carries
// the password and the messages carry patient data.
package intake

import (
	"crypto/tls"
	"net"
	"strconv"
	"strings"
	"unicode"

	"arendestod/app"
)

// Security modes of an account.
const (
	SecurityTLS      = "tls"      // implicit TLS, port 993
	SecurityStartTLS = "starttls" // STARTTLS on port 143
	SecurityPlain    = "plain"    // no encryption: loopback only
)

// Account is an IMAP mailbox that receives 1177 notices.
type Account struct {
	Host string
	Port int // 0: 993 for tls, 143 otherwise
	// Security is "tls" (the default), "starttls" or "plain". Plain is
	// allowed only to a loopback address: the password and the notices
	// would otherwise cross the network in clear text.
	Security           string
	Username, Password string
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
	// TLSConfig is used for tls and starttls; nil means the system roots,
	// verified against Host.
	TLSConfig *tls.Config
}

func (a Account) security() string {
	if a.Security == "" {
		return SecurityTLS
	}
	return strings.ToLower(a.Security)
}

func (a Account) port() int {
	if a.Port != 0 {
		return a.Port
	}
	if a.security() == SecurityTLS {
		return 993
	}
	return 143
}

func (a Account) mailbox() string {
	if a.Mailbox == "" {
		return "INBOX"
	}
	return a.Mailbox
}

func (a Account) host() string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(a.Host), "["), "]")
}

func (a Account) addr() string {
	return net.JoinHostPort(a.host(), strconv.Itoa(a.port()))
}

// readOnly reports whether the mailbox can be opened with EXAMINE.
func (a Account) readOnly() bool { return !a.MarkSeen && a.MoveTo == "" }

// Key identifies the mailbox in the store's sync state:
// "user@host:port/mailbox".
func (a Account) Key() string {
	return a.Username + "@" + strings.ToLower(a.host()) + ":" + strconv.Itoa(a.port()) + "/" + a.mailbox()
}

// Validate checks the account before it is used or saved. It returns
// app.ValidationErrors of field errors with Swedish messages, for the fields
// "host", "port", "security", "user" and "mailbox".
func (a Account) Validate() error {
	var errs app.ValidationErrors
	host := a.host()
	switch {
	case host == "":
		errs = append(errs, app.FieldErrorf("host", "Ange serverns adress."))
	case strings.ContainsFunc(host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }):
		errs = append(errs, app.FieldErrorf("host", "Serverns adress får inte innehålla mellanslag eller snedstreck."))
	}
	if a.Port < 0 || a.Port > 65535 {
		errs = append(errs, app.FieldErrorf("port", "Porten måste vara ett tal mellan 1 och 65535."))
	}
	switch a.security() {
	case SecurityTLS, SecurityStartTLS:
	case SecurityPlain:
		if host != "" && !isLoopback(host) {
			errs = append(errs, app.FieldErrorf("security",
				"Okrypterad anslutning är bara tillåten till den egna datorn (127.0.0.1, ::1 eller localhost). Välj tls eller starttls."))
		}
	default:
		errs = append(errs, app.FieldErrorf("security", "Välj säkerhet: tls, starttls eller plain."))
	}
	if strings.TrimSpace(a.Username) == "" {
		errs = append(errs, app.FieldErrorf("user", "Ange användarnamn."))
	}
	if !validMailbox(a.mailbox()) {
		errs = append(errs, app.FieldErrorf("mailbox", "Mappnamnet är ogiltigt."))
	}
	if a.MoveTo != "" {
		if !validMailbox(a.MoveTo) {
			errs = append(errs, app.FieldErrorf("mailbox", "Mappen att flytta notiser till har ett ogiltigt namn."))
		} else if strings.EqualFold(a.MoveTo, a.mailbox()) {
			errs = append(errs, app.FieldErrorf("mailbox", "Notiserna kan inte flyttas till samma mapp som de hämtas från."))
		}
	}
	return errs.Err()
}

func validMailbox(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsFunc(s, unicode.IsControl)
}

// isLoopback reports whether host names this computer without asking DNS:
// "localhost", 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
