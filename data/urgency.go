package data

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"arendestod/app"
)

// "Mest brådskande först" (app.CompareUrgency) in SQL. The rank depends on
// today, so no index can hold it; but the order is five stretches, each of
// which an index walks in order with today as a parameter:
//
//	0  owed by today or earlier (overdue, then due today)  cases_owed
//	1  owed later, the citizen has answered                cases_owed
//	2  owed later, no feedback yet                         cases_owed
//	3  open, nothing owed (answered, waiting), by due date cases_open_not_owed
//	4  closed, by due date                                 cases_status_due
//
// Ranks 0 and 1 (overdue, due today) are one stretch: ordered by the date
// owed, the overdue come first anyway. A page is read stretch by stretch
// until it is full, from the stretch of the row it continues after (keyset
// paging, with the row's own key in its stretch). Each stretch is one
// query that stops at the page's end, so a page costs a few index walks of
// at most a page each, never a sort of every match.

// urgencySegment is one stretch: its condition and the order (and keyset
// columns) within it.
type urgencySegment struct {
	cond  string
	args  []any
	order string
}

const (
	orderOwed = `feedback_due, received_at, id`
	orderDue  = `due_date, received_at, id`
)

func urgencySegments(today app.Date) []urgencySegment {
	t := today.String()
	return []urgencySegment{
		{`feedback_due <= ?`, []any{t}, orderOwed},
		{`feedback_due > ? AND citizen_pending = 1`, []any{t}, orderOwed},
		{`feedback_due > ? AND citizen_pending = 0`, []any{t}, orderOwed},
		{`status <> 'avslutad' AND feedback_due IS NULL`, nil, orderDue},
		{`status = 'avslutad'`, nil, orderDue},
	}
}

// urgencySegmentOf returns the stretch c is in on today and its key there.
func urgencySegmentOf(c *app.Case, today app.Date) (int, []any) {
	seg := 4
	switch app.UrgencyRank(c, today) {
	case app.UrgencyOverdue, app.UrgencyDueToday:
		seg = 0
	case app.UrgencyCitizenAnswered:
		seg = 1
	case app.UrgencyUnanswered:
		seg = 2
	case app.UrgencyAnswered:
		seg = 3
	}
	if seg <= 2 {
		due, _ := c.FeedbackDue()
		return seg, []any{due.String(), fmtTime(c.ReceivedAt), c.ID}
	}
	return seg, []any{c.DueDate.String(), fmtTime(c.ReceivedAt), c.ID}
}

// rowKey is where a page continues: the stretch of the row it continues
// after on today and the row's key there (urgencySegmentOf), and its key
// in the closed view's order.
type rowKey struct {
	seg       int
	key       []any
	closedKey []any
}

// keyOf returns the key of the row after, nil for nil. A broken case
// (scanCase) has fields that could not be read: its key is read from its
// stored row, the values the stretches' queries compared, so that paging
// goes past it once and never back.
func (db *DB) keyOf(ctx context.Context, after *app.Case, today app.Date) (*rowKey, error) {
	if after == nil {
		return nil, nil
	}
	if after.Broken == "" {
		seg, key := urgencySegmentOf(after, today)
		return &rowKey{seg, key, []any{nullTime(after.ClosedAt), after.ID}}, nil
	}
	var owed, closed sql.NullString
	var pending sql.NullInt64
	var status, due, received string
	err := db.ro.QueryRowContext(ctx, `SELECT feedback_due, citizen_pending, status, due_date, received_at, closed_at FROM cases WHERE id = ?`,
		after.ID).Scan(&owed, &pending, &status, &due, &received, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		// Gone since: continue where its fields say.
		seg, key := urgencySegmentOf(after, today)
		return &rowKey{seg, key, []any{nullTime(after.ClosedAt), after.ID}}, nil
	} else if err != nil {
		return nil, err
	}
	k := &rowKey{closedKey: []any{closed, after.ID}}
	if !closed.Valid {
		k.closedKey[0] = nil
	}
	// The stretches' conditions (urgencySegments), on the stored values.
	switch t := today.String(); {
	case owed.Valid && owed.String <= t:
		k.seg = 0
	case owed.Valid && pending.Int64 == 1:
		k.seg = 1
	case owed.Valid:
		k.seg = 2
	case status != string(app.StatusAvslutad):
		k.seg = 3
	default:
		k.seg = 4
	}
	if k.seg <= 2 {
		k.key = []any{owed.String, received, after.ID}
	} else {
		k.key = []any{due, received, after.ID}
	}
	return k, nil
}

// andWhere adds cond to a WHERE clause ("" or " WHERE ...").
func andWhere(where, cond string) string {
	switch {
	case cond == "":
		return where
	case where == "":
		return ` WHERE ` + cond
	}
	return where + ` AND ` + cond
}

// urgentStretch is the query of one stretch: its FROM hint, WHERE and
// ORDER BY.
type urgentStretch struct {
	hint  string
	where string
	args  []any
	order string
}

