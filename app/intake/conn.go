package intake

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"arendestod/app"
)

// conn is one logged-in IMAP connection with the mailbox selected.
//
// go-imap sets no read deadline between responses, so a connection that
// dies silently (no FIN, no RST: a NAT or a VPN that drops it) would leave
// a command or IDLE waiting forever. The watchdog closes the connection when
// a command has waited cmdTimeout without a single byte from the server.
type conn struct {
	acc app.IMAPAccount
	c   *imapclient.Client
	raw *activityConn
	sel *imap.SelectData

	// pushed is signalled when the server reports a new message count.
	pushed chan struct{}

	cmdTimeout time.Duration
	busy       atomic.Int32
	busySince  atomic.Int64
	timedOut   atomic.Bool
	ready      atomic.Bool // logged in and selected
	done       chan struct{}
	closeOnce  sync.Once
}

// activityConn records when a byte last arrived, for the watchdog.
type activityConn struct {
	net.Conn
	lastRead atomic.Int64
}

func (a *activityConn) Read(p []byte) (int, error) {
	n, err := a.Conn.Read(p)
	if n > 0 {
		a.lastRead.Store(time.Now().UnixNano())
	}
	return n, err
}

// dial connects, logs in and selects the account's mailbox. The mailbox is
// opened read-only unless MarkSeen or MoveTo ask for changes.
func dial(ctx context.Context, acc app.IMAPAccount, cmdTimeout time.Duration) (*conn, error) {
	d := net.Dialer{Timeout: cmdTimeout, KeepAlive: 15 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", acc.Addr())
	if err != nil {
		return nil, classify(ctx, acc, "dial", err)
	}
	k := &conn{
		acc:        acc,
		raw:        &activityConn{Conn: nc},
		pushed:     make(chan struct{}, 1),
		cmdTimeout: cmdTimeout,
		done:       make(chan struct{}),
	}
	k.raw.lastRead.Store(time.Now().UnixNano())
	go k.watchdog(ctx)

	opts := &imapclient.Options{
		// Never DebugWriter: it would log the password and patient data.
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					k.signalPush()
				}
			},
		},
	}
	tlsConfig := func() *tls.Config {
		cfg := &tls.Config{}
		if acc.TLSConfig != nil {
			cfg = acc.TLSConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = acc.Server()
		}
		return cfg
	}
	err = k.do(func() error {
		switch acc.SecurityMode() {
		case app.IMAPSecurityTLS:
			tc := tls.Client(k.raw, tlsConfig())
			if err := tc.HandshakeContext(ctx); err != nil {
				return err
			}
			k.c = imapclient.New(tc, opts)
		case app.IMAPSecurityStartTLS:
			opts.TLSConfig = tlsConfig()
			c, err := imapclient.NewStartTLS(k.raw, opts)
			if err != nil {
				return err
			}
			k.c = c
		default:
			k.c = imapclient.New(k.raw, opts)
		}
		return k.c.WaitGreeting()
	})
	if err != nil {
		k.close()
		return nil, classify(ctx, acc, "connect", err)
	}
	if err := k.do(func() error { return k.c.Login(acc.Username, acc.Password).Wait() }); err != nil {
		k.close()
		return nil, classify(ctx, acc, "login", err)
	}
	err = k.do(func() error {
		var err error
		k.sel, err = k.c.Select(acc.MailboxName(), &imap.SelectOptions{ReadOnly: acc.ReadOnly()}).Wait()
		return err
	})
	if err != nil {
		k.close()
		return nil, classify(ctx, acc, "select", err)
	}
	k.ready.Store(true)
	return k, nil
}

func (k *conn) signalPush() {
	select {
	case k.pushed <- struct{}{}:
	default:
	}
}

func (k *conn) drainPush() {
	select {
	case <-k.pushed:
	default:
	}
}

// do runs fn, a wait for the server, under the watchdog.
func (k *conn) do(fn func() error) error {
	k.busySince.Store(time.Now().UnixNano())
	k.busy.Add(1)
	defer k.busy.Add(-1)
	err := fn()
	if err != nil && k.timedOut.Load() {
		return errTimeout{err: err, after: k.cmdTimeout}
	}
	return err
}

