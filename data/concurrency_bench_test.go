package data_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// BenchmarkConcurrentActionsPG: 20 desks, each with its own store (20
// data.Open) on one PostgreSQL database, act on 100 cases at once (issue
// 11: no error other than the refused-conflict message, p99 of an action
// ≤ 50 ms). Each desk reads a random case as its window shows it, picks
// one of the actions of TestNoLostUpdate that is legal for what it read,
// and applies it with
// UpdateCaseIf on the version it read, as the window does. Allowed
// outcomes: applied; refused by app as illegal for the fresh state (the
// window's buttons follow its view, so the fresh state may forbid it); or
// refused as stale, the Swedish "Ärendet ändrades av …" (app.IsStale).
// Anything else fails. An action's time is UpdateCaseIf's, from call to
// return, refusals included. One op is 20 × 50 actions.
//
//	LANG=C.UTF-8 go test ./data -run '^$' -bench ConcurrentActionsPG -benchtime 3x
//
// Two loads: "busy", every desk acting again the moment its last action
// returns (hundreds of actions a second: a stress, far beyond a clinic),
// and "10-per-second", every desk starting an action every 100 ms (still
// some hundred times what a person does at a desk).
func BenchmarkConcurrentActionsPG(b *testing.B) {
	b.Run("busy", func(b *testing.B) { benchConcurrentActions(b, 0) })
	b.Run("10-per-second", func(b *testing.B) { benchConcurrentActions(b, 100*time.Millisecond) })
}

// benchConcurrentActions: each desk starts an action every pace (0: at
// once after the last).
func benchConcurrentActions(b *testing.B, pace time.Duration) {
	const clients, perClient, cases = 20, 50, 100
	pgtest.Need(b)
	ctx := context.Background()
	loc := pgtest.DB(b)
	first := mustOpenAt(b, loc)
	ids := make([]int64, cases)
	for i := range ids {
		c := mustCreate(b, first, newCase(first, app.TypeEgenremiss, sthlm(2026, 11, 30, 9, i%60)))
		if i%2 == 0 {
			// Half with a patient: their changes also append to the
			// access log, whose chain makes those writes take turns.
			pnr := testPnr(b, "20120315", 980+i%20)
			if _, err := first.UpdateCase(ctx, c.ID, hsaMe, func(c *app.Case) ([]app.Event, error) {
				return c.SetPatient(string(pnr), "Test Testsson", hsaMe, testNow)
			}); err != nil {
				b.Fatal(err)
			}
		}
		ids[i] = c.ID
	}
	desks := []*data.DB{first}
	for len(desks) < clients {
		desks = append(desks, mustOpenAt(b, loc))
	}
	staff := []string{hsaMe, hsaOther, hsaThird}
	var lat []time.Duration
	var applied, illegal, stale int
	b.ResetTimer()
	for op := 0; op < b.N; op++ {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for w, db := range desks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(op), uint64(w)))
				actor := fmt.Sprintf("SE1111111111-DESK%04d", w)
				var mine []time.Duration
				var ok, refused, old int
				next := time.Now().Add(time.Duration(rng.Int64N(int64(pace) + 1)))
				for a := 0; a < perClient; a++ {
					if pace > 0 {
						time.Sleep(time.Until(next))
						next = next.Add(pace)
					}
					id := ids[rng.IntN(len(ids))]
					view, err := db.Case(ctx, id)
					if err != nil {
						b.Errorf("desk %d: read case %d: %v", w, id, err)
						return
					}
					// A legal action for the case as the desk shows it.
					pick, who := rng.IntN(7), staff[rng.IntN(len(staff))]
					for try := 0; try < 20; try++ {
						if _, err := act(view.Clone(), pick, who, actor, w, a); err == nil {
							break
						}
						pick = rng.IntN(7)
					}
					var refusal error
					start := time.Now()
					_, err = db.UpdateCaseIf(ctx, id, actor, view.Version, func(c *app.Case) ([]app.Event, error) {
						evs, err := act(c, pick, who, actor, w, a)
						refusal = err
						return evs, err
					})
					mine = append(mine, time.Since(start))
					switch {
					case err == nil:
						ok++
					case refusal != nil && errors.Is(err, refusal):
						refused++
					case app.IsStale(err):
						old++
					default:
						b.Errorf("desk %d action %d on case %d: %v", w, a, id, err)
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				applied, illegal, stale = applied+ok, illegal+refused, stale+old
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	if len(lat) == 0 {
		b.Fatal("no actions")
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "actions/s")
	b.Logf("%d actions: %d applied, %d refused as illegal for the fresh state, %d refused as stale (\"Ärendet ändrades av …\")",
		len(lat), applied, illegal, stale)
	if applied == 0 {
		b.Error("no action was applied: the benchmark measured only refusals")
	}
}

// act is action pick of TestNoLostUpdate's mix on c by actor (desk w's
// action a).
func act(c *app.Case, pick int, who, actor string, w, a int) ([]app.Event, error) {
	now := time.Now()
	switch pick {
	case 0:
		return c.Assign(who, actor, now)
	case 1:
		return c.Delsvar(actor, now)
	case 2:
		return c.Motfraga(actor, now)
	case 3:
		return c.CitizenReplied(actor, now)
	case 4:
		return c.Close(actor, now)
	case 5:
		return c.Reopen(actor, now)
	}
	return c.AddNote(fmt.Sprintf("skrivbord %d åtgärd %d", w, a), actor, now)
}
