package data

import (
	"context"
	"strings"
	"unicode/utf8"

	"arendestod/app"
)

// The inbox's search at 100,000 cases, its faster paths (migration 0013).
//
// open_search holds each open case's type and search text and nothing
// else, kept by triggers on cases. A search among the open cases reads it
// whole: a few thousand short rows, where the same search on cases read
// each open case's wide row, one page each (PostgreSQL's trigram index
// answers only with a recheck of the row; SQLite's among every case).
//
//   - The open view's total with a search is counted there alone, on
//     SQLite also with a group alone. (On PostgreSQL a rare term through
//     its trigram index, a common one by reading the table.)
//   - An open view's page with a search first asks it for the matching
//     ids: when they are few (at most inboxFew) the page is read from them
//     alone; a common term is walked (see InboxPage), which finds a page
//     within a few hundred cases.
//   - The closed view's total with a search, capped as without one, is
//     the matches among all cases (the search index alone, no join with
//     cases, stopping early) less the matches among the open ones: every
//     case is either open or closed.

// inboxFew is how many matching open cases InboxPage reads by id; more
// are walked.
var inboxFew = 500

// openSearchOnly reports whether f selects the open cases (an open view
// whose rule says nothing else: Alla öppna), with at most a search and a
// type group, so that open_search alone answers its total.
func openSearchOnly(f app.CaseFilter) bool {
	return f.Rule() == (app.ViewRule{Open: true}) && f.Type == "" && f.Status == "" && f.Assignee == ""
}

// closedSearchOnly reports whether f is the closed view with a search of
// three or more characters (what the search index answers) and nothing
// else, its search matching no type's name (case_search holds no type).
func closedSearchOnly(f app.CaseFilter) bool {
	return f.Rule() == (app.ViewRule{Closed: true}) && f.Type == "" && f.Group == "" && f.Status == "" && f.Assignee == "" &&
		searchIndexed(strings.TrimSpace(f.Search))
}

// openSearchWhere is the WHERE clause over open_search of f's search and
// type group: the same test as caseWhere's among open cases (the search
// text holds the term, or the type's name does).
func openSearchWhere(f app.CaseFilter) (string, []any) {
	var conds []string
	var args []any
	if s := strings.TrimSpace(f.Search); s != "" {
		cond := `search LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(strings.ToLower(s))+"%")
		if keys := app.TypeKeysMatching(s); len(keys) > 0 {
			cond = `(` + cond + ` OR type IN (` + placeholders(len(keys)) + `))`
			for _, k := range keys {
				args = append(args, k)
			}
		}
		conds = append(conds, cond)
	}
	if f.Group != "" {
		keys := app.TypeKeysInGroup(f.Group)
		conds = append(conds, `type IN (`+placeholders(len(keys))+`)`)
		for _, k := range keys {
			args = append(args, k)
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// openMatches returns the ids of the open cases matching f's search and
// group (a superset of f's matches when its view says more), and whether
// they are all of them: false when there are more than few.
func (db *DB) openMatches(ctx context.Context, f app.CaseFilter, few int) ([]int64, bool, error) {
	where, args := openSearchWhere(f)
	rows, err := db.ro.QueryContext(ctx, `SELECT id FROM open_search`+where+` LIMIT ?`, append(args, few+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, false, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(ids) > few {
		return nil, false, nil
	}
	return ids, true, nil
}

// idsWhere adds "the case is one of ids" to where.
func (db *DB) idsWhere(where string, args []any, ids []int64) (string, []any) {
	args = append([]any(nil), args...)
	if db.d.server() {
		return andWhere(where, `id = ANY(?)`), append(args, ids)
	}
	for _, id := range ids {
		args = append(args, id)
	}
	return andWhere(where, `id IN (`+placeholders(len(ids))+`)`), args
}

// pageOfIDs returns up to limit of the cases among ids that match f
// without its search, in f's order, after the row after.
func (db *DB) pageOfIDs(ctx context.Context, f app.CaseFilter, ids []int64, after *rowKey, limit int) ([]*app.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	g := f
	g.Search = ""
	where, args := inboxWhere(db.d, g)
	where, args = db.idsWhere(where, args, ids)
	ss := db.inboxStretches(f, where, args, after)
	if f.View == app.ViewClosed {
		// Sorted, not walked: in the view's own index order the planner
		// would test each of tens of thousands of closed cases against
		// the ids (old matches lie at its end). The same order on a value
		// that index does not hold.
		for i := range ss {
			ss[i].order = strings.Replace(ss[i].order, `closed_at`, `closed_at || ''`, 1)
		}
	}
	return db.readStretches(ctx, inboxColumns, ss, limit, 0)
}

// searchRows is the FROM and WHERE of the search index's rows holding
// term (three characters or more): case_search alone, every case.
func (db *DB) searchRows(term string) (string, any) {
	if db.d.server() {
		cond, arg := db.d.contains(`body`, strings.ToLower(term))
		return ` FROM case_search WHERE ` + cond, arg
	}
	return ` FROM case_search WHERE case_search MATCH ?`, searchPhrase(term)
}

// closedSearchCount is InboxCount for closedSearchOnly: the closed cases
// matching, at most closedCap(f)+1. Matches among all cases are counted
// up to the cap plus the open matches (one statement, one snapshot).
func (db *DB) closedSearchCount(ctx context.Context, f app.CaseFilter) (int, error) {
	open, openArgs := openSearchWhere(app.CaseFilter{Search: f.Search})
	rows, arg := db.searchRows(strings.TrimSpace(f.Search))
	q := `WITH o AS MATERIALIZED (SELECT COUNT(*) AS n FROM open_search` + open + `)
		SELECT (SELECT COUNT(*) FROM (SELECT 1` + rows + ` LIMIT (SELECT n FROM o) + ?) AS capped) - (SELECT n FROM o)`
	args := append(append([]any(nil), openArgs...), arg, closedCap(f)+1)
	var n int
	if err := db.ro.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, err
	}
	return min(n, closedCap(f)+1), nil
}

// openSearchCount is InboxCount for openSearchOnly with a search or a
// group.
func (db *DB) openSearchCount(ctx context.Context, f app.CaseFilter) (int, error) {
	where, args := openSearchWhere(f)
	var n int
	err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM open_search`+where, args...).Scan(&n)
	return n, err
}

// searchIndexed reports whether the search index alone answers search
// (searchMatches): three characters or more, in no type's name.
func searchIndexed(search string) bool {
	return utf8.RuneCountInString(search) >= 3 && len(app.TypeKeysMatching(search)) == 0
}

// searchMatches returns the ids of every case whose search text holds
// term (three characters or more), open or closed, in no order, and
// whether they are all of them: false when there are more than
// inboxProbe.
func (db *DB) searchMatches(ctx context.Context, term string) ([]int64, bool, error) {
	from, arg := db.searchRows(term)
	rows, err := db.ro.QueryContext(ctx, `SELECT rowid`+from+` LIMIT ?`, arg, inboxProbe+1)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, false, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(ids) > inboxProbe {
		return nil, false, nil
	}
	return ids, true, nil
}
