package data_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/data"
	"arendestod/data/pgtest"
)

// A large table is copied with progress reports along the way, and the
// copy refuses a source that is itself a server.
func TestCopyToServerProgress(t *testing.T) {
	pgtest.Need(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "desk.db")
	src, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	// 25,000 settings rows, written behind the store's back for speed.
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 25000; i++ {
		if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, fmt.Sprintf("k%05d", i), "värde"); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	var reports []string
	res, err := data.CopyToServer(ctx, src, pgtest.DB(t), func(table string, done, total int64) {
		if table == "settings" {
			reports = append(reports, fmt.Sprintf("%d/%d", done, total))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(reports, " "); got != "0/25000 10000/25000 20000/25000 25000/25000" {
		t.Errorf("progress %s", got)
	}
	// Besides the settings only the access log's key record (audit_key).
	if res.Rows("settings") != 25000 || res.Rows("audit_key") != 1 || res.Total() != 25001 {
		t.Errorf("rows %d, key records %d, total %d", res.Rows("settings"), res.Rows("audit_key"), res.Total())
	}

	// A server is no source.
	pg, err := data.Open(pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if _, err := data.CopyToServer(ctx, pg, pgtest.DB(t), nil); err == nil {
		t.Error("copied from a server")
	}
}
