package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"arendestod/app"
)

// ReceptSheet is the sheet name of the log export.
const ReceptSheet = "Receptförfrågningar"

// ReceptHeaders are the log's columns, as the clinic's sheet had them.
var ReceptHeaders = []string{"Datum", "Personnummer", "Namn", "Läkemedel", "Förskrivande läkare", "Status", "Anteckning", "Sjuksköterska"}

var receptWidths = []float64{12, 16, 28, 36, 26, 20, 48, 28}

// WriteReceptXLSX writes entries as an .xlsx workbook: one sheet, a bold
// frozen header row, an autofilter over every row, one row per entry with
// the date as a real Excel date (yyyy-mm-dd), the personnummer as text
// (YYYYMMDD-NNNN) and the status in Swedish. nurseName turns the nurse's
// HSA-ID into the name shown; nil shows the HSA-ID.
//
// It streams the rows: 10,000 entries take well under a second.
func WriteReceptXLSX(w io.Writer, entries []app.ReceptEntry, nurseName func(hsaID string) string) error {
	f, st, err := newBook(ReceptSheet)
	defer f.Close()
	if err != nil {
		return err
	}
	err = writeTable(f, st, table{
		sheet: ReceptSheet, headers: ReceptHeaders, widths: receptWidths, n: len(entries),
		row: func(i int, row []any) {
			e := &entries[i]
			nurse := e.Nurse
			if nurseName != nil {
				if n := nurseName(e.Nurse); n != "" {
					nurse = n
				}
			}
			row[0] = excelize.Cell{StyleID: st.date, Value: ExcelSerial(e.Date)}
			row[1] = text(e.PatientPnr.String())
			row[2] = text(e.PatientName)
			row[3] = text(e.Lakemedel)
			row[4] = text(e.ForskrivandeLakare)
			row[5] = e.Status.Swedish()
			row[6] = text(e.Note)
			row[7] = text(nurse)
		},
	})
	if err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return wrap("write", err)
}

// text leaves an empty cell empty instead of writing an empty string.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}
