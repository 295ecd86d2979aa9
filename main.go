// Command arendestod is Ärendestöd: the desktop companion to 1177
// e-tjänster for a BUP mottagning, and its command line.
package main

import (
	"context"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/app/jobs"
	"arendestod/app/logging"
	"arendestod/data"
	"arendestod/pdf"
	"arendestod/ui"
	"arendestod/ui/cli"
	_ "arendestod/ui/locale" // before Fyne reads the locale
)

// The SQLite store is everything the window needs.
var _ ui.Store = (*data.DB)(nil)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0"

func main() { os.Exit(run()) }

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if logFile, err := logging.Setup(logging.DefaultPath(cli.DefaultDBPath()), os.Stderr); err == nil {
		defer logFile.Close()
	} else {
		log.SetOutput(logging.NewRedactor(os.Stderr))
	}
	cmds := cli.AdminCommands(data.Restore, func(w io.Writer, p app.Personnummer, clinic string, at time.Time, es []app.AuditEntry) error {
		return pdf.RenderAccessExtract(w, pdf.AccessExtract{Patient: p, Clinic: clinic, CreatedAt: at, Entries: es})
	})
	for name, c := range cli.ExportCommands() {
		cmds[name] = c
	}
	cmds["intyg"] = cli.IntygCommand(func(dir string, in *app.Intyg) error {
		return pdf.RenderAll(dir, in, pdf.Options{})
	})
	// The window runs on the store the command opened (a run opens one),
	// kept here as what it is rather than discovered from cli.Store.
	var db *data.DB
	code := cli.Main(ctx, os.Args[1:], cli.Env{
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Stdin:   os.Stdin,
		Version: version,
		Open: func(path string) (cli.Store, error) {
			d, err := data.Open(path)
			if err != nil {
				return nil, err
			}
			db = d
			return d, nil
		},
		Commands: cmds,
		Window: func(ctx context.Context, _ cli.Store, opts cli.WindowOptions) error {
			return openWindow(ctx, db, opts)
		},
	})
	stop()
	return code
}

// startDailyJobs runs the backup and the gallring once a day while the
// window is open (checked every hour).
func startDailyJobs(ctx context.Context, s cli.Store) {
	st, ok := s.(jobs.Store)
	if !ok {
		return
	}
	r := &jobs.Runner{Store: st, Now: time.Now,
		OnDone:  func(job, detail string) { log.Printf("daglig %s klar: %s", job, detail) },
		OnError: func(job string, err error) { log.Printf("daglig %s misslyckades: %v", job, err) },
	}
	if p, ok := s.(interface{ Path() string }); ok {
		r.DefaultBackupDir = filepath.Join(filepath.Dir(p.Path()), "säkerhetskopior")
	}
	go r.Loop(ctx, time.Hour)
}

// testIMAP is "Testa anslutning" in the settings.
func testIMAP(ctx context.Context, a ui.IMAPAccount) error {
	return intake.TestConnection(ctx, intake.Account{Host: a.Host, Port: a.Port, Security: a.Security,
		Username: a.Username, Password: a.Password, Mailbox: a.Mailbox, MarkSeen: a.MarkSeen, MoveTo: a.MoveTo,
		Assignee: a.Assignee})
}

// openWindow opens the desktop window on s with the intake beside it: the
// demo's, or the one on the account saved in the settings.
func openWindow(ctx context.Context, s *data.DB, opts cli.WindowOptions) error {
	if err := needDisplay(os.Getenv); err != nil {
		return err
	}
	a := fyneapp.NewWithID("se.bupnu.arendestod")
	svc := ui.Services{Store: s, Demo: opts.Demo, TestIMAP: testIMAP}
	in, start, intakeErr := opts.Intake, func() {}, error(nil)
	if in == nil {
		// The account saved in the settings, password from the keyring.
		in, start, intakeErr = cli.StartSavedIntake(ctx, s, ui.IMAPPassword)
	}
	if in != nil {
		svc.Intake = in // "Synka nu"
	}
	w := ui.New(ctx, a, svc)
	startDailyJobs(ctx, s)
	if in != nil {
		defer in.OnCase(w.OnNewCase)()
		defer in.OnState(w.OnSyncState)()
		if p, ok := in.(interface {
			OnProgress(func(done, total int)) func()
		}); ok {
			defer p.OnProgress(w.OnProgress)()
		}
		if start != nil {
			start()
		}
	} else if intakeErr != nil {
		w.OnSyncState("fel", intakeErr)
	}
	return w.ShowAndRun()
}

// needDisplay returns a Swedish error when there is no screen to open the
// window on (on X11/Wayland systems), instead of letting GLFW panic.
func needDisplay(getenv func(string) string) error {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return app.Errorf(app.ECONFLICT, "Ingen skärm hittades (varken DISPLAY eller WAYLAND_DISPLAY är satt), så fönstret kan inte öppnas. Kommandona fungerar utan skärm: se arendestod help.")
		}
	}
	return nil
}
