package app_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"arendestod/app"
)

// The store here keeps the intyg in memory, deciding what issuing changes
// in the case with Case.IssueIntyg as the real store does; the SQLite
// store's own tests and the service's test on SQLite with the real PDFs
// are in package data.
type memIntygStore struct {
	cases    map[int64]*app.Case
	drafts   map[int64][]byte
	versions map[int64][]app.IntygVersion
	events   []app.Event
	prints   []string // "case/version/actor", in order
	issues   int      // calls of IssueIntyg that stored a version
	// failPrint, when set, is what RecordPrint returns (the access log
	// cannot be written).
	failPrint error
}

func newMemIntygStore(c *app.Case) *memIntygStore {
	return &memIntygStore{cases: map[int64]*app.Case{c.ID: c}, drafts: map[int64][]byte{},
		versions: map[int64][]app.IntygVersion{}}
}

var serviceNow = time.Date(2026, 11, 25, 10, 0, 0, 0, app.Stockholm)

func (s *memIntygStore) SaveIntygDraft(_ context.Context, caseID int64, _ string, data []byte) error {
	s.drafts[caseID] = slices.Clone(data)
	return nil
}

func (s *memIntygStore) IntygDraft(_ context.Context, caseID int64) ([]byte, error) {
	return s.drafts[caseID], nil
}

func (s *memIntygStore) IssueIntyg(_ context.Context, caseID int64, actor string, in *app.Intyg) (int, error) {
	n, err := in.Normalized()
	if err != nil {
		return 0, err
	}
	if err := n.CheckChildAge(); err != nil {
		return 0, err
	}
	c, ok := s.cases[caseID]
	if !ok {
		return 0, app.Errorf(app.ENOTFOUND, "Ärende nr %d finns inte.", caseID)
	}
	work := *c // the transaction: nothing changes on an error
	work.Steps = map[string]app.StepState{}
	for k, v := range c.Steps {
		work.Steps[k] = v
	}
	n.Version, n.CaseID = len(s.versions[caseID])+1, caseID
	evs, err := work.IssueIntyg(n, actor, serviceNow)
	if err != nil {
		return 0, err
	}
	*c = work
	s.events = append(s.events, evs...)
	s.versions[caseID] = append(s.versions[caseID], app.IntygVersion{CaseID: caseID, Version: n.Version, Intyg: n,
		CreatedAt: serviceNow, CreatedBy: actor})
	delete(s.drafts, caseID)
	s.issues++
	return n.Version, nil
}

func (s *memIntygStore) IntygVersions(_ context.Context, caseID int64) ([]app.IntygVersion, error) {
	return slices.Clone(s.versions[caseID]), nil
}

func (s *memIntygStore) IntygVersion(_ context.Context, caseID int64, version int) (*app.IntygVersion, error) {
	for _, v := range s.versions[caseID] {
		if v.Version == version {
			return &v, nil
		}
	}
	return nil, app.Errorf(app.ENOTFOUND, "Ärende nr %d har inget intyg version %d.", caseID, version)
}

func (s *memIntygStore) RecordPrint(_ context.Context, caseID int64, version int, actor string) error {
	if s.failPrint != nil {
		return s.failPrint
	}
	if _, err := s.IntygVersion(context.Background(), caseID, version); err != nil {
		return err
	}
	s.prints = append(s.prints, fmt.Sprintf("%d/%d/%s", caseID, version, actor))
	return nil
}

var _ app.IntygStore = (*memIntygStore)(nil)

// fileRenderer writes the three files for real, each holding the version
// and the child's name, so a test can see what was written.
type fileRenderer struct {
	writes    int
	checks    int
	refuse    string // CheckIntyg refuses a diagnosis holding this
	failWrite error
	previews  []string
}

