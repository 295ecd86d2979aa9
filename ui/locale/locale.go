// Package locale makes Fyne start in Swedish. Import it (blank) from main
// before Fyne: its path sorts before fyne.io, so Go initialises it first,
// and Fyne reads the locale in its own init.
//
// On a machine whose locale is unset, C or POSIX, Fyne logs "Error parsing
// user locale C" on every start (even for a command-line run) and falls
// back to English for its own dialogs. The product is Swedish: such a
// locale becomes sv_SE.UTF-8 for this process. A real locale set by the
// user is kept.
package locale

import (
	"os"
	"strings"
)

func init() { Fix(os.Getenv, os.Setenv) }

// Fix sets the first locale variable in effect (LC_ALL, LC_MESSAGES, LANG)
// to Swedish when it is unset or C/POSIX.
func Fix(getenv func(string) string, setenv func(string, string) error) {
	name := "LANG"
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if getenv(v) != "" {
			name = v
			break
		}
	}
	val := getenv(name)
	base, _, _ := strings.Cut(val, ".")
	if val == "" || base == "C" || base == "POSIX" {
		setenv(name, "sv_SE.UTF-8")
	}
}
