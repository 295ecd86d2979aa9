package data_test

// Issue 13 item 3: the access log can no longer be cut short or rewritten
// unseen. Each test reproduces an attack that passed "audit verify"
// before the log was keyed, anchored and its triggers checked.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/secrets"
	"arendestod/data"
)

// memKeys is a key store in memory: a desk's keyring in a test.
type memKeys struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemKeys() *memKeys { return &memKeys{m: map[string][]byte{}} }

func (k *memKeys) AuditKey(id string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.m[id]; ok {
		return key, nil
	}
	return nil, app.Errorf(app.ENOTFOUND, "Nyckeln till åtkomstloggen (id %s) finns inte på den här datorn.", id)
}

func (k *memKeys) NewAuditKey() ([]byte, error) {
	key, err := secrets.NewKey()
	if err != nil {
		return nil, err
	}
	return key, k.SaveAuditKey(key)
}

func (k *memKeys) SaveAuditKey(key []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[app.AuditKeyID(key)] = key
	return nil
}

// openOpts opens the database at loc with opts, the clock at testNow,
// closed when the test ends.
func openOpts(tb testing.TB, loc string, opts ...data.Option) *data.DB {
	tb.Helper()
	db, err := data.Open(loc, opts...)
	if err != nil {
		tb.Fatalf("Open(%s): %v", loc, err)
	}
	db.Now = func() time.Time { return testNow }
	locations.Store(db, loc)
	tb.Cleanup(func() { db.Close() })
	return db
}

