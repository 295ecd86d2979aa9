//go:build unix

package intake_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/data"
)

const dovecotBin = "/usr/sbin/dovecot"

// dovecot is a Dovecot instance of the test's own, on 127.0.0.1 with a
// self-signed certificate, one user and sdbox storage under a temporary
// folder. Its system service is not involved.
type dovecot struct {
	tb            testing.TB
	dir, conf     string
	port, tlsPort int
	certPath      string
	roots         *x509.CertPool
	user, pass    string
}

// needDovecot skips the test on a developer machine without Dovecot and
// fails it in CI, where the integration tests must run.
func needDovecot(tb testing.TB) {
	tb.Helper()
	var missing []string
	if _, err := os.Stat(dovecotBin); err != nil {
		missing = append(missing, dovecotBin+" (Debian package dovecot-imapd)")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		missing = append(missing, "openssl")
	}
	if len(missing) == 0 {
		return
	}
	msg := "the IMAP integration tests need a real Dovecot; missing: " + strings.Join(missing, ", ") +
		". Install with: apt-get install dovecot-imapd openssl"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg + " (skipped outside CI)")
}

// startDovecot writes a config under a temporary folder, starts Dovecot
// with it, waits until it accepts connections and stops it at cleanup.
func startDovecot(tb testing.TB) *dovecot {
	tb.Helper()
	needDovecot(tb)
	dir := tb.TempDir()
	// Dovecot's auth process runs as the dovecot user and must reach the
	// passwd file: the test folders (0700 from MkdirTemp) must be
	// traversable.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	for p := filepath.Dir(filepath.Dir(dir)); p != "/"; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			tb.Fatalf("%s is not traversable by the dovecot user (mode %v); set TMPDIR to a folder that is", p, fi.Mode().Perm())
		}
	}
	d := &dovecot{tb: tb, dir: dir, user: "notiser", pass: "hemligt-" + strconv.Itoa(os.Getpid())}
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	d.certPath = filepath.Join(dir, "cert.pem")
	keyPath := filepath.Join(dir, "key.pem")
	out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
		"-nodes", "-days", "2", "-keyout", keyPath, "-out", d.certPath, "-subj", "/CN=localhost",
		"-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").CombinedOutput()
	if err != nil {
		tb.Fatalf("openssl: %v\n%s", err, out)
	}
	pem, err := os.ReadFile(d.certPath)
	if err != nil {
		tb.Fatal(err)
	}
	d.roots = x509.NewCertPool()
	d.roots.AppendCertsFromPEM(pem)

	// uid 65534 (nobody): Dovecot refuses to run mail processes as root.
	passwd := fmt.Sprintf("%s:{PLAIN}%s:65534:65534::%s\n", d.user, d.pass, filepath.Join(dir, "mail", d.user))
	writeFile(tb, filepath.Join(dir, "passwd"), passwd)
	if err := os.Chown(filepath.Join(dir, "mail"), 65534, 65534); err != nil {
		tb.Fatal(err)
	}
	d.port, d.tlsPort = freePort(tb), freePort(tb)
	d.conf = filepath.Join(dir, "dovecot.conf")
	writeFile(tb, d.conf, fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
# sdbox, not maildir: APPEND to a maildir slows down as it grows (2,000
# messages take 5 s, 10,000 take 95 s here); sdbox stays at ~2 ms each.
mail_location = sdbox:~/sdbox
# Test data: delivery need not survive a power cut.
mail_fsync = never
# Killed and restarted clients may leave connections behind for a moment.
mail_max_userip_connections = 200
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[1]s/passwd
}
userdb {
  driver = passwd-file
  args = %[1]s/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[3]d
    ssl = yes
  }
}
`, dir, d.port, d.tlsPort))
	d.start()
	tb.Cleanup(d.stop)
	return d
}

func writeFile(tb testing.TB, path, s string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (d *dovecot) start() {
	d.tb.Helper()
	// Not CombinedOutput: the daemon inherits the output and would keep a
	// pipe open for as long as it runs.
	out, err := os.Create(filepath.Join(d.dir, "start.out"))
	if err != nil {
		d.tb.Fatal(err)
	}
	cmd := exec.Command(dovecotBin, "-c", d.conf)
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	out.Close()
	if err != nil {
		b, _ := os.ReadFile(out.Name())
		d.tb.Fatalf("dovecot: %v\n%s\n%s", err, b, d.log())
	}
	// Ready means the TLS port answers with a greeting.
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := d.ping()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			d.tb.Fatalf("dovecot did not start: %v\n%s", err, d.log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (d *dovecot) ping() error {
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(d.tlsPort)),
		&tls.Config{RootCAs: d.roots})
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 4)
	_, err = c.Read(buf)
	return err
}

// stop ends the master process and every process it started, and waits
// until they are gone and the ports are free. Stopping only the master
// (SIGTERM, as "dovecot stop" does) leaves a busy imap process serving
// its client to the end, which is no restart at all.
func (d *dovecot) stop() {
	b, err := os.ReadFile(filepath.Join(d.dir, "run", "master.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return
	}
	children := descendants(pid)
	syscall.Kill(pid, syscall.SIGTERM)
	for _, c := range children {
		syscall.Kill(c, syscall.SIGKILL)
	}
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(pid, 0) == nil || d.ping() == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// descendants returns the processes below pid, from /proc.
func descendants(pid int) []int {
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so look after
		// its closing parenthesis.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	var out []int
	var walk func(int)
	walk = func(pp int) {
		for p, q := range parent {
			if q == pp {
				out = append(out, p)
				walk(p)
			}
		}
	}
	walk(pid)
	return out
}

func (d *dovecot) restart() {
	d.stop()
	d.start()
}

func (d *dovecot) log() string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
	return string(b)
}

// account is the intake account for d's mailbox, over TLS verified
// against the test's own certificate.
func (d *dovecot) account(mailbox string) app.IMAPAccount {
	return app.IMAPAccount{
		Host: "127.0.0.1", Port: d.tlsPort, Security: app.IMAPSecurityTLS,
		Username: d.user, Password: d.pass, Mailbox: mailbox,
		TLSConfig: &tls.Config{RootCAs: d.roots},
	}
}

func refsOf(ns []genNotice) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Reference
	}
	return out
}

// TestDovecotCatchUp takes in 2,000 notices over TLS, then syncs again.
func TestDovecotCatchUp(t *testing.T) {
	d := startDovecot(t)
	ns := genNotices(t, "CU", 2000)
	start := time.Now()
	deliver(t, d.account(""), "INBOX", raws(ns), 1)
	t.Logf("delivered %d notices by APPEND in %v", len(ns), time.Since(start).Round(time.Millisecond))

	db := openDB(t)
	rec := newRecorder()
	acc := d.account("")
	acc.Assignee = assignee
	in := intake.New(acc, rec.options(db))
	start = time.Now()
	sum, err := in.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("caught up %d in %v: %.0f messages/s", len(ns), el.Round(time.Millisecond), float64(len(ns))/el.Seconds())
	if sum != (app.IngestSummary{New: len(ns)}) {
		t.Errorf("summary %+v", sum)
	}
	exactlyOnce(t, db, refsOf(ns))
	byRef := map[string]genNotice{}
	for _, n := range ns {
		byRef[n.Reference] = n
	}
	bad := 0
	for _, c := range allCases(t, db) {
		n := byRef[c.Reference]
		wantStatus := app.StatusNy
		if n.Kind == app.NoticeTilldelat {
			wantStatus = app.StatusFordelad
		}
		if c.Type != n.TypeKey || c.MessageID != n.MessageID || c.Status != wantStatus {
			if bad++; bad <= 5 {
				t.Errorf("case %s: type %q status %q id %s; want %q %q %s", c.Reference, c.Type, c.Status, c.MessageID, n.TypeKey, wantStatus, n.MessageID)
			}
		}
	}
	if p := rec.progress; len(p) == 0 || p[len(p)-1] != (intake.Progress{Done: len(ns), Total: len(ns)}) {
		t.Errorf("last progress %v", p[len(p)-1])
	}
	if len(rec.cases) != len(ns) {
		t.Errorf("OnCase called %d times", len(rec.cases))
	}
	sum, err = in.SyncOnce(t.Context())
	if err != nil || sum != (app.IngestSummary{}) {
		t.Errorf("second sync: %+v, %v", sum, err)
	}
	for uid, flags := range flagsOf(t, acc, "INBOX") {
		if hasFlag(flags, imap.FlagSeen) {
			t.Fatalf("message %d is \\Seen after a read-only sync", uid)
		}
	}
}

// TestDovecotPushLatency: a notice appended while Watch is in IDLE is a
// stored case, reported through OnCase, within a second.
func TestDovecotPushLatency(t *testing.T) {
	d := startDovecot(t)
	db := openDB(t)
	rec := newRecorder()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- intake.New(d.account(""), rec.options(db)).Watch(ctx) }()
	rec.waitState(t, app.IntakeWatching, 10*time.Second)
	ns := genNotices(t, "PL", 5)
	var worst time.Duration
	for _, n := range ns {
		start := time.Now()
		deliver(t, d.account(""), "INBOX", [][]byte{n.Raw}, 1)
		rec.waitCases(t, 1, 5*time.Second)
		lat := time.Since(start)
		worst = max(worst, lat)
		t.Logf("APPEND → OnCase: %v", lat.Round(time.Millisecond))
		time.Sleep(100 * time.Millisecond)
	}
	if worst > time.Second {
		t.Errorf("worst push latency %v, want ≤ 1 s", worst)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	exactlyOnce(t, db, refsOf(ns))
}

// TestDovecotRestartMidCatchUp stops Dovecot (and with it the intake's
// connection) after the first batches of a catch-up and starts it again:
// Watch reconnects and finishes, nothing lost, nothing twice.
func TestDovecotRestartMidCatchUp(t *testing.T) {
	d := startDovecot(t)
	ns := genNotices(t, "RS", 1500)
	deliver(t, d.account(""), "INBOX", raws(ns), 1)
	db := openDB(t)
	rec := newRecorder()
	opt := rec.options(db)
	opt.BatchSize = 50
	opt.MinBackoff, opt.MaxBackoff = 50*time.Millisecond, 400*time.Millisecond
	stopped := make(chan int, 1)
	var once sync.Once
	onProgress := opt.OnProgress
	opt.OnProgress = func(p intake.Progress) {
		onProgress(p)
		if p.Done >= 300 {
			// In the catch-up's own goroutine, so that it cannot finish
			// before the server is gone.
			once.Do(func() { d.stop(); stopped <- p.Done })
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- intake.New(d.account(""), opt).Watch(ctx) }()
	select {
	case at := <-stopped:
		t.Logf("Dovecot stopped after %d of %d", at, len(ns))
	case <-time.After(30 * time.Second):
		t.Fatal("catch-up did not get to 300")
	}
	time.Sleep(300 * time.Millisecond) // reconnects fail meanwhile
	d.start()
	rec.waitCases(t, len(ns), 60*time.Second)
	cancel()
	<-done
	exactlyOnce(t, db, refsOf(ns))
	errs := rec.errors()
	if len(errs) == 0 {
		t.Errorf("the restart was not reported; Dovecot log:\n%s", d.log())
	}
	for _, err := range errs {
		t.Logf("reported: %s", app.ErrorMessage(err))
	}
}

// TestDovecotConnectionCutMidFetch runs the intake through a TCP proxy
// that is cut, or freezes, in the middle of a FETCH response.
func TestDovecotConnectionCutMidFetch(t *testing.T) {
	d := startDovecot(t)
	ns := genNotices(t, "CT", 1000)
	deliver(t, d.account(""), "INBOX", raws(ns), 1)
	target := net.JoinHostPort("127.0.0.1", strconv.Itoa(d.tlsPort))
	for _, tt := range []struct {
		name  string
		fault func(p *proxy)
		want  string
	}{
		{"Cut", func(p *proxy) { p.cut() }, "Anslutningen till servern bröts"},
		{"Freeze", func(p *proxy) {
			p.freeze()
			time.AfterFunc(1500*time.Millisecond, p.thaw)
		}, "Servern svarar inte"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newProxy(t, target)
			acc := d.account("")
			acc.Port = p.port()
			db := openDB(t)
			rec := newRecorder()
			opt := rec.options(db)
			opt.BatchSize = 100
			opt.WatchdogInterval = time.Second
			opt.MinBackoff, opt.MaxBackoff = 20*time.Millisecond, 200*time.Millisecond
			faulted := make(chan struct{})
			// About a third into the mail: inside a FETCH response.
			p.after(350_000, func() { tt.fault(p); close(faulted) })
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- intake.New(acc, opt).Watch(ctx) }()
			rec.waitCases(t, len(ns), 60*time.Second)
			cancel()
			<-done
			select {
			case <-faulted:
			default:
				t.Fatal("the fault never happened")
			}
			exactlyOnce(t, db, refsOf(ns))
			errs := rec.errors()
			if len(errs) != 1 || !strings.Contains(app.ErrorMessage(errs[0]), tt.want) {
				t.Errorf("reported %v, want one error saying %q", errs, tt.want)
			}
		})
	}
}

// TestDovecotUIDValidityChange deletes and recreates the mailbox and
// delivers the same notices again with some new ones: no duplicates.
func TestDovecotUIDValidityChange(t *testing.T) {
	d := startDovecot(t)
	acc := d.account("Notiser")
	c := mailClient(t, acc)
	defer c.Close()
	if err := c.Create("Notiser", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	old := genNotices(t, "UV", 300)
	deliver(t, acc, "Notiser", raws(old), 1)
	db := openDB(t)
	in := intake.New(acc, intake.Options{Store: db})
	if sum, err := in.SyncOnce(t.Context()); err != nil || sum.New != len(old) {
		t.Fatalf("first sync: %+v, %v", sum, err)
	}
	before, _ := db.SyncState(t.Context(), acc.Key())

	if err := c.Delete("Notiser").Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Create("Notiser", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	added := genNotices(t, "UW", 50)
	deliver(t, acc, "Notiser", append(raws(old), raws(added)...), 1)
	sum, err := in.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	after, _ := db.SyncState(t.Context(), acc.Key())
	t.Logf("UIDVALIDITY %d → %d", before.UIDValidity, after.UIDValidity)
	if after.UIDValidity == before.UIDValidity || after.LastUID != uint32(len(old)+len(added)) {
		t.Errorf("sync state %+v → %+v", before, after)
	}
	if want := (app.IngestSummary{New: len(added), Duplicates: len(old)}); sum != want {
		t.Errorf("after recreating the mailbox: %+v, want %+v", sum, want)
	}
	exactlyOnce(t, db, append(refsOf(old), refsOf(added)...))
}

// TestDovecotKilled kills the intake process with SIGKILL at random points
// of a 500-notice catch-up, 20 times; each time a new process finishes the
// sync. The child is this test binary, running TestHelperIntakeProcess.
func TestDovecotKilled(t *testing.T) {
	d := startDovecot(t)
	ns := genNotices(t, "KILL", 500)
	deliver(t, d.account(""), "INBOX", raws(ns), 1)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("INTAKE_KILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("INTAKE_KILL_SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	const runs, batch = 20, 25
	killedMid := 0
	for run := range runs {
		dbPath := filepath.Join(t.TempDir(), "killed.db")
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperIntakeProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "INTAKE_HELPER=1", "INTAKE_DB="+dbPath,
			"INTAKE_PORT="+strconv.Itoa(d.tlsPort), "INTAKE_CA="+d.certPath,
			"INTAKE_USER="+d.user, "INTAKE_PASS="+d.pass, "INTAKE_BATCH="+strconv.Itoa(batch))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		progress := make(chan int, 100)
		go func() {
			defer close(progress)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				var done, total int
				if _, err := fmt.Sscanf(sc.Text(), "progress %d %d", &done, &total); err == nil {
					progress <- done
				}
			}
		}()
		// One run in five is killed at a random moment from the start
		// (opening the database, logging in); the rest after a random
		// number of committed batches plus a random delay.
		var where string
		if rng.IntN(5) == 0 {
			delay := time.Duration(rng.IntN(150_000)) * time.Microsecond
			time.Sleep(delay)
			where = fmt.Sprintf("%v after start", delay)
		} else {
			want := rng.IntN(len(ns)/batch) * batch
			delay := time.Duration(rng.IntN(10_000)) * time.Microsecond
			for p := range progress {
				if p >= want {
					break
				}
			}
			time.Sleep(delay)
			where = fmt.Sprintf("%v after %d stored", delay, want)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		go func() {
			for range progress {
			}
		}()
		err = cmd.Wait()
		killed := false
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				killed = true
			} else {
				t.Fatalf("run %d: helper failed: %v\n%s", run, err, stderr.String())
			}
		}
		if killed {
			killedMid++
		}

		db, err := data.Open(dbPath)
		if err != nil {
			t.Fatalf("run %d: the killed process left a database that does not open: %v", run, err)
		}
		if _, _, err := app.AllowSenderDomain(t.Context(), db, corpusSender); err != nil {
			t.Fatal(err)
		}
		before := len(allCases(t, db))
		sum, err := intake.New(d.account(""), intake.Options{Store: db}).SyncOnce(t.Context())
		if err != nil {
			t.Fatalf("run %d: finishing the sync: %v", run, err)
		}
		t.Logf("run %2d: killed=%v %s: %3d cases before, %3d new after", run, killed, where, before, sum.New)
		if before+sum.New != len(ns) {
			t.Errorf("run %d: %d + %d cases, want %d", run, before, sum.New, len(ns))
		}
		exactlyOnce(t, db, refsOf(ns))
		db.Close()
	}
	t.Logf("%d of %d runs killed before the catch-up finished", killedMid, runs)
	if killedMid < runs/2 {
		t.Errorf("only %d of %d runs were killed mid-catch-up", killedMid, runs)
	}
}

// TestHelperIntakeProcess is the child of TestDovecotKilled: a SyncOnce
// that reports each committed batch on stdout.
func TestHelperIntakeProcess(t *testing.T) {
	if os.Getenv("INTAKE_HELPER") != "1" {
		t.Skip("the child process of TestDovecotKilled")
	}
	pem, err := os.ReadFile(os.Getenv("INTAKE_CA"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	port, _ := strconv.Atoi(os.Getenv("INTAKE_PORT"))
	batch, _ := strconv.Atoi(os.Getenv("INTAKE_BATCH"))
	db, err := data.Open(os.Getenv("INTAKE_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := app.AllowSenderDomain(context.Background(), db, corpusSender); err != nil {
		t.Fatal(err)
	}
	acc := app.IMAPAccount{Host: "127.0.0.1", Port: port, Security: app.IMAPSecurityTLS,
		Username: os.Getenv("INTAKE_USER"), Password: os.Getenv("INTAKE_PASS"),
		TLSConfig: &tls.Config{RootCAs: roots}}
	in := intake.New(acc, intake.Options{Store: db, BatchSize: batch, OnProgress: func(p intake.Progress) {
		fmt.Printf("progress %d %d\n", p.Done, p.Total)
	}})
	sum, err := in.SyncOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("done %d\n", sum.New)
}
