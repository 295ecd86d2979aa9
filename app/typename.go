package app

import (
	"encoding/json"
	"sort"
	"strings"
	"unicode"
)

// MatchTypeName maps a type name as a notice writes it to a case-type key.
// It tolerates case, extra white space and line folding, a hyphen or a dash
// between numbers ("12 - 16", "12–16"), and missing diacritics. A name it
// cannot recognise gives TypeOkand, never an error.
func MatchTypeName(name string) string {
	return matchNormalized(NormalizeTypeName(name), typeNameIndex)
}

// matchNormalized finds the type of normalised name n in index (normalised
// name → type key): the exact name, or else, since a notice may run the
// name into more text on the same line ("Förnya recept (BUP)"), the
// longest name in index that n starts with, followed by a word boundary.
// TypeOkand when none fits.
func matchNormalized(n string, index map[string]string) string {
	if n == "" {
		return TypeOkand
	}
	if k, ok := index[n]; ok {
		return k
	}
	best, bestLen := TypeOkand, 0
	for norm, k := range index {
		if len(norm) > bestLen && strings.HasPrefix(n, norm) && !isWordByte(n, len(norm)) {
			best, bestLen = k, len(norm)
		}
	}
	return best
}

func isWordByte(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

var typeNameIndex = func() map[string]string {
	m := map[string]string{}
	for _, t := range caseTypes {
		if t.Key == TypeOkand {
			continue
		}
		m[NormalizeTypeName(t.Name)] = t.Key
		for _, a := range t.Aliases {
			m[NormalizeTypeName(a)] = t.Key
		}
	}
	return m
}()

var foldRunes = map[rune]string{
	'å': "a", 'ä': "a", 'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'æ': "ae",
	'ö': "o", 'ø': "o", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'ü': "u", 'ú': "u", 'ù': "u", 'û': "u",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
}

// NormalizeTypeName reduces a type name to the form used for matching:
// lower case without diacritics, dashes as "-" without surrounding space,
// single spaces, no surrounding punctuation.
func NormalizeTypeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2212' || r == '-':
			// Drop a space before the dash; none is written after it.
			b.WriteByte('-')
			space = false
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '_':
			space = true
			continue
		}
		if space {
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte(' ')
			}
			space = false
		}
		if f, ok := foldRunes[r]; ok {
			b.WriteString(f)
		} else if r < unicode.MaxASCII || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	out := b.String()
	// "12 - 16": the space before the dash was written before the dash came.
	out = strings.ReplaceAll(out, " -", "-")
	return strings.Trim(out, " .:;,\"'«»")
}

// SettingTypeWordings is the settings key of the wordings an
// administrator has taught the product ("Den här formuleringen betyder
// …"): a JSON object from the normalized wording (NormalizeTypeName) to a
// case-type key. Empty means none.
const SettingTypeWordings = "typ.formuleringar"

// TypeWordings are learned wordings: normalized wording → case-type key.
type TypeWordings map[string]string

// TypeWording is one learned wording, for the settings list.
type TypeWording struct {
	Wording string // normalized
	Type    string
}

// ParseTypeWordings reads the setting's value. Entries whose type is not
// a case type (from a newer or older routine) or is okand are dropped, so
// that a stale entry never makes a case of an unknown type.
func ParseTypeWordings(s string) (TypeWordings, error) {
	w := TypeWordings{}
	if strings.TrimSpace(s) == "" {
		return w, nil
	}
	var raw map[string]string
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return w, Errorf(EINVALID, "Inlärda formuleringar kunde inte läsas: %v", err)
	}
	for k, v := range raw {
		if n := NormalizeTypeName(k); n != "" && v != TypeOkand {
			if _, ok := CaseTypeByKey(v); ok {
				w[n] = v
			}
		}
	}
	return w, nil
}

// Encode returns the setting's value: JSON with sorted keys.
func (w TypeWordings) Encode() string {
	if len(w) == 0 {
		return ""
	}
	b, _ := json.Marshal(map[string]string(w)) // maps marshal with sorted keys
	return string(b)
}

// Learn teaches that wording means type typeKey. wording is the type name
// as a notice wrote it (Notice.TypeName). It is refused when empty, when
// the type is okand or unknown, or when the wording already is the
// routine's own name or alias of another type (that would hide it).
func (w TypeWordings) Learn(wording, typeKey string) error {
	n := NormalizeTypeName(wording)
	if n == "" {
		return FieldErrorf("wording", "formuleringen är tom")
	}
	if typeKey == TypeOkand {
		return FieldErrorf("type", "välj vilken ärendetyp formuleringen betyder")
	}
	if err := ValidateTypeKey("type", typeKey); err != nil {
		return err
	}
	if k, ok := typeNameIndex[n]; ok && k != typeKey {
		return FieldErrorf("wording", "formuleringen är redan namnet på %s", TypeName(k))
	}
	w[n] = typeKey
	return nil
}

// Forget removes a learned wording; it reports whether there was one.
func (w TypeWordings) Forget(wording string) bool {
	n := NormalizeTypeName(wording)
	_, ok := w[n]
	delete(w, n)
	return ok
}

// List returns the learned wordings sorted by wording.
func (w TypeWordings) List() []TypeWording {
	out := make([]TypeWording, 0, len(w))
	for k, v := range w {
		out = append(out, TypeWording{Wording: k, Type: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Wording < out[j].Wording })
	return out
}

// MatchTypeNameLearned is MatchTypeName that also knows the learned
// wordings: the routine's names and aliases first, then a learned wording
// equal to the name, then the longest learned wording the name starts
// with (followed by a word boundary).
func MatchTypeNameLearned(name string, learned TypeWordings) string {
	if k := MatchTypeName(name); k != TypeOkand || len(learned) == 0 {
		return k
	}
	return matchNormalized(NormalizeTypeName(name), learned)
}

// ApplyLearnedType gives a notice of unrecognised type the type a learned
// wording names, by its TypeName; it reports whether it did. Intake calls
// it with the setting before DecideIngest.
func ApplyLearnedType(n *Notice, learned TypeWordings) bool {
	if n == nil || (n.Type != "" && n.Type != TypeOkand) {
		return false
	}
	if k := MatchTypeNameLearned(n.TypeName, learned); k != TypeOkand {
		n.Type = k
		return true
	}
	return false
}
