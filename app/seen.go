package app

import (
	"sort"
	"strconv"
	"strings"
)

// What each staff member has seen: the inbox highlights a new case until
// the person working has opened it. "New" starts when the person first
// signs in (After: the newest case then), so nobody starts with every old
// case highlighted, and a case closed meanwhile is no longer new.

// SeenCases is one staff member's record of opened new cases.
type SeenCases struct {
	// After: cases with an id up to it count as seen.
	After int64
	// IDs: the cases after After that the person has opened.
	IDs map[int64]bool
}

// SeenCasesMax caps the opened ids kept: past it, the oldest half is
// folded into After (an unopened case older than those then counts as
// seen too, which after that many newer ones it long has been).
const SeenCasesMax = 1000

// IsNew reports whether c is new to the person: open, after After and not
// opened.
func (s SeenCases) IsNew(c *Case) bool {
	return c.ID > s.After && !s.IDs[c.ID] && c.Status != StatusAvslutad
}

// Mark records that the person opened case id, and keeps the record
// within SeenCasesMax.
func (s *SeenCases) Mark(id int64) {
	if id <= s.After {
		return
	}
	if s.IDs == nil {
		s.IDs = map[int64]bool{}
	}
	s.IDs[id] = true
	if len(s.IDs) <= SeenCasesMax {
		return
	}
	ids := s.sorted()
	s.After = ids[len(ids)/2-1]
	for _, x := range ids[:len(ids)/2] {
		delete(s.IDs, x)
	}
}

func (s SeenCases) sorted() []int64 {
	ids := make([]int64, 0, len(s.IDs))
	for id := range s.IDs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Encode writes s as text for the store: "AFTER:ID,ID,…".
func (s SeenCases) Encode() string {
	var b strings.Builder
	b.WriteString(strconv.FormatInt(s.After, 10))
	b.WriteByte(':')
	for i, id := range s.sorted() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// DecodeSeenCases reads what Encode wrote; ok is false for text it did
// not write (the caller starts afresh).
func DecodeSeenCases(text string) (SeenCases, bool) {
	after, list, found := strings.Cut(text, ":")
	n, err := strconv.ParseInt(after, 10, 64)
	if !found || err != nil || n < 0 {
		return SeenCases{}, false
	}
	s := SeenCases{After: n, IDs: map[int64]bool{}}
	if list == "" {
		return s, true
	}
	for _, p := range strings.Split(list, ",") {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return SeenCases{}, false
		}
		if id > n {
			s.IDs[id] = true
		}
	}
	return s, true
}
