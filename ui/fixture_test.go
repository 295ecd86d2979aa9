package ui

import (
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"arendestod/app"
	"arendestod/data"
	"arendestod/pdf"
)

// Goldens: go test ./ui -run Golden -update rewrites testdata/*.xml and
// *.png; without -update a missing or different golden fails the test.
var update = flag.Bool("update", false, "rewrite the golden files in ui/testdata")

// testNow is a Wednesday: cases received the Friday before are overdue,
// those of Monday due today.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, app.Stockholm)

const (
	hsaEva   = "SE2321000131-P000000000001" // administratör, ärendemottagare, sjuksköterska
	hsaAnna  = "SE2321000131-P000000000002" // ärendemottagare, enhetschef
	hsaLars  = "SE2321000131-P000000000003" // läkare
	hsaMaria = "SE2321000131-P000000000004" // medicinsk sekreterare
)

type fixture struct {
	t   *testing.T
	db  *data.DB
	a   fyne.App
	u   *UI
	ids map[string]int64 // case id by reference
}

// openDB opens a fresh store on a real SQLite file with the test clock.
func openDB(tb testing.TB) *data.DB {
	tb.Helper()
	db, err := data.Open(filepath.Join(tb.TempDir(), "ui.db"))
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return testNow }
	tb.Cleanup(func() { db.Close() })
	return db
}

func seedStaff(tb testing.TB, db *data.DB) {
	tb.Helper()
	for _, s := range []*app.Staff{
		{Name: "Eva Ek", HSAID: hsaEva, Email: "eva.ek@example.se", Roles: []app.Role{app.RoleAdministrator, app.RoleArendemottagare, app.RoleSjukskoterska}},
		{Name: "Anna Berg", HSAID: hsaAnna, Roles: []app.Role{app.RoleArendemottagare, app.RoleChef}},
		{Name: "Lars Lind", HSAID: hsaLars, Roles: []app.Role{app.RoleLakare}},
		{Name: "Maria Sund", HSAID: hsaMaria, Roles: []app.Role{app.RoleMedicinskSekreterare}},
	} {
		if err := db.AddStaff(context.Background(), s); err != nil {
			tb.Fatal(err)
		}
	}
}

// seedCases stores six cases: two overdue, two due today, two in time.
func seedCases(tb testing.TB, db *data.DB) map[string]int64 {
	tb.Helper()
	ids := map[string]int64{}
	for _, c := range []struct {
		typ, received, unit, ref string
	}{
		{app.TypeFornyaRecept, "2026-11-20T09:12:00+01:00", "BUP Uddevalla", "1177-100231"},
		{app.TypeVABUnder12, "2026-11-20T15:40:00+01:00", "BUP Uddevalla", "1177-100232"},
		{app.TypeKorkort, "2026-11-23T08:15:00+01:00", "BUP Trollhättan", "1177-100240"},
		{app.TypeAvbokaOmboka, "2026-11-23T11:30:00+01:00", "BUP Uddevalla", "1177-100250"},
		{app.TypeJournalkopia, "2026-11-24T10:03:00+01:00", "BUP Vänersborg", "1177-100260"},
		{app.TypeEgenremiss, "2026-11-24T14:20:00+01:00", "BUP Uddevalla", "1177-100261"},
	} {
		at, err := time.Parse(time.RFC3339, c.received)
		if err != nil {
			tb.Fatal(err)
		}
		k := app.NewCase(c.typ, at, db.Calendar())
		k.Unit, k.Reference = c.unit, c.ref
		if err := db.CreateCase(context.Background(), k, app.ActorSystem); err != nil {
			tb.Fatal(err)
		}
		ids[c.ref] = k.ID
	}
	return ids
}

// newFixture starts the window on a seeded database, signed in as Eva.
func newFixture(t *testing.T) *fixture {
	db := openDB(t)
	seedStaff(t, db)
	f := &fixture{t: t, db: db, ids: seedCases(t, db)}
	f.a = test.NewTempApp(t)
	f.a.Preferences().SetString("medarbetare.test", hsaEva)
	f.start()
	return f
}

// start builds the UI with queued background work and runs it.
func (f *fixture) start() {
	f.u = newUI(context.Background(), f.a, Services{Store: f.db, Intyg: app.NewIntygService(f.db, pdf.Renderer{}),
		Now: func() time.Time { return testNow }, OSUser: "test"})
	f.u.queued, f.u.debounce, f.u.coalesce = true, 0, 0
	f.u.win.Resize(fyne.NewSize(1200, 760))
	f.u.start()
	f.settle()
}

// settle runs queued background work until none is left.
func (f *fixture) settle() {
	f.t.Helper()
	if !f.u.settle() {
		f.t.Fatal("background work does not settle")
	}
}

func (f *fixture) open(ref string) *caseScreen {
	f.t.Helper()
	id, ok := f.ids[ref]
	if !ok {
		f.t.Fatalf("no case %s", ref)
	}
	f.u.openCase(id)
	f.settle()
	if f.u.caseView == nil || f.u.caseView.c == nil {
		f.t.Fatalf("case %s did not open (last error %q)", ref, f.u.lastError)
	}
	return f.u.caseView
}

func (f *fixture) caseByRef(ref string) *app.Case {
	f.t.Helper()
	c, err := f.db.Case(context.Background(), f.ids[ref])
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) events(ref string) []app.Event {
	f.t.Helper()
	evs, err := f.db.Events(context.Background(), f.ids[ref])
	if err != nil {
		f.t.Fatal(err)
	}
	return evs
}

// assertGolden compares the window with testdata/name.xml (markup) and
// testdata/name.png (image); -update rewrites both.
func (f *fixture) assertGolden(name string) {
	f.t.Helper()
	c := f.u.win.Canvas()
	// The test canvas does not lay out again when a label's text grows, as
	// the real one does each frame: do it here so the golden shows what
	// staff see.
	for range 2 {
		for _, o := range test.LaidOutObjects(c.Content()) {
			switch o := o.(type) {
			case *fyne.Container:
				o.Refresh()
			case fyne.Widget:
				o.Refresh()
			}
		}
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			f.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", name+".xml"), []byte(test.RenderToMarkup(c)), 0o644); err != nil {
			f.t.Fatal(err)
		}
		out, err := os.Create(filepath.Join("testdata", name+".png"))
		if err != nil {
			f.t.Fatal(err)
		}
		if err := png.Encode(out, c.Capture()); err != nil {
			f.t.Fatal(err)
		}
		out.Close()
	}
	test.AssertRendersToMarkup(f.t, name+".xml", c)
	// Pixels are compared where they were made: another architecture's
	// floating point (fused multiply-add on arm64) may shift an edge.
	if runtime.GOARCH == "amd64" {
		test.AssertRendersToImage(f.t, name+".png", c)
	}
}
