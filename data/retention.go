package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"arendestod/app"
)

// Gallring is what one retention run removed.
type Gallring struct {
	Cases int // closed cases whose patient identifiers were removed
	Notes int // notes removed from them (free text may name the patient)
	// Quarantined: messages taken into quarantine before the cutoff,
	// removed with their raw mail (which may name a patient). Their
	// ledger rows stay, so that intake does not fetch them again.
	Quarantined int
	// Aside: databases kept aside by a restore (".ersatt-*" beside the
	// database file) that had something to remove, gallrade the same way.
	Aside int
	// AccessLog: access-log rows older than the access log's own
	// retention (app.SettingAccessLogYears) removed by a prune
	// (auditprune.go), recorded in audit_prune.
	AccessLog int
}

// Gallra removes patient identifiers from cases closed before cutoff:
// the patient's personnummer and name and the free-text notes. The cases
// themselves stay, without identifiers, for the statistics. It runs in one
// transaction with secure_delete on, so the removed values are overwritten
// in the file, and writes what it removed (counts only) to the access log.
// In the same transaction it prunes the access log of rows older than
// its own retention (the setting app.SettingAccessLogYears, never less
// than app.MinAccessLogYears, counted from db.Now()): see auditprune.go.
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
		res, err = tx.ExecContext(ctx, `DELETE FROM quarantine WHERE taken_at < ?`, c)
		if err != nil {
			return wrapDBError(err)
		}
		n, _ = res.RowsAffected()
		g.Quarantined = int(n)
		var yearsSetting string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = ?), '')`, app.SettingAccessLogYears).Scan(&yearsSetting); err != nil {
			return err
		}
		years := app.AccessLogYearsOf(yearsSetting)
		pruned, err := db.pruneAccessLog(ctx, tx, app.AccessLogCutoff(db.Now(), years), actor)
		if err != nil {
			return err
		}
		g.AccessLog = int(pruned)
		if g.Cases == 0 && g.Notes == 0 && g.Quarantined == 0 && g.AccessLog == 0 {
			return nil
		}
		tx.changed(app.Change{Kind: app.ChangeCase, Actor: actor, At: db.Now()}) // many cases
		detail := fmt.Sprintf("patientuppgifter borttagna ur %d avslutade ärenden, %d anteckningar", g.Cases, g.Notes)
		if g.Quarantined > 0 {
			detail += fmt.Sprintf(", %d meddelanden ur karantänen", g.Quarantined)
		}
		if g.AccessLog > 0 {
			detail += ", " + accessLogDetail(pruned, years)
		}
		return db.audit(ctx, tx, app.AuditEntry{Actor: actor, Action: app.AuditRetention,
			Detail: detail + "; gräns " + cutoff.In(app.Stockholm).Format("2006-01-02")})
	})
	if err != nil {
		return g, err
	}
	if db.d.server() {
		db.vacuumAfterGallring(ctx)
		return g, nil
	}
	if err := db.checkpointTruncate(ctx); err != nil {
		return g, err
	}
	g.Aside, err = db.gallraAside(ctx, cutoff, actor)
	return g, err
}

// checkpointTruncate copies the WAL into the database file and empties
// it, so that values a retention run removed (secure_delete overwrote
// them in the new page versions) leave the files at once, not when the
// last connection closes. A reader in the middle of a query can hold the
// checkpoint back for a moment: it is tried a few times, then reported.
func (db *DB) checkpointTruncate(ctx context.Context) error {
	for try := 0; ; try++ {
		var busy, logFrames, done int
		if err := db.rw.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
			return wrapDBError(err)
		}
		if busy == 0 {
			return nil
		}
		if try == 20 {
			return app.Errorf(app.ECONFLICT, "Gallringen är gjord, men databasens loggfil (-wal) kunde inte tömmas: databasen används. Den töms vid nästa gallring.")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// asideMarker is in the names Restore gives the databases it replaces.
const asideMarker = ".ersatt-"

// gallraAside runs the same retention on each database a restore kept
// aside beside this one (Restore's ".ersatt-" copies): they hold every
// patient identifier the database held when it was replaced, and are kept
// so a restore can be undone, not to outlive the retention. It returns how
// many had something removed.
func (db *DB) gallraAside(ctx context.Context, cutoff time.Time, actor string) (int, error) {
	if strings.Contains(filepath.Base(db.path), asideMarker) {
		return 0, nil // an aside copy itself: none of its own
	}
	matches, err := filepath.Glob(escapeGlobPath(db.path) + asideMarker + "*")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range matches {
		if isSideFile(p) {
			continue
		}
		if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		aside, err := Open(p)
		if err != nil {
			return n, app.Errorf(app.EINTERNAL, "Den undanlagda databasen %s kunde inte gallras: %s", p, app.ErrorMessage(err))
		}
		aside.Now = db.Now
		g, err := aside.Gallra(ctx, cutoff, actor)
		if cerr := aside.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return n, app.Errorf(app.EINTERNAL, "Den undanlagda databasen %s kunde inte gallras: %s", p, app.ErrorMessage(err))
		}
		if g.Cases+g.Notes+g.Quarantined+g.AccessLog > 0 {
			n++
		}
	}
	return n, nil
}

// escapeGlobPath escapes filepath.Match's metacharacters in path.
func escapeGlobPath(path string) string {
	if runtime.GOOS == "windows" {
		// Backslash separates folders there and escapes nothing.
		return strings.NewReplacer(`[`, `[[]`, `*`, `[*]`, `?`, `[?]`).Replace(path)
	}
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `*`, `\*`, `?`, `\?`).Replace(path)
}

// gallringTables are the tables a retention run changes, and open_search
// (migration 0013): it holds no closed case, but a closed case's row from
// when it was open, notes included, is an old row version until vacuumed.
var gallringTables = []string{"case_events", "cases", "case_search", "open_search", "recept_log", "intyg", "intyg_draft", "audit_log"}

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

// isSideFile reports whether p is one of the files beside a database
// rather than a database: SQLite's -wal and -shm, the access log's anchor
// file (AnchorPath) and the lock file (LockPath).
func isSideFile(p string) bool {
	for _, suffix := range []string{"-wal", "-shm", AnchorPath(""), LockPath("")} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}
