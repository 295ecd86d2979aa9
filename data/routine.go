package data

import (
	"context"
	"database/sql"
	"encoding/json"

	"arendestod/app"
)

// Issue 12's part of a case's row (migration 0005): what the case keeps
// after the first feedback, and the values app.Case.Derived gives, stored
// at every save so that views, counters and "Mest brådskande först" are
// plain SQL over indexed columns.

// followColumns are the case's own issue-12 fields, read with caseColumns.
const followColumns = `, citizen_answered_at, next_feedback_due, last_feedback_at, last_action_at, feedback`

// followRow holds followColumns as scanned.
type followRow struct {
	citizenAnswered, nextDue, lastFeedback, lastAction sql.NullString
	feedback                                           string
}

// fill sets c's issue-12 fields from the row; what cannot be read stays
// zero and is noted in f (see scanCase).
func (r *followRow) fill(c *app.Case, f *rowFaults) {
	c.CitizenAnsweredAt = f.nullTime("tid då invånaren svarade", r.citizenAnswered)
	if r.nextDue.Valid {
		c.NextFeedbackDue = f.date("dag för nästa återkoppling", r.nextDue.String)
	}
	c.LastFeedbackAt = f.nullTime("tid för senaste återkoppling", r.lastFeedback)
	if t := f.nullTime("tid för senaste åtgärd", r.lastAction); t != nil {
		c.LastActionAt = *t
	}
	var err error
	if c.Feedback, err = decodeFeedback(r.feedback); err != nil {
		f.add("återkopplingarna går inte att läsa")
	}
}

// storedMark is an app.FeedbackMark in the feedback column.
type storedMark struct {
	At   string `json:"at"`
	Kind string `json:"kind"`
	Step string `json:"step,omitempty"`
}

func encodeFeedback(marks []app.FeedbackMark) string {
	if len(marks) == 0 {
		return ""
	}
	out := make([]storedMark, len(marks))
	for i, m := range marks {
		out[i] = storedMark{At: fmtTime(m.At), Kind: m.Kind, Step: m.Step}
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

func decodeFeedback(s string) ([]app.FeedbackMark, error) {
	if s == "" {
		return nil, nil
	}
	var in []storedMark
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]app.FeedbackMark, len(in))
	for i, m := range in {
		t, err := parseTime(m.At)
		if err != nil {
			return nil, err
		}
		out[i] = app.FeedbackMark{At: t, Kind: m.Kind, Step: m.Step}
	}
	return out, nil
}

