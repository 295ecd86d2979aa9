package intake_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/data"
)

const (
	memUser = "notiser@bup.example"
	memPass = "hemligt lösenord"
	// assignee is the HSA-ID of the mailbox owner in these tests.
	assignee = "SE2321000131-P000000000042"
)

type memServer struct {
	user *imapmemserver.User
	srv  *imapserver.Server
	// acc is a plain connection on 127.0.0.1; tlsAcc and startTLSAcc are
	// set when the server was started with a certificate.
	acc, tlsAcc, startTLSAcc app.IMAPAccount
	roots                    *x509.CertPool
}

type memOptions struct {
	tls          bool // also serve implicit TLS and STARTTLS
	zeroValidity bool // report UIDVALIDITY 0, as some servers do
}

// startMem starts go-imap's in-memory IMAP server on 127.0.0.1:0 with one
// user and an INBOX.
func startMem(t *testing.T, o memOptions) *memServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(memUser, memPass)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	if o.zeroValidity {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}}
	}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			s := mem.NewSession()
			if o.zeroValidity {
				s = zeroValiditySession{s}
			}
			return s, nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	}
	m := &memServer{user: user}
	var cert tls.Certificate
	if o.tls {
		cert, m.roots = selfSigned(t)
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	m.srv = imapserver.New(opts)
	ln := listen(t)
	go m.srv.Serve(ln)
	t.Cleanup(func() { m.srv.Close() })
	m.acc = app.IMAPAccount{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: app.IMAPSecurityPlain,
		Username: memUser, Password: memPass}
	if o.tls {
		tln := tls.NewListener(listen(t), &tls.Config{Certificates: []tls.Certificate{cert}})
		go m.srv.Serve(tln)
		m.tlsAcc = m.acc
		m.tlsAcc.Security, m.tlsAcc.Port = app.IMAPSecurityTLS, tln.Addr().(*net.TCPAddr).Port
		m.tlsAcc.TLSConfig = &tls.Config{RootCAs: m.roots}
		m.startTLSAcc = m.acc
		m.startTLSAcc.Security = app.IMAPSecurityStartTLS
		m.startTLSAcc.TLSConfig = &tls.Config{RootCAs: m.roots}
	}
	return m
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// zeroValiditySession reports UIDVALIDITY 0.
type zeroValiditySession struct{ imapserver.Session }

func (s zeroValiditySession) Select(mailbox string, options *imap.SelectOptions) (*imap.SelectData, error) {
	d, err := s.Session.Select(mailbox, options)
	if d != nil {
		d.UIDValidity = 0
	}
	return d, err
}

// selfSigned returns a certificate for 127.0.0.1 and localhost and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestSyncOnceCorpus takes in the shared sample notices: 12 messages, 10
// cases (11 repeats 01, 12 is a colleague's mail), then syncs again.
func TestSyncOnceCorpus(t *testing.T) {
	m := startMem(t, memOptions{})
	msgs, exp := corpus(t)
	deliver(t, m.acc, "INBOX", msgs, 1)
	db := openDB(t)
	rec := newRecorder()
	acc := m.acc
	acc.Assignee = assignee
	in := intake.New(acc, rec.options(db))

	sum, err := in.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.IngestSummary{New: 10, Duplicates: 1, NotNotices: 1}); sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
	var refs []string
	byRef := map[string]expectedNotice{}
	for _, e := range exp {
		if e.Notice && e.DuplicateOf == nil {
			r := ""
			if e.Reference != nil {
				r = *e.Reference
			}
			refs = append(refs, r)
			byRef[r] = e
		}
	}
	exactlyOnce(t, db, refs)
	for _, c := range allCases(t, db) {
		e := byRef[c.Reference]
		if c.Type != e.Type {
			t.Errorf("case %q: type %q, want %q", c.Reference, c.Type, e.Type)
		}
		if c.MessageID != e.MessageID {
			t.Errorf("case %q: message id %q, want %q", c.Reference, c.MessageID, e.MessageID)
		}
		if e.Kind == app.NoticeTilldelat {
			if c.Status != app.StatusFordelad || c.Assignee != assignee {
				t.Errorf("assigned case %q: status %q, assignee %q", c.Reference, c.Status, c.Assignee)
			}
		} else if c.Status != app.StatusNy || c.Assignee != "" {
			t.Errorf("new case %q: status %q, assignee %q", c.Reference, c.Status, c.Assignee)
		}
	}
	if n := len(rec.cases); n != 10 {
		t.Errorf("OnCase called %d times, want 10", n)
	}
	if p := rec.progress; len(p) == 0 || p[0] != (intake.Progress{Done: 0, Total: 12}) || p[len(p)-1] != (intake.Progress{Done: 12, Total: 12}) {
		t.Errorf("progress = %v", p)
	}
	if got, want := rec.statesSeen(), []app.IntakeState{app.IntakeConnecting, app.IntakeFetching, app.IntakeStopped}; !equalStates(got, want) {
		t.Errorf("states = %v, want %v", got, want)
	}
	st, err := db.SyncState(t.Context(), acc.Key())
	if err != nil || st.LastUID != 12 || st.UIDValidity == 0 {
		t.Errorf("sync state = %+v, %v", st, err)
	}

	t.Run("SecondSyncIsIdempotent", func(t *testing.T) {
		sum, err := in.SyncOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if sum != (app.IngestSummary{}) {
			t.Errorf("second sync: %+v, want nothing", sum)
		}
		exactlyOnce(t, db, refs)
	})
	t.Run("ReadOnlyByDefault", func(t *testing.T) {
		for uid, flags := range flagsOf(t, m.acc, "INBOX") {
			if hasFlag(flags, imap.FlagSeen) {
				t.Errorf("message %d is \\Seen after a read-only sync", uid)
			}
		}
	})
}

