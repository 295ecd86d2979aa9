package pdf_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/pdf"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata/")

// loadIntyg reads the test intyg: two guardians, three periods (one of
// 12,5 %), and a diagnosis of exactly 318 characters to see it wrap. Only
// test personnummer.
func loadIntyg(t testing.TB) *app.Intyg {
	t.Helper()
	b, err := os.ReadFile("testdata/intyg.json")
	if err != nil {
		t.Fatal(err)
	}
	var in app.Intyg
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	return &in
}

func render(t testing.TB, kind pdf.Kind, in *app.Intyg) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pdf.Render(&buf, kind, in, pdf.Options{}); err != nil {
		t.Fatalf("Render %s: %v", kind, err)
	}
	return buf.Bytes()
}

func TestKindFileName(t *testing.T) {
	want := map[pdf.Kind]string{pdf.Original: "original.pdf", pdf.Kopia: "kopia.pdf", pdf.Foljebrev: "foljebrev.pdf"}
	for _, k := range pdf.Kinds() {
		if got := k.FileName(); got != want[k] {
			t.Errorf("%s.FileName() = %q, want %q", k, got, want[k])
		}
	}
	if got := pdf.Kind(9).FileName(); got != "" {
		t.Errorf("unknown kind file name %q", got)
	}
	if err := pdf.Render(&bytes.Buffer{}, pdf.Kind(9), loadIntyg(t), pdf.Options{}); err == nil {
		t.Error("Render of an unknown kind succeeded")
	}
}

// The same intyg gives the same bytes, whatever the clock or zone: the
// golden files pin them. Run with -update after an intended change, and
// look at the PNGs (see BENCHMARKS.md / the package's README in tests).
func TestGolden(t *testing.T) {
	in := loadIntyg(t)
	for _, k := range pdf.Kinds() {
		t.Run(k.String(), func(t *testing.T) {
			got := render(t, k, in)
			path := filepath.Join("testdata", k.FileName())
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden file missing (go test ./pdf -run TestGolden -update writes it): %v", err)
			}
			if !bytes.Equal(got, want) {
				out := filepath.Join(t.TempDir(), k.FileName())
				os.WriteFile(out, got, 0o644)
				t.Errorf("%s differs from %s (%d vs %d bytes); the new one is %s. If the change is intended, "+
					"run go test ./pdf -run TestGolden -update and look at the PDF.", k.FileName(), path, len(got), len(want), out)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	in := loadIntyg(t)
	defer func(l *time.Location) { time.Local = l }(time.Local)
	for _, k := range pdf.Kinds() {
		a := render(t, k, in)
		time.Local = time.FixedZone("elsewhere", -7*3600)
		b := render(t, k, in)
		time.Local = app.Stockholm
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", k)
		}
		if !bytes.Contains(a, []byte("/CreationDate (D:20261125000000)")) {
			t.Errorf("%s: creation date is not the intyg's date", k)
		}
	}
}

// pdftotext returns the text of a PDF with poppler's layout mode. Without
// poppler the test is skipped, except in CI (CI=true), where it fails.
func pdftotext(t *testing.T, doc []byte) string {
	t.Helper()
	needTool(t, "pdftotext")
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftotext: %v %s", err, stderr.String())
	}
	return string(out)
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (install poppler-utils)", name)
		}
		t.Skipf("%s is missing (install poppler-utils)", name)
	}
}

// squash collapses runs of spaces so that layout columns do not matter.
func squash(s string) string { return regexp.MustCompile(` +`).ReplaceAllString(s, " ") }

