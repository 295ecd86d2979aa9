package data

// The access log's own retention (issue 13 item 6): rows older than
// gallring.atkomstlogg.ar are removed by a controlled prune that leaves
// the log verifiable. A prune first appends a record to audit_prune
// (migration 0011): up to which id rows go (up_to), how many (removed),
// the hash of the last of them (last_hash: the kept chain's new start),
// the cutoff, when and by whom, the MAC of the record before it, and an
// HMAC of all of it under the log's key. Only then may the rows go: the
// append-only trigger lets a DELETE through only for rows a record
// covers. audit verify checks the records (consecutive ids, the chain of
// MACs, each MAC) and starts the row chain at the newest record's up_to,
// with its last_hash as the previous hash; anchors count the rows ever
// written, pruned ones included.

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"arendestod/app"
)

// auditPruneVersion is the migration that added audit_prune.
const auditPruneVersion = 11

// auditPrune is one record of audit_prune.
type auditPrune struct {
	id, upTo, removed int64
	lastHash          string
	cutoff, at, actor string
	prevMAC, mac      string
}

// pruneMAC is the MAC of a prune record of the log logID.
func pruneMAC(key []byte, logID string, p auditPrune) string {
	return lpMAC(key, "arendestod audit prune v1", logID, strconv.FormatInt(p.id, 10), strconv.FormatInt(p.upTo, 10),
		strconv.FormatInt(p.removed, 10), p.lastHash, p.cutoff, p.at, p.actor, p.prevMAC)
}

// auditPruneQuery reads the prune records as readPrunes does.
const auditPruneQuery = `SELECT id, up_to, removed, last_hash, cutoff, at, actor, prev_mac, mac FROM audit_prune ORDER BY id`

// readPrunes reads the prune records from rows (auditPruneQuery).
func readPrunes(rows chainRows) ([]auditPrune, error) {
	var out []auditPrune
	for rows.Next() {
		var p auditPrune
		if err := rows.Scan(&p.id, &p.upTo, &p.removed, &p.lastHash, &p.cutoff, &p.at, &p.actor, &p.prevMAC, &p.mac); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// queryPrunes reads the prune records of the database q.
func queryPrunes(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}) ([]auditPrune, error) {
	rows, err := q.QueryContext(ctx, auditPruneQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return readPrunes(rows)
}

// checkPrunes checks the prune records in order: ids consecutive from 1,
// each naming the MAC of the one before it, up_to rising, something
// removed, and (with key) each MAC. It returns the first record that is
// not the program's (0 when none) and whether MACs went unchecked for
// want of the key.
func checkPrunes(ps []auditPrune, epoch *auditEpoch, key []byte) (bad int64, unchecked bool) {
	var prevMAC string
	var upTo int64
	for i, p := range ps {
		ok := p.id == int64(i+1) && p.prevMAC == prevMAC && p.upTo > upTo && p.removed > 0
		if ok && (key == nil || epoch == nil) {
			unchecked = true
		} else if ok {
			ok = hmac.Equal([]byte(pruneMAC(key, epoch.logID, p)), []byte(p.mac))
		}
		if !ok {
			return p.id, unchecked
		}
		prevMAC, upTo = p.mac, p.upTo
	}
	return 0, unchecked
}

// prunedRows is the number of rows removed by all prunes in ps.
func prunedRows(ps []auditPrune) int64 {
	var n int64
	for _, p := range ps {
		n += p.removed
	}
	return n
}

// pruneAccessLog removes, inside tx, the access-log rows written before
// cutoff: the longest run from the start of the log that is older than
// cutoff, so that what stays is one chain. It appends the prune record
// first (under the log's lock), then deletes; it returns how many rows
// went. Without the key nothing is removed (audit would fail anyway).
func (db *DB) pruneAccessLog(ctx context.Context, tx *txn, cutoff time.Time, actor string) (int64, error) {
	if db.auditKey == nil || db.epoch == nil || db.opts.auditCheck {
		return 0, nil
	}
	if err := db.d.lockAudit(ctx, tx); err != nil {
		return 0, wrapDBError(err)
	}
	c := fmtTime(cutoff)
	// The first row that stays: the oldest one not older than cutoff.
	var upTo int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM audit_log WHERE at >= ? ORDER BY id LIMIT 1`, c).Scan(&upTo)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&upTo); err != nil {
			return 0, err
		}
	case err != nil:
		return 0, err
	default:
		upTo--
	}
	var removed int64
	var lastHash string
	err = tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_log WHERE id <= ?), hash FROM audit_log WHERE id = ?`, upTo, upTo).Scan(&removed, &lastHash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil // nothing older than cutoff (or only gaps, which verify reports)
	}
	if err != nil {
		return 0, err
	}
	p := auditPrune{upTo: upTo, removed: removed, lastHash: lastHash, cutoff: c, at: fmtTime(db.Now()), actor: actor}
	err = tx.QueryRowContext(ctx, `SELECT id, mac FROM audit_prune ORDER BY id DESC LIMIT 1`).Scan(&p.id, &p.prevMAC)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	p.id++
	p.mac = pruneMAC(db.auditKey, db.epoch.logID, p)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_prune (id, up_to, removed, last_hash, cutoff, at, actor, prev_mac, mac)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.id, p.upTo, p.removed, p.lastHash, p.cutoff, p.at, p.actor, p.prevMAC, p.mac); err != nil {
		return 0, wrapDBError(err)
	}
	var n int64
	if db.d.server() {
		// The application's role has no DELETE on the log: the owner's
		// function removes what the record covers (0011_audit_prune.sql).
		err = tx.QueryRowContext(ctx, `SELECT audit_log_prune(?)`, upTo).Scan(&n)
	} else {
		var res sql.Result
		if res, err = tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id <= ?`, upTo); err == nil {
			n, err = res.RowsAffected()
		}
	}
	if err != nil {
		return 0, wrapDBError(err)
	}
	if n != removed {
		return 0, app.Errorf(app.EINTERNAL, "Gallringen av åtkomstloggen tog bort %d rader men skulle ta bort %d; ingenting är ändrat.", n, removed)
	}
	return n, nil
}

// auditHead is the id and hash the next row of the access log chains
// to: the last row's, or, when every row has been pruned, the newest
// prune record's up_to and last_hash.
func auditHead(ctx context.Context, tx querier) (last int64, prev string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&last, &prev)
	if !errors.Is(err, sql.ErrNoRows) {
		return last, prev, err
	}
	err = tx.QueryRowContext(ctx, `SELECT up_to, last_hash FROM audit_prune ORDER BY id DESC LIMIT 1`).Scan(&last, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return last, prev, err
}

// accessLogDetail says in Swedish what a prune removed, for the gallring's
// row in the access log.
func accessLogDetail(n int64, years int) string {
	return fmt.Sprintf("%s ur åtkomstloggen (äldre än %d år)", rader(n), years)
}
