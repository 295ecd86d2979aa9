package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"arendestod/app"
)

// Backupper is the store's backup side.
type Backupper interface {
	Backup(ctx context.Context, dest string) error
}

// AuditVerifier checks the access log's hash chain.
type AuditVerifier interface {
	// VerifyAudit returns the id of the first row that does not follow
	// from the one before it, or 0 when the chain is whole.
	VerifyAudit(ctx context.Context) (int64, error)
}

// RestoreFunc replaces the database at dbPath with backup after checking
// it, keeping the replaced file aside (its path is returned).
type RestoreFunc func(ctx context.Context, backup, dbPath string, now time.Time) (string, error)

// AdminCommands are backup, restore and audit.
func AdminCommands(restore RestoreFunc) map[string]Command {
	return map[string]Command{
		"backup": {Summary: "backup --out FIL: säkerhetskopiera databasen", Run: runBackup},
		"restore": {Summary: "restore FIL: återställ från en säkerhetskopia (programmet ska vara stängt)",
			Run: func(r *Run, args []string) error { return runRestore(r, args, restore) }},
		"audit": {Summary: "audit verify: kontrollera att åtkomstloggen är obruten", Run: runAudit},
	}
}

func runBackup(r *Run, args []string) error {
	fs := newFlagSet("backup")
	out := fs.String("out", "", "fil")
	if err := Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return Usagef("--out saknas: ange filen som säkerhetskopian ska skrivas till")
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	b, ok := s.(Backupper)
	if !ok {
		return fmt.Errorf("the store cannot make backups")
	}
	if err := b.Backup(r.Ctx, *out); err != nil {
		return err
	}
	abs, _ := filepath.Abs(*out)
	fmt.Fprintln(r.Env.Stdout, "Säkerhetskopia sparad:", abs)
	return nil
}

func runRestore(r *Run, args []string, restore RestoreFunc) error {
	fs := newFlagSet("restore")
	if err := fs.Parse(args); err != nil {
		return Usagef("%s", err)
	}
	if fs.NArg() != 1 {
		return Usagef("använd: arendestod [--db FIL] restore SÄKERHETSKOPIA")
	}
	aside, err := restore(r.Ctx, fs.Arg(0), r.DB, r.Env.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(r.Env.Stdout, "Databasen återställd från", fs.Arg(0)+".")
	if aside != "" {
		fmt.Fprintln(r.Env.Stdout, "Den ersatta databasen finns kvar som", aside+".")
	}
	return nil
}

func runAudit(r *Run, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return Usagef("använd: audit verify")
	}
	if err := Parse(newFlagSet("audit verify"), args[1:]); err != nil {
		return err
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	v, ok := s.(AuditVerifier)
	if !ok {
		return fmt.Errorf("the store cannot verify the audit log")
	}
	id, err := v.VerifyAudit(r.Ctx)
	if err != nil {
		return err
	}
	if id != 0 {
		// Exit status 1, with the first broken row.
		return app.Errorf(app.ECONFLICT, "Åtkomstloggen är ändrad utanför programmet: första brutna rad är nr %d.", id)
	}
	fmt.Fprintln(r.Env.Stdout, "Åtkomstloggen är obruten.")
	return nil
}
