package data_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/export"
	"arendestod/app/files"
	"arendestod/data"
)

// Benchmarks of issue 6 (BENCHMARKS.md, "Recept log and statistics"):
//
//	go test ./data -run XXX -bench 'StatsYear|ReceptExport' -benchtime 20x
//
// Targets: statistics for one year at 100,000 cases ≤ 200 ms; export of
// 10,000 log rows to .xlsx ≤ 1 s.

// stBenchFmt is the store's time format (fixed-width UTC).
const stBenchFmt = "2006-01-02T15:04:05.000Z"

// Made-up units and nurses of the benchmarks.
var (
	stBenchUnits  = []string{"BUP Testköping", "BUP Provstad", "BUP Exempelby", "BUP Annanstad", "BUP Östby", "BUP Västerprov", "BUP Norrtest"}
	rcBenchNurses = []string{"SE1111111111-BENCH1", "SE1111111111-BENCH2", "SE1111111111-BENCH3"}
)

// stBenchYear fills db with n cases received through 2026 (about 270 a
// day, every day of the week, office hours heavier), every type, seven
// units; nine in ten with first feedback 0–5 days after, four in five of
// those closed. Straight SQL in one transaction: 100,000 CreateCase calls
// would take minutes.
func stBenchYear(b *testing.B, db *data.DB, n int) {
	b.Helper()
	raw := rawDB(b, db.Path())
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO cases (type, unit, received_at, due_date, status, first_feedback_at, closed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	cal := db.Calendar()
	types := app.CaseTypes()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, app.Stockholm)
	span := time.Date(2027, 1, 1, 0, 0, 0, 0, app.Stockholm).Sub(start)
	for i := 0; i < n; i++ {
		recv := start.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		if h := recv.Hour(); h < 7 || h > 18 {
			recv = recv.Add(10 * time.Hour) // most arrive in the day
		}
		if recv.Year() > 2026 {
			recv = recv.Add(-24 * time.Hour)
		}
		status, ff, closed := "ny", any(nil), any(nil)
		if i%10 != 0 {
			fb := recv.Add(time.Duration(i%6) * 24 * time.Hour).Add(time.Duration(i%5) * time.Hour)
			ff, status = fb.UTC().Format(stBenchFmt), "pagaende"
			if i%5 != 0 {
				closed, status = ff, "avslutad"
			}
		}
		r := recv.UTC().Format(stBenchFmt)
		if _, err := stmt.Exec(types[i%len(types)].Key, stBenchUnits[i%len(stBenchUnits)], r, cal.DueDate(recv).String(),
			status, ff, closed, r, r); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkStatsYear100k(b *testing.B) {
	db := MustOpenDB(b)
	start := time.Now()
	stBenchYear(b, db, 100_000)
	b.Logf("seeded 100,000 cases in %v", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	q := app.StatsQuery{From: app.D(2026, 1, 1), To: app.D(2026, 12, 31), Today: app.D(2026, 12, 31)}
	cases, err := db.StatsCases(ctx, q.From, q.To)
	if err != nil || len(cases) != 100_000 {
		b.Fatalf("%d cases, %v", len(cases), err)
	}
	b.ResetTimer()
	b.Run("load+compute", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, err := app.LoadStats(ctx, db, q)
			if err != nil {
				b.Fatal(err)
			}
			if s.Total.Incoming != 100_000 || len(s.ByWeek) != 53 {
				b.Fatalf("total %d, %d weeks", s.Total.Incoming, len(s.ByWeek))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
	b.Run("load", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := db.StatsCases(ctx, q.From, q.To); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
	b.Run("compute", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			app.ComputeStats(cases, db.Calendar(), q)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
	b.Run("xlsx", func(b *testing.B) {
		s := app.ComputeStats(cases, db.Calendar(), q)
		for i := 0; i < b.N; i++ {
			if err := export.WriteStatsXLSX(io.Discard, s); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
}

// rcBenchLog fills db with n log rows over 2026 for patients distinct test
// patients, in one transaction.
func rcBenchLog(b *testing.B, db *data.DB, n, patients int) {
	b.Helper()
	pnrs := make([]app.Personnummer, patients)
	for i := range pnrs {
		born := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/20)
		pnrs[i] = testPnr(b, born.Format("20060102"), 980+i%20)
	}
	raw := rawDB(b, db.Path())
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO recept_log (day, patient_pnr, patient_name, lakemedel, lakare, status, note, nurse,
		created_at, updated_at, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	statuses := app.ReceptStatuses()
	meds := []string{"Melatonin 3 mg", "Atomoxetin 40 mg", "Lisdexamfetamin 30 mg", "Guanfacin 1 mg", "Metylfenidat 36 mg"}
	docs := []string{"Dr Örjan Påhittad", "Dr Lena Låtsas", "Dr Ärling Övning"}
	for i := 0; i < n; i++ {
		day := app.D(2026, 1, 1).AddDays(i * 365 / n)
		name := fmt.Sprintf("Testpatient %d Åkesson", i%patients)
		note := ""
		if i%3 == 0 {
			note = "Vårdnadshavare ringde, önskar förnyelse på 90 dagar"
		}
		at := day.Time().Add(9 * time.Hour).UTC().Format(stBenchFmt)
		if _, err := stmt.Exec(day.String(), string(pnrs[i%patients]), name, meds[i%len(meds)], docs[i%len(docs)],
			string(statuses[i%len(statuses)]), note, rcBenchNurses[i%len(rcBenchNurses)], at, at,
			strings.ToLower(name+meds[i%len(meds)])); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkReceptExport10k(b *testing.B) {
	ctx := context.Background()
	for _, patients := range []int{2500, 10_000} {
		b.Run(fmt.Sprintf("patients=%d", patients), func(b *testing.B) {
			db := MustOpenDB(b)
			rcBenchLog(b, db, 10_000, patients)
			f := app.ReceptFilter{From: app.D(2026, 1, 1), To: app.D(2026, 12, 31)}
			var entries []app.ReceptEntry
			if err := db.ExportRecept(ctx, f, hsaMe, func(es []app.ReceptEntry) error { entries = es; return nil }); err != nil || len(entries) != 10_000 {
				b.Fatalf("%d entries, %v", len(entries), err)
			}
			out := filepath.Join(b.TempDir(), "recept.xlsx")
			b.Run("xlsx", func(b *testing.B) {
				var buf bytes.Buffer
				for i := 0; i < b.N; i++ {
					buf.Reset()
					if err := export.WriteReceptXLSX(&buf, entries, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
				b.ReportMetric(float64(buf.Len())/1e6, "MB")
			})
			// What the user waits for: read, access log, .xlsx, file.
			b.Run("db+audit+xlsx+file", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					err := db.ExportRecept(ctx, f, hsaMe, func(es []app.ReceptEntry) error {
						return files.WriteFileAtomic(out, func(w io.Writer) error { return export.WriteReceptXLSX(w, es, nil) })
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			})
		})
	}
}
