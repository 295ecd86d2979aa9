package data

// The change feed (issue 11, "live on every desk"): every write
// transaction collects the changes it makes (txn.changed, called where
// changes are stored: createCase, storeChange, the staff, schedule,
// settings, closed days and presence writes), and they are delivered to
// subscribers only when it commits.
//
// On PostgreSQL the changes are sent with pg_notify inside the
// transaction itself, so the server delivers them on commit and never for
// a rollback, to every desk LISTENing on the database, this one included.
// A dedicated connection LISTENs (started by the first Subscribe); when it
// is lost it reconnects with backoff and then sends ChangeResync, since
// changes may have been missed meanwhile.
//
// On SQLite the store delivers the changes made through it, in-process,
// after commit. Two processes on one SQLite file (one desk running the
// window and, say, `arendestod sync --once` at the same time) do not see
// each other's changes until they read again: SQLite is one desk's
// database, and a team shares a PostgreSQL server.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/url"
	"sync"
	"time"

	"arendestod/app"

	"github.com/jackc/pgx/v5"
)

// pgChannel is the NOTIFY channel of the store's changes.
const pgChannel = "arendestod"

// pgListenName is the application_name of the LISTEN connection, so the
// server's activity view (and tests) can tell it from the pools.
const pgListenName = "arendestod-listen"

var _ app.ChangeFeed = (*DB)(nil)

// changed records c as made by the transaction; it is delivered when the
// transaction commits.
func (t *txn) changed(c app.Change) { t.changes = append(t.changes, c) }

// noteChange records c on q when q is a write transaction.
func noteChange(q querier, c app.Change) {
	if t, ok := q.(changeNoter); ok {
		t.changed(c)
	}
}

// changeNoter is a write transaction, or something writing inside one
// (intake's rowBatcher), that collects the changes it makes.
type changeNoter interface{ changed(app.Change) }

// caseChange is the change that storing evs on case c is.
func caseChange(c *app.Case, evs []app.Event, at time.Time) app.Change {
	ch := app.Change{Kind: app.ChangeCase, CaseID: c.ID, At: at}
	for _, e := range evs {
		if ch.Actor == "" {
			ch.Actor = e.Actor
		}
		if e.Kind == app.EventAssigned {
			ch.AssignedTo = e.Detail
		}
	}
	return ch
}

// changePayload is a change on the wire (NOTIFY's payload, at most 8000
// bytes: these are about 150).
type changePayload struct {
	Kind       app.ChangeKind `json:"k"`
	CaseID     int64          `json:"c,omitempty"`
	Actor      string         `json:"a,omitempty"`
	At         string         `json:"t"`
	New        bool           `json:"n,omitempty"`
	AssignedTo string         `json:"to,omitempty"`
	// Origin is the sending store's random id (liveFeed.originID): a
	// desk tells its own changes (app.Change.Local) from the others'.
	Origin string `json:"o,omitempty"`
}

func encodeChange(c app.Change, origin string) string {
	b, _ := json.Marshal(changePayload{c.Kind, c.CaseID, c.Actor, fmtTime(c.At), c.New, c.AssignedTo, origin})
	return string(b)
}

// decodeChange reads a payload; the change is Local when it came from
// origin, this store's own id.
func decodeChange(s, origin string) (app.Change, error) {
	var p changePayload
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return app.Change{}, err
	}
	at, err := parseTime(p.At)
	if err != nil {
		return app.Change{}, err
	}
	return app.Change{Kind: p.Kind, CaseID: p.CaseID, Actor: p.Actor, At: at, New: p.New, AssignedTo: p.AssignedTo,
		Local: p.Origin != "" && p.Origin == origin}, nil
}

// sendChanges runs inside the transaction before it commits: on
// PostgreSQL one pg_notify per change, in one statement.
// Changes an earlier statement of the transaction sent already
// (lockAuditHead) are not sent again.
func (db *DB) sendChanges(ctx context.Context, t *txn) error {
	payloads := db.unsentChanges(t)
	if len(payloads) == 0 {
		return nil
	}
	_, err := t.ExecContext(ctx, stmtNotify, payloads)
	return err
}

// stmtNotify sends the payloads of an array, in order.
const stmtNotify = `SELECT pg_notify('` + pgChannel + `', p) FROM unnest(?::text[]) AS p`

// unsentChanges returns the payloads of t's changes not yet sent, and
// counts them as sent; none on SQLite.
func (db *DB) unsentChanges(t *txn) []string {
	if !db.d.server() || len(t.changes) <= t.notified {
		return nil
	}
	payloads := make([]string, 0, len(t.changes)-t.notified)
	for _, c := range t.changes[t.notified:] {
		payloads = append(payloads, encodeChange(c, db.live.originID()))
	}
	t.notified = len(t.changes)
	return payloads
}

// committed runs after the transaction committed: on SQLite its changes
// go to this store's subscribers (on PostgreSQL the server sends them).
func (db *DB) committed(t *txn) {
	if db.d.server() || len(t.changes) == 0 {
		return
	}
	for i := range t.changes {
		t.changes[i].Local = true // SQLite: every change is this store's
	}
	db.live.publish(t.changes...)
}

// liveFeed delivers changes to subscribers from one goroutine, in order.
// Its zero value is ready; the goroutine starts with the first
// subscriber.
type liveFeed struct {
	mu     sync.Mutex
	cond   *sync.Cond
	subs   map[int]func(app.Change)
	nextID int
	queue  []app.Change
	closed bool
	// running: the delivering goroutine is started.
	running bool
	done    chan struct{}

	// PostgreSQL: the LISTEN connection's goroutine.
	listening   bool
	listenStop  context.CancelFunc
	listenDone  chan struct{}
	listenReady chan struct{}

	// origin is this store's random id in the payloads it sends.
	origin string
}

