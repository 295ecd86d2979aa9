package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/pdf"
	"arendestod/ui/cli"
)

// Only Skatteverket's test numbers (birth number 980–999) appear here.

// intygResult is what one run of "arendestod intyg ..." did.
type intygResult struct {
	code           int
	stdout, stderr string
	rendered       int // calls of the render function
}

// runIntygCLI runs the command line with the intyg command wired to the
// real PDF renderer, as main wires it, and a store that must not be
// opened.
func runIntygCLI(t *testing.T, stdin string, args ...string) intygResult {
	t.Helper()
	var res intygResult
	render := func(dir string, in *app.Intyg) error {
		res.rendered++
		return pdf.Renderer{}.WriteIntyg(dir, in)
	}
	return runIntygWith(t, render, &res, stdin, args...)
}

func runIntygWith(t *testing.T, render func(string, *app.Intyg) error, res *intygResult, stdin string, args ...string) intygResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	res.code = mainNoWindow(t, context.Background(), args, cli.Env{
		Stdout: &stdout,
		Stderr: &stderr,
		Stdin:  strings.NewReader(stdin),
		Getenv: func(string) string { return "" },
		Open: func(string) (cli.Store, error) {
			t.Error("intyg render opened the store")
			return nil, errors.New("no store in this test")
		},
		Commands: map[string]cli.Command{"intyg": cli.IntygCommand(render)},
	})
	res.stdout, res.stderr = stdout.String(), stderr.String()
	return *res
}

// intygExample returns the repository's example intyg as a map, to change
// fields the way a hand-edited file would.
func intygExample(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../testdata/intyg-exempel.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func writeIntygJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "intyg.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func assertNoDir(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output directory %s exists (err %v): nothing should be written", dir, err)
	}
}

func TestIntygRenderOK(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ny", "katalog")
	res := runIntygCLI(t, "", "intyg", "render", "--in", "../../testdata/intyg-exempel.json", "--out", out)
	if res.code != cli.ExitOK || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	var want []string
	for _, name := range []string{"original.pdf", "kopia.pdf", "foljebrev.pdf"} {
		path := filepath.Join(out, name)
		want = append(want, path)
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s: not a PDF (%v)", name, err)
		}
	}
	if got := strings.Split(strings.TrimSpace(res.stdout), "\n"); !slices.Equal(got, want) {
		t.Errorf("stdout lines %q, want the three paths %q", got, want)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 3 {
		t.Errorf("%d files in the output directory, want 3", len(entries))
	}
}

// Fields the format does not know yet are allowed; standard input works.
func TestIntygRenderStdinAndUnknownFields(t *testing.T) {
	m := intygExample(t)
	m["future_field"] = map[string]any{"x": 1}
	delete(m, "version") // absent: version 1
	b, _ := json.Marshal(m)
	out := filepath.Join(t.TempDir(), "ut")
	res := runIntygCLI(t, string(b), "intyg", "render", "--in", "-", "--out", out)
	if res.code != cli.ExitOK || res.rendered != 1 {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
}

// Invalid input: exit 2, every field error on its own line naming the
// field, nothing rendered, the output directory not created, and no
// personnummer in the messages.
func TestIntygRenderInvalid(t *testing.T) {
	m := intygExample(t)
	m["child"].(map[string]any)["personnummer"] = "20190312-9806" // wrong check digit
	m["guardians"].([]any)[1].(map[string]any)["name"] = ""
	m["diagnosis"] = strings.Repeat("å", app.DiagnosisMax+1)
	periods := m["periods"].([]any)
	periods[0].(map[string]any)["from"] = "2026-10-24" // 32 days before the intyg
	periods[1].(map[string]any)["from"] = "2026-11-24" // overlaps the first
	periods[1].(map[string]any)["percent"] = 60
	m["contact"].(map[string]any)["kind"] = "brev"
	m["issuer"].(map[string]any)["hsa_id"] = "SE123"
	delete(m, "place")
	path := writeIntygJSON(t, m)
	out := filepath.Join(t.TempDir(), "ut")

	res := runIntygCLI(t, "", "intyg", "render", "--in", path, "--out", out)
	if res.code != cli.ExitUsage {
		t.Errorf("exit %d, want %d", res.code, cli.ExitUsage)
	}
	if res.rendered != 0 || res.stdout != "" {
		t.Errorf("rendered %d times, stdout %q", res.rendered, res.stdout)
	}
	assertNoDir(t, out)

	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	wantFields := []string{
		"child.personnummer", "guardians[1].name", "diagnosis", "periods[0].from", "periods[1].percent",
		"periods[1].from", "contact.kind", "issuer.hsa_id", "place",
	}
	if len(lines) != len(wantFields) {
		t.Errorf("%d lines on stderr, want one per field error (%d):\n%s", len(lines), len(wantFields), res.stderr)
	}
	for _, f := range wantFields {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, "arendestod: "+f+": ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no line for %s in:\n%s", f, res.stderr)
		}
	}
	for _, s := range []string{"kontrollsiffran", "1 tecken för lång", "mer än en månad", "överlappar", "ort saknas"} {
		if !strings.Contains(res.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, res.stderr)
		}
	}
	if strings.Contains(res.stderr, "9806") || strings.Contains(res.stderr, "19850720") {
		t.Errorf("stderr shows a personnummer:\n%s", res.stderr)
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", res.stderr)
	}
}

