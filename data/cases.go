package data

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"arendestod/app"
)

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const caseColumns = `id, type, unit, reference, message_id, received_at, due_date, status, assignee,
	first_feedback_at, closed_at, branch, patient_pnr, patient_name` + followColumns

type rowScanner interface{ Scan(dest ...any) error }

// CreateCase validates and stores a new case with its "received" event.
func (db *DB) CreateCase(ctx context.Context, c *app.Case, actor string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		if db.d.server() && c.Reference != "" {
			// PostgreSQL spends an id on an INSERT the unique index then
			// refuses (SQLite does not): ask first, so that a refused
			// duplicate leaves the numbering as on SQLite. The index stays
			// the guard against two desks at once.
			var other int64
			err := tx.QueryRowContext(ctx, stmtCaseByReference, c.Reference).Scan(&other)
			if err == nil {
				return duplicateReference(c.Reference)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		return db.createCase(ctx, tx, c, actor)
	})
}

func duplicateReference(ref string) error {
	return &app.Error{Code: app.ECONFLICT, Field: "reference", Message: "ett ärende med ärendenummer " + ref + " finns redan"}
}

// Statements run for every new case (prepared at Open, see hotStatements).
const (
	stmtInsertCase = `INSERT INTO cases (type, unit, reference, message_id, received_at, due_date, status,
		assignee, first_feedback_at, closed_at, branch, patient_pnr, patient_name, created_at, updated_at, search,
		citizen_answered_at, next_feedback_due, last_feedback_at, last_action_at, feedback,
		feedback_due, citizen_pending, steps_left, melior_open, last_action_date)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	stmtInsertStep      = `INSERT INTO case_steps (case_id, step, done_by, done_at) VALUES (?, ?, ?, ?)`
	stmtInsertSearch    = `INSERT INTO case_search (rowid, body) VALUES (?, ?)`
	stmtInsertEvent     = `INSERT INTO case_events (case_id, kind, actor, at, detail) VALUES (?, ?, ?, ?, ?)`
	stmtCaseByReference = `SELECT id FROM cases WHERE reference = ?`
	stmtLedgerLookup    = `SELECT case_id FROM ledger WHERE msg_key = ?`
	stmtLedgerInsert    = `INSERT INTO ledger (msg_key, source, outcome, case_id, seen_at) VALUES (?, ?, ?, ?, ?)`
)

func (db *DB) createCase(ctx context.Context, tx querier, c *app.Case, actor string) error {
	now := db.Now()
	// The search text of a new case: it has no notes yet.
	body := searchBody(c.Reference, c.Unit, "")
	// RETURNING, not LastInsertId: PostgreSQL's driver has none.
	err := db.queryRow(ctx, tx, stmtInsertCase, newCaseArgs(c, body, now)...).Scan(&c.ID)
	if err != nil {
		// The reference's index is the one unique index on cases (the id
		// is the rowid, whose violation is SQLITE_CONSTRAINT_PRIMARYKEY).
		if c.Reference != "" && isUniqueViolation(err, "cases_reference", "") {
			if db.d.server() {
				// The server's error stays in the chain: intake runs its
				// batch again when another desk stored the same notice at
				// the same moment (IngestBatch).
				return &causedError{duplicateReference(c.Reference).(*app.Error), err}
			}
			return duplicateReference(c.Reference)
		}
		return wrapDBError(err)
	}
	for k, st := range c.Steps {
		if _, err := db.exec(ctx, tx, stmtInsertStep, c.ID, k, st.By, fmtTime(st.At)); err != nil {
			return err
		}
	}
	if _, err := db.exec(ctx, tx, stmtInsertSearch, c.ID, body); err != nil {
		return err
	}
	_, err = db.exec(ctx, tx, stmtInsertEvent, c.ID, string(app.EventReceived), actor, fmtTime(now), "")
	noteChange(tx, app.Change{Kind: app.ChangeCase, CaseID: c.ID, Actor: actor, At: now, New: true, AssignedTo: c.Assignee})
	return err
}

// newCaseArgs are stmtInsertCase's arguments for the new case c with
// search text body, made at now.
func newCaseArgs(c *app.Case, body string, now time.Time) []any {
	return append([]any{c.Type, c.Unit, nullString(c.Reference), nullString(c.MessageID), fmtTime(c.ReceivedAt), c.DueDate.String(),
		string(c.Status), nullString(c.Assignee), nullTime(c.FirstFeedbackAt), nullTime(c.ClosedAt), c.Branch,
		nullString(string(c.PatientPnr)), nullString(c.PatientName), fmtTime(now), fmtTime(now), body},
		followArgs(c)...)
}

// createCaseWith is createCase followed by evs, the events that happened
// to the new case beyond its receipt (app.IngestDecision.Events).
func (db *DB) createCaseWith(ctx context.Context, tx querier, c *app.Case, actor string, evs []app.Event) error {
	if err := db.createCase(ctx, tx, c, actor); err != nil {
		return err
	}
	for i := range evs {
		evs[i].CaseID = c.ID
	}
	return insertEvents(ctx, tx, evs)
}

// Case returns the case with id, with its ticked steps.
func (db *DB) Case(ctx context.Context, id int64) (*app.Case, error) {
	if db.d.server() {
		return db.caseServer(ctx, id)
	}
	return getCase(ctx, db.ro, id, "")
}

// getCase reads case id through q. A write transaction that goes on to
// change the case passes lock = its dialect's forUpdate: on PostgreSQL
// the case's row stays locked to commit, so concurrent changes of one
// case apply one after the other, each to the state the one before left.
func getCase(ctx context.Context, q querier, id int64, lock string) (*app.Case, error) {
	if t, ok := q.(*txn); ok && t.conn != nil {
		return t.getCase(ctx, id, lock)
	}
	c, err := scanCase(q.QueryRowContext(ctx, stmtCaseByID+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, caseNotFound(id)
	} else if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, stmtCaseSteps, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if err := scanSteps(rows, c); err != nil {
		return nil, err
	}
	return c, caseVersion(ctx, q, c)
}

// The statements that read a case (getCase).
const (
	stmtCaseByID    = `SELECT ` + caseColumns + ` FROM cases WHERE id = ?`
	stmtCaseSteps   = `SELECT step, done_by, done_at FROM case_steps WHERE case_id = ?`
	stmtCaseVersion = `SELECT id, kind, actor, at, detail FROM case_events WHERE case_id = ? ORDER BY id DESC LIMIT 8`
)

func caseNotFound(id int64) error { return app.Errorf(app.ENOTFOUND, "Ärende nr %d finns inte.", id) }

// rowsScanner is *sql.Rows or pgx.Rows.
type rowsScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanSteps reads c's ticked steps from rows (stmtCaseSteps).
func scanSteps(rows rowsScanner, c *app.Case) error {
	for rows.Next() {
		var k, by, at string
		if err := rows.Scan(&k, &by, &at); err != nil {
			return err
		}
		t, err := parseTime(at)
		if err != nil {
			// Shown, not hidden: the step counts as ticked, the case as
			// broken.
			t = time.Time{}
			f := rowFaults{"tid för steget " + quoteStored(k) + " " + quoteStored(at) + " går inte att läsa"}
			if c.Broken == "" {
				c.Broken = f.String()
			} else {
				c.Broken = strings.TrimSuffix(c.Broken, ".") + "; " + f[0] + "."
			}
		}
		c.Steps[k] = app.StepState{By: by, At: t}
	}
	return rows.Err()
}

// getCaseToChange is getCase for a change: a broken case (scanCase) is
// refused, so that what could be read of it is never written back.
func getCaseToChange(ctx context.Context, q querier, id int64, lock string) (*app.Case, error) {
	c, err := getCase(ctx, q, id, lock)
	if err == nil && c.Broken != "" {
		return nil, brokenCase(c)
	}
	return c, err
}

// UpdateCase loads the case, lets fn change it, and stores the case and the
// events fn returns in one transaction; an error from fn stores nothing.
// A change to a case with patient data is written to the access log in the
// same transaction.
func (db *DB) UpdateCase(ctx context.Context, id int64, actor string, fn func(c *app.Case) ([]app.Event, error)) (*app.Case, error) {
	return db.UpdateCaseIf(ctx, id, actor, 0, fn)
}

// UpdateCaseIf is UpdateCase for an action taken on a view of the case at
// version seen (app.CaseVersionStore): when others changed the case since
// and app says the action needs the latest state (app.StaleConflict),
// nothing is stored and the error names who changed it. The check runs
// under the case's row lock, on the fresh case.
func (db *DB) UpdateCaseIf(ctx context.Context, id int64, actor string, seen int64, fn func(c *app.Case) ([]app.Event, error)) (*app.Case, error) {
	var out *app.Case
	err := db.inTx(ctx, func(tx *txn) error {
		c, err := getCaseToChange(ctx, tx, id, db.d.forUpdate())
		if err != nil {
			return err
		}
		before := c.Clone()
		evs, err := fn(c)
		if err != nil {
			return err
		}
		if seen > 0 && c.Version > seen {
			if err := db.checkStale(ctx, tx, id, actor, seen, evs); err != nil {
				return err
			}
		}
		if err := db.storeChangeFrom(ctx, tx, before, c, evs); err != nil {
			return err
		}
		if e := app.AuditCaseChange(before, c, actor, evs); e != nil {
			if err := db.audit(ctx, tx, *e); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	return out, err
}

// Events returns the history of a case, oldest first.
func (db *DB) Events(ctx context.Context, caseID int64) ([]app.Event, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT id, case_id, kind, actor, at, detail FROM case_events WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Event
	for rows.Next() {
		var e app.Event
		var kind, at string
		if err := rows.Scan(&e.ID, &e.CaseID, &kind, &e.Actor, &at, &e.Detail); err != nil {
			return nil, err
		}
		e.Kind = app.EventKind(kind)
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ruleConds turns a view's rule (app decides what each view selects) into
// SQL conditions over the stored and derived columns. An empty assignee
// is stored as NULL.
func ruleConds(r app.ViewRule) ([]string, []any) {
	var conds []string
	var args []any
	switch {
	case r.Open && r.OrEfterarbete:
		conds = append(conds, `(status <> 'avslutad' OR steps_left > 0)`)
	case r.Open && (r.Overdue || r.DueToday || r.CitizenAnswered):
		// A closed case owes nothing (feedback_due NULL, citizen_pending
		// 0): the index of owed cases answers without reading the rows.
	case r.Open:
		conds = append(conds, `status <> 'avslutad'`)
	}
	if r.Closed {
		conds = append(conds, `status = 'avslutad'`)
	}
	if r.Mine {
		conds = append(conds, `assignee = ?`)
		args = append(args, r.Me)
	}
	if r.Unassigned {
		conds = append(conds, `assignee IS NULL`)
	}
	// feedback_due is NULL when no feedback is owed (and when closed).
	if r.Overdue {
		conds = append(conds, `feedback_due < ?`)
		args = append(args, r.Today.String())
	}
	if r.DueToday {
		conds = append(conds, `feedback_due = ?`)
		args = append(args, r.Today.String())
	}
	if r.Efterarbete {
		conds = append(conds, `status = 'avslutad'`, `steps_left > 0`)
	}
	if r.CitizenAnswered {
		conds = append(conds, `citizen_pending = 1`)
	}
	if r.Stale {
		if r.StaleCutoff.IsZero() {
			conds = append(conds, `1 = 0`)
		} else {
			conds = append(conds, `last_action_date <= ?`)
			args = append(args, r.StaleCutoff.String())
		}
	}
	if r.Melior {
		conds = append(conds, `melior_open = 1`)
	}
	if !r.ReceivedFrom.IsZero() {
		conds = append(conds, `received_at >= ?`)
		args = append(args, fmtTime(r.ReceivedFrom.Time()))
	}
	return conds, args
}

// caseWhere builds the WHERE clause for f.
func caseWhere(d dialect, f app.CaseFilter) (string, []any) {
	conds, args := ruleConds(f.Rule())
	if f.Type != "" {
		conds = append(conds, `type = ?`)
		args = append(args, f.Type)
	}
	if f.Group != "" {
		keys := app.TypeKeysInGroup(f.Group)
		conds = append(conds, `type IN (`+placeholders(len(keys))+`)`)
		for _, k := range keys {
			args = append(args, k)
		}
	}
	if f.Status != "" {
		conds = append(conds, `status = ?`)
		args = append(args, string(f.Status))
	}
	if f.Assignee != "" {
		conds = append(conds, `assignee = ?`)
		args = append(args, f.Assignee)
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		// The body is lower case already (see dialect.contains).
		var alts []string
		switch f.View {
		case app.ViewClosed, app.ViewAll:
			// Among all cases the trigram index finds the few that match.
			cond, arg := d.contains(`body`, strings.ToLower(s))
			alts = append(alts, `id IN (SELECT rowid FROM case_search WHERE `+cond+`)`)
			args = append(args, arg)
		default:
			// The open cases are few: scanning them beats the index.
			cond, arg := d.contains(`search`, strings.ToLower(s))
			alts = append(alts, cond)
			args = append(args, arg)
		}
		// Type names are Swedish text in Go, not in the database: match
		// them here and search by key.
		if keys := app.TypeKeysMatching(s); len(keys) > 0 {
			alts = append(alts, `type IN (`+placeholders(len(keys))+`)`)
			for _, k := range keys {
				args = append(args, k)
			}
		}
		conds = append(conds, `(`+strings.Join(alts, ` OR `)+`)`)
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func escapeGlob(s string) string {
	return strings.NewReplacer(`[`, `[[]`, `*`, `[*]`, `?`, `[?]`).Replace(s)
}

// Cases returns the cases matching f, most urgent first on f.Today
// (app.CompareUrgency; the store's day when f has none), the closed view
// most recently closed first, and the total number that match.
func (db *DB) Cases(ctx context.Context, f app.CaseFilter) ([]*app.Case, int, error) {
	where, args := caseWhere(db.d, f)
	total := -1
	if f.Limit > 0 || f.Offset > 0 {
		// A page: the total of every match. (Without a limit the total
		// is the rows read, so that the two agree while intake writes.)
		n, err := db.countWhere(ctx, f.Rule(), where, args)
		if err != nil {
			return nil, 0, err
		}
		total = n
	}
	var out []*app.Case
	var err error
	if f.View != app.ViewClosed {
		out, err = db.readStretches(ctx, caseColumns, db.urgentStretches(where, args, f.Rule(), db.todayOf(f), nil), f.Limit, f.Offset)
	} else {
		q := `SELECT ` + caseColumns + ` FROM cases` + where + db.d.closedOrder()
		if f.Limit > 0 {
			q += ` LIMIT ? OFFSET ?`
			args = append(args, f.Limit, f.Offset)
		}
		out, err = db.inboxRows(ctx, q, args, f.Limit)
	}
	if total < 0 {
		total = len(out)
	}
	return out, total, err
}

// Counts returns the inbox counters: how many cases each of
// app.CountedViews and app.RoutineCountedViews selects for me on today,
// stale by the clinic's setting and calendar. Every counted view selects
// open cases or closed ones with steps left (efterarbete), never other
// closed ones: one pass over the open cases and one over the efterarbete
// (both partial indexes) count them all.
func (db *DB) Counts(ctx context.Context, me string, today app.Date) (app.CaseCounts, error) {
	var c app.CaseCounts
	cutoff, err := db.staleCutoff(ctx, today)
	if err != nil {
		return c, err
	}
	views := append(app.CountedViews(), app.RoutineCountedViews()...)
	var sums []string
	var sumArgs []any
	for _, v := range views {
		conds, a := ruleConds(app.CaseFilter{View: v, Me: me, Today: today, StaleCutoff: cutoff}.Rule())
		sums = append(sums, sumCase(conds))
		sumArgs = append(sumArgs, a...)
	}
	total := make([]int, len(views))
	for _, part := range []string{` WHERE status <> 'avslutad'`, db.d.indexedBy(`cases_efterarbete`) + ` WHERE status = 'avslutad' AND steps_left > 0`} {
		n := make([]int, len(views))
		dest := make([]any, len(views))
		for i := range n {
			dest[i] = &n[i]
		}
		if err := db.ro.QueryRowContext(ctx, `SELECT `+strings.Join(sums, `, `)+` FROM cases`+part,
			sumArgs...).Scan(dest...); err != nil {
			return c, err
		}
		for i := range n {
			total[i] += n[i]
		}
	}
	for i, v := range views {
		c.SetCount(v, total[i])
	}
	return c, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// caseVersion sets c.Version, the id of its latest event, and
// c.RecentReply from its latest events (app.RecentReply).
func caseVersion(ctx context.Context, q querier, c *app.Case) error {
	rows, err := q.QueryContext(ctx, stmtCaseVersion, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scanVersion(rows, c)
}

// scanVersion is caseVersion from rows (stmtCaseVersion).
func scanVersion(rows rowsScanner, c *app.Case) error {
	var latest []app.Event
	for rows.Next() {
		var e app.Event
		var kind, at string
		if err := rows.Scan(&e.ID, &kind, &e.Actor, &at, &e.Detail); err != nil {
			return err
		}
		e.Kind = app.EventKind(kind)
		var err error
		if e.At, err = parseTime(at); err != nil {
			return err
		}
		latest = append(latest, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.Version = 0
	if len(latest) > 0 {
		c.Version = latest[0].ID
	}
	c.RecentReply = app.RecentReply(latest)
	return nil
}

// CaseUnits returns the units the cases name, sorted, without "".
func (db *DB) CaseUnits(ctx context.Context) ([]string, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT DISTINCT unit FROM cases WHERE unit <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	slices.Sort(out) // the same order on both backends, whatever their collation
	return out, rows.Err()
}

// checkStale refuses, as app.StaleConflict decides, the events evs of an
// action by actor on a view of case id at version seen.
func (db *DB) checkStale(ctx context.Context, tx querier, id int64, actor string, seen int64, evs []app.Event) error {
	rows, err := tx.QueryContext(ctx, `SELECT kind, actor, at FROM case_events WHERE case_id = ? AND id > ? AND actor <> ? ORDER BY id`,
		id, seen, actor)
	if err != nil {
		return err
	}
	var others []app.Event
	for rows.Next() {
		var e app.Event
		var kind, at string
		if err := rows.Scan(&kind, &e.Actor, &at); err != nil {
			rows.Close()
			return err
		}
		e.Kind = app.EventKind(kind)
		if e.At, err = parseTime(at); err != nil {
			rows.Close()
			return err
		}
		others = append(others, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return app.StaleConflict(others, evs, func(hsaID string) string {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM staff WHERE hsa_id = ?`, hsaID).Scan(&name); err == nil && name != "" {
			return name
		}
		return app.ActorDisplayName(hsaID)
	})
}
