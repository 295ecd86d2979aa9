package app

import (
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// StaffKey is the form an HSA-ID is looked up by in the staff list and
// the schedule: trimmed and in upper case, as Staff.Normalize stores it.
func StaffKey(hsaID string) string { return strings.ToUpper(strings.TrimSpace(hsaID)) }

// CheckOnDuty checks that s, the staff member with HSA-ID hsaID (nil when
// there is none), may be 1177-ansvarig: only active staff may.
func CheckOnDuty(s *Staff, hsaID string) error {
	if s == nil || !s.Active {
		return FieldErrorf("hsa-id", "det finns ingen aktiv personal med HSA-ID %s", hsaID)
	}
	return nil
}

// ClosedDayLabel is the label a clinic closed day is stored with: the one
// given, trimmed, or "Stängt".
func ClosedDayLabel(label string) string {
	if label = strings.TrimSpace(label); label != "" {
		return label
	}
	return "Stängt"
}

// RolesInOrder returns the roles among keys in the routine's order,
// whatever order keys have; unknown keys are left out.
func RolesInOrder(keys []string) []Role {
	have := map[string]bool{}
	for _, k := range keys {
		have[k] = true
	}
	var out []Role
	for _, info := range roles {
		if have[string(info.Key)] {
			out = append(out, info.Key)
		}
	}
	return out
}

// SortStaff orders staff by name in Swedish order (Å, Ä, Ö last, case
// ignored), then by HSA-ID.
func SortStaff(staff []*Staff) {
	col := collate.New(language.Swedish, collate.IgnoreCase)
	sort.SliceStable(staff, func(i, j int) bool {
		if c := col.CompareString(staff[i].Name, staff[j].Name); c != 0 {
			return c < 0
		}
		return staff[i].HSAID < staff[j].HSAID
	})
}
