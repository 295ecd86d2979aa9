package files_test

import (
	"bytes"
	"errors"
	"testing"

	"arendestod/app/files"
)

func TestFormulaSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"BUP Uddevalla":      "BUP Uddevalla",
		"=HYPERLINK(\"x\")":  "'=HYPERLINK(\"x\")",
		"+46 70":             "'+46 70",
		"-1+1":               "'-1+1",
		"@SUM(A1)":           "'@SUM(A1)",
		"\t=1":               "'\t=1",
		"\r=1":               "'\r=1",
		"12":                 "12",
		"2026-11-23":         "2026-11-23",
		"50,0":               "50,0",
		" =1":                " =1",
		"Åtgärd = visa":      "Åtgärd = visa",
		"'redan citerad":     "'redan citerad",
		"\n=1":               "\n=1",
		"Läst":               "Läst",
		"=":                  "'=",
		"ärende nr 3 (=fel)": "ärende nr 3 (=fel)",
	} {
		if got := files.FormulaSafe(in); got != want {
			t.Errorf("FormulaSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSV: byte-order mark, semicolons, CRLF, quoting, every cell
// formula-safe, the caller's row unchanged.
func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w := files.NewCSV(&buf)
	row := []string{"=1+1", "BUP; Vänersborg", "rad\nett", "@x"}
	if err := w.Write([]string{"Datum och tid", "Enhet", "Åtgärd", "Detalj"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffDatum och tid;Enhet;Åtgärd;Detalj\r\n'=1+1;\"BUP; Vänersborg\";\"rad\r\nett\";'@x\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if row[0] != "=1+1" || row[3] != "@x" {
		t.Errorf("the caller's row changed: %q", row)
	}

	// An empty file is still one Excel reads as UTF-8.
	buf.Reset()
	if err := files.NewCSV(&buf).Flush(); err != nil || buf.String() != "\ufeff" {
		t.Errorf("empty: %q %v", buf.String(), err)
	}

	// A failing writer fails the write.
	if err := files.NewCSV(failWriter{}).Write([]string{"a"}); err == nil {
		t.Error("no error from a failing writer")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