func equalStates(a, b []app.IntakeState) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMarkSeenAndMove checks the opt-in changes to the mailbox: only
// notices are marked or moved, never other mail.
func TestMarkSeenAndMove(t *testing.T) {
	msgs, exp := corpus(t)
	lunch := -1
	for i, e := range exp {
		if !e.Notice {
			lunch = i
		}
	}
	t.Run("MarkSeen", func(t *testing.T) {
		m := startMem(t, memOptions{})
		deliver(t, m.acc, "INBOX", msgs, 1)
		acc := m.acc
		acc.MarkSeen = true
		if _, err := intake.New(acc, intake.Options{Store: openDB(t), BatchSize: 5}).SyncOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		for uid, flags := range flagsOf(t, m.acc, "INBOX") {
			if want := int(uid) != lunch+1; hasFlag(flags, imap.FlagSeen) != want {
				t.Errorf("message %d (%s): \\Seen = %v, want %v", uid, exp[uid-1].File, !want, want)
			}
		}
	})
	t.Run("MoveTo", func(t *testing.T) {
		m := startMem(t, memOptions{})
		deliver(t, m.acc, "INBOX", msgs, 1)
		acc := m.acc
		acc.MoveTo = "Ärenden/1177"
		db := openDB(t)
		sum, err := intake.New(acc, intake.Options{Store: db, BatchSize: 5}).SyncOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if sum.New != 10 {
			t.Errorf("summary %+v", sum)
		}
		if left := flagsOf(t, m.acc, "INBOX"); len(left) != 1 {
			t.Errorf("INBOX keeps %d messages, want only the colleague's mail", len(left))
		}
		if moved := flagsOf(t, m.acc, "Ärenden/1177"); len(moved) != 11 {
			t.Errorf("%d messages moved, want 11 (10 notices and the repeat)", len(moved))
		}
		// Nothing new is left to take in, and nothing is taken in twice.
		sum, err = intake.New(acc, intake.Options{Store: db}).SyncOnce(t.Context())
		if err != nil || sum != (app.IngestSummary{}) {
			t.Errorf("second sync: %+v, %v", sum, err)
		}
		integrityOK(t, db)
	})
}

