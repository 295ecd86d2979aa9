package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/app/jobs"
	"arendestod/app/notice"
)

// The commands of notice intake: import (files), sync (IMAP) and
// quarantine. The demo is in demo.go, the intake beside the window in
// window.go.

func intakeCommands() map[string]Command {
	return map[string]Command{
		"import":     {Summary: "import SÖKVÄG…: läs in notiser från .eml-filer, mappar och mbox-filer", Run: runImport},
		"sync":       {Summary: "sync --once|--watch [--host H --port P --security tls|starttls|plain --user U --password-file F --mailbox M]", Run: runSync},
		"quarantine": {Summary: "lista meddelanden i karantän (--json); quarantine release NR: ta in ett meddelande som ärende", Run: runQuarantine},
		"demo":       {Summary: "starta demot med en egen e-postserver och databas [--db FIL]; --team: två fönster på en gemensam PostgreSQL-databas", Run: runDemo},
	}
}

// codeIncomplete is the code of an error that ends a command that did its
// work but not all of it (some files could not be read): exit status 1.
const codeIncomplete = "incomplete"

// importBatch is how many messages go into one transaction, and
// importBatchBytes how many bytes of messages at most.
const (
	importBatch      = 500
	importBatchBytes = 32 << 20
)

// ---- import ----

func runImport(r *Run, args []string) error {
	fl := newFlagSet("import")
	assignee := fl.String("assignee", "", "HSA-ID för den som äger brevlådan (tilldelade ärenden)")
	if err := parseWithArgs(fl, args); err != nil {
		return err
	}
	paths := fl.Args()
	if len(paths) == 0 {
		return Usagef("ange minst en fil eller mapp att läsa in (.eml, mapp eller mbox)")
	}
	if *assignee != "" {
		id, err := app.ValidateHSAID(*assignee)
		if err != nil {
			return Usagef("--assignee: %s", app.ErrorMessage(err))
		}
		*assignee = id
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return Usagef("%s: filen eller mappen finns inte", p)
			}
			return Usagef("%s: %s", p, fileProblem(err))
		}
		// A device, a FIFO or a socket is never read: /dev/zero never
		// ends and a FIFO blocks forever.
		if !info.Mode().IsRegular() && !info.IsDir() {
			return Usagef("%s: är varken en vanlig fil eller en mapp; bara filer och mappar kan läsas in", p)
		}
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	domains, err := app.SenderDomains(r.Ctx, s)
	if err != nil {
		return err
	}
	imp := &importer{ctx: r.Ctx, store: s, stderr: r.Env.Stderr, assignee: *assignee, domains: domains, now: r.Env.Now}
	err = nil
	for _, p := range paths {
		if err = imp.path(p); err != nil {
			break
		}
	}
	if err == nil {
		err = imp.flush()
	}
	if err != nil {
		if r.Ctx.Err() != nil {
			// What was stored is in the ledger; the rest is read again
			// next time.
			fmt.Fprintln(r.Env.Stdout, imp.sum.String())
			return &app.Error{Code: codeIncomplete, Message: "Inläsningen avbröts; det som hann sparas är sparat."}
		}
		return err
	}
	fmt.Fprintln(r.Env.Stdout, imp.sum.String())
	if imp.failed > 0 {
		return &app.Error{Code: codeIncomplete, Message: fmt.Sprintf("%d %s kunde inte läsas (se ovan); resten är inläst.",
			imp.failed, plural(imp.failed, "fil", "filer"))}
	}
	return nil
}

// parseWithArgs is Parse for commands that take arguments after the flags.
func parseWithArgs(fs interface{ Parse([]string) error }, args []string) error {
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fileProblem says in Swedish why a file could not be read.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "filen finns inte"
	case errors.Is(err, fs.ErrPermission):
		return "behörighet saknas"
	case errors.Is(err, notice.ErrNotMbox):
		return "filen är ingen mbox-fil (första raden börjar inte med \"From \")"
	}
	return "läsfel"
}

// importer reads files into batches of Inbound and stores them.
type importer struct {
	ctx      context.Context
	store    app.NoticeStore
	stderr   io.Writer
	assignee string
	domains  []string // the allowed sender domains
	now      func() time.Time
	items    []app.Inbound
	bytes    int // of the messages in items
	sum      app.IngestSummary
	failed   int
}

