package data

import (
	"context"
	"database/sql"
	"errors"

	"arendestod/app"
)

// Which new cases each staff member has opened (app.SeenStore), kept in
// the settings table under seenKey: one short row per person, no change
// feed (it is nobody else's business), no access-log row (it holds no
// patient data).

var _ app.SeenStore = (*DB)(nil)

// seenPrefix starts the settings key of a person's record.
const seenPrefix = "sedda-arenden."

func seenKey(hsaID string) string { return seenPrefix + app.StaffKey(hsaID) }

// SeenCases returns hsaID's record of opened new cases; the first call
// for a person starts it at the newest case now stored.
func (db *DB) SeenCases(ctx context.Context, hsaID string) (app.SeenCases, error) {
	var out app.SeenCases
	err := db.inTx(ctx, func(tx *txn) error {
		s, err := db.seenCases(ctx, tx, hsaID)
		out = s
		return err
	})
	return out, err
}

// MarkSeen records that hsaID opened case id.
func (db *DB) MarkSeen(ctx context.Context, hsaID string, id int64) error {
	return db.inTx(ctx, func(tx *txn) error {
		s, err := db.seenCases(ctx, tx, hsaID)
		if err != nil {
			return err
		}
		s.Mark(id)
		return putSeen(ctx, tx, hsaID, s)
	})
}

// seenCases reads the record in tx, starting and storing it when there
// is none (or it cannot be read).
func (db *DB) seenCases(ctx context.Context, tx *txn, hsaID string) (app.SeenCases, error) {
	var text string
	err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, seenKey(hsaID)).Scan(&text)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return app.SeenCases{}, err
	}
	if s, ok := app.DecodeSeenCases(text); err == nil && ok {
		return s, nil
	}
	var newest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM cases`).Scan(&newest); err != nil {
		return app.SeenCases{}, err
	}
	s := app.SeenCases{After: newest.Int64, IDs: map[int64]bool{}}
	return s, putSeen(ctx, tx, hsaID, s)
}

func putSeen(ctx context.Context, tx *txn, hsaID string, s app.SeenCases) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, seenKey(hsaID), s.Encode())
	return wrapDBError(err)
}
