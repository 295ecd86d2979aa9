// Package pgtest starts a private PostgreSQL server for tests, from the
// server programs of the Debian package postgresql, the way the intake
// tests start their own Dovecot: initdb into a temporary folder, pg_ctl on
// a private port on 127.0.0.1 and a private socket folder, trust
// authentication, nothing of the system's own cluster involved.
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
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the role initdb creates; tests connect as it.
const Superuser = "arende"

// ErrMissing is wrapped by errors about PostgreSQL's programs not being on
// this machine.
var ErrMissing = errors.New("PostgreSQL server programs not found")

// installHint says how to get the programs.
const installHint = "install the Debian package: apt-get install postgresql " +
	"(its system service may stay off; the tests start their own server)"

// BinDir returns the folder holding initdb, pg_ctl and postgres:
// $ARENDESTOD_PG_BIN when set, else the newest /usr/lib/postgresql/*/bin
// (Debian), else the folder of initdb on PATH.
func BinDir() (string, error) {
	has := func(dir string) bool {
		for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
			if fi, err := os.Stat(filepath.Join(dir, p)); err != nil || fi.IsDir() {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv("ARENDESTOD_PG_BIN"); dir != "" {
		if has(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("%w in ARENDESTOD_PG_BIN=%s", ErrMissing, dir)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest major version first: compare the version numerically.
	version := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("%w (looked in /usr/lib/postgresql/*/bin and PATH); %s", ErrMissing, installHint)
}

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

// Server is one private PostgreSQL instance.
type Server struct {
	Dir       string // the temporary folder; removed at Stop
	DataDir   string // the cluster
	SocketDir string // the Unix socket folder
	Port      int    // on 127.0.0.1
	Version   int    // server_version_num, e.g. 150010
	BinDir    string

	asPostgres bool // running as root: the server runs as the postgres user
	watchdog   *exec.Cmd
	release    io.WriteCloser // closing it makes the watchdog stop the server

	mu    sync.Mutex
	admin *pgx.Conn // to the postgres database, for CREATE DATABASE
	free  []string  // emptied databases, for the next test
	n     atomic.Int64

	tmplMu sync.Mutex
	tmpls  map[string]*template

	stopOnce sync.Once
	stopErr  error
}

type template struct {
	once sync.Once
	err  error
}

// Start initialises a new cluster in a temporary folder and starts it on a
// free port on 127.0.0.1, returning when it accepts connections. The caller
// must Stop it; should the caller die first, the server stops by itself.
func Start() (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	s := &Server{BinDir: bin, asPostgres: os.Geteuid() == 0, tmpls: map[string]*template{}}
	if s.Dir, err = os.MkdirTemp("", "arendestod-pg-"); err != nil {
		return nil, err
	}
	s.DataDir = filepath.Join(s.Dir, "data")
	s.SocketDir = filepath.Join(s.Dir, "run")
	if err := s.startWatchdog(); err != nil {
		os.RemoveAll(s.Dir)
		return nil, err
	}
	if err := s.prepareDirs(); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.initdb(); err != nil {
		s.Stop()
		return nil, err
	}
	// A free port may be taken by someone else before the server binds it:
	// try a few.
	for attempt := 0; ; attempt++ {
		if s.Port, err = freePort(); err != nil {
			s.Stop()
			return nil, err
		}
		if err = s.pgCtlStart(); err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.connectAdmin(); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// startWatchdog starts a process that waits for its standard input to
// close, then stops the server and removes the folder. Stop closes it; so
// does the kernel when the test process dies in any way, which keeps a
// killed or timed-out test run from leaving a server behind. The watchdog
// runs in its own process group, so an interrupt from the terminal reaches
// only the test process and the watchdog still cleans up.
func (s *Server) startWatchdog() error {
	stop := shellQuote(filepath.Join(s.BinDir, "pg_ctl")) + " -D " + shellQuote(s.DataDir) + " -m immediate -w stop >/dev/null 2>&1"
	if s.asPostgres {
		stop = "runuser -u postgres -- " + stop
	}
	script := "read _ignored; if [ -f " + shellQuote(filepath.Join(s.DataDir, "postmaster.pid")) + " ]; then " + stop +
		"; fi; rm -rf " + shellQuote(s.Dir)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Env = cleanEnv()
	ownProcessGroup(cmd)
	w, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest watchdog: %w", err)
	}
	s.watchdog, s.release = cmd, w
	return nil
}

// prepareDirs makes the data and socket folders. As root they belong to
// the postgres user, and every folder above them must be traversable by it.
func (s *Server) prepareDirs() error {
	for _, d := range []string{s.DataDir, s.SocketDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
	}
	if !s.asPostgres {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root, the server must run as the postgres user, which does not exist (%v); %s", err, installHint)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	// MkdirTemp makes 0700 folders.
	if err := os.Chmod(s.Dir, 0o755); err != nil {
		return err
	}
	for p := filepath.Dir(s.Dir); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("%s is not traversable by the postgres user (mode %v); set TMPDIR to a folder that is", p, fi.Mode().Perm())
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	for _, d := range []string{s.DataDir, s.SocketDir} {
		if err := os.Chown(d, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// command runs one of the server programs, as the postgres user when root.
func (s *Server) command(prog string, args ...string) *exec.Cmd {
	path := filepath.Join(s.BinDir, prog)
	var cmd *exec.Cmd
	if s.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Env = cleanEnv()
	cmd.Dir = s.Dir
	return cmd
}

// cleanEnv is the environment without PG* variables (a PGHOST or PGDATA
// of the developer's must not steer the test server) and with a UTF-8
// locale.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
}

// initdb creates the cluster: UTF-8 with the C.UTF-8 locale, so that the
// server's lower() and pg_trgm know å, ä and ö as letters and text sorts
// by code point (as SQLite's BINARY does); trust authentication on the
// private socket and 127.0.0.1 only; no fsync while initialising (the
// folder is thrown away anyway).
func (s *Server) initdb() error {
	out, err := s.command("initdb", "-D", s.DataDir, "-U", Superuser, "-A", "trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions").CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	return nil
}

// pgCtlStart starts the server and waits until it accepts connections.
// The server keeps its durable defaults (fsync, synchronous_commit on):
// the store may check them as it checks SQLite's pragmas.
func (s *Server) pgCtlStart() error {
	logPath := filepath.Join(s.DataDir, "server.log") // inside the folder the server may write
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200", s.Port, s.SocketDir)
	// Not CombinedOutput: the server inherits pg_ctl's output and would
	// keep the pipe open for as long as it runs.
	outPath := filepath.Join(s.Dir, "pg_ctl.out")
	out, err := os.Create(outPath)
	if err != nil {
		return err
	}
	cmd := s.command("pg_ctl", "-D", s.DataDir, "-l", logPath, "-o", opts, "-w", "-t", "60", "start")
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	out.Close()
	if err != nil {
		b, _ := os.ReadFile(outPath)
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, b, s.Log())
	}
	return nil
}

// Log returns the end of the server's log, for failure messages.
func (s *Server) Log() string {
	b, err := os.ReadFile(filepath.Join(s.DataDir, "server.log"))
	if err != nil {
		return ""
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (s *Server) connectAdmin() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	for {
		if s.admin, err = pgx.Connect(ctx, s.URL("postgres")); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the test server does not accept connections: %v\n%s", err, s.Log())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return s.admin.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&s.Version)
}

// URL is the connection URL of database db on the server, over TCP to
// 127.0.0.1 without TLS.
func (s *Server) URL(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User(Superuser), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)),
		Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// SocketURL is the connection URL of database db over the server's Unix
// socket.
func (s *Server) SocketURL(db string) string {
	q := url.Values{"host": {s.SocketDir}, "port": {strconv.Itoa(s.Port)}, "sslmode": {"disable"}}
	u := url.URL{Scheme: "postgres", User: url.User(Superuser), Path: "/" + db, RawQuery: q.Encode()}
	return u.String()
}

// Exec runs statements on the server's postgres database as the superuser
// (CREATE ROLE, ALTER SYSTEM and the like).
func (s *Server) Exec(ctx context.Context, sql string, args ...any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.admin == nil {
		return errors.New("pgtest: server stopped")
	}
	_, err := s.admin.Exec(ctx, sql, args...)
	return err
}

// CreateDatabase creates database name, as a copy of template ("" for an
// empty one). On PostgreSQL 15 and later a small template is copied with
// the FILE_COPY strategy, which is faster than writing it through the WAL.
func (s *Server) CreateDatabase(ctx context.Context, name, template string) error {
	q := `CREATE DATABASE ` + pgx.Identifier{name}.Sanitize()
	if template == "" {
		template = "template0"
	}
	q += ` TEMPLATE ` + pgx.Identifier{template}.Sanitize()
	if s.Version >= 150000 {
		q += ` STRATEGY FILE_COPY`
	}
	return s.Exec(ctx, q)
}

// DropDatabase removes database name, ending any connection to it.
func (s *Server) DropDatabase(ctx context.Context, name string) error {
	return s.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.admin == nil {
		return errors.New("server stopped")
	}
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

// Stop stops the server (immediate shutdown: the data is thrown away) and
// removes its folder. It may be called more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		if s.admin != nil {
			s.admin.Close(context.Background())
			s.admin = nil
		}
		s.mu.Unlock()
		if s.release == nil {
			return
		}
		s.release.Close()
		s.stopErr = s.watchdog.Wait()
		if _, err := os.Stat(filepath.Join(s.DataDir, "postmaster.pid")); err == nil {
			s.stopErr = errors.Join(s.stopErr, fmt.Errorf("pgtest: the server in %s did not stop", s.DataDir))
		}
	})
	return s.stopErr
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
