package data

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"time"

	"arendestod/app"
)

var _ app.StatsSource = (*DB)(nil)

// statsQuery reads what statistics need of each case received in a range,
// through the covering index cases_stats, as ONE text column per row:
//
//	received_at US due_date US first_feedback_at-or-"" US 0|1 US type US unit
//
// (US is the unit separator, char 31). A year of a busy clinic is 100,000
// rows, and the driver's cost is per column: one column instead of six
// halves the time. The unit comes last, so that whatever it holds cannot
// upset the fixed fields before it.
const statsQuery = `SELECT received_at || char(31) || due_date || char(31) || COALESCE(first_feedback_at, '') || char(31) ||
	(closed_at IS NOT NULL) || char(31) || type || char(31) || unit
	FROM cases WHERE received_at >= ? AND received_at < ? ORDER BY received_at`

// statsBatch is how many cases a reader hands over at a time.
const statsBatch = 2048

// statsParallelDays is the shortest period that is read in parallel.
const statsParallelDays = 60

// EachStatsCase calls fn with the statistics view of every case received
// from from to to (Stockholm dates, inclusive). It turns the stored UTC
// times into Stockholm dates without the general time parser.
//
// A long period is read in parallel: split by received time into as many
// parts as there are processors (at most the read pool's four
// connections), each read on its own connection, the cases handed to fn in
// batches on the calling goroutine, each batch in received order. Each
// part is its own snapshot of the database: a case written while the
// parts are read may show its state from a few milliseconds apart, and is
// counted once all the same (a case lies in exactly one part).
func (db *DB) EachStatsCase(ctx context.Context, from, to app.Date, fn func(*app.StatsCase)) error {
	lo, hi := from.Time(), to.AddDays(1).Time()
	parts := min(runtime.GOMAXPROCS(0), 4)
	if from.DaysUntil(to) < statsParallelDays || parts < 2 {
		return db.readStats(ctx, lo, hi, func(cs []app.StatsCase) error {
			for i := range cs {
				fn(&cs[i])
			}
			return nil
		})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []app.StatsCase, 2*parts)
	errs := make(chan error, parts)
	step := hi.Sub(lo) / time.Duration(parts)
	for i := 0; i < parts; i++ {
		a, b := lo.Add(time.Duration(i)*step), lo.Add(time.Duration(i+1)*step)
		if i == parts-1 {
			b = hi
		}
		go func() {
			errs <- db.readStats(ctx, a, b, func(cs []app.StatsCase) error {
				select {
				case batches <- cs:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
	}
	var firstErr error
	for done := 0; done < parts; {
		select {
		case cs := <-batches:
			for i := range cs {
				fn(&cs[i])
			}
		case err := <-errs:
			done++
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
		}
	}
	if firstErr != nil {
		return firstErr
	}
	// Batches sent before the last reader finished.
	for {
		select {
		case cs := <-batches:
			for i := range cs {
				fn(&cs[i])
			}
		default:
			return nil
		}
	}
}

// readStats reads the cases received in [lo, hi) and hands them to give
// in batches of statsBatch, in received order. A batch belongs to give.
func (db *DB) readStats(ctx context.Context, lo, hi time.Time, give func([]app.StatsCase) error) error {
	rows, err := db.ro.QueryContext(ctx, db.d.statsQuery(), fmtTime(lo), fmtTime(hi))
	if err != nil {
		return err
	}
	defer rows.Close()
	var line sql.RawBytes
	// Types and units repeat: keep one string of each.
	interned := map[string]string{}
	intern := func(b []byte) string {
		if s, ok := interned[string(b)]; ok {
			return s
		}
		s := string(b)
		interned[s] = s
		return s
	}
	var f [6][]byte
	batch := make([]app.StatsCase, 0, statsBatch)
	for rows.Next() {
		if err := rows.Scan(&line); err != nil {
			return err
		}
		rest := []byte(line)
		for i := 0; i < 5; i++ {
			j := bytes.IndexByte(rest, 0x1f)
			if j < 0 {
				return fmt.Errorf("statistics row %q: too few fields", line)
			}
			f[i], rest = rest[:j], rest[j+1:]
		}
		f[5] = rest
		var c app.StatsCase
		if c.Received, err = stockholmDate(f[0]); err != nil {
			return err
		}
		if c.Due, err = parseDay(f[1]); err != nil {
			return err
		}
		if len(f[2]) > 0 {
			if c.Feedback, err = stockholmDate(f[2]); err != nil {
				return err
			}
		}
		c.Closed = len(f[3]) == 1 && f[3][0] == '1'
		c.Type, c.Unit = intern(f[4]), intern(f[5])
		batch = append(batch, c)
		if len(batch) == statsBatch {
			if err := give(batch); err != nil {
				return err
			}
			batch = make([]app.StatsCase, 0, statsBatch)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return give(batch)
	}
	return nil
}

// StatsCases returns the statistics view of every case received from from
// to to (Stockholm dates, inclusive), in received order.
func (db *DB) StatsCases(ctx context.Context, from, to app.Date) ([]app.StatsCase, error) {
	var out []app.StatsCase
	err := db.EachStatsCase(ctx, from, to, func(c *app.StatsCase) { out = append(out, *c) })
	return out, err
}

// stockholmDate returns the Stockholm date of a stored time
// ("2026-12-01T09:00:00.000Z", UTC), falling back to parseTime for any
// other form.
func stockholmDate(b []byte) (app.Date, error) {
	if len(b) == len(timeLayout) && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[len(b)-1] == 'Z' {
		y, ok1 := digits(b[0:4])
		mo, ok2 := digits(b[5:7])
		d, ok3 := digits(b[8:10])
		h, ok4 := digits(b[11:13])
		mi, ok5 := digits(b[14:16])
		if ok1 && ok2 && ok3 && ok4 && ok5 {
			// Stockholm's offsets are whole hours; the minute keeps this
			// exact for any zone all the same.
			return app.DateOf(time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC)), nil
		}
	}
	t, err := parseTime(string(b))
	if err != nil {
		return app.Date{}, fmt.Errorf("stored time %q: %w", b, err)
	}
	return app.DateOf(t), nil
}

// parseDay reads a stored YYYY-MM-DD date.
func parseDay(b []byte) (app.Date, error) {
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y, ok1 := digits(b[0:4])
		mo, ok2 := digits(b[5:7])
		d, ok3 := digits(b[8:10])
		if ok1 && ok2 && ok3 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			return app.D(y, time.Month(mo), d), nil
		}
	}
	d, err := app.ParseDate(string(b))
	if err != nil {
		return app.Date{}, fmt.Errorf("stored date %q: %w", b, err)
	}
	return d, nil
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
