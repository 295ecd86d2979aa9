// Package cli is the command line of Ärendestöd, in the same binary as the
// desktop window. It reaches storage through the Store interface that
// main wires to the SQLite store.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"arendestod/app"
	"arendestod/app/jobs"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 1 // something failed that was not the user's input
	ExitUsage = 2 // bad input: nothing was changed
)

// Store is what the command line needs from storage, composed from app's
// interfaces; main checks at compile time that its store satisfies it.
type Store interface {
	app.CaseStore
	app.StaffStore
	app.ScheduleStore
	app.SettingsStore
	app.NoticeStore
	app.IntakeLeaser // one desk fetches a shared mailbox at a time
	app.AuditLog
	app.AuditReader        // audit extract
	app.AuditVerifier      // audit verify
	app.AuditKeyHolder     // audit key export, audit key import
	app.Backupper          // backup
	app.QuarantineStore    // quarantine
	app.QuarantineReleaser // quarantine release
	app.ReceptStore        // export recept
	app.StatsSource        // stats
	app.SessionIdentity    // who the database knows the run as (whoami.go)
	jobs.Store             // sync --watch's gallring
	Calendar() *app.Calendar
	Close() error
}

// Env is the outside world of a run: streams, environment, the clock, and
// how to open the store.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	Now            func() time.Time
	Version        string
	// Open opens the store at path, creating it when absent. A run opens
	// at most one store.
	Open func(path string) (Store, error)
	// OpenForCheck, when set, opens the store for audit verify and audit
	// key import: also a database whose access log Open refuses (a
	// missing trigger, no key on this computer), so they can say what is
	// wrong. Unset, they use Open.
	OpenForCheck func(path string) (Store, error)
	// Commands added by other packages (intake, intyg, ...), by name.
	Commands map[string]Command
	// SavedDB, when set, returns the database saved under Inställningar →
	// Databas (LoadDBChoice): used when neither --db nor ARENDESTOD_DB
	// chooses one. DBPassword, when set, returns the OS keyring's password
	// for a saved URL without one. (ResolveDB.)
	SavedDB    func() (string, error)
	DBPassword func(dbURL string) (string, error)
	// StartPostgres, when set, starts a private PostgreSQL server with an
	// empty database for the team demo and returns its URL and how to stop
	// it (main wires it to data/pgserver).
	StartPostgres func() (dbURL string, stop func() error, err error)
}

// Command is a subcommand. It gets its own arguments and the run context.
type Command struct {
	Summary string // one line, Swedish, for the usage text
	// Run validates args before it opens the store (Run.Store), so that
	// bad input changes nothing, not even by creating the database.
	Run func(r *Run, args []string) error
}

// Run is one invocation of the command line.
type Run struct {
	Ctx context.Context
	Env Env
	DB  string // database path, or PostgreSQL URL (its password in memory only)
	// DBSource says where DB was chosen: DBFromFlag, DBFromEnv,
	// DBFromSaved or DBFromDefault.
	DBSource string
	store    Store
	// window is the window the run asks for (wantWindow); the store stays
	// open for it.
	window *Window
	// who is who the run acts as, settled when the store opens
	// (whoami.go).
	who *runIdentity
}

// wantWindow asks main to open the window once the command returns.
func (r *Run) wantWindow(w *Window) { r.window = w }

// Store opens the store on first use.
func (r *Run) Store() (Store, error) {
	if r.store != nil {
		return r.store, nil
	}
	s, err := r.Env.Open(r.DB)
	if err != nil {
		return nil, err
	}
	// Who the run acts as is settled before anything is done.
	if err := r.settleIdentity(s); err != nil {
		s.Close()
		return nil, err
	}
	r.store = s
	return s, nil
}

