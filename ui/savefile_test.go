package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// dialogWriter opens path for writing the way Fyne's save dialog does
// (creating it, or emptying it when it exists).
func dialogWriter(t *testing.T, path string) fyne.URIWriteCloser {
	t.Helper()
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	return wc
}

func folderNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestChosenFileOnDisk: a file the save dialog chose is written through the
// atomic writer and appears only when the action succeeded; a failed
// write, or a failure after it (the audit row), leaves no file at all,
// not even the empty one the dialog made, and no temporary file.
func TestChosenFileOnDisk(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "utdrag.csv")

	if err := saveChosen(dialogWriter(t, path), writeString("a;b\r\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a;b\r\n" {
		t.Errorf("file %q", b)
	}
	if fi, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}

	// The write fails half-way.
	boom := errors.New("boom")
	other := filepath.Join(dir, "annan.csv")
	err := saveChosen(dialogWriter(t, other), func(w io.Writer) error { io.WriteString(w, "halv"); return boom })
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	// The write succeeds, the audit row fails.
	c := openChosen(dialogWriter(t, other))
	if err := c.write(writeString("hel")); err != nil {
		t.Fatal(err)
	}
	if err := c.finish(boom); !errors.Is(err, boom) {
		t.Errorf("finish: %v", err)
	}
	// The action fails before anything is written.
	if err := openChosen(dialogWriter(t, other)).finish(boom); !errors.Is(err, boom) {
		t.Errorf("finish unwritten: %v", err)
	}
	if got := folderNames(t, dir); len(got) != 1 || got[0] != "utdrag.csv" {
		t.Errorf("folder holds %q, want only utdrag.csv", got)
	}
}

// TestChosenFileElsewhere: a URI that is not a file on disk is written
// through the dialog's writer, which is closed.
func TestChosenFileElsewhere(t *testing.T) {
	var out bufCloser
	if err := saveChosen(&out, writeString("x")); err != nil || out.String() != "x" {
		t.Errorf("%q, %v", out.String(), err)
	}
}
