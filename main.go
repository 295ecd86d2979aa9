// Command arendestod is Ärendestöd: the desktop companion to 1177
// e-tjänster for a BUP mottagning, and its command line.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/app/jobs"
	"arendestod/app/logging"
	"arendestod/data"
	"arendestod/data/pgserver"
	"arendestod/pdf"
	"arendestod/ui"
	"arendestod/ui/cli"
	_ "arendestod/ui/locale" // before Fyne reads the locale
)

// The store satisfies what each front end and the daily jobs need,
// checked by the compiler.
var (
	_ cli.Store  = (*data.DB)(nil)
	_ ui.Store   = (*data.DB)(nil)
	_ jobs.Store = (*data.DB)(nil)
	// The window follows other desks' changes through the store's feed.
	_ app.ChangeFeed = (*data.DB)(nil)
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0"

func main() { os.Exit(run()) }

// run runs the command line; when it asks for the window, run opens it on
// the database the command line opened.
func run() int {
	// Everything the command line prints on stderr goes through the
	// personnummer filter, as SECURITY.md promises.
	stderr := logging.NewRedactor(os.Stderr)
	ctx, stop := interruptContext(context.Background(), stderr, os.Exit)
	defer stop()
	// The access log's head is anchored in the log file as well as
	// beside the database (data.WithAnchors).
	var opts []data.Option
	logPath := logging.DefaultPath(cli.DefaultDBPath())
	if logFile, err := logging.Setup(logPath, os.Stderr); err == nil {
		defer logFile.Close()
		opts = append(opts, data.WithAnchors(logPath))
	} else {
		log.SetOutput(logging.NewRedactor(os.Stderr))
	}
	// The run's one database: the command line opens it (at most once),
	// the window and the daily jobs use it.
	var db *data.DB
	openWith := func(extra ...data.Option) func(string) (cli.Store, error) {
		return func(path string) (cli.Store, error) {
			d, err := data.Open(path, append(extra[:len(extra):len(extra)], opts...)...)
			if err != nil {
				return nil, err
			}
			db = d
			return d, nil
		}
	}
	code, win := cli.Main(ctx, os.Args[1:], cli.Env{
		Stdout:       os.Stdout,
		Stderr:       stderr,
		Stdin:        os.Stdin,
		Version:      version,
		Open:         openWith(),
		OpenForCheck: openWith(data.ForAuditCheck()),
		Commands:     commands(func() *data.DB { return db }, opts),
		// The database saved under Inställningar → Databas, its password
		// from the OS keyring.
		SavedDB:       func() (string, error) { return cli.LoadDBChoice(cli.DBChoicePath()) },
		DBPassword:    ui.DatabasePassword,
		StartPostgres: startDemoPostgres,
	})
	if win != nil {
		code = win.Close(openWindow(ctx, db, win))
	}
	return code
}

// interruptContext returns a context that the first Ctrl-C (SIGINT) or
// SIGTERM cancels, so that a command stops gracefully and keeps what it
// has done; a second one ends the program at once (exit status 130), in
// case something does not stop.
func interruptContext(parent context.Context, stderr io.Writer, exit func(int)) (context.Context, func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go watchInterrupts(sigs, done, cancel, stderr, exit)
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// watchInterrupts cancels on the first signal and exits on the second.
func watchInterrupts(sigs <-chan os.Signal, done <-chan struct{}, cancel func(), stderr io.Writer, exit func(int)) {
	for n := 0; ; {
		select {
		case <-done:
			return
		case <-sigs:
			n++
			if n == 1 {
				cancel()
				fmt.Fprintln(stderr, "arendestod: avbryter … tryck Ctrl-C en gång till för att avsluta direkt.")
				continue
			}
			fmt.Fprintln(stderr, "arendestod: avslutat direkt.")
			exit(130)
			return
		}
	}
}

// commands are the commands whose work lives outside the command line:
// backup and restore, the access-log extract's PDF, exports, the intyg's
// PDFs, the copy into a server. opened is the database the command line
// opened, as what it is.
func commands(opened func() *data.DB, opts []data.Option) map[string]cli.Command {
	cmds := cli.AdminCommands(data.RestoreWith(opts...), func(w io.Writer, p app.Personnummer, clinic string, at time.Time, es []app.AuditEntry) error {
		return pdf.RenderAccessExtract(w, pdf.AccessExtract{Patient: p, Clinic: clinic, CreatedAt: at, Entries: es})
	})
	for name, c := range cli.ExportCommands() {
		cmds[name] = c
	}
	cmds["intyg"] = cli.IntygCommand(pdf.Renderer{}.WriteIntyg)
	cmds["migrate"] = cli.MigrateCommand(func(ctx context.Context, _ cli.Store, to string, progress func(string, int64, int64)) (cli.MigrateResult, error) {
		return migrateTo(ctx, opened(), to, progress)
	})
	return cmds
}

// startDemoPostgres starts the team demo's private PostgreSQL server (it
// stops with this process, however it ends) with an empty database.
func startDemoPostgres() (string, func() error, error) {
	srv, err := pgserver.Start()
	if err != nil {
		return "", nil, err
	}
	if err := srv.CreateDatabase(context.Background(), "arendestod_demo", ""); err != nil {
		srv.Stop()
		return "", nil, err
	}
	return srv.URL("arendestod_demo"), srv.Stop, nil
}

// migrateTo is `migrate --to`: the store's copy into a server.
func migrateTo(ctx context.Context, db *data.DB, to string, progress func(table string, done, total int64)) (cli.MigrateResult, error) {
	res, err := data.CopyToServer(ctx, db, to, progress)
	if err != nil {
		return cli.MigrateResult{}, err
	}
	out := cli.MigrateResult{Target: res.Target}
	for _, t := range res.Tables {
		out.Tables = append(out.Tables, cli.MigratedTable{Name: t.Name, Rows: t.Rows})
	}
	return out, nil
}

// openWindow opens the desktop window on db with the intake beside it:
// the demo's, or the one on the account saved in the settings. It blocks
// until the window closes.
func openWindow(ctx context.Context, db *data.DB, win *cli.Window) error {
	a := fyneapp.NewWithID("se.bupnu.arendestod")
	svc := ui.Services{
		Store:    db,
		Demo:     win.Demo,
		TestIMAP: intake.TestConnection, // "Testa anslutning"
		Intyg:    app.NewIntygService(db, pdf.Renderer{}),
		Login:    win.Login,
		Database: &ui.DatabaseSettings{
			Current: db.Path(), // never the password
			Source:  win.DBSource,
			Saved:   func() (string, error) { return cli.LoadDBChoice(cli.DBChoicePath()) },
			Save:    func(dbURL string) error { return cli.SaveDBChoice(cli.DBChoicePath(), dbURL) },
		},
		Changes: db, // live updates from every desk on the database
	}
	in, start, intakeErr := win.Intake, func() {}, error(nil)
	if in == nil {
		// The account saved in the settings, password from the keyring.
		in, start, intakeErr = cli.StartSavedIntake(ctx, db, ui.IMAPPassword)
	}
	if in != nil {
		svc.Intake = in // "Synka nu"
	}
	w := ui.New(ctx, a, svc)
	startDailyJobs(ctx, db)
	if in != nil {
		defer in.OnCase(w.OnNewCase)()
		defer in.OnState(w.OnSyncState)()
		defer in.OnProgress(w.OnProgress)()
		if start != nil {
			start()
		}
	} else if intakeErr != nil {
		w.OnSyncState(app.IntakeError, intakeErr)
	}
	return w.ShowAndRun()
}

// startDailyJobs runs the backup and the gallring once a day while the
// window is open (checked every hour), backing up beside the database
// unless the settings say where.
func startDailyJobs(ctx context.Context, db *data.DB) {
	r := &jobs.Runner{Store: db, Now: time.Now,
		DefaultBackupDir: filepath.Join(filepath.Dir(db.Path()), "säkerhetskopior"),
		OnDone:           func(job, detail string) { log.Printf("daglig %s klar: %s", job, detail) },
		OnError:          func(job string, err error) { log.Printf("daglig %s misslyckades: %v", job, err) },
	}
	go r.Loop(ctx, time.Hour)
}
