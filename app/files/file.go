// Package files writes the files the product writes, one way: atomically
// (WriteFileAtomic, Stage: an exclusive temporary file beside the target,
// synced, renamed into place, removed on any failure), and CSV the way
// Swedish Excel opens it (NewCSV). It imports nothing but app and the
// standard library, so that the PDF and the store can use it.
package files

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"arendestod/app"
)

// WriteFileAtomic writes the file at path through write, atomically: into
// a new temporary file beside path (created exclusively, mode 0600),
// synced, then renamed over path, and the directory synced. A failed write
// leaves no temporary file and no half-written file, and an earlier file
// of the same name untouched. Every file the product writes goes through
// here or through Stage.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	s, err := Stage(path, write)
	if err != nil {
		return err
	}
	return s.Commit()
}

// Staged is a file written in full under a temporary name beside its
// path, not yet in place: Commit puts it there, Discard removes it. It
// lets a command write several files, record what it did, and only then
// put them in place, or remove them all when any step fails.
type Staged struct {
	path, tmp string
}

// Stage writes the file for path through write into a new temporary file
// beside path, created exclusively with mode 0600, synced and closed. On
// any failure (also a panic in write) the temporary file is removed.
func Stage(path string, write func(io.Writer) error) (_ *Staged, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "Filen %s kunde inte skapas: %v", path, pathError(err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, app.Errorf(app.EINTERNAL, "Filen %s kunde inte sparas: %v", path, pathError(err))
	}
	if err := tmp.Close(); err != nil {
		return nil, app.Errorf(app.EINTERNAL, "Filen %s kunde inte sparas: %v", path, pathError(err))
	}
	done = true
	return &Staged{path: path, tmp: tmp.Name()}, nil
}

// Path is where Commit puts the file.
func (s *Staged) Path() string { return s.path }

// Commit renames the file into place and syncs the directory, so that the
// new name survives a power cut. When the rename fails the temporary file
// is removed. Commit after Commit or Discard, or on a nil *Staged, does
// nothing.
func (s *Staged) Commit() error {
	if s == nil || s.tmp == "" {
		return nil
	}
	tmp := s.tmp
	s.tmp = ""
	if err := os.Rename(tmp, s.path); err != nil {
		os.Remove(tmp)
		return app.Errorf(app.EINTERNAL, "Filen %s kunde inte sparas: %v", s.path, linkError(err))
	}
	SyncDir(filepath.Dir(s.path))
	return nil
}

// Discard removes the temporary file of a file not committed; on a nil
// *Staged it does nothing.
func (s *Staged) Discard() {
	if s != nil && s.tmp != "" {
		os.Remove(s.tmp)
		s.tmp = ""
	}
}

// SyncDir makes a rename in dir durable. Not every system can sync a
// directory (Windows cannot); there the rename is as durable as the
// system makes it, and no error is reported. The error is the one of
// opening dir.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	d.Sync() // best effort: not supported everywhere
	return d.Close()
}

// pathError drops the path from an *os.PathError: the message names it
// already.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// linkError drops the paths from an *os.LinkError (a failed rename).
func linkError(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