// storeForCheck opens the store with Env.OpenForCheck (else Open) on
// first use.
func (r *Run) storeForCheck() (Store, error) {
	if r.store != nil || r.Env.OpenForCheck == nil {
		return r.Store()
	}
	s, err := r.Env.OpenForCheck(r.DB)
	if err != nil {
		return nil, err
	}
	if err := r.settleIdentity(s); err != nil {
		s.Close()
		return nil, err
	}
	r.store = s
	return s, nil
}

// Actor is who the command line acts as in events and the access log
// (settleIdentity): the staff member the database login is mapped to on a
// team database; else the active staff member whose HSA-ID is in
// ARENDESTOD_USER; else "cli:" and the database login on a team database,
// or the OS user name.
func (r *Run) Actor() string {
	if r.who != nil {
		return r.who.actor
	}
	return "cli:" + osUserName()
}

// osUserName is the computer account the program runs as.
func osUserName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "okänd"
}

// UsageError is bad input: exit status 2, nothing changed.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error { return &UsageError{fmt.Sprintf(format, args...)} }

// DefaultDBPath is where the database lives unless told otherwise.
func DefaultDBPath() string { return dbPath(runtime.GOOS, os.Getenv) }

func builtins() map[string]Command {
	m := map[string]Command{
		"cases":   {Summary: "lista öppna ärenden (--all, --json)", Run: runCases},
		"case":    {Summary: "case add --type TYP --received TID [--unit U] [--reference R]", Run: runCase},
		"staff":   {Summary: "staff add --name N --hsa-id ID [--email E] --role R [--role R2]; staff list [--json]", Run: runStaff},
		"version": {Summary: "visa versionen", Run: runVersion},
		"senders": {Summary: "senders allow DOMÄN | senders remove DOMÄN | senders list [--json]: avsändare som notiser tas emot från", Run: runSenders},
	}
	for k, c := range intakeCommands() {
		m[k] = c
	}
	return m
}

// Main runs the command line and returns the exit status. When the run
// wants the desktop window (no command, or the demo), it returns a Window
// and leaves the store open: main opens the window on the store Env.Open
// gave, and the exit status is then win.Close's.
func Main(ctx context.Context, args []string, env Env) (code int, win *Window) {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	cmds := builtins()
	for k, c := range env.Commands {
		cmds[k] = c
	}
	fs := newFlagSet("arendestod")
	dbPath := fs.String("db", "", "databasfil")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(env.Stdout, cmds)
			return ExitOK, nil
		}
		return report(env, flagError(err)), nil
	}
	r := &Run{Ctx: ctx, Env: env}
	var err error
	if r.DB, r.DBSource, err = ResolveDB(*dbPath, env.Getenv, env.SavedDB, env.DBPassword); err != nil {
		return report(env, err), nil
	}
	rest := fs.Args()
	switch {
	case len(rest) == 0:
		err = runWindow(r)
	case rest[0] == "help":
		return runHelp(env, cmds, rest[1:]), nil
	default:
		cmd, ok := cmds[rest[0]]
		if !ok {
			printUsage(env.Stderr, cmds)
			return report(env, Usagef("okänt kommando %q", rest[0])), nil
		}
		if wantsHelp(rest[1:]) {
			printCommandUsage(env.Stdout, rest[0], cmd)
			return ExitOK, nil
		}
		err = cmd.Run(r, rest[1:])
	}
	if err == nil && r.window != nil {
		r.window.env, r.window.store, r.window.DBSource = env, r.store, r.DBSource
		return ExitOK, r.window
	}
	if r.store != nil {
		r.store.Close()
	}
	return report(env, err), nil
}

// runWindow is a start without a command: the window on the database.
func runWindow(r *Run) error {
	if err := needDisplay(r.Env.Getenv, false); err != nil {
		return err
	}
	if _, err := r.Store(); err != nil {
		return err
	}
	// A window of the team demo signs in as its staff member at once;
	// on a team database the login says who works (whoami.go).
	demoLogin := r.Env.Getenv(EnvDemoLogin)
	login, err := r.windowLogin(demoLogin)
	if err != nil {
		return err
	}
	r.wantWindow(&Window{Demo: demoLogin != "", Login: login})
	return nil
}

