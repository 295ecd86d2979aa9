// Package jobs runs the daily work the app does by itself while it is
// open: a backup of the database and the retention run (gallring); the
// command line's `sync --watch` runs the gallring too.
package jobs

import (
	"context"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"arendestod/app"
)

// Defaults.
const (
	DefaultKeep   = 14
	DefaultMonths = 24
)

// Store is what the daily jobs need from storage.
type Store interface {
	app.SettingsStore
	// IsServer reports a database server (PostgreSQL): the daily backup
	// copies a local file and does not try to copy a server, whose
	// operator backs it up with pg_dump.
	IsServer() bool
	BackupRotate(ctx context.Context, dir string, keep int, now time.Time) (string, error)
	// Gallra removes patient identifiers from cases closed before cutoff
	// and returns how many cases it changed. It also removes access-log
	// rows older than app.SettingAccessLogYears (data.DB.Gallra).
	GallraCases(ctx context.Context, cutoff time.Time, actor string) (int, error)
}

// Runner runs the daily jobs.
type Runner struct {
	Store Store
	Now   func() time.Time
	// DefaultBackupDir is used when the setting is empty.
	DefaultBackupDir string
	// OnDone and OnError report each run; OnError's err has a Swedish
	// message for the status bar.
	OnDone  func(job, detail string)
	OnError func(job string, err error)
	// Logf writes to the log (log.Printf when nil): that the backup is
	// skipped on a server, once per Runner.
	Logf func(format string, args ...any)
	// RetentionOnly runs the gallring alone, no backup: the command
	// line's `sync --watch`, where a server with no window open must
	// still gallra; backups stay the window's and the server operator's.
	RetentionOnly bool

	skipOnce sync.Once
}

// serverBackupSkipped is what the log says, once, on a server.
const serverBackupSkipped = "daglig backup hoppas över: databasen ligger på en PostgreSQL-server och kopieras inte av programmet; säkerhetskopiera servern med pg_dump"

// DefaultBackupDir is the backups folder beside the default database.
func DefaultBackupDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "arendestod", "säkerhetskopior")
}

// RunDue runs each job that has not run today (Stockholm). It is safe to
// call often: a job that ran today is skipped.
func (r *Runner) RunDue(ctx context.Context) {
	now := r.Now()
	today := app.DateOf(now).String()
	run := func(job, key string, fn func() (string, error)) {
		last, err := r.Store.Setting(ctx, key)
		if err != nil {
			r.fail(job, err)
			return
		}
		if last == today {
			return
		}
		detail, err := fn()
		if err != nil {
			r.fail(job, err)
			return
		}
		if err := r.Store.SetSetting(ctx, key, today); err != nil {
			r.fail(job, err)
			return
		}
		if r.OnDone != nil {
			r.OnDone(job, detail)
		}
	}
	switch {
	case r.RetentionOnly:
		// No backup.
	case r.Store.IsServer():
		r.skipOnce.Do(func() {
			logf := r.Logf
			if logf == nil {
				logf = log.Printf
			}
			logf("%s", serverBackupSkipped)
		})
	default:
		r.runBackup(ctx, now, run)
	}
	run("gallring", app.SettingRetentionLast, func() (string, error) {
		months := r.intSetting(ctx, app.SettingRetentionMonths, DefaultMonths)
		n, err := r.Store.GallraCases(ctx, now.AddDate(0, -months, 0), app.ActorSystem)
		return strconv.Itoa(n), err
	})
}

// runBackup is the daily backup into the folder the settings name.
func (r *Runner) runBackup(ctx context.Context, now time.Time, run func(job, key string, fn func() (string, error))) {
	run("backup", app.SettingBackupLastRun, func() (string, error) {
		dir, _ := r.Store.Setting(ctx, app.SettingBackupDir)
		if dir == "" {
			dir = r.DefaultBackupDir
		}
		if dir == "" {
			dir = DefaultBackupDir()
		}
		keep := r.intSetting(ctx, app.SettingBackupKeep, DefaultKeep)
		return r.Store.BackupRotate(ctx, dir, keep, now)
	})
}

func (r *Runner) intSetting(ctx context.Context, key string, def int) int {
	v, err := r.Store.Setting(ctx, key)
	if err != nil || v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return def
	}
	return n
}

func (r *Runner) fail(job string, err error) {
	if r.OnError != nil {
		r.OnError(job, err)
	}
}

// Loop runs RunDue at start and then every interval until ctx is done.
func (r *Runner) Loop(ctx context.Context, interval time.Duration) {
	r.RunDue(ctx)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.RunDue(ctx)
		}
	}
}