// TestWatchPush appends notices while Watch is in IDLE: each must become a
// case, reported through OnCase, within a second.
func TestWatchPush(t *testing.T) {
	m := startMem(t, memOptions{})
	db := openDB(t)
	rec := newRecorder()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	in := intake.New(m.acc, rec.options(db))
	done := make(chan error, 1)
	go func() { done <- in.Watch(ctx) }()
	rec.waitState(t, app.IntakeWatching, 5*time.Second)

	ns := genNotices(t, "PUSH", 5)
	for i, n := range ns {
		if i > 0 {
			rec.waitState(t, app.IntakeWatching, 5*time.Second)
		}
		// Let IDLE reach the server: imapserver's IDLE does not send
		// updates queued before it began (a go-imap beta.8 bug), so mail
		// that lands between a catch-up and IDLE waits for the next NOOP.
		time.Sleep(50 * time.Millisecond)
		start := time.Now()
		deliver(t, m.acc, "INBOX", [][]byte{n.Raw}, 1)
		rec.waitCases(t, 1, 5*time.Second)
		if d := time.Since(start); d > time.Second {
			t.Errorf("push latency %v, want ≤ 1 s", d)
		} else {
			t.Logf("push latency %v", d)
		}
	}
	refs := make([]string, len(ns))
	for i, n := range ns {
		refs[i] = n.Reference
	}
	exactlyOnce(t, db, refs)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch = %v, want nil on cancel", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Watch did not stop on cancel")
	}
	if s := rec.statesSeen(); s[len(s)-1] != app.IntakeStopped {
		t.Errorf("last state %q, want stoppad", s[len(s)-1])
	}
}

// TestPlainOnlyToLoopback: plain IMAP to another machine is refused
// before any connection is made.
func TestPlainOnlyToLoopback(t *testing.T) {
	acc := app.IMAPAccount{Host: "192.0.2.10", Security: "plain", Username: "u", Password: "p"}
	start := time.Now()
	_, err := intake.New(acc, intake.Options{Store: openDB(t)}).SyncOnce(t.Context())
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Field != "security" {
		t.Fatalf("SyncOnce = %v, want a security field error", err)
	}
	if err := intake.TestConnection(t.Context(), acc); !errors.As(err, &ae) || ae.Field != "security" {
		t.Fatalf("TestConnection = %v, want a security field error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v: it must not try to connect", d)
	}
}

// TestWatchStopsOnCancel: cancelling stops Watch in every state: in IDLE
// (see TestWatchPush), while connecting and while waiting to reconnect.
func TestWatchStopsOnCancel(t *testing.T) {
	ln := listen(t) // accepts but never greets
	defer ln.Close()
	closed := listen(t)
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	for _, tt := range []struct {
		name string
		port int
	}{
		{"WhileConnecting", ln.Addr().(*net.TCPAddr).Port},
		{"DuringBackoff", closedPort},
	} {
		t.Run(tt.name, func(t *testing.T) {
			acc := app.IMAPAccount{Host: "127.0.0.1", Port: tt.port, Security: "plain", Username: "u", Password: "p"}
			ctx, cancel := context.WithCancel(t.Context())
			in := intake.New(acc, intake.Options{Store: openDB(t), MinBackoff: time.Minute})
			done := make(chan error, 1)
			go func() { done <- in.Watch(ctx) }()
			time.Sleep(200 * time.Millisecond)
			start := time.Now()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Watch = %v", err)
				}
				t.Logf("stopped in %v", time.Since(start))
			case <-time.After(3 * time.Second):
				t.Fatal("Watch did not stop")
			}
		})
	}
}

// TestFailuresReportedOncePerStreak: a wrong password fails every retry;
// OnState hears of it once, in Swedish.
func TestFailuresReportedOncePerStreak(t *testing.T) {
	m := startMem(t, memOptions{})
	acc := m.acc
	acc.Password = "fel"
	rec := newRecorder()
	opt := rec.options(openDB(t))
	opt.MinBackoff, opt.MaxBackoff = 5*time.Millisecond, 20*time.Millisecond
	ctx, cancel := context.WithTimeout(t.Context(), 600*time.Millisecond)
	defer cancel()
	if err := intake.New(acc, opt).Watch(ctx); err != nil {
		t.Fatal(err)
	}
	errs := rec.errors()
	if len(errs) != 1 {
		t.Fatalf("%d failures reported, want 1: %v", len(errs), errs)
	}
	if msg := app.ErrorMessage(errs[0]); !strings.Contains(msg, "Inloggningen misslyckades") {
		t.Errorf("message %q", msg)
	}
	if s := rec.statesSeen(); s[0] != app.IntakeConnecting || s[len(s)-1] != app.IntakeStopped || len(s) != 3 {
		t.Errorf("states %v, want ansluter, fel, stoppad", s)
	}
}

