package intake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"

	"arendestod/app"
)

// Why a connection failed, in words staff can act on.

// connError is a connection failure: a Swedish message for the user and
// the cause for the log.
type connError struct {
	msg   *app.Error
	cause error
}

func (e *connError) Error() string   { return e.msg.Message + " (" + e.cause.Error() + ")" }
func (e *connError) Unwrap() []error { return []error{e.msg, e.cause} }

// classify turns err from stage ("dial", "connect", "login", "select" or
// "session") into a connError with a message staff can act on.
func classify(ctx context.Context, acc app.IMAPAccount, stage string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ae *app.Error
	var ce *connError
	if errors.As(err, &ce) || (errors.As(err, &ae) && !errors.As(err, new(*imap.Error))) {
		return err
	}
	wrap := func(code, format string, args ...any) error {
		return &connError{msg: app.Errorf(code, format, args...), cause: err}
	}
	addr := acc.Addr()
	var (
		ie        *imap.Error
		dnsErr    *net.DNSError
		verifyErr *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		recErr    tls.RecordHeaderError
		timeout   errTimeout
	)
	switch {
	case errors.As(err, &timeout):
		return wrap(app.EINTERNAL, "Servern svarar inte (%s): inget svar på %s.", addr, swedishDuration(timeout.after))
	case errors.As(err, &dnsErr):
		return wrap(app.EINVALID, "Servern %s hittades inte. Kontrollera adressen.", acc.Server())
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid):
		return wrap(app.EINVALID, "Certifikatet kunde inte verifieras för %s. Anslutningen avbröts så att lösenordet inte skickades.", acc.Server())
	case errors.As(err, &recErr):
		return wrap(app.EINVALID, "Servern %s svarade inte med TLS. Kontrollera port och säkerhet.", addr)
	case stage == "login" && errors.As(err, &ie):
		return wrap(app.EINVALID, "Inloggningen misslyckades. Kontrollera användarnamn och lösenord.")
	case stage == "select" && errors.As(err, &ie):
		return wrap(app.ENOTFOUND, "Mappen %q kunde inte öppnas: %s", acc.MailboxName(), ie.Text)
	case stage == "connect" && errors.As(err, &ie):
		if acc.SecurityMode() == app.IMAPSecurityStartTLS {
			return wrap(app.EINVALID, "Servern %s stöder inte STARTTLS.", addr)
		}
		return wrap(app.EINTERNAL, "Servern %s vägrade anslutningen: %s", addr, ie.Text)
	case stage == "dial" || errors.Is(err, syscall.ECONNREFUSED) || isNetTimeout(err):
		return wrap(app.EINTERNAL, "Servern svarar inte (%s).", addr)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return wrap(app.EINTERNAL, "Anslutningen till servern bröts (%s).", addr)
	case errors.As(err, &ie):
		return wrap(app.EINTERNAL, "Servern %s svarade med ett fel: %s", addr, ie.Text)
	}
	return wrap(app.EINTERNAL, "Anslutningen till servern bröts (%s).", addr)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func swedishDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
}
