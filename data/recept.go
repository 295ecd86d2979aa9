package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"arendestod/app"
)

var _ app.ReceptStore = (*DB)(nil)

func init() {
	// Retention: a log row not changed since the cutoff loses its patient
	// identifiers (personnummer, name, note); date, läkemedel, läkare,
	// status and nurse stay, anonymous, like the cases' statistics.
	gallringExtra = append(gallringExtra, `UPDATE recept_log
		SET patient_pnr = '', patient_name = '', note = '', search_text = ''
		WHERE updated_at < ? AND (patient_pnr <> '' OR patient_name <> '' OR note <> '')`)
}

const receptColumns = `r.id, COALESCE(r.case_id, 0), r.day, r.patient_pnr, r.patient_name, r.lakemedel, r.lakare,
	r.status, r.note, r.nurse, r.created_at, COALESCE(c.unit, '')`

const receptFrom = ` FROM recept_log r LEFT JOIN cases c ON c.id = r.case_id`

// receptRow is an entry with the unit of its case, for the access log.
type receptRow struct {
	app.ReceptEntry
	unit string
}

func scanRecept(r rowScanner) (receptRow, error) {
	var x receptRow
	e := &x.ReceptEntry
	var day, pnr, status, created string
	err := r.Scan(&e.ID, &e.CaseID, &day, &pnr, &e.PatientName, &e.Lakemedel, &e.ForskrivandeLakare,
		&status, &e.Note, &e.Nurse, &created, &x.unit)
	if err != nil {
		return x, err
	}
	e.PatientPnr, e.Status = app.Personnummer(pnr), app.ReceptStatus(status)
	if e.Date, err = parseDay([]byte(day)); err != nil {
		return x, err
	}
	if e.CreatedAt, err = parseTime(created); err != nil {
		return x, err
	}
	return x, nil
}

// receptSearchText is what the log's search runs over, lower-cased here
// because SQLite's LOWER folds only ASCII.
func receptSearchText(e *app.ReceptEntry) string {
	return strings.ToLower(strings.Join([]string{e.PatientName, e.Lakemedel, e.ForskrivandeLakare}, "\x1f")) +
		"\x1f" + string(e.PatientPnr)
}

