package files_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/app/files"
)

// leftovers returns the names in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
outer:
	for _, e := range ents {
		for _, k := range keep {
			if e.Name() == k {
				continue outer
			}
		}
		out = append(out, e.Name())
	}
	return out
}

// TestWriteFileAtomicFailures: whatever fails, no temporary file stays
// and an earlier file is untouched.
func TestWriteFileAtomicFailures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ut.csv")
	if err := os.WriteFile(path, []byte("gammal"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := files.WriteFileAtomic(path, func(w io.Writer) error { io.WriteString(w, "halv"); return boom }); !errors.Is(err, boom) {
		t.Errorf("write error: %v", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		files.WriteFileAtomic(path, func(w io.Writer) error { io.WriteString(w, "halv"); panic("boom") })
	}()
	// The rename fails: a folder stands where the file should go.
	folder := filepath.Join(dir, "mapp")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := files.WriteFileAtomic(folder, func(w io.Writer) error { _, err := io.WriteString(w, "ny"); return err }); app.ErrorCode(err) != app.EINTERNAL {
		t.Errorf("rename over a folder: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "gammal" {
		t.Errorf("file now %q, want the old content", b)
	}
	if left := leftovers(t, dir, "ut.csv", "mapp"); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestWriteFileAtomicMode: a new file is readable by its owner only.
func TestWriteFileAtomicMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := filepath.Join(t.TempDir(), "utdrag.pdf")
	if err := files.WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "%PDF"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestStage: staged files are invisible until committed; discarded ones
// leave nothing; Commit and Discard after either do nothing.
func TestStage(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "a.csv")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	sa, err := files.Stage(a, write("A"))
	if err != nil {
		t.Fatal(err)
	}
	sb, err := files.Stage(b, write("B"))
	if err != nil {
		t.Fatal(err)
	}
	if sa.Path() != a {
		t.Errorf("Path %q", sa.Path())
	}
	for _, p := range []string{a, b} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists before Commit: %v", p, err)
		}
	}
	if n := len(leftovers(t, dir)); n != 2 {
		t.Errorf("%d temporary files, want 2", n)
	}
	if err := sa.Commit(); err != nil {
		t.Fatal(err)
	}
	sb.Discard()
	sa.Discard() // after Commit: keeps the file
	if err := sb.Commit(); err != nil {
		t.Errorf("Commit after Discard: %v", err)
	}
	if got, _ := os.ReadFile(a); string(got) != "A" {
		t.Errorf("a = %q", got)
	}
	if left := leftovers(t, dir, "a.pdf"); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := files.Stage(filepath.Join(dir, "saknas", "x.pdf"), write("x")); app.ErrorCode(err) != app.EINVALID ||
		!strings.Contains(app.ErrorMessage(err), "kunde inte skapas") {
		t.Errorf("missing folder: %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ut.xlsx")
	if err := os.WriteFile(path, []byte("gammal"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := files.WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "halv")
		return app.Errorf(app.EINTERNAL, "avbrutet")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(path); string(b) != "gammal" {
		t.Fatalf("file now %q, want the old content", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
	if err := files.WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "ny"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "ny" {
		t.Fatalf("file %q", b)
	}
	if err := files.WriteFileAtomic(filepath.Join(dir, "saknas", "x.xlsx"), func(io.Writer) error { return nil }); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("missing folder: %v", err)
	}
}
