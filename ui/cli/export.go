package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"arendestod/app"
	"arendestod/app/export"
	"arendestod/app/files"
)

// ExportCommands are `export recept` (the receptförfrågningslogg as .xlsx)
// and `stats` (statistics as text, JSON, .xlsx or .csv).
func ExportCommands() map[string]Command {
	return map[string]Command{
		"export": {Summary: "export recept --from DATUM --to DATUM --out FIL.xlsx [--status S] [--nurse HSA-ID] [--search TEXT]: receptförfrågningsloggen till Excel", Run: runExport},
		"stats":  {Summary: "stats --from DATUM --to DATUM [--json] [--unit ENHET] [--type TYP] [--out FIL.xlsx|FIL.csv [--table T]]: statistik per vecka och ärendetyp", Run: runStats},
	}
}

const exportUsage = "använd: export recept --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD --out FIL.xlsx [--status S] [--nurse HSA-ID] [--search TEXT]"

// periodFlags reads --from and --to, both required, to not before from.
func periodFlags(from, to string) (app.Date, app.Date, error) {
	if strings.TrimSpace(from) == "" {
		return app.Date{}, app.Date{}, Usagef("--from saknas (ÅÅÅÅ-MM-DD)")
	}
	if strings.TrimSpace(to) == "" {
		return app.Date{}, app.Date{}, Usagef("--to saknas (ÅÅÅÅ-MM-DD)")
	}
	f, err := ParseDateFlag("from", from)
	if err != nil {
		return app.Date{}, app.Date{}, err
	}
	t, err := ParseDateFlag("to", to)
	if err != nil {
		return app.Date{}, app.Date{}, err
	}
	if t.Before(f) {
		return app.Date{}, app.Date{}, Usagef("--to (%s) ligger före --from (%s)", t, f)
	}
	return f, t, nil
}

func runExport(r *Run, args []string) error {
	if len(args) == 0 || args[0] != "recept" {
		return Usagef("%s", exportUsage)
	}
	fs := newFlagSet("export recept")
	from := fs.String("from", "", "från")
	to := fs.String("to", "", "till")
	out := fs.String("out", "", "fil")
	status := fs.String("status", "", "status")
	nurse := fs.String("nurse", "", "sjuksköterska")
	search := fs.String("search", "", "sök")
	if err := Parse(fs, args[1:]); err != nil {
		return err
	}
	f := app.ReceptFilter{Nurse: strings.TrimSpace(*nurse), Search: *search}
	var err error
	if f.From, f.To, err = periodFlags(*from, *to); err != nil {
		return err
	}
	if *out == "" {
		return Usagef("--out saknas: ange filen som loggen ska skrivas till (.xlsx)")
	}
	if !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return Usagef("--out: filen ska sluta på .xlsx")
	}
	if *status != "" {
		if f.Status, err = app.ParseReceptStatus(*status); err != nil {
			return Usagef("--status: %s", app.ErrorMessage(err))
		}
	}
	if f.Nurse != "" {
		if f.Nurse, err = app.ValidateHSAID(f.Nurse); err != nil {
			return Usagef("--nurse: %s", app.ErrorMessage(err))
		}
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	names := staffNames(r.Ctx, s)
	n := 0
	err = s.ExportRecept(r.Ctx, f, r.Actor(), func(es []app.ReceptEntry) error {
		n = len(es)
		return files.WriteFileAtomic(*out, func(w io.Writer) error {
			return export.WriteReceptXLSX(w, es, func(id string) string { return names[id] })
		})
	})
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(*out)
	fmt.Fprintf(r.Env.Stdout, "%d %s från %s till %s exporterade till %s\n", n, receptRowsWord(n), f.From, f.To, abs)
	return nil
}

func receptRowsWord(n int) string {
	if n == 1 {
		return "rad"
	}
	return "rader"
}

// staffNames maps HSA-IDs to names, for the export's nurse column; empty
// when the staff list cannot be read (the HSA-ID shows instead).
func staffNames(ctx context.Context, s Store) map[string]string {
	out := map[string]string{}
	staff, err := s.ListStaff(ctx, true)
	if err != nil {
		return out
	}
	for _, p := range staff {
		out[p.HSAID] = p.Name
	}
	return out
}

// StatsJSON is one week and type as `stats --json` prints it. The field
// names are a contract: scripts rely on them.
type StatsJSON struct {
	Week                     string   `json:"week"`
	Type                     string   `json:"type"`
	Incoming                 int      `json:"incoming"`
	FeedbackInTime           int      `json:"feedback_in_time"`
	FeedbackLate             int      `json:"feedback_late"`
	NoFeedbackYet            int      `json:"no_feedback_yet"`
	MedianWorkdaysToFeedback *float64 `json:"median_workdays_to_feedback"`
	Closed                   int      `json:"closed"`
	// MorningChecks is the week's working days (in the period) with the
	// morning check done; the same for every type of the week.
	MorningChecks int `json:"morning_checks"`
}

