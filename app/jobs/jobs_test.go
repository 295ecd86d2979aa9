package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/jobs"
	"arendestod/data"
	"arendestod/data/pgtest"
)

func TestRunDueOncePerDay(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, app.Stockholm)
	dir := t.TempDir()
	if err := db.SetSetting(ctx, app.SettingBackupDir, dir); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, app.SettingBackupKeep, "2"); err != nil {
		t.Fatal(err)
	}
	var done []string
	r := &jobs.Runner{Store: db, Now: func() time.Time { return now },
		OnDone:  func(job, _ string) { done = append(done, job) },
		OnError: func(job string, err error) { t.Errorf("%s: %v", job, err) }}

	r.RunDue(ctx)
	r.RunDue(ctx) // same day: nothing
	if len(done) != 2 {
		t.Fatalf("first day ran %v, want backup and gallring once", done)
	}
	for day := 1; day <= 3; day++ {
		now = now.Add(24 * time.Hour)
		r.RunDue(ctx)
	}
	if len(done) != 8 {
		t.Fatalf("after four days ran %d jobs, want 8", len(done))
	}
	list, _ := data.ListBackups(dir)
	if len(list) != 2 {
		t.Fatalf("kept %d backups, want the setting's 2", len(list))
	}
	if filepath.Base(list[1]) != "arendestod-20261204-090000.db" {
		t.Errorf("newest backup %s", filepath.Base(list[1]))
	}
}

// On a PostgreSQL server the daily backup does not try to copy the
// server: it is skipped, and the log says so once; gallring runs.
func TestRunDueOnServer(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, app.Stockholm)
	dir := t.TempDir()
	if err := db.SetSetting(ctx, app.SettingBackupDir, dir); err != nil {
		t.Fatal(err)
	}
	var done, logged []string
	r := &jobs.Runner{Store: db, Now: func() time.Time { return now },
		OnDone:  func(job, _ string) { done = append(done, job) },
		OnError: func(job string, err error) { t.Errorf("%s: %v", job, err) },
		Logf:    func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }}
	for day := 0; day < 3; day++ {
		r.RunDue(ctx)
		now = now.Add(24 * time.Hour)
	}
	if !slices.Equal(done, []string{"gallring", "gallring", "gallring"}) {
		t.Errorf("ran %v, want gallring each day and no backup", done)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "pg_dump") {
		t.Errorf("log %q, want one line about pg_dump", logged)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("backup folder holds %v", entries)
	}
}

// RetentionOnly (sync --watch) runs the gallring once a day and never a
// backup.
func TestRunDueRetentionOnly(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, app.Stockholm)
	dir := t.TempDir()
	if err := db.SetSetting(ctx, app.SettingBackupDir, dir); err != nil {
		t.Fatal(err)
	}
	var done []string
	r := &jobs.Runner{Store: db, Now: func() time.Time { return now }, RetentionOnly: true,
		OnDone:  func(job, _ string) { done = append(done, job) },
		OnError: func(job string, err error) { t.Errorf("%s: %v", job, err) }}
	r.RunDue(ctx)
	r.RunDue(ctx)
	now = now.Add(24 * time.Hour)
	r.RunDue(ctx)
	if !slices.Equal(done, []string{"gallring", "gallring"}) {
		t.Errorf("ran %v, want gallring once a day", done)
	}
	if list, _ := data.ListBackups(dir); len(list) != 0 {
		t.Errorf("%d backups written", len(list))
	}
}

// The daily gallring (the window's and sync --watch's) also removes
// access-log rows older than the access log's own retention setting,
// and the log stays whole.
func TestRunDuePrunesAccessLog(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, app.Stockholm)
	for _, at := range []time.Time{now.AddDate(-8, 0, 0), now.AddDate(-7, 0, 0), now.AddDate(-1, 0, 0)} {
		if err := db.Audit(ctx, app.AuditEntry{At: at, Actor: app.ActorSystem, Action: "visa", Detail: "rad"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetSetting(ctx, app.SettingAccessLogYears, "6"); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return now }
	r := &jobs.Runner{Store: db, Now: func() time.Time { return now }, RetentionOnly: true,
		OnError: func(job string, err error) { t.Errorf("%s: %v", job, err) }}
	r.RunDue(ctx)
	es, err := db.AuditEntries(ctx, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Detail != "rad" || !strings.Contains(es[1].Detail, "2 rader ur åtkomstloggen (äldre än 6 år)") {
		t.Fatalf("after gallring: %+v", es)
	}
	if c, err := db.CheckAudit(ctx); err != nil || !c.OK() {
		t.Errorf("CheckAudit: %v %v", c.Problems, err)
	}
}
