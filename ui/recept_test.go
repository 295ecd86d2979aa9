package ui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"arendestod/app"
)

const (
	nurseSara = "SE1111111111-TEST0001" // made up
	nurseOtto = "SE1111111111-TEST0002"
	// Skatteverket test series (birth number 982), Luhn check digit 5.
	receptPnr = "201203159825"
)

var yearEndNow = time.Date(2026, 12, 28, 9, 0, 0, 0, app.Stockholm)

// memReceptStore is an in-memory log that records what the screen asks.
type memReceptStore struct {
	mu       sync.Mutex
	entries  []app.ReceptEntry
	filters  []app.ReceptFilter
	actors   []string
	exported int
	staff    []*app.Staff
}

func (s *memReceptStore) AddRecept(_ context.Context, e *app.ReceptEntry, actor string) error {
	if e.Nurse == "" {
		e.Nurse = actor
	}
	if err := e.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ID = int64(len(s.entries) + 1)
	s.entries = append(s.entries, *e)
	s.actors = append(s.actors, actor)
	return nil
}

func (s *memReceptStore) UpdateRecept(_ context.Context, e *app.ReceptEntry, actor string) error {
	if err := e.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[e.ID-1] = *e
	s.actors = append(s.actors, actor)
	return nil
}

func (s *memReceptStore) match(f app.ReceptFilter) []app.ReceptEntry {
	var out []app.ReceptEntry
	for i := len(s.entries) - 1; i >= 0; i-- {
		e := s.entries[i]
		if f.Status != "" && e.Status != f.Status || f.Nurse != "" && e.Nurse != f.Nurse ||
			f.Search != "" && !strings.Contains(strings.ToLower(e.PatientName+e.Lakemedel), strings.ToLower(f.Search)) ||
			!f.From.IsZero() && e.Date.Before(f.From) || !f.To.IsZero() && e.Date.After(f.To) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func (s *memReceptStore) ReceptEntries(_ context.Context, f app.ReceptFilter, actor string) ([]app.ReceptEntry, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.filters = append(s.filters, f)
	s.actors = append(s.actors, actor)
	all := s.match(f)
	if f.Limit > 0 && len(all) > f.Limit {
		return all[:f.Limit], len(all), nil
	}
	return all, len(all), nil
}

func (s *memReceptStore) ExportRecept(_ context.Context, f app.ReceptFilter, actor string, write func([]app.ReceptEntry) error) error {
	s.mu.Lock()
	es := s.match(f)
	s.filters = append(s.filters, f)
	s.actors = append(s.actors, actor)
	s.mu.Unlock()
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	if err := write(es); err != nil {
		return err
	}
	s.exported = len(es)
	return nil
}

func (s *memReceptStore) Recept(_ context.Context, id int64, actor string) (*app.ReceptEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id < 1 || int(id) > len(s.entries) {
		return nil, app.Errorf(app.ENOTFOUND, "ingen rad %d", id)
	}
	s.actors = append(s.actors, actor)
	e := s.entries[id-1]
	return &e, nil
}

func (s *memReceptStore) ListStaff(context.Context, bool) ([]*app.Staff, error) { return s.staff, nil }

func (s *memReceptStore) lastFilter() app.ReceptFilter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filters[len(s.filters)-1]
}

func receptFixture(t *testing.T) (*ReceptScreen, *memReceptStore, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	store := &memReceptStore{staff: []*app.Staff{
		{Name: "Sara Sköterska", HSAID: nurseSara, Roles: []app.Role{app.RoleSjukskoterska}},
		{Name: "Otto Övrig", HSAID: nurseOtto, Roles: []app.Role{app.RoleSjukskoterska}},
		{Name: "Lisa Läkare", HSAID: "SE1111111111-TEST0003", Roles: []app.Role{app.RoleLakare}},
	}}
	for i, e := range []app.ReceptEntry{
		{Date: app.D(2026, 12, 1), PatientPnr: receptPnr, PatientName: "Åsa Testsson", Lakemedel: "Melatonin 3 mg", ForskrivandeLakare: "Dr Örjan Påhittad", Status: app.ReceptFornyad},
		{Date: app.D(2026, 12, 14), PatientPnr: receptPnr, PatientName: "Åsa Testsson", Lakemedel: "Atomoxetin 40 mg", ForskrivandeLakare: "Dr Lena Låtsas", Status: app.ReceptSkickad, Note: "Ring\nmamma"},
		{Date: app.D(2026, 12, 22), PatientPnr: receptPnr, PatientName: "Märta Mock", Lakemedel: "Melatonin 2 mg", ForskrivandeLakare: "Dr Lena Låtsas", Status: app.ReceptMottagen},
	} {
		actor := nurseSara
		if i == 1 {
			actor = nurseOtto
		}
		if err := store.AddRecept(context.Background(), &e, actor); err != nil {
			t.Fatal(err)
		}
	}
	store.actors = nil
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1200, 700))
	t.Cleanup(w.Close)
	s := newReceptScreen(&runner{ctx: context.Background(), queued: true}, store, func() string { return nurseSara }, func() time.Time { return yearEndNow }, w)
	s.searchDelay.delay = 0
	w.SetContent(s.Build())
	s.bg.settle() // the staff list
	s.Refresh()
	s.bg.settle()
	return s, store, w
}

