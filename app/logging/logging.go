// Package logging sets up the product's log: a file beside the database
// and stderr, both through a filter that blanks anything shaped like a
// personnummer. Code never logs patient data on purpose; the filter is the
// second line, for what a library or an error message might carry.
package logging

import (
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"arendestod/app"
)

// Redacted replaces each personnummer-shaped match in a log line.
const Redacted = "[personnummer]"

// Redactor is an io.Writer that blanks personnummer before writing on.
// Each Write is taken as whole lines, as the log packages write them.
type Redactor struct {
	mu sync.Mutex
	w  io.Writer
}

// NewRedactor returns a Redactor writing to w.
func NewRedactor(w io.Writer) *Redactor { return &Redactor{w: w} }

func (r *Redactor) Write(p []byte) (int, error) {
	clean := app.PersonnummerPattern.ReplaceAll(p, []byte(Redacted))
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.w.Write(clean); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Setup sends the standard log (which Fyne uses) and slog's default logger
// to stderr and to the file at path, both redacted. The file is readable by
// its owner only.
func Setup(path string, stderr io.Writer) (io.Closer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	w := NewRedactor(io.MultiWriter(stderr, f))
	log.SetOutput(w)
	slog.SetDefault(slog.New(slog.NewTextHandler(w, nil)))
	return f, nil
}

// DefaultPath is the log file beside the default database.
func DefaultPath(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "arendestod.log")
}
