package data

// Pipelined statements on PostgreSQL. Every statement is a round trip to
// the server, and a statement run while the access log's lock is held
// keeps every other desk that appends to the log waiting: sending the
// statements that need no answer in between in one round trip (a pgx
// batch: the server still runs them one after the other, each with its
// own snapshot) shortens the wait.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"arendestod/app"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pipeline runs fn on the connection of t (PostgreSQL), inside t. It
// reports false, without running fn, when t has no such connection.
func (t *txn) pipeline(fn func(c *pgx.Conn) error) (bool, error) {
	if t.conn == nil {
		return false, nil
	}
	err := t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: driver connection %T", dc)
		}
		return fn(c.Conn())
	})
	return true, err
}

// lockAuditHead takes the access log's lock (dialect.lockAudit) and then
// reads its head (auditHead) in tx. On PostgreSQL the held statements
// and the changes noted so far (sendChanges) go out first, and all of it
// in one round trip.
func (db *DB) lockAuditHead(ctx context.Context, q querier) (last int64, prev string, err error) {
	if t, ok := q.(*txn); ok {
		if t.failed != nil {
			return 0, "", t.failed
		}
		notify := db.unsentChanges(t)
		done, err := t.pipeline(func(c *pgx.Conn) error {
			last, prev, err = pipelinedAuditHead(ctx, c, t, notify)
			return err
		})
		if done {
			return last, prev, err
		}
	}
	if err := db.d.lockAudit(ctx, q); err != nil {
		return 0, "", wrapDBError(err)
	}
	return auditHead(ctx, q)
}