func TestIntygRenderChildOf12(t *testing.T) {
	m := intygExample(t)
	m["child"].(map[string]any)["personnummer"] = "20141120-9867" // 12 on 2026-11-20, the first day of care
	path := writeIntygJSON(t, m)
	out := filepath.Join(t.TempDir(), "ut")
	res := runIntygCLI(t, "", "intyg", "render", "--in", path, "--out", out)
	if res.code != cli.ExitUsage || res.rendered != 0 {
		t.Fatalf("exit %d, rendered %d; want exit 2, nothing rendered", res.code, res.rendered)
	}
	for _, s := range []string{"12 år den första vårddagen (2026-11-20)", "läkarintyg", "lakarintyg-vab-12-16", "Inget har skrivits"} {
		if !strings.Contains(res.stderr, s) {
			t.Errorf("stderr lacks %q: %s", s, res.stderr)
		}
	}
	assertNoDir(t, out)
}

func TestIntygRenderUsage(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "fel.json")
	os.WriteFile(notJSON, []byte("{\n  \"child\": {\"name\": \"Alva\",}\n}"), 0o600)
	wrongType := filepath.Join(dir, "typ.json")
	os.WriteFile(wrongType, []byte(`{"periods": [{"from": "2026-11-20", "to": "2026-11-27", "percent": "100"}]}`), 0o600)
	array := filepath.Join(dir, "lista.json")
	os.WriteFile(array, []byte(`[]`), 0o600)
	empty := filepath.Join(dir, "tom.json")
	os.WriteFile(empty, nil, 0o600)
	big := filepath.Join(dir, "stor.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), 1<<20+1), 0o600)
	out := filepath.Join(dir, "ut")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"intyg"}, "ange vad som ska göras"},
		{"unknown subcommand", []string{"intyg", "skriv"}, `okänt underkommando "skriv"`},
		{"no --in", []string{"intyg", "render", "--out", out}, "--in saknas"},
		{"no --out", []string{"intyg", "render", "--in", notJSON}, "--out saknas"},
		{"unknown flag", []string{"intyg", "render", "--in", notJSON, "--out", out, "--pdf"}, "okänd flagga -pdf"},
		{"extra argument", []string{"intyg", "render", "--in", notJSON, "--out", out, "mer"}, `oväntat argument "mer"`},
		{"missing file", []string{"intyg", "render", "--in", filepath.Join(dir, "saknas.json"), "--out", out}, "finns inte"},
		{"not JSON", []string{"intyg", "render", "--in", notJSON, "--out", out}, "inte giltig JSON (rad 2)"},
		{"wrong type", []string{"intyg", "render", "--in", wrongType, "--out", out}, "fältet periods.percent ska vara ett tal, inte text"},
		{"not an object", []string{"intyg", "render", "--in", array, "--out", out}, "ska innehålla ett JSON-objekt"},
		{"empty file", []string{"intyg", "render", "--in", empty, "--out", out}, "inte giltig JSON"},
		{"too big", []string{"intyg", "render", "--in", big, "--out", out}, "större än 1024 kB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runIntygCLI(t, "", tt.args...)
			if res.code != cli.ExitUsage {
				t.Errorf("exit %d, want %d", res.code, cli.ExitUsage)
			}
			if !strings.Contains(res.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", res.stderr, tt.want)
			}
			if res.rendered != 0 {
				t.Error("rendered")
			}
			assertNoDir(t, out)
		})
	}
}

func TestIntygHelp(t *testing.T) {
	res := runIntygCLI(t, "", "intyg", "help")
	if res.code != cli.ExitOK || !strings.Contains(res.stdout, "intyg render --in") {
		t.Errorf("exit %d, stdout %q", res.code, res.stdout)
	}
	res = runIntygCLI(t, "", "help")
	if !strings.Contains(res.stdout, "intyg") {
		t.Errorf("the command is not listed in the usage: %q", res.stdout)
	}
}

// A failure of the renderer that is not the input's fault is exit 1.
func TestIntygRenderFails(t *testing.T) {
	var res intygResult
	render := func(string, *app.Intyg) error {
		res.rendered++
		return app.Errorf(app.EINTERNAL, "disken är full")
	}
	runIntygWith(t, render, &res, "", "intyg", "render", "--in", "../../testdata/intyg-exempel.json", "--out", t.TempDir())
	if res.code != cli.ExitError || res.rendered != 1 || !strings.Contains(res.stderr, "disken är full") || res.stdout != "" {
		t.Errorf("exit %d, stderr %q, stdout %q", res.code, res.stderr, res.stdout)
	}
}
