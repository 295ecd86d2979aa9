package data

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"arendestod/app"
	"arendestod/app/files"
	"arendestod/app/secrets"

	sqlite3 "modernc.org/sqlite/lib"
)

// Backup writes a consistent copy of the database to dest with VACUUM INTO,
// which reads one snapshot while other work goes on. dest must not exist.
// On PostgreSQL it runs pg_dump instead (pgDump).
func (db *DB) Backup(ctx context.Context, dest string) error {
	if db.d.server() {
		return db.pgDump(ctx, dest)
	}
	if _, err := os.Stat(dest); err == nil {
		return app.Errorf(app.ECONFLICT, "Filen %s finns redan; välj ett annat namn.", dest)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		return app.Errorf(app.EINTERNAL, "Kunde inte skapa mappen för säkerhetskopian: %v", err)
	}
	tmp, err := ownerOnlyTemp(dest)
	if err != nil {
		return app.Errorf(app.EINTERNAL, "Kunde inte skapa säkerhetskopian: %v", err)
	}
	if _, err := db.rw.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return wrapDBError(err)
	}
	// Owner-only whatever SQLite did with the file (ownerOnlyTemp).
	if err := os.Chmod(tmp, 0o600); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	// The copy's own head, anchored beside it and in the database's
	// anchor files.
	if err := db.anchorBackup(ctx, tmp, dest); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		os.Remove(AnchorPath(dest))
		return err
	}
	return files.SyncDir(filepath.Dir(dest))
}

// ownerOnlyTemp creates an empty file for VACUUM INTO beside dest: mode
// 0600, under a new name (created exclusively: a file or link planted
// there is never written through), its path absolute, so that SQLite never
// reads it as a URI ("file:x.db" is one, "/dir/file:x.db" is not).
func ownerOnlyTemp(dest string) (string, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// anchorBackup writes the access log's head of the SQLite copy at copyPath
// (the backup about to be named dest) to dest's side file
// (AnchorPath(dest)) and to the database's anchor files: a restore of the
// backup finds rows cut off its end, and the database's own check knows
// that the log reached that far.
func (db *DB) anchorBackup(ctx context.Context, copyPath, dest string) error {
	if db.auditKey == nil || db.epoch == nil {
		return nil
	}
	conn, err := sql.Open("sqlite", readOnlyDSN(copyPath))
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, last, hash, err := readHead(ctx, conn)
	if err != nil {
		return err
	}
	return db.writeBackupAnchor(dest, rows, last, hash)
}

// writeBackupAnchor writes a backup anchor of the head given to dest's
// side file and to the database's anchor files.
func (db *DB) writeBackupAnchor(dest string, rows, last int64, hash string) error {
	a := app.AuditAnchor{KeyID: db.epoch.keyID, LogID: db.epoch.logID, At: db.Now(), Rows: rows, LastID: last, LastHash: hash, Kind: app.AnchorBackup}
	err := files.WriteFileAtomic(AnchorPath(dest), func(w io.Writer) error {
		_, err := io.WriteString(w, formatAnchor(db.auditKey, a)+"\n")
		return err
	})
	if err != nil {
		return app.Errorf(app.EINTERNAL, "Säkerhetskopians förankring (%s) kunde inte skrivas: %v", AnchorPath(dest), err)
	}
	for _, p := range db.anchorFiles() {
		if err := appendAnchor(p, db.auditKey, a); err != nil {
			log.Printf("Åtkomstloggen: förankringen kunde inte skrivas till %s: %v", p, err)
		}
	}
	return nil
}

// readOnlyDSN opens the SQLite file at path read-only. The path is
// escaped as a URI path, so that nothing in it (a #, a ?) is read as
// anything but the file's name.
func readOnlyDSN(path string) string {
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(5000)"
}

// backupPrefix names the files BackupRotate writes and prunes.
const backupPrefix = "arendestod-"

// BackupRotate writes a backup named for now into dir and removes the
// oldest of the backups there beyond keep. It returns the new file's path.
func (db *DB) BackupRotate(ctx context.Context, dir string, keep int, now time.Time) (string, error) {
	if keep < 1 {
		keep = 1
	}
	dest := filepath.Join(dir, backupPrefix+now.In(app.Stockholm).Format("20060102-150405")+".db")
	if err := db.Backup(ctx, dest); err != nil {
		return "", err
	}
	backups, err := ListBackups(dir)
	if err != nil {
		return dest, err
	}
	for len(backups) > keep {
		if err := os.Remove(backups[0]); err != nil {
			return dest, err
		}
		os.Remove(AnchorPath(backups[0]))
		backups = backups[1:]
	}
	return dest, nil
}

// ListBackups returns the backups BackupRotate wrote in dir, oldest first.
func ListBackups(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, ".db") && !e.IsDir() {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out) // the timestamp in the name sorts by time
	return out, nil
}

