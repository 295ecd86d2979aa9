package data

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"arendestod/app"
)

// IngestBatch turns a batch of messages into cases. The cases, their
// events, the ledger rows and the new sync state commit together, so a
// crash at any point loses nothing and duplicates nothing: either the whole
// batch is stored and the sync state moved past it, or none of it is and it
// is fetched again.
//
// On PostgreSQL two desks may store the same message at the same moment;
// the ledger's key (or the reference's unique index) refuses the second,
// whose batch then runs once more and finds the message stored: a
// duplicate.
func (db *DB) IngestBatch(ctx context.Context, items []app.Inbound, state *app.SyncState) ([]app.IngestResult, error) {
	results, err := db.ingestBatch(ctx, items, state, true)
	if db.d.server() && (isUniqueViolation(err, "ledger_pkey", "") || isUniqueViolation(err, "cases_reference", "")) {
		// Once more as before the held-back cases (intake_pg.go), so that
		// a second refusal is the same error as ever.
		results, err = db.ingestBatch(ctx, items, state, false)
	}
	return results, err
}

func (db *DB) ingestBatch(ctx context.Context, items []app.Inbound, state *app.SyncState, held bool) ([]app.IngestResult, error) {
	var results []app.IngestResult
	lk, err := db.intakeLookups(ctx, items)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *txn) error {
		results = results[:0]
		if db.d.server() {
			// A server answers each statement over the network: one
			// batch's lookups and rows go together (intake_pg.go).
			var err error
			results, err = db.ingestServer(ctx, tx, items, lk, held)
			if err != nil {
				return err
			}
		} else {
			for _, in := range items {
				r, err := db.ingest(ctx, tx, in, lk)
				if err != nil {
					return err
				}
				results = append(results, r)
			}
		}
		if state != nil {
			_, err := tx.ExecContext(ctx, `INSERT INTO sync_state (account, uid_validity, last_uid) VALUES (?, ?, ?)
				ON CONFLICT (account) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid`,
				state.Account, int64(state.UIDValidity), int64(state.LastUID))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// intakeLookups is what intake matches notices against beside the
// cases: the staff, by the address a tilldelat notice was sent to, and the
// learned type wordings. Each is read once per batch, and only when the
// batch holds a notice that needs it.
type intakeLookups struct {
	staff    []*app.Staff
	wordings app.TypeWordings
}

func (db *DB) intakeLookups(ctx context.Context, items []app.Inbound) (intakeLookups, error) {
	var lk intakeLookups
	var needStaff, needWordings bool
	for _, in := range items {
		if n := in.Notice; n != nil && in.Quarantine == nil {
			needStaff = needStaff || n.Kind == app.NoticeTilldelat
			needWordings = needWordings || n.Type == "" || n.Type == app.TypeOkand
		}
	}
	var err error
	if needStaff {
		if lk.staff, err = db.ListStaff(ctx, false); err != nil {
			return lk, err
		}
	}
	if needWordings {
		lk.wordings, err = db.TypeWordings(ctx)
	}
	return lk, err
}

// resolve gives in's notice the staff member it was sent to and a learned
// type (app.ResolveAssignee, app.ApplyLearnedType), on a copy of the
// notice: the caller's stays as it was.
func (lk intakeLookups) resolve(in *app.Inbound) {
	if in.Notice == nil || in.Quarantine != nil {
		return
	}
	n := *in.Notice
	in.Notice = &n
	app.ResolveAssignee(in, lk.staff)
	app.ApplyLearnedType(in.Notice, lk.wordings)
}

// ingest stores one message as app decides: the store finds the ledger
// row (a duplicate) and the case with the notice's reference, app.DecideIngest
// says what the message becomes, and the store writes exactly that and the
// ledger row, inside the batch's transaction.
func (db *DB) ingest(ctx context.Context, tx *txn, in app.Inbound, lk intakeLookups) (app.IngestResult, error) {
	res := app.IngestResult{Key: in.Key}
	if err := in.Validate(); err != nil {
		return res, err
	}
	var caseID sql.NullInt64
	err := db.queryRow(ctx, tx, stmtLedgerLookup, in.Key).Scan(&caseID)
	if err == nil {
		res.Outcome, res.CaseID = app.OutcomeDuplicate, caseID.Int64
		return res, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return res, err
	}
	lk.resolve(&in)
	existing, err := db.caseByReference(ctx, tx, in.MatchReference())
	if err != nil {
		return res, err
	}
	return db.storeIngest(ctx, tx, in, existing)
}

// storeIngest decides what in, not in the ledger, becomes (existing is the
// case with its reference, or nil) and writes that and its ledger row
// through q.
func (db *DB) storeIngest(ctx context.Context, q querier, in app.Inbound, existing *app.Case) (app.IngestResult, error) {
	now := db.Now()
	d := app.DecideIngest(in, existing, db.Calendar(), now)
	return db.storeDecision(ctx, q, in, d, now, nil)
}

// storeDecision writes d, what in becomes (decided at now), and in's
// ledger row through q. A new case is made by create when it is given
// (intake_pg.go), else by createCaseWith.
func (db *DB) storeDecision(ctx context.Context, q querier, in app.Inbound, d app.IngestDecision, now time.Time,
	create func(c *app.Case, evs []app.Event) error) (app.IngestResult, error) {
	res := app.IngestResult{Key: in.Key}
	res.Outcome = d.Outcome
	switch d.Outcome {
	case app.OutcomeQuarantined:
		q2 := d.Quarantine
		if err := quarantine(ctx, q, q2.Key, q2.Source, q2.Reason, q2.Raw, now); err != nil {
			return res, err
		}
	case app.OutcomeNew:
		if create == nil {
			create = func(c *app.Case, evs []app.Event) error {
				return db.createCaseWith(ctx, q, c, app.ActorSystem, evs)
			}
		}
		if err := create(d.Case, d.Events); err != nil {
			return res, err
		}
		res.CaseID = d.Case.ID
	case app.OutcomeUpdated:
		if err := db.storeChange(ctx, q, d.Case, d.Events); err != nil {
			return res, err
		}
		res.CaseID = d.Case.ID
	}
	_, err := db.exec(ctx, q, stmtLedgerInsert,
		in.Key, in.Source, res.Outcome, nullInt(res.CaseID), fmtTime(now))
	return res, wrapDBError(err)
}

// caseByReference returns the case with reference ref inside tx, nil when
// ref is empty or no case has it.
func (db *DB) caseByReference(ctx context.Context, tx *txn, ref string) (*app.Case, error) {
	if ref == "" {
		return nil, nil
	}
	var id int64
	err := db.queryRow(ctx, tx, stmtCaseByReference, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return getCase(ctx, tx, id, db.d.forUpdate())
}

func quarantine(ctx context.Context, tx querier, key, source, reason string, raw []byte, now time.Time) error {
	if raw == nil {
		raw = []byte{}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO quarantine (msg_key, source, reason, raw, taken_at) VALUES (?, ?, ?, ?, ?)`,
		key, source, reason, raw, fmtTime(now))
	return wrapDBError(err)
}

// SyncState returns where intake stands in an account's mailbox.
func (db *DB) SyncState(ctx context.Context, account string) (app.SyncState, error) {
	s := app.SyncState{Account: account}
	var v, u int64
	err := db.ro.QueryRowContext(ctx, `SELECT uid_validity, last_uid FROM sync_state WHERE account = ?`, account).Scan(&v, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	s.UIDValidity, s.LastUID = uint32(v), uint32(u)
	return s, err
}

// KnownKeys reports which keys are already in the ledger.
func (db *DB) KnownKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	const chunk = 500
	for len(keys) > 0 {
		n := min(len(keys), chunk)
		args := make([]any, n)
		for i, k := range keys[:n] {
			args[i] = k
		}
		rows, err := db.ro.QueryContext(ctx, `SELECT msg_key FROM ledger WHERE msg_key IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return out, nil
}

// Quarantine returns the messages kept for review, newest first.
func (db *DB) Quarantine(ctx context.Context) ([]app.Quarantined, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT id, msg_key, source, reason, raw, taken_at FROM quarantine ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Quarantined
	for rows.Next() {
		var q app.Quarantined
		var at string
		if err := rows.Scan(&q.ID, &q.Key, &q.Source, &q.Reason, &q.Raw, &at); err != nil {
			return nil, err
		}
		if q.ReceivedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
