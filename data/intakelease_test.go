package data_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

func acquire(t *testing.T, db *data.DB, account string) app.IntakeLease {
	t.Helper()
	l, err := db.AcquireIntakeLease(context.Background(), account)
	if err != nil {
		t.Fatalf("AcquireIntakeLease: %v", err)
	}
	return l
}

// lostWithin reports whether l is lost within d.
func lostWithin(l app.IntakeLease, d time.Duration) bool {
	select {
	case <-l.Lost():
		return true
	case <-time.After(d):
		return false
	}
}

// One desk at a time fetches a mailbox: on a server the second desk is
// refused until the first releases the lease, or its connection ends
// (here the server terminates it, as it does when the desk's process or
// computer is gone). On SQLite, one desk's database, it is always granted.
func TestIntakeLease(t *testing.T) {
	db1 := MustOpenDB(t)
	if !onPG() {
		l1, l2 := acquire(t, db1, testAccount), acquire(t, db1, testAccount)
		if l1 == nil || l2 == nil {
			t.Fatal("SQLite refused the lease")
		}
		if lostWithin(l1, 10*time.Millisecond) {
			t.Error("SQLite lease lost")
		}
		l1.Release()
		l2.Release()
		return
	}
	restore := data.SetLeasePing(100*time.Millisecond, time.Second)
	defer restore()
	db2 := mustOpenAt(t, location(t, db1))
	l1 := acquire(t, db1, testAccount)
	if l1 == nil {
		t.Fatal("first desk refused the lease")
	}
	if l := acquire(t, db2, testAccount); l != nil {
		l.Release()
		t.Fatal("second desk got the lease the first holds")
	}
	other := acquire(t, db2, "annan@imap.test.invalid:993/INBOX")
	if other == nil {
		t.Fatal("another mailbox's lease refused")
	}
	other.Release()
	l1.Release()
	l2 := acquire(t, db2, testAccount)
	if l2 == nil {
		t.Fatal("lease not free after Release")
	}
	if l := acquire(t, db1, testAccount); l != nil {
		t.Fatal("first desk got the lease the second holds")
	}

	raw := rawStore(t, db1)
	var n int
	if err := raw.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'arendestod-intake' AND datname = current_database()`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminating the lease's session: %d sessions, %v", n, err)
	}
	start := time.Now()
	if !lostWithin(l2, 5*time.Second) {
		t.Fatal("lease not reported lost after its session ended")
	}
	t.Logf("lost after %v", time.Since(start).Round(time.Millisecond))
	l2.Release()
	l3 := acquire(t, db1, testAccount)
	if l3 == nil {
		t.Fatal("lease not free after its session ended")
	}
	l3.Release()
}

// A lease whose connection stops answering (a dead network on the way: no
// FIN, no RST) is reported lost within a ping and its timeout.
func TestIntakeLeaseSilentConnection(t *testing.T) {
	if !onPG() {
		t.Skip("a server's lease: SQLite's is never lost")
	}
	restore := data.SetLeasePing(200*time.Millisecond, 500*time.Millisecond)
	defer restore()
	loc := location(t, MustOpenDB(t))
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	p := newFreezer(t, u.Host)
	u.Host = p.ln.Addr().String()
	db := mustOpenAt(t, u.String())
	l := acquire(t, db, testAccount)
	if l == nil {
		t.Fatal("lease refused")
	}
	defer l.Release()
	if lostWithin(l, time.Second) {
		t.Fatal("lease lost on a working connection")
	}
	p.freeze()
	start := time.Now()
	if !lostWithin(l, 5*time.Second) {
		t.Fatal("lease not reported lost on a silent connection")
	}
	t.Logf("lost after %v", time.Since(start).Round(time.Millisecond))
}

// freezer forwards TCP to a target until frozen; then it forwards nothing
// and closes nothing, like a network that died silently.
type freezer struct {
	ln     net.Listener
	mu     sync.Mutex
	frozen bool
	conns  []net.Conn
}

func newFreezer(t *testing.T, target string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln}
	t.Cleanup(func() {
		ln.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			f.mu.Lock()
			f.conns = append(f.conns, c, s)
			f.mu.Unlock()
			go f.pipe(c, s)
			go f.pipe(s, c)
		}
	}()
	return f
}

func (f *freezer) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		for f.isFrozen() {
			time.Sleep(10 * time.Millisecond)
		}
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				dst.Close()
			}
			return
		}
	}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	f.frozen = true
	f.mu.Unlock()
}

func (f *freezer) isFrozen() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.frozen
}