func receptWhere(f app.ReceptFilter) (string, []any) {
	var conds []string
	var args []any
	if !f.From.IsZero() {
		conds = append(conds, `r.day >= ?`)
		args = append(args, f.From.String())
	}
	if !f.To.IsZero() {
		conds = append(conds, `r.day <= ?`)
		args = append(args, f.To.String())
	}
	if f.Status != "" {
		conds = append(conds, `r.status = ?`)
		args = append(args, string(f.Status))
	}
	if n := strings.TrimSpace(f.Nurse); n != "" {
		conds = append(conds, `r.nurse = ?`)
		args = append(args, n)
	}
	if f.CaseID != 0 {
		conds = append(conds, `r.case_id = ?`)
		args = append(args, f.CaseID)
	}
	if s := f.SearchTerm(); s != "" {
		conds = append(conds, `r.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+receptEscapeLike(s)+"%")
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// receptEscapeLike escapes LIKE's wildcards (with ESCAPE '\').
func receptEscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AddRecept validates and stores a new log entry. From a fornya-recept case
// it ticks the case's step "Noterat i receptförfrågningsloggen" in the same
// transaction, as app decides (ReceptEntry.NoteOnCase). The access log gets
// a row for the patient.
func (db *DB) AddRecept(ctx context.Context, e *app.ReceptEntry, actor string) error {
	now := db.Now()
	if err := e.PrepareNew(actor, now); err != nil {
		return err
	}
	var id int64
	err := db.inTx(ctx, func(tx *txn) error {
		c, err := db.noteReceptOnCase(ctx, tx, e, nil, actor, now)
		if err != nil {
			return err
		}
		unit := ""
		if c != nil {
			unit = c.Unit
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO recept_log (case_id, day, patient_pnr, patient_name, lakemedel, lakare,
			status, note, nurse, created_at, updated_at, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nullInt(e.CaseID), e.Date.String(), string(e.PatientPnr), e.PatientName, e.Lakemedel, e.ForskrivandeLakare,
			string(e.Status), e.Note, e.Nurse, fmtTime(now), fmtTime(now), receptSearchText(e)).Scan(&id)
		if err != nil {
			return wrapDBError(err)
		}
		return db.audit(ctx, tx, app.AuditEntry{At: now, Actor: actor, Unit: unit, Patient: e.PatientPnr,
			CaseID: e.CaseID, Action: app.AuditChange, Detail: "receptförfrågningsloggen: ny rad " + strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return err
	}
	e.ID, e.CreatedAt = id, now.In(app.Stockholm)
	return nil
}

// noteReceptOnCase carries out, inside tx, what storing e (new when old is
// nil, else a change of old) does to a case, as app decides: it loads the
// case app names (ReceptEntry.CaseToNote), lets e.NoteOnCase check and
// change it, and stores the change. It returns the case, nil when storing
// e notes none.
func (db *DB) noteReceptOnCase(ctx context.Context, tx querier, e, old *app.ReceptEntry, actor string, now time.Time) (*app.Case, error) {
	id := e.CaseToNote(old)
	if id == 0 {
		return nil, nil
	}
	c, err := getCaseToChange(ctx, tx, id, db.d.forUpdate())
	if app.ErrorCode(err) == app.ENOTFOUND {
		c = nil
	} else if err != nil {
		return nil, err
	}
	evs, err := e.NoteOnCase(c, actor, now)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 {
		if err := db.storeChange(ctx, tx, c, evs); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// UpdateRecept validates and stores changes to an entry. The nurse who
// noted it and when stay as first stored. A new CaseID ticks that case's
// step as AddRecept does. The access log gets a row for the patient, and
// one for the former patient when the personnummer changed.
func (db *DB) UpdateRecept(ctx context.Context, e *app.ReceptEntry, actor string) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	now := db.Now()
	return db.inTx(ctx, func(tx *txn) error {
		old, err := db.receptByID(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if err := e.PrepareChange(&old.ReceptEntry, now); err != nil {
			return err
		}
		c, err := db.noteReceptOnCase(ctx, tx, e, &old.ReceptEntry, actor, now)
		if err != nil {
			return err
		}
		// The access log names the unit of the entry's case, now.
		unit := old.unit
		if c != nil {
			unit = c.Unit
		} else if e.CaseID == 0 {
			unit = ""
		}
		_, err = tx.ExecContext(ctx, `UPDATE recept_log SET case_id = ?, day = ?, patient_pnr = ?, patient_name = ?,
			lakemedel = ?, lakare = ?, status = ?, note = ?, updated_at = ?, search_text = ? WHERE id = ?`,
			nullInt(e.CaseID), e.Date.String(), string(e.PatientPnr), e.PatientName, e.Lakemedel, e.ForskrivandeLakare,
			string(e.Status), e.Note, fmtTime(now), receptSearchText(e), e.ID)
		if err != nil {
			return wrapDBError(err)
		}
		detail := "receptförfrågningsloggen: rad " + strconv.FormatInt(e.ID, 10) + " ändrad"
		if old.PatientPnr != "" && old.PatientPnr != e.PatientPnr {
			if err := db.audit(ctx, tx, app.AuditEntry{At: now, Actor: actor, Unit: old.unit, Patient: old.PatientPnr,
				CaseID: old.CaseID, Action: app.AuditChange, Detail: detail + " (personnummer bytt)"}); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, app.AuditEntry{At: now, Actor: actor, Unit: unit, Patient: e.PatientPnr,
			CaseID: e.CaseID, Action: app.AuditChange, Detail: detail})
	})
}

func (db *DB) receptByID(ctx context.Context, q querier, id int64) (receptRow, error) {
	x, err := scanRecept(q.QueryRowContext(ctx, `SELECT `+receptColumns+receptFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, app.Errorf(app.ENOTFOUND, "Rad %d finns inte i receptförfrågningsloggen.", id)
	}
	return x, err
}

// Recept returns one log entry and writes that actor saw it.
func (db *DB) Recept(ctx context.Context, id int64, actor string) (*app.ReceptEntry, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	var out *app.ReceptEntry
	err := db.inTx(ctx, func(tx *txn) error {
		x, err := db.receptByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := db.auditRecept(ctx, tx, []receptRow{x}, actor, app.AuditView); err != nil {
			return err
		}
		out = &x.ReceptEntry
		return nil
	})
	return out, err
}

// ReceptEntries returns the entries matching f, newest first, and how many
// match in all; each patient shown gets a "visa" row in the access log,
// in the same transaction as the read.
func (db *DB) ReceptEntries(ctx context.Context, f app.ReceptFilter, actor string) ([]app.ReceptEntry, int, error) {
	if err := requireActor(actor); err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var out []app.ReceptEntry
	var total int
	err := db.inTx(ctx, func(tx *txn) error {
		where, args := receptWhere(f)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recept_log r`+where, args...).Scan(&total); err != nil {
			return err
		}
		q := `SELECT ` + receptColumns + receptFrom + where + ` ORDER BY r.day DESC, r.id DESC`
		if f.Limit > 0 {
			q += ` LIMIT ? OFFSET ?`
			args = append(args, f.Limit, f.Offset)
		}
		rows, err := db.queryRecept(ctx, tx, q, args)
		if err != nil {
			return err
		}
		if err := db.auditRecept(ctx, tx, rows, actor, app.AuditView); err != nil {
			return err
		}
		out = entriesOf(rows)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// ExportRecept hands every entry matching f (Limit and Offset ignored),
// oldest first, to write. The "exportera" rows of the access log commit
// only when write succeeds, so the log says exactly what left the program.
// write runs inside the store's write transaction: keep it to writing.
func (db *DB) ExportRecept(ctx context.Context, f app.ReceptFilter, actor string, write func([]app.ReceptEntry) error) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		where, args := receptWhere(f)
		rows, err := db.queryRecept(ctx, tx, `SELECT `+receptColumns+receptFrom+where+` ORDER BY r.day, r.id`, args)
		if err != nil {
			return err
		}
		if err := db.auditRecept(ctx, tx, rows, actor, app.AuditExport); err != nil {
			return err
		}
		return write(entriesOf(rows))
	})
}

