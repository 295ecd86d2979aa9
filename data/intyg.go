package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"arendestod/app"
)

var _ app.IntygStore = (*DB)(nil)

func init() {
	// Retention: the intyg of a case closed before the cutoff, every
	// version and any forgotten draft, goes with the case's other patient
	// data. The issued documents are in the journal and at Försäkringskassan.
	const closedBefore = `SELECT id FROM cases WHERE status = 'avslutad' AND closed_at IS NOT NULL AND closed_at < ?`
	gallringExtra = append(gallringExtra,
		`DELETE FROM intyg WHERE case_id IN (`+closedBefore+`)`,
		`DELETE FROM intyg_draft WHERE case_id IN (`+closedBefore+`)`)
}

// intygDraftMax is the most bytes a draft may have: far more than any
// intyg, little enough that a runaway caller cannot fill the disk.
const intygDraftMax = 64 << 10

// SaveIntygDraft stores what is typed so far in the case's intyg, replacing
// the previous draft. It is called as the nurse types, so it does no more
// than one write; the draft is not validated (it may be half typed) but
// must be JSON.
func (db *DB) SaveIntygDraft(ctx context.Context, caseID int64, actor string, data []byte) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if len(data) > intygDraftMax {
		return app.Errorf(app.EINVALID, "Utkastet är för stort för att sparas.")
	}
	if !json.Valid(data) {
		return app.Errorf(app.EINTERNAL, "utkast till intyg för ärende %d är inte JSON", caseID)
	}
	return db.inTx(ctx, func(tx *txn) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE id = ?`, caseID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "Ärende nr %d finns inte.", caseID)
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO intyg_draft (case_id, data, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (case_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`, caseID, string(data), fmtTime(db.Now()), actor)
		return wrapDBError(err)
	})
}

// IntygDraft returns the case's draft, nil when there is none.
func (db *DB) IntygDraft(ctx context.Context, caseID int64) ([]byte, error) {
	var s string
	err := db.ro.QueryRowContext(ctx, `SELECT data FROM intyg_draft WHERE case_id = ?`, caseID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// IssueIntyg validates in and stores its normalised form as the case's
// next version (a correction keeps the versions before it). In the same
// transaction it stores what app's Case.IssueIntyg decides (the step
// "intyg-skrivet", the child as the case's patient, or a note of the
// correction), writes a "skriv-ut" row to the access log and removes the
// draft. An invalid intyg, one for a child of 12 or more
// (app.Intyg.CheckChildAge), or a case of another type stores nothing.
func (db *DB) IssueIntyg(ctx context.Context, caseID int64, actor string, in *app.Intyg) (int, error) {
	if err := requireActor(actor); err != nil {
		return 0, err
	}
	if in == nil {
		return 0, app.Errorf(app.EINVALID, "Intyget saknas.")
	}
	n, err := in.Normalized()
	if err != nil {
		return 0, err
	}
	if err := n.CheckChildAge(); err != nil {
		return 0, err
	}
	now := db.Now()
	var version int
	err = db.inTx(ctx, func(tx *txn) error {
		c, err := getCaseToChange(ctx, tx, caseID, db.d.forUpdate())
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM intyg WHERE case_id = ?`,
			caseID).Scan(&version); err != nil {
			return err
		}
		n.Version, n.CaseID = version, caseID
		evs, err := c.IssueIntyg(n, actor, now)
		if err != nil {
			return err
		}
		b, err := json.Marshal(n)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO intyg (case_id, version, data, created_at, created_by)
			VALUES (?, ?, ?, ?, ?)`, caseID, version, string(b), fmtTime(now), actor); err != nil {
			return wrapDBError(err)
		}
		if err := db.storeChange(ctx, tx, c, evs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM intyg_draft WHERE case_id = ?`, caseID); err != nil {
			return err
		}
		return db.audit(ctx, tx, app.AuditEntry{At: now, Actor: actor, Unit: c.Unit, Patient: childPnr(n),
			CaseID: c.ID, Action: app.AuditPrint, Detail: fmt.Sprintf("intyg vård av barn version %d skapat (original, kopia, följebrev)", version)})
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// childPnr is the child's personnummer of a normalised intyg, for the
// access log.
func childPnr(n *app.Intyg) app.Personnummer {
	p, err := app.ParsePersonnummerOn(n.Child.Personnummer, n.IssuedOn())
	if err != nil {
		return ""
	}
	return p
}

// IntygVersions returns every issued version of the case's intyg, oldest
// first.
func (db *DB) IntygVersions(ctx context.Context, caseID int64) ([]app.IntygVersion, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT case_id, version, data, created_at, created_by FROM intyg
		WHERE case_id = ? ORDER BY version`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.IntygVersion
	for rows.Next() {
		v, err := scanIntyg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// IntygVersion returns one issued version, as it was issued.
func (db *DB) IntygVersion(ctx context.Context, caseID int64, version int) (*app.IntygVersion, error) {
	v, err := scanIntyg(db.ro.QueryRowContext(ctx, `SELECT case_id, version, data, created_at, created_by FROM intyg
		WHERE case_id = ? AND version = ?`, caseID, version))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Ärende nr %d har inget intyg version %d.", caseID, version)
	}
	return v, err
}

func scanIntyg(r rowScanner) (*app.IntygVersion, error) {
	var v app.IntygVersion
	var data, created string
	if err := r.Scan(&v.CaseID, &v.Version, &data, &created, &v.CreatedBy); err != nil {
		return nil, err
	}
	var in app.Intyg
	if err := json.Unmarshal([]byte(data), &in); err != nil {
		return nil, fmt.Errorf("intyg case %d version %d: %w", v.CaseID, v.Version, err)
	}
	in.Version, in.CaseID = v.Version, v.CaseID
	v.Intyg = &in
	var err error
	if v.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return &v, nil
}

// RecordPrint writes a "skriv-ut" row to the access log: version of the
// case's intyg was printed again or saved as PDF.
func (db *DB) RecordPrint(ctx context.Context, caseID int64, version int, actor string) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		v, err := scanIntyg(tx.QueryRowContext(ctx, `SELECT case_id, version, data, created_at, created_by FROM intyg
			WHERE case_id = ? AND version = ?`, caseID, version))
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "Ärende nr %d har inget intyg version %d.", caseID, version)
		} else if err != nil {
			return err
		}
		var unit string
		if err := tx.QueryRowContext(ctx, `SELECT unit FROM cases WHERE id = ?`, caseID).Scan(&unit); err != nil {
			return err
		}
		return db.audit(ctx, tx, app.AuditEntry{Actor: actor, Unit: unit, Patient: childPnr(v.Intyg), CaseID: caseID,
			Action: app.AuditPrint, Detail: fmt.Sprintf("intyg vård av barn version %d utskrivet eller sparat som PDF", version)})
	})
}
