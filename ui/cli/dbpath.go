package cli

import (
	"path/filepath"
	"strings"
)

// dbPath is DefaultDBPath for a given GOOS and environment, so that the
// rule for another system (Windows: %AppData%) can be tested anywhere.
// Without a configuration folder the database lives in the working
// directory.
func dbPath(goos string, getenv func(string) string) string {
	dir := configDir(goos, getenv)
	if dir == "" {
		dir = "."
	}
	return filepath.Join(dir, "arendestod", "arendestod.db")
}

// configDir is os.UserConfigDir for goos and getenv, "" where that fails:
// %AppData% on Windows, ~/Library/Application Support on macOS, otherwise
// $XDG_CONFIG_HOME (absolute) or ~/.config.
func configDir(goos string, getenv func(string) string) string {
	switch goos {
	case "windows":
		return getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return h + "/Library/Application Support"
		}
		return ""
	case "plan9":
		if h := getenv("home"); h != "" {
			return h + "/lib"
		}
		return ""
	}
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		if !strings.HasPrefix(x, "/") {
			return "" // os.UserConfigDir refuses a relative path
		}
		return x
	}
	if h := getenv("HOME"); h != "" {
		return h + "/.config"
	}
	return ""
}
