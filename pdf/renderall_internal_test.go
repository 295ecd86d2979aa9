package pdf

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"arendestod/app"
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
	failAfter(t, &createTemp, 2, func(orig func(string, string) (*os.File, error), fail func() bool) func(string, string) (*os.File, error) {
		return func(dir, pattern string) (*os.File, error) {
			if fail() {
				return nil, errors.New("disk full")
			}
			return orig(dir, pattern)
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
	failAfter(t, &rename, 1, func(orig func(string, string) error, fail func() bool) func(string, string) error {
		return func(a, b string) error {
			if fail() {
				return errors.New("busy")
			}
			return orig(a, b)
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
