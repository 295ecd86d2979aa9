package cli

import (
	"fmt"
	"os"
	"strings"

	"arendestod/app"
	"arendestod/app/secrets"
)

// reportAuditCheck is audit verify: the access log's chain (with its
// key), its triggers and the newest anchor outside the database. Whole:
// one line on stdout, exit status 0. Otherwise each problem on its own
// line on stderr, exit status 1.
func reportAuditCheck(r *Run, s Store) error {
	c, err := s.CheckAudit(r.Ctx)
	if err != nil {
		return err
	}
	if !c.OK() {
		for _, p := range c.Problems[:len(c.Problems)-1] {
			fmt.Fprintln(r.Env.Stderr, "arendestod:", app.TerminalSafe(p))
		}
		return app.Errorf(app.ECONFLICT, "%s", c.Problems[len(c.Problems)-1])
	}
	fmt.Fprintln(r.Env.Stdout, "Åtkomstloggen är obruten.")
	return nil
}

// runAuditKey is audit key export --out FIL and audit key import FIL:
// the access log's key carried from one desk of a shared database to
// another by an administrator (see SECURITY.md).
func runAuditKey(r *Run, args []string) error {
	use := Usagef("använd: audit key export --out NYCKELFIL eller audit key import NYCKELFIL")
	if len(args) == 0 {
		return use
	}
	switch args[0] {
	case "export":
		fs := newFlagSet("audit key export")
		out := fs.String("out", "", "fil")
		if err := Parse(fs, args[1:]); err != nil {
			return err
		}
		if strings.TrimSpace(*out) == "" {
			return Usagef("--out saknas: ange filen som nyckeln ska skrivas till")
		}
		if _, err := os.Lstat(*out); err == nil {
			return Usagef("--out: filen %s finns redan", *out)
		}
		s, err := r.Store()
		if err != nil {
			return err
		}
		key, err := s.ExportAuditKey(r.Ctx)
		if err != nil {
			return err
		}
		if err := secrets.WriteKeyFile(*out, key); err != nil {
			return app.Errorf(app.EINTERNAL, "Kunde inte skriva %s: %v", *out, err)
		}
		fmt.Fprintf(r.Env.Stdout, "Åtkomstloggens nyckel (id %s) sparad i %s. Filen är hemlig: läs in den på de andra datorerna med audit key import och radera den sedan.\n", app.AuditKeyID(key), *out)
		return nil
	case "import":
		fs := newFlagSet("audit key import")
		if err := fs.Parse(args[1:]); err != nil {
			return flagError(err)
		}
		if fs.NArg() != 1 {
			return use
		}
		key, err := secrets.ReadKeyFile(fs.Arg(0))
		if err != nil {
			if app.ErrorCode(err) == app.EINTERNAL {
				return Usagef("%s: %v", fs.Arg(0), err)
			}
			return err
		}
		s, err := r.storeForCheck()
		if err != nil {
			return err
		}
		if err := s.ImportAuditKey(r.Ctx, key); err != nil {
			return err
		}
		fmt.Fprintf(r.Env.Stdout, "Åtkomstloggens nyckel (id %s) är sparad på den här datorn.\n", app.AuditKeyID(key))
		return nil
	}
	return use
}
