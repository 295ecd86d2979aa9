package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/ui/cli"
)

// The guardian's postal address (issue 14, item 9) is read from the JSON
// like every other field: rendered when valid, each part's error named,
// and a key twice or in other capitals refused inside it too.
func TestIntygRenderPostalAddress(t *testing.T) {
	b, err := os.ReadFile("../../testdata/intyg-exempel.json")
	if err != nil {
		t.Fatal(err)
	}
	ex := string(b)
	if !strings.Contains(ex, `"postal_address": {"street": "Testgatan 12", "postcode": "451 50", "city": "Uddevalla"}`) {
		t.Fatal("the example lacks the postal address this test changes")
	}
	run := func(text string) (intygResult, string) {
		path := filepath.Join(t.TempDir(), "intyg.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "ut")
		return runIntygCLI(t, "", "intyg", "render", "--in", path, "--out", out), out
	}

	if res, out := run(ex); res.code != cli.ExitOK || res.rendered != 1 {
		t.Errorf("with an address: exit %d, stderr %q", res.code, res.stderr)
	} else if _, err := os.Stat(filepath.Join(out, "foljebrev.pdf")); err != nil {
		t.Error(err)
	}

	res, out := run(strings.Replace(ex, `"postcode": "451 50"`, `"postcode": "4515"`, 1))
	if res.code != cli.ExitUsage || res.rendered != 0 || !strings.Contains(res.stderr, "guardians[0].postal_address.postcode") {
		t.Errorf("bad postcode: exit %d, rendered %d, stderr %q", res.code, res.rendered, res.stderr)
	}
	assertNoDir(t, out)

	for name, text := range map[string]string{
		"duplicate":    strings.Replace(ex, `"street": "Testgatan 12",`, `"street": "Testgatan 12", "street": "Annan 1",`, 1),
		"case variant": strings.Replace(ex, `"postcode": "451 50"`, `"Postcode": "451 50"`, 1),
		"outer key":    strings.Replace(ex, `"postal_address":`, `"Postal_Address":`, 1),
	} {
		res, out := run(text)
		if res.code != cli.ExitUsage || res.rendered != 0 || !strings.Contains(res.stderr, "nyckeln") {
			t.Errorf("%s: exit %d, rendered %d, stderr %q", name, res.code, res.rendered, res.stderr)
		}
		assertNoDir(t, out)
	}
}

// Guardians at different addresses: the same three files and paths, exit
// 0, foljebrev.pdf holding one letter per address on pages of their own,
// and a line on stderr saying so. An intyg without addresses (JSON from
// before the field) still gets one letter and a silent stderr.
func TestIntygRenderTwoAddresses(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo (poppler-utils) is not installed")
	}
	b, err := os.ReadFile("../../testdata/intyg-exempel.json")
	if err != nil {
		t.Fatal(err)
	}
	ex := string(b)
	second := `"name": "Jonas Testsson", "personnummer": "19860203-9847"`
	if !strings.Contains(ex, second) {
		t.Fatal("the example lacks the second guardian this test changes")
	}
	render := func(text string) (intygResult, string) {
		path := filepath.Join(t.TempDir(), "intyg.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "ut")
		return runIntygCLI(t, "", "intyg", "render", "--in", path, "--out", out), out
	}
	pagesOf := func(path string) string {
		out, err := exec.Command("pdfinfo", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
				return f[1]
			}
		}
		return "?"
	}

	two := strings.Replace(ex, second, second+`, "postal_address": {"street": "Annan väg 3", "postcode": "46130", "city": "Trollhättan"}`, 1)
	res, out := render(two)
	if res.code != cli.ExitOK || res.rendered != 1 {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	var want []string
	for _, name := range []string{"original.pdf", "kopia.pdf", "foljebrev.pdf"} {
		want = append(want, filepath.Join(out, name))
	}
	if res.stdout != strings.Join(want, "\n")+"\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	if p := pagesOf(filepath.Join(out, "foljebrev.pdf")); p != "2" {
		t.Errorf("foljebrev.pdf has %s pages, want a letter on each of 2", p)
	}
	if !strings.Contains(res.stderr, "följebrevet är två brev") || !strings.Contains(res.stderr, "Jonas Testsson (Annan väg 3, 461 30 Trollhättan)") ||
		strings.Contains(res.stderr, "9847") {
		t.Errorf("stderr %q", res.stderr)
	}

	// Without any postal address, as every intyg before the field.
	old := strings.Replace(ex, `,
     "postal_address": {"street": "Testgatan 12", "postcode": "451 50", "city": "Uddevalla"}`, "", 1)
	if strings.Contains(old, "postal_address") {
		t.Fatal("the example's address was not removed")
	}
	res, out = render(old)
	if res.code != cli.ExitOK || res.stderr != "" {
		t.Fatalf("old JSON: exit %d, stderr %q", res.code, res.stderr)
	}
	if p := pagesOf(filepath.Join(out, "foljebrev.pdf")); p != "1" {
		t.Errorf("old JSON: foljebrev.pdf has %s pages", p)
	}
}