// originID is this store's random id, made on first use.
func (f *liveFeed) originID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.origin == "" {
		b := make([]byte, 8)
		rand.Read(b)
		f.origin = hex.EncodeToString(b)
	}
	return f.origin
}

// publish queues changes for the subscribers.
func (f *liveFeed) publish(cs ...app.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || len(f.subs) == 0 {
		return
	}
	f.queue = append(f.queue, cs...)
	f.cond.Signal()
}

func (f *liveFeed) deliver() {
	defer close(f.done)
	f.mu.Lock()
	for {
		for len(f.queue) == 0 && !f.closed {
			f.cond.Wait()
		}
		if f.closed {
			f.mu.Unlock()
			return
		}
		batch := f.queue
		f.queue = nil
		subs := make([]func(app.Change), 0, len(f.subs))
		for _, fn := range f.subs {
			subs = append(subs, fn)
		}
		f.mu.Unlock()
		for _, c := range batch {
			for _, fn := range subs {
				fn(c)
			}
		}
		f.mu.Lock()
	}
}

// Subscribe calls fn with every change committed from now on (see
// app.ChangeFeed). On PostgreSQL the first subscriber starts the LISTEN
// connection, and Subscribe returns once it listens (or has failed once
// and goes on trying in the background).
func (db *DB) Subscribe(ctx context.Context, fn func(app.Change)) (stop func()) {
	f := &db.live
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return func() {}
	}
	if f.cond == nil {
		f.cond = sync.NewCond(&f.mu)
		f.subs = map[int]func(app.Change){}
	}
	if !f.running {
		f.running, f.done = true, make(chan struct{})
		go f.deliver()
	}
	f.nextID++
	id := f.nextID
	f.subs[id] = fn
	var ready chan struct{}
	if db.d.server() && !f.listening {
		f.listening = true
		lctx, cancel := context.WithCancel(context.Background())
		f.listenStop, f.listenDone, f.listenReady = cancel, make(chan struct{}), make(chan struct{})
		go db.listen(lctx)
	}
	ready = f.listenReady
	f.mu.Unlock()
	if ready != nil {
		select {
		case <-ready:
		case <-ctx.Done():
		case <-time.After(15 * time.Second):
		}
	}
	var once sync.Once
	quit := make(chan struct{})
	unsubscribe := func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.subs, id)
			f.mu.Unlock()
			close(quit)
		})
	}
	go func() {
		select {
		case <-ctx.Done():
			unsubscribe()
		case <-quit:
		}
	}()
	return unsubscribe
}

// closeFeed stops delivering and listening (Close).
func (db *DB) closeFeed() {
	f := &db.live
	f.mu.Lock()
	f.closed = true
	if f.cond != nil {
		f.cond.Broadcast()
	}
	done, stop, listenDone := f.done, f.listenStop, f.listenDone
	f.mu.Unlock()
	if stop != nil {
		stop()
		<-listenDone
	}
	if done != nil {
		<-done
	}
}

// listenBackoff bounds the wait between reconnects.
const (
	listenBackoffMin = 100 * time.Millisecond
	listenBackoffMax = 5 * time.Second
)

// listen keeps a connection LISTENing on the store's channel and
// publishes what arrives, until ctx ends. After a lost connection it
// reconnects with backoff and publishes ChangeResync.
func (db *DB) listen(ctx context.Context) {
	f := &db.live
	defer close(f.listenDone)
	readyOnce := sync.Once{}
	ready := func() { readyOnce.Do(func() { close(f.listenReady) }) }
	defer ready()
	backoff := listenBackoffMin
	lost := false
	for ctx.Err() == nil {
		conn, err := db.listenConn(ctx)
		if err == nil {
			ready()
			backoff = listenBackoffMin
			if lost {
				// Whatever was committed while nobody listened is
				// unknown: the calendar and every screen read again.
				if err := db.loadCalendar(ctx); err != nil && ctx.Err() == nil {
					log.Printf("ändringsflödet: kalendern kunde inte läsas: %s", app.RedactDBPassword(err.Error()))
				}
				f.publish(app.Change{Kind: app.ChangeResync, At: db.Now()})
			}
			err = db.receive(ctx, conn)
			conn.Close(context.Background())
		} else {
			ready()
		}
		if ctx.Err() != nil {
			return
		}
		lost = true
		log.Printf("ändringsflödet: förbindelsen till databasservern bröts, ansluter igen: %s", app.RedactDBPassword(err.Error()))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, listenBackoffMax)
	}
}

// listenConn connects and LISTENs.
func (db *DB) listenConn(ctx context.Context) (*pgx.Conn, error) {
	s, err := pgDSN(db.dsn, false)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("application_name", pgListenName)
	q.Del("lock_timeout")
	u.RawQuery = q.Encode()
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// receive publishes each notification until the connection fails or ctx
// ends.
func (db *DB) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		c, err := decodeChange(n.Payload, db.live.originID())
		if err != nil {
			log.Printf("ändringsflödet: okänt meddelande på kanalen %s", pgChannel)
			continue
		}
		if c.Kind == app.ChangeClosedDays {
			if err := db.loadCalendar(ctx); err != nil && ctx.Err() == nil {
				log.Printf("ändringsflödet: kalendern kunde inte läsas: %s", app.RedactDBPassword(err.Error()))
			}
		}
		db.live.publish(c)
	}
}