func TestReceptScreenList(t *testing.T) {
	s, store, _ := receptFixture(t)
	if rows, cols := s.tableSize(); rows != 3 || cols != 8 {
		t.Fatalf("table %d×%d", rows, cols)
	}
	want := []string{"2026-12-14", "20120315-9825", "Åsa Testsson", "Atomoxetin 40 mg", "Dr Lena Låtsas", "Skickad till läkare", "Ring mamma", "Otto Övrig"}
	for c, w := range want {
		if got := s.cell(1, c); got != w {
			t.Errorf("row 1 col %d = %q, want %q", c, got, w)
		}
	}
	if s.count.Text != "3 rader, nyast först." {
		t.Errorf("count %q", s.count.Text)
	}
	if f := store.lastFilter(); f.Limit != receptPage || f.Status != "" || f.Nurse != "" {
		t.Errorf("first filter %+v", f)
	}
	for _, a := range store.actors {
		if a != nurseSara {
			t.Errorf("read as %q, want the person working", a)
		}
	}
	// The nurse filter lists nurses by name, not the doctor.
	if got := strings.Join(s.nurse.Options, "|"); got != "Alla sjuksköterskor|Mina rader|Sara Sköterska|Otto Övrig" {
		t.Errorf("nurse options %q", got)
	}
}

func TestReceptScreenFilters(t *testing.T) {
	s, store, _ := receptFixture(t)
	wait := func() app.ReceptFilter { s.bg.settle(); return store.lastFilter() }

	s.status.SetSelected("Förnyad")
	if f := wait(); f.Status != app.ReceptFornyad {
		t.Errorf("status filter %+v", f)
	}
	if rows, _ := s.tableSize(); rows != 1 {
		t.Errorf("%d rows for Förnyad", rows)
	}
	s.status.SetSelectedIndex(0)
	s.bg.settle()
	s.nurse.SetSelected("Otto Övrig")
	if f := wait(); f.Nurse != nurseOtto {
		t.Errorf("nurse filter %+v", f)
	}
	s.nurse.SetSelected("Mina rader")
	if f := wait(); f.Nurse != nurseSara {
		t.Errorf("mine filter %+v", f)
	}
	s.nurse.SetSelectedIndex(0)
	s.bg.settle()
	// Every keystroke reads; the last answer is the one shown.
	test.Type(s.search, "melatonin")
	s.bg.settle()
	if f, _ := s.filter(); f.Search != "melatonin" {
		t.Errorf("search %+v", f)
	}
	if rows, _ := s.tableSize(); rows != 2 {
		t.Errorf("%d rows for melatonin", rows)
	}
	s.search.SetText("")
	s.bg.settle()
	s.from.SetText("2026-12-10")
	s.to.SetText("2026-12-20")
	s.Refresh()
	if f := wait(); f.From != app.D(2026, 12, 10) || f.To != app.D(2026, 12, 20) {
		t.Errorf("dates %+v", f)
	}
	if rows, _ := s.tableSize(); rows != 1 {
		t.Errorf("%d rows in the range", rows)
	}

	// Bad dates: a message, no read.
	n := len(store.filters)
	s.from.SetText("10/12")
	s.Refresh()
	s.bg.settle()
	if len(store.filters) != n || !strings.Contains(s.lastErr, "ÅÅÅÅ-MM-DD") {
		t.Errorf("bad date: %d reads, message %q", len(store.filters)-n, s.lastErr)
	}
	s.from.SetText("2026-12-21")
	s.Refresh()
	s.bg.settle()
	if len(store.filters) != n || !strings.Contains(s.lastErr, "före") {
		t.Errorf("reversed range: message %q", s.lastErr)
	}
}