// TestConnectionErrors checks the Swedish messages of TestConnection.
func TestConnectionErrors(t *testing.T) {
	m := startMem(t, memOptions{tls: true})
	closed := listen(t)
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	noRoots := m.tlsAcc
	noRoots.TLSConfig = nil
	wrongName := m.tlsAcc
	wrongName.TLSConfig = &tls.Config{RootCAs: m.roots, ServerName: "imap.region.example"}
	tlsToPlain := m.acc
	tlsToPlain.Security = app.IMAPSecurityTLS
	noMailbox := m.tlsAcc
	noMailbox.Mailbox = "Finns inte"
	badPass := m.startTLSAcc
	badPass.Password = "fel"
	down := m.acc
	down.Port = closedPort
	for _, tt := range []struct {
		name string
		acc  app.IMAPAccount
		want string // "" = success
	}{
		{"TLS", m.tlsAcc, ""},
		{"StartTLS", m.startTLSAcc, ""},
		{"Plain", m.acc, ""},
		{"UnknownCertificate", noRoots, "Certifikatet kunde inte verifieras"},
		{"WrongServerName", wrongName, "Certifikatet kunde inte verifieras"},
		{"TLSToPlainPort", tlsToPlain, "svarade inte med TLS"},
		{"WrongPassword", badPass, "Inloggningen misslyckades"},
		{"NoSuchMailbox", noMailbox, "Mappen \"Finns inte\" kunde inte öppnas"},
		{"ServerDown", down, "Servern svarar inte"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := intake.TestConnection(t.Context(), tt.acc)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q, want %q (error: %v)", msg, tt.want, err)
			}
		})
	}
}

// TestUIDValidityChange recreates the mailbox and delivers the same mail
// again: the ledger makes every message a duplicate, without fetching the
// bodies, and only the one new notice becomes a case.
func TestUIDValidityChange(t *testing.T) {
	m := startMem(t, memOptions{})
	msgs, _ := corpus(t)
	deliver(t, m.acc, "INBOX", msgs, 1)
	db := openDB(t)
	in := intake.New(m.acc, intake.Options{Store: db, BatchSize: 4})
	if _, err := in.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	before, _ := db.SyncState(t.Context(), m.acc.Key())

	if err := m.user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := m.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	extra := genNotices(t, "UIDV", 1)[0]
	deliver(t, m.acc, "INBOX", append(msgs, extra.Raw), 1)
	sum, err := in.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.IngestSummary{New: 1, Duplicates: 12}); sum != want {
		t.Errorf("after UIDVALIDITY change: %+v, want %+v", sum, want)
	}
	after, _ := db.SyncState(t.Context(), m.acc.Key())
	if after.UIDValidity == before.UIDValidity || after.LastUID != 13 {
		t.Errorf("sync state %+v → %+v", before, after)
	}
	if n := len(allCases(t, db)); n != 11 {
		t.Errorf("%d cases, want 11", n)
	}
	integrityOK(t, db)
}

// TestUIDValidityZero: a server that reports UIDVALIDITY 0 is read from
// the start on every connection; the ledger keeps it exactly once.
func TestUIDValidityZero(t *testing.T) {
	m := startMem(t, memOptions{zeroValidity: true})
	msgs, _ := corpus(t)
	deliver(t, m.acc, "INBOX", msgs, 1)
	db := openDB(t)
	in := intake.New(m.acc, intake.Options{Store: db, BatchSize: 5})
	for i, want := range []app.IngestSummary{
		{New: 10, Duplicates: 1, NotNotices: 1},
		{Duplicates: 12},
	} {
		sum, err := in.SyncOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if sum != want {
			t.Errorf("sync %d: %+v, want %+v", i+1, sum, want)
		}
	}
	deliver(t, m.acc, "INBOX", [][]byte{genNotices(t, "ZERO", 1)[0].Raw}, 1)
	sum, err := in.SyncOnce(t.Context())
	if err != nil || sum.New != 1 {
		t.Errorf("after one more notice: %+v, %v", sum, err)
	}
	if n := len(allCases(t, db)); n != 11 {
		t.Errorf("%d cases, want 11", n)
	}
	integrityOK(t, db)
}

