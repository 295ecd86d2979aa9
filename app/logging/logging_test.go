package logging_test

import (
	"bytes"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"arendestod/app"
	"arendestod/app/logging"
)

func TestRedactor(t *testing.T) {
	var buf bytes.Buffer
	r := logging.NewRedactor(&buf)
	line := "fel för 20190312-9805 och 190312-9805 och 201903129805, ärende 2026-1100001 kl 2026-11-25 10:00\n"
	if n, err := r.Write([]byte(line)); err != nil || n != len(line) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	out := buf.String()
	if app.PersonnummerPattern.MatchString(out) {
		t.Fatalf("personnummer left in %q", out)
	}
	if strings.Count(out, logging.Redacted) != 3 {
		t.Errorf("want 3 redactions in %q", out)
	}
	for _, keep := range []string{"2026-1100001", "2026-11-25 10:00"} {
		if !strings.Contains(out, keep) {
			t.Errorf("%q was blanked too: %q", keep, out)
		}
	}
}

func TestSetupRedactsStdlibAndSlog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "arendestod.log")
	var stderr bytes.Buffer
	c, err := logging.Setup(path, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		c.Close()
		log.SetOutput(os.Stderr)
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	}()
	log.Printf("intag misslyckades för %s", "19850720-9800")
	slog.Info("öppnade ärende", "pnr", "198507209800")
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"file": string(file), "stderr": stderr.String()} {
		if app.PersonnummerPattern.MatchString(s) || !strings.Contains(s, "öppnade ärende") {
			t.Errorf("%s: %q", name, s)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("log file mode %v, want 0600", fi.Mode().Perm())
	}
}