// pipelinedAuditHead is lockAuditHead's round trip: NOTIFY for the
// payloads notify (none: no statement), the lock, then the head. The
// head's SELECT starts after the lock is granted, so its snapshot sees
// the row of the transaction that held the lock before.
func pipelinedAuditHead(ctx context.Context, c *pgx.Conn, t *txn, notify []string) (last int64, prev string, err error) {
	b := &pgx.Batch{}
	held := len(t.held)
	t.queueHeld(b)
	if len(notify) > 0 {
		b.Queue(rebind(stmtNotify), notify)
	}
	b.Queue(`SELECT pg_advisory_xact_lock($1)`, pgAuditLockKey)
	b.Queue(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`)
	b.Queue(`SELECT up_to, last_hash FROM audit_prune ORDER BY id DESC LIMIT 1`)
	br := c.SendBatch(ctx, b)
	defer br.Close()
	for range held {
		if _, err := br.Exec(); err != nil {
			return 0, "", t.fail(err)
		}
	}
	if len(notify) > 0 {
		if _, err := br.Exec(); err != nil {
			return 0, "", err
		}
	}
	if _, err := br.Exec(); err != nil {
		return 0, "", wrapDBError(err)
	}
	var pruneLast int64
	var prunePrev string
	headErr := br.QueryRow().Scan(&last, &prev)
	pruneErr := br.QueryRow().Scan(&pruneLast, &prunePrev)
	if err := br.Close(); err != nil {
		return 0, "", err
	}
	// As auditHead: the newest row, or else the newest prune's record.
	switch {
	case headErr == nil:
		return last, prev, nil
	case !errors.Is(headErr, pgx.ErrNoRows):
		return 0, "", headErr
	case pruneErr == nil:
		return pruneLast, prunePrev, nil
	case errors.Is(pruneErr, pgx.ErrNoRows):
		return 0, "", nil
	}
	return 0, "", pruneErr
}

// heldStmt is a statement a transaction sends later (txn.hold).
type heldStmt struct {
	query string // in PostgreSQL's placeholders
	args  []any
}

// beginConn begins a transaction on a connection of p (PostgreSQL).
func beginConn(ctx context.Context, p *pool) (*txn, error) {
	c, err := p.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.ExecContext(ctx, `BEGIN`); err != nil {
		discard(c)
		return nil, err
	}
	return &txn{run: c, d: p.d, conn: c}, nil
}

// discard closes c's connection instead of giving it back to the pool:
// it may be inside a transaction.
func discard(c *sql.Conn) {
	c.Raw(func(any) error { return driver.ErrBadConn })
	c.Close()
}

// hold makes t send query (in the store's placeholders) before its next
// statement, or with its COMMIT, in the same round trip. The statement's
// error, if any, is the transaction's (failed), and the transaction
// commits nothing. Without a connection of its own (SQLite) t runs the
// statement at once.
func (t *txn) hold(ctx context.Context, query string, args ...any) error {
	if t.conn == nil {
		_, err := t.ExecContext(ctx, query, args...)
		return err
	}
	t.held = append(t.held, heldStmt{rebind(query), args})
	return nil
}

// flush sends the held statements, in one round trip.
func (t *txn) flush(ctx context.Context) error {
	if t.failed != nil {
		return t.failed
	}
	if len(t.held) == 0 {
		return nil
	}
	_, err := t.pipeline(func(c *pgx.Conn) error {
		b := &pgx.Batch{}
		t.queueHeld(b)
		return c.SendBatch(ctx, b).Close()
	})
	return t.fail(err)
}

// queueHeld moves the held statements into b.
func (t *txn) queueHeld(b *pgx.Batch) {
	for _, h := range t.held {
		b.Queue(h.query, h.args...)
	}
	t.held = nil
}

// fail records err, a held statement's, as the transaction's.
func (t *txn) fail(err error) error {
	if err != nil && t.failed == nil {
		t.failed = wrapDBError(err)
	}
	return t.failed
}

// commitConn sends the held statements, NOTIFY for the payloads notify
// and COMMIT in one round trip, and gives the connection back. A COMMIT
// that the server answers with ROLLBACK (the transaction had failed) is
// an error, as database/sql's. When a statement before COMMIT fails, the
// transaction is still open for Rollback. (A connection given back
// inside a transaction is never used again: pgx's ResetSession.)
func (t *txn) commitConn(ctx context.Context, notify []string) error {
	if t.done {
		return sql.ErrTxDone
	}
	if t.failed != nil {
		return t.failed
	}
	_, err := t.pipeline(func(c *pgx.Conn) error {
		b := &pgx.Batch{}
		held := len(t.held)
		t.queueHeld(b)
		if len(notify) > 0 {
			b.Queue(rebind(stmtNotify), notify)
		}
		b.Queue(`COMMIT`)
		br := c.SendBatch(ctx, b)
		defer br.Close()
		for i := 0; i < b.Len()-1; i++ {
			if _, err := br.Exec(); err != nil {
				if i < held {
					return t.fail(err)
				}
				return err
			}
		}
		t.done = true
		tag, err := br.Exec()
		if err == nil && tag.String() != "COMMIT" {
			err = pgx.ErrTxCommitRollback
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if t.done {
		t.conn.Close()
	}
	return err
}

// rollbackConn rolls back and gives the connection back; a connection
// that could not roll back is closed instead.
func (t *txn) rollbackConn() error {
	if t.done {
		return sql.ErrTxDone
	}
	t.done = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := t.conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		discard(t.conn)
		return err
	}
	t.conn.Close()
	return nil
}

// execHeld runs query in q; in a transaction on PostgreSQL it is held
// (txn.hold) and goes out with the next statement. For statements whose
// result nobody reads.
func execHeld(ctx context.Context, q querier, query string, args ...any) error {
	if t, ok := q.(*txn); ok {
		return t.hold(ctx, query, args...)
	}
	_, err := q.ExecContext(ctx, query, args...)
	return err
}

// getCase is getCase in t (PostgreSQL): the held statements, the case's
// row (with lock), its steps and its latest events in one round trip.
// The steps and events are read after the row's lock is granted, each
// statement with its own snapshot, as when sent one by one.
func (t *txn) getCase(ctx context.Context, id int64, lock string) (c *app.Case, err error) {
	if t.failed != nil {
		return nil, t.failed
	}
	_, err = t.pipeline(func(pc *pgx.Conn) error {
		c, err = batchGetCase(ctx, pc, t, id, lock)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// caseServer is Case on PostgreSQL: getCase's three statements in one
// round trip on a connection of the read pool. (Sent one by one, outside
// a transaction, each had its own snapshot as each has here.)
func (db *DB) caseServer(ctx context.Context, id int64) (c *app.Case, err error) {
	conn, err := db.ro.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: driver connection %T", dc)
		}
		c, err = batchGetCase(ctx, sc.Conn(), nil, id, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// batchGetCase reads case id on pc in one round trip, after t's held
// statements (t nil: none).
func batchGetCase(ctx context.Context, pc *pgx.Conn, t *txn, id int64, lock string) (*app.Case, error) {
	b := &pgx.Batch{}
	held := 0
	if t != nil {
		held = len(t.held)
		t.queueHeld(b)
	}
	b.Queue(rebind(stmtCaseByID+lock), id)
	b.Queue(rebind(stmtCaseSteps), id)
	b.Queue(rebind(stmtCaseVersion), id)
	br := pc.SendBatch(ctx, b)
	defer br.Close()
	for range held {
		if _, err := br.Exec(); err != nil {
			return nil, t.fail(err)
		}
	}
	c, err := scanCase(br.QueryRow())
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, caseNotFound(id)
	} else if err != nil {
		return nil, err
	}
	if err := scanBatchRows(br, func(r pgx.Rows) error { return scanSteps(r, c) }); err != nil {
		return nil, err
	}
	if err := scanBatchRows(br, func(r pgx.Rows) error { return scanVersion(r, c) }); err != nil {
		return nil, err
	}
	return c, br.Close()
}

// scanBatchRows reads the next result of br with scan.
func scanBatchRows(br pgx.BatchResults, scan func(pgx.Rows) error) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := scan(rows); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

// insertEventsLast is insertEventsLast in t (PostgreSQL): the held
// statements and the INSERTs in one round trip.
func (t *txn) insertEventsLast(ctx context.Context, evs []app.Event) (last int64, err error) {
	if t.failed != nil {
		return 0, t.failed
	}
	if len(evs) == 0 {
		return 0, nil
	}
	_, err = t.pipeline(func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		held := len(t.held)
		t.queueHeld(b)
		for _, e := range evs {
			b.Queue(rebind(stmtInsertEventID), e.CaseID, string(e.Kind), e.Actor, fmtTime(e.At), e.Detail)
		}
		br := pc.SendBatch(ctx, b)
		defer br.Close()
		for range held {
			if _, err := br.Exec(); err != nil {
				return t.fail(err)
			}
		}
		for range evs {
			if err := br.QueryRow().Scan(&last); err != nil {
				return err
			}
		}
		return br.Close()
	})
	return last, err
}
