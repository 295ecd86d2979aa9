package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// The vab-under-12 flow around the intyg: its steps, who issues it, and
// how issued versions are kept with the case.

// Steps of the vab-under-12 flow (see flows in routine.go).
const (
	StepDelsvar             = "delsvar"
	StepIntygSkrivet        = "intyg-skrivet"
	StepOriginalFK          = "original-fk"
	StepKopiaVardnadshavare = "kopia-vardnadshavare"
	StepBesvarat            = "besvarat"
)

// Standard replies the flow offers (keys of the reply catalogue).
const (
	ReplyDelsvar      = "delsvar"
	ReplyIntygSkickat = "intyg-skickat"
)

// IntygVersion is one issued version of a case's intyg, as stored. Printing
// it again gives identical documents.
type IntygVersion struct {
	CaseID  int64
	Version int
	// Intyg is the normalised intyg, with Version and CaseID set.
	Intyg     *Intyg
	CreatedAt time.Time
	CreatedBy string // HSA-ID
}

// IntygStore keeps the intyg of vab-under-12 cases: the draft a nurse is
// typing and every issued version.
type IntygStore interface {
	// SaveIntygDraft stores what is typed so far (the JSON of an Intyg,
	// valid or not), replacing the case's previous draft.
	SaveIntygDraft(ctx context.Context, caseID int64, actor string, data []byte) error
	// IntygDraft returns the case's draft, nil when there is none.
	IntygDraft(ctx context.Context, caseID int64) ([]byte, error)
	// IssueIntyg validates in (Normalized, CheckChildAge) and stores it
	// as the case's next version with the events Case.IssueIntyg decides,
	// writes the access log and removes the draft, in one transaction. It
	// returns the version number.
	IssueIntyg(ctx context.Context, caseID int64, actor string, in *Intyg) (int, error)
	// IntygVersions returns the case's issued versions, oldest first.
	IntygVersions(ctx context.Context, caseID int64) ([]IntygVersion, error)
	// IntygVersion returns one issued version. ENOTFOUND when there is none.
	IntygVersion(ctx context.Context, caseID int64, version int) (*IntygVersion, error)
	// RecordPrint writes to the access log that a version was printed or
	// saved as PDF.
	RecordPrint(ctx context.Context, caseID int64, version int, actor string) error
}

// IssueIntyg decides what issuing version n.Version of the case's intyg
// changes in the case; the store stores n and these events in one
// transaction with the access-log row. n is the normalised intyg (see
// Normalized and CheckChildAge) with its version set. Only a vab-under-12
// case has this intyg (ECONFLICT otherwise). The child becomes the case's
// patient when the case has none; the first version ticks the step
// "intyg-skrivet", a later one (a correction) leaves the step as it was and
// notes the version in the history.
func (c *Case) IssueIntyg(n *Intyg, actor string, now time.Time) ([]Event, error) {
	if c.Type != TypeVABUnder12 {
		return nil, Errorf(ECONFLICT, "Ärende nr %d är inte ett ärende av typen %s utan %s.",
			c.ID, TypeName(TypeVABUnder12), TypeName(c.Type))
	}
	var evs []Event
	if c.PatientPnr == "" && c.PatientName == "" {
		ev, err := c.SetPatient(n.Child.Personnummer, n.Child.Name, actor, now)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev...)
	}
	if _, done := c.Steps[StepIntygSkrivet]; !done {
		ev, err := c.SetStep(StepIntygSkrivet, true, actor, now)
		if err != nil {
			return nil, err
		}
		return append(evs, ev...), nil
	}
	// The step says an intyg was written; the history says which version
	// is the correction.
	return append(evs, c.event(EventNote, actor, now,
		fmt.Sprintf("Intyg version %d skrivet (rättelse, tidigare versioner sparade)", n.Version))), nil
}

// IssuerTitle is the title a staff member signs an intyg with:
// "Sjuksköterska" or "Läkare", "" for a role that does not issue intyg
// (validation then says the title is missing).
func IssuerTitle(s *Staff) string {
	switch {
	case s == nil:
		return ""
	case s.HasRole(RoleSjukskoterska):
		return "Sjuksköterska"
	case s.HasRole(RoleLakare):
		return "Läkare"
	}
	return ""
}

// SameIntygContent reports whether a and b say the same thing once
// normalised, whatever their version and case: issuing b after a would
// only repeat a. An invalid intyg is never the same as anything.
func SameIntygContent(a, b *Intyg) bool {
	if a == nil || b == nil {
		return false
	}
	na, err := a.Normalized()
	if err != nil {
		return false
	}
	nb, err := b.Normalized()
	if err != nil {
		return false
	}
	na.Version, na.CaseID, nb.Version, nb.CaseID = 0, 0, 0, 0
	ja, err1 := json.Marshal(na)
	jb, err2 := json.Marshal(nb)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
