package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The database's default place on each system, Windows's %AppData% among
// them, checked on whatever system runs the test.
func TestDBPathPerSystem(t *testing.T) {
	const appData = `C:\Users\anna\AppData\Roaming`
	all := map[string]string{ // a Windows machine with HOME set (Git Bash does)
		"AppData":         appData,
		"HOME":            "/home/anna",
		"XDG_CONFIG_HOME": "/xdg",
	}
	for _, tc := range []struct {
		name, goos string
		env        map[string]string
		want       string
	}{
		{"windows AppData", "windows", all, filepath.Join(appData, "arendestod", "arendestod.db")},
		{"windows no AppData", "windows", map[string]string{"HOME": "/home/anna"}, filepath.Join(".", "arendestod", "arendestod.db")},
		{"linux XDG", "linux", all, "/xdg/arendestod/arendestod.db"},
		{"linux relative XDG", "linux", map[string]string{"XDG_CONFIG_HOME": "rel", "HOME": "/home/anna"}, "arendestod/arendestod.db"},
		{"linux HOME", "linux", map[string]string{"HOME": "/home/anna", "AppData": appData}, "/home/anna/.config/arendestod/arendestod.db"},
		{"linux nothing", "linux", nil, "arendestod/arendestod.db"},
		{"macOS", "darwin", all, "/home/anna/Library/Application Support/arendestod/arendestod.db"},
	} {
		got := dbPath(tc.goos, func(k string) string { return tc.env[k] })
		if got != filepath.FromSlash(tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// configDir must agree with os.UserConfigDir on the system running the
// test, so the copy of its rules above stays true to the real one.
func TestConfigDirMatchesOS(t *testing.T) {
	dir := t.TempDir()
	for _, env := range []map[string]string{
		{"AppData": dir, "XDG_CONFIG_HOME": dir, "HOME": dir},
		{"AppData": "", "XDG_CONFIG_HOME": "", "HOME": dir},
		{"AppData": "", "XDG_CONFIG_HOME": "relative", "HOME": dir},
		{"AppData": "", "XDG_CONFIG_HOME": "", "HOME": ""},
	} {
		for k, v := range env {
			t.Setenv(k, v)
		}
		want, err := os.UserConfigDir()
		if err != nil {
			want = ""
		}
		if got := configDir(runtime.GOOS, os.Getenv); got != want {
			t.Errorf("%v: configDir %q, os.UserConfigDir %q", env, got, want)
		}
		wantDB := filepath.Join(want, "arendestod", "arendestod.db")
		if want == "" {
			wantDB = filepath.Join(".", "arendestod", "arendestod.db")
		}
		if got := DefaultDBPath(); got != wantDB {
			t.Errorf("%v: DefaultDBPath %q, want %q", env, got, wantDB)
		}
	}
}
