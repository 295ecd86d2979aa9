package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestPlatformDeps checks, on any machine, what the Windows program links
// that a Linux one does differently: the embedded time-zone database (a
// Windows desktop has no zoneinfo files) and go-keyring's Windows
// Credential Manager backend (wincred) where Linux uses the Secret Service
// over D-Bus. It lists the dependencies of the GUI build as `make package`
// builds it (cgo, amd64).
func TestPlatformDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, tc := range []struct {
		goos          string
		want, notWant []string
	}{
		{"windows", []string{"time/tzdata", "github.com/zalando/go-keyring", "github.com/danieljoos/wincred"}, []string{"github.com/zalando/go-keyring/secret_service"}},
		{"linux", []string{"time/tzdata", "github.com/zalando/go-keyring", "github.com/zalando/go-keyring/secret_service"}, []string{"github.com/danieljoos/wincred"}},
	} {
		cmd := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}", ".")
		cmd.Env = append(os.Environ(), "GOOS="+tc.goos, "GOARCH=amd64", "CGO_ENABLED=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOOS=%s go list -deps: %v\n%s", tc.goos, err, stderr(err))
		}
		deps := strings.Fields(string(out))
		for _, p := range tc.want {
			if !slices.Contains(deps, p) {
				t.Errorf("GOOS=%s: the program does not link %s", tc.goos, p)
			}
		}
		for _, p := range tc.notWant {
			if slices.Contains(deps, p) {
				t.Errorf("GOOS=%s: the program links %s", tc.goos, p)
			}
		}
	}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