// watchdog closes the connection when a command gets no byte for
// cmdTimeout, and when ctx is cancelled: at once while connecting, after a
// second's grace once connected, so that a stopping session can say LOGOUT.
func (k *conn) watchdog(ctx context.Context) {
	t := time.NewTicker(max(k.cmdTimeout/8, 5*time.Millisecond))
	defer t.Stop()
	cancelled := ctx.Done()
	var grace <-chan time.Time
	for {
		select {
		case <-k.done:
			return
		case <-cancelled:
			if !k.ready.Load() {
				k.raw.Close()
				return
			}
			cancelled, grace = nil, time.After(time.Second)
			continue
		case <-grace:
			k.raw.Close()
			return
		case <-t.C:
		}
		if k.busy.Load() == 0 {
			continue
		}
		last := max(k.raw.lastRead.Load(), k.busySince.Load())
		if time.Since(time.Unix(0, last)) > k.cmdTimeout {
			k.timedOut.Store(true)
			k.raw.Close()
			return
		}
	}
}

// logout says goodbye politely, without waiting long for a reply.
func (k *conn) logout() {
	if k.c != nil {
		cmd := k.c.Logout()
		wait := make(chan struct{})
		go func() { cmd.Wait(); close(wait) }()
		select {
		case <-wait:
		case <-time.After(min(k.cmdTimeout, 2*time.Second)):
		}
	}
	k.close()
}

func (k *conn) close() {
	k.closeOnce.Do(func() {
		close(k.done)
		if k.c != nil {
			k.c.Close()
		} else {
			k.raw.Close()
		}
	})
}

// searchFrom returns the UIDs from uid on, ascending.
func (k *conn) searchFrom(from uint32) ([]imap.UID, error) {
	var data *imap.SearchData
	err := k.do(func() error {
		var err error
		crit := &imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(from), Stop: 0}}}}
		data, err = k.c.UIDSearch(crit, nil).Wait()
		return err
	})
	if err != nil {
		return nil, err
	}
	set, ok := data.All.(imap.UIDSet)
	if !ok {
		return nil, nil
	}
	uids, ok := set.Nums()
	if !ok {
		return nil, errors.New("intake: server returned a dynamic UID set to SEARCH")
	}
	// "n:*" matches the last message even when its UID is below n.
	out := uids[:0]
	for _, u := range uids {
		if uint32(u) >= from {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// message is one fetched message.
type message struct {
	uid  imap.UID
	date time.Time // INTERNALDATE
	size int64     // RFC822.SIZE, when asked for
	body []byte    // the one body section asked for
	// large: body is only the header of a message larger than
	// app.MaxMessageBytes.
	large bool
}

// sizes returns the RFC822.SIZE of each of uids that still exists.
func (k *conn) sizes(uids []imap.UID) (map[imap.UID]int64, error) {
	out := make(map[imap.UID]int64, len(uids))
	const chunk = 5000
	for len(uids) > 0 {
		n := min(len(uids), chunk)
		msgs, err := k.fetch(uids[:n], &imap.FetchOptions{UID: true, RFC822Size: true})
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			out[m.uid] = m.size
		}
		uids = uids[n:]
	}
	return out, nil
}

// fetch returns the messages of uids that still exist, in UID order. opts
// must ask for at most one body section.
//
// It reads the reply itself rather than with Collect: in go-imap beta.8,
// when a literal cannot be read to its end (the connection was cut in the
// middle of a message), the client's reader goroutine goes on reading
// while Collect discards the rest of the same literal from the same
// buffer: a data race that can corrupt or panic. Here a short literal
// drops the connection and the command is not touched again.
func (k *conn) fetch(uids []imap.UID, opts *imap.FetchOptions) ([]message, error) {
	var msgs []message
	err := k.do(func() error {
		cmd := k.c.Fetch(imap.UIDSetNum(uids...), opts)
		for {
			fm := cmd.Next()
			if fm == nil {
				break
			}
			var m message
			for {
				item := fm.Next()
				if item == nil {
					break
				}
				switch it := item.(type) {
				case imapclient.FetchItemDataUID:
					m.uid = it.UID
				case imapclient.FetchItemDataInternalDate:
					m.date = it.Time
				case imapclient.FetchItemDataRFC822Size:
					m.size = it.Size
				case imapclient.FetchItemDataBodySection:
					if it.Literal == nil {
						continue
					}
					b, err := io.ReadAll(it.Literal)
					if err == nil && int64(len(b)) != it.Literal.Size() {
						err = io.ErrUnexpectedEOF
					}
					if err != nil {
						k.raw.Close()
						return err
					}
					m.body = b
				}
			}
			msgs = append(msgs, m)
		}
		return cmd.Close()
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].uid < msgs[j].uid })
	return msgs, nil
}

