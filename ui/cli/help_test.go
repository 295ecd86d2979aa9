package cli_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"arendestod/data"
	"arendestod/ui/cli"
)

// allCommands is every command of the program, as main adds them.
func allCommands() map[string]cli.Command {
	cmds := cli.AdminCommands(data.Restore, nil)
	for k, c := range cli.ExportCommands() {
		cmds[k] = c
	}
	cmds["intyg"] = cli.IntygCommand(nil)
	return cmds
}

// --help and -h work for the program and for every command: Swedish usage
// on stdout, exit 0, nothing opened or created.
func TestHelpForProgramAndEveryCommand(t *testing.T) {
	h := newHarness(t)
	db := tempDB(t)
	run := func(args ...string) result {
		t.Helper()
		var stdout, stderr syncBuffer
		env := h.envFor(&stdout, &stderr)
		env.Commands = allCommands()
		env.Open = func(string) (cli.Store, error) {
			t.Errorf("%v opened the store", args)
			return nil, errors.New("no store for help")
		}
		code := mainNoWindow(t, t.Context(), append([]string{"--db", db}, args...), env)
		return result{code, stdout.String(), stderr.String()}
	}
	var usage string
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := run(args...)
		if r.code != cli.ExitOK || !strings.HasPrefix(r.stdout, "Användning: arendestod") || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
		usage = r.stdout
	}
	if !strings.Contains(usage, "\n  help ") {
		t.Errorf("usage does not name help:\n%s", usage)
	}
	names := []string{"cases", "case", "staff", "version", "import", "sync", "quarantine", "demo",
		"backup", "restore", "audit", "export", "stats", "intyg"}
	for _, name := range names {
		if !strings.Contains(usage, "\n  "+name+" ") {
			t.Errorf("usage lacks %s", name)
		}
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			r := run(args...)
			if r.code != cli.ExitOK || !strings.Contains(r.stdout, "arendestod [--db FIL] "+name+" ") || r.stderr != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
			}
		}
	}
	// After a subcommand and other flags too.
	for _, args := range [][]string{{"staff", "add", "--help"}, {"audit", "extract", "--pnr", "x", "-h"}, {"cases", "--json", "--help"}} {
		if r := run(args...); r.code != cli.ExitOK || !strings.HasPrefix(r.stdout, "Användning: arendestod [--db FIL] "+args[0]) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Error("help created the database")
	}

	// Help on what does not exist, and a flag the program does not know,
	// are bad input.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "nosuch"}, `okänt kommando "nosuch"`},
		{[]string{"nosuch", "--help"}, `okänt kommando "nosuch"`},
		{[]string{"--bogus"}, "okänd flagga -bogus"},
	} {
		if r := run(tc.args...); r.code != cli.ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
