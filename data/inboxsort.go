package data

import (
	"context"
	"strconv"
	"strings"

	"arendestod/app"
)

// The inbox sorted by a column (a click on its header): one query in
// that column's order, paged by offset. The urgency order's keyset paging
// (urgency.go) needs the order's own index; a column order is asked for
// now and then, and an offset page costs what the rows before it cost.

// inboxSorted returns up to limit cases matching f in f.Sort's order,
// after the first f.Offset of them; the case id breaks ties.
func (db *DB) inboxSorted(ctx context.Context, f app.CaseFilter, limit int) ([]*app.Case, error) {
	where, args := inboxWhere(db.d, f)
	dir := ` ASC`
	if f.Sort.Desc {
		dir = ` DESC`
	}
	q := `SELECT ` + inboxColumns + ` FROM cases` + where + ` ORDER BY ` + db.sortKey(f.Sort.Column) + dir + `, id` + dir +
		` LIMIT ? OFFSET ?`
	args = append(args, limit, max(f.Offset, 0))
	return db.inboxRows(ctx, q, args, limit)
}

// sortKey is the SQL expression a column sorts by: the type by its
// Swedish name and the status in the order a case moves through them,
// as app ranks them; the handläggare by name; text the same on both
// backends (byte order, empty first).
func (db *DB) sortKey(column string) string {
	text := func(expr string) string {
		expr = `COALESCE(` + expr + `, '')`
		if db.d.server() {
			expr += ` COLLATE "C"`
		}
		return expr
	}
	rank := func(col string, keys []string) string {
		var b strings.Builder
		b.WriteString(`CASE ` + col)
		for i, k := range keys {
			// The keys are the program's own constants, never input.
			b.WriteString(` WHEN '` + strings.ReplaceAll(k, `'`, `''`) + `' THEN ` + strconv.Itoa(i))
		}
		b.WriteString(` ELSE ` + strconv.Itoa(len(keys)) + ` END`)
		return b.String()
	}
	switch column {
	case app.SortReference:
		return text(`reference`)
	case app.SortType:
		return rank(`type`, app.TypeKeysByName())
	case app.SortUnit:
		return text(`unit`)
	case app.SortDue:
		return `due_date`
	case app.SortStatus:
		var keys []string
		for _, s := range app.Statuses() {
			keys = append(keys, string(s))
		}
		return rank(`status`, keys)
	case app.SortAssignee:
		return text(`(SELECT name FROM staff WHERE staff.hsa_id = cases.assignee)`)
	}
	return `received_at`
}