// CheckBackup opens a backup read-only and checks that it is whole and of
// a schema this version can run: SQLite's integrity and foreign-key
// checks, the full schema compared with what this version's migrations
// make, and its access log (the chain with the key, and the anchor in its
// side file, AnchorPath). It returns the schema version.
func CheckBackup(ctx context.Context, path string, opts ...Option) (int, error) {
	b, err := checkBackupFile(ctx, path, path, collect(opts))
	return b.version, err
}

// checkedBackup is what checkBackupFile found in a backup that passed.
type checkedBackup struct {
	version int
	epoch   *auditEpoch // nil for a backup from before the key
	key     []byte
	log     chain
}

// checkBackupFile checks the SQLite file at file (the copy that restore
// will install) as the backup named name, whose side file holds its
// anchor.
func checkBackupFile(ctx context.Context, file, name string, o options) (checkedBackup, error) {
	var b checkedBackup
	if fi, err := os.Stat(file); err != nil || !fi.Mode().IsRegular() {
		return b, app.Errorf(app.EINVALID, "Säkerhetskopian %s finns inte.", name)
	}
	conn, err := sql.Open("sqlite", readOnlyDSN(file))
	if err != nil {
		return b, err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return b, app.Errorf(app.EINVALID, "Filen %s är ingen läsbar databas: %v", name, err)
	}
	if check != "ok" {
		return b, app.Errorf(app.EINVALID, "Säkerhetskopian %s är skadad (integrity_check: %s).", name, check)
	}
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&b.version); err != nil {
		return b, app.Errorf(app.EINVALID, "Filen %s är ingen databas från Ärendestöd.", name)
	}
	if b.version > SchemaVersion() {
		return b, app.Errorf(app.ECONFLICT, "Säkerhetskopian %s är från en nyare version av Ärendestöd (schema %d > %d).", name, b.version, SchemaVersion())
	}
	if b.version == 0 {
		return b, app.Errorf(app.EINVALID, "Filen %s är ingen databas från Ärendestöd.", name)
	}
	diff, err := schemaDifference(ctx, conn, b.version)
	if err != nil {
		return b, err
	}
	if diff != "" {
		return b, app.Errorf(app.EINVALID, "Säkerhetskopian %s har inte det schema Ärendestöd skapar: %s.", name, diff)
	}
	var table, parent string
	var rowid sql.NullInt64
	var fkid int
	err = conn.QueryRowContext(ctx, `PRAGMA foreign_key_check`).Scan(&table, &rowid, &parent, &fkid)
	if err == nil {
		return b, app.Errorf(app.EINVALID, "Säkerhetskopian %s har rader som hänvisar till något som inte finns (foreign_key_check: tabellen %s, rad %d, hänvisar till %s).", name, table, rowid.Int64, parent)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return b, err
	}
	if err := checkBackupAudit(ctx, conn, name, o, &b); err != nil {
		return b, err
	}
	return b, nil
}

