// Package demo is the demo of Ärendestöd: an in-process IMAP server on the
// loopback interface with a mailbox of made-up 1177 notices, and made-up
// staff with this week's 1177-ansvarig schedule. A newcomer runs it with
// `arendestod demo` and sees cases arrive. Nothing in it is real: no notice
// carries patient data, the names are invented, and the server listens only
// on 127.0.0.1.
package demo

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"arendestod/app"
)

// User is the demo mailbox's user name.
const User = "demo"

// Mailbox is the folder the notices are in.
const Mailbox = "INBOX"

// SenderDomain is the domain the demo's notices come from. It is no real
// 1177 domain, so the demo's database allows it (AllowSender).
const SenderDomain = "notis.1177.example"

// AllowSender lets the demo's notices in: it adds SenderDomain to the
// allowed sender domains of the demo's database.
func AllowSender(ctx context.Context, s app.SettingsStore) error {
	_, _, err := app.AllowSenderDomain(ctx, s, SenderDomain)
	return err
}

// Options configure the demo server.
type Options struct {
	// Now is the clock the seeded notices are dated by; time.Now when nil.
	Now func() time.Time
	// Count is how many notices to seed; 30 when 0, none when negative.
	Count int
	// Seed makes the notices repeatable; 0 draws a random one.
	Seed uint64
	// Assignee is the HSA-ID that owns the mailbox, for tilldelat notices;
	// Owner (a seeded staff member) when empty.
	Assignee string
}

// Server is a running demo IMAP server.
type Server struct {
	ln       net.Listener
	srv      *imapserver.Server
	user     *imapmemserver.User
	password string
	assignee string
	now      func() time.Time
	gen      *generator

	mu      sync.Mutex
	notices []Notice

	closeOnce sync.Once
	closeErr  error
	done      chan struct{}
}

// Start starts the server on 127.0.0.1 with a random free port, seeded with
// notices from the two weeks up to opts.Now. The server stops when ctx is
// done or Close is called.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Count == 0 {
		opts.Count = 30
	}
	if opts.Assignee == "" {
		opts.Assignee = Owner
	}
	// A fresh password each start. It guards nothing secret (the mailbox is
	// made up and only this computer can reach it), but no other program
	// on the computer should find a well-known one.
	pw := make([]byte, 9)
	if _, err := crand.Read(pw); err != nil {
		return nil, err
	}
	s := &Server{
		password: hex.EncodeToString(pw),
		assignee: opts.Assignee,
		now:      opts.Now,
		gen:      newGenerator(opts.Seed),
		done:     make(chan struct{}),
	}
	mem := imapmemserver.New()
	s.user = imapmemserver.NewUser(User, s.password)
	if err := s.user.Create(Mailbox, nil); err != nil {
		return nil, err
	}
	mem.AddUser(s.user)
	if opts.Count > 0 {
		for _, n := range s.gen.seed(opts.Now(), opts.Count) {
			if err := s.append(n); err != nil {
				return nil, err
			}
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, app.Errorf(app.EINTERNAL, "Demoservern kunde inte starta: %v", err)
	}
	s.ln = ln
	s.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps: imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		// Plain text login is acceptable only because the listener is on
		// the loopback interface. Never a DebugWriter: it logs passwords.
		InsecureAuth: true,
		// Dropped client connections are normal here (intake reconnects,
		// tests end): keep them off the demo's terminal.
		Logger: log.New(io.Discard, "", 0),
	})
	go func() {
		s.srv.Serve(ln)
	}()
	stop := context.AfterFunc(ctx, func() { s.Close() })
	go func() {
		<-s.done
		stop()
	}()
	return s, nil
}

// Addr returns the server's address, "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Password returns this run's password of the demo user.
func (s *Server) Password() string { return s.password }

// Account returns the intake account for the demo mailbox: plain IMAP to
// 127.0.0.1, read-only, owned by the demo's ärendehanterare.
func (s *Server) Account() app.IMAPAccount {
	addr := s.ln.Addr().(*net.TCPAddr)
	return app.IMAPAccount{
		Host:     "127.0.0.1",
		Port:     addr.Port,
		Security: app.IMAPSecurityPlain,
		Username: User,
		Password: s.password,
		Mailbox:  Mailbox,
		Assignee: s.assignee,
	}
}

// Notices returns the notices in the mailbox so far, in the order they
// were appended.
func (s *Server) Notices() []Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notice(nil), s.notices...)
}

// Messages returns how many messages the mailbox holds, as the server
// reports it.
func (s *Server) Messages() (int, error) {
	st, err := s.user.Status(Mailbox, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		return 0, err
	}
	if st.NumMessages == nil {
		return 0, errors.New("demo: the server reported no message count")
	}
	return int(*st.NumMessages), nil
}

// Append adds one notice that arrives now and returns it.
func (s *Server) Append() (Notice, error) {
	select {
	case <-s.done:
		return Notice{}, app.Errorf(app.ECONFLICT, "Demoservern är stoppad.")
	default:
	}
	n := s.gen.live(s.now())
	return n, s.append(n)
}

func (s *Server) append(n Notice) error {
	// The library takes the message with an APPEND's own options: the
	// INTERNALDATE is when the notice was sent, as on a real server.
	_, err := s.user.Append(Mailbox, bytes.NewReader(n.Raw), &imap.AppendOptions{Time: n.Sent})
	if err != nil {
		return fmt.Errorf("demo: append: %w", err)
	}
	s.mu.Lock()
	s.notices = append(s.notices, n)
	s.mu.Unlock()
	return nil
}

// AppendEvery appends a new notice after a random wait between min and max,
// again and again, until ctx is done or the server is closed. It blocks:
// run it in a goroutine. after runs after each append: the demo wakes the
// intake with it, since the in-memory server's IDLE can miss a message
// appended between two commands.
func (s *Server) AppendEvery(ctx context.Context, min, max time.Duration, after ...func()) error {
	if max < min {
		min, max = max, min
	}
	for {
		wait := min
		if max > min {
			wait += time.Duration(rand.Int64N(int64(max-min) + 1))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.done:
			t.Stop()
			return nil
		case <-t.C:
		}
		if _, err := s.Append(); err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			return err
		}
		for _, fn := range after {
			fn()
		}
	}
}

// Close stops the server and drops its connections.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		if s.srv != nil {
			s.closeErr = s.srv.Close()
		}
		// Serve may not have taken the listener yet.
		s.ln.Close()
	})
	return s.closeErr
}
