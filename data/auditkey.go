package data

// The access log's key and what guards the log inside the database: the
// key record (audit_key, migration 0008), the MACs, the walk that checks
// the chain, and the check that the append-only triggers are in place.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"arendestod/app"
)

// auditEpoch is the access log's key record: which key (keyID), the
// log's random id (logID, named by its anchors), the last row chained
// with plain SHA-256 before the key (legacyUntil), and an HMAC of all
// three under the key (mac).
type auditEpoch struct {
	keyID       string
	logID       string
	legacyUntil int64
	mac         string
}

// lpMAC is an HMAC-SHA256 under key of fields, each preceded by its length
// (8 bytes, big-endian), so that no choice of field values can make two
// different rows read alike. Hex.
func lpMAC(key []byte, fields ...string) string {
	m := hmac.New(sha256.New, key)
	var n [8]byte
	for _, f := range fields {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		m.Write(n[:])
		m.Write([]byte(f))
	}
	return hex.EncodeToString(m.Sum(nil))
}

// auditMAC is the hash of a keyed row: its id, the hash of the row before
// it, and its content.
func auditMAC(key []byte, id int64, prev, at string, e app.AuditEntry) string {
	return lpMAC(key, "arendestod audit row v2", strconv.FormatInt(id, 10), prev, at, e.Actor, e.Unit,
		string(e.Patient), strconv.FormatInt(e.CaseID, 10), e.Action, e.Detail)
}

// epochMAC is the MAC of a key record.
func epochMAC(key []byte, e auditEpoch) string {
	return lpMAC(key, "arendestod audit key v1", e.keyID, e.logID, strconv.FormatInt(e.legacyUntil, 10))
}

// rowQuerier is what reads the key record: a pool, a transaction or a
// plain *sql.DB on a backup.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// readEpoch reads the key record; nil when the database has none.
func readEpoch(ctx context.Context, q rowQuerier) (*auditEpoch, error) {
	var e auditEpoch
	err := q.QueryRowContext(ctx, `SELECT key_id, log_id, legacy_until, mac FROM audit_key WHERE id = 1`).Scan(&e.keyID, &e.logID, &e.legacyUntil, &e.mac)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// msgKeyRecordChanged says that the key record does not follow from the
// key: someone changed it outside the program.
const msgKeyRecordChanged = "Åtkomstloggens nyckelpost (tabellen audit_key) är ändrad utanför programmet."

// auditKeyFor returns the key of epoch from keys and checks the record
// with it.
func auditKeyFor(keys app.AuditKeys, epoch *auditEpoch) ([]byte, error) {
	key, err := keys.AuditKey(epoch.keyID)
	if err != nil {
		var ae *app.Error
		if !errors.As(err, &ae) {
			err = app.Errorf(app.ENOTFOUND, "Nyckeln till åtkomstloggen (id %s) kunde inte läsas: %v", epoch.keyID, err)
		}
		return nil, err
	}
	if !hmac.Equal([]byte(epochMAC(key, *epoch)), []byte(epoch.mac)) {
		return nil, app.Errorf(app.ECONFLICT, "%s", msgKeyRecordChanged)
	}
	return key, nil
}

// loadAuditKey reads the key record and the key, writing the record
// first on a database that has none (a new one, or one from before the
// key): a new key from the key store, the rows so far left chained as
// they are. Without the key, or with a record that does not follow from
// it, the database is refused, unless it is opened ForAuditCheck.
func (db *DB) loadAuditKey(ctx context.Context) error {
	epoch, err := readEpoch(ctx, db.rw)
	if err != nil {
		return err
	}
	if epoch == nil && !db.opts.auditCheck {
		key, err := db.opts.keys.NewAuditKey()
		if err != nil {
			return app.Errorf(app.EINTERNAL, "Åtkomstloggens nyckel kunde inte skapas: %s", app.ErrorMessage(err))
		}
		rec := auditEpoch{keyID: app.AuditKeyID(key)}
		logID := make([]byte, 8)
		if _, err := rand.Read(logID); err != nil {
			return err
		}
		rec.logID = hex.EncodeToString(logID)
		err = db.inTx(ctx, func(tx *txn) error {
			// Under the access log's lock: no row is appended between
			// reading the last id and recording it.
			if err := db.d.lockAudit(ctx, tx); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&rec.legacyUntil); err != nil {
				return err
			}
			// Two desks starting on a new server database at once: the
			// first record stands.
			_, err := tx.ExecContext(ctx, `INSERT INTO audit_key (id, key_id, log_id, legacy_until, mac) VALUES (1, ?, ?, ?, ?)
				ON CONFLICT (id) DO NOTHING`, rec.keyID, rec.logID, rec.legacyUntil, epochMAC(key, rec))
			return err
		})
		if err != nil {
			return wrapDBError(err)
		}
		if epoch, err = readEpoch(ctx, db.rw); err != nil {
			return err
		}
	}
	db.epoch = epoch
	if epoch == nil {
		return nil // ForAuditCheck on a database from before the key
	}
	db.auditKey, db.auditKeyErr = auditKeyFor(db.opts.keys, epoch)
	if db.auditKeyErr != nil && !db.opts.auditCheck {
		return db.auditKeyErr
	}
	return nil
}