func TestReceptFormAdd(t *testing.T) {
	s, store, w := receptFixture(t)
	test.Tap(s.newBtn)
	f := s.form
	if f == nil || f.date.Text != "2026-12-28" || f.status.Selected != "Mottagen" {
		t.Fatalf("new form %+v", f)
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog shown")
	}
	test.Type(f.pnr, "120315-9826") // wrong check digit
	test.Type(f.lakemedel, "Guanfacin 1 mg")
	test.Tap(f.save)
	s.bg.settle()
	if l := f.errs["personnummer"]; !l.Visible() || !strings.Contains(l.Text, "Kontrollsiffran") {
		t.Errorf("personnummer error %q (visible %v)", l.Text, l.Visible())
	}
	for _, field := range []string{"name", "lakare"} {
		if !f.errs[field].Visible() {
			t.Errorf("no error under %s", field)
		}
	}
	if f.errs["lakemedel"].Visible() || f.errs["date"].Visible() {
		t.Error("error under a good field")
	}
	if len(store.entries) != 3 {
		t.Fatalf("stored despite errors: %d", len(store.entries))
	}

	f.pnr.SetText("120315-9825")
	test.Type(f.name, "Nora Ny")
	test.Type(f.lakare, "Dr Örjan Påhittad")
	f.status.SetSelected("Skickad till läkare")
	test.Tap(f.save)
	s.bg.settle()
	if !f.saved || len(store.entries) != 4 {
		t.Fatalf("not saved: %d entries; errors %v", len(store.entries), f.message.Text)
	}
	got := store.entries[3]
	if got.PatientPnr != receptPnr || got.Nurse != nurseSara || got.Status != app.ReceptSkickad || got.Date != app.D(2026, 12, 28) || got.CaseID != 0 {
		t.Errorf("stored %+v", got)
	}
	if rows, _ := s.tableSize(); rows != 4 {
		t.Errorf("list not reloaded: %d rows", rows)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("dialog still open")
	}
}

func TestReceptFormEditAndFuture(t *testing.T) {
	s, store, _ := receptFixture(t)
	s.onRowSelected(widget.TableCellID{Row: 0}) // the newest: Märta Mock
	f := s.form
	if f.name.Text != "Märta Mock" || f.pnr.Text != "20120315-9825" || f.orig.ID != 3 {
		t.Fatalf("edit form: %q %q %d", f.name.Text, f.pnr.Text, f.orig.ID)
	}
	f.date.SetText("2026-12-29") // tomorrow
	test.Tap(f.save)
	s.bg.settle()
	if !f.errs["date"].Visible() || f.saved {
		t.Fatalf("future date accepted")
	}
	f.date.SetText("2026-12-23")
	f.status.SetSelected("Avböjd")
	test.Tap(f.save)
	s.bg.settle()
	if got := store.entries[2]; !f.saved || got.Status != app.ReceptAvbojd || got.Date != app.D(2026, 12, 23) || got.Nurse != nurseSara {
		t.Fatalf("updated %+v", got)
	}
}

