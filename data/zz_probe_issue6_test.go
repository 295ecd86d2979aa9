package data_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

func probeDB(b *testing.B) *data.DB {
	path := "/tmp/issue6probe/p.db"
	_, err := os.Stat(path)
	os.MkdirAll(filepath.Dir(path), 0o700)
	db, e := data.Open(path)
	if e != nil {
		b.Fatal(e)
	}
	b.Cleanup(func() { db.Close() })
	if err != nil {
		stBenchYear(b, db, 100_000)
	}
	return db
}

func BenchmarkProbeCurrent(b *testing.B) {
	db := probeDB(b)
	b.ResetTimer()
	c0 := cpuNow()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		db.StatsCases(context.Background(), app.D(2026, 1, 1), app.D(2026, 12, 31))
	}
}

func BenchmarkProbeConcat(b *testing.B) {
	db := probeDB(b)
	raw, _ := sql.Open("sqlite", "file:"+db.Path()+"?_pragma=query_only(1)")
	defer raw.Close()
	b.ResetTimer()
	c0 := cpuNow()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		rows, err := raw.Query(`SELECT received_at || char(31) || due_date || char(31) || COALESCE(first_feedback_at, '') || char(31) || (closed_at IS NOT NULL) || char(31) || type || char(31) || unit FROM cases WHERE received_at >= ? AND received_at < ?`, "2026", "2027")
		if err != nil {
			b.Fatal(err)
		}
		var s sql.RawBytes
		n := 0
		for rows.Next() {
			rows.Scan(&s)
			n++
		}
		rows.Close()
		if n != 100000 {
			b.Fatal(n)
		}
	}
}

func BenchmarkProbeSQLOnly(b *testing.B) {
	db := probeDB(b)
	raw, _ := sql.Open("sqlite", "file:"+db.Path()+"?_pragma=query_only(1)")
	defer raw.Close()
	b.ResetTimer()
	c0 := cpuNow()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		var n int
		raw.QueryRow(`SELECT COUNT(*) FROM cases WHERE received_at >= ? AND received_at < ? AND length(type) + length(unit) + length(due_date) + length(first_feedback_at) > 0`, "2026", "2027").Scan(&n)
	}
	_ = time.Now
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuNow()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func BenchmarkProbeLoadStats(b *testing.B) {
	db := probeDB(b)
	q := app.StatsQuery{From: app.D(2026, 1, 1), To: app.D(2026, 12, 31), Today: app.D(2026, 12, 31)}
	b.ResetTimer()
	c0 := cpuNow()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		s, err := app.LoadStats(context.Background(), db, q)
		if err != nil || s.Total.Incoming != 100000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkProbeCompute(b *testing.B) {
	db := probeDB(b)
	q := app.StatsQuery{From: app.D(2026, 1, 1), To: app.D(2026, 12, 31), Today: app.D(2026, 12, 31)}
	cs, _ := db.StatsCases(context.Background(), q.From, q.To)
	b.ResetTimer()
	c0 := cpuNow()
	defer func() { reportCPU(b, c0) }()
	for i := 0; i < b.N; i++ {
		app.ComputeStats(cs, db.Calendar(), q)
	}
}
