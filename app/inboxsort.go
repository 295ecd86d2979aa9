package app

import "sort"

// The inbox's column sort: a click on a column header orders the list by
// that column instead of by urgency, a second click reverses it.

// The columns the inbox can be sorted by (InboxSort.Column).
const (
	SortReference = "reference" // Ärendenummer
	SortType      = "type"      // Ärendetyp, by its Swedish name
	SortUnit      = "unit"      // Mottagning
	SortReceived  = "received"  // Inkom
	SortDue       = "due"       // Svar senast
	SortStatus    = "status"    // Status, in the order a case moves
	SortAssignee  = "assignee"  // Handläggare, by name
)

// InboxSort orders the case list by one column. The zero value keeps the
// list's own order (most urgent first; in the closed view, latest first).
type InboxSort struct {
	Column string
	Desc   bool
}

// Sorted reports whether s asks for a column order.
func (s InboxSort) Sorted() bool { return s.Column != "" }

// Toggle is the sort after a click on column's header: that column
// ascending, or reversed when it is already the sort.
func (s InboxSort) Toggle(column string) InboxSort {
	if s.Column == column {
		return InboxSort{Column: column, Desc: !s.Desc}
	}
	return InboxSort{Column: column}
}

// TypeKeysByName returns the case-type keys in the order of their Swedish
// names, as sorting by Ärendetyp shows them.
func TypeKeysByName() []string {
	types := CaseTypes()
	sort.SliceStable(types, func(i, j int) bool { return SwedishLess(types[i].Name, types[j].Name) })
	keys := make([]string, len(types))
	for i, t := range types {
		keys[i] = t.Key
	}
	return keys
}

// swedishOrder ranks the letters Swedish puts after z.
var swedishOrder = map[rune]rune{'å': 'z' + 1, 'ä': 'z' + 2, 'ö': 'z' + 3}

// SwedishLess compares a and b as a Swedish list does, ignoring case:
// å, ä and ö come after z.
func SwedishLess(a, b string) bool {
	key := func(s string) []rune {
		out := []rune{}
		for _, r := range s {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			switch r {
			case 'Å':
				r = 'å'
			case 'Ä':
				r = 'ä'
			case 'Ö':
				r = 'ö'
			}
			if o, ok := swedishOrder[r]; ok {
				r = o
			}
			out = append(out, r)
		}
		return out
	}
	ka, kb := key(a), key(b)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if ka[i] != kb[i] {
			return ka[i] < kb[i]
		}
	}
	return len(ka) < len(kb)
}
