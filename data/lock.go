package data

import (
	"os"

	"arendestod/app"
)

// Every process that opens a SQLite database holds a shared lock on the
// lock file beside it (LockPath) for as long as it has the database open;
// restore takes the lock exclusively, so it finds any process of the
// product that has the database open, idle or not, and refuses while one
// does. (Other programs, such as the sqlite3 tool, are found by SQLite's
// own lock: restoreLock.)

// LockPath is the lock file of the SQLite database at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

// fileLock is a held lock on a lock file.
type fileLock struct{ f *os.File }

// lockShared takes the shared lock on dbPath's lock file, waiting for an
// exclusive holder (a restore) for at most a short while.
func lockShared(dbPath string) (*fileLock, error) {
	f, err := os.OpenFile(LockPath(dbPath), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, app.Errorf(app.EINTERNAL, "Låsfilen för databasen %s kunde inte öppnas: %v", dbPath, err)
	}
	if err := lockFile(f, false, true); err != nil {
		f.Close()
		return nil, app.Errorf(app.ECONFLICT, "Databasen %s återställs just nu från en säkerhetskopia. Försök igen när återställningen är klar.", dbPath)
	}
	return &fileLock{f}, nil
}

// lockExclusive takes dbPath's lock file exclusively without waiting;
// ok is false when another process (or this one) has the database open.
func lockExclusive(dbPath string) (l *fileLock, ok bool, err error) {
	f, err := os.OpenFile(LockPath(dbPath), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, app.Errorf(app.EINTERNAL, "Låsfilen för databasen %s kunde inte öppnas: %v", dbPath, err)
	}
	if err := lockFile(f, true, false); err != nil {
		f.Close()
		return nil, false, nil
	}
	return &fileLock{f}, true, nil
}

// release lets the lock go.
func (l *fileLock) release() {
	if l == nil || l.f == nil {
		return
	}
	unlockFile(l.f)
	l.f.Close()
	l.f = nil
}