// NewStatsJSON converts the week-and-type rows of s.
func NewStatsJSON(s *app.Stats) []StatsJSON {
	out := make([]StatsJSON, 0, len(s.ByWeekType))
	for _, r := range s.ByWeekType {
		j := StatsJSON{Week: r.Week.String(), Type: r.Type, Incoming: r.Incoming, FeedbackInTime: r.FeedbackInTime,
			FeedbackLate: r.FeedbackLate, NoFeedbackYet: r.NoFeedbackYet, Closed: r.Closed}
		if m, ok := s.MorningChecksOf(r.Week); ok {
			j.MorningChecks = m.Done
		}
		if r.HasMedian {
			m := r.MedianWorkdays
			j.MedianWorkdaysToFeedback = &m
		}
		out = append(out, j)
	}
	return out
}

func statsTableKeys() string {
	var ks []string
	for _, t := range app.StatsTables() {
		ks = append(ks, string(t))
	}
	return strings.Join(ks, ", ")
}

func runStats(r *Run, args []string) error {
	fs := newFlagSet("stats")
	from := fs.String("from", "", "från")
	to := fs.String("to", "", "till")
	asJSON := fs.Bool("json", false, "JSON")
	unit := fs.String("unit", "", "enhet")
	typ := fs.String("type", "", "ärendetyp")
	out := fs.String("out", "", "fil")
	table := fs.String("table", string(app.TableWeekType), "tabell")
	if err := Parse(fs, args); err != nil {
		return err
	}
	q := app.StatsQuery{Unit: strings.TrimSpace(*unit), Type: strings.TrimSpace(*typ), Today: app.DateOf(r.Env.Now())}
	var err error
	if q.From, q.To, err = periodFlags(*from, *to); err != nil {
		return err
	}
	if err := q.Validate(); err != nil {
		return Usagef("--to: %s", app.ErrorMessage(err))
	}
	if q.Type != "" {
		if _, ok := app.CaseTypeByKey(q.Type); !ok {
			return Usagef("--type: okänd ärendetyp %q (en av: %s)", q.Type, typeKeys())
		}
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if *out != "" && ext != ".xlsx" && ext != ".csv" {
		return Usagef("--out: filen ska sluta på .xlsx eller .csv")
	}
	tbl := app.StatsTable(*table)
	if tbl.Swedish() == string(tbl) {
		return Usagef("--table: okänd tabell %q (en av: %s)", *table, statsTableKeys())
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	st, err := app.LoadStats(r.Ctx, s, q)
	if err != nil {
		return err
	}
	if *out != "" {
		err := files.WriteFileAtomic(*out, func(w io.Writer) error {
			if ext == ".csv" {
				return export.WriteStatsCSV(w, st, tbl)
			}
			return export.WriteStatsXLSX(w, st)
		})
		if err != nil {
			return err
		}
		if !*asJSON {
			abs, _ := filepath.Abs(*out)
			fmt.Fprintln(r.Env.Stdout, "Statistiken sparad:", abs)
			return nil
		}
	}
	if *asJSON {
		return writeJSON(r.Env.Stdout, NewStatsJSON(st))
	}
	return printStats(r.Env.Stdout, st)
}

// printStats prints the week-and-type table and the totals per type.
func printStats(w io.Writer, s *app.Stats) error {
	if s.Total.Incoming == 0 {
		fmt.Fprintf(w, "Inga ärenden inkom %s–%s.\n", s.Query.From, s.Query.To)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Vecka\tÄrendetyp\tInkomna\tI tid\tSent\tEj återkopplat\tAndel i tid\tMedian arbetsdagar\tFörsenade nu\tAvslutade\t")
	line := func(week, typ string, r app.StatsRow) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\t%d\t\n", week, typ, r.Incoming, r.FeedbackInTime,
			r.FeedbackLate, r.NoFeedbackYet, r.ShareInTimeSv(), r.MedianSv(), r.OverdueNow, r.Closed)
	}
	for _, r := range s.ByWeekType {
		line(r.Week.String(), truncate(app.TypeName(r.Type), 40), r)
	}
	for _, r := range s.ByType {
		line("Perioden", truncate(app.TypeName(r.Type), 40), r)
	}
	line("Perioden", "Alla ärendetyper", s.Total)
	return tw.Flush()
}