func (r *fileRenderer) CheckIntyg(in *app.Intyg) error {
	r.checks++
	if r.refuse != "" && strings.Contains(in.Diagnosis, r.refuse) {
		return app.ValidationErrors{app.FieldErrorf("diagnosis", "tecknet kan inte skrivas ut")}
	}
	return nil
}

func (r *fileRenderer) WriteIntyg(dir string, in *app.Intyg) error {
	r.writes++
	if r.failWrite != nil {
		return r.failWrite
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, name := range app.IntygFiles() {
		body := fmt.Sprintf("%s version %d %s", name, in.Version, in.Child.Name)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// PreviewIntyg draws one blank page per document, recording the call.
func (r *fileRenderer) PreviewIntyg(in *app.Intyg, doc string, dpi float64) ([]image.Image, error) {
	r.previews = append(r.previews, fmt.Sprintf("%s %s %g", doc, in.Child.Name, dpi))
	return []image.Image{image.NewGray(image.Rect(0, 0, 21, 30))}, nil
}

// PreviewLetters draws one blank page per letter, recording the call.
func (r *fileRenderer) PreviewLetters(in *app.Intyg, dpi float64) ([][]image.Image, error) {
	r.previews = append(r.previews, fmt.Sprintf("letters %s %g", in.Child.Name, dpi))
	var out [][]image.Image
	for range in.Letters() {
		out = append(out, []image.Image{image.NewGray(image.Rect(0, 0, 21, 30))})
	}
	return out, nil
}

func newIntygService(t *testing.T) (*app.IntygService, *memIntygStore, *fileRenderer, *app.Case) {
	t.Helper()
	c := newCase(app.TypeVABUnder12)
	st := newMemIntygStore(c)
	r := &fileRenderer{}
	return app.NewIntygService(st, r), st, r, c
}

func TestIntygServiceIssue(t *testing.T) {
	ctx := context.Background()
	svc, st, r, c := newIntygService(t)
	st.drafts[c.ID] = []byte(`{"diagnosis":"Fe"}`)

	v, versions, err := svc.Issue(ctx, c.ID, sara, validIntyg())
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 1 || v.Intyg.Version != 1 || v.Intyg.CaseID != c.ID || len(versions) != 1 || versions[0].Version != 1 {
		t.Fatalf("issued %+v, versions %+v", v, versions)
	}
	if _, done := c.Steps[app.StepIntygSkrivet]; !done || c.PatientName != "Alva Testsson" {
		t.Errorf("case after issuing: steps %v, patient %q", c.Steps, c.PatientName)
	}
	if st.drafts[c.ID] != nil {
		t.Error("the draft is left after issuing")
	}
	// Issuing checks that the documents can be printed, and renders none:
	// they are rendered when saved.
	if r.checks != 1 || r.writes != 0 {
		t.Errorf("renderer: %d checks, %d writes; want 1, 0", r.checks, r.writes)
	}

	fixed := validIntyg()
	fixed.Periods[0].Percent = 50
	v, versions, err = svc.Issue(ctx, c.ID, ali, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 2 || v.CreatedBy != ali || len(versions) != 2 || versions[0].Intyg.Periods[0].Percent != 100 {
		t.Fatalf("correction %+v, versions %+v", v, versions)
	}
}

// TestIntygServiceIssueRefuses: nothing is stored for an intyg that is
// invalid, for a child of 12, or that the documents cannot print.
func TestIntygServiceIssueRefuses(t *testing.T) {
	ctx := context.Background()
	tooOld := validIntyg()
	tooOld.Child.Personnummer = intygPnr("20", "141120986") // 12 on 2026-11-20, the first day of care
	invalid := validIntyg()
	invalid.Diagnosis = ""
	unprintable := validIntyg()
	unprintable.Diagnosis = "Feber ☃"
	for _, tt := range []struct {
		name   string
		in     *app.Intyg
		code   string
		checks int // calls of the renderer's check
	}{
		{"nil", nil, app.EINVALID, 0},
		{"invalid", invalid, app.EINVALID, 0},
		{"child of 12", tooOld, app.EINVALID, 0},
		{"unprintable", unprintable, app.EINVALID, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, st, r, c := newIntygService(t)
			r.refuse = "☃"
			v, _, err := svc.Issue(ctx, c.ID, sara, tt.in)
			if app.ErrorCode(err) != tt.code || v != nil {
				t.Fatalf("Issue = %+v, %v; want %s", v, err, tt.code)
			}
			if st.issues != 0 || len(st.versions[c.ID]) != 0 || len(c.Steps) != 0 {
				t.Errorf("stored: %d issues, versions %+v, steps %v", st.issues, st.versions, c.Steps)
			}
			if r.checks != tt.checks || r.writes != 0 {
				t.Errorf("renderer: %d checks, %d writes; want %d, 0", r.checks, r.writes, tt.checks)
			}
			if tt.in == tooOld && app.ErrorMessage(err) != app.ErrorMessage(tooOld.CheckChildAge()) {
				t.Errorf("message %q is not the rule's one message", app.ErrorMessage(err))
			}
		})
	}
}

func TestIntygServiceIssueWrongCaseType(t *testing.T) {
	c := newCase(app.TypeFornyaRecept)
	st := newMemIntygStore(c)
	svc := app.NewIntygService(st, &fileRenderer{})
	if _, _, err := svc.Issue(context.Background(), c.ID, sara, validIntyg()); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("err = %v, want ECONFLICT", err)
	}
	if st.issues != 0 || len(c.Steps) != 0 || c.PatientName != "" {
		t.Errorf("stored for a case of another type: %d, %v, %q", st.issues, c.Steps, c.PatientName)
	}
}

func TestIntygServiceSave(t *testing.T) {
	ctx := context.Background()
	svc, st, r, c := newIntygService(t)
	if _, _, err := svc.Issue(ctx, c.ID, sara, validIntyg()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, err := svc.Save(ctx, c.ID, 1, dir, ali)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, app.IntygDirName(c.ID, 1)); out != want {
		t.Errorf("out = %q, want %q", out, want)
	}
	for _, name := range app.IntygFiles() {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(b) != name+" version 1 Alva Testsson" {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
	if r.writes != 1 {
		t.Errorf("rendered %d times for one save, want once", r.writes)
	}
	if !slices.Equal(st.prints, []string{fmt.Sprintf("%d/1/%s", c.ID, ali)}) {
		t.Errorf("prints %q", st.prints)
	}
	if strings.Contains(out, "Alva") || strings.Contains(out, "9805") {
		t.Errorf("the folder names the child: %s", out)
	}
}

// TestIntygServiceSaveAuditFails: documents with personnummer do not stay
// on disk when the access log cannot say they were written.
func TestIntygServiceSaveAuditFails(t *testing.T) {
	ctx := context.Background()
	for _, existing := range []bool{false, true} {
		t.Run(map[bool]string{false: "new folder", true: "folder with other files"}[existing], func(t *testing.T) {
			svc, st, r, c := newIntygService(t)
			if _, _, err := svc.Issue(ctx, c.ID, sara, validIntyg()); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			out := filepath.Join(dir, app.IntygDirName(c.ID, 1))
			other := filepath.Join(out, "anteckning.txt")
			if existing {
				if err := os.MkdirAll(out, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(other, []byte("egen fil"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			st.failPrint = app.Errorf(app.EINTERNAL, "Åtkomstloggen kunde inte skrivas.")
			got, err := svc.Save(ctx, c.ID, 1, dir, sara)
			if err != st.failPrint || got != "" {
				t.Fatalf("Save = %q, %v; want the store's error", got, err)
			}
			if r.writes != 1 {
				t.Errorf("%d writes", r.writes)
			}
			for _, name := range app.IntygFiles() {
				if _, err := os.Stat(filepath.Join(out, name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s left on disk: %v", name, err)
				}
			}
			_, errOut := os.Stat(out)
			if existing {
				if b, err := os.ReadFile(other); err != nil || string(b) != "egen fil" {
					t.Errorf("a file the service did not write was touched: %q, %v", b, err)
				}
			} else if !errors.Is(errOut, os.ErrNotExist) {
				t.Errorf("the folder is left: %v", errOut)
			}
			if _, err := os.Stat(dir); err != nil {
				t.Errorf("the chosen folder is gone: %v", err)
			}
		})
	}
}

// TestIntygServiceSaveNothingHalfWritten: when the documents cannot be
// written, no print is recorded; an unknown version writes nothing.
func TestIntygServiceSaveNothingHalfWritten(t *testing.T) {
	ctx := context.Background()
	svc, st, r, c := newIntygService(t)
	if _, _, err := svc.Issue(ctx, c.ID, sara, validIntyg()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r.failWrite = app.Errorf(app.EINTERNAL, "kunde inte skriva")
	if _, err := svc.Save(ctx, c.ID, 1, dir, sara); err != r.failWrite {
		t.Fatalf("err = %v, want the renderer's", err)
	}
	if len(st.prints) != 0 {
		t.Errorf("a print was recorded without the documents: %q", st.prints)
	}
	r.failWrite = nil
	if _, err := svc.Save(ctx, c.ID, 2, dir, sara); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown version: %v", err)
	}
	if r.writes != 1 || len(st.prints) != 0 {
		t.Errorf("an unknown version: %d writes, prints %q", r.writes, st.prints)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("written: %v", entries)
	}
}

func TestIntygServiceLoad(t *testing.T) {
	ctx := context.Background()
	svc, st, _, c := newIntygService(t)

	got, err := svc.Load(ctx, c.ID)
	if err != nil || got.Draft != nil || got.DraftErr != nil || len(got.Versions) != 0 {
		t.Fatalf("empty: %+v, %v", got, err)
	}
	if err := svc.SaveDraft(ctx, c.ID, sara, []byte(`{"diagnosis":"Feber"}`)); err != nil {
		t.Fatal(err)
	}
	if got, err = svc.Load(ctx, c.ID); err != nil || got.Draft == nil || got.Draft.Diagnosis != "Feber" {
		t.Fatalf("draft: %+v, %v", got, err)
	}
	if _, _, err := svc.Issue(ctx, c.ID, sara, validIntyg()); err != nil {
		t.Fatal(err)
	}
	// A draft that says what the last version says is no draft.
	same := validIntyg()
	same.Diagnosis = "  " + same.Diagnosis
	st.drafts[c.ID] = []byte(fmt.Sprintf(`{"child":{"name":%q,"personnummer":%q},"guardians":[{"name":%q,"personnummer":%q}],`+
		`"diagnosis":%q,"periods":[{"from":"2026-11-20","to":"2026-11-27","percent":100}],"contact":{"date":"2026-11-24","kind":"besok"},`+
		`"issuer":{"name":"Sara Sjöberg","title":"Sjuksköterska","hsa_id":"SE2321000131-P000000000001","unit":"BUP Uddevalla",`+
		`"address":"Box 1, 451 80 Uddevalla","phone":"010-000 00 00","care_provider":"Västra Götalandsregionen"},"place":"Uddevalla","date":"2026-11-25"}`,
		same.Child.Name, same.Child.Personnummer, same.Guardians[0].Name, same.Guardians[0].Personnummer, same.Diagnosis))
	if got, err = svc.Load(ctx, c.ID); err != nil || got.Draft != nil || len(got.Versions) != 1 {
		t.Fatalf("draft equal to version 1: %+v, %v", got, err)
	}
	st.drafts[c.ID] = []byte(`{"diagnosis":`)
	if got, err = svc.Load(ctx, c.ID); err != nil || got.Draft != nil || got.DraftErr == nil {
		t.Fatalf("unreadable draft: %+v, %v", got, err)
	}
}

func TestIntygCheckChildAge(t *testing.T) {
	in := validIntyg()
	if err := in.CheckChildAge(); err != nil {
		t.Fatalf("a child of 7: %v", err)
	}
	in.Child.Personnummer = intygPnr("20", "141120986") // 12 on 2026-11-20
	in.Periods[0].From = "2026-11-19"
	if err := in.CheckChildAge(); err != nil {
		t.Fatalf("the day before the 12th birthday: %v", err)
	}
	in.Periods[0].From = "2026-11-20"
	err := in.CheckChildAge()
	var e *app.Error
	if !errors.As(err, &e) || e.Code != app.EINVALID || e.Field != "" {
		t.Fatalf("err = %#v, want an EINVALID error about no field", err)
	}
	for _, want := range []string{"Barnet har fyllt 12 år den första vårddagen (2026-11-20)", "barnet är då 12 år",
		"läkarintyg", app.TypeVAB1216, app.TypeName(app.TypeVAB1216)} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message lacks %q: %s", want, e.Message)
		}
	}
	if strings.Contains(e.Message, "20141120") || strings.Contains(e.Message, "9867") {
		t.Errorf("the message names the personnummer: %s", e.Message)
	}
	// A year later on the first day the child is 13.
	in.Date, in.Contact.Date = "2027-11-25", "2027-11-24"
	in.Periods[0] = app.IntygPeriod{From: "2027-11-20", To: "2027-11-27", Percent: 100}
	if err := in.CheckChildAge(); err == nil || !strings.Contains(app.ErrorMessage(err), "barnet är då 13 år") {
		t.Errorf("a child of 13: %v", err)
	}
}

func TestCaseIssueIntyg(t *testing.T) {
	now := t0.Add(time.Hour)
	n, err := validIntyg().Normalized()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("first version", func(t *testing.T) {
		c := newCase(app.TypeVABUnder12)
		evs, err := c.IssueIntyg(n, sara, now)
		if err != nil {
			t.Fatal(err)
		}
		if st, done := c.Steps[app.StepIntygSkrivet]; !done || st.By != sara || !st.At.Equal(now) {
			t.Errorf("step %+v, %v", st, done)
		}
		if c.PatientPnr != "201903129805" || c.PatientName != "Alva Testsson" {
			t.Errorf("patient %q %q", c.PatientPnr, c.PatientName)
		}
		if len(evs) != 2 || evs[0].Kind != app.EventPatient || evs[1].Kind != app.EventStepDone || evs[1].Detail != app.StepIntygSkrivet {
			t.Errorf("events %+v", evs)
		}
	})

	t.Run("correction", func(t *testing.T) {
		c := newCase(app.TypeVABUnder12)
		c.PatientName = "Annat Namn"
		if _, err := c.IssueIntyg(n, sara, now); err != nil {
			t.Fatal(err)
		}
		v2 := *n
		v2.Version = 2
		evs, err := c.IssueIntyg(&v2, ali, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if c.Steps[app.StepIntygSkrivet].By != sara {
			t.Errorf("the step was ticked again by %s", c.Steps[app.StepIntygSkrivet].By)
		}
		if c.PatientName != "Annat Namn" || c.PatientPnr != "" {
			t.Errorf("the case's patient was replaced: %q %q", c.PatientName, c.PatientPnr)
		}
		if len(evs) != 1 || evs[0].Kind != app.EventNote || !strings.Contains(evs[0].Detail, "version 2") || evs[0].Actor != ali {
			t.Errorf("events %+v", evs)
		}
	})

	t.Run("another type", func(t *testing.T) {
		c := newCase(app.TypeKorkort)
		before := snapshot(c)
		if _, err := c.IssueIntyg(n, sara, now); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
		if after := snapshot(c); after.PatientName != before.PatientName || len(after.Steps) != len(before.Steps) {
			t.Error("the case changed")
		}
	})
}
