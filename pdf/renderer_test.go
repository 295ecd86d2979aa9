package pdf_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"arendestod/app"
	"arendestod/pdf"
)

// TestRendererCheckIntyg: the check refuses what Render refuses, with the
// same errors, and writes nothing.
func TestRendererCheckIntyg(t *testing.T) {
	if err := (pdf.Renderer{}).CheckIntyg(loadIntyg(t)); err != nil {
		t.Fatalf("a valid intyg: %v", err)
	}
	unprintable := loadIntyg(t)
	unprintable.Diagnosis = "Feber 🤒"
	tooOld := loadIntyg(t)
	tooOld.Child.Personnummer = "20141120-9867" // 12 on 2026-11-20, the first day of care
	invalid := loadIntyg(t)
	invalid.Place = ""
	for name, in := range map[string]*app.Intyg{"unprintable": unprintable, "child of 12": tooOld, "invalid": invalid, "nil": nil} {
		err := pdf.Renderer{}.CheckIntyg(in)
		renderErr := pdf.Render(&bytes.Buffer{}, pdf.Original, in, pdf.Options{})
		if app.ErrorCode(err) != app.EINVALID || err.Error() != renderErr.Error() {
			t.Errorf("%s: CheckIntyg %v, Render %v", name, err, renderErr)
		}
	}
	var ve app.ValidationErrors
	if err := (pdf.Renderer{}).CheckIntyg(unprintable); !errors.As(err, &ve) || ve[0].Field != "diagnosis" {
		t.Errorf("unprintable: %v, want a field error on diagnosis", err)
	}
}

// TestRendererWriteIntyg: the renderer writes what RenderAll writes.
func TestRendererWriteIntyg(t *testing.T) {
	in := loadIntyg(t)
	dir := filepath.Join(t.TempDir(), "ut")
	if err := (pdf.Renderer{}).WriteIntyg(dir, in); err != nil {
		t.Fatal(err)
	}
	docs, err := pdf.Documents(in, pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		b, err := os.ReadFile(filepath.Join(dir, d.Kind.FileName()))
		if err != nil || !bytes.Equal(b, d.PDF) {
			t.Errorf("%s differs from Documents (%v)", d.Kind, err)
		}
	}
	tooOld := loadIntyg(t)
	tooOld.Child.Personnummer = "20141120-9867"
	out := filepath.Join(t.TempDir(), "ut")
	if err := (pdf.Renderer{}).WriteIntyg(out, tooOld); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("child of 12: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused intyg created its folder: %v", err)
	}
}