// markSeen sets \Seen on uids.
func (k *conn) markSeen(uids []imap.UID) error {
	return k.do(func() error {
		return k.c.Store(imap.UIDSetNum(uids...), &imap.StoreFlags{
			Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen},
		}, nil).Close()
	})
}

// move moves uids to folder, creating it when the server asks for that.
func (k *conn) move(uids []imap.UID, folder string) error {
	caps := k.c.Caps()
	if !caps.Has(imap.CapMove) && !caps.Has(imap.CapIMAP4rev2) && !caps.Has(imap.CapUIDPlus) {
		// Without MOVE the fallback is COPY + \Deleted + EXPUNGE, and
		// without UIDPLUS that EXPUNGE would remove every message the
		// user has marked deleted, not just ours.
		return app.Errorf(app.EINVALID, "Servern kan inte flytta meddelanden säkert (saknar MOVE och UIDPLUS). Stäng av flytt efter hämtning.")
	}
	set := imap.UIDSetNum(uids...)
	err := k.do(func() error { _, err := k.c.Move(set, folder).Wait(); return err })
	var ie *imap.Error
	if errors.As(err, &ie) && (ie.Code == imap.ResponseCodeTryCreate || ie.Code == imap.ResponseCodeNonExistent) {
		if err = k.do(func() error { return k.c.Create(folder, nil).Wait() }); err == nil {
			err = k.do(func() error { _, err := k.c.Move(set, folder).Wait(); return err })
		}
	}
	return err
}

// idle waits in IDLE until the server reports new mail, wake is signalled
// or ctx is cancelled; every interval it leaves IDLE for a NOOP to prove
// the connection alive. It returns ctx.Err() when cancelled.
func (k *conn) idle(ctx context.Context, wake <-chan struct{}, interval time.Duration) error {
	for {
		var cmd *imapclient.IdleCommand
		err := k.do(func() error {
			var err error
			cmd, err = k.c.Idle()
			return err
		})
		if err != nil {
			return err
		}
		timer := time.NewTimer(interval)
		woke, alive := false, false
		select {
		case <-k.pushed:
			woke = true
		case <-wake:
			woke = true
		case <-ctx.Done():
		case <-timer.C:
			alive = true
		case <-k.c.Closed():
		}
		timer.Stop()
		err = k.do(func() error {
			if err := cmd.Close(); err != nil {
				return err
			}
			return cmd.Wait()
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return err
		}
		if woke {
			return nil
		}
		if alive {
			if err := k.do(func() error { return k.c.Noop().Wait() }); err != nil {
				return err
			}
			select {
			case <-k.pushed:
				return nil
			default:
			}
			continue
		}
		return errors.New("intake: connection closed during IDLE")
	}
}

// errTimeout marks a command the watchdog gave up on.
type errTimeout struct {
	err   error
	after time.Duration
}

func (e errTimeout) Error() string { return "no response from server: " + e.err.Error() }
func (e errTimeout) Unwrap() error { return e.err }

// TestConnection logs in and opens the mailbox read-only, for the settings
// screen's "Testa anslutningen". Its error has a Swedish message.
func TestConnection(ctx context.Context, acc app.IMAPAccount) error {
	if err := acc.Validate(); err != nil {
		return err
	}
	acc.MarkSeen, acc.MoveTo = false, ""
	k, err := dial(ctx, acc, defaultWatchdog/2)
	if err != nil {
		return err
	}
	k.logout()
	return nil
}