func nullDate(d app.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// followArgs are the values of followColumns and then of derivedColumns
// for c, in that order, as stored.
func followArgs(c *app.Case) []any {
	var lastAction any
	if !c.LastActionAt.IsZero() {
		lastAction = fmtTime(c.LastActionAt)
	}
	return append([]any{nullTime(c.CitizenAnsweredAt), nullDate(c.NextFeedbackDue), nullTime(c.LastFeedbackAt),
		lastAction, encodeFeedback(c.Feedback)}, derivedArgs(c)...)
}

// derivedColumns are app.CaseDerived's columns, in derivedArgs' order.
const derivedColumns = `feedback_due, citizen_pending, steps_left, melior_open, last_action_date`

func derivedArgs(c *app.Case) []any {
	d := c.Derived()
	return []any{nullDate(d.FeedbackDue), boolInt(d.CitizenPending), d.StepsLeft, boolInt(d.MeliorOpen), nullDate(d.LastActionDate)}
}

// fillDerived computes the derived columns of the cases that have none
// (steps_left IS NULL: rows migration 0005 found, which only the
// program's routine can judge), a batch at a time. Desks opening the same
// server at once compute the same values.
func (db *DB) fillDerived(ctx context.Context) error {
	const batch = 1000
	for {
		var ids []int64
		err := db.inTx(ctx, func(tx *txn) error {
			ids = ids[:0]
			rows, err := tx.QueryContext(ctx, `SELECT id FROM cases WHERE steps_left IS NULL ORDER BY id LIMIT ?`, batch)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, id := range ids {
				c, err := getCase(ctx, tx, id, "")
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE cases SET feedback_due = ?, citizen_pending = ?, steps_left = ?,
					melior_open = ?, last_action_date = ? WHERE id = ?`, append(derivedArgs(c), id)...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(ids) < batch {
			return err
		}
	}
}

// staleCutoff is the cutoff of "Ingen åtgärd på N dagar" on today: the
// clinic's number of working days (app.SettingStaleDays) by the calendar.
func (db *DB) staleCutoff(ctx context.Context, today app.Date) (app.Date, error) {
	v, err := db.Setting(ctx, app.SettingStaleDays)
	if err != nil {
		return app.Date{}, err
	}
	return app.StaleCutoff(db.Calendar(), today, app.StaleDaysOf(v)), nil
}

// StaleDays returns the clinic's number of working days without action
// after which an open case is flagged "Ingen åtgärd på N dagar".
func (db *DB) StaleDays(ctx context.Context) (int, error) {
	v, err := db.Setting(ctx, app.SettingStaleDays)
	return app.StaleDaysOf(v), err
}

// RecordMorningCheck records "Morgonkollen klar".
func (db *DB) RecordMorningCheck(ctx context.Context, m app.MorningCheck) error {
	if m.By == "" || m.At.IsZero() || m.Day.IsZero() {
		return app.Errorf(app.EINVALID, "Morgonkollen saknar vem, dag eller tid.")
	}
	return db.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO morning_checks (day, hsa_id, at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, m.Day.String(), m.By, fmtTime(m.At))
		return wrapDBError(err)
	})
}

// MorningChecks returns the checks of days in [from, to], oldest first.
func (db *DB) MorningChecks(ctx context.Context, from, to app.Date) ([]app.MorningCheck, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT day, hsa_id, at FROM morning_checks WHERE day >= ? AND day <= ?
		ORDER BY at, hsa_id`, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.MorningCheck
	for rows.Next() {
		var day, at string
		var m app.MorningCheck
		if err := rows.Scan(&day, &m.By, &at); err != nil {
			return nil, err
		}
		if m.Day, err = app.ParseDate(day); err != nil {
			return nil, err
		}
		if m.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// TypeWordings returns the wordings an administrator has taught the
// product (app.SettingTypeWordings).
func (db *DB) TypeWordings(ctx context.Context) (app.TypeWordings, error) {
	v, err := db.Setting(ctx, app.SettingTypeWordings)
	if err != nil {
		return nil, err
	}
	return app.ParseTypeWordings(v)
}

// LearnTypeWording teaches that wording means case type typeKey ("Den
// här formuleringen betyder …"), by actor; the change is written to the
// access log in the same transaction.
func (db *DB) LearnTypeWording(ctx context.Context, actor, wording, typeKey string) error {
	return db.changeWordings(ctx, actor, func(w app.TypeWordings) (string, error) {
		if err := w.Learn(wording, typeKey); err != nil {
			return "", err
		}
		return "Inlärd formulering: ”" + app.NormalizeTypeName(wording) + "” = " + typeKey, nil
	})
}

// ForgetTypeWording removes a learned wording, by actor, and logs it; it
// reports whether there was one (nothing is logged when there was not).
func (db *DB) ForgetTypeWording(ctx context.Context, actor, wording string) (bool, error) {
	var found bool
	err := db.changeWordings(ctx, actor, func(w app.TypeWordings) (string, error) {
		found = w.Forget(wording)
		if !found {
			return "", nil
		}
		return "Borttagen formulering: ”" + app.NormalizeTypeName(wording) + "”", nil
	})
	return found, err
}

// changeWordings reads the learned wordings, lets fn change them and say
// what it did (""; nothing changed), and stores them with an access-log
// row, one change at a time (the access log's lock).
func (db *DB) changeWordings(ctx context.Context, actor string, fn func(app.TypeWordings) (string, error)) error {
	if actor == "" {
		return app.Errorf(app.EINVALID, "Åtkomstloggen kräver vem som gjorde åtgärden.")
	}
	return db.inTx(ctx, func(tx *txn) error {
		if err := db.d.lockAudit(ctx, tx); err != nil {
			return err
		}
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, app.SettingTypeWordings).Scan(&v)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		w, err := app.ParseTypeWordings(v)
		if err != nil {
			return err
		}
		detail, err := fn(w)
		if err != nil || detail == "" {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, app.SettingTypeWordings, w.Encode()); err != nil {
			return wrapDBError(err)
		}
		return db.audit(ctx, tx, app.AuditEntry{Actor: actor, Action: app.AuditChange, Detail: detail})
	})
}

var _ app.MorningCheckStore = (*DB)(nil)
