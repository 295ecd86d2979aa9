package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
)

// The intyg's issue-and-print sequence, one method per user action: the
// window calls these and nothing else of the store or the renderer.

// IntygRenderer makes the documents of an intyg (package pdf implements it
// and main wires it).
type IntygRenderer interface {
	// CheckIntyg reports, without rendering, what in the intyg the
	// documents cannot print (a character the font lacks), as
	// ValidationErrors naming the fields. It refuses what Normalized and
	// CheckChildAge refuse too.
	CheckIntyg(in *Intyg) error
	// WriteIntyg renders the original, the copy and the covering letter of
	// in, once each, and writes them as IntygFiles into dir, creating dir
	// (0700) when absent. On an error it leaves nothing it created.
	WriteIntyg(dir string, in *Intyg) error
	// PreviewIntyg draws the pages of one document of in (doc is one of
	// IntygFiles) as images at dpi dots per inch, laid out as WriteIntyg
	// prints them: the preview before the intyg is issued. It refuses what
	// CheckIntyg refuses.
	PreviewIntyg(in *Intyg, doc string, dpi float64) ([]image.Image, error)
	// PreviewLetters draws the covering letter's pages as PreviewIntyg
	// draws IntygFoljebrevFile, grouped by letter: one group per postal
	// address, in the order of in.Letters().
	PreviewLetters(in *Intyg, dpi float64) ([][]image.Image, error)
}

// IntygService issues and prints the intyg of vab-under-12 cases.
type IntygService struct {
	store    IntygStore
	renderer IntygRenderer
}

// NewIntygService returns the service on store, rendering with r.
func NewIntygService(store IntygStore, r IntygRenderer) *IntygService {
	return &IntygService{store: store, renderer: r}
}

// IntygDirName is the folder the documents of a version are saved in,
// inside the folder chosen: one per case and version, so that saving
// another intyg never overwrites these, and no name in the path.
func IntygDirName(caseID int64, version int) string {
	return fmt.Sprintf("intyg-arende-%d-version-%d", caseID, version)
}

// IntygState is a case's intyg as the flow opens it.
type IntygState struct {
	// Versions are the issued versions, oldest first.
	Versions []IntygVersion
	// Draft is what was typed since the last version, nil when there is
	// no draft or it says what the last version says.
	Draft *Intyg
	// DraftErr is set when a draft is stored but cannot be read: the flow
	// says so and starts afresh; it is not an error of Load.
	DraftErr error
}

// Load reads the case's issued versions and its draft.
func (s *IntygService) Load(ctx context.Context, caseID int64) (*IntygState, error) {
	st := &IntygState{}
	var err error
	if st.Versions, err = s.store.IntygVersions(ctx, caseID); err != nil {
		return nil, err
	}
	raw, err := s.store.IntygDraft(ctx, caseID)
	if err != nil || raw == nil {
		return st, err
	}
	var d Intyg
	if err := json.Unmarshal(raw, &d); err != nil {
		st.DraftErr = err
	} else if n := len(st.Versions); n == 0 || !SameIntygContent(&d, st.Versions[n-1].Intyg) {
		st.Draft = &d
	}
	return st, nil
}

// SaveDraft stores what is typed so far (the JSON of an Intyg, valid or
// not), replacing the case's previous draft.
func (s *IntygService) SaveDraft(ctx context.Context, caseID int64, actor string, data []byte) error {
	return s.store.SaveIntygDraft(ctx, caseID, actor, data)
}

// Issue issues in as the case's next version ("Skapa PDF"): it checks the
// intyg (validation, the child's age, and that the documents can print
// every character, before anything is stored), then stores it with the
// step, the access-log row and the draft's removal in one transaction. It
// returns the stored version (what every print of it is made of) and all
// the case's versions, oldest first.
func (s *IntygService) Issue(ctx context.Context, caseID int64, actor string, in *Intyg) (*IntygVersion, []IntygVersion, error) {
	if in == nil {
		return nil, nil, Errorf(EINVALID, "Intyget saknas.")
	}
	n, err := in.Normalized()
	if err != nil {
		return nil, nil, err
	}
	if err := n.CheckChildAge(); err != nil {
		return nil, nil, err
	}
	if err := s.renderer.CheckIntyg(n); err != nil {
		return nil, nil, err
	}
	v, err := s.store.IssueIntyg(ctx, caseID, actor, in)
	if err != nil {
		return nil, nil, err
	}
	versions, err := s.store.IntygVersions(ctx, caseID)
	if err != nil {
		return nil, nil, err
	}
	for i := range versions {
		if versions[i].Version == v {
			return &versions[i], versions, nil
		}
	}
	return nil, nil, Errorf(EINTERNAL, "intyg version %d saknas efter att det sparats", v)
}

// Preview draws one document of in (one of IntygFiles) page by page at
// dpi, as it will print: the flow's Förhandsgranska. Nothing is stored or
// logged; an intyg that cannot be issued is refused as Issue refuses it.
func (s *IntygService) Preview(in *Intyg, doc string, dpi float64) ([]image.Image, error) {
	if in == nil {
		return nil, Errorf(EINVALID, "Intyget saknas.")
	}
	n, err := in.Normalized()
	if err != nil {
		return nil, err
	}
	if err := n.CheckChildAge(); err != nil {
		return nil, err
	}
	return s.renderer.PreviewIntyg(n, doc, dpi)
}

// PreviewLetters draws the följebrev of in at dpi, one group of pages per
// letter in the order of Letters (one per postal address), as it will
// print; like Preview it stores and logs nothing and refuses what Issue
// refuses.
func (s *IntygService) PreviewLetters(in *Intyg, dpi float64) ([][]image.Image, error) {
	if in == nil {
		return nil, Errorf(EINVALID, "Intyget saknas.")
	}
	n, err := in.Normalized()
	if err != nil {
		return nil, err
	}
	if err := n.CheckChildAge(); err != nil {
		return nil, err
	}
	return s.renderer.PreviewLetters(n, dpi)
}

// Save writes the documents of an issued version ("Spara PDF:er", or an
// earlier version printed again) into a folder of their own in dir
// (IntygDirName) and records the print in the access log. The version is
// read from the store, so the documents are what was issued, and rendered
// once. Documents with personnummer do not stay on disk without their row
// in the access log: when that write fails the files are removed again. It
// returns the folder written.
func (s *IntygService) Save(ctx context.Context, caseID int64, version int, dir, actor string) (string, error) {
	v, err := s.store.IntygVersion(ctx, caseID, version)
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, IntygDirName(caseID, version))
	if err := s.renderer.WriteIntyg(out, v.Intyg); err != nil {
		return "", err
	}
	if err := s.store.RecordPrint(ctx, caseID, version, actor); err != nil {
		if rmErr := removeIntygFiles(out); rmErr != nil {
			return "", Errorf(EINTERNAL, "Utskriften kunde inte loggas (%s) och PDF:erna i %s kunde inte tas bort: %v. Ta bort dem.",
				ErrorMessage(err), out, rmErr)
		}
		return "", err
	}
	return out, nil
}

// removeIntygFiles removes the documents from out, and out when it is then
// empty; a file already gone is no error.
func removeIntygFiles(out string) error {
	var errs []error
	for _, name := range IntygFiles() {
		if err := os.Remove(filepath.Join(out, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	os.Remove(out) // only if empty: never removes anything else
	return errors.Join(errs...)
}
