package data

import (
	"context"
	"fmt"
	"time"

	"arendestod/app"
)

// Gallring is what one retention run removed.
type Gallring struct {
	Cases int // closed cases whose patient identifiers were removed
	Notes int // notes removed from them (free text may name the patient)
}

// Gallra removes patient identifiers from cases closed before cutoff:
// the patient's personnummer and name and the free-text notes. The cases
// themselves stay, without identifiers, for the statistics. It runs in one
// transaction with secure_delete on, so the removed values are overwritten
// in the file, and writes what it removed (counts only) to the access log.
//
// On PostgreSQL (for SECURITY.md): there is no secure_delete. An UPDATE
// leaves the old row version in the table's files until VACUUM reclaims
// it, so after the transaction commits the affected tables are vacuumed
// (vacuumAfterGallring) when the role may (it must own them: the role
// that ran the migrations). The guarantee on a server is therefore
// "removed from the database and vacuumed", not "overwritten in the
// file": VACUUM marks the space free without overwriting it, and the
// server's WAL archive and its pg_dump backups keep copies for as long as
// the server's operator keeps them. Their retention is the operator's.
func (db *DB) Gallra(ctx context.Context, cutoff time.Time, actor string) (Gallring, error) {
	var g Gallring
	err := db.inTx(ctx, func(tx *txn) error {
		if !db.d.server() {
			var on int
			if err := tx.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&on); err != nil {
				return err
			}
			if on != 1 {
				return app.Errorf(app.EINTERNAL, "Gallringen kräver secure_delete; den kördes inte.")
			}
		}
		c := fmtTime(cutoff)
		const closedBefore = `status = 'avslutad' AND closed_at IS NOT NULL AND closed_at < ?`
		res, err := tx.ExecContext(ctx, `UPDATE case_events SET detail = '' WHERE kind = 'note' AND detail <> ''
			AND case_id IN (SELECT id FROM cases WHERE `+closedBefore+`)`, c)
		if err != nil {
			return wrapDBError(err)
		}
		n, _ := res.RowsAffected()
		g.Notes = int(n)
		res, err = tx.ExecContext(ctx, `UPDATE cases SET patient_pnr = NULL, patient_name = NULL
			WHERE `+closedBefore+` AND (patient_pnr IS NOT NULL OR patient_name IS NOT NULL)`, c)
		if err != nil {
			return wrapDBError(err)
		}
		n, _ = res.RowsAffected()
		g.Cases = int(n)
		// The search index holds the notes too.
		ids, err := tx.QueryContext(ctx, `SELECT id FROM cases WHERE `+closedBefore, c)
		if err != nil {
			return err
		}
		var changed []int64
		for ids.Next() {
			var id int64
			if err := ids.Scan(&id); err != nil {
				ids.Close()
				return err
			}
			changed = append(changed, id)
		}
		ids.Close()
		if g.Notes > 0 {
			for _, id := range changed {
				if err := refreshSearch(ctx, tx, id); err != nil {
					return err
				}
			}
		}
		for _, stmt := range gallringExtra {
			if _, err := tx.ExecContext(ctx, stmt, c); err != nil {
				return wrapDBError(err)
			}
		}
		if g.Cases == 0 && g.Notes == 0 {
			return nil
		}
		tx.changed(app.Change{Kind: app.ChangeCase, Actor: actor, At: db.Now()}) // many cases
		return db.audit(ctx, tx, app.AuditEntry{Actor: actor, Action: app.AuditRetention,
			Detail: fmt.Sprintf("patientuppgifter borttagna ur %d avslutade ärenden, %d anteckningar; gräns %s",
				g.Cases, g.Notes, cutoff.In(app.Stockholm).Format("2006-01-02"))})
	})
	if err == nil && db.d.server() {
		db.vacuumAfterGallring(ctx)
	}
	return g, err
}

// gallringTables are the tables a retention run changes.
var gallringTables = []string{"case_events", "cases", "case_search", "recept_log", "intyg", "intyg_draft"}

// vacuumAfterGallring vacuums the tables a retention run changed, on
// PostgreSQL, so the removed values' old row versions are reclaimed now
// rather than whenever autovacuum comes by. VACUUM cannot run in a
// transaction and needs the tables' owner: a role that may not is not an
// error of the retention run (autovacuum does it later), so failures are
// ignored.
func (db *DB) vacuumAfterGallring(ctx context.Context) {
	for _, t := range gallringTables {
		db.rw.ExecContext(ctx, `VACUUM `+t)
	}
}

// gallringExtra are further statements of a retention run, each taking
// the cutoff as its one argument: tables that other parts add (the
// prescription log, stored intyg) register theirs here.
var gallringExtra []string

// GallraCases is Gallra for the daily job: it returns the number of cases.
func (db *DB) GallraCases(ctx context.Context, cutoff time.Time, actor string) (int, error) {
	g, err := db.Gallra(ctx, cutoff, actor)
	return g.Cases, err
}
