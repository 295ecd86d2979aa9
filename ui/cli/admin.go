package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"arendestod/app"
	"arendestod/app/files"
)

// RestoreFunc replaces the database at dbPath with backup after checking
// it, keeping the replaced file aside (its path is returned).
type RestoreFunc func(ctx context.Context, backup, dbPath string, now time.Time) (string, error)

// ExtractFunc writes a patient's access-log extract as a PDF.
type ExtractFunc func(w io.Writer, patient app.Personnummer, clinic string, created time.Time, entries []app.AuditEntry) error

// AdminCommands are backup, restore and audit.
func AdminCommands(restore RestoreFunc, extract ExtractFunc) map[string]Command {
	return map[string]Command{
		"backup": {Summary: "backup --out FIL: säkerhetskopiera databasen", Run: runBackup},
		"restore": {Summary: "restore FIL: återställ från en säkerhetskopia (programmet ska vara stängt)",
			Run: func(r *Run, args []string) error { return runRestore(r, args, restore) }},
		"audit": {Summary: "audit verify | audit extract --pnr PNR [--out FIL.pdf] | audit key export --out FIL | audit key import FIL: kontrollera åtkomstloggen, registerutdrag, loggens nyckel",
			Run: func(r *Run, args []string) error { return runAudit(r, args, extract) }},
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
	if err := s.Backup(r.Ctx, *out); err != nil {
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

func runAudit(r *Run, args []string, extract ExtractFunc) error {
	if len(args) > 0 && args[0] == "extract" {
		return runAuditExtract(r, args[1:], extract)
	}
	if len(args) > 0 && args[0] == "key" {
		return runAuditKey(r, args[1:])
	}
	if len(args) == 0 || args[0] != "verify" {
		return Usagef("använd: audit verify, audit extract --pnr PERSONNUMMER [--out FIL.pdf], audit key export --out FIL eller audit key import FIL")
	}
	if err := Parse(newFlagSet("audit verify"), args[1:]); err != nil {
		return err
	}
	s, err := r.storeForCheck()
	if err != nil {
		return err
	}
	return reportAuditCheck(r, s)
}

// runAuditExtract writes a patient's extract of the access log: the unit,
// time and kind of each access, as a PDF and beside it a CSV. Making the
// extract is itself an access and is logged.
func runAuditExtract(r *Run, args []string, extract ExtractFunc) error {
	fs := newFlagSet("audit extract")
	pnrFlag := fs.String("pnr", "", "personnummer")
	out := fs.String("out", "atkomstutdrag.pdf", "fil")
	if err := Parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*pnrFlag) == "" {
		return Usagef("--pnr saknas: ange patientens personnummer")
	}
	pnr, err := app.ParsePersonnummerOn(*pnrFlag, app.DateOf(r.Env.Now()))
	if err != nil {
		return Usagef("--pnr: %s", app.ErrorMessage(err))
	}
	if !strings.HasSuffix(strings.ToLower(*out), ".pdf") {
		return Usagef("--out: filen ska sluta på .pdf (en .csv skrivs bredvid)")
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	entries, err := s.AuditEntries(r.Ctx, app.AuditFilter{Patient: pnr})
	if err != nil {
		return err
	}
	clinic, _ := s.Setting(r.Ctx, app.SettingMottagningNamn)
	if clinic == "" {
		clinic = "Mottagningen"
	}
	now := r.Env.Now()
	var pdfBuf bytes.Buffer
	if err := extract(&pdfBuf, pnr, clinic, now, entries); err != nil {
		return err
	}
	// Both files are written under temporary names, the extract is
	// logged, and only then are they put in place: no file without its
	// audit row, and on any failure neither file.
	csvPath := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".csv"
	pdfFile, err := files.Stage(*out, func(w io.Writer) error { _, err := w.Write(pdfBuf.Bytes()); return err })
	if err != nil {
		return fileError(*out, err)
	}
	defer pdfFile.Discard()
	csvFile, err := files.Stage(csvPath, func(w io.Writer) error { return writeExtractCSV(w, entries, clinic) })
	if err != nil {
		return fileError(csvPath, err)
	}
	defer csvFile.Discard()
	if err := s.Audit(r.Ctx, app.AuditEntry{Actor: r.Actor(), Unit: clinic, Patient: pnr, Action: app.AuditExtract,
		Detail: fmt.Sprintf("registerutdrag med %d rader", len(entries))}); err != nil {
		return err
	}
	if err := pdfFile.Commit(); err != nil {
		return fileError(*out, err)
	}
	if err := csvFile.Commit(); err != nil {
		os.Remove(*out)
		return fileError(csvPath, err)
	}
	fmt.Fprintf(r.Env.Stdout, "Registerutdrag med %d åtkomster: %s och %s\n", len(entries), *out, csvPath)
	return nil
}

// writeExtractCSV writes the extract's rows for Excel: when, which unit
// (the clinic when the row names none) and what, in Swedish.
func writeExtractCSV(w io.Writer, entries []app.AuditEntry, clinic string) error {
	cw := files.NewCSV(w)
	if err := cw.Write([]string{"Datum och tid", "Enhet", "Åtgärd"}); err != nil {
		return err
	}
	for _, e := range entries {
		unit := e.Unit
		if unit == "" {
			unit = clinic
		}
		if err := cw.Write([]string{e.At.In(app.Stockholm).Format("2006-01-02 15:04"), unit, app.AuditActionLabel(e.Action)}); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// fileError reports a file of the extract that could not be written as
// the command always has: an internal error, exit status 1.
func fileError(path string, err error) error {
	var e *app.Error
	if errors.As(err, &e) {
		return &app.Error{Code: app.EINTERNAL, Message: e.Message}
	}
	return app.Errorf(app.EINTERNAL, "Kunde inte skriva %s: %v", path, err)
}