// urgentStretches returns, for rows matching where (with args; the
// conditions of rule and more) in urgency order on today after the row
// with key after (nil: from the start), each stretch's query in order. Stretches
// the rule cannot match are left out: the closed one for a view of open
// cases, the open ones for a view of closed cases; for views that keep
// efterarbete, the closed stretch holds only closed cases with steps left,
// said so that the partial indexes serve it.
func (db *DB) urgentStretches(where string, args []any, rule app.ViewRule, today app.Date, after *rowKey) []urgentStretch {
	segs := urgencySegments(today)
	first, key := 0, []any(nil)
	if after != nil {
		first, key = after.seg, after.key
	}
	stepsLeft := rule.Efterarbete || rule.OrEfterarbete
	var out []urgentStretch
	for i := first; i < len(segs); i++ {
		s := segs[i]
		closed := i == len(segs)-1
		if closed && rule.Open && !rule.OrEfterarbete || !closed && rule.Closed {
			continue
		}
		var hint string
		switch {
		case closed && stepsLeft:
			s.cond += ` AND steps_left > 0`
			if rule.Efterarbete {
				// Without statistics SQLite would walk every closed case.
				hint = db.d.indexedBy(`cases_efterarbete`)
			}
		case !closed && rule.Melior:
			hint = db.d.indexedBy(`cases_melior`)
		case i == 3 && !rule.Mine:
			// The open cases that owe nothing (a few hundred), not every
			// open case in due-date order.
			hint = db.d.indexedBy(`cases_open_not_owed`)
		}
		base := where
		if i <= 2 && rule.Open && hint == "" && db.d.server() {
			// Owed implies open (app.Case.FeedbackDue): without the
			// view's own "status <> 'avslutad'" PostgreSQL's planner
			// walks cases_owed in order rather than misjudging the two
			// conditions together and sorting every overdue case
			// (SQLite's plans, some with INDEXED BY, need no help). Not
			// "feedback_due IS NOT NULL" either: the planner multiplies
			// its selectivity (one case in twenty) with the stretch's
			// own, expects a twentieth of the rows and sorts them all
			// (a type group, a walked search); the stretch's comparison
			// on feedback_due already implies it, for cases_owed too.
			base = strings.Replace(base, `status <> 'avslutad'`, `TRUE`, 1)
		}
		w := andWhere(base, s.cond)
		a := append(append([]any(nil), args...), s.args...)
		if i == first && key != nil {
			w = andWhere(w, `(`+s.order+`) > (?, ?, ?)`)
			a = append(a, key...)
		}
		out = append(out, urgentStretch{hint, w, a, ` ORDER BY ` + s.order})
	}
	return out
}

// readStretches returns up to limit (0: all) rows of cols, after
// skipping offset, read from the stretches in order.
func (db *DB) readStretches(ctx context.Context, cols string, ss []urgentStretch, limit, offset int) ([]*app.Case, error) {
	var out []*app.Case
	want := limit + offset
	for _, s := range ss {
		q := `SELECT ` + cols + ` FROM cases` + s.hint + s.where + s.order
		a := s.args
		if limit > 0 {
			q += ` LIMIT ?`
			a = append(a, want-len(out))
		}
		rows, err := db.inboxRows(ctx, q, a, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if limit > 0 && len(out) >= want {
			break
		}
	}
	if offset >= len(out) {
		return nil, nil
	}
	return out[offset:], nil
}

// todayOf is the day a filter's order is computed for: f.Today, or the
// store's clock's day when the filter has none.
func (db *DB) todayOf(f app.CaseFilter) app.Date {
	if !f.Today.IsZero() {
		return f.Today
	}
	return app.DateOf(db.Now())
}

// countWhere counts the cases matching where (with args), the conditions
// of rule and more. A view that keeps efterarbete (Mina) is counted in
// two parts, open and closed with steps left, so that each part's index
// serves it.
func (db *DB) countWhere(ctx context.Context, rule app.ViewRule, where string, args []any) (int, error) {
	var n int
	if !rule.OrEfterarbete {
		hint := ""
		switch {
		case rule.Efterarbete:
			hint = db.d.indexedBy(`cases_efterarbete`)
		case rule.Melior:
			hint = db.d.indexedBy(`cases_melior`)
		}
		err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`+hint+where, args...).Scan(&n)
		return n, err
	}
	q := `SELECT (SELECT COUNT(*) FROM cases` + andWhere(where, `status <> 'avslutad'`) + `) + (SELECT COUNT(*) FROM cases` +
		andWhere(where, `status = 'avslutad' AND steps_left > 0`) + `)`
	err := db.ro.QueryRowContext(ctx, q, append(append([]any(nil), args...), args...)...).Scan(&n)
	return n, err
}

// sumCase is the SQL that counts the rows meeting conds.
func sumCase(conds []string) string {
	if len(conds) == 0 {
		return `COUNT(*)`
	}
	return `COALESCE(SUM(CASE WHEN ` + strings.Join(conds, ` AND `) + ` THEN 1 ELSE 0 END), 0)`
}
