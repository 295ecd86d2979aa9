package data

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"arendestod/app"
)

// AddStaff validates and stores a new staff member with their roles.
func (db *DB) AddStaff(ctx context.Context, s *app.Staff) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff WHERE hsa_id = ?`, s.HSAID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &app.Error{Code: app.ECONFLICT, Field: "hsa-id", Message: "det finns redan personal med HSA-ID " + s.HSAID}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO staff (hsa_id, name, email, active) VALUES (?, ?, ?, ?) RETURNING id`,
			s.HSAID, s.Name, s.Email, 1).Scan(&s.ID)
		if isUniqueViolation(err, "staff_hsa_id_key", "staff.hsa_id") {
			// Another desk added the same person a moment ago.
			return &app.Error{Code: app.ECONFLICT, Field: "hsa-id", Message: "det finns redan personal med HSA-ID " + s.HSAID}
		} else if err != nil {
			return wrapDBError(err)
		}
		s.Active = true
		tx.changed(app.Change{Kind: app.ChangeStaff, At: db.Now()})
		return saveRoles(ctx, tx, s)
	})
}

// UpdateStaff validates and stores changes to a staff member: name, e-mail,
// roles, active. The HSA-ID identifies them and is kept.
func (db *DB) UpdateStaff(ctx context.Context, s *app.Staff) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET name = ?, email = ?, active = ? WHERE hsa_id = ?`,
			s.Name, s.Email, boolInt(s.Active), s.HSAID)
		if err != nil {
			return wrapDBError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "Det finns ingen personal med HSA-ID %s.", s.HSAID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM staff WHERE hsa_id = ?`, s.HSAID).Scan(&s.ID); err != nil {
			return err
		}
		tx.changed(app.Change{Kind: app.ChangeStaff, At: db.Now()})
		return saveRoles(ctx, tx, s)
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func saveRoles(ctx context.Context, tx *txn, s *app.Staff) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_roles WHERE staff_id = ?`, s.ID); err != nil {
		return err
	}
	for _, r := range s.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_roles (staff_id, role) VALUES (?, ?)`, s.ID, string(r)); err != nil {
			return err
		}
	}
	return nil
}

const staffQuery = `SELECT s.id, s.hsa_id, s.name, s.email, s.active, COALESCE(string_agg(r.role, ','), ''), COALESCE(s.db_login, '')
	FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id`

func scanStaff(r rowScanner) (*app.Staff, error) {
	var s app.Staff
	var active int
	var roles string
	if err := r.Scan(&s.ID, &s.HSAID, &s.Name, &s.Email, &active, &roles, &s.DBLogin); err != nil {
		return nil, err
	}
	s.Active = active == 1
	s.Roles = app.RolesInOrder(strings.Split(roles, ","))
	return &s, nil
}

// StaffByHSAID returns one staff member.
func (db *DB) StaffByHSAID(ctx context.Context, hsaID string) (*app.Staff, error) {
	s, err := scanStaff(db.ro.QueryRowContext(ctx, staffQuery+` WHERE s.hsa_id = ? GROUP BY s.id`, app.StaffKey(hsaID)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Det finns ingen personal med HSA-ID %s.", hsaID)
	}
	return s, err
}

// ListStaff returns staff ordered by name.
func (db *DB) ListStaff(ctx context.Context, includeInactive bool) ([]*app.Staff, error) {
	q := staffQuery
	if !includeInactive {
		q += ` WHERE s.active = 1`
	}
	rows, err := db.ro.QueryContext(ctx, q+` GROUP BY s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*app.Staff
	for rows.Next() {
		s, err := scanStaff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	app.SortStaff(out)
	return out, nil
}
