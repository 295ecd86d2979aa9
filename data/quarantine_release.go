package data

import (
	"context"
	"database/sql"
	"errors"

	"arendestod/app"
)

// ReleaseQuarantined takes quarantined message id into cases: in one
// transaction its quarantine row and its "quarantined" ledger row go, and
// in is ingested as IngestBatch would (app.QuarantineReleaser).
func (db *DB) ReleaseQuarantined(ctx context.Context, id int64, in app.Inbound) (app.IngestResult, error) {
	var res app.IngestResult
	lk, err := db.intakeLookups(ctx, []app.Inbound{in})
	if err != nil {
		return res, err
	}
	err = db.inTx(ctx, func(tx *txn) error {
		var key string
		err := db.queryRow(ctx, tx, `SELECT msg_key FROM quarantine WHERE id = ?`, id).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "Meddelande nr %d finns inte i karantänen.", id)
		} else if err != nil {
			return err
		}
		if key != in.Key {
			return app.Errorf(app.ECONFLICT, "Meddelande nr %d är inte det meddelande som skulle släppas.", id)
		}
		if _, err := db.exec(ctx, tx, `DELETE FROM quarantine WHERE id = ?`, id); err != nil {
			return wrapDBError(err)
		}
		if _, err := db.exec(ctx, tx, `DELETE FROM ledger WHERE msg_key = ? AND outcome = ?`, key, app.OutcomeQuarantined); err != nil {
			return wrapDBError(err)
		}
		res, err = db.ingest(ctx, tx, in, lk)
		return err
	})
	return res, err
}