// checkBackupAudit checks the backup's access log as audit verify would:
// the key record with the key, the chain, and the anchor in the backup's
// side file. (Its triggers are part of the schema compared before.)
func checkBackupAudit(ctx context.Context, conn *sql.DB, name string, o options, b *checkedBackup) error {
	var err error
	if b.version >= auditKeyVersion {
		if b.epoch, err = readEpoch(ctx, conn); err != nil {
			return err
		}
	}
	var anchors []app.AuditAnchor
	if b.epoch != nil {
		if b.key, err = auditKeyFor(o.keys, b.epoch); err != nil {
			return app.Errorf(app.ECONFLICT, "Säkerhetskopians åtkomstlogg kan inte kontrolleras: %s", app.ErrorMessage(err))
		}
		if anchors, err = readAnchors(AnchorPath(name), b.epoch, b.key); err != nil {
			return err
		}
	}
	a := newestAnchor(anchors)
	var mark int64
	if a != nil {
		mark = a.LastID
	}
	var prunes []auditPrune
	if b.version >= auditPruneVersion {
		if prunes, err = queryPrunes(ctx, conn); err != nil {
			return err
		}
	}
	rows, err := conn.QueryContext(ctx, auditChainQuery)
	if err != nil {
		return err
	}
	defer rows.Close()
	if b.log, err = walkChain(rows, b.epoch, b.key, mark, prunes); err != nil {
		return err
	}
	if problems := chainProblems(b.log, a); len(problems) > 0 {
		return app.Errorf(app.ECONFLICT, "Säkerhetskopians åtkomstlogg är inte hel: %s", strings.Join(problems, " "))
	}
	return nil
}

// auditKeyVersion is the migration that added the access log's key
// record (0008_audit_key.sql).
const auditKeyVersion = 8

// collect applies opts, with the product's key store when they give
// none.
func collect(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.keys == nil {
		o.keys = secrets.AuditKeys()
	}
	return o
}

// msgInUse refuses a restore while the database is open.
const msgInUse = "Databasen %s är öppen i ett annat program (fönstret, ett intag eller ett annat kommando). Stäng det och försök igen; ingenting har ändrats."

// Restore replaces the database at dbPath with the backup at backup. It
// takes the database's lock file exclusively and SQLite's own lock on the
// file, and refuses while any other process (or connection) has the
// database open. It copies the backup beside dbPath, checks that copy
// (CheckBackup: integrity, foreign keys, the full schema, the access log
// with its key and the anchor beside the backup), and only then moves the
// replaced database aside (its path is returned) and renames the copy
// into place. An anchor of the restored log's head goes to the anchor
// files, so that the anchors of the replaced database no longer apply.
func Restore(ctx context.Context, backup, dbPath string, now time.Time) (aside string, err error) {
	return restore(ctx, backup, dbPath, now, collect(nil))
}

// RestoreWith is Restore with opts: the key store (WithAuditKeys) and
// further anchor files (WithAnchors) that the restore anchor goes to.
func RestoreWith(opts ...Option) func(ctx context.Context, backup, dbPath string, now time.Time) (string, error) {
	o := collect(opts)
	return func(ctx context.Context, backup, dbPath string, now time.Time) (string, error) {
		return restore(ctx, backup, dbPath, now, o)
	}
}

