package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"arendestod/app"
)

// Audit appends a row to the access log.
func (db *DB) Audit(ctx context.Context, e app.AuditEntry) error {
	return db.inTx(ctx, func(tx *txn) error { return db.audit(ctx, tx, e) })
}

// audit appends a row inside tx, chained to the row before it: whoever
// changes or removes a row outside the product breaks the chain.
func (db *DB) audit(ctx context.Context, tx querier, e app.AuditEntry) error {
	if e.At.IsZero() {
		e.At = db.Now()
	}
	if e.Actor == "" {
		return app.Errorf(app.EINVALID, "Åtkomstloggen kräver vem som gjorde åtgärden.")
	}
	if err := db.d.lockAudit(ctx, tx); err != nil {
		return wrapDBError(err)
	}
	prev := ""
	err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	// A command-line run names its computer account beside the HSA-ID.
	e.Detail = app.AuditDetail(ctx, e.Detail)
	at := fmtTime(e.At)
	h := auditHash(prev, at, e)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, unit, patient, case_id, action, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at, e.Actor, e.Unit, string(e.Patient), nullInt(e.CaseID), e.Action, e.Detail, prev, h)
	return wrapDBError(err)
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func auditHash(prev, at string, e app.AuditEntry) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{prev, at, e.Actor, e.Unit, string(e.Patient),
		strconv.FormatInt(e.CaseID, 10), e.Action, e.Detail}, "\x1f")))
	return hex.EncodeToString(sum[:])
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
// whose hash does not follow from its content and the row before it, or 0
// when the chain is whole.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := db.ro.QueryContext(ctx, auditChainQuery)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	return verifyChain(rows)
}
