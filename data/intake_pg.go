package data

// Intake on a server. Every statement is a round trip over the network,
// and a notice took six (ledger lookup, reference lookup, case, search
// row, received event, ledger row). Here a batch looks up its ledger keys
// and references in one query each, draws the ids of its new cases from
// the sequence in one more, and holds back every row of a new case (the
// case, steps, search row, events, ledger row) to write them in one
// multi-row INSERT per table, the cases first: a new notice costs no
// statement of its own. What is written, and in which order per table, is
// exactly what ingest writes (TestIngestBatchHeldCasesSameRows).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"arendestod/app"
)

// ingestServer is the loop of ingestBatch on a server, inside tx. With
// held, the batch's new cases are written held back as well: their ids
// are drawn from the cases' sequence first (newCaseIDs), so each new
// case costs no statement of its own.
func (db *DB) ingestServer(ctx context.Context, tx *txn, items []app.Inbound, lk intakeLookups, held bool) ([]app.IngestResult, error) {
	known, refs, err := prefetchIngest(ctx, tx, items)
	if err != nil {
		return nil, err
	}
	var plan []plannedIngest
	var ids []int64
	if held && ingestHeldCases {
		var n int
		plan, n = db.planIngest(items, known, refs, lk)
		if ids, err = newCaseIDs(ctx, tx, n); err != nil {
			return nil, err
		}
	}
	b := &rowBatcher{tx: tx, rows: map[string][][]any{}}
	results := make([]app.IngestResult, 0, len(items))
	for i, in := range items {
		if err := in.Validate(); err != nil {
			return nil, err
		}
		if id, ok := known[in.Key]; ok {
			results = append(results, app.IngestResult{Key: in.Key, Outcome: app.OutcomeDuplicate, CaseID: id})
			continue
		}
		var r app.IngestResult
		ref := in.MatchReference()
		if id, ok := refs[ref]; ok && ref != "" {
			// An update reads the case and rewrites its search row: write
			// what is held back first, and the update at once.
			if err := b.flush(ctx); err != nil {
				return nil, err
			}
			existing, err := getCase(ctx, tx, id, db.d.forUpdate())
			if err != nil {
				return nil, err
			}
			lk.resolve(&in)
			if r, err = db.storeIngest(ctx, tx, in, existing); err != nil {
				return nil, err
			}
		} else if plan != nil {
			p := plan[i]
			if !p.planned {
				return nil, errors.New("ingestServer: a message without a plan")
			}
			create := func(c *app.Case, evs []app.Event) error {
				if len(ids) == 0 {
					return errors.New("ingestServer: more new cases than planned")
				}
				id := ids[0]
				ids = ids[1:]
				return db.createCaseHeld(b, c, id, evs)
			}
			if r, err = db.storeDecision(ctx, b, p.in, p.d, p.now, create); err != nil {
				return nil, err
			}
		} else {
			lk.resolve(&in)
			if r, err = db.storeIngest(ctx, b, in, nil); err != nil {
				return nil, err
			}
		}
		known[in.Key] = r.CaseID
		if r.Outcome == app.OutcomeNew && ref != "" {
			refs[ref] = r.CaseID
		}
		results = append(results, r)
	}
	if len(ids) > 0 {
		return nil, errors.New("ingestServer: fewer new cases than planned")
	}
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return results, nil
}

// ingestHeldCases turns the held-back new cases on (tests compare both).
var ingestHeldCases = true

// plannedIngest is what a message that matches no case by its reference
// becomes, decided before anything of the batch is written.
type plannedIngest struct {
	planned bool
	in      app.Inbound // resolved (intakeLookups.resolve)
	d       app.IngestDecision
	now     time.Time
}

// planIngest decides, in the order ingestServer stores them, what the
// messages that are no duplicate and match no case by reference become
// (what app.DecideIngest makes of them depends on nothing stored), and
// counts the new cases. It stops at the first invalid message, where
// ingestServer stops. known and refs are left as they are.
func (db *DB) planIngest(items []app.Inbound, known, refs map[string]int64, lk intakeLookups) ([]plannedIngest, int) {
	plan := make([]plannedIngest, len(items))
	seen := make(map[string]bool, len(items))
	newRefs := map[string]bool{}
	n := 0
	for i, in := range items {
		if in.Validate() != nil {
			break
		}
		if _, ok := known[in.Key]; ok || seen[in.Key] {
			continue
		}
		seen[in.Key] = true
		ref := in.MatchReference()
		if _, ok := refs[ref]; ref != "" && (ok || newRefs[ref]) {
			continue // an update, decided on the stored case
		}
		lk.resolve(&in)
		now := db.Now()
		d := app.DecideIngest(in, nil, db.Calendar(), now)
		if d.Outcome == app.OutcomeNew {
			n++
			if ref != "" {
				newRefs[ref] = true
			}
		}
		plan[i] = plannedIngest{planned: true, in: in, d: d, now: now}
	}
	return plan, n
}

