package data

import (
	"context"
	"database/sql"
	"errors"

	"arendestod/app"
)

// Presence (app.PresenceStore): which windows have a case open. Opening
// and closing are changes on the feed (ChangePresence), so the other
// desks show them at once; a heartbeat only renews the row. Times are the
// desk's clock, as every other time the store keeps.

var _ app.PresenceStore = (*DB)(nil)

// OpenCase records or renews that session has case caseID open as hsaID.
func (db *DB) OpenCase(ctx context.Context, session, hsaID string, caseID int64) error {
	if session == "" || hsaID == "" {
		return app.Errorf(app.EINVALID, "Fönstret och vem som arbetar krävs.")
	}
	now := db.Now()
	return db.inTx(ctx, func(tx *txn) error {
		// Rows of desks gone silent go first: a crashed desk disappears.
		if _, err := tx.ExecContext(ctx, `DELETE FROM presence WHERE seen < ?`, fmtTime(now.Add(-app.PresenceTimeout))); err != nil {
			return wrapDBError(err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE presence SET seen = ?, hsa_id = ? WHERE session = ? AND case_id = ?`,
			fmtTime(now), hsaID, session, caseID)
		if err != nil {
			return wrapDBError(err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO presence (session, case_id, hsa_id, since, seen) VALUES (?, ?, ?, ?, ?)`,
			session, caseID, hsaID, fmtTime(now), fmtTime(now)); err != nil {
			return wrapDBError(err)
		}
		tx.changed(app.Change{Kind: app.ChangePresence, CaseID: caseID, Actor: hsaID, At: now})
		return nil
	})
}

// CloseCase removes session's record of case caseID.
func (db *DB) CloseCase(ctx context.Context, session string, caseID int64) error {
	return db.inTx(ctx, func(tx *txn) error {
		var hsaID string
		err := tx.QueryRowContext(ctx, `DELETE FROM presence WHERE session = ? AND case_id = ? RETURNING hsa_id`,
			session, caseID).Scan(&hsaID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // none: nothing to tell
		} else if err != nil {
			return wrapDBError(err)
		}
		tx.changed(app.Change{Kind: app.ChangePresence, CaseID: caseID, Actor: hsaID, At: db.Now()})
		return nil
	})
}

// CaseViewers returns who has case caseID open, heard from within
// app.PresenceTimeout, earliest first.
func (db *DB) CaseViewers(ctx context.Context, caseID int64) ([]app.Presence, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT session, hsa_id, since, seen FROM presence
		WHERE case_id = ? AND seen >= ? ORDER BY since, session`, caseID, fmtTime(db.Now().Add(-app.PresenceTimeout)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Presence
	for rows.Next() {
		p := app.Presence{CaseID: caseID}
		var since, seen string
		if err := rows.Scan(&p.Session, &p.HSAID, &since, &seen); err != nil {
			return nil, err
		}
		if p.Since, err = parseTime(since); err != nil {
			return nil, err
		}
		if p.Seen, err = parseTime(seen); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
