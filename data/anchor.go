package data

// Anchors: the access log's head (row count, last id, last hash) written
// outside the database, so that rows cut off the end of the log, which
// leave the chain whole, are found. An anchor is one line, appended to a
// file (the database's own anchor file AnchorPath, the log file, a
// backup's side file) and MACed with the log's key, so that nobody
// without the key can write one:
//
//	arendestod-audit-anchor v1 key=ID log=ID at=TIME rows=N last=ID hash=HEX kind=KIND mac=HEX

import (
	"bufio"
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"arendestod/app"
)

// anchorTag starts every anchor line.
const anchorTag = "arendestod-audit-anchor v1 "

// AnchorPath is the anchor file of the SQLite database (or backup) at
// dbPath: a file beside it, owner-only, that anchors are appended to.
func AnchorPath(dbPath string) string { return dbPath + ".audit-anchor" }

// Anchors are written every anchorEvery rows appended by this process, or
// at the first row after anchorInterval, besides at open, close, backup
// and restore.
const (
	anchorEvery    = 100
	anchorInterval = 10 * time.Minute
)

func anchorMAC(key []byte, a app.AuditAnchor) string {
	return lpMAC(key, "arendestod audit anchor v1", a.KeyID, a.LogID, fmtTime(a.At), strconv.FormatInt(a.Rows, 10),
		strconv.FormatInt(a.LastID, 10), a.LastHash, a.Kind)
}

// formatAnchor is a's line, without the newline.
func formatAnchor(key []byte, a app.AuditAnchor) string {
	return fmt.Sprintf("%skey=%s log=%s at=%s rows=%d last=%d hash=%s kind=%s mac=%s",
		anchorTag, a.KeyID, a.LogID, fmtTime(a.At), a.Rows, a.LastID, a.LastHash, a.Kind, anchorMAC(key, a))
}

// parseAnchor reads an anchor from a line that holds one (anywhere in
// it: a log line may have a prefix). ok is false when the line holds no
// anchor of the log of epoch whose MAC under key is right.
func parseAnchor(line string, epoch *auditEpoch, key []byte) (a app.AuditAnchor, ok bool) {
	i := strings.Index(line, anchorTag)
	if i < 0 {
		return a, false
	}
	f := map[string]string{}
	for _, kv := range strings.Fields(line[i+len(anchorTag):]) {
		k, v, _ := strings.Cut(kv, "=")
		f[k] = v
	}
	var err1, err2, err3 error
	a.KeyID, a.LogID, a.LastHash, a.Kind = f["key"], f["log"], f["hash"], f["kind"]
	a.At, err1 = parseTime(f["at"])
	a.Rows, err2 = strconv.ParseInt(f["rows"], 10, 64)
	a.LastID, err3 = strconv.ParseInt(f["last"], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || a.KeyID != epoch.keyID || a.LogID != epoch.logID {
		return a, false
	}
	return a, hmac.Equal([]byte(anchorMAC(key, a)), []byte(f["mac"]))
}

// readAnchors reads the anchors of the log of epoch from the file at
// path, in file order; none when the file does not exist.
func readAnchors(path string, epoch *auditEpoch, key []byte) ([]app.AuditAnchor, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []app.AuditAnchor
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if a, ok := parseAnchor(sc.Text(), epoch, key); ok {
			a.Source = path
			out = append(out, a)
		}
	}
	return out, sc.Err()
}

// appendAnchor appends a's line to the file at path in one write, the
// file created owner-only, and syncs it.
func appendAnchor(path string, key []byte, a app.AuditAnchor) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(formatAnchor(key, a) + "\n")
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// newestAnchor is the anchor the log is compared with. A restore anchor
// says that the database went back to a backup: anchors older than it,
// and those before it in its own file, no longer apply. Of the rest, the
// one furthest along the log says the most.
func newestAnchor(all []app.AuditAnchor) *app.AuditAnchor {
	restore := -1
	for i, a := range all {
		if a.Kind == app.AnchorRestore && (restore < 0 || !a.At.Before(all[restore].At)) {
			restore = i
		}
	}
	var best *app.AuditAnchor
	for i := range all {
		a := &all[i]
		if restore >= 0 {
			r := all[restore]
			if a.At.Before(r.At) || (a.Source == r.Source && i < restore) {
				continue
			}
		}
		if best == nil || a.LastID > best.LastID || (a.LastID == best.LastID && a.Rows > best.Rows) {
			best = a
		}
	}
	return best
}

