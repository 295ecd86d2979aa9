//go:build linux

package app_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// The system's time-zone folders Go reads on Linux. Windows has none of
// them, nor Go's own zoneinfo.zip on a clinic's desktop.
var zoneDirs = []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}

// TestStockholmWithoutZoneFiles runs the package in a process that sees
// no time-zone files at all (an empty folder mounted over
// /usr/share/zoneinfo in a private mount namespace, GOROOT pointing
// nowhere), as on a Windows desktop: app.Stockholm must still load, from
// the tzdata embedded in the program, with Swedish summer and winter time.
func TestStockholmWithoutZoneFiles(t *testing.T) {
	if os.Getenv("ARENDESTOD_NO_ZONEINFO") == "1" {
		checkStockholmWithoutZoneFiles(t)
		return
	}
	empty := t.TempDir()
	args := []string{"-m"}
	if os.Getuid() != 0 {
		args = append(args, "-r") // an unprivileged user namespace, where allowed
	}
	args = append(args, "sh", "-c", `mount --bind "$1" /usr/share/zoneinfo && echo zone files hidden && exec "$2" -test.run='^TestStockholmWithoutZoneFiles$' -test.v`,
		"sh", empty, os.Args[0])
	cmd := exec.Command("unshare", args...)
	cmd.Env = append(os.Environ(), "ARENDESTOD_NO_ZONEINFO=1", "GOROOT="+empty, "ZONEINFO=", "TZ=")
	out, err := cmd.CombinedOutput()
	if !strings.Contains(string(out), "zone files hidden") {
		// unshare or mount refused: no namespace here.
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot hide the zone files (CI runs as root): %v\n%s", err, out)
		}
		t.Skipf("cannot hide the zone files (needs root or user namespaces): %v\n%s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestStockholmWithoutZoneFiles") {
		t.Fatalf("without zone files: %v\n%s", err, out)
	}
}

func checkStockholmWithoutZoneFiles(t *testing.T) {
	for _, d := range zoneDirs {
		if _, err := os.Stat(d + "/Europe/Stockholm"); err == nil {
			t.Fatalf("%s/Europe/Stockholm is still visible: the test would prove nothing", d)
		}
	}
	for _, tc := range []struct {
		utc  time.Time
		zone string
		hour int
	}{
		{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), "CET", 13},
		{time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC), "CEST", 14},
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "CET", 1}, // the last minute of winter time
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "CEST", 3}, // summer time from 02:00
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), "CET", 2}, // back to winter time at 03:00
	} {
		at := tc.utc.In(app.Stockholm)
		if zone, _ := at.Zone(); zone != tc.zone || at.Hour() != tc.hour {
			t.Errorf("%v in Stockholm: %v, want %s hour %d", tc.utc, at, tc.zone, tc.hour)
		}
	}
}