func (imp *importer) fail(path string, err error) {
	imp.failed++
	fmt.Fprintf(imp.stderr, "arendestod: %s kunde inte läsas: %s\n", esc(path), fileProblem(err))
}

// path imports a file or, recursively, a folder's .eml and .mbox files.
// Only a failure of the store ends the import: a file that cannot be read
// is reported and skipped.
func (imp *importer) path(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		imp.fail(p, err)
		return nil
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil
		}
		return imp.file(p, info)
	}
	return filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			imp.fail(path, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".eml", ".mbox":
		default:
			return nil
		}
		// Stat, not Lstat: a link to a file is read, a broken one reported.
		info, err := os.Stat(path)
		if err != nil {
			imp.fail(path, err)
			return nil
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		return imp.file(path, info)
	})
}

// file imports one .eml file or mbox file. A file named on the command line
// is an mbox when it starts with a "From " line or is named *.mbox, else
// one message.
func (imp *importer) file(path string, info fs.FileInfo) error {
	if err := imp.ctx.Err(); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		imp.fail(path, err)
		return nil
	}
	defer f.Close()
	// Opened, it must still be a regular file (not swapped for a FIFO
	// since the Stat).
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(5)
	if string(head) == "From " || strings.EqualFold(filepath.Ext(path), ".mbox") {
		n := 0
		var storeErr error
		// One message at a time, each capped: a huge mbox or message
		// never fills the memory.
		err := notice.ReadMboxMessages(br, app.MaxMessageBytes, func(m notice.MboxMessage) error {
			n++
			date := m.Date
			if date.IsZero() {
				date = info.ModTime()
			}
			source := fmt.Sprintf("%s (meddelande %d)", path, n)
			if m.Truncated {
				storeErr = imp.add(notice.ParseTooLarge(m.Raw, m.Size, source))
			} else {
				storeErr = imp.add(notice.Parse(m.Raw, date, source))
			}
			return storeErr
		})
		if storeErr != nil {
			return storeErr
		}
		if err != nil {
			imp.fail(path, err)
		}
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(br, app.MaxMessageBytes+1))
	if err != nil {
		imp.fail(path, err)
		return nil
	}
	if len(raw) > app.MaxMessageBytes {
		return imp.add(notice.ParseTooLarge(raw, max(info.Size(), int64(len(raw))), path))
	}
	return imp.add(notice.Parse(raw, info.ModTime(), path))
}

func (imp *importer) add(in app.Inbound) error {
	app.ScreenSender(&in, imp.domains, imp.now())
	if in.Notice != nil && in.Notice.Kind == app.NoticeTilldelat {
		in.Assignee = imp.assignee
	}
	imp.items = append(imp.items, in)
	imp.bytes += len(in.Raw)
	if in.Quarantine != nil {
		imp.bytes += len(in.Quarantine.Raw)
	}
	if len(imp.items) >= importBatch || imp.bytes >= importBatchBytes {
		return imp.flush()
	}
	return nil
}

func (imp *importer) flush() error {
	if len(imp.items) == 0 {
		return nil
	}
	rs, err := imp.store.IngestBatch(imp.ctx, imp.items, nil)
	if err != nil {
		return err
	}
	imp.sum.Add(rs...)
	clear(imp.items) // let the messages go
	imp.items, imp.bytes = imp.items[:0], 0
	return nil
}

// ---- sync ----

// EnvIMAPPassword is the environment variable the command line reads the
// IMAP password from, unless --password-file is given.
const EnvIMAPPassword = "ARENDESTOD_IMAP_PASSWORD"

type syncFlags struct {
	once, watch                       bool
	host, security, user, pwFile, box string
	port                              int
}

