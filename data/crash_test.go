package data_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
)

// TestHelperCrashWriter is not a test: TestKilledWhileWriting runs the test
// binary again with it, as a process that writes until it is killed.
func TestHelperCrashWriter(t *testing.T) {
	path := os.Getenv("ARENDESTOD_CRASH_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	db, err := data.Open(path)
	if err != nil {
		os.Exit(3)
	}
	for i := 0; ; i++ {
		now := time.Now()
		c := app.NewCase(app.TypeFornyaRecept, now, db.Calendar())
		c.Reference = fmt.Sprintf("%s-%d", os.Getenv("ARENDESTOD_CRASH_RUN"), i)
		if err := db.CreateCase(ctx, c, "crash"); err != nil {
			os.Exit(4)
		}
		// A change with several parts: steps, status, events, and a
		// patient (so an audit row) in one transaction.
		_, err := db.UpdateCase(ctx, c.ID, "crash", func(c *app.Case) ([]app.Event, error) {
			ev, _ := c.SetPatient("20190312-9805", "Alva Test", "crash", now)
			for _, step := range []string{app.StepMelior, "receptlogg", "besvarat"} {
				e, err := c.SetStep(step, true, "crash", now)
				if err != nil {
					return nil, err
				}
				ev = append(ev, e...)
			}
			return ev, nil
		})
		if err != nil {
			os.Exit(5)
		}
		if i == 0 {
			// Tell the parent that writing has begun, so that its kill
			// lands among writes however slow the start was (-race, a
			// busy machine).
			fmt.Println("skriver")
		}
	}
}

// TestKilledWhileWriting kills a writing process with SIGKILL at random
// points, 20 times, and checks after each that the database is whole and
// holds no half-made case.
func TestKilledWhileWriting(t *testing.T) {
	sqliteOnly(t, "a writer killed with SIGKILL on a database file; the server survives its clients")
	if testing.Short() {
		t.Skip("slow")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	total := 0
	for run := 0; run < 20; run++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCrashWriter$")
		cmd.Env = append(os.Environ(), "ARENDESTOD_CRASH_DB="+path, fmt.Sprintf("ARENDESTOD_CRASH_RUN=r%d", run))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the writer has committed its first case (or died),
		// then kill it at a random point of the writes that follow.
		started := make(chan struct{})
		go func() {
			buf := make([]byte, 64)
			n, _ := out.Read(buf)
			if n > 0 {
				close(started)
			}
			io.Copy(io.Discard, out)
		}()
		select {
		case <-started:
		case <-time.After(60 * time.Second):
		}
		time.Sleep(time.Duration(rand.IntN(250)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		db, err := data.Open(path)
		if err != nil {
			t.Fatalf("run %d: reopen: %v", run, err)
		}
		if s, err := db.IntegrityCheck(ctx); err != nil || s != "ok" {
			t.Fatalf("run %d: integrity_check = %q, %v", run, s, err)
		}
		cases, _, err := db.Cases(ctx, app.CaseFilter{View: app.ViewAll})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			full, err := db.Case(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			evs, _ := db.Events(ctx, c.ID)
			if len(evs) == 0 || evs[0].Kind != app.EventReceived {
				t.Fatalf("run %d: case %s has no received event", run, c.Reference)
			}
			// Either the whole update is there or none of it.
			switch {
			case len(full.Steps) == 0:
				if len(evs) != 1 || full.HasPatientData() || full.Status != app.StatusNy {
					t.Fatalf("run %d: case %s half-updated: %d events, status %s", run, c.Reference, len(evs), full.Status)
				}
			case len(full.Steps) == 3:
				if full.Status != app.StatusAvslutad || full.ClosedAt == nil || !full.HasPatientData() || len(evs) < 5 {
					t.Fatalf("run %d: case %s inconsistent after update", run, c.Reference)
				}
			default:
				t.Fatalf("run %d: case %s has %d of 3 steps", run, c.Reference, len(full.Steps))
			}
		}
		if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
			t.Fatalf("run %d: audit chain broken at %d: %v", run, id, err)
		}
		total = len(cases)
		db.Close()
	}
	// The writer must have got somewhere, or nothing was tested.
	if total < 20 {
		t.Fatalf("only %d cases written in 20 runs", total)
	}
	t.Logf("%d cases written across 20 killed runs", total)
}