// runHelp is `help` and `help KOMMANDO`.
func runHelp(env Env, cmds map[string]Command, args []string) int {
	if len(args) == 0 {
		printUsage(env.Stdout, cmds)
		return ExitOK
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		printUsage(env.Stderr, cmds)
		return report(env, Usagef("okänt kommando %q", args[0]))
	}
	printCommandUsage(env.Stdout, args[0], cmd)
	return ExitOK
}

// wantsHelp reports whether a command's arguments ask for its usage:
// -h, -help or --help before a "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func printUsage(w io.Writer, cmds map[string]Command) {
	fmt.Fprintln(w, "Användning: arendestod [--db FIL] [kommando]")
	fmt.Fprintln(w, "Utan kommando öppnas fönstret. Kommandon:")
	names := make([]string, 0, len(cmds))
	for k := range cmds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w, "  %-10s %s\n", k, cmds[k].Summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "help", "help [KOMMANDO], eller KOMMANDO --help: visa den här hjälpen")
	fmt.Fprintln(w, "--db FIL väljer databasen (annars miljövariabeln ARENDESTOD_DB, annars valet under Inställningar → Databas, annars", DefaultDBPath()+").")
	fmt.Fprintln(w, "--db postgres://användare@server/databas väljer en PostgreSQL-databas (mottagningens gemensamma).")
}

func printCommandUsage(w io.Writer, name string, cmd Command) {
	fmt.Fprintf(w, "Användning: arendestod [--db FIL] %s …\n", name)
	fmt.Fprintf(w, "  %s\n", cmd.Summary)
	fmt.Fprintln(w, "Felaktig inmatning ger slutstatus 2 och ändrar ingenting; andra fel ger slutstatus 1.")
}

// report prints err as one Swedish line and returns the exit status. The
// line is escaped for the terminal (app.TerminalSafe): it may quote input.
func report(env Env, err error) int {
	if err == nil {
		return ExitOK
	}
	say := func(msg string) { fmt.Fprintln(env.Stderr, "arendestod:", app.TerminalSafe(msg)) }
	var ue *UsageError
	var ve app.ValidationErrors
	switch {
	case errors.As(err, &ue):
		say(ue.Msg)
		return ExitUsage
	case errors.As(err, &ve):
		for _, e := range ve {
			say(fieldMessage(e))
		}
		return ExitUsage
	case app.ErrorCode(err) == app.EINVALID:
		say(fieldMessage(err))
		return ExitUsage
	case app.ErrorCode(err) == app.EINTERNAL:
		// Not ours: the detail is for whoever reads stderr at the desk;
		// it holds no patient data (errors never carry it). Our own
		// internal errors say it all in their message: printed once.
		msg, detail := app.ErrorMessage(err), err.Error()
		if detail != "" && detail != msg && !strings.Contains(msg, detail) {
			msg += " (" + detail + ")"
		}
		say(msg)
		return ExitError
	default:
		say(fieldMessage(err))
		return ExitError
	}
}

// esc is app.TerminalSafe, for each value printed in a table.
func esc(s string) string { return app.TerminalSafe(s) }

// fieldMessage is err's Swedish message; an error about one input names
// that input first: by its flag ("--hsa-id: ...") when the input is one,
// by its JSON path ("child.personnummer: ...") in a file read, and not at
// all when the key is the program's own (assignee, step, …): English
// words people never typed. app.ErrorMessage leaves the key out: a form
// shows the message beside its field.
func fieldMessage(err error) string {
	var e *app.Error
	if !errors.As(err, &e) || e.Field == "" {
		return app.ErrorMessage(err)
	}
	switch {
	case flagFields[e.Field]:
		return "--" + e.Field + ": " + e.Message
	case internalFields[e.Field]:
		return capitalizeFirst(e.Message)
	}
	return e.Field + ": " + e.Message
}