func runSync(r *Run, args []string) error {
	fl := newFlagSet("sync")
	var f syncFlags
	fl.BoolVar(&f.once, "once", false, "hämta det som är nytt och avsluta")
	fl.BoolVar(&f.watch, "watch", false, "bevaka inkorgen tills programmet avbryts")
	fl.StringVar(&f.host, "host", "", "IMAP-server")
	fl.IntVar(&f.port, "port", 0, "port")
	fl.StringVar(&f.security, "security", "", "tls, starttls eller plain")
	fl.StringVar(&f.user, "user", "", "användarnamn")
	fl.StringVar(&f.pwFile, "password-file", "", "fil med lösenordet på första raden")
	fl.StringVar(&f.box, "mailbox", "", "mapp (INBOX)")
	if err := Parse(fl, args); err != nil {
		if strings.Contains(err.Error(), "-port") {
			return Usagef("--port: ange ett tal mellan 1 och 65535")
		}
		return err
	}
	if f.once == f.watch {
		return Usagef("ange antingen --once eller --watch")
	}
	password, err := syncPassword(r, f.pwFile)
	if err != nil {
		return err
	}

	var acc app.IMAPAccount
	if f.host != "" {
		// An account given on the command line: the saved one is not read.
		acc = app.IMAPAccount{Host: f.host, Port: f.port, Security: f.security, Username: f.user, Mailbox: f.box}
		if err := acc.Validate(); err != nil {
			return flagErrors(err)
		}
		if password == "" {
			return missingPassword()
		}
	} else {
		// The saved account. Read nothing, not even create the database,
		// when there is none. (A database server is there or says so.)
		if _, err := os.Stat(r.DB); err != nil && !app.IsServerDB(r.DB) {
			return Usagef("inget e-postkonto är sparat (databasen %s finns inte); ange --host och --user", r.DB)
		}
		if password == "" {
			return missingPassword()
		}
		s, err := r.Store()
		if err != nil {
			return err
		}
		if acc, err = savedAccount(r.Ctx, s); err != nil {
			return err
		}
		if f.port != 0 {
			acc.Port = f.port
		}
		if f.security != "" {
			acc.Security = f.security
		}
		if f.user != "" {
			acc.Username = f.user
		}
		if f.box != "" {
			acc.Mailbox = f.box
		}
		if err := acc.Validate(); err != nil {
			return flagErrors(err)
		}
	}
	acc.Password = password

	s, err := r.Store()
	if err != nil {
		return err
	}
	if f.once {
		return syncOnce(r, s, acc)
	}
	return syncWatch(r, s, acc)
}

func missingPassword() error {
	return Usagef("lösenord saknas: ange --password-file FIL eller miljövariabeln %s", EnvIMAPPassword)
}

// syncPassword reads the password from the first line of file, else from
// the environment. It is never a flag's value: that would show in the
// process list and the shell's history.
func syncPassword(r *Run, file string) (string, error) {
	if file == "" {
		return r.Env.Getenv(EnvIMAPPassword), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return "", Usagef("--password-file: %s kunde inte läsas: %s", file, fileProblem(err))
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", Usagef("--password-file: %s kunde inte läsas: %s", file, fileProblem(err))
	}
	pw := strings.TrimSpace(line)
	if pw == "" {
		return "", Usagef("--password-file: första raden i %s är tom", file)
	}
	return pw, nil
}

// savedAccount reads the account saved in the settings: a UsageError when
// none is saved.
func savedAccount(ctx context.Context, s app.SettingsStore) (app.IMAPAccount, error) {
	acc, err := app.LoadIMAPAccount(ctx, s)
	if err != nil && app.ErrorCode(err) != app.EINVALID {
		return acc, err
	}
	if strings.TrimSpace(acc.Host) == "" {
		return acc, Usagef("inget e-postkonto är sparat i inställningarna; ange --host och --user")
	}
	return acc, err
}

// lockedWriter serialises writes from the intake's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func syncOnce(r *Run, s Store, acc app.IMAPAccount) error {
	var last time.Time
	in := intake.New(acc, intake.Options{
		Store: s,
		Now:   r.Env.Now,
		OnProgress: func(p intake.Progress) {
			// At most twice a second: a catch-up of thousands should not
			// flood the terminal.
			if now := time.Now(); now.Sub(last) >= 500*time.Millisecond || p.Done == p.Total {
				last = now
				fmt.Fprintf(r.Env.Stderr, "Hämtar %d av %d …\n", p.Done, p.Total)
			}
		},
	})
	sum, err := in.SyncOnce(r.Ctx)
	if err != nil {
		if r.Ctx.Err() != nil {
			fmt.Fprintln(r.Env.Stdout, sum.String())
			return app.Errorf(codeIncomplete, "Hämtningen avbröts; det som hann hämtas är sparat.")
		}
		return err
	}
	fmt.Fprintln(r.Env.Stdout, sum.String())
	return nil
}

