package data

// The intake lease: which desk fetches a shared mailbox. On a server it is
// a session advisory lock, held on a connection of its own that nothing
// else uses, so that the lock lives exactly as long as the desk: when the
// window closes, the process is killed or the computer dies, the server
// ends the session and releases the lock, and another desk takes it.

import (
	"context"
	"hash/fnv"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"arendestod/app"
)

// How the lease's connection is watched. The client pings it every
// leasePing and gives up after leasePingTimeout without an answer; the
// server probes the client with TCP keepalives (idle 5 s, then every 2 s,
// 3 misses) and drops a connection whose sent data is unacknowledged for
// 10 s, so a dead computer's lock is released within about 11 s.
// (Variables for the tests, which shorten them.)
var (
	leasePing        = 3 * time.Second
	leasePingTimeout = 5 * time.Second
)

// leaseAppName is the lease connection's application_name.
const leaseAppName = "arendestod-intake"

// AcquireIntakeLease asks for the right to fetch the mailbox of account
// (app.IMAPAccount.Key). It returns nil and no error when another desk
// holds it. On SQLite, a database of one desk, it is always granted and
// never lost. On PostgreSQL it is the advisory lock pgIntakeLockKey for
// the account, held on a dedicated connection with TCP keepalives on both
// ends and pinged every few seconds: Lost is closed when that connection
// fails, and the server releases the lock when the desk is gone.
func (db *DB) AcquireIntakeLease(ctx context.Context, account string) (app.IntakeLease, error) {
	if !db.d.server() {
		return grantedLease{}, nil
	}
	cfg, err := db.leaseConfig()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, pgOpenError(db.path, err)
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, intakeLockKey(account)).Scan(&got); err != nil {
		closeConn(conn)
		return nil, pgOpenError(db.path, err)
	}
	if !got {
		closeConn(conn)
		return nil, nil
	}
	l := &pgLease{conn: conn, lost: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go l.watch()
	return l, nil
}

// leaseConfig is the lease connection's configuration: the store's
// connection URL and settings, its own application name (the server's
// activity view shows which desk fetches), server-side keepalives and a
// client dialer with keepalives of its own.
func (db *DB) leaseConfig() (*pgx.ConnConfig, error) {
	s, err := pgDSN(db.dsn, false)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "Adressen till databasservern går inte att läsa (%s).", db.path)
	}
	cfg, err := pgx.ParseConfig(s)
	if err != nil {
		return nil, pgOpenError(db.path, err)
	}
	for k, v := range map[string]string{
		"application_name":        leaseAppName,
		"tcp_keepalives_idle":     "5",
		"tcp_keepalives_interval": "2",
		"tcp_keepalives_count":    "3",
		"tcp_user_timeout":        "10000",
	} {
		cfg.RuntimeParams[k] = v
	}
	d := &net.Dialer{KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 5 * time.Second, Interval: 2 * time.Second, Count: 3}}
	cfg.DialFunc = d.DialContext
	return cfg, nil
}

// intakeLockKey is the advisory lock key of account's lease.
func intakeLockKey(account string) int64 {
	h := fnv.New32a()
	h.Write([]byte(account))
	return pgIntakeLockKey | int64(h.Sum32())
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn.Close(ctx)
}

// grantedLease is SQLite's lease: one desk, always granted.
type grantedLease struct{}

func (grantedLease) Lost() <-chan struct{} { return nil }
func (grantedLease) Release()              {}

// pgLease is a held advisory lock and the connection that holds it; only
// its watch goroutine uses the connection.
type pgLease struct {
	conn     *pgx.Conn
	lost     chan struct{} // closed when a ping fails
	stop     chan struct{} // closed by Release
	done     chan struct{} // closed when watch has closed the connection
	stopOnce sync.Once
}

func (l *pgLease) Lost() <-chan struct{} { return l.lost }

// Release unlocks and ends the session, and waits until the connection is
// closed: when it returns, the lease is free.
func (l *pgLease) Release() {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
}

// watch pings the connection until Release or until a ping fails.
func (l *pgLease) watch() {
	defer close(l.done)
	defer closeConn(l.conn)
	t := time.NewTicker(leasePing)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			// Unlock before the connection closes: the server frees a
			// closed session's locks only once its backend has ended,
			// a moment after Release would otherwise return (another
			// desk asking at once was refused).
			ctx, cancel := context.WithTimeout(context.Background(), leasePingTimeout)
			l.conn.Exec(ctx, `SELECT pg_advisory_unlock_all()`)
			cancel()
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), leasePingTimeout)
		err := l.conn.Ping(ctx)
		cancel()
		if err != nil {
			close(l.lost)
			return
		}
	}
}
