package data

import (
	"context"
	"database/sql"
	"errors"

	"arendestod/app"
)

// Setting returns a setting's value, "" when unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.ro.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting stores a setting. Secrets never come here: they live in the
// OS keyring.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		tx.changed(app.Change{Kind: app.ChangeSettings, At: db.Now()})
		return wrapDBError(err)
	})
}

// SetOnDuty makes hsaID the 1177-ansvarig on day; an empty hsaID clears it.
func (db *DB) SetOnDuty(ctx context.Context, day app.Date, hsaID string) error {
	hsaID = app.StaffKey(hsaID)
	return db.inTx(ctx, func(tx *txn) error {
		tx.changed(app.Change{Kind: app.ChangeSchedule, At: db.Now()})
		if hsaID == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM schedule WHERE day = ?`, day.String())
			return err
		}
		s, err := scanStaff(tx.QueryRowContext(ctx, staffQuery+` WHERE s.hsa_id = ? GROUP BY s.id`, hsaID))
		if errors.Is(err, sql.ErrNoRows) {
			s = nil
		} else if err != nil {
			return err
		}
		if err := app.CheckOnDuty(s, hsaID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schedule (day, hsa_id) VALUES (?, ?)
			ON CONFLICT (day) DO UPDATE SET hsa_id = excluded.hsa_id`, day.String(), hsaID)
		return wrapDBError(err)
	})
}

// Schedule returns who is on duty each scheduled day in [from, to].
func (db *DB) Schedule(ctx context.Context, from, to app.Date) (map[app.Date]string, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT day, hsa_id FROM schedule WHERE day >= ? AND day <= ?`, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[app.Date]string{}
	for rows.Next() {
		var day, id string
		if err := rows.Scan(&day, &id); err != nil {
			return nil, err
		}
		d, err := app.ParseDate(day)
		if err != nil {
			return nil, err
		}
		out[d] = id
	}
	return out, rows.Err()
}

// Calendar returns the working-day calendar: public holidays and the
// clinic's own closed days.
func (db *DB) Calendar() *app.Calendar {
	db.calMu.RLock()
	defer db.calMu.RUnlock()
	return db.cal
}

func (db *DB) loadCalendar(ctx context.Context) error {
	days, err := db.ClosedDays(ctx)
	if err != nil {
		return err
	}
	cal := app.NewCalendar(days...)
	db.calMu.Lock()
	db.cal = cal
	db.calMu.Unlock()
	return nil
}

// ClosedDays returns the clinic's own closed days.
func (db *DB) ClosedDays(ctx context.Context) ([]app.Holiday, error) {
	rows, err := db.rw.QueryContext(ctx, `SELECT day, label FROM closed_days ORDER BY day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Holiday
	for rows.Next() {
		var day, label string
		if err := rows.Scan(&day, &label); err != nil {
			return nil, err
		}
		d, err := app.ParseDate(day)
		if err != nil {
			return nil, err
		}
		out = append(out, app.Holiday{Date: d, Name: label})
	}
	return out, rows.Err()
}

// SetClosedDay adds (closed) or removes a clinic closed day. Due dates of
// cases already received are kept: the citizen was promised them.
func (db *DB) SetClosedDay(ctx context.Context, day app.Date, label string, closed bool) error {
	err := db.inTx(ctx, func(tx *txn) error {
		tx.changed(app.Change{Kind: app.ChangeClosedDays, At: db.Now()})
		var err error
		if closed {
			_, err = tx.ExecContext(ctx, `INSERT INTO closed_days (day, label) VALUES (?, ?)
				ON CONFLICT (day) DO UPDATE SET label = excluded.label`, day.String(), app.ClosedDayLabel(label))
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM closed_days WHERE day = ?`, day.String())
		}
		return wrapDBError(err)
	})
	if err != nil {
		return err
	}
	return db.loadCalendar(ctx)
}
