// Package pgtest starts a private PostgreSQL server for tests (package
// pgserver), the way the intake tests start their own Dovecot: initdb into
// a temporary folder, pg_ctl on a private port on 127.0.0.1 and a private
// socket folder, trust authentication, nothing of the system's own cluster
// involved.
//
// Tests import it; production code must not (it imports testing).
//
// Use:
//
//	url := pgtest.DB(t) // a fresh, empty database on the package's server
//
// The package's server starts on first use (initdb and start take a few
// seconds; each test then gets an emptied database of an earlier test, or
// a new one, in tens of milliseconds) and stops when the test binary
// exits, however it exits: a watchdog process holds the server's lifetime
// to the test process. A package with a TestMain may call Run to stop it as
// soon as its tests are done:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
//
// Without PostgreSQL on the machine a test that needs it is skipped, except
// under CI=true, where it fails: the backend must never go untested there.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"arendestod/data/pgserver"
)

// Superuser is the role initdb creates; tests connect as it.
const Superuser = pgserver.Superuser

// ErrMissing is wrapped by errors about PostgreSQL's programs not being on
// this machine.
var ErrMissing = pgserver.ErrMissing

// BinDir returns the folder holding initdb, pg_ctl and postgres
// (pgserver.BinDir).
func BinDir() (string, error) { return pgserver.BinDir() }

// Need skips the test when PostgreSQL is not on this machine, and fails it
// under CI=true.
func Need(tb testing.TB) {
	tb.Helper()
	if _, err := BinDir(); err != nil {
		missing(tb, err)
	}
}

func missing(tb testing.TB, err error) {
	tb.Helper()
	msg := "the PostgreSQL tests need a real PostgreSQL server: " + err.Error()
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg + " (skipped outside CI; under CI=true this fails)")
}

// Server is one private PostgreSQL instance (pgserver.Server) with a
// database for each test.
type Server struct {
	*pgserver.Server

	mu   sync.Mutex
	free []string // emptied databases, for the next test
	n    atomic.Int64

	tmplMu sync.Mutex
	tmpls  map[string]*template
}

type template struct {
	once sync.Once
	err  error
}

// Start initialises a new cluster in a temporary folder and starts it on a
// free port on 127.0.0.1, returning when it accepts connections. The caller
// must Stop it; should the caller die first, the server stops by itself.
func Start() (*Server, error) {
	srv, err := pgserver.Start()
	if err != nil {
		return nil, err
	}
	return &Server{Server: srv, tmpls: map[string]*template{}}, nil
}

// Database gives the test a fresh database, a copy of template ("" for an
// empty one), and returns its URL. When the test ends, its connections are
// ended and the database is emptied (its schemas dropped, the public
// schema made anew, database settings reset) and kept for the next test
// that asks for an empty one: emptying takes ~20 ms where CREATE DATABASE
// takes 150-400 ms on a small machine.
func (s *Server) Database(tb testing.TB, template string) string {
	tb.Helper()
	ctx := context.Background()
	var name string
	if template == "" {
		s.mu.Lock()
		if n := len(s.free); n > 0 {
			name, s.free = s.free[n-1], s.free[:n-1]
		}
		s.mu.Unlock()
	}
	if name == "" {
		name = "t" + strconv.Itoa(os.Getpid()) + "_" + strconv.FormatInt(s.n.Add(1), 10)
		if err := s.CreateDatabase(ctx, name, template); err != nil {
			tb.Fatalf("pgtest: create database: %v", err)
		}
	}
	tb.Cleanup(func() {
		if err := s.recycle(context.Background(), name); err != nil {
			tb.Logf("pgtest: database %s not reused: %v", name, err)
			if err := s.DropDatabase(context.Background(), name); err != nil {
				tb.Errorf("pgtest: drop database %s: %v", name, err)
			}
		}
	})
	return s.URL(name)
}

// recycle empties database name and puts it on the free list.
func (s *Server) recycle(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name); err != nil {
		return err
	}
	c, err := pgx.Connect(ctx, s.URL(name))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, `SELECT nspname FROM pg_namespace
		WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'`)
	if err != nil {
		return err
	}
	schemas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, sch := range schemas {
		b.WriteString(`DROP SCHEMA ` + pgx.Identifier{sch}.Sanitize() + ` CASCADE; `)
	}
	// The public schema as CREATE DATABASE makes it (PostgreSQL 15: owned
	// by pg_database_owner, no CREATE for PUBLIC), large objects gone,
	// settings of ALTER DATABASE ... SET gone.
	b.WriteString(`CREATE SCHEMA public; `)
	if s.Version >= 150000 {
		b.WriteString(`ALTER SCHEMA public OWNER TO pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC; `)
	} else {
		b.WriteString(`GRANT ALL ON SCHEMA public TO PUBLIC; `)
	}
	b.WriteString(`SELECT lo_unlink(oid) FROM pg_largeobject_metadata; `)
	b.WriteString(`ALTER DATABASE ` + pgx.Identifier{name}.Sanitize() + ` RESET ALL;`)
	if _, err := c.Exec(ctx, b.String()); err != nil {
		return err
	}
	if err := c.Close(ctx); err != nil {
		return err
	}
	if s.Stopped() {
		return errors.New("server stopped")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.free = append(s.free, name)
	return nil
}

// Template returns the name of a template database made once per server:
// the first call creates database name and runs fill on its URL (fill
// must close its connections before it returns), later calls reuse it.
// Copy it with Database(tb, name): a schema migrated once is then a cheap
// copy per test.
func (s *Server) Template(tb testing.TB, name string, fill func(url string) error) string {
	tb.Helper()
	s.tmplMu.Lock()
	t := s.tmpls[name]
	if t == nil {
		t = &template{}
		s.tmpls[name] = t
	}
	s.tmplMu.Unlock()
	t.once.Do(func() {
		ctx := context.Background()
		if t.err = s.CreateDatabase(ctx, name, ""); t.err != nil {
			return
		}
		if t.err = fill(s.URL(name)); t.err != nil {
			return
		}
		// A copy is refused while anyone is connected to the template.
		t.err = s.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
		if t.err == nil {
			t.err = s.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{name}.Sanitize()+` WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
		}
	})
	if t.err != nil {
		tb.Fatalf("pgtest: template %s: %v", name, t.err)
	}
	return name
}

// The package's shared server.
var shared struct {
	mu  sync.Mutex
	srv *Server
	err error
}

// Shared returns the test binary's shared server, starting it on first
// use. It skips (or under CI=true fails) the test when PostgreSQL is not
// on the machine, and fails it when the server does not start.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	Need(tb)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv == nil && shared.err == nil {
		shared.srv, shared.err = Start()
	}
	if shared.err != nil {
		if errors.Is(shared.err, ErrMissing) {
			missing(tb, shared.err)
		}
		tb.Fatalf("pgtest: the PostgreSQL test server did not start: %v", shared.err)
	}
	return shared.srv
}

// DB returns the URL of a fresh, empty database on the shared server,
// dropped when the test ends.
func DB(tb testing.TB) string {
	tb.Helper()
	return Shared(tb).Database(tb, "")
}

// Run runs the tests and then stops the shared server, when one started.
// For TestMain: os.Exit(pgtest.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			if code == 0 {
				code = 1
			}
		}
		shared.srv = nil
	}
	return code
}
