//go:build unix

package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// BenchmarkCatchUpDovecot measures a catch-up of 10,000 notices from a
// local Dovecot over TLS into cases in a new database, end to end:
// connect, SEARCH, FETCH, parse, store (one transaction per batch), logout.
// Delivery is not measured. It runs on a new SQLite file (FULL sync) and on
// a new PostgreSQL database (data/pgtest, on the same machine; the intake
// takes the store's lease as every desk does), in one run. Beside msgs/s
// it reports the CPU per message of this process (the intake), of the
// test's Dovecot and of its PostgreSQL, which share the machine's cores.
//
//	go test -run '^$' -bench CatchUpDovecot -benchtime 3x ./app/intake
func BenchmarkCatchUpDovecot(b *testing.B) {
	const n = 10_000
	d := startDovecot(b)
	ns := genNotices(b, "BENCH", n)
	start := time.Now()
	deliver(b, d.account(""), "INBOX", raws(ns), 1)
	b.Logf("delivered %d notices in %v", n, time.Since(start).Round(time.Millisecond))
	// The first read of new mail is Dovecot's slowest (nothing cached);
	// log it apart from the measured runs.
	db, err := data.Open(filepath.Join(b.TempDir(), "cold.db"))
	if err == nil {
		_, _, err = app.AllowSenderDomain(context.Background(), db, corpusSender)
	}
	if err != nil {
		b.Fatal(err)
	}
	start = time.Now()
	if _, err := intake.New(d.account(""), intake.Options{Store: db}).SyncOnce(context.Background()); err != nil {
		b.Fatal(err)
	}
	el := time.Since(start)
	b.Logf("first catch-up after delivery (cold): %v, %.0f msgs/s", el.Round(time.Millisecond), n/el.Seconds())
	db.Close()
	backends := []struct {
		name     string
		location func(b *testing.B, i int) string
	}{
		{"sqlite", func(b *testing.B, i int) string { return filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)) }},
		{"postgres", func(b *testing.B, _ int) string { return pgtest.DB(b) }},
	}
	for _, be := range backends {
		for _, size := range []int{200, 500} {
			b.Run(fmt.Sprintf("%s/batch=%d", be.name, size), func(b *testing.B) {
				var dovecotCPU, pgCPUUsed time.Duration
				cpu0 := cpuTime()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					db, err := data.Open(be.location(b, i))
					if err == nil {
						_, _, err = app.AllowSenderDomain(context.Background(), db, corpusSender)
					}
					if err != nil {
						b.Fatal(err)
					}
					dovecot0, pg0 := d.cpuTime(), pgCPU(b, be.name)
					b.StartTimer()
					sum, err := intake.New(d.account(""), intake.Options{Store: db, BatchSize: size}).SyncOnce(context.Background())
					b.StopTimer()
					// The servers' CPU during the catch-up: PostgreSQL's
					// before the store's connections close, Dovecot's once
					// its imap process has ended (logout) and been reaped.
					pgCPUUsed += pgCPU(b, be.name) - pg0
					time.Sleep(100 * time.Millisecond)
					dovecotCPU += d.cpuTime() - dovecot0
					if err != nil || sum.New != n {
						b.Fatalf("%+v, %v", sum, err)
					}
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
				// This process's CPU per message (all goroutines, GC, and
				// the untimed database opening, which is small): a figure
				// that depends little on other jobs on the machine.
				// Dovecot's and PostgreSQL's CPU are not included.
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n*b.N), "cpu-µs/msg")
				// The servers' CPU during the catch-ups (every process of
				// the test's own Dovecot and PostgreSQL, ended ones
				// included): on 2 cores the three share, the sum bounds
				// msgs/s.
				b.ReportMetric(float64(dovecotCPU.Microseconds())/float64(n*b.N), "dovecot-cpu-µs/msg")
				if be.name == "postgres" {
					b.ReportMetric(float64(pgCPUUsed.Microseconds())/float64(n*b.N), "pg-cpu-µs/msg")
				}
			})
		}
	}
}

// cpuTime is the CPU time of every process of the Dovecot, ended ones
// included.
func (d *dovecot) cpuTime() time.Duration {
	return treeCPU(filepath.Join(d.dir, "run", "master.pid"))
}

// pgCPU is the CPU time of every process of the shared PostgreSQL test
// server, ended ones included; 0 for SQLite.
func pgCPU(b *testing.B, backend string) time.Duration {
	if backend != "postgres" {
		return 0
	}
	return treeCPU(filepath.Join(pgtest.Shared(b).DataDir, "postmaster.pid"))
}

// treeCPU is the user and system CPU time of the process in pidFile and
// its descendants, with the children each has waited for.
func treeCPU(pidFile string) time.Duration {
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(raw), "\n", 2)[0]))
	if err != nil {
		return 0
	}
	var ticks int64
	for _, p := range append([]int{pid}, descendants(pid)...) {
		st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: state is [0],
		// utime [11], stime [12], cutime [13], cstime [14].
		f := strings.Fields(string(st[bytes.LastIndexByte(st, ')')+1:]))
		for _, i := range []int{11, 12, 13, 14} {
			if i < len(f) {
				v, _ := strconv.ParseInt(f[i], 10, 64)
				ticks += v
			}
		}
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPushLatencyDovecot measures APPEND → case stored and OnCase
// called, with Watch in IDLE on a local Dovecot.
//
//	go test -run '^$' -bench PushLatencyDovecot -benchtime 20x ./app/intake
func BenchmarkPushLatencyDovecot(b *testing.B) {
	d := startDovecot(b)
	db := openDB(b)
	rec := newRecorder()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- intake.New(d.account(""), rec.options(db)).Watch(ctx) }()
	rec.waitState(b, app.IntakeWatching, 10*time.Second)
	ns := genNotices(b, "PUSHB", b.N)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		deliver(b, d.account(""), "INBOX", [][]byte{ns[i].Raw}, 1)
		rec.waitCases(b, 1, 10*time.Second)
		lat = append(lat, time.Since(start))
		b.StopTimer()
		time.Sleep(50 * time.Millisecond)
		b.StartTimer()
	}
	b.StopTimer()
	cancel()
	<-done
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-max")
}
