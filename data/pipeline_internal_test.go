package data

import (
	"context"
	"reflect"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data/pgtest"
)

// On PostgreSQL a transaction, and Case outside one, read a case in one
// round trip (txn.getCase, caseServer: a pgx batch) and holds its writes (txn.hold); the case read so must
// equal the one read statement by statement (the read pool's getCase),
// and a held write must be seen by the transaction's next statement.
func TestPipelinedGetCaseEqualsPlainPG(t *testing.T) {
	pgtest.Need(t)
	db, err := Open(pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, app.Stockholm)
	c := app.NewCase(app.TypeEgenremiss, at, db.Calendar())
	if err := db.CreateCase(ctx, c, "SE2321000016-AAAA"); err != nil {
		t.Fatal(err)
	}
	for _, fn := range []func(c *app.Case) ([]app.Event, error){
		func(c *app.Case) ([]app.Event, error) { return c.Assign("SE2321000016-BBBB", "SE2321000016-AAAA", at) },
		func(c *app.Case) ([]app.Event, error) { return c.AddNote("en anteckning", "SE2321000016-AAAA", at) },
		func(c *app.Case) ([]app.Event, error) { return c.Delsvar("SE2321000016-AAAA", at) },
	} {
		var inTx *app.Case
		err := db.inTx(ctx, func(tx *txn) error {
			if tx.conn == nil {
				t.Fatal("a PostgreSQL transaction without its connection")
			}
			got, err := getCaseToChange(ctx, tx, c.ID, db.d.forUpdate())
			if err != nil {
				return err
			}
			plain, err := getCase(ctx, db.ro, c.ID, "")
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, plain) {
				t.Errorf("pipelined read\n%+v\nplain read\n%+v", got, plain)
			}
			if outside, err := db.Case(ctx, c.ID); err != nil {
				return err
			} else if !reflect.DeepEqual(outside, plain) {
				t.Errorf("Case (one round trip)\n%+v\nplain read\n%+v", outside, plain)
			}
			before := got.Clone()
			evs, err := fn(got)
			if err != nil {
				return err
			}
			if err := db.storeChangeFrom(ctx, tx, before, got, evs); err != nil {
				return err
			}
			inTx, err = getCase(ctx, tx, c.ID, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		after, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(inTx, after) {
			t.Errorf("read in the transaction after its held writes\n%+v\ncommitted\n%+v", inTx, after)
		}
	}
}

// A held statement that fails fails the transaction with its own error,
// and nothing of the transaction is committed.
func TestHeldStatementFailsTransactionPG(t *testing.T) {
	pgtest.Need(t)
	db, err := Open(pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	err = db.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, "held-test", "1"); err != nil {
			return err
		}
		return tx.hold(ctx, `INSERT INTO no_such_table (x) VALUES (?)`, 1)
	})
	if err == nil {
		t.Fatal("a failing held statement committed")
	}
	var n int
	if err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE key = 'held-test'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows of a failed transaction committed", n)
	}
}