// From a fornya-recept case: the case's patient and number come along.
func TestReceptFormFromCase(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(800, 700))
	store := &memReceptStore{}
	var saved []app.ReceptEntry
	bg := &runner{ctx: context.Background(), queued: true}
	showReceptDialog(bg, store, func() string { return nurseSara }, func() time.Time { return yearEndNow }, w,
		app.ReceptEntry{CaseID: 42, PatientPnr: receptPnr, PatientName: "Åsa Testsson"}, func(e app.ReceptEntry) { saved = append(saved, e) })
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog")
	}
	f := newReceptForm(bg, store, func() string { return nurseSara }, func() time.Time { return yearEndNow }, w,
		app.ReceptEntry{CaseID: 42, Date: app.DateOf(yearEndNow), Status: app.ReceptMottagen, PatientPnr: receptPnr, PatientName: "Åsa Testsson"},
		func(e app.ReceptEntry) { saved = append(saved, e) })
	f.show()
	test.Type(f.lakemedel, "Melatonin 3 mg")
	test.Type(f.lakare, "Dr Lena Låtsas")
	test.Tap(f.save)
	f.bg.settle()
	if len(store.entries) != 1 || store.entries[0].CaseID != 42 || len(saved) != 1 || saved[0].ID != 1 {
		t.Fatalf("entries %+v saved %+v (%s)", store.entries, saved, f.message.Text)
	}
}

// bufCloser stands for a save dialog's writer on something other than a
// file on disk: what is written goes to the buffer.
type bufCloser struct{ bytes.Buffer }

func (*bufCloser) Close() error { return nil }

func (*bufCloser) URI() fyne.URI {
	u, _ := storage.ParseURI("mem:///utdrag")
	return u
}

func TestReceptScreenExport(t *testing.T) {
	s, store, _ := receptFixture(t)
	s.status.SetSelected("Skickad till läkare")
	s.bg.settle()
	f, err := s.filter()
	if err != nil {
		t.Fatal(err)
	}
	var out bufCloser
	s.exportTo(&out, f)
	s.bg.settle()
	if store.exported != 1 || !strings.Contains(s.info.Text, "1 rad exporterade") {
		t.Fatalf("exported %d, info %q, message %q", store.exported, s.info.Text, s.lastErr)
	}
	if lf := store.lastFilter(); lf.Limit != 0 || lf.Status != app.ReceptSkickad {
		t.Errorf("export filter %+v", lf)
	}
	x, err := excelize.OpenReader(&out.Buffer)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Receptförfrågningar")
	want := [][]string{
		{"Datum", "Personnummer", "Namn", "Läkemedel", "Förskrivande läkare", "Status", "Anteckning", "Sjuksköterska"},
		{"2026-12-14", "20120315-9825", "Åsa Testsson", "Atomoxetin 40 mg", "Dr Lena Låtsas", "Skickad till läkare", "Ring\nmamma", "Otto Övrig"},
	}
	if len(rows) != 2 || strings.Join(rows[0], "|") != strings.Join(want[0], "|") || strings.Join(rows[1], "|") != strings.Join(want[1], "|") {
		t.Errorf("rows %q", rows)
	}
}

// A page at a time: every row shown is a patient's data read.
func TestReceptScreenMore(t *testing.T) {
	s, store, _ := receptFixture(t)
	for i := 0; i < receptPage+1; i++ {
		e := app.ReceptEntry{Date: app.D(2026, 11, 2), PatientPnr: receptPnr, PatientName: "Åsa Testsson", Lakemedel: "Melatonin 3 mg",
			ForskrivandeLakare: "Dr Lena Låtsas", Status: app.ReceptFornyad}
		if err := store.AddRecept(context.Background(), &e, nurseSara); err != nil {
			t.Fatal(err)
		}
	}
	s.Refresh()
	s.bg.settle()
	if rows, _ := s.tableSize(); rows != receptPage || !s.more.Visible() || s.count.Text != "Visar 100 av 104 rader, nyast först." {
		t.Fatalf("%d rows, more %v, %q", rows, s.more.Visible(), s.count.Text)
	}
	test.Tap(s.more)
	s.bg.settle()
	if rows, _ := s.tableSize(); rows != 104 || s.more.Visible() {
		t.Fatalf("after Visa fler: %d rows, more %v", rows, s.more.Visible())
	}
	s.status.SetSelected("Förnyad")
	s.bg.settle()
	if f := store.lastFilter(); f.Limit != receptPage {
		t.Errorf("a new filter starts at the first page: %+v", f)
	}
}
