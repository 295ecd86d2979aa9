package data

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"fmt"
	"log"
	"strconv"
	"strings"

	"arendestod/app"
)

// Audit appends a row to the access log.
func (db *DB) Audit(ctx context.Context, e app.AuditEntry) error {
	return db.inTx(ctx, func(tx *txn) error { return db.audit(ctx, tx, e) })
}

// audit appends a row inside tx, chained to the row before it with an
// HMAC under the access log's key (auditMAC), its id the next after the
// last row's: whoever changes or removes a row outside the product, or
// adds one, breaks the chain. Without the key nothing is appended.
func (db *DB) audit(ctx context.Context, tx querier, e app.AuditEntry) error {
	if e.At.IsZero() {
		e.At = db.Now()
	}
	if e.Actor == "" {
		return app.Errorf(app.EINVALID, "Åtkomstloggen kräver vem som gjorde åtgärden.")
	}
	if db.auditKeyErr != nil {
		return db.auditKeyErr
	}
	if db.auditKey == nil || db.opts.auditCheck {
		return app.Errorf(app.ECONFLICT, "Åtkomstloggen går inte att skriva till: databasen är öppnad bara för kontroll.")
	}
	last, prev, err := db.lockAuditHead(ctx, tx)
	if err != nil {
		return err
	}
	// A command-line run names its computer account beside the HSA-ID.
	e.Detail = app.AuditDetail(ctx, e.Detail)
	id := last + 1
	at := fmtTime(e.At)
	h := auditMAC(db.auditKey, id, prev, at, e)
	args := []any{id, at, e.Actor, e.Unit, string(e.Patient), nullInt(e.CaseID), e.Action, e.Detail, prev, h}
	if t, ok := tx.(*txn); ok {
		// On PostgreSQL the row goes out with the transaction's next
		// statement or its COMMIT (txn.hold): the lock is held one round
		// trip less. Should it fail, the transaction fails with its
		// error and writes nothing, as when it fails here.
		if err := t.hold(ctx, stmtInsertAudit, args...); err != nil {
			return wrapDBError(err)
		}
		t.audited++
		return nil
	}
	if _, err = tx.ExecContext(ctx, stmtInsertAudit, args...); err != nil {
		return wrapDBError(err)
	}
	return nil
}

