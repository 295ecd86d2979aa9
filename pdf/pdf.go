// Package pdf renders the VAB intyg (tillfällig föräldrapenning, vård av
// barn under 12 år) with gofpdf: the original for Försäkringskassan, the
// guardian's copy and the covering letter. The same intyg always gives the
// same bytes: every date inside a PDF comes from the intyg's date.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/sfnt"

	"arendestod/app"
	"arendestod/app/files"
	"arendestod/assets"
)

// Kind is one of the three documents rendered from an intyg.
type Kind int

const (
	Original  Kind = iota // for Försäkringskassan, to be signed
	Kopia                 // identical, marked "KOPIA – till vårdnadshavare"
	Foljebrev             // the covering letter to the guardian
)

// Kinds returns the documents in the order RenderAll writes them.
func Kinds() []Kind { return []Kind{Original, Kopia, Foljebrev} }

// FileName returns the document's file name: original.pdf, kopia.pdf or
// foljebrev.pdf.
func (k Kind) FileName() string {
	switch k {
	case Original:
		return app.IntygOriginalFile
	case Kopia:
		return app.IntygKopiaFile
	case Foljebrev:
		return app.IntygFoljebrevFile
	}
	return ""
}

// String returns the kind's name for logs: "original", "kopia", "foljebrev".
func (k Kind) String() string {
	switch k {
	case Original:
		return "original"
	case Kopia:
		return "kopia"
	case Foljebrev:
		return "foljebrev"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Options adjust rendering. The zero value is what the clinic sends.
type Options struct {
	// Uncompressed leaves the page content streams uncompressed, to read
	// the PDF in a text editor when debugging a layout.
	Uncompressed bool
}

// Render writes one document for the intyg to w. The intyg is validated
// (app.ValidationErrors), refused when the child is 12 or older on the
// first day of care (that is the doctor's intyg, lakarintyg-vab-12-16), and
// refused when it has characters the embedded font cannot print. The
// document is made in memory first, so on any error nothing is written to w.
//
// The personnummer are printed in full, which is the document's purpose;
// no error or log message carries them.
func Render(w io.Writer, kind Kind, in *app.Intyg, opts Options) error {
	if kind.FileName() == "" {
		return app.Errorf(app.EINTERNAL, "okänd dokumenttyp %d", int(kind))
	}
	n, err := prepare(in)
	if err != nil {
		return err
	}
	b, err := renderDoc(kind, n, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// RenderAll writes original.pdf, kopia.pdf and foljebrev.pdf into dir,
// creating it (mode 0700: the files hold personnummer) when absent. All
// three are rendered in memory before the disk is touched, so invalid input
// creates nothing, not even dir. Each file is staged through the product's
// one atomic writer (files.Stage: a temporary file in dir, synced), and
// only when all three are written are they renamed over their final names,
// each rename atomic. On an error every temporary file is removed; when
// this call created dir, so are any files already renamed and dir itself,
// leaving nothing. (In a dir that existed, a failure between two renames
// leaves the earlier files new and the later ones as they were; the error
// says so.) Files are mode 0600.
func RenderAll(dir string, in *app.Intyg, opts Options) error {
	kinds := Kinds()
	docs, err := Documents(in, opts)
	if err != nil {
		return err
	}
	finals := make([]string, len(kinds))
	for i, k := range kinds {
		finals[i] = filepath.Join(dir, k.FileName())
		if fi, err := os.Lstat(finals[i]); err == nil && !fi.Mode().IsRegular() {
			return app.Errorf(app.EINVALID, "%s finns redan och är inte en vanlig fil", finals[i])
		}
	}

	created := false
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		created = true
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return app.Errorf(app.EINTERNAL, "kunde inte skapa katalogen %s: %v", dir, err)
	}
	staged := make([]*files.Staged, 0, len(kinds))
	undo := func(renamed int) {
		for _, s := range staged {
			s.Discard() // nothing for those already renamed
		}
		if created {
			for _, f := range finals[:renamed] {
				os.Remove(f)
			}
			os.Remove(dir) // only if empty: never removes anything else
		}
	}
	for i := range kinds {
		s, err := files.Stage(finals[i], func(w io.Writer) error { return writeDoc(w, docs[i].PDF) })
		if err != nil {
			undo(0)
			return writeError(finals[i], err)
		}
		staged = append(staged, s)
	}
	for i, s := range staged {
		if err := commit(s); err != nil {
			undo(i)
			if i > 0 && !created {
				return app.Errorf(app.EINTERNAL, "%s (%s är redan ersatta)", writeError(finals[i], err).Message, strings.Join(finals[:i], ", "))
			}
			return writeError(finals[i], err)
		}
	}
	return nil
}

// writeError is a failed write of path, in Swedish: the atomic writer's
// own message, or one naming path around the system's error.
func writeError(path string, err error) *app.Error {
	var ae *app.Error
	if errors.As(err, &ae) {
		return ae
	}
	return app.Errorf(app.EINTERNAL, "kunde inte skriva %s: %v", path, err)
}

// Seams for tests of RenderAll's failure paths: writeDoc writes one
// document into its temporary file, commit puts a staged file in place.
var (
	writeDoc = func(w io.Writer, b []byte) error { _, err := w.Write(b); return err }
	commit   = (*files.Staged).Commit
)

// Document is one rendered document.
type Document struct {
	Kind Kind
	PDF  []byte
}

// Documents renders the original, the copy and the letter in memory, in
// the order of Kinds, each in its own goroutine: most of the time goes to
// gofpdf loading the fonts, once per document, and the documents share
// nothing. On an error it returns the first in that order.
func Documents(in *app.Intyg, opts Options) ([]Document, error) {
	n, err := prepare(in)
	if err != nil {
		return nil, err
	}
	kinds := Kinds()
	docs := make([]Document, len(kinds))
	errs := make([]error, len(kinds))
	var wg sync.WaitGroup
	for i, k := range kinds {
		wg.Go(func() {
			docs[i].Kind = k
			docs[i].PDF, errs[i] = renderDoc(k, n, opts)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// prepare checks the intyg for rendering and returns its normalised form.
func prepare(in *app.Intyg) (*app.Intyg, error) {
	if in == nil {
		return nil, app.Errorf(app.EINVALID, "intyget saknas")
	}
	n, err := in.Normalized()
	if err != nil {
		return nil, err
	}
	if err := n.CheckChildAge(); err != nil {
		return nil, err
	}
	if err := printable(n); err != nil {
		return nil, err
	}
	return n, nil
}

// renderDoc makes one document in memory from a prepared intyg.
func renderDoc(kind Kind, n *app.Intyg, opts Options) ([]byte, error) {
	d := newDoc(kind, n, opts, nil)
	layout(d)
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return nil, app.Errorf(app.EINTERNAL, "kunde inte skapa %s: %v", kind.FileName(), err)
	}
	return buf.Bytes(), nil
}

// layout lays out the document d is of.
func layout(d *doc) {
	switch d.kind {
	case Original, Kopia:
		d.intyg()
	case Foljebrev:
		d.foljebrev()
	}
	d.registerAliases()
}

// Fonts. gofpdf parses the TTF for every document (it keeps no shared
// font cache); that is most of the rendering time, and still well within
// budget (see BENCHMARKS.md).
const (
	family = "go"
	bold   = "B"
	plain  = ""
)

// glyphFonts are the parsed fonts, to check that every character of the
// intyg has a glyph before gofpdf silently prints nothing for it.
var glyphFonts = sync.OnceValues(func() ([]*sfnt.Font, error) {
	var fonts []*sfnt.Font
	for _, ttf := range [][]byte{assets.FontRegular, assets.FontBold} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, err
		}
		fonts = append(fonts, f)
	}
	return fonts, nil
})

// printable checks that the fonts can print every character of the intyg:
// gofpdf draws nothing for a character its font lacks and mangles those
// outside the Basic Multilingual Plane (emoji). One error per field, naming
// the first such character by its code point.
func printable(in *app.Intyg) error {
	fonts, err := glyphFonts()
	if err != nil {
		return app.Errorf(app.EINTERNAL, "typsnittet kunde inte läsas: %v", err)
	}
	var errs app.ValidationErrors
	check := func(field, s string) {
		var buf sfnt.Buffer
		for _, r := range s {
			if r == '\n' && field == "diagnosis" {
				continue
			}
			ok := r <= 0xFFFF && r != utf8.RuneError && r >= ' '
			for _, f := range fonts {
				if !ok {
					break
				}
				gi, err := f.GlyphIndex(&buf, r)
				ok = err == nil && gi != 0
			}
			if !ok {
				errs = append(errs, app.FieldErrorf(field, "tecknet U+%04X kan inte skrivas ut i intyget; ta bort det eller skriv det på annat sätt", r))
				return
			}
		}
	}
	check("child.name", in.Child.Name)
	for i, g := range in.Guardians {
		check(fmt.Sprintf("guardians[%d].name", i), g.Name)
		if a := g.PostalAddress; a != nil {
			check(fmt.Sprintf("guardians[%d].postal_address.street", i), a.Street)
			check(fmt.Sprintf("guardians[%d].postal_address.postcode", i), a.Postcode)
			check(fmt.Sprintf("guardians[%d].postal_address.city", i), a.City)
		}
	}
	check("diagnosis", in.Diagnosis)
	check("issuer.name", in.Issuer.Name)
	check("issuer.title", in.Issuer.Title)
	check("issuer.unit", in.Issuer.Unit)
	check("issuer.address", in.Issuer.Address)
	check("issuer.phone", in.Issuer.Phone)
	check("issuer.care_provider", in.Issuer.CareProvider)
	check("place", in.Place)
	check("fk_address", in.FKAddress)
	return errs.Err()
}

// fixedTime is the intyg's date as the PDFs' creation and modification
// time: midnight, written without a zone, so the bytes do not depend on the
// machine's clock or time zone.
func fixedTime(d app.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// newDoc starts an A4 document with the fonts, fixed dates and metadata.
// The metadata names no person: viewers show it in window titles and file
// dialogs. With rec, every page is also recorded for the preview.
func newDoc(kind Kind, in *app.Intyg, opts Options, rec *recorder) *doc {
	f := gofpdf.New("P", "mm", "A4", "")
	// The alias must be set before the fonts are added: gofpdf then keeps
	// the digits in the font subset for the number that replaces it.
	f.AliasNbPages(nbAlias)
	// Each document gets its own copy of the font bytes: gofpdf pads
	// tables by appending to sub-slices of what it is given, writing into
	// the shared array (a data race between documents rendered at once,
	// and a write into a global of golang.org/x/image).
	f.AddUTF8FontFromBytes(family, plain, bytes.Clone(assets.FontRegular))
	f.AddUTF8FontFromBytes(family, bold, bytes.Clone(assets.FontBold))
	f.SetCompression(!opts.Uncompressed)
	f.SetCatalogSort(true)
	t := fixedTime(in.IssuedOn())
	f.SetCreationDate(t)
	f.SetModificationDate(t)
	f.SetCreator("Ärendestöd", true)
	f.SetProducer("Ärendestöd (gofpdf)", true)
	f.SetTitle(docTitle(kind, in), true)
	f.SetMargins(marginL, marginTop, marginR)
	f.SetAutoPageBreak(false, 0) // blocks are placed whole; see doc.need
	f.SetCellMargin(0)
	d := &doc{f: &pen{Fpdf: f, rec: rec}, kind: kind, in: in, letterStart: 1, pagesAlias: nbAlias}
	f.SetHeaderFuncMode(d.header, false)
	f.SetFooterFunc(d.footer)
	f.AddPage()
	return d
}

func docTitle(kind Kind, in *app.Intyg) string {
	switch kind {
	case Kopia:
		return intygTitle(in) + " – kopia till vårdnadshavare"
	case Foljebrev:
		return "Följebrev till vårdnadshavare – " + intygTitle(in)
	}
	return intygTitle(in)
}
