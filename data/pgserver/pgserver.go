// Package pgserver starts a private PostgreSQL server from the server
// programs of the Debian package postgresql: initdb into a temporary
// folder, pg_ctl on a private port on 127.0.0.1 and a private socket
// folder, trust authentication, nothing of the system's own cluster
// involved. The tests (data/pgtest) and the team demo (arendestod demo
// --team) use it.
//
// The server lives as long as the process that started it: Stop stops it
// and removes its folder, and should the process die first, a watchdog
// process does the same.
package pgserver

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
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the role initdb creates; whoever started the server
// connects as it.
const Superuser = "arende"

// ErrMissing is wrapped by errors about PostgreSQL's programs not being on
// this machine.
var ErrMissing = errors.New("PostgreSQL server programs not found")

// installHint says how to get the programs.
const installHint = "install the Debian package: apt-get install postgresql " +
	"(its system service may stay off; Ärendestöd starts its own server)"

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

	stopOnce sync.Once
	stopErr  error
}

// Start initialises a new cluster in a temporary folder and starts it on a
// free port on 127.0.0.1, returning when it accepts connections. The caller
// must Stop it; should the caller die first, the server stops by itself.
func Start() (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	s := &Server{BinDir: bin, asPostgres: os.Geteuid() == 0}
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
// does the kernel when the starting process dies in any way, which keeps a
// killed or timed-out run from leaving a server behind. The watchdog
// runs in its own process group, so an interrupt from the terminal reaches
// only the starting process and the watchdog still cleans up.
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
		return fmt.Errorf("pgserver watchdog: %w", err)
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
// of the developer's must not steer the private server) and with a UTF-8
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
			return fmt.Errorf("the private server does not accept connections: %v\n%s", err, s.Log())
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
		return errors.New("pgserver: server stopped")
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
			s.stopErr = errors.Join(s.stopErr, fmt.Errorf("pgserver: the server in %s did not stop", s.DataDir))
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

// Stopped reports whether Stop has been called.
func (s *Server) Stopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admin == nil
}
