package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"arendestod/app"
)

// intygMaxInput is the largest intyg file read: a real one is about 1 kB.
const intygMaxInput = 1 << 20

const intygUsage = "arendestod intyg render --in INTYG.json --out KATALOG"

// IntygCommand returns the "intyg" command:
//
//	arendestod intyg render --in INTYG.json --out KATALOG
//
// It reads the intyg as JSON (--in - reads standard input; fields it does
// not know are allowed, the format may grow), validates it, and calls
// render, which writes original.pdf, kopia.pdf and foljebrev.pdf into the
// directory (main passes pdf.Renderer's WriteIntyg). It then prints the three paths.
//
// Bad input exits with status 2 having written nothing, not even the
// directory: every field error on its own line of stderr, naming the field
// by JSON path; a child of 12 or more on the first day of care is refused
// with a pointer to the doctor's flow. The store is never opened, so the
// command line writes no audit row for these renders: that needs a case,
// and the window's flow records it.
func IntygCommand(render func(dir string, in *app.Intyg) error) Command {
	return Command{
		Summary: "intyg render --in INTYG.json --out KATALOG: skriv original.pdf, kopia.pdf och foljebrev.pdf",
		Run: func(r *Run, args []string) error {
			return runIntyg(r, args, render)
		},
	}
}

func runIntyg(r *Run, args []string, render func(dir string, in *app.Intyg) error) error {
	if len(args) == 0 {
		return Usagef("intyg: ange vad som ska göras: %s", intygUsage)
	}
	switch args[0] {
	case "render":
	case "help", "-h", "--help":
		fmt.Fprintln(r.Env.Stdout, "Användning:", intygUsage)
		fmt.Fprintln(r.Env.Stdout, "Skriver original.pdf, kopia.pdf och foljebrev.pdf i KATALOG. --in - läser från standard in.")
		fmt.Fprintln(r.Env.Stdout, "Exempel på indata: testdata/intyg-exempel.json i källkoden.")
		return nil
	default:
		return Usagef("intyg: okänt underkommando %q (använd %s)", args[0], intygUsage)
	}

	flags := NewFlagSet("intyg render")
	inPath := flags.String("in", "", "intyget som JSON")
	outDir := flags.String("out", "", "katalog för PDF-filerna")
	if err := Parse(flags, args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*inPath) == "" {
		return Usagef("--in saknas: filen med intyget som JSON (%s)", intygUsage)
	}
	if strings.TrimSpace(*outDir) == "" {
		return Usagef("--out saknas: katalogen där PDF-filerna ska skrivas (%s)", intygUsage)
	}

	in, err := readIntyg(r, *inPath)
	if err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err // app.ValidationErrors: one line per field, exit 2
	}
	if err := in.CheckChildAge(); err != nil {
		return Usagef("%s Inget har skrivits.", app.ErrorMessage(err))
	}
	if err := render(*outDir, in); err != nil {
		return err
	}
	for _, name := range app.IntygFiles() {
		fmt.Fprintln(r.Env.Stdout, filepath.Join(*outDir, name))
	}
	// Guardians at different addresses: foljebrev.pdf holds a letter per
	// address. Said on stderr, so that stdout stays the three paths.
	if n, err := in.Normalized(); err == nil && n.LettersNote() != "" {
		fmt.Fprintln(r.Env.Stderr, n.LettersNote())
	}
	return nil
}

// readIntyg reads and decodes the intyg file, or standard input for "-",
// turning every failure into a Swedish UsageError.
func readIntyg(r *Run, path string) (*app.Intyg, error) {
	var src io.Reader
	name := path
	if path == "-" {
		if r.Env.Stdin == nil {
			return nil, Usagef("--in -: ingen standard in att läsa från")
		}
		src, name = r.Env.Stdin, "standard in"
	} else {
		f, err := os.Open(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, Usagef("--in: filen %s finns inte", path)
		case err != nil:
			return nil, Usagef("--in: kan inte läsa %s: %v", path, err)
		}
		defer f.Close()
		src = f
	}
	b, err := io.ReadAll(io.LimitReader(src, intygMaxInput+1))
	if err != nil {
		return nil, Usagef("--in: kan inte läsa %s: %v", name, err)
	}
	if len(b) > intygMaxInput {
		return nil, Usagef("--in: %s är större än %d kB; ett intyg är några kB", name, intygMaxInput>>10)
	}
	var in app.Intyg
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, intygJSONError(name, b, err)
	}
	if err := checkJSONKeys(name, b, reflect.TypeOf(in)); err != nil {
		return nil, err
	}
	return &in, nil
}

// intygJSONError explains a JSON decoding error in Swedish, with the line.
func intygJSONError(name string, b []byte, err error) error {
	line := func(off int64) int {
		off = min(max(off, 0), int64(len(b)))
		return 1 + bytes.Count(b[:off], []byte("\n"))
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Usagef("--in: %s är inte giltig JSON (rad %d): %s", name, line(syn.Offset), syn.Error())
	case errors.As(err, &typ) && typ.Field == "":
		return Usagef("--in: %s ska innehålla ett JSON-objekt med intyget, inte %s", name, intygValueSv(typ.Value))
	case errors.As(err, &typ):
		return Usagef("--in: %s rad %d: fältet %s ska vara %s, inte %s", name, line(typ.Offset), typ.Field,
			intygTypeSv(typ.Type), intygValueSv(typ.Value))
	}
	return Usagef("--in: %s kan inte läsas som ett intyg: %v", name, err)
}

func intygTypeSv(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Float32, reflect.Float64:
		return "ett tal"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "ett heltal"
	case reflect.Slice, reflect.Array:
		return "en lista"
	case reflect.Struct, reflect.Map:
		return "ett objekt"
	case reflect.Bool:
		return "true eller false"
	}
	return t.String()
}

func intygValueSv(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "number" || strings.HasPrefix(v, "number "):
		return "ett tal"
	case v == "array":
		return "en lista"
	case v == "object":
		return "ett objekt"
	case v == "bool":
		return "true/false"
	}
	return v
}
