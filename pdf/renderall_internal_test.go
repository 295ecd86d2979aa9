package pdf

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/app/files"
)

func testIntyg(t *testing.T) *app.Intyg {
	t.Helper()
	b, err := os.ReadFile("testdata/intyg.json")
	if err != nil {
		t.Fatal(err)
	}
	var in app.Intyg
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	return &in
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// failAfter makes the n+1st call of a seam fail.
func failAfter[F any](t *testing.T, seam *F, n int, wrap func(orig F, fail func() bool) F) {
	orig := *seam
	calls := 0
	*seam = wrap(orig, func() bool { calls++; return calls > n })
	t.Cleanup(func() { *seam = orig })
}

func TestRenderAllWriteFailsLeavesNothing(t *testing.T) {
	for _, existing := range []bool{false, true} {
		t.Run(map[bool]string{false: "new dir", true: "existing dir"}[existing], func(t *testing.T) {
			testWriteFails(t, existing)
		})
	}
}

func testWriteFails(t *testing.T, existing bool) {
	// The third document fails half-way through its temporary file.
	failAfter(t, &writeDoc, 2, func(orig func(io.Writer, []byte) error, fail func() bool) func(io.Writer, []byte) error {
		return func(w io.Writer, b []byte) error {
			if fail() {
				w.Write(b[:len(b)/2])
				return errors.New("disk full")
			}
			return orig(w, b)
		}
	})
	dir := filepath.Join(t.TempDir(), "out")
	if existing {
		os.Mkdir(dir, 0o700)
		os.WriteFile(filepath.Join(dir, "annat.txt"), []byte("x"), 0o600)
	}
	err := RenderAll(dir, testIntyg(t), Options{})
	if app.ErrorCode(err) != app.EINTERNAL {
		t.Fatalf("err = %v, want EINTERNAL", err)
	}
	if !existing {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("created directory left behind: %v", err)
		}
	} else if got := dirNames(t, dir); !slices.Equal(got, []string{"annat.txt"}) {
		t.Errorf("directory holds %q, want only what was there", got)
	}
}

func TestRenderAllRenameFails(t *testing.T) {
	failAfter(t, &commit, 1, func(orig func(*files.Staged) error, fail func() bool) func(*files.Staged) error {
		return func(s *files.Staged) error {
			if fail() {
				return errors.New("busy")
			}
			return orig(s)
		}
	})
	dir := filepath.Join(t.TempDir(), "out")
	if err := RenderAll(dir, testIntyg(t), Options{}); err == nil {
		t.Fatal("no error")
	}
	// The directory was new: the file already renamed goes too.
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory left behind: %v %q", err, dirNames(t, dir))
	}
}

func TestRenderAllTargetIsADirectory(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "kopia.pdf"), 0o700)
	err := RenderAll(dir, testIntyg(t), Options{})
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"kopia.pdf"}) {
		t.Errorf("directory holds %q: nothing should have been written", got)
	}
}

// TestRenderAllRenameFailsInExistingDir: in a folder that existed, the
// file renamed before the failure is new, the rest are as they were, no
// temporary file stays, and the message says which were replaced.
func TestRenderAllRenameFailsInExistingDir(t *testing.T) {
	dir := t.TempDir()
	for _, k := range Kinds() {
		os.WriteFile(filepath.Join(dir, k.FileName()), []byte("gammal"), 0o600)
	}
	failAfter(t, &commit, 1, func(orig func(*files.Staged) error, fail func() bool) func(*files.Staged) error {
		return func(s *files.Staged) error {
			if fail() {
				return errors.New("busy")
			}
			return orig(s)
		}
	})
	err := RenderAll(dir, testIntyg(t), Options{})
	if app.ErrorCode(err) != app.EINTERNAL || !strings.Contains(app.ErrorMessage(err), "original.pdf är redan ersatta") {
		t.Fatalf("err = %v", err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"foljebrev.pdf", "kopia.pdf", "original.pdf"}) {
		t.Errorf("directory holds %q", got)
	}
	for name, old := range map[string]bool{"original.pdf": false, "kopia.pdf": true, "foljebrev.pdf": true} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if (string(b) == "gammal") != old {
			t.Errorf("%s: old content %v, want %v", name, !old, old)
		}
	}
}
