package main

import (
	"os"
	"regexp"
	"testing"
)

// The packages (Linux .tar.xz, Windows .exe) take their version from
// FyneApp.toml and do not set main.version: `arendestod version` must
// say the same as the package's metadata and the .exe's version resource.
func TestVersionMatchesFyneApp(t *testing.T) {
	b, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]*)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	if string(m[1]) != version {
		t.Errorf("FyneApp.toml says version %s, main.version is %s: change both", m[1], version)
	}
}
