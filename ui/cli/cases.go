package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"arendestod/app"
)

// CaseJSON is a case as `cases --json` prints it. The field names are a
// contract: scripts rely on them.
type CaseJSON struct {
	ID              int64   `json:"id"`
	Type            string  `json:"type"`
	TypeName        string  `json:"type_name"`
	Unit            string  `json:"unit"`
	Reference       *string `json:"reference"`
	ReceivedAt      string  `json:"received_at"`
	DueDate         string  `json:"due_date"`
	Status          string  `json:"status"`
	Assignee        *string `json:"assignee"`
	FirstFeedbackAt *string `json:"first_feedback_at"`
	ClosedAt        *string `json:"closed_at"`
	Flag            string  `json:"flag"`
	// Broken is why the case's stored row cannot be read whole
	// (app.Case.Broken); absent for a sound case.
	Broken string `json:"broken,omitempty"`
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.In(app.Stockholm).Format(time.RFC3339)
	return &s
}

// NewCaseJSON converts a case for JSON output at now. Its flag leaves out
// the "Ingen åtgärd på N dagar" rule, which needs the clinic's calendar and
// setting: NewCaseJSONAt has them.
func NewCaseJSON(c *app.Case, now time.Time) CaseJSON {
	return newCaseJSON(c, c.Flag(now))
}

// NewCaseJSONAt converts a case for JSON output at now, flagged as the
// inbox flags it (app.Case.FlagAt): stale after staleDays working days by
// cal without action.
func NewCaseJSONAt(c *app.Case, now time.Time, cal *app.Calendar, staleDays int) CaseJSON {
	return newCaseJSON(c, c.FlagAt(now, cal, staleDays))
}

func newCaseJSON(c *app.Case, flag app.Flag) CaseJSON {
	return CaseJSON{
		ID:              c.ID,
		Type:            c.Type,
		TypeName:        app.TypeName(c.Type),
		Unit:            c.Unit,
		Reference:       optString(c.Reference),
		ReceivedAt:      c.ReceivedAt.In(app.Stockholm).Format(time.RFC3339),
		DueDate:         c.DueDate.String(),
		Status:          string(c.Status),
		Assignee:        optString(c.Assignee),
		FirstFeedbackAt: optTime(c.FirstFeedbackAt),
		ClosedAt:        optTime(c.ClosedAt),
		Flag:            string(flag),
		Broken:          c.Broken,
	}
}

func runCases(r *Run, args []string) error {
	fs := newFlagSet("cases")
	all := fs.Bool("all", false, "även avslutade")
	asJSON := fs.Bool("json", false, "JSON")
	if err := Parse(fs, args); err != nil {
		return err
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	now := r.Env.Now()
	// Most urgent first on the run's day, as the inbox orders them.
	f := app.CaseFilter{View: app.ViewOpen, Today: app.DateOf(now)}
	if *all {
		f.View = app.ViewAll
	}
	cases, _, err := s.Cases(r.Ctx, f)
	if err != nil {
		return err
	}
	setting, err := s.Setting(r.Ctx, app.SettingStaleDays)
	if err != nil {
		return err
	}
	cal, staleDays := s.Calendar(), app.StaleDaysOf(setting)
	flagText := func(fl app.Flag) string {
		if fl == app.FlagStale {
			return app.StaleLabel(staleDays)
		}
		return fl.Swedish()
	}
	err = printList(r.Env.Stdout, *asJSON, cases, func(c *app.Case) CaseJSON { return NewCaseJSONAt(c, now, cal, staleDays) },
		"Inga ärenden.", "Nr\tSvar senast\tLäge\tStatus\tÄrendetyp\tMottagning\tÄrendenummer\tHandläggare",
		func(c *app.Case) string {
			due, flag := c.DueDate.String()+" "+c.DueDate.ShortSv()[:3], flagText(c.FlagAt(now, cal, staleDays))
			if c.Broken != "" {
				flag = "Trasig rad"
				if c.DueDate.IsZero() {
					due = "–"
				}
			}
			return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s", c.ID, due,
				flag, c.Status.Swedish(), truncate(app.TypeName(c.Type), 48), esc(c.Unit), esc(dash(c.Reference)), esc(dash(c.Assignee)))
		})
	if err != nil || *asJSON {
		return err
	}
	// A broken row is listed, and why is said beside the table.
	for _, c := range cases {
		if c.Broken != "" {
			fmt.Fprintf(r.Env.Stderr, "arendestod: ärende nr %d: %s\n", c.ID, app.TerminalSafe(c.Broken))
		}
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func runCase(r *Run, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return Usagef("använd: case add --type TYP --received TID [--unit U] [--reference R]")
	}
	fs := newFlagSet("case add")
	typ := fs.String("type", "", "ärendetyp")
	received := fs.String("received", "", "inkommen")
	unit := fs.String("unit", "", "mottagning")
	ref := fs.String("reference", "", "ärendenummer")
	if err := Parse(fs, args[1:]); err != nil {
		return err
	}
	if *typ == "" {
		return Usagef("--type saknas (en av: %s)", typeKeys())
	}
	if _, ok := app.CaseTypeByKey(*typ); !ok {
		return Usagef("--type: okänd ärendetyp %q (en av: %s)", *typ, typeKeys())
	}
	if *received == "" {
		return Usagef("--received saknas (ÅÅÅÅ-MM-DD TT:MM eller RFC 3339)")
	}
	t, err := ParseTime("received", *received)
	if err != nil {
		return err
	}
	// Before 2000 or more than a day ahead is a typing error: a due date
	// in year 10000 broke every list.
	if err := app.CheckReceivedAt(t, r.Env.Now()); err != nil {
		return Usagef("--received: %s", app.ErrorMessage(err))
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	c := app.NewCase(*typ, t, s.Calendar())
	c.Unit, c.Reference = strings.TrimSpace(*unit), strings.TrimSpace(*ref)
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.CreateCase(r.Ctx, c, r.Actor()); err != nil {
		// errors.As: on PostgreSQL the store keeps the server's error
		// beside its own when two desks raced for one reference.
		var e *app.Error
		if errors.As(err, &e) && e.Field != "" {
			return Usagef("--%s: %s", e.Field, e.Message)
		}
		return err
	}
	fmt.Fprintf(r.Env.Stdout, "Ärende nr %d registrerat: %s, svar senast %s %s.\n", c.ID, app.TypeName(c.Type), c.DueDate.ShortSv(), c.DueDate)
	return nil
}

func typeKeys() string {
	var ks []string
	for _, t := range app.CaseTypes() {
		ks = append(ks, t.Key)
	}
	return strings.Join(ks, ", ")
}
