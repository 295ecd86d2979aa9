package cli_test

import (
	"os"
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
