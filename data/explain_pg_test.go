package data_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
)

// TestExplainInboxPG prints PostgreSQL's plans (EXPLAIN ANALYZE with
// buffers, through auto_explain) of every statement the inbox's first page
// and total run at 100,000 cases, for each search BenchmarkInboxPagePG
// covers. A tool, not a check: it runs only with ARENDESTOD_EXPLAIN=1.
//
//	ARENDESTOD_EXPLAIN=1 LANG=C.UTF-8 go test ./data -run ExplainInboxPG -v
func TestExplainInboxPG(t *testing.T) {
	if os.Getenv("ARENDESTOD_EXPLAIN") != "1" {
		t.Skip("set ARENDESTOD_EXPLAIN=1")
	}
	ctx := context.Background()
	srv := pgtest.Shared(t)
	loc := srv.Database(t, "")
	db, err := data.Open(loc)
	if err != nil {
		t.Fatal(err)
	}
	seedView(t, db, 100_000, time.Date(2016, 1, 4, 8, 0, 0, 0, app.Stockholm))
	db.Close()
	raw, err := sql.Open("pgx", loc)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	u, _ := url.Parse(loc)
	name := strings.TrimPrefix(u.Path, "/")
	if os.Getenv("ARENDESTOD_EXPLAIN_MIX") == "1" {
		// BenchmarkInboxPageMixPG's mix: all but one case in twenty closed.
		if _, err := raw.Exec(`UPDATE cases SET status = 'avslutad', first_feedback_at = received_at,
			closed_at = received_at, last_feedback_at = received_at, feedback_due = NULL, steps_left = 0
			WHERE id % 20 <> 0`); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`VACUUM ANALYZE`,
		`ALTER DATABASE "` + name + `" SET session_preload_libraries = 'auto_explain'`,
		`ALTER DATABASE "` + name + `" SET auto_explain.log_min_duration = 0`,
		`ALTER DATABASE "` + name + `" SET auto_explain.log_analyze = on`,
		`ALTER DATABASE "` + name + `" SET auto_explain.log_buffers = on`,
		`ALTER DATABASE "` + name + `" SET auto_explain.log_nested_statements = on`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db, err = data.Open(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	logPath := filepath.Join(srv.DataDir, "server.log")
	for _, vs := range []string{"", "uddevalla", "r05", "r0500", "zzz", "group", "closed:", "closed:uddevalla", "closed:r05", "closed:r0500", "closed:zzz", "closed:group"} {
		view, search := app.ViewOpen, vs
		if rest, ok := strings.CutPrefix(vs, "closed:"); ok {
			view, search = app.ViewClosed, rest
		}
		f := app.CaseFilter{View: view, Search: search}
		if search == "group" {
			f = app.CaseFilter{View: view, Group: app.GroupOvriga}
		}
		for i := 0; i < 3; i++ { // warm
			db.InboxPage(ctx, f, nil, 100)
			db.InboxCount(ctx, f)
		}
		before, _ := os.ReadFile(logPath)
		start := time.Now()
		if _, err := db.InboxPage(ctx, f, nil, 100); err != nil {
			t.Fatal(err)
		}
		page := time.Since(start)
		n, err := db.InboxCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		after, _ := os.ReadFile(logPath)
		t.Logf("==== %s %q: page %v, count %d in %v\n%s", view, search, page, n, time.Since(start)-page, after[len(before):])
	}
}