const stmtInsertAudit = `INSERT INTO audit_log (id, at, actor, unit, patient, case_id, action, detail, prev_hash, hash)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// AuditFilter selects access-log rows.
type AuditFilter = app.AuditFilter

// AuditEntries returns access-log rows, oldest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]app.AuditEntry, error) {
	var conds []string
	var args []any
	if f.Actor != "" {
		conds = append(conds, `actor = ?`)
		args = append(args, f.Actor)
	}
	if f.Patient != "" {
		conds = append(conds, `patient = ?`)
		args = append(args, string(f.Patient))
	}
	if !f.From.IsZero() {
		conds = append(conds, `at >= ?`)
		args = append(args, fmtTime(f.From.Time()))
	}
	if !f.To.IsZero() {
		conds = append(conds, `at < ?`)
		args = append(args, fmtTime(f.To.AddDays(1).Time()))
	}
	q := `SELECT id, at, actor, unit, patient, COALESCE(case_id, 0), action, detail, hash FROM audit_log`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	rows, err := db.ro.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.AuditEntry
	for rows.Next() {
		var e app.AuditEntry
		var at, patient string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Unit, &patient, &e.CaseID, &e.Action, &e.Detail, &e.Hash); err != nil {
			return nil, err
		}
		e.Patient = app.Personnummer(patient)
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the access log and returns the id of the first row
// that does not follow from its content and the row before it (with the
// key, for the rows chained with it; ids consecutive), or 0 when the chain
// is whole. Without the key it cannot check the keyed rows and says so.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	c, err := db.walk(ctx, 0)
	if err != nil {
		return 0, err
	}
	if c.brokenAt == 0 && c.unchecked {
		return 0, db.auditKeyErr
	}
	return c.brokenAt, nil
}

// walk walks the chain with the database's key record and key.
// The prune records and the rows are read in one snapshot, so that a
// prune committed meanwhile is seen in both or neither.
func (db *DB) walk(ctx context.Context, mark int64) (chain, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.d.server() {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.ro.db.BeginTx(ctx, opts)
	if err != nil {
		return chain{}, err
	}
	defer tx.Rollback()
	prunes, err := queryPrunes(ctx, tx)
	if err != nil {
		return chain{}, err
	}
	rows, err := tx.QueryContext(ctx, auditChainQuery)
	if err != nil {
		return chain{}, err
	}
	defer rows.Close()
	return walkChain(rows, db.epoch, db.auditKey, mark, prunes)
}

// CheckAudit checks the access log as audit verify reports it: the
// append-only triggers, the key record, the chain, and the newest anchor
// in the anchor files. When all is well it writes an anchor of the head
// it checked.
func (db *DB) CheckAudit(ctx context.Context) (app.AuditCheck, error) {
	var res app.AuditCheck
	triggers, err := db.triggerProblems(ctx)
	if err != nil {
		return res, err
	}
	// The key record as it is now (ForAuditCheck may have opened the
	// database before another desk wrote it).
	epoch, err := readEpoch(ctx, db.ro)
	if err != nil {
		return res, err
	}
	var keyProblems []string
	var anchors []app.AuditAnchor
	if epoch != nil {
		if db.epoch == nil || *epoch != *db.epoch {
			db.epoch = epoch
			db.auditKey, db.auditKeyErr = auditKeyFor(db.opts.keys, epoch)
		}
		if db.auditKeyErr != nil {
			keyProblems = append(keyProblems, app.ErrorMessage(db.auditKeyErr))
		} else {
			for _, p := range db.anchorFiles() {
				as, err := readAnchors(p, epoch, db.auditKey)
				if err != nil {
					return res, err
				}
				anchors = append(anchors, as...)
			}
		}
	}
	res.Anchor = newestAnchor(anchors)
	var mark int64
	if res.Anchor != nil {
		mark = res.Anchor.LastID
	}
	c, err := db.walk(ctx, mark)
	if err != nil {
		return res, err
	}
	res.Rows, res.LastID, res.LastHash, res.Keyed, res.BrokenAt = c.rows, c.lastID, c.lastHash, c.keyed, c.brokenAt
	res.Problems = append(chainProblems(c, res.Anchor), keyProblems...)
	res.Problems = append(res.Problems, triggers...)
	if res.OK() {
		if err := db.writeAnchor(ctx, app.AnchorVerify); err != nil {
			log.Printf("Åtkomstloggen: %v", err)
		}
	}
	return res, nil
}

// chainProblems says in Swedish what the walk c and the anchor a found.
func chainProblems(c chain, a *app.AuditAnchor) []string {
	var out []string
	if c.brokenAt != 0 {
		out = append(out, fmt.Sprintf("Åtkomstloggen är ändrad utanför programmet: första brutna rad är nr %d.", c.brokenAt))
		if c.why != "" {
			out[0] = strings.TrimSuffix(out[0], ".") + " (" + c.why + ")."
		}
	} else if c.unchecked {
		out = append(out, "De rader som är kedjade med nyckeln kunde inte kontrolleras utan den.")
	}
	if a != nil {
		if p := compareAnchor(a, c); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ExportAuditKey returns the key of the access log, for another desk of
// the same database (audit key export).
func (db *DB) ExportAuditKey(ctx context.Context) ([]byte, error) {
	if db.auditKey == nil {
		if db.auditKeyErr != nil {
			return nil, db.auditKeyErr
		}
		return nil, app.Errorf(app.ENOTFOUND, "Databasen har ingen nyckel till åtkomstloggen än.")
	}
	return append([]byte(nil), db.auditKey...), nil
}

// ImportAuditKey keeps key on this computer (the key store) after
// checking that it is the key of this database's access log.
func (db *DB) ImportAuditKey(ctx context.Context, key []byte) error {
	epoch, err := readEpoch(ctx, db.ro)
	if err != nil {
		return err
	}
	if epoch == nil {
		return app.Errorf(app.ECONFLICT, "Databasen har ingen nyckel till åtkomstloggen än; den skapas när programmet öppnar databasen första gången.")
	}
	if id := app.AuditKeyID(key); id != epoch.keyID {
		return app.Errorf(app.EINVALID, "Nyckeln (id %s) hör inte till den här databasens åtkomstlogg (id %s).", id, epoch.keyID)
	}
	if !hmac.Equal([]byte(epochMAC(key, *epoch)), []byte(epoch.mac)) {
		return app.Errorf(app.ECONFLICT, "%s", msgKeyRecordChanged)
	}
	if err := db.opts.keys.SaveAuditKey(key); err != nil {
		return err
	}
	db.epoch, db.auditKey, db.auditKeyErr = epoch, append([]byte(nil), key...), nil
	return nil
}

var _ app.AuditKeyHolder = (*DB)(nil)