// Every value of the intyg can be read back from the original and the
// copy; the copy, and only the copy, says KOPIA.
func TestTextOfIntyg(t *testing.T) {
	in := loadIntyg(t)
	for _, k := range []pdf.Kind{pdf.Original, pdf.Kopia} {
		t.Run(k.String(), func(t *testing.T) {
			text := pdftotext(t, render(t, k, in))
			flat := squash(strings.Join(strings.Fields(text), " "))
			want := []string{
				"BUP Uddevalla", "Västra Götalandsregionen", "Box 1, 451 80 Uddevalla", "Telefon 010-000 00 00",
				"Intyg för tillfällig föräldrapenning",
				"när barnet inte kan vårdas i ordinarie tillsynsform",
				"Barnet", "Alva Testsson", "20190312-9805",
				"Vårdnadshavare", "Åsa Öberg", "19850720-9818", "Jonas Testsson", "19860203-9847",
				"Diagnos eller symtom",
				"Barnet bör inte vårdas i ordinarie tillsynsform",
				"Från och med", "Till och med", "Omfattning",
				"2026-11-20 2026-11-24 100 %", "2026-11-25 2026-11-26 50 %", "2026-11-27 2026-11-27 12,5 %",
				"Underlag för bedömningen", "Kontaktform", "Besök", "Datum för kontakten", "2026-11-24",
				"Utfärdare", "Sara Sjöberg", "Sjuksköterska", "HSA-id", "SE2321000131-P000000000001",
				"Mottagning", "Vårdgivare",
				"Ort och datum", "Uddevalla 2026-11-25", "Underskrift", "Namnförtydligande", "Sara Sjöberg, Sjuksköterska",
				"Sida 1 av 1",
			}
			for _, s := range want {
				if !strings.Contains(flat, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			// The diagnosis wraps; every word of it is there, in order.
			if !strings.Contains(flat, squash(strings.Join(strings.Fields(in.Diagnosis), " "))) {
				t.Errorf("text lacks the diagnosis in order:\n%s", text)
			}
			kopia := strings.Count(text, "KOPIA – till vårdnadshavare")
			if k == pdf.Kopia && kopia == 0 {
				t.Error("the copy is not marked KOPIA – till vårdnadshavare")
			}
			if k == pdf.Original && (kopia > 0 || strings.Contains(text, "KOPIA")) {
				t.Error("the original is marked as a copy")
			}
			if t.Failed() {
				t.Logf("text:\n%s", text)
			}
		})
	}
}

func TestTextOfFoljebrev(t *testing.T) {
	in := loadIntyg(t)
	text := pdftotext(t, render(t, pdf.Foljebrev, in))
	flat := squash(strings.Join(strings.Fields(text), " "))
	for _, s := range []string{
		"BUP Uddevalla", "Uddevalla 2026-11-25", "Åsa Öberg", "Jonas Testsson",
		"Intyg för tillfällig föräldrapenning – Alva Testsson", "Bilaga: kopia av intyget",
		"Originalet har vi skickat direkt till Försäkringskassan",
		"kopia", "åttonde dagen",
		"2026-11-20 – 2026-11-24, 100 %", "2026-11-27 – 2026-11-27, 12,5 %",
		"010-000 00 00", "Box 1, 451 80 Uddevalla",
		"Med vänliga hälsningar", "Sara Sjöberg", "Sjuksköterska, BUP Uddevalla",
		"Sida 1 av 1",
	} {
		if !strings.Contains(flat, s) {
			t.Errorf("följebrev lacks %q", s)
		}
	}
	if strings.Contains(text, "KOPIA") {
		t.Error("the letter is marked as a copy")
	}
	// The letter goes to the guardian: it has no use for personnummer.
	if regexp.MustCompile(`\d{8}-\d{4}`).MatchString(text) {
		t.Error("the letter shows a personnummer")
	}
	if t.Failed() {
		t.Logf("text:\n%s", text)
	}
}

// Many periods run onto more pages: the table continues with its heads,
// every page is numbered "Sida N av M", names the child (the intyg) and
// carries the copy's mark (the kopia).
func TestSeveralPages(t *testing.T) {
	in := loadIntyg(t)
	in.Periods = nil
	start := app.D(2026, time.October, 25)
	for i := range 30 {
		d := start.AddDays(i).String()
		in.Periods = append(in.Periods, app.IntygPeriod{From: d, To: d, Percent: app.IntygPercents[i%5]})
	}
	for _, k := range pdf.Kinds() {
		text := pdftotext(t, render(t, k, in))
		pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
		if len(pages) < 2 {
			t.Errorf("%s: want more than one page, got %d", k, len(pages))
			continue
		}
		for i, page := range pages {
			if want := fmt.Sprintf("Sida %d av %d", i+1, len(pages)); !strings.Contains(page, want) {
				t.Errorf("%s page %d lacks %q", k, i+1, want)
			}
			if k == pdf.Kopia && !strings.Contains(page, "KOPIA – till vårdnadshavare") {
				t.Errorf("kopia page %d is not marked", i+1)
			}
			if k != pdf.Foljebrev && !strings.Contains(page, "Alva Testsson, 20190312-9805") {
				t.Errorf("%s page %d does not name the child", k, i+1)
			}
		}
		for _, p := range in.Periods {
			if !strings.Contains(text, p.From) {
				t.Errorf("%s lacks period %s", k, p.From)
			}
		}
		if k != pdf.Foljebrev && !strings.Contains(pages[1], "Barnet bör inte vårdas i ordinarie tillsynsform (forts.)") {
			t.Errorf("%s: the table does not say it continues on page 2", k)
		}
		if t.Failed() {
			t.Logf("%s:\n%s", k, text)
		}
	}
}

// The fonts are embedded (subset), so the PDF prints the same anywhere,
// and poppler renders it without complaint.
func TestFontsEmbeddedAndRenders(t *testing.T) {
	needTool(t, "pdffonts")
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	for _, k := range pdf.Kinds() {
		path := filepath.Join(dir, k.FileName())
		if err := os.WriteFile(path, render(t, k, loadIntyg(t)), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdffonts", path).CombinedOutput()
		if err != nil {
			t.Fatalf("pdffonts: %v %s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
		if len(lines) != 2 {
			t.Errorf("%s: want 2 fonts:\n%s", k, out)
		}
		for _, l := range lines {
			if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("%s: font not embedded: %s", k, l)
			}
		}
		cmd := exec.Command("pdftoppm", "-png", "-r", "40", path, filepath.Join(dir, k.String()))
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("pdftoppm %s: %v %s", k, err, out)
		}
	}
}

func TestRenderRefusesInvalid(t *testing.T) {
	in := loadIntyg(t)
	in.Diagnosis = strings.Repeat("x", app.DiagnosisMax+1)
	in.Periods[1].Percent = 30
	var buf bytes.Buffer
	err := pdf.Render(&buf, pdf.Original, in, pdf.Options{})
	var ve app.ValidationErrors
	if !errors.As(err, &ve) || len(ve) != 2 {
		t.Fatalf("err = %v, want two field errors", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for an invalid intyg", buf.Len())
	}
	if err := pdf.Render(&buf, pdf.Original, nil, pdf.Options{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("nil intyg: %v", err)
	}
}

func TestRenderRefusesChildOf12(t *testing.T) {
	in := loadIntyg(t)
	in.Child.Personnummer = "20141120-9867" // 12 on 2026-11-20, the first day of care
	var buf bytes.Buffer
	err := pdf.Render(&buf, pdf.Original, in, pdf.Options{})
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "lakarintyg-vab-12-16") {
		t.Errorf("err = %v, want EINVALID naming the doctor's flow", err)
	}
	if strings.Contains(err.Error(), "20141120") || buf.Len() != 0 {
		t.Errorf("err %q names the personnummer, or %d bytes written", err, buf.Len())
	}
}

func TestRenderRefusesUnprintable(t *testing.T) {
	in := loadIntyg(t)
	in.Diagnosis = "Feber 🤒"
	in.Guardians[1].Name = "Jonas \u4e2d"
	err := pdf.Render(&bytes.Buffer{}, pdf.Original, in, pdf.Options{})
	var ve app.ValidationErrors
	if !errors.As(err, &ve) || len(ve) != 2 || ve[0].Field != "guardians[1].name" || ve[1].Field != "diagnosis" {
		t.Fatalf("err = %v, want errors on guardians[1].name and diagnosis", err)
	}
	if !strings.Contains(ve[1].Message, "U+1F912") {
		t.Errorf("message %q does not name the character", ve[1].Message)
	}
	// Decomposed å ä ö are fine: validation composes them.
	in = loadIntyg(t)
	in.Guardians[0].Name = "A\u030asa O\u0308berg"
	if text := pdftotext(t, render(t, pdf.Original, in)); !strings.Contains(text, "Åsa Öberg") {
		t.Error("decomposed Åsa Öberg not printed composed")
	}
}

func TestRenderDoctorTitle(t *testing.T) {
	in := loadIntyg(t)
	in.Issuer.Title = "Specialistläkare"
	text := pdftotext(t, render(t, pdf.Original, in))
	if !strings.Contains(text, "Läkarintyg för tillfällig föräldrapenning") {
		t.Error("a doctor's intyg is not titled Läkarintyg")
	}
}

func TestRenderCorrectionVersion(t *testing.T) {
	in := loadIntyg(t)
	in.Version = 2
	text := pdftotext(t, render(t, pdf.Original, in))
	if !strings.Contains(text, "Version 2 – ersätter tidigare utfärdat intyg") {
		t.Errorf("a correction does not say so:\n%s", text)
	}
	in.Version = 1
	if text := pdftotext(t, render(t, pdf.Original, in)); strings.Contains(text, "Version") {
		t.Error("the first version is marked with a version")
	}
}

func TestRenderAll(t *testing.T) {
	in := loadIntyg(t)
	dir := filepath.Join(t.TempDir(), "ärende 42", "intyg")
	if err := pdf.RenderAll(dir, in, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if want := []string{"foljebrev.pdf", "kopia.pdf", "original.pdf"}; !slices.Equal(names, want) {
		t.Errorf("files %q, want %q (and no temporary files)", names, want)
	}
	for _, k := range pdf.Kinds() {
		b, _ := os.ReadFile(filepath.Join(dir, k.FileName()))
		if !bytes.Equal(b, render(t, k, in)) {
			t.Errorf("%s differs from Render", k.FileName())
		}
	}
	// Rendering again replaces the files.
	in.Version = 2
	if err := pdf.RenderAll(dir, in, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "original.pdf"))
	if !bytes.Equal(b, render(t, pdf.Original, in)) {
		t.Error("original.pdf was not replaced")
	}
}

func TestDocuments(t *testing.T) {
	in := loadIntyg(t)
	docs, err := pdf.Documents(in, pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("%d documents", len(docs))
	}
	for i, k := range pdf.Kinds() {
		if docs[i].Kind != k || !bytes.Equal(docs[i].PDF, render(t, k, in)) {
			t.Errorf("document %d: kind %s, or bytes differ from Render", i, docs[i].Kind)
		}
	}
	in.Place = ""
	if _, err := pdf.Documents(in, pdf.Options{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("invalid intyg: %v", err)
	}
}

func TestRenderAllInvalidCreatesNothing(t *testing.T) {
	in := loadIntyg(t)
	in.Child.Name = ""
	dir := filepath.Join(t.TempDir(), "out")
	if err := pdf.RenderAll(dir, in, pdf.Options{}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output directory exists after invalid input: %v", err)
	}
}

// BenchmarkRenderAll renders the three documents into memory as RenderAll
// does (concurrently). Goal: 30 ms for all three (issue 5).
func BenchmarkRenderAll(b *testing.B) {
	in := loadIntyg(b)
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := pdf.Documents(in, pdf.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderSequential renders the three one after the other with
// Render: the cost on one core.
func BenchmarkRenderSequential(b *testing.B) {
	in := loadIntyg(b)
	var buf bytes.Buffer
	defer reportCPU(b)()
	for b.Loop() {
		for _, k := range pdf.Kinds() {
			buf.Reset()
			if err := pdf.Render(&buf, k, in, pdf.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// reportCPU adds the metric cpu-ms/op: the process's CPU time (all
// goroutines, GC included) per operation. Call as defer reportCPU(b)().
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, _ := processCPU()
		if ok && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		}
	}
}

func BenchmarkRenderAllToDisk(b *testing.B) {
	in := loadIntyg(b)
	dir := b.TempDir()
	for b.Loop() {
		if err := pdf.RenderAll(dir, in, pdf.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// longIntyg has every field as long as validation allows: one-line fields
// of 100 characters (some one word), a diagnosis of 8 lines and 318
// characters.
func longIntyg(t testing.TB) *app.Intyg {
	in := loadIntyg(t)
	long := func(word string) string {
		s := ""
		for len([]rune(s+" "+word)) <= app.IntygFieldMax {
			s = strings.TrimSpace(s + " " + word)
		}
		return s
	}
	in.Child.Name = long("Alva-Margareta Östergren-Lindqvist")
	in.Guardians[0].Name = strings.Repeat("Å", app.IntygFieldMax) // one word, must break
	in.Guardians[1].Name = long("Jonas")
	in.Guardians[0].PostalAddress = &app.IntygAddress{Street: long("c/o Testsson Långa vägen 123 B lgh 1102"), Postcode: "451 50", City: long("Uddevalla")}
	in.Issuer.Name = long("Sara Sjöberg")
	in.Issuer.Title = long("Sjuksköterska")
	in.Issuer.Unit = long("BUP Uddevalla barn- och ungdomspsykiatrisk mottagning")
	in.Issuer.Address = long("Box 1, 451 80 Uddevalla")
	in.Issuer.Phone = long("010-000 00 00")
	in.Issuer.CareProvider = long("Västra Götalandsregionen")
	in.Place = long("Uddevalla")
	in.Diagnosis = strings.Repeat("Feber och hosta sedan tre dagar.\n", 7) + "Behöver tillsyn."
	in.Diagnosis += strings.Repeat("x", app.DiagnosisMax-len([]rune(in.Diagnosis)))
	in.Version = 12
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	return in
}

// The longest values wrap or shorten where they must and the documents
// stay short; every word of the child's name is printed.
func TestLongValues(t *testing.T) {
	in := longIntyg(t)
	for _, k := range pdf.Kinds() {
		text := pdftotext(t, render(t, k, in))
		if pages := strings.Count(strings.TrimSuffix(text, "\f"), "\f") + 1; pages > 2 {
			t.Errorf("%s: %d pages", k, pages)
		}
		if !strings.Contains(squash(strings.Join(strings.Fields(text), " ")), in.Child.Name) {
			t.Errorf("%s lacks the whole child's name", k)
		}
	}
}

// TestWritePNGs writes every document, and a three-page original, as PDF
// and PNG (pdftoppm -png -r 60) into $INTYG_PNG_DIR, for a person to look
// at after a layout change. Skipped unless the variable is set.
func TestWritePNGs(t *testing.T) {
	dir := os.Getenv("INTYG_PNG_DIR")
	if dir == "" {
		t.Skip("set INTYG_PNG_DIR to write PNGs to look at")
	}
	needTool(t, "pdftoppm")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := loadIntyg(t)
	long := loadIntyg(t)
	long.Periods = nil
	for i := range 30 {
		d := app.D(2026, time.October, 25).AddDays(i).String()
		long.Periods = append(long.Periods, app.IntygPeriod{From: d, To: d, Percent: app.IntygPercents[i%5]})
	}
	docs := map[string][]byte{
		"lang-kopia":      render(t, pdf.Kopia, long),
		"langa-falt":      render(t, pdf.Original, longIntyg(t)),
		"langa-falt-brev": render(t, pdf.Foljebrev, longIntyg(t)),
	}
	for _, k := range pdf.Kinds() {
		docs[k.String()] = render(t, k, in)
	}
	for name, b := range docs {
		path := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("pdftoppm", "-png", "-r", "60", path, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}

// Whatever text a valid intyg holds, Render prints it or refuses it as a
// field error; it never panics or fails inside gofpdf.
func FuzzRender(f *testing.F) {
	f.Add("Alva Testsson", "Feber (39,5°) & hosta\\ «x» – 100 %")
	f.Add("Zoë Ångström-Ünal", "é è ê ë ï ñ ç ø æ ß ł ş č ŋ")
	f.Add("\u200b", "a\tb\u00a0c")
	in := loadIntyg(f)
	f.Fuzz(func(t *testing.T, name, diagnosis string) {
		c := *in
		c.Child.Name, c.Diagnosis = name, diagnosis
		if c.Validate() != nil {
			return
		}
		err := pdf.Render(io.Discard, pdf.Original, &c, pdf.Options{})
		var ve app.ValidationErrors
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Render: %v", err)
		}
	})
}