// chainRows is what walkChain reads: database/sql's rows or pgx's.
type chainRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// auditChainQuery reads the access log as walkChain does.
const auditChainQuery = `SELECT id, at, actor, unit, patient, COALESCE(case_id, 0), action, detail, prev_hash, hash FROM audit_log ORDER BY id`

// chain is what walkChain found.
type chain struct {
	rows, lastID, keyed int64
	lastHash            string
	brokenAt            int64  // first row that does not follow, 0 when none
	why                 string // Swedish, when rows are missing before brokenAt
	unchecked           bool   // keyed rows seen without the key
	// The row with id mark (markID = mark when seen): its hash and the
	// number of rows written up to and including it (pruned ones too).
	// markPruned: the row was removed by a prune that does not end at it,
	// so there is nothing left to compare.
	mark, markID, markRows int64
	markHash               string
	markPruned             bool
	// pruned is the number of rows removed by prunes (audit_prune).
	pruned int64
}

// walkChain walks the access log in id order. A row up to the key
// record's legacyUntil (every row when there is no record) must chain to
// the row before it with plain SHA-256 (auditHash); a row after it must
// have the next id after the row before it and the HMAC under key
// (auditMAC) of its content and the row before it. Without key the keyed
// rows' ids and links are checked, their MACs are not (unchecked).
// After prunes (the records in prunes, oldest first), the chain starts at
// the newest record: its up_to is the id before the first row, its
// last_hash the hash that row chains to; a record that is not the
// program's (checkPrunes) breaks the chain at the first row.
func walkChain(rows chainRows, epoch *auditEpoch, key []byte, mark int64, prunes []auditPrune) (chain, error) {
	c := chain{mark: mark}
	prev := ""
	var prevID, prunedTo int64
	badPrune, unchecked := checkPrunes(prunes, epoch, key)
	c.unchecked = unchecked
	if len(prunes) > 0 {
		newest := prunes[len(prunes)-1]
		prev, prevID, prunedTo = newest.lastHash, newest.upTo, newest.upTo
		c.pruned = prunedRows(prunes)
		if mark != 0 && mark <= prunedTo {
			var sum int64
			for _, p := range prunes {
				sum += p.removed
				if p.upTo == mark {
					c.markID, c.markRows, c.markHash = mark, sum, p.lastHash
				}
			}
			if c.markID == 0 {
				c.markID, c.markPruned = mark, true
			}
		}
	}
	first := true
	for rows.Next() {
		var e app.AuditEntry
		var at, patient, prevHash string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Unit, &patient, &e.CaseID, &e.Action, &e.Detail, &prevHash, &e.Hash); err != nil {
			return c, err
		}
		e.Patient = app.Personnummer(patient)
		c.rows++
		why, broken := "", false
		switch {
		case first && badPrune != 0:
			broken = true
			why = fmt.Sprintf("gallringspost nr %d i audit_prune är inte programmets: rader före nr %d kan ha tagits bort utanför gallringen", badPrune, e.ID)
		case e.ID <= prunedTo:
			broken = true
			why = fmt.Sprintf("rad nr %d skulle ha tagits bort av gallringen", e.ID)
		case epoch == nil || e.ID <= epoch.legacyUntil:
			broken = prevHash != prev || auditHash(prev, at, e) != e.Hash
		default:
			c.keyed++
			switch {
			case e.ID != prevID+1:
				broken = true
				if e.ID > prevID+1 {
					why = fmt.Sprintf("rad nr %d–%d saknas", prevID+1, e.ID-1)
				}
			case prevHash != prev:
				broken = true
			case key == nil:
				c.unchecked = true
			default:
				broken = !hmac.Equal([]byte(auditMAC(key, e.ID, prev, at, e)), []byte(e.Hash))
			}
		}
		if broken && c.brokenAt == 0 {
			c.brokenAt, c.why = e.ID, why
		}
		if e.ID == mark {
			c.markID, c.markRows, c.markHash = e.ID, c.rows+c.pruned, e.Hash
		}
		prev, prevID, first = e.Hash, e.ID, false
	}
	if first && badPrune != 0 && c.brokenAt == 0 {
		// Every row gone: the record that says so is not the program's.
		c.brokenAt = prunedTo + 1
		c.why = fmt.Sprintf("gallringspost nr %d i audit_prune är inte programmets", badPrune)
	}
	c.lastID, c.lastHash = prevID, prev
	return c, rows.Err()
}