func (db *DB) queryRecept(ctx context.Context, tx querier, q string, args []any) ([]receptRow, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []receptRow
	for rows.Next() {
		x, err := scanRecept(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func entriesOf(rows []receptRow) []app.ReceptEntry {
	out := make([]app.ReceptEntry, len(rows))
	for i := range rows {
		out[i] = rows[i].ReceptEntry
	}
	return out
}

// requireActor is app.RequireActor: the access log must say who.
func requireActor(actor string) error { return app.RequireActor(actor) }

// receptAuditMaxIDs is how many row numbers one access-log row names.
const receptAuditMaxIDs = 20

// auditRecept writes one access-log row per patient among rows (rows whose
// identifiers were removed by retention concern no patient), naming the
// log rows concerned, never the personnummer in the text.
func (db *DB) auditRecept(ctx context.Context, tx querier, rows []receptRow, actor, action string) error {
	type patient struct {
		unit   string
		caseID int64 // the one case of all the patient's rows; 0 when several or none
		ids    []int64
	}
	byPnr := map[app.Personnummer]*patient{}
	var order []app.Personnummer
	for i := range rows {
		x := &rows[i]
		if x.PatientPnr == "" {
			continue
		}
		p := byPnr[x.PatientPnr]
		if p == nil {
			p = &patient{unit: x.unit, caseID: x.CaseID}
			byPnr[x.PatientPnr] = p
			order = append(order, x.PatientPnr)
		}
		if p.caseID != x.CaseID {
			p.caseID = 0
		}
		if p.unit == "" {
			p.unit = x.unit
		}
		p.ids = append(p.ids, x.ID)
	}
	now := db.Now()
	// An export can name thousands of patients: prepare the access log's
	// statements once, not once per row.
	if len(order) > 1 {
		if t, ok := tx.(*txn); ok {
			sc := &stmtCache{tx: t, stmts: map[string]*sql.Stmt{}}
			defer sc.close()
			tx = sc
		}
	}
	for _, pnr := range order {
		p := byPnr[pnr]
		var b strings.Builder
		b.WriteString("receptförfrågningsloggen: rad ")
		for i, id := range p.ids {
			if i == receptAuditMaxIDs {
				fmt.Fprintf(&b, " och %d till", len(p.ids)-i)
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
		if err := db.audit(ctx, tx, app.AuditEntry{At: now, Actor: actor, Unit: p.unit, Patient: pnr,
			CaseID: p.caseID, Action: action, Detail: b.String()}); err != nil {
			return err
		}
	}
	return nil
}

// stmtCache is a querier over a transaction that prepares each distinct
// statement once and reuses it: the store's helpers (db.audit) run
// unchanged, only faster when called many times in one transaction.
type stmtCache struct {
	tx    *txn
	stmts map[string]*sql.Stmt
}

func (c *stmtCache) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	st, err := c.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.stmts[q] = st
	return st, nil
}

func (c *stmtCache) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return c.tx.QueryRowContext(ctx, q, args...) // reports the error through Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) close() {
	for _, st := range c.stmts {
		st.Close()
	}
}
