//go:build unix

package intake_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/data"
	"arendestod/data/pgtest"

	_ "github.com/jackc/pgx/v5/stdlib" // the test's own superuser connection
)

// TestDovecotThreeDesks runs intake on three desks at once, on one real
// Dovecot mailbox and one PostgreSQL database, each desk with a store of
// its own: exactly one fetches, the others wait. The fetching desk, a
// child process (this test binary running TestHelperDeskProcess), is
// killed with SIGKILL in the middle of a 2,000-notice catch-up; one of the
// other two must take over within 30 seconds and bring in the rest: 2,000
// cases, none twice, none missing.
func TestDovecotThreeDesks(t *testing.T) {
	d := startDovecot(t)
	url := allowedPG(t)
	const n, batch = 2000, 20
	ns := genNotices(t, "DESK", n)
	deliver(t, d.account(""), "INBOX", raws(ns), 1)

	// Desk 1, the child, starts first and takes the lease.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDeskProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "INTAKE_DESK=1", "INTAKE_DB="+url,
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
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	var childDone atomic.Int64
	progress := make(chan int, 1000)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var done, total int
			if _, err := fmt.Sscanf(sc.Text(), "progress %d %d", &done, &total); err == nil {
				childDone.Store(int64(done))
				select {
				case progress <- done:
				default:
				}
			}
		}
		close(progress)
	}()
	select {
	case _, ok := <-progress:
		if !ok {
			t.Fatalf("the first desk ended before fetching:\n%s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the first desk stored nothing within 30 s:\n%s", stderr.String())
	}

	// Desks 2 and 3: stores and intakes of their own in this process.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type desk struct {
		db   *data.DB
		rec  *recorder
		done chan error
	}
	var desks []*desk
	for range 2 {
		db, err := data.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		k := &desk{db: db, rec: newRecorder(), done: make(chan error, 1)}
		opt := k.rec.options(db)
		opt.BatchSize = batch
		go func() { k.done <- intake.New(d.account(""), opt).Watch(ctx) }()
		desks = append(desks, k)
	}
	for i, k := range desks {
		k.rec.waitState(t, app.IntakeElsewhere, 10*time.Second)
		if slices.Contains(k.rec.statesSeen(), app.IntakeFetching) {
			t.Fatalf("desk %d fetched while the first desk held the lease", i+2)
		}
	}

	// Kill the first desk in the middle of its catch-up.
	for p := range progress {
		if p >= n/4 {
			break
		}
	}
	stored := int(childDone.Load())
	if stored >= n {
		t.Fatalf("the first desk finished the catch-up before it could be killed")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	killedAt := time.Now()
	err = cmd.Wait()
	killed = true
	if ee, ok := err.(*exec.ExitError); !ok || !ee.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("the first desk was not killed: %v\n%s", err, stderr.String())
	}
	t.Logf("first desk killed after %d of %d notices stored", stored, n)

	// One of the others takes over within 30 s, and only one.
	var taker int
	for taker = -1; taker < 0; {
		for i, k := range desks {
			if slices.Contains(k.rec.statesSeen(), app.IntakeFetching) {
				taker = i
			}
		}
		if time.Since(killedAt) > 30*time.Second {
			t.Fatalf("no desk took over within 30 s of the kill; states %v and %v", desks[0].rec.statesSeen(), desks[1].rec.statesSeen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	takeover := time.Since(killedAt)
	t.Logf("desk %d took over %v after the kill", taker+2, takeover.Round(time.Millisecond))
	if takeover > 30*time.Second {
		t.Errorf("takeover took %v, want at most 30 s", takeover)
	}
	desks[taker].rec.waitState(t, app.IntakeWatching, 30*time.Second)
	other := desks[1-taker]
	if slices.Contains(other.rec.statesSeen(), app.IntakeFetching) {
		t.Errorf("both desks fetched: states %v", other.rec.statesSeen())
	}
	cancel()
	for _, k := range desks {
		if err := <-k.done; err != nil {
			t.Errorf("Watch: %v", err)
		}
		if errs := k.rec.errors(); len(errs) > 0 {
			t.Errorf("errors reported: %v", errs)
		}
	}

	db := desks[0].db
	exactlyOnce(t, db, refsOf(ns))
	st, err := db.SyncState(context.Background(), d.account("").Key())
	if err != nil || st.LastUID != n {
		t.Errorf("sync state %+v, %v; want last UID %d", st, err, n)
	}
	if got := len(desks[taker].rec.cases); got+stored > n || got < n-stored-batch {
		t.Errorf("the taking-over desk made %d cases after %d stored by the first", got, stored)
	}
}

// TestHelperDeskProcess is the first desk of TestDovecotThreeDesks: Watch
// on a PostgreSQL store, reporting each committed batch on stdout. It
// pauses a little after each batch, as a desk on a slower line would, so
// that it is still catching up when it is killed.
func TestHelperDeskProcess(t *testing.T) {
	if os.Getenv("INTAKE_DESK") != "1" {
		t.Skip("the child process of TestDovecotThreeDesks")
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
	acc := app.IMAPAccount{Host: "127.0.0.1", Port: port, Security: app.IMAPSecurityTLS,
		Username: os.Getenv("INTAKE_USER"), Password: os.Getenv("INTAKE_PASS"),
		TLSConfig: &tls.Config{RootCAs: roots}}
	in := intake.New(acc, intake.Options{Store: db, BatchSize: batch,
		OnProgress: func(p intake.Progress) {
			fmt.Printf("progress %d %d\n", p.Done, p.Total)
			time.Sleep(10 * time.Millisecond)
		},
		OnState: func(s app.IntakeState, err error) {
			fmt.Printf("state %s %s\n", s, strings.ReplaceAll(fmt.Sprint(err), "\n", " "))
		},
	})
	if err := in.Watch(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestLeaseLostStopsFetching: when the database connection holding a
// desk's lease ends (here the server terminates it), that desk stops
// fetching and asks again, and a notice that arrives afterwards is taken
// in by one desk, once.
func TestLeaseLostStopsFetching(t *testing.T) {
	m := startMem(t, memOptions{})
	url := allowedPG(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var recs []*recorder
	var dbs []*data.DB
	var ins []*intake.Intake
	done := make(chan error, 2)
	for i := range 2 {
		db, err := data.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		rec := newRecorder()
		opt := rec.options(db)
		opt.LeaseRetry = 400 * time.Millisecond
		in := intake.New(m.acc, opt)
		go func() { done <- in.Watch(ctx) }()
		if i == 0 {
			rec.waitState(t, app.IntakeWatching, 10*time.Second)
		} else {
			rec.waitState(t, app.IntakeElsewhere, 10*time.Second)
		}
		recs, dbs, ins = append(recs, rec), append(dbs, db), append(ins, in)
	}
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'arendestod-intake' AND datname = current_database() AND state = 'idle'`).Scan(&n); err != nil || n < 1 {
		t.Fatalf("terminating the lease's session: %d, %v", n, err)
	}
	// The first desk notices at its next ping (every 3 s) and stops.
	recs[0].waitState(t, app.IntakeConnecting, 10*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for {
		watching := 0
		for _, r := range recs {
			if s := r.statesSeen(); s[len(s)-1] == app.IntakeWatching {
				watching++
			}
		}
		if watching == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no single desk watching after the lease was lost: %v / %v", recs[0].statesSeen(), recs[1].statesSeen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	ns := genNotices(t, "LOST", 3)
	time.Sleep(50 * time.Millisecond) // let IDLE reach the server (see TestWatchPush)
	deliver(t, m.acc, "INBOX", raws(ns), 1)
	deadline = time.Now().Add(10 * time.Second)
	for len(allCases(t, dbs[0])) < len(ns) && time.Now().Before(deadline) {
		// The in-memory server's IDLE misses mail that lands just
		// before it begins: ask both desks to catch up now.
		for _, in := range ins {
			in.SyncNow()
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	for range recs {
		<-done
	}
	exactlyOnce(t, dbs[0], refsOf(ns))
}

// allowedPG is a fresh PostgreSQL database that accepts the corpus
// sender's notices, as openDB's SQLite file does.
func allowedPG(t *testing.T) string {
	t.Helper()
	url := pgtest.DB(t)
	db, err := data.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := app.AllowSenderDomain(t.Context(), db, corpusSender); err != nil {
		t.Fatal(err)
	}
	return url
}
