package export

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"arendestod/app"
	"arendestod/app/files"
)

// SummarySheet is the first sheet of a statistics workbook: the period
// and the totals.
const SummarySheet = "Sammanfattning"

// StatsMetricHeaders are the figures of every statistics table, in order.
var StatsMetricHeaders = []string{
	"Inkomna",
	"Återkoppling inom två arbetsdagar",
	"Återkoppling senare",
	"Ingen återkoppling än",
	"Andel i tid",
	"Median arbetsdagar till första återkoppling",
	"Försenade nu",
	"Avslutade",
}

// StatsHeaders returns the column headers of table t.
func StatsHeaders(t app.StatsTable) []string {
	return append(t.KeyColumns(), StatsMetricHeaders...)
}

// WriteStatsXLSX writes s as a workbook: a summary sheet, then one sheet
// per table (app.StatsTables), each with a bold frozen header row and an
// autofilter; counts are numbers, the share in time a percentage and the
// median a number with one decimal; an empty cell means "none" (no case
// settled, no case with feedback).
func WriteStatsXLSX(w io.Writer, s *app.Stats) error {
	f, st, err := newBook(SummarySheet)
	defer f.Close()
	if err != nil {
		return err
	}
	if err := writeSummary(f, st, s); err != nil {
		return wrap("summary", err)
	}
	for _, t := range app.StatsTables() {
		if err := writeStatsSheet(f, st, t, s.Table(t)); err != nil {
			return wrap(t.Swedish(), err)
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return wrap("write", err)
}

func writeSummary(f *excelize.File, st styles, s *app.Stats) error {
	q := s.Query
	unit, typ := q.Unit, app.TypeName(q.Type)
	if unit == "" {
		unit = "Alla enheter"
	}
	if q.Type == "" {
		typ = "Alla ärendetyper"
	}
	rows := [][]any{
		{"Statistik över inkomna ärenden i 1177 e-tjänster"},
		{"Inkomna från", excelize.Cell{StyleID: st.date, Value: ExcelSerial(q.From)}},
		{"Inkomna till och med", excelize.Cell{StyleID: st.date, Value: ExcelSerial(q.To)}},
		{"Enhet", unit},
		{"Ärendetyp", typ},
		{"Läget per", excelize.Cell{StyleID: st.date, Value: ExcelSerial(q.Today)}},
		{},
	}
	for i, h := range StatsMetricHeaders {
		rows = append(rows, []any{h, metricCells(st, s.Total)[i]})
	}
	if s.MorningChecks != nil {
		// The week's figures are in the statistics screen and stats --json.
		rows = append(rows, []any{"Morgonkollen gjord", s.MorningChecksTotal().MorningChecksSv()})
	}
	rows = append(rows, []any{},
		[]any{"Andel i tid räknas på ärenden där utfallet är känt: återkoppling given, eller tidsfristen passerad utan återkoppling."},
		[]any{"Arbetsdagar räknas från dagen efter inkomstdagen till och med dagen för första återkopplingen."})
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if c, ok := v.(excelize.Cell); ok {
				if err := f.SetCellStyle(SummarySheet, cell, cell, c.StyleID); err != nil {
					return err
				}
				v = c.Value
			}
			if v == nil {
				continue
			}
			if err := f.SetCellValue(SummarySheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(SummarySheet, "A1", "A1", st.header); err != nil {
		return err
	}
	return f.SetColWidth(SummarySheet, "A", "A", 44)
}

// metricCells returns the figures of r as cells.
func metricCells(st styles, r app.StatsRow) []any {
	var share, median any
	if v, ok := r.ShareInTime(); ok {
		share = excelize.Cell{StyleID: st.share, Value: v}
	}
	if r.HasMedian {
		median = excelize.Cell{StyleID: st.median, Value: r.MedianWorkdays}
	}
	return []any{r.Incoming, r.FeedbackInTime, r.FeedbackLate, r.NoFeedbackYet, share, median, r.OverdueNow, r.Closed}
}

func writeStatsSheet(f *excelize.File, st styles, t app.StatsTable, rows []app.StatsRow) error {
	sheet := t.Swedish()
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	headers := StatsHeaders(t)
	nk := len(t.KeyColumns())
	widths := make([]float64, len(headers))
	for i, h := range headers {
		switch {
		case h == "Vecka":
			widths[i] = 11
		case i < nk:
			widths[i] = 40
		default:
			widths[i] = 16
		}
	}
	return writeTable(f, st, table{
		sheet: sheet, headers: headers, widths: widths, n: len(rows),
		row: func(i int, row []any) {
			for j, k := range t.RowKeys(rows[i]) {
				row[j] = k
			}
			copy(row[nk:], metricCells(st, rows[i]))
		},
	})
}

// WriteStatsCSV writes table t of s as CSV for Swedish Excel: UTF-8 with a
// byte-order mark (so å, ä, ö survive), semicolons, CRLF, decimal comma;
// the share in time in percent with one decimal. Empty means "none".
func WriteStatsCSV(w io.Writer, s *app.Stats, t app.StatsTable) error {
	cw := files.NewCSV(w)
	headers := StatsHeaders(t)
	for i, h := range headers {
		if h == "Andel i tid" {
			headers[i] = "Andel i tid (%)"
		}
	}
	if err := cw.Write(headers); err != nil {
		return err
	}
	for _, r := range s.Table(t) {
		rec := t.RowKeys(r)
		share, median := "", ""
		if v, ok := r.ShareInTime(); ok {
			share = app.DecimalComma(v*100, 1)
		}
		if r.HasMedian {
			median = app.DecimalComma(r.MedianWorkdays, 1)
		}
		rec = append(rec, strconv.Itoa(r.Incoming), strconv.Itoa(r.FeedbackInTime), strconv.Itoa(r.FeedbackLate),
			strconv.Itoa(r.NoFeedbackYet), share, median, strconv.Itoa(r.OverdueNow), strconv.Itoa(r.Closed))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return cw.Flush()
}
