package app

// The inbox's type filter: every case type, under the routine's groups,
// with each group selectable as a whole. Förnya recept is a prescription,
// not an intyg: the filter lists it on its own, not under "Intyg
// sjuksköterska" (the group the routine's table gives it for routing).

// TypeFilterOption is one line of the type filter: a group heading (Group
// set, or Type set when the heading stands for a single type) or one type
// (Type set, Indent).
type TypeFilterOption struct {
	Label  string
	Group  string // filter by this group (CaseFilter.Group)
	Type   string // filter by this type (CaseFilter.Type)
	Indent bool   // a type under the heading above it
}

// typeFilterOwnLine are the types the filter lists on their own line
// instead of under their group.
var typeFilterOwnLine = map[string]bool{TypeFornyaRecept: true}

// TypeFilterOptions returns the type filter's lines in order: each group
// with its types, then the types listed on their own, then Okänd.
func TypeFilterOptions() []TypeFilterOption {
	var out []TypeFilterOption
	for _, g := range Groups() {
		var members []CaseType
		mixed := false // the group has a type listed on its own line
		for _, t := range caseTypes {
			if t.Group != g {
				continue
			}
			if typeFilterOwnLine[t.Key] {
				mixed = true
				continue
			}
			members = append(members, t)
		}
		switch {
		case len(members) == 0:
			continue
		case len(members) == 1 && mixed:
			// The group's heading is its one type.
			out = append(out, TypeFilterOption{Label: g + ": " + members[0].Name, Type: members[0].Key})
			continue
		case mixed:
			// The group filter would bring the own-line types too: only
			// the types are offered.
		default:
			out = append(out, TypeFilterOption{Label: g + " (alla)", Group: g})
		}
		for _, t := range members {
			out = append(out, TypeFilterOption{Label: t.Name, Type: t.Key, Indent: true})
		}
	}
	for _, t := range caseTypes {
		if typeFilterOwnLine[t.Key] {
			out = append(out, TypeFilterOption{Label: t.Name, Type: t.Key})
		}
	}
	okand, _ := CaseTypeByKey(TypeOkand)
	out = append(out, TypeFilterOption{Label: okand.Name, Type: TypeOkand})
	return out
}
