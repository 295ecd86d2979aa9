package data

import (
	"context"

	"arendestod/app"
)

// OpenCasesByAssignee returns how many open cases each staff member
// holds, by HSA-ID (Fördela with the load in view, issue 12 item 8).
// Closed cases with efterarbete left are not counted: they are work the
// assignee already finished in 1177.
func (db *DB) OpenCasesByAssignee(ctx context.Context) (map[string]int, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT assignee, COUNT(*) FROM cases
		WHERE status <> ? AND assignee IS NOT NULL AND assignee <> '' GROUP BY assignee`, string(app.StatusAvslutad))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var who string
		var n int
		if err := rows.Scan(&who, &n); err != nil {
			return nil, err
		}
		out[who] = n
	}
	return out, rows.Err()
}
