// Package export writes the receptförfrågningslogg and the statistics as
// files staff open in Excel: .xlsx (excelize) with real dates and numbers,
// a frozen header row and an autofilter, and .csv the way Swedish Excel
// reads it (UTF-8 with BOM, semicolons, decimal comma) through
// files.NewCSV. Callers put the files in place with files.WriteFileAtomic.
package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"arendestod/app"
)

// DateFormat is the number format of date cells.
const DateFormat = "yyyy-mm-dd"

// excelEpoch is day 0 of Excel's 1900 date system as it counts from
// 1 March 1900 on (Excel's 1900 is a leap year; dates before March 1900
// never occur here).
var excelEpoch = app.D(1899, 12, 30)

// ExcelSerial returns d as an Excel date serial number.
func ExcelSerial(d app.Date) int { return excelEpoch.DaysUntil(d) }

// styles are the cell styles of a workbook.
type styles struct {
	header, date, share, median int
}

// newBook starts a workbook whose first sheet is named sheet, with the
// cell styles. The caller closes the file.
func newBook(sheet string) (*excelize.File, styles, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return f, styles{}, wrap("sheet", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return f, styles{}, wrap("styles", err)
	}
	return f, st, nil
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Border: []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
	}); err != nil {
		return s, err
	}
	dateFmt := DateFormat
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, err
	}
	shareFmt := "0.0%"
	if s.share, err = f.NewStyle(&excelize.Style{CustomNumFmt: &shareFmt}); err != nil {
		return s, err
	}
	medianFmt := "0.0"
	if s.median, err = f.NewStyle(&excelize.Style{CustomNumFmt: &medianFmt}); err != nil {
		return s, err
	}
	return s, nil
}

// freezeHeader freezes row 1 of sheet.
var freezeHeader = &excelize.Panes{
	Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
}

// rangeRef returns "A1:<last column><rows>" for cols columns.
func rangeRef(cols, rows int) string {
	last, _ := excelize.CoordinatesToCellName(cols, max(rows, 1))
	return "A1:" + last
}

// table is a sheet of rows under a header row.
type table struct {
	sheet   string
	headers []string
	widths  []float64
	n       int                    // data rows
	row     func(i int, row []any) // fills data row i (0-based)
}

// writeTable streams t onto its sheet (which must exist and be empty):
// a bold header row, frozen, and an autofilter over header and rows.
func writeTable(f *excelize.File, st styles, t table) error {
	// The autofilter lives in the sheet's XML before the rows: set it on
	// the sheet before the stream writer takes the sheet over.
	if err := f.AutoFilter(t.sheet, rangeRef(len(t.headers), t.n+1), nil); err != nil {
		return wrap("autofilter", err)
	}
	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return wrap("stream", err)
	}
	if err := sw.SetPanes(freezeHeader); err != nil {
		return wrap("panes", err)
	}
	for i, wd := range t.widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return wrap("width", err)
		}
	}
	header := make([]any, len(t.headers))
	for i, h := range t.headers {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return wrap("header", err)
	}
	row := make([]any, len(t.headers))
	for i := 0; i < t.n; i++ {
		clear(row)
		t.row(i, row)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return wrap("row", err)
		}
	}
	return wrap("flush", sw.Flush())
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