// newCaseIDs draws n ids from the cases' sequence, in ascending order:
// the ids INSERT … RETURNING id would have given n cases made one after
// the other.
func newCaseIDs(ctx context.Context, tx *txn, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, ?)`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("newCaseIDs: %d ids for %d cases", len(ids), n)
	}
	slices.Sort(ids)
	return ids, nil
}

// stmtInsertCaseID is stmtInsertCase with the id given, held back by a
// rowBatcher.
var stmtInsertCaseID = func() string {
	q, ok := strings.CutSuffix(stmtInsertCase, " RETURNING id")
	if !ok || strings.Count(q, "INSERT INTO cases (") != 1 || strings.Count(q, "VALUES (") != 1 {
		panic("stmtInsertCaseID: stmtInsertCase changed its form")
	}
	q = strings.Replace(q, "INSERT INTO cases (", "INSERT INTO cases (id, ", 1)
	return strings.Replace(q, "VALUES (", "VALUES (?, ", 1)
}()

// createCaseHeld is createCaseWith for the new case c with id, every row
// held back in b: the case, its steps, its search row, its received
// event, evs.
func (db *DB) createCaseHeld(b *rowBatcher, c *app.Case, id int64, evs []app.Event) error {
	now := db.Now()
	actor := app.ActorSystem
	body := searchBody(c.Reference, c.Unit, "")
	c.ID = id
	b.hold(stmtInsertCaseID, append([]any{id}, newCaseArgs(c, body, now)...))
	for k, st := range c.Steps {
		b.hold(stmtInsertStep, []any{c.ID, k, st.By, fmtTime(st.At)})
	}
	b.hold(stmtInsertSearch, []any{c.ID, body})
	b.hold(stmtInsertEvent, []any{c.ID, string(app.EventReceived), actor, fmtTime(now), ""})
	noteChange(b, app.Change{Kind: app.ChangeCase, CaseID: c.ID, Actor: actor, At: now, New: true, AssignedTo: c.Assignee})
	for _, e := range evs {
		b.hold(stmtInsertEvent, []any{c.ID, string(e.Kind), e.Actor, fmtTime(e.At), e.Detail})
	}
	return nil
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
	// A join with the array unnested, not "= ANY(?)": once PostgreSQL
	// takes a generic plan for the prepared statement (pgx caches it), ANY
	// of a parameter walked the whole table comparing each row with every
	// element, and a catch-up got slower with every batch (10,000 notices
	// in batches of 200: 2.5 s in these two lookups, now 0.12 s).
	if err := scan(`SELECT l.msg_key, l.case_id FROM unnest(?::text[]) AS k (key) JOIN ledger l ON l.msg_key = k.key`, keys, known); err != nil {
		return nil, nil, err
	}
	if err := scan(`SELECT c.reference, c.id FROM unnest(?::text[]) AS r (ref) JOIN cases c ON c.reference = r.ref AND c.reference IS NOT NULL`, rs, refs); err != nil {
		return nil, nil, err
	}
	return known, refs, nil
}

// heldBack are the single-row INSERTs a rowBatcher holds back. Each ends
// in its VALUES tuple.
var heldBack = map[string]bool{stmtInsertSearch: true, stmtInsertEvent: true, stmtLedgerInsert: true}

// heldFirst are written first at a flush, whatever came first: the
// cases, which the other held-back rows refer to.
var heldFirst = stmtInsertCaseID

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
	b.hold(q, args)
	return heldResult{}, nil
}

// hold holds back a row of q, a single-row INSERT ending in its VALUES
// tuple.
func (b *rowBatcher) hold(q string, args []any) {
	if _, ok := b.rows[q]; !ok {
		if q == heldFirst {
			b.order = append([]string{q}, b.order...)
		} else {
			b.order = append(b.order, q)
		}
	}
	b.rows[q] = append(b.rows[q], args)
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
		i := strings.LastIndex(q, "VALUES (")
		if i < 0 || !strings.HasSuffix(q, ")") {
			return errors.New("rowBatcher: no VALUES tuple at the end of " + q)
		}
		head, tuple := q[:i+len("VALUES ")], q[i+len("VALUES "):]
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
