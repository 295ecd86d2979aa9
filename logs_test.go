package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"
)

// TestNoPersonnummerInLogs runs the product's flows that touch patient
// data through the real program and greps everything it wrote to its log
// file and to stderr for anything shaped like a personnummer.
func TestNoPersonnummerInLogs(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	db := filepath.Join(dir, "p.db")
	var stderrAll bytes.Buffer
	user := "SE2321000131-P000000000001"
	run := func(wantCode int, args ...string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ARENDESTOD_AS_MAIN=1", "HOME="+dir, "XDG_CONFIG_HOME="+config,
			"ARENDESTOD_USER="+user, "ARENDESTOD_ARGS="+strings.Join(args, " "))
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != wantCode {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, wantCode, out.String(), errb.String())
		}
		stderrAll.Write(errb.Bytes())
		return out.String()
	}
	shared := filepath.Join("testdata", "notices")
	intyg := filepath.Join("testdata", "intyg-exempel.json")
	bad := filepath.Join(dir, "bad.json")
	raw, err := os.ReadFile(intyg)
	if err != nil {
		t.Fatal(err)
	}
	// The same intyg with a wrong check digit and a too-long diagnosis.
	os.WriteFile(bad, bytes.Replace(bytes.Replace(raw, []byte("9805"), []byte("9806"), 1),
		[]byte(`"diagnosis": "`), []byte(`"diagnosis": "`+strings.Repeat("x", 330)), 1), 0o600)

	// ARENDESTOD_USER must name a known staff member: added first, without it.
	user = ""
	run(0, "--db", db, "staff", "add", "--name", "Testperson", "--hsa-id", "SE2321000131-P000000000001", "--role", "sjukskoterska")
	user = "SE2321000131-P000000000001"
	run(0, "--db", db, "import", shared)
	run(0, "--db", db, "case", "add", "--type", "vab-under-12", "--received", "2026-11-24T09:00:00+01:00")
	run(0, "intyg", "render", "--in", intyg, "--out", filepath.Join(dir, "pdf"))
	run(2, "intyg", "render", "--in", bad, "--out", filepath.Join(dir, "pdf2"))
	run(0, "--db", db, "audit", "extract", "--pnr", "20190312-9805", "--out", filepath.Join(dir, "utdrag.pdf"))
	run(2, "--db", db, "audit", "extract", "--pnr", "20190312-9806")
	run(0, "--db", db, "backup", "--out", filepath.Join(dir, "b.db"))
	run(0, "--db", db, "audit", "verify")

	logs := map[string][]byte{"stderr": stderrAll.Bytes()}
	filepath.Walk(config, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(p, ".log") {
			b, _ := os.ReadFile(p)
			logs[p] = b
		}
		return nil
	})
	if len(logs) < 2 {
		t.Fatalf("the program wrote no log file under %s", config)
	}
	for name, b := range logs {
		if m := app.PersonnummerPattern.Find(b); m != nil {
			t.Errorf("%s holds a personnummer-shaped value %q", name, m)
		}
	}
	// The check must be able to fail: the bad intyg's errors were printed.
	if !strings.Contains(stderrAll.String(), "child.personnummer") {
		t.Errorf("stderr lacks the field errors, so it was not captured: %q", stderrAll.String())
	}
}
