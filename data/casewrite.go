package data

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"arendestod/app"
)

// Writing a case: its row, steps, events and search text, only what
// changed when the case as read is known (storeChangeFrom).

// storeChange writes a changed case, the events that say what happened
// and its search row, inside tx.
func (db *DB) storeChange(ctx context.Context, tx querier, c *app.Case, evs []app.Event) error {
	return db.storeChangeFrom(ctx, tx, nil, c, evs)
}

// storeChangeFrom is storeChange for a case read in this transaction as
// before (nil when unknown): it writes only what the action changed (the
// steps that differ, the search row when the reference, the unit or the
// notes changed) and takes the new version from the events it inserts.
// On a server each statement is a round trip, so an action's latency is
// mostly their count.
func (db *DB) storeChangeFrom(ctx context.Context, tx querier, before, c *app.Case, evs []app.Event) error {
	if err := db.saveCase(ctx, tx, before, c); err != nil {
		return err
	}
	for i := range evs {
		evs[i].CaseID = c.ID
	}
	if before == nil {
		if err := insertEvents(ctx, tx, evs); err != nil {
			return err
		}
	} else if last, err := insertEventsLast(ctx, tx, evs); err != nil {
		return err
	} else if last > 0 {
		c.Version = last
		newest := slices.Clone(evs)
		slices.Reverse(newest)
		c.RecentReply = app.RecentReply(newest)
	}
	noteChange(tx, caseChange(c, evs, db.Now()))
	if before != nil && before.Reference == c.Reference && before.Unit == c.Unit && !hasNote(evs) {
		return nil
	}
	return refreshSearch(ctx, tx, c.ID)
}

func hasNote(evs []app.Event) bool {
	for _, e := range evs {
		if e.Kind == app.EventNote {
			return true
		}
	}
	return false
}

// saveCase writes c's row and steps; before, when known, skips what did
// not change.
func (db *DB) saveCase(ctx context.Context, tx querier, before, c *app.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Reference != "" && (before == nil || before.Reference != c.Reference) {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE reference = ? AND id <> ?`, c.Reference, c.ID).Scan(&other)
		if err == nil {
			return &app.Error{Code: app.ECONFLICT, Field: "reference", Message: "ärendenumret " + c.Reference + " används redan av ärende nr " + strconv.FormatInt(other, 10)}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	err := execHeld(ctx, tx, `UPDATE cases SET type = ?, unit = ?, reference = ?, received_at = ?, due_date = ?,
		status = ?, assignee = ?, first_feedback_at = ?, closed_at = ?, branch = ?, patient_pnr = ?, patient_name = ?,
		updated_at = ?, citizen_answered_at = ?, next_feedback_due = ?, last_feedback_at = ?, last_action_at = ?, feedback = ?,
		feedback_due = ?, citizen_pending = ?, steps_left = ?, melior_open = ?, last_action_date = ? WHERE id = ?`,
		append(append([]any{c.Type, c.Unit, nullString(c.Reference), fmtTime(c.ReceivedAt), c.DueDate.String(), string(c.Status),
			nullString(c.Assignee), nullTime(c.FirstFeedbackAt), nullTime(c.ClosedAt), c.Branch,
			nullString(string(c.PatientPnr)), nullString(c.PatientName), fmtTime(db.Now())}, followArgs(c)...), c.ID)...)
	if err != nil {
		return wrapDBError(err)
	}
	if before == nil {
		return saveSteps(ctx, tx, c)
	}
	return saveStepsFrom(ctx, tx, before, c)
}

// searchBody is the text a case is found by. Lower case in Go: SQLite's
// LOWER and the trigram index fold ASCII only.
func searchBody(ref, unit, notes string) string {
	return strings.ToLower(ref + " " + unit + " " + notes)
}

// refreshSearch rewrites a case's row in the search index from its
// reference, unit and notes. It runs after the case's events are written.
func refreshSearch(ctx context.Context, tx querier, id int64) error {
	var ref, unit, notes string
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(reference, ''), unit,
		COALESCE((SELECT string_agg(detail, ' ' ORDER BY id) FROM case_events WHERE case_id = cases.id AND kind = 'note'), '')
		FROM cases WHERE id = ?`, id).Scan(&ref, &unit, &notes)
	if err != nil {
		return err
	}
	body := searchBody(ref, unit, notes)
	if err := execHeld(ctx, tx, `DELETE FROM case_search WHERE rowid = ?`, id); err != nil {
		return err
	}
	if err = execHeld(ctx, tx, `INSERT INTO case_search (rowid, body) VALUES (?, ?)`, id, body); err != nil {
		return err
	}
	return execHeld(ctx, tx, `UPDATE cases SET search = ? WHERE id = ?`, body, id)
}

func saveSteps(ctx context.Context, tx querier, c *app.Case) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM case_steps WHERE case_id = ?`, c.ID); err != nil {
		return err
	}
	for k, s := range c.Steps {
		if err := insertStep(ctx, tx, c.ID, k, s); err != nil {
			return err
		}
	}
	return nil
}

// saveStepsFrom writes only the steps that differ between before (the
// case as read in this transaction) and c: an action ticks one step or
// none, and on a server every statement is a round trip.
func saveStepsFrom(ctx context.Context, tx querier, before, c *app.Case) error {
	for k, old := range before.Steps {
		if now, ok := c.Steps[k]; ok && now.By == old.By && now.At.Equal(old.At) {
			continue
		}
		if err := execHeld(ctx, tx, `DELETE FROM case_steps WHERE case_id = ? AND step = ?`, c.ID, k); err != nil {
			return err
		}
	}
	for k, now := range c.Steps {
		if old, ok := before.Steps[k]; ok && now.By == old.By && now.At.Equal(old.At) {
			continue
		}
		if err := execHeld(ctx, tx, stmtInsertStep, c.ID, k, now.By, fmtTime(now.At)); err != nil {
			return err
		}
	}
	return nil
}

func insertStep(ctx context.Context, tx querier, id int64, k string, s app.StepState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_steps (case_id, step, done_by, done_at) VALUES (?, ?, ?, ?)`,
		id, k, s.By, fmtTime(s.At))
	return err
}

func insertEvents(ctx context.Context, tx querier, evs []app.Event) error {
	for _, e := range evs {
		if _, err := tx.ExecContext(ctx, stmtInsertEvent, e.CaseID, string(e.Kind), e.Actor, fmtTime(e.At), e.Detail); err != nil {
			return err
		}
	}
	return nil
}

// stmtInsertEventID inserts an event and returns its id.
const stmtInsertEventID = `INSERT INTO case_events (case_id, kind, actor, at, detail) VALUES (?, ?, ?, ?, ?) RETURNING id`

// insertEventsLast inserts evs and returns the id of the last one (0 for
// none): the case's new version. Unlike insertEvents, its statements run
// at once, never held back by an intake batch (rowBatcher).
func insertEventsLast(ctx context.Context, tx querier, evs []app.Event) (int64, error) {
	if t, ok := tx.(*txn); ok && t.conn != nil {
		return t.insertEventsLast(ctx, evs)
	}
	var last int64
	for _, e := range evs {
		if err := tx.QueryRowContext(ctx, stmtInsertEventID,
			e.CaseID, string(e.Kind), e.Actor, fmtTime(e.At), e.Detail).Scan(&last); err != nil {
			return 0, err
		}
	}
	return last, nil
}
