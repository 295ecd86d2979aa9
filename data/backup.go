package data

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"arendestod/app"
	"arendestod/app/files"
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
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
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
// a schema this version can run. It returns the schema version.
func CheckBackup(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, app.Errorf(app.EINVALID, "Säkerhetskopian %s finns inte.", path)
	}
	conn, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return 0, app.Errorf(app.EINVALID, "Filen %s är ingen läsbar databas: %v", path, err)
	}
	if check != "ok" {
		return 0, app.Errorf(app.EINVALID, "Säkerhetskopian %s är skadad (integrity_check: %s).", path, check)
	}
	var version int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return 0, app.Errorf(app.EINVALID, "Filen %s är ingen databas från Ärendestöd.", path)
	}
	if version > SchemaVersion() {
		return version, app.Errorf(app.ECONFLICT, "Säkerhetskopian %s är från en nyare version av Ärendestöd (schema %d > %d).", path, version, SchemaVersion())
	}
	if version == 0 {
		return 0, app.Errorf(app.EINVALID, "Filen %s är ingen databas från Ärendestöd.", path)
	}
	return version, nil
}

// Restore replaces the database at dbPath with the backup at backup, after
// checking the backup. The replaced database is kept aside; its path is
// returned. The program must not have dbPath open.
func Restore(ctx context.Context, backup, dbPath string, now time.Time) (aside string, err error) {
	if IsPostgresURL(dbPath) {
		return "", errRestorePG
	}
	if _, err := CheckBackup(ctx, backup); err != nil {
		return "", err
	}
	// The copy is staged beside dbPath and renamed into place last.
	staged, err := files.Stage(dbPath, func(w io.Writer) error { return copyFrom(backup, w) })
	if err != nil {
		return "", app.Errorf(app.EINTERNAL, "Kunde inte kopiera säkerhetskopian: %v", err)
	}
	if _, err := os.Stat(dbPath); err == nil {
		// Fold the WAL into the old file so that the copy kept aside is whole.
		if old, err := Open(dbPath); err == nil {
			old.rw.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
			old.Close()
		}
		aside = dbPath + ".ersatt-" + now.In(app.Stockholm).Format("20060102-150405")
		if err := os.Rename(dbPath, aside); err != nil {
			staged.Discard()
			return "", app.Errorf(app.EINTERNAL, "Kunde inte flytta undan den nuvarande databasen: %v", err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	if err := staged.Commit(); err != nil {
		return aside, app.Errorf(app.EINTERNAL, "Kunde inte lägga tillbaka databasen: %v", err)
	}
	return aside, nil
}

// copyFrom copies the file at src to w.
func copyFrom(src string, w io.Writer) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
