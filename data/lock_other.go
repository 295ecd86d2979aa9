//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package data

import "os"

// Without flock or LockFileEx the lock file is not locked: restore relies
// on SQLite's own lock alone (restoreLock).
func lockFile(*os.File, bool, bool) error { return nil }

func unlockFile(*os.File) {}