// readHead reads the access log's head in one statement (one snapshot).
// rows counts every row written, those a prune removed included
// (audit_prune), so that an anchor's count stays comparable after later
// prunes. When every row has been pruned, the head is the newest prune
// record's.
func readHead(ctx context.Context, q rowQuerier) (rows, last int64, hash string, err error) {
	err = q.QueryRowContext(ctx, `SELECT CAST((SELECT COUNT(*) FROM audit_log) + (SELECT COALESCE(SUM(removed), 0) FROM audit_prune) AS BIGINT),
		COALESCE((SELECT MAX(id) FROM audit_log), (SELECT MAX(up_to) FROM audit_prune), 0),
		COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), (SELECT last_hash FROM audit_prune ORDER BY id DESC LIMIT 1), '')`).Scan(&rows, &last, &hash)
	return rows, last, hash, err
}

// anchorFiles are the files this database's anchors go to and are read
// from.
func (db *DB) anchorFiles() []string {
	var out []string
	if !db.d.server() {
		out = append(out, AnchorPath(db.path))
	}
	return append(out, db.opts.anchors...)
}

// writeAnchor appends the log's head, as of now, to the anchor files.
// Without the key it writes nothing. A file that cannot be written is
// reported in the log; the other files are still written.
func (db *DB) writeAnchor(ctx context.Context, kind string) error {
	if db.auditKey == nil || db.epoch == nil {
		return nil
	}
	rows, last, hash, err := readHead(ctx, db.rw)
	if err != nil {
		return err
	}
	a := app.AuditAnchor{KeyID: db.epoch.keyID, LogID: db.epoch.logID, At: db.Now(), Rows: rows, LastID: last, LastHash: hash, Kind: kind}
	var errs []error
	for _, p := range db.anchorFiles() {
		if err := appendAnchor(p, db.auditKey, a); err != nil {
			errs = append(errs, fmt.Errorf("förankringen kunde inte skrivas till %s: %w", p, err))
		}
	}
	db.anchorMu.Lock()
	db.sinceAnchor, db.anchoredAt = 0, time.Now()
	db.anchorMu.Unlock()
	return errors.Join(errs...)
}

// appended counts n rows this process appended; every anchorEvery rows,
// or after anchorInterval, it writes a periodic anchor.
func (db *DB) appended(ctx context.Context, n int) {
	db.anchorMu.Lock()
	db.sinceAnchor += n
	due := db.sinceAnchor >= anchorEvery || time.Since(db.anchoredAt) >= anchorInterval
	db.anchorMu.Unlock()
	if due {
		if err := db.writeAnchor(ctx, app.AnchorPeriod); err != nil {
			log.Printf("Åtkomstloggen: %v", err)
		}
	}
}

// compareAnchor says in Swedish how the log c disagrees with anchor a;
// "" when it agrees.
func compareAnchor(a *app.AuditAnchor, c chain) string {
	when := a.At.In(app.Stockholm).Format("2006-01-02 15:04")
	switch {
	case a.LastID == 0:
		return ""
	case c.markPruned:
		// The anchor's last row went with a prune that ran on past it:
		// the prune record (checked by walkChain) vouches for it.
		return ""
	case c.markID != a.LastID && a.LastID > c.lastID:
		return fmt.Sprintf("Åtkomstloggen har kortats: förankringen från %s (%s) säger %s till och med nr %d, men loggen slutar vid nr %d med %s.",
			when, a.Source, rader(a.Rows), a.LastID, c.lastID, rader(c.rows))
	case c.markID != a.LastID:
		return fmt.Sprintf("Rad nr %d saknas i åtkomstloggen: förankringen från %s (%s) säger att den fanns.", a.LastID, when, a.Source)
	case c.markHash != a.LastHash:
		return fmt.Sprintf("Åtkomstloggen stämmer inte med förankringen från %s (%s): rad nr %d har en annan kontrollsumma.", when, a.Source, a.LastID)
	case c.markRows != a.Rows:
		return fmt.Sprintf("Åtkomstloggen stämmer inte med förankringen från %s (%s): %s till och med nr %d, förankringen säger %d.", when, a.Source, rader(c.markRows), a.LastID, a.Rows)
	}
	return ""
}

// rader is "1 rad" or "n rader".
func rader(n int64) string {
	if n == 1 {
		return "1 rad"
	}
	return strconv.FormatInt(n, 10) + " rader"
}
