package pdf

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"

	"arendestod/app"
	"arendestod/assets"
)

// AccessExtract is a patient's extract of the access log: which unit
// accessed their data, when, and how. It names no staff member: the
// patient data law gives the patient the units, and the clinic the people.
type AccessExtract struct {
	Patient   app.Personnummer
	Clinic    string // the mottagning that makes the extract
	CreatedAt time.Time
	Entries   []app.AuditEntry
}

// RenderAccessExtract writes the extract as an A4 PDF.
func RenderAccessExtract(w io.Writer, x AccessExtract) error {
	f := gofpdf.New("P", "mm", "A4", "")
	f.AliasNbPages(nbAlias)
	f.AddUTF8FontFromBytes(family, plain, bytes.Clone(assets.FontRegular))
	f.AddUTF8FontFromBytes(family, bold, bytes.Clone(assets.FontBold))
	f.SetCatalogSort(true)
	t := x.CreatedAt.UTC().Truncate(time.Second)
	f.SetCreationDate(t)
	f.SetModificationDate(t)
	f.SetCreator("Ärendestöd", true)
	f.SetTitle("Utdrag ur åtkomstloggen", true)
	f.SetMargins(marginL, marginTop, marginR)
	f.SetAutoPageBreak(true, 20)
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont(family, plain, sizeSmall)
		f.SetTextColor(textLabel, textLabel, textLabel)
		f.CellFormat(contentW/2, 5, "Utdrag ur åtkomstloggen – "+x.Patient.String(), "", 0, "L", false, 0, "")
		f.CellFormat(contentW/2, 5, fmt.Sprintf("Sida %d av %s", f.PageNo(), nbAlias), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	f.SetTextColor(textDark, textDark, textDark)
	f.SetFont(family, bold, sizeTitle)
	f.CellFormat(contentW, 9, "Utdrag ur åtkomstloggen", "", 1, "L", false, 0, "")
	f.SetFont(family, plain, sizeBody)
	f.MultiCell(contentW, lineH(sizeBody), fmt.Sprintf(
		"Patient: %s\nUtfärdat av: %s\nDatum: %s\n\nUtdraget visar när och av vilken enhet uppgifter om patienten har lästs, ändrats, skrivits ut eller exporterats i Ärendestöd.",
		x.Patient.String(), x.Clinic, x.CreatedAt.In(app.Stockholm).Format("2006-01-02 15:04")), "", "L", false)
	f.Ln(4)
	cols := []struct {
		title string
		w     float64
	}{{"Datum och tid", 45}, {"Enhet", 85}, {"Åtgärd", contentW - 130}}
	head := func() {
		f.SetFont(family, bold, sizeBody)
		f.SetFillColor(colHeadingFill.r, colHeadingFill.g, colHeadingFill.b)
		for _, c := range cols {
			f.CellFormat(c.w, 7, c.title, "B", 0, "L", true, 0, "")
		}
		f.Ln(-1)
		f.SetFont(family, plain, sizeBody)
	}
	head()
	if len(x.Entries) == 0 {
		f.CellFormat(contentW, 7, "Inga åtkomster finns registrerade.", "", 1, "L", false, 0, "")
	}
	for _, e := range x.Entries {
		if f.GetY() > pageH-30 {
			f.AddPage()
			head()
		}
		unit := e.Unit
		if unit == "" {
			unit = x.Clinic
		}
		f.CellFormat(cols[0].w, 6.5, e.At.In(app.Stockholm).Format("2006-01-02 15:04"), "B", 0, "L", false, 0, "")
		f.CellFormat(cols[1].w, 6.5, unit, "B", 0, "L", false, 0, "")
		f.CellFormat(cols[2].w, 6.5, app.AuditActionLabel(e.Action), "B", 1, "L", false, 0, "")
	}
	return f.Output(w)
}