// caseLine is the line printed for a case that intake made or updated. It
// names the type and the deadline, never the patient.
func caseLine(cal *app.Calendar, res app.IngestResult, n *app.Notice) string {
	if n == nil {
		return ""
	}
	name := app.TypeName(n.Type)
	switch res.Outcome {
	case app.OutcomeNew:
		return fmt.Sprintf("Nytt ärende: %s – svar senast %s", name, cal.DueDate(n.ReceivedAt).ShortSv())
	case app.OutcomeUpdated:
		if n.Kind == app.NoticeTilldelat {
			return fmt.Sprintf("Ärende tilldelat: %s", name)
		}
		return fmt.Sprintf("Ärende uppdaterat: %s", name)
	}
	return ""
}

func syncWatch(r *Run, s Store, acc app.IMAPAccount) error {
	out := &lockedWriter{w: r.Env.Stdout}
	errw := &lockedWriter{w: r.Env.Stderr}
	cal := s.Calendar()
	in := intake.New(acc, intake.Options{
		Store: s,
		Now:   r.Env.Now,
		OnCase: func(res app.IngestResult, n *app.Notice) {
			if l := caseLine(cal, res, n); l != "" {
				fmt.Fprintln(out, l)
			}
		},
		OnState: func(st app.IntakeState, err error) {
			w := io.Writer(out)
			if st == app.IntakeError {
				w = errw
			}
			fmt.Fprintln(w, st.Text(err))
		},
	})
	// A server with no window open gallrar too: at start and then once a
	// day (the retention setting's last run is shared with the window's).
	gallring := &jobs.Runner{Store: s, Now: r.Env.Now, RetentionOnly: true,
		OnDone: func(_, n string) {
			if n != "0" {
				fmt.Fprintf(out, "Gallring: patientuppgifter borttagna ur %s avslutade ärenden.\n", n)
			}
		},
		OnError: func(_ string, err error) {
			fmt.Fprintln(errw, "Gallringen misslyckades:", app.TerminalSafe(app.ErrorMessage(err)))
		},
	}
	ctx, stop := context.WithCancel(r.Ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		gallring.Loop(ctx, gallringInterval)
	}()
	defer func() {
		stop()
		wg.Wait() // not past the store's closing
	}()
	return in.Watch(r.Ctx)
}

// gallringInterval is how often sync --watch asks whether the day's
// gallring is due (tests shorten it).
var gallringInterval = time.Hour

// ---- quarantine ----

// QuarantinedJSON is a quarantined message as `quarantine --json` prints it.
// The raw message is not printed: it may hold patient data.
type QuarantinedJSON struct {
	ID      int64  `json:"id"`
	Key     string `json:"key"`
	Source  string `json:"source"`
	Reason  string `json:"reason"`
	TakenAt string `json:"taken_at"`
	Size    int    `json:"size"`
}

func runQuarantine(r *Run, args []string) error {
	if len(args) > 0 && args[0] == "release" {
		return runQuarantineRelease(r, args[1:])
	}
	fl := newFlagSet("quarantine")
	asJSON := fl.Bool("json", false, "JSON")
	if err := Parse(fl, args); err != nil {
		return err
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	list, err := s.Quarantine(r.Ctx)
	if err != nil {
		return err
	}
	return printList(r.Env.Stdout, *asJSON, list, func(q app.Quarantined) QuarantinedJSON {
		return QuarantinedJSON{
			ID: q.ID, Key: q.Key, Source: q.Source, Reason: q.Reason,
			TakenAt: q.ReceivedAt.In(app.Stockholm).Format(time.RFC3339), Size: len(q.Raw),
		}
	}, "Inga meddelanden i karantän.", "Nr\tTogs in\tKälla\tMeddelande\tStorlek\tOrsak", func(q app.Quarantined) string {
		return fmt.Sprintf("%d\t%s\t%s\t%s\t%d byte\t%s", q.ID, q.ReceivedAt.In(app.Stockholm).Format("2006-01-02 15:04"),
			esc(q.Source), esc(truncate(q.Key, 48)), len(q.Raw), esc(q.Reason))
	})
}
