package intake_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/app/intake"
)

// hostileNotice is a notice from sender (an address) with Inkom inkom and
// Date date, padded with pad bytes of body.
func hostileNotice(id, sender, inkom string, date time.Time, pad int) []byte {
	var m bytes.Buffer
	fmt.Fprintf(&m, "Subject: Du har tilldelats ett =?utf-8?q?=C3=A4rende?= i 1177 e-tjänster\r\n")
	fmt.Fprintf(&m, "From: 1177 <%s>\r\nTo: bup@region.example\r\n", sender)
	fmt.Fprintf(&m, "Date: %s\r\nMessage-ID: <%s@x.example>\r\nMIME-Version: 1.0\r\n", date.Format(time.RFC1123Z), id)
	m.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
	fmt.Fprintf(&m, "Du har tilldelats ett ärende i 1177 e-tjänster.\r\n\r\nÄrendetyp: Förnya recept\r\nÄrendenummer: 2026-99%s\r\nInkom: %s\r\n", id, inkom)
	for pad > 0 {
		line := strings.Repeat("x", min(pad, 76)) + "\r\n"
		m.WriteString(line)
		pad -= len(line)
	}
	return m.Bytes()
}

// TestHostileMailQuarantined reproduces issue 13's items 1, 2 and 7 over
// IMAP: a forged notice from an unknown sender, one that failed DMARC at
// the receiving server, one whose Inkom lies years after its arrival, and
// one larger than the cap are all quarantined (the large one fetched by
// its header only, with its size); the good notice becomes a case.
func TestHostileMailQuarantined(t *testing.T) {
	m := startMem(t, memOptions{})
	sent := time.Date(2026, 11, 2, 9, 0, 0, 0, app.Stockholm)
	good := hostileNotice("01", "noreply@notis.1177.example", "2026-11-02 08:00", sent, 0)
	forged := hostileNotice("02", "attacker@evil.example", "2026-11-02 08:00", sent, 0)
	dmarc := append([]byte("Authentication-Results: mx.region.example; dkim=fail header.d=notis.1177.example; dmarc=fail (p=reject)\r\n"),
		hostileNotice("03", "noreply@notis.1177.example", "2026-11-02 08:00", sent, 0)...)
	future := hostileNotice("04", "noreply@notis.1177.example", "9999-12-31 23:59", sent, 0)
	large := hostileNotice("05", "noreply@notis.1177.example", "2026-11-02 08:00", sent, app.MaxMessageBytes+1000)
	deliver(t, m.acc, "INBOX", [][]byte{good, forged, dmarc, future, large}, 1)
	db := openDB(t)
	sum, err := intake.New(m.acc, intake.Options{Store: db}).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.IngestSummary{New: 1, Quarantined: 4}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	q, err := db.Quarantine(t.Context())
	if err != nil || len(q) != 4 {
		t.Fatalf("quarantine %d, %v", len(q), err)
	}
	reasons := map[string]string{}
	for _, x := range q {
		reasons[x.Key] = x.Reason
		if x.Key == "<05@x.example>" && len(x.Raw) > 4096 {
			t.Errorf("the large message was kept whole: %d bytes", len(x.Raw))
		}
	}
	for key, want := range map[string]string{
		"<02@x.example>": "okänd avsändare: attacker@evil.example",
		"<03@x.example>": "dmarc=fail",
		"<04@x.example>": "mer än ett dygn efter meddelandets datum",
		"<05@x.example>": fmt.Sprintf("för stort för att läsas (%d byte", len(large)),
	} {
		if !strings.Contains(reasons[key], want) {
			t.Errorf("%s: reason %q, want %q in it", key, reasons[key], want)
		}
	}
	cases := allCases(t, db)
	if len(cases) != 1 || cases[0].Reference != "2026-9901" {
		t.Errorf("cases %+v", cases)
	}
}

// TestReleaseAfterAllowing: a notice from a sender not yet allowed is
// quarantined; once its domain is allowed it is released into a case,
// and a second release finds nothing.
func TestReleaseAfterAllowing(t *testing.T) {
	m := startMem(t, memOptions{})
	sent := time.Date(2026, 11, 2, 9, 0, 0, 0, app.Stockholm)
	deliver(t, m.acc, "INBOX", [][]byte{hostileNotice("11", "noreply@nya.region.example", "2026-11-02 08:00", sent, 0)}, 1)
	db := openDB(t)
	if sum, err := intake.New(m.acc, intake.Options{Store: db}).SyncOnce(t.Context()); err != nil || sum.Quarantined != 1 {
		t.Fatalf("%+v, %v", sum, err)
	}
	q, _ := db.Quarantine(t.Context())
	if len(q) != 1 {
		t.Fatalf("quarantine %d", len(q))
	}
	if _, _, err := intake.Release(t.Context(), db, q[0].ID, time.Now()); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "okänd avsändare") {
		t.Fatalf("release before allowing: %v", err)
	}
	if _, _, err := app.AllowSenderDomain(t.Context(), db, "region.example"); err != nil {
		t.Fatal(err)
	}
	res, n, err := intake.Release(t.Context(), db, q[0].ID, time.Now())
	if err != nil || res.Outcome != app.OutcomeNew || n == nil || n.Reference != "2026-9911" {
		t.Fatalf("release: %+v %+v %v", res, n, err)
	}
	if q, _ := db.Quarantine(t.Context()); len(q) != 0 {
		t.Errorf("still in quarantine: %d", len(q))
	}
	if _, _, err := intake.Release(t.Context(), db, q[0].ID, time.Now()); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("second release: %v", err)
	}
	if len(allCases(t, db)) != 1 {
		t.Error("no case")
	}
	// The next sync sees it as a duplicate, not again.
	if sum, err := intake.New(m.acc, intake.Options{Store: db}).SyncOnce(t.Context()); err != nil || sum != (app.IngestSummary{}) {
		t.Errorf("next sync %+v, %v", sum, err)
	}
}
