package data

import (
	"context"
	"strings"
	"unicode/utf8"

	"arendestod/app"
)

// The inbox's fast path. Cases answers "a page and the total" in one call,
// which at 100,000 cases costs a count of every match per keystroke just
// for the total. The inbox instead asks for one page at a time, continuing
// after the last row it has (keyset paging: deep pages cost what the first
// does), and for the total separately, so the list can update before the
// count is in. Rows carry no patient data: the list never shows it.

// inboxColumns are caseColumns without the patient: the list shows no
// patient data, so it neither reads nor audits any.
const inboxColumns = `id, type, unit, reference, message_id, received_at, due_date, status, assignee,
	first_feedback_at, closed_at, branch, NULL, NULL` + followColumns

// inboxWhere is caseWhere with two changes for speed at 100,000 cases.
// The type group is a filter (+type), so the planner walks the due-date
// index in order and stops at the page's end instead of sorting every case
// of the group. A search of three or more characters asks the trigram
// index with a phrase MATCH, which reads only the index, where LIKE reads
// every candidate row again to check it (about ten times slower for a term
// most rows share a part of, like "1177-05"). Both find the same cases:
// a trigram phrase matches exactly the rows holding it as a substring.
func inboxWhere(d dialect, f app.CaseFilter) (string, []any) {
	group, search := f.Group, strings.TrimSpace(f.Search)
	f.Group = ""
	if utf8.RuneCountInString(search) >= 3 {
		f.Search = ""
	}
	where, args := caseWhere(d, f)
	var conds []string
	if where != "" {
		conds = append(conds, strings.TrimPrefix(where, ` WHERE `))
	}
	if group != "" {
		keys := app.TypeKeysInGroup(group)
		conds = append(conds, d.typeFilter(len(keys)))
		for _, k := range keys {
			args = append(args, k)
		}
	}
	if f.Search == "" && search != "" {
		rule := f.Rule()
		cond, arg := d.searchIndex(search, rule.Open && !rule.OrEfterarbete)
		args = append(args, arg)
		if keys := app.TypeKeysMatching(search); len(keys) > 0 {
			cond = `(` + cond + ` OR type IN (` + placeholders(len(keys)) + `))`
			for _, k := range keys {
				args = append(args, k)
			}
		}
		conds = append(conds, cond)
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// searchPhrase is term as an FTS5 phrase: lower-cased in Go like the
// index, in double quotes, in which only a double quote is special.
func searchPhrase(term string) string {
	return `"` + strings.ReplaceAll(strings.ToLower(term), `"`, `""`) + `"`
}

// inboxProbe is how many cases, in the list's order, InboxPage reads
// before it decides a search is rare (see InboxPage).
var inboxProbe = 2000

// InboxPage returns up to limit cases matching f (its Limit and Offset are
// ignored), in the order Cases gives, starting after the case after (nil:
// from the start): the most urgent first on f.Today ("Mest brådskande
// först", see urgency.go); in the closed view the most recently closed
// first. Patient fields are empty. With f.Sort set the cases come in that
// column's order instead, and the page starts after the first f.Offset
// cases (after is then ignored).
//
// A search is answered one of two ways. A common term ("uddevalla", "1")
// matches many cases: walking the list's index in order and testing each
// case finds a page within a few hundred rows, while collecting every match
// first would read them all. A rare term ("1177-050123") is the other way
// round: the trigram index finds its few matches at once, while the walk
// would read every case. So the walk runs over the first inboxProbe cases
// only; when that does not fill the page, the index answers. Before the
// walk, the cheap question "how many match, if only a few": in the open
// views open_search answers it (at most inboxFew), elsewhere on a server
// the search index alone (at most inboxProbe); a few are read by id
// (inboxsearch.go).
func (db *DB) InboxPage(ctx context.Context, f app.CaseFilter, afterCase *app.Case, limit int) ([]*app.Case, error) {
	if limit <= 0 {
		limit = 100
	}
	if f.Sort.Sorted() {
		return db.inboxSorted(ctx, f, limit) // inboxsort.go
	}
	after, err := db.keyOf(ctx, afterCase, db.todayOf(f))
	if err != nil {
		return nil, err
	}
	search := strings.TrimSpace(f.Search)
	if rule := f.Rule(); search != "" && rule.Open && !rule.OrEfterarbete {
		// An open view: its matching cases are among the open ones that
		// open_search finds (inboxsearch.go). A few are read by id; a
		// common term is walked.
		ids, all, err := db.openMatches(ctx, f, inboxFew)
		if err != nil {
			return nil, err
		}
		if all {
			return db.pageOfIDs(ctx, f, ids, after, limit)
		}
	} else if db.d.server() && searchIndexed(search) {
		// On a server, first a short walk (inboxFew cases): a common
		// term fills the page within it. Then ask the search index alone
		// for the cases holding the term, open or closed, at most
		// inboxProbe of them (the planner, planning for the term, takes
		// the trigram index for a rare one and stops early for a common
		// one; no join with cases, which PostgreSQL planned as a walk of
		// every closed case). When they are all, the page is read from
		// them alone: the search runs once per page, not once per
		// stretch. A term in a type's name matches a whole type: common,
		// walked.
		out, done, err := db.inboxWalk(ctx, f, search, after, limit, inboxFew)
		if err != nil || done {
			return out, err
		}
		ids, all, err := db.searchMatches(ctx, search)
		if err != nil {
			return nil, err
		}
		if all {
			return db.pageOfIDs(ctx, f, ids, after, limit)
		}
	}
	if search != "" {
		// The walk: the first inboxProbe cases of the view, each tested.
		out, done, err := db.inboxWalk(ctx, f, search, after, limit, inboxProbe)
		if err != nil || done {
			return out, err
		}
		if !db.d.server() && f.View == app.ViewClosed && searchIndexed(search) {
			// A rare term in SQLite's closed view: its few cases,
			// from the search index alone, as on a server above.
			ids, all, err := db.searchMatches(ctx, search)
			if err != nil {
				return nil, err
			}
			if all {
				return db.pageOfIDs(ctx, f, ids, after, limit)
			}
		}
	}
	// No search, or a rare one: the index query.
	where, args := inboxWhere(db.d, f)
	return db.readStretches(ctx, inboxColumns, db.inboxStretches(f, where, args, after), limit, 0)
}

// inboxStretches returns the stretches (urgency.go) of the rows matching
// where, after the row after, in f's order: the closed view's is one
// stretch, most recently closed first.
func (db *DB) inboxStretches(f app.CaseFilter, where string, args []any, after *rowKey) []urgentStretch {
	if f.View != app.ViewClosed {
		return db.urgentStretches(where, args, f.Rule(), db.todayOf(f), after)
	}
	args = append([]any(nil), args...)
	if after != nil {
		where = andWhere(where, `(closed_at, id) < (?, ?)`)
		args = append(args, after.closedKey...)
	}
	return []urgentStretch{{"", where, args, db.d.closedOrder()}}
}

// searchTest is the per-case test of the walk: the case's search text
// (reference, unit, notes, lower-cased in Go) contains the term, or its
// type's Swedish name does.
func searchTest(d dialect, search string) (string, []any) {
	cond, like := d.walkTest(search)
	test := `(` + cond
	args := []any{like}
	if keys := app.TypeKeysMatching(search); len(keys) > 0 {
		test += ` OR type IN (` + placeholders(len(keys)) + `)`
		for _, k := range keys {
			args = append(args, k)
		}
	}
	return test + `)`, args
}

func (db *DB) inboxRows(ctx context.Context, q string, args []any, limit int) ([]*app.Case, error) {
	rows, err := db.ro.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]*app.Case, 0, limit)
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InboxCount returns how many cases match f (its Limit and Offset are
// ignored).
func (db *DB) InboxCount(ctx context.Context, f app.CaseFilter) (int, error) {
	// A group alone on PostgreSQL: an index-only count of the open
	// cases' type index (open_search's pages, read whole, may be many).
	if search := strings.TrimSpace(f.Search); (search != "" || f.Group != "" && !db.d.server()) && openSearchOnly(f) {
		return db.openSearchCount(ctx, f) // inboxsearch.go
	}
	if closedSearchOnly(f) {
		return db.closedSearchCount(ctx, f)
	}
	where, args := inboxWhere(db.d, f)
	if f.View == app.ViewClosed {
		// At most closedCap(f)+1 (app.ClosedCap): an exact count
		// of 95,000 closed cases is an index scan of them all (8 ms on
		// PostgreSQL, 30–40 ms with a common term); this stops early.
		var n int
		err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM cases`+where+` LIMIT ?) AS capped`,
			append(args, closedCap(f)+1)...).Scan(&n)
		return n, err
	}
	return db.countWhere(ctx, f.Rule(), where, args)
}

// closedCountCap is app.ClosedCountCap; tests lower it (SetClosedCountCap).
var closedCountCap = app.ClosedCountCap

// closedSearchCap is app.ClosedSearchCountCap; tests lower it
// (SetClosedSearchCountCap).
var closedSearchCap = app.ClosedSearchCountCap

// closedCap is app.ClosedCap(f) with the caps tests may have lowered.
func closedCap(f app.CaseFilter) int {
	if app.ClosedCap(f) == app.ClosedSearchCountCap {
		return min(closedCountCap, closedSearchCap)
	}
	return closedCountCap
}

// inboxWalk walks the first budget cases of f's view after the row after
// in its order, testing each against search, and returns the matches (up
// to limit) and whether they are the page: it is full, or the walk saw
// every case of the view.
func (db *DB) inboxWalk(ctx context.Context, f app.CaseFilter, search string, after *rowKey, limit, budget int) ([]*app.Case, bool, error) {
	g := f
	g.Search = ""
	where, viewArgs := inboxWhere(db.d, g)
	test, testArgs := searchTest(db.d, search)
	var out []*app.Case
	for _, s := range db.inboxStretches(f, where, viewArgs, after) {
		q := `SELECT ` + inboxColumns + ` FROM (SELECT * FROM cases` + s.hint + s.where + s.order + ` LIMIT ?) AS cases WHERE ` +
			test + s.order + ` LIMIT ?`
		args := append(append(append(append([]any(nil), s.args...), budget), testArgs...), limit-len(out))
		rows, err := db.inboxRows(ctx, q, args, 0)
		if err != nil {
			return nil, false, err
		}
		out = append(out, rows...)
		if len(out) == limit {
			return out, true, nil
		}
		// How many cases the walk read in this stretch: when the view
		// holds fewer than the budget, the walk saw every case and its
		// answer is complete. (Not asked when the page is full: then it
		// does not matter.)
		var probed int
		if err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM cases`+s.hint+s.where+s.order+` LIMIT ?) AS probe`,
			append(append([]any(nil), s.args...), budget)...).Scan(&probed); err != nil {
			return nil, false, err
		}
		budget -= probed
		if budget <= 0 {
			return out, false, nil
		}
	}
	return out, true, nil
}
