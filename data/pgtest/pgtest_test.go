package pgtest_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"

	"arendestod/data/pgtest"
)

func TestMain(m *testing.M) {
	if os.Getenv("PGTEST_CHILD") == "1" {
		child()
		return
	}
	os.Exit(pgtest.Run(m))
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func TestSharedServer(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()

	t.Run("PrivateAndUTF8", func(t *testing.T) {
		c := connect(t, srv.URL("postgres"))
		var dataDir, listen, sockets, encoding, ctype, user string
		err := c.QueryRow(ctx, `SELECT current_setting('data_directory'), current_setting('listen_addresses'),
			current_setting('unix_socket_directories'), current_setting('server_encoding'),
			(SELECT datctype FROM pg_database WHERE datname = current_database()), current_user`).
			Scan(&dataDir, &listen, &sockets, &encoding, &ctype, &user)
		if err != nil {
			t.Fatal(err)
		}
		if dataDir != srv.DataDir || listen != "127.0.0.1" || sockets != srv.SocketDir {
			t.Errorf("server: data %s listen %s sockets %s; want %s 127.0.0.1 %s", dataDir, listen, sockets, srv.DataDir, srv.SocketDir)
		}
		if encoding != "UTF8" || ctype != "C.UTF-8" || user != pgtest.Superuser {
			t.Errorf("encoding %s ctype %s user %s", encoding, ctype, user)
		}
		// The server's own lower() folds å, ä, ö: the locale is not C.
		var lower string
		if err := c.QueryRow(ctx, `SELECT lower('ÅÄÖ')`).Scan(&lower); err != nil || lower != "åäö" {
			t.Errorf("lower('ÅÄÖ') = %q, %v", lower, err)
		}
	})

	t.Run("RunsAsPostgresWhenRoot", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("not root")
		}
		fi, err := os.Stat(filepath.Join(srv.DataDir, "PG_VERSION"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(srv.DataDir, "postmaster.pid"))
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
		status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
		if err != nil {
			t.Fatal(err)
		}
		var uid string
		for _, l := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(l, "Uid:") {
				uid = strings.Fields(l)[1]
			}
		}
		if uid == "0" || uid == "" {
			t.Errorf("the server runs as uid %q", uid)
		}
		_ = fi
	})

	t.Run("Socket", func(t *testing.T) {
		c := connect(t, srv.SocketURL("postgres"))
		var addr *string
		if err := c.QueryRow(ctx, `SELECT host(inet_client_addr())`).Scan(&addr); err != nil {
			t.Fatal(err)
		}
		if addr != nil {
			t.Errorf("connected over TCP (%s), not the socket", *addr)
		}
	})

	t.Run("FreshDatabasePerTest", func(t *testing.T) {
		// Each test dirties its database every way the store's tests
		// might; the next test gets it back as new.
		var urls []string
		var publicACL []string
		for i := 0; i < 3; i++ {
			t.Run("DB", func(t *testing.T) {
				u := pgtest.DB(t)
				urls = append(urls, u)
				c := connect(t, u)
				var tables, schemas, exts, los int
				var acl string
				err := c.QueryRow(ctx, `SELECT
					(SELECT count(*) FROM pg_class WHERE relnamespace <> 'pg_catalog'::regnamespace AND relnamespace <> 'pg_toast'::regnamespace
						AND relnamespace <> 'information_schema'::regnamespace),
					(SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'),
					(SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'),
					(SELECT count(*) FROM pg_largeobject_metadata),
					(SELECT nspowner::regrole::text || ' ' || COALESCE(nspacl::text, '') FROM pg_namespace WHERE nspname = 'public')`).
					Scan(&tables, &schemas, &exts, &los, &acl)
				if err != nil {
					t.Fatal(err)
				}
				if tables != 0 || schemas != 1 || exts != 0 || los != 0 {
					t.Errorf("database %d not fresh: %d relations, %d schemas, %d extensions, %d large objects", i, tables, schemas, exts, los)
				}
				publicACL = append(publicACL, acl)
				for _, q := range []string{
					`CREATE TABLE mine (x int)`,
					`CREATE SCHEMA other; CREATE TABLE other.t (x int)`,
					`CREATE EXTENSION pg_trgm`,
					`SELECT lo_create(0)`,
					`ALTER DATABASE ` + pgx.Identifier{u[strings.LastIndex(u, "/")+1 : strings.Index(u, "?")]}.Sanitize() + ` SET work_mem = '8MB'`,
				} {
					if _, err := c.Exec(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				// A connection the test forgot to close.
				connect(t, u)
			})
		}
		if urls[0] != urls[1] || urls[1] != urls[2] {
			t.Logf("databases not reused: %v", urls)
		}
		if publicACL[0] != publicACL[1] || publicACL[1] != publicACL[2] {
			t.Errorf("public schema owner and grants: %q", publicACL)
		}
		c := connect(t, pgtest.DB(t))
		var workMem string
		if err := c.QueryRow(ctx, `SHOW work_mem`).Scan(&workMem); err != nil || workMem == "8MB" {
			t.Errorf("database setting survived: work_mem %s, %v", workMem, err)
		}
	})

	t.Run("Template", func(t *testing.T) {
		fills := 0
		fill := func(url string) error {
			fills++
			db, err := sql.Open("pgx", url)
			if err != nil {
				return err
			}
			defer db.Close()
			_, err = db.Exec(`CREATE TABLE seeded (x int); INSERT INTO seeded VALUES (1), (2), (3)`)
			return err
		}
		for i := 0; i < 3; i++ {
			name := srv.Template(t, "tmpl_seeded", fill)
			c := connect(t, srv.Database(t, name))
			var n int
			if err := c.QueryRow(ctx, `SELECT count(*) FROM seeded`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 3 {
				t.Errorf("copy %d has %d rows", i, n)
			}
			// Each copy is its own: a change stays in it.
			if _, err := c.Exec(ctx, `INSERT INTO seeded VALUES (4)`); err != nil {
				t.Fatal(err)
			}
		}
		if fills != 1 {
			t.Errorf("template filled %d times", fills)
		}
	})
}

// Production code never imports pgtest (it imports testing and starts
// servers); only tests do.
func TestOnlyTestsImportPgtest(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "arendestod/...").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "arendestod/data: ") {
		t.Fatalf("go list did not list package data:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line+" ", " arendestod/data/pgtest ") {
			t.Errorf("imported by production code: %s", line)
		}
	}
}

// A test binary killed with SIGKILL leaves no server behind: the watchdog
// stops it and removes its folder.
func TestKilledTestProcessLeavesNoServer(t *testing.T) {
	pgtest.Need(t)
	if testing.Short() {
		t.Skip("starts a second server")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PGTEST_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %v", err)
	}
	f := strings.Fields(line)
	if len(f) != 2 {
		t.Fatalf("child said %q", line)
	}
	dir, port := f[0], f[1]
	if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err != nil {
		t.Fatalf("child's server not running: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, statErr := os.Stat(dir)
		c, dialErr := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second)
		if dialErr == nil {
			c.Close()
		}
		if errors.Is(statErr, os.ErrNotExist) && dialErr != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the test process died: folder %s: %v; port %s: %v", dir, statErr, port, dialErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// child starts a server, says where it is and waits to be killed.
func child() {
	srv, err := pgtest.Start()
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(2)
	}
	os.Stdout.WriteString(srv.Dir + " " + strconv.Itoa(srv.Port) + "\n")
	time.Sleep(time.Minute)
	os.Exit(3)
}