// auditHash is the hash of a row from before the key: plain SHA-256 over
// the fields joined by the unit separator.
func auditHash(prev, at string, e app.AuditEntry) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{prev, at, e.Actor, e.Unit, string(e.Patient),
		strconv.FormatInt(e.CaseID, 10), e.Action, e.Detail}, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// pgAuditTriggers are the append-only triggers of the PostgreSQL schema:
// trigger, its table, and the function it runs.
// audit_log's DELETE guard lets through only rows a prune record covers
// (0011_audit_prune.sql).
var pgAuditTriggers = [][3]string{
	{"audit_log_no_update", "audit_log", "audit_log_append_only"},
	{"audit_log_no_delete", "audit_log", "audit_log_delete_guard"},
	{"audit_log_no_truncate", "audit_log", "audit_log_append_only"},
	{"audit_key_no_update", "audit_key", "audit_key_append_only"},
	{"audit_key_no_delete", "audit_key", "audit_key_append_only"},
	{"audit_key_no_truncate", "audit_key", "audit_key_append_only"},
	{"audit_prune_no_update", "audit_prune", "audit_prune_append_only"},
	{"audit_prune_no_delete", "audit_prune", "audit_prune_append_only"},
	{"audit_prune_no_truncate", "audit_prune", "audit_prune_append_only"},
}

// pgDeleteGuardSource is what audit_log_delete_guard must say.
const pgDeleteGuardSource = `
BEGIN
	IF OLD.id <= (SELECT COALESCE(MAX(p.up_to), 0) FROM audit_prune p) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'audit_log is append-only';
END;
`

// triggerProblems says in Swedish which of the schema's append-only
// triggers are missing, changed or (PostgreSQL) disabled; none when all
// are in place.
func (db *DB) triggerProblems(ctx context.Context) ([]string, error) {
	if !db.d.server() {
		return sqliteTriggerProblems(ctx, db.rw.db)
	}
	rows, err := db.rw.QueryContext(ctx, `SELECT t.tgname, c.relname, t.tgenabled::text, p.proname, p.prosrc
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
		WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace AND c.relname IN ('audit_log', 'audit_key', 'audit_prune')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type trig struct{ table, enabled, fn, src string }
	have := map[string]trig{}
	for rows.Next() {
		var name string
		var t trig
		if err := rows.Scan(&name, &t.table, &t.enabled, &t.fn, &t.src); err != nil {
			return nil, err
		}
		have[name] = t
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, w := range pgAuditTriggers {
		t, ok := have[w[0]]
		switch {
		case !ok || t.table != w[1]:
			out = append(out, fmt.Sprintf("Skyddet mot ändringar i %s saknas: triggern %s finns inte.", w[1], w[0]))
		case t.enabled != "O" && t.enabled != "A":
			out = append(out, fmt.Sprintf("Skyddet mot ändringar i %s är avstängt: triggern %s är inaktiverad.", w[1], w[0]))
		case t.fn != w[2] || !strings.Contains(t.src, "RAISE EXCEPTION") ||
			(w[2] == "audit_log_delete_guard" && strings.TrimSpace(t.src) != strings.TrimSpace(pgDeleteGuardSource)):
			out = append(out, fmt.Sprintf("Skyddet mot ändringar i %s är ändrat: triggern %s gör inte det den ska.", w[1], w[0]))
		}
	}
	return out, nil
}

// sqliteTriggerProblems compares the triggers of the SQLite database q
// with those this program's migrations make (referenceSchema).
func sqliteTriggerProblems(ctx context.Context, q *sql.DB) ([]string, error) {
	var version int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return nil, err
	}
	ref, err := referenceSchema(version)
	if err != nil {
		return nil, err
	}
	live, err := readSchema(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range ref {
		if o.typ != "trigger" {
			continue
		}
		l, ok := findObject(live, o.typ, o.name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("Skyddet mot ändringar i %s saknas: triggern %s finns inte.", o.table, o.name))
		case l.sql != o.sql || l.table != o.table:
			out = append(out, fmt.Sprintf("Skyddet mot ändringar i %s är ändrat: triggern %s gör inte det den ska.", o.table, o.name))
		}
	}
	return out, nil
}

// checkTriggers refuses a database whose append-only triggers are not in
// place, unless it is opened ForAuditCheck.
func (db *DB) checkTriggers(ctx context.Context) error {
	problems, err := db.triggerProblems(ctx)
	if err != nil {
		return err
	}
	if len(problems) > 0 && !db.opts.auditCheck {
		return app.Errorf(app.ECONFLICT, "Databasen %s är ändrad utanför programmet: %s Programmet startar inte så; kör arendestod audit verify för att se vad som ändrats.", db.path, strings.Join(problems, " "))
	}
	return nil
}