// flagFields are the field keys that are also a command's flag.
var flagFields = map[string]bool{
	"name": true, "hsa-id": true, "email": true, "role": true, "type": true, "received": true, "unit": true,
	"reference": true, "from": true, "to": true, "status": true, "nurse": true, "search": true, "out": true,
	"pnr": true, "table": true, "host": true, "port": true, "security": true, "user": true, "mailbox": true,
}

// internalFields are field keys of the program's own that name no flag
// and no JSON value: the message says it alone.
var internalFields = map[string]bool{
	"assignee": true, "at": true, "branch": true, "by": true, "case": true, "date": true, "domain": true,
	"note": true, "reply": true, "stale-days": true, "step": true, "text": true, "wording": true,
}

// capitalizeFirst starts s with a capital letter (a message may start in
// lower case after a key).
func capitalizeFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// newFlagSet returns a flag set that reports errors as UsageErrors instead
// of printing Go's English usage.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// flagError turns an error of the flag package into a Swedish UsageError.
func flagError(err error) error {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return Usagef("okänd flagga %s", strings.TrimPrefix(msg, "flag provided but not defined: "))
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return Usagef("flaggan %s behöver ett värde", strings.TrimPrefix(msg, "flag needs an argument: "))
	case strings.HasPrefix(msg, "invalid value "), strings.HasPrefix(msg, "invalid boolean value "):
		// `invalid value "x" for flag -n: parse error`
		if i := strings.Index(msg, " for flag "); i >= 0 {
			name := msg[i+len(" for flag "):]
			if j := strings.IndexByte(name, ':'); j >= 0 {
				name = name[:j]
			}
			return Usagef("ogiltigt värde för flaggan %s", name)
		}
		return Usagef("ogiltigt värde för en flagga")
	}
	return Usagef("felaktig flagga: %s", msg)
}

// writeJSON prints v as indented JSON, the form of every --json output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printList prints a listing command's items to w: with --json (asJSON)
// as a JSON array of toJSON of each; otherwise as a table under header
// (tab-separated), a row (tab-separated) per item, or the line empty
// instead when there are no items and empty is not "".
func printList[T, J any](w io.Writer, asJSON bool, items []T, toJSON func(T) J, empty, header string, row func(T) string) error {
	if asJSON {
		out := make([]J, 0, len(items))
		for _, it := range items {
			out = append(out, toJSON(it))
		}
		return writeJSON(w, out)
	}
	if len(items) == 0 && empty != "" {
		_, err := fmt.Fprintln(w, empty)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		fmt.Fprintln(tw, row(it))
	}
	return tw.Flush()
}

// Parse parses args with fs and turns a flag error into a Swedish UsageError.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() > 0 {
		return Usagef("oväntat argument %q", fs.Arg(0))
	}
	return nil
}

// NewFlagSet is newFlagSet for commands in other packages.
func NewFlagSet(name string) *flag.FlagSet { return newFlagSet(name) }

// ParseTime reads a time as RFC 3339 or "YYYY-MM-DD HH:MM" (Stockholm).
func ParseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(app.Stockholm), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, app.Stockholm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Usagef("--%s: ogiltig tid %q (använd ÅÅÅÅ-MM-DD TT:MM eller RFC 3339, t.ex. 2026-12-23T10:00:00+01:00)", field, s)
}

// ParseDateFlag reads a YYYY-MM-DD date flag.
func ParseDateFlag(field, s string) (app.Date, error) {
	d, err := app.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return app.Date{}, Usagef("--%s: ogiltigt datum %q (använd ÅÅÅÅ-MM-DD)", field, s)
	}
	return d, nil
}

func runVersion(r *Run, args []string) error {
	if err := Parse(newFlagSet("version"), args); err != nil {
		return err
	}
	fmt.Fprintln(r.Env.Stdout, "arendestod", r.Env.Version)
	return nil
}
