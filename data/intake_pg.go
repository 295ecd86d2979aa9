package data

// Intake on a server. Every statement is a round trip over the network,
// and a notice took six (ledger lookup, reference lookup, case, search
// row, received event, ledger row). Here a batch looks up its ledger keys
// and references in one query each, and the rows of a new case that
// nothing in the batch reads back (search row, event, ledger row) are held
// back and written in one multi-row INSERT per table: a new notice costs
// one statement of its own, the case's INSERT … RETURNING id. What is
// written, and in which order per table, is exactly what ingest writes.

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"arendestod/app"
)

// ingestServer is the loop of ingestBatch on a server, inside tx.
func (db *DB) ingestServer(ctx context.Context, tx *txn, items []app.Inbound, lk intakeLookups) ([]app.IngestResult, error) {
	known, refs, err := prefetchIngest(ctx, tx, items)
	if err != nil {
		return nil, err
	}
	b := &rowBatcher{tx: tx, rows: map[string][][]any{}}
	results := make([]app.IngestResult, 0, len(items))
	for _, in := range items {
		if err := in.Validate(); err != nil {
			return nil, err
		}
		if id, ok := known[in.Key]; ok {
			results = append(results, app.IngestResult{Key: in.Key, Outcome: app.OutcomeDuplicate, CaseID: id})
			continue
		}
		var q querier = b
		var existing *app.Case
		ref := in.MatchReference()
		if id, ok := refs[ref]; ok && ref != "" {
			// An update reads the case and rewrites its search row: write
			// what is held back first, and the update at once.
			if err := b.flush(ctx); err != nil {
				return nil, err
			}
			if existing, err = getCase(ctx, tx, id, db.d.forUpdate()); err != nil {
				return nil, err
			}
			q = tx
		}
		lk.resolve(&in)
		r, err := db.storeIngest(ctx, q, in, existing)
		if err != nil {
			return nil, err
		}
		known[in.Key] = r.CaseID
		if r.Outcome == app.OutcomeNew && ref != "" {
			refs[ref] = r.CaseID
		}
		results = append(results, r)
	}
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return results, nil
}

// prefetchIngest returns which of the items' keys the ledger has (with
// their case ids, 0 for none) and the ids of the cases with their
// references.
func prefetchIngest(ctx context.Context, tx *txn, items []app.Inbound) (known map[string]int64, refs map[string]int64, err error) {
	keys := make([]string, 0, len(items))
	var rs []string
	for _, in := range items {
		keys = append(keys, in.Key)
		if r := in.MatchReference(); r != "" {
			rs = append(rs, r)
		}
	}
	known, refs = map[string]int64{}, map[string]int64{}
	scan := func(q string, args []string, into map[string]int64) error {
		if len(args) == 0 {
			return nil
		}
		rows, err := tx.QueryContext(ctx, q, args)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var id sql.NullInt64
			if err := rows.Scan(&k, &id); err != nil {
				return err
			}
			into[k] = id.Int64
		}
		return rows.Err()
	}
	if err := scan(`SELECT msg_key, case_id FROM ledger WHERE msg_key = ANY(?)`, keys, known); err != nil {
		return nil, nil, err
	}
	if err := scan(`SELECT reference, id FROM cases WHERE reference = ANY(?)`, rs, refs); err != nil {
		return nil, nil, err
	}
	return known, refs, nil
}

// heldBack are the single-row INSERTs a rowBatcher holds back. Each ends
// in its VALUES tuple.
var heldBack = map[string]bool{stmtInsertSearch: true, stmtInsertEvent: true, stmtLedgerInsert: true}

// maxBatchedRows bounds one multi-row INSERT (PostgreSQL takes at most
// 65,535 parameters).
const maxBatchedRows = 1000

// rowBatcher is a querier over a transaction that holds back the rows of
// the heldBack statements and writes them at flush, one multi-row INSERT
// per statement, in the order they came. Every other statement runs at
// once.
type rowBatcher struct {
	tx    *txn
	rows  map[string][][]any
	order []string
}

func (b *rowBatcher) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if !heldBack[q] {
		return b.tx.ExecContext(ctx, q, args...)
	}
	if _, ok := b.rows[q]; !ok {
		b.order = append(b.order, q)
	}
	b.rows[q] = append(b.rows[q], args)
	return heldResult{}, nil
}

// changed notes a change in the batch's transaction: a case made through
// the batcher reaches the other desks like any other.
func (b *rowBatcher) changed(c app.Change) { b.tx.changed(c) }

func (b *rowBatcher) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return b.tx.QueryContext(ctx, q, args...)
}

func (b *rowBatcher) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return b.tx.QueryRowContext(ctx, q, args...)
}

// flush writes the rows held back.
func (b *rowBatcher) flush(ctx context.Context) error {
	for _, q := range b.order {
		rows := b.rows[q]
		i := strings.LastIndex(q, " VALUES (")
		if i < 0 || !strings.HasSuffix(q, ")") {
			return errors.New("rowBatcher: no VALUES tuple at the end of " + q)
		}
		head, tuple := q[:i+len(" VALUES ")], q[i+len(" VALUES "):]
		for len(rows) > 0 {
			n := min(len(rows), maxBatchedRows)
			var sb strings.Builder
			sb.WriteString(head)
			var args []any
			for j, r := range rows[:n] {
				if j > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(tuple)
				args = append(args, r...)
			}
			if _, err := b.tx.ExecContext(ctx, sb.String(), args...); err != nil {
				return wrapDBError(err)
			}
			rows = rows[n:]
		}
	}
	clear(b.rows)
	b.order = b.order[:0]
	return nil
}

// heldResult is the result of a held-back row: one row, no id.
type heldResult struct{}

func (heldResult) LastInsertId() (int64, error) {
	return 0, errors.New("rowBatcher: no id for a held-back row")
}
func (heldResult) RowsAffected() (int64, error) { return 1, nil }