// TestWatchdog freezes the network under an idle connection, as a NAT that
// forgets it would: the watchdog must notice within 1.5 intervals, and the
// intake must come back and take in what arrived meanwhile.
func TestWatchdog(t *testing.T) {
	m := startMem(t, memOptions{})
	p := newProxy(t, addrOf(m.acc))
	acc := m.acc
	acc.Port = p.port()
	db := openDB(t)
	rec := newRecorder()
	opt := rec.options(db)
	const interval = 400 * time.Millisecond
	opt.WatchdogInterval = interval
	opt.MinBackoff, opt.MaxBackoff = 20*time.Millisecond, 100*time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- intake.New(acc, opt).Watch(ctx) }()
	rec.waitState(t, app.IntakeWatching, 5*time.Second)

	p.freeze()
	start := time.Now()
	rec.waitState(t, app.IntakeError, 5*time.Second)
	if d := time.Since(start); d > interval*3/2+400*time.Millisecond {
		t.Errorf("dead connection noticed after %v, want ≤ %v", d, interval*3/2)
	} else {
		t.Logf("dead connection noticed after %v", d)
	}
	if errs := rec.errors(); !strings.Contains(app.ErrorMessage(errs[0]), "Servern svarar inte") {
		t.Errorf("error %v", errs[0])
	}
	n := genNotices(t, "WDOG", 1)[0]
	deliver(t, m.acc, "INBOX", [][]byte{n.Raw}, 1)
	time.Sleep(3 * interval) // retries against the frozen network fail quietly
	if errs := rec.errors(); len(errs) != 1 {
		t.Errorf("%d failures reported, want 1 for the streak", len(errs))
	}
	p.thaw()
	rec.waitCases(t, 1, 5*time.Second)
	exactlyOnce(t, db, []string{n.Reference})
	cancel()
	<-done
}

// TestSyncNowWakesBackoff: after a failure Watch waits; SyncNow makes it
// try again at once.
func TestSyncNowWakesBackoff(t *testing.T) {
	m := startMem(t, memOptions{})
	p := newProxy(t, addrOf(m.acc))
	acc := m.acc
	acc.Port = p.port()
	rec := newRecorder()
	opt := rec.options(openDB(t))
	opt.MinBackoff = time.Minute
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	in := intake.New(acc, opt)
	in.SyncNow() // never blocks, even with nobody watching
	in.SyncNow()
	done := make(chan error, 1)
	go func() { done <- in.Watch(ctx) }()
	rec.waitState(t, app.IntakeWatching, 5*time.Second)
	p.cut()
	rec.waitState(t, app.IntakeError, 5*time.Second)
	start := time.Now()
	in.SyncNow()
	rec.waitState(t, app.IntakeWatching, 5*time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("reconnected after %v", d)
	}
	cancel()
	<-done
}

func addrOf(acc app.IMAPAccount) string {
	return net.JoinHostPort(acc.Host, fmt.Sprint(acc.Port))
}

// refusingStore is the real store, except that it refuses the notice with
// one reference as invalid, as data does for a case that fails validation.
type refusingStore struct {
	*data.DB
	ref string
}

func (s refusingStore) IngestBatch(ctx context.Context, items []app.Inbound, st *app.SyncState) ([]app.IngestResult, error) {
	for _, it := range items {
		if it.Notice != nil && it.Notice.Reference == s.ref {
			return nil, app.ValidationErrors{app.FieldErrorf("reference", "ärendenumret är ogiltigt")}.Err()
		}
	}
	return s.DB.IngestBatch(ctx, items, st)
}

// TestInvalidNoticeQuarantined: a notice the store refuses must not stop
// intake by failing its batch on every retry; it is quarantined and the
// rest of the batch is stored.
func TestInvalidNoticeQuarantined(t *testing.T) {
	m := startMem(t, memOptions{})
	msgs, _ := corpus(t)
	deliver(t, m.acc, "INBOX", msgs, 1)
	db := openDB(t)
	in := intake.New(m.acc, intake.Options{Store: refusingStore{db, "2026-1100004"}})
	sum, err := in.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.IngestSummary{New: 9, Quarantined: 1, Duplicates: 1, NotNotices: 1}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	q, err := db.Quarantine(t.Context())
	if err != nil || len(q) != 1 || len(q[0].Raw) == 0 || !strings.Contains(q[0].Reason, "ärendenumret är ogiltigt") {
		t.Fatalf("quarantine %+v, %v", q, err)
	}
	if sum, err := in.SyncOnce(t.Context()); err != nil || sum != (app.IngestSummary{}) {
		t.Errorf("second sync %+v, %v", sum, err)
	}
	integrityOK(t, db)
}
