package data

// Pipelined statements on PostgreSQL. Every statement is a round trip to
// the server, and a statement run while the access log's lock is held
// keeps every other desk that appends to the log waiting: sending the
// statements that need no answer in between in one round trip (a pgx
// batch: the server still runs them one after the other, each with its
// own snapshot) shortens the wait.

import (
	"context"
	"errors"
	"fmt"

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
// reads its head (auditHead) in tx. On PostgreSQL the changes noted so
// far go out first (sendChanges), and all of it in one round trip.
func (db *DB) lockAuditHead(ctx context.Context, q querier) (last int64, prev string, err error) {
	if t, ok := q.(*txn); ok {
		notify := db.unsentChanges(t)
		done, err := t.pipeline(func(c *pgx.Conn) error {
			last, prev, err = pipelinedAuditHead(ctx, c, notify)
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
func pipelinedAuditHead(ctx context.Context, c *pgx.Conn, notify []string) (last int64, prev string, err error) {
	b := &pgx.Batch{}
	if len(notify) > 0 {
		b.Queue(rebind(stmtNotify), notify)
	}
	b.Queue(`SELECT pg_advisory_xact_lock($1)`, pgAuditLockKey)
	b.Queue(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`)
	b.Queue(`SELECT up_to, last_hash FROM audit_prune ORDER BY id DESC LIMIT 1`)
	br := c.SendBatch(ctx, b)
	defer br.Close()
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