// plainHash is the chain's hash before the key: SHA-256 of the fields
// joined by the unit separator, as anyone can compute it.
func plainHash(prev, at, actor, unit, patient string, caseID int64, action, detail string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{prev, at, actor, unit, patient,
		strconv.FormatInt(caseID, 10), action, detail}, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// auditRow is a row of audit_log as the raw connection reads it.
type auditRow struct {
	id                                              int64
	at, actor, unit, patient, action, detail, prevH string
	caseID                                          int64
	hash                                            string
}

func readAuditRows(tb testing.TB, raw *rawConn) []auditRow {
	tb.Helper()
	rows, err := raw.Query(`SELECT id, at, actor, unit, patient, COALESCE(case_id, 0), action, detail, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.id, &r.at, &r.actor, &r.unit, &r.patient, &r.caseID, &r.action, &r.detail, &r.prevH, &r.hash); err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// withoutTriggers runs fn on raw with the access log's triggers out of the
// way and puts them back as they were, as a careful forger would (on
// SQLite the sqlite3 tool, on PostgreSQL the superuser).
func withoutTriggers(tb testing.TB, raw *rawConn, fn func()) {
	tb.Helper()
	exec := func(q string) {
		tb.Helper()
		if _, err := raw.Exec(q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	if raw.pg {
		exec(`ALTER TABLE audit_log DISABLE TRIGGER USER`)
		fn()
		exec(`ALTER TABLE audit_log ENABLE TRIGGER USER`)
		return
	}
	rows, err := raw.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`)
	if err != nil {
		tb.Fatal(err)
	}
	var names, sqls []string
	for rows.Next() {
		var n, s string
		rows.Scan(&n, &s)
		names, sqls = append(names, n), append(sqls, s)
	}
	rows.Close()
	for _, n := range names {
		exec(`DROP TRIGGER ` + n)
	}
	fn()
	for _, s := range sqls {
		exec(s)
	}
}

func mustExec(tb testing.TB, raw *rawConn, q string, args ...any) {
	tb.Helper()
	if _, err := raw.Exec(q, args...); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

// wantProblem fails unless CheckAudit finds a problem containing each of
// want.
func wantProblem(tb testing.TB, db *data.DB, want ...string) app.AuditCheck {
	tb.Helper()
	c, err := db.CheckAudit(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	all := strings.Join(c.Problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			tb.Errorf("CheckAudit problems %q, want one with %q", c.Problems, w)
		}
	}
	if c.OK() {
		tb.Errorf("CheckAudit found the log whole")
	}
	return c
}

func wantWhole(tb testing.TB, db *data.DB) app.AuditCheck {
	tb.Helper()
	c, err := db.CheckAudit(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if !c.OK() {
		tb.Errorf("CheckAudit: %q, want a whole log", c.Problems)
	}
	if id, err := db.VerifyAudit(context.Background()); err != nil || id != 0 {
		tb.Errorf("VerifyAudit = %d, %v", id, err)
	}
	return c
}

// Editing a row and recomputing every following hash with plain SHA-256
// passed before the key: now the MAC of the edited row is wrong.
func TestAuditRehashedChainDetected(t *testing.T) {
	db := MustOpenDB(t)
	auditRows(t, db, 5)
	wantWhole(t, db)
	raw := rawStore(t, db)
	rows := readAuditRows(t, raw)
	withoutTriggers(t, raw, func() {
		prev := rows[1].hash
		for i := 2; i < len(rows); i++ {
			r := rows[i]
			if i == 2 {
				r.detail = "oskyldig"
			}
			h := plainHash(prev, r.at, r.actor, r.unit, r.patient, r.caseID, r.action, r.detail)
			mustExec(t, raw, `UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?`, r.detail, prev, h, r.id)
			prev = h
		}
	})
	if id, err := db.VerifyAudit(context.Background()); err != nil || id != rows[2].id {
		t.Errorf("VerifyAudit = %d, %v; want %d", id, err, rows[2].id)
	}
	wantProblem(t, db, "första brutna rad är nr "+strconv.FormatInt(rows[2].id, 10)+".")
}

// A forged row appended after the last, chained correctly with plain
// SHA-256 (no trigger stands in its way: the log takes inserts), or with
// an id that leaves a gap.
func TestAuditForgedRowDetected(t *testing.T) {
	for _, gap := range []int64{1, 5} {
		t.Run("gap"+strconv.FormatInt(gap, 10), func(t *testing.T) {
			db := MustOpenDB(t)
			auditRows(t, db, 3)
			raw := rawStore(t, db)
			rows := readAuditRows(t, raw)
			last := rows[len(rows)-1]
			at := "2026-12-01T09:30:00.000Z"
			h := plainHash(last.hash, at, hsaThird, "", "", 0, "visa", "")
			id := last.id + gap
			mustExec(t, raw, `INSERT INTO audit_log (id, at, actor, unit, patient, action, detail, prev_hash, hash) VALUES (?, ?, ?, '', '', 'visa', '', ?, ?)`,
				id, at, hsaThird, last.hash, h)
			if got, err := db.VerifyAudit(context.Background()); err != nil || got != id {
				t.Errorf("VerifyAudit = %d, %v; want the forged row %d", got, err, id)
			}
			c := wantProblem(t, db, "första brutna rad är nr "+strconv.FormatInt(id, 10))
			if gap > 1 && !strings.Contains(strings.Join(c.Problems, " "), "saknas") {
				t.Errorf("the gap is not named: %q", c.Problems)
			}
		})
	}
}

// Deleting the last rows leaves the chain whole; the anchor written when
// the store closed says how far the log reached.
func TestAuditTruncationDetectedByAnchor(t *testing.T) {
	ctx := context.Background()
	loc := newLocation(t)
	var opts []data.Option
	if onPG() {
		// No file beside a server's database: the desk's log file.
		opts = append(opts, data.WithAnchors(filepath.Join(t.TempDir(), "arendestod.log")))
	}
	db := openOpts(t, loc, opts...)
	auditRows(t, db, 6)
	raw := rawStore(t, db)
	db.Close() // anchors the head: 6 rows

	withoutTriggers(t, raw, func() {
		mustExec(t, raw, `DELETE FROM audit_log WHERE id > (SELECT MAX(id) - 2 FROM audit_log)`)
	})
	db = openOpts(t, loc, opts...)
	if id, err := db.VerifyAudit(ctx); err != nil || id != 0 {
		t.Fatalf("VerifyAudit = %d, %v; the chain itself is whole", id, err)
	}
	c := wantProblem(t, db, "Åtkomstloggen har kortats", "6 rader till och med nr 6", "slutar vid nr 4 med 4 rader")
	if c.Anchor == nil || c.Anchor.LastID != 6 {
		t.Errorf("anchor %+v, want the one of 6 rows", c.Anchor)
	}
	// Closing and opening again (new anchors of the shorter log) does not
	// hide it.
	db.Close()
	db = openOpts(t, loc, opts...)
	wantProblem(t, db, "Åtkomstloggen har kortats")
}

// The anchors are owner-only lines that name the key, and a line not
// MACed with the key counts for nothing.
func TestAuditAnchorFile(t *testing.T) {
	sqliteOnly(t, "the anchor file beside the database file")
	path := filepath.Join(t.TempDir(), "a.db")
	db := mustOpenAt(t, path)
	auditRows(t, db, 3)
	db.Close()
	fi, err := os.Stat(data.AnchorPath(path))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("anchor file mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(data.AnchorPath(path))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	lastLine := lines[len(lines)-1]
	if !strings.HasPrefix(lastLine, "arendestod-audit-anchor v1 key=") || !strings.Contains(lastLine, " rows=3 last=3 ") || !strings.Contains(lastLine, "kind=close") {
		t.Errorf("last anchor %q", lastLine)
	}
	// A forger appends an anchor of a shorter log without the key's MAC:
	// ignored, and the real anchor still finds the cut.
	forged := strings.Replace(strings.Replace(lastLine, "rows=3 last=3", "rows=1 last=1", 1), "kind=close", "kind=restore", 1)
	f, _ := os.OpenFile(data.AnchorPath(path), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(forged + "\n")
	f.Close()
	raw := rawDB(t, path)
	withoutTriggers(t, &rawConn{DB: raw}, func() {
		mustExec(t, &rawConn{DB: raw}, `DELETE FROM audit_log WHERE id > 1`)
	})
	raw.Close()
	db = mustOpenAt(t, path)
	wantProblem(t, db, "Åtkomstloggen har kortats", "3 rader till och med nr 3")
}

// Open refuses a database whose append-only triggers are gone, disabled
// or replaced; opened for the check, CheckAudit names them.
func TestAuditTriggersCheckedAtOpen(t *testing.T) {
	tests := []struct {
		name, want string
		sqlite, pg []string
	}{
		{"Dropped", "triggern audit_log_no_delete finns inte",
			[]string{`DROP TRIGGER audit_log_no_delete`},
			[]string{`DROP TRIGGER audit_log_no_delete ON audit_log`}},
		{"Replaced", "triggern audit_log_no_update gör inte det den ska",
			[]string{`DROP TRIGGER audit_log_no_update`, `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END`},
			[]string{`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`}},
		{"KeyRecord", "triggern audit_key_no_update finns inte",
			[]string{`DROP TRIGGER audit_key_no_update`},
			[]string{`DROP TRIGGER audit_key_no_update ON audit_key`}},
	}
	if onPG() {
		tests = append(tests, struct {
			name, want string
			sqlite, pg []string
		}{"Disabled", "triggern audit_log_no_truncate är inaktiverad", nil, []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate`}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := newLocation(t)
			db := openOpts(t, loc)
			auditRows(t, db, 2)
			raw := rawStore(t, db)
			db.Close()
			stmts := tt.sqlite
			if raw.pg {
				stmts = tt.pg
			}
			for _, q := range stmts {
				mustExec(t, raw, q)
			}
			_, err := data.Open(loc)
			if err == nil {
				t.Fatal("Open accepted the database")
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "audit verify") {
				t.Errorf("Open: %q, want %q and a pointer to audit verify", msg, tt.want)
			}
			chk := openOpts(t, loc, data.ForAuditCheck())
			wantProblem(t, chk, tt.want)
			if err := chk.Audit(context.Background(), app.AuditEntry{Actor: hsaMe, Action: "visa"}); err == nil {
				t.Error("a database opened for the check took an access-log row")
			}
		})
	}
}

// Without the key on this computer the database is refused with a
// Swedish line that says what to do; opened for the check, verify says it
// cannot check, and importing the right key mends it.
func TestAuditKeyMissing(t *testing.T) {
	ctx := context.Background()
	loc := newLocation(t)
	desk1 := newMemKeys()
	db := openOpts(t, loc, data.WithAuditKeys(desk1))
	auditRows(t, db, 2)
	key, err := db.ExportAuditKey(ctx)
	if err != nil || len(key) != app.AuditKeySize {
		t.Fatalf("ExportAuditKey: %d bytes, %v", len(key), err)
	}
	db.Close()

	desk2 := newMemKeys()
	_, err = data.Open(loc, data.WithAuditKeys(desk2))
	if err == nil || app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(app.ErrorMessage(err), app.AuditKeyID(key)) {
		t.Fatalf("Open without the key: %v, want ENOTFOUND naming the key's id", err)
	}
	chk := openOpts(t, loc, data.WithAuditKeys(desk2), data.ForAuditCheck())
	wantProblem(t, chk, "finns inte på den här datorn")
	if _, err := chk.VerifyAudit(ctx); err == nil {
		t.Error("VerifyAudit without the key: no error")
	}
	if err := chk.Audit(ctx, app.AuditEntry{Actor: hsaMe, Action: "visa"}); err == nil {
		t.Error("Audit without the key succeeded")
	}
	other, _ := secrets.NewKey()
	wantCode(t, chk.ImportAuditKey(ctx, other), app.EINVALID)
	if err := chk.ImportAuditKey(ctx, key); err != nil {
		t.Fatalf("ImportAuditKey: %v", err)
	}
	wantWhole(t, chk)
	chk.Close()
	db = openOpts(t, loc, data.WithAuditKeys(desk2))
	auditRows(t, db, 1)
	wantWhole(t, db)
}

// The key record cannot be changed without the key: raising the last
// plain-SHA-256 row would let a forger rewrite every row in plain SHA-256.
func TestAuditKeyRecordTampered(t *testing.T) {
	loc := newLocation(t)
	db := openOpts(t, loc)
	auditRows(t, db, 3)
	raw := rawStore(t, db)
	db.Close()
	if raw.pg {
		mustExec(t, raw, `ALTER TABLE audit_key DISABLE TRIGGER USER`)
		mustExec(t, raw, `UPDATE audit_key SET legacy_until = 1000`)
		mustExec(t, raw, `ALTER TABLE audit_key ENABLE TRIGGER USER`)
	} else {
		var trig string
		raw.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'audit_key_no_update'`).Scan(&trig)
		mustExec(t, raw, `DROP TRIGGER audit_key_no_update`)
		mustExec(t, raw, `UPDATE audit_key SET legacy_until = 1000`)
		mustExec(t, raw, trig)
	}
	if _, err := data.Open(loc); err == nil || !strings.Contains(app.ErrorMessage(err), "audit_key") {
		t.Fatalf("Open: %v, want the changed key record refused", err)
	}
	chk := openOpts(t, loc, data.ForAuditCheck())
	wantProblem(t, chk, "nyckelpost")
}

// The key is never in the database: no column holds it.
func TestAuditKeyNotInDatabase(t *testing.T) {
	db := MustOpenDB(t)
	auditRows(t, db, 1)
	key, err := db.ExportAuditKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	raw := rawStore(t, db)
	var id, mac string
	if err := raw.QueryRow(`SELECT key_id, mac FROM audit_key`).Scan(&id, &mac); err != nil {
		t.Fatal(err)
	}
	if id != app.AuditKeyID(key) || strings.Contains(mac, hex.EncodeToString(key)) || strings.Contains(id, hex.EncodeToString(key)[:16]) {
		t.Errorf("key record %s %s", id, mac)
	}
}

// Two logs under one key (a clinic's key file) anchored in one log file:
// each is compared with its own anchors only.
func TestAnchorsOfAnotherLogIgnored(t *testing.T) {
	dir := t.TempDir()
	keys := data.WithAuditKeys(secrets.Keys{KeyFile: filepath.Join(dir, "audit.key")})
	shared := data.WithAnchors(filepath.Join(dir, "arendestod.log"))
	locA, locB := newLocation(t), newLocation(t)
	a := openOpts(t, locA, keys, shared)
	auditRows(t, a, 5)
	a.Close()
	b := openOpts(t, locB, keys, shared)
	auditRows(t, b, 1)
	c := wantWhole(t, b)
	// B's own anchor, written when it opened; A's says 5 rows.
	if c.Anchor == nil || c.Anchor.LastID != 0 {
		t.Errorf("B compared with %+v, want its own anchor", c.Anchor)
	}
}