func restore(ctx context.Context, backup, dbPath string, now time.Time, o options) (aside string, err error) {
	if IsPostgresURL(dbPath) {
		return "", errRestorePG
	}
	if fi, err := os.Stat(backup); err != nil || !fi.Mode().IsRegular() {
		return "", app.Errorf(app.EINVALID, "Säkerhetskopian %s finns inte.", backup)
	}
	lock, ok, err := lockExclusive(dbPath)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", app.Errorf(app.ECONFLICT, msgInUse, dbPath)
	}
	defer lock.release()
	hold, err := holdExclusive(ctx, dbPath)
	if err != nil {
		return "", err
	}
	defer hold.close()

	// The copy is staged beside dbPath, checked, and renamed into place last.
	staged, err := stageCopy(backup, dbPath)
	if err != nil {
		return "", err
	}
	defer os.Remove(staged) // gone once renamed
	b, err := checkBackupFile(ctx, staged, backup, o)
	if err != nil {
		return "", err
	}
	// Fold the WAL into the old file so that the copy kept aside is whole.
	hold.checkpoint(ctx)
	hold.close()
	if _, err := os.Stat(dbPath); err == nil {
		aside = dbPath + ".ersatt-" + now.In(app.Stockholm).Format("20060102-150405")
		if err := os.Rename(dbPath, aside); err != nil {
			return "", app.Errorf(app.EINTERNAL, "Kunde inte flytta undan den nuvarande databasen: %v", err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	if err := os.Rename(staged, dbPath); err != nil {
		return aside, app.Errorf(app.EINTERNAL, "Kunde inte lägga tillbaka databasen: %v", err)
	}
	if err := files.SyncDir(filepath.Dir(dbPath)); err != nil {
		return aside, err
	}
	if b.epoch != nil {
		a := app.AuditAnchor{KeyID: b.epoch.keyID, LogID: b.epoch.logID, At: now, Rows: b.log.rows, LastID: b.log.lastID, LastHash: b.log.lastHash, Kind: app.AnchorRestore}
		for _, p := range append([]string{AnchorPath(dbPath)}, o.anchors...) {
			if err := appendAnchor(p, b.key, a); err != nil {
				log.Printf("Åtkomstloggen: förankringen kunde inte skrivas till %s: %v", p, err)
			}
		}
	}
	return aside, nil
}

// stageCopy copies the backup into a new owner-only file beside dbPath
// and returns its path.
func stageCopy(backup, dbPath string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return "", app.Errorf(app.EINTERNAL, "Kunde inte skapa mappen för databasen: %v", err)
	}
	in, err := os.Open(backup)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "Säkerhetskopian %s finns inte.", backup)
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", app.Errorf(app.EINVALID, "Säkerhetskopian %s är ingen vanlig fil.", backup)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+".*.restore")
	if err != nil {
		return "", app.Errorf(app.EINTERNAL, "Kunde inte kopiera säkerhetskopian: %v", err)
	}
	_, err = io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", app.Errorf(app.EINTERNAL, "Kunde inte kopiera säkerhetskopian: %v", err)
	}
	return tmp.Name(), nil
}

// exclusiveHold is a connection to the database being replaced that holds
// SQLite's exclusive lock on it (locking_mode EXCLUSIVE): while it does,
// no other connection, of this program or another (the sqlite3 tool), has
// the database open.
type exclusiveHold struct {
	db   *sql.DB
	conn *sql.Conn
}

// holdExclusive takes SQLite's exclusive lock on the database at dbPath,
// refusing with msgInUse while another connection has it open. A missing
// file needs no lock; a file SQLite cannot read is let be (it is replaced).
func holdExclusive(ctx context.Context, dbPath string) (*exclusiveHold, error) {
	h := &exclusiveHold{}
	if _, err := os.Stat(dbPath); err != nil {
		return h, nil
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: filepath.ToSlash(dbPath)}).EscapedPath())
	if err != nil {
		return h, nil
	}
	h.db = db
	if h.conn, err = db.Conn(ctx); err != nil {
		h.close()
		return &exclusiveHold{}, nil
	}
	_, err = h.conn.ExecContext(ctx, `PRAGMA locking_mode = EXCLUSIVE`)
	if err == nil {
		_, err = h.conn.ExecContext(ctx, `BEGIN EXCLUSIVE`)
	}
	if err == nil {
		_, err = h.conn.ExecContext(ctx, `COMMIT`) // the lock stays: locking_mode
	}
	if err != nil {
		h.close()
		switch sqliteCode(err) & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return nil, app.Errorf(app.ECONFLICT, msgInUse, dbPath)
		}
		return &exclusiveHold{}, nil // not a database SQLite can lock: replaced anyway
	}
	return h, nil
}

// checkpoint folds the WAL into the database file.
func (h *exclusiveHold) checkpoint(ctx context.Context) {
	if h != nil && h.conn != nil {
		h.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
}

// close lets the lock go.
func (h *exclusiveHold) close() {
	if h == nil {
		return
	}
	if h.conn != nil {
		h.conn.Close()
		h.conn = nil
	}
	if h.db != nil {
		h.db.Close()
		h.db = nil
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
