package app

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The covering letter's addressees: a guardian's postal address as it is
// written on a Swedish envelope, who the letter is to, and whether it says
// "du" or "ni".

// IntygAddress is a Swedish postal address: the street line (gatuadress,
// box or c/o as the guardian writes it), the postnummer and the postort.
type IntygAddress struct {
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
}

// IsZero reports whether a is nil or has nothing in it.
func (a *IntygAddress) IsZero() bool {
	return a == nil || strings.TrimSpace(a.Street+a.Postcode+a.City) == ""
}

// Lines returns the address as it is written under the name: the street,
// then postnummer and postort on one line with two spaces between them
// ("Storgatan 1", "451 50  Uddevalla"). Nil for no address.
func (a *IntygAddress) Lines() []string {
	if a.IsZero() {
		return nil
	}
	return []string{a.Street, strings.TrimSpace(a.Postcode + "  " + a.City)}
}

// String is the address on one line: "Storgatan 1, 451 50 Uddevalla".
func (a *IntygAddress) String() string {
	if a.IsZero() {
		return ""
	}
	return a.Street + ", " + strings.TrimSpace(a.Postcode+" "+a.City)
}

// NormalizePostcode returns a Swedish postnummer as "NNN NN", from five
// digits with or without spaces; ok is false when s is not five digits.
func NormalizePostcode(s string) (string, bool) {
	digits := strings.Join(strings.Fields(s), "")
	if len(digits) != 5 {
		return s, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return s, false
		}
	}
	return digits[:3] + " " + digits[3:], true
}

// normalized checks an optional address and returns it in canonical form:
// nil when nothing is given; otherwise every part is needed, one-line,
// and the postnummer is "NNN NN". field is its JSON path for errors.
func (a *IntygAddress) normalized(errs *ValidationErrors, field string) *IntygAddress {
	if a.IsZero() {
		return nil
	}
	out := &IntygAddress{Street: oneLine(a.Street), Postcode: oneLine(a.Postcode), City: oneLine(a.City)}
	requiredLine(errs, field+".street", out.Street, "gatuadress saknas (eller lämna hela adressen tom)")
	switch pc, ok := NormalizePostcode(out.Postcode); {
	case out.Postcode == "":
		*errs = append(*errs, FieldErrorf(field+".postcode", "postnummer saknas"))
	case !ok:
		*errs = append(*errs, FieldErrorf(field+".postcode", "postnumret ska ha fem siffror, t.ex. 451 50"))
	default:
		out.Postcode = pc
	}
	requiredLine(errs, field+".city", out.City, "postort saknas")
	return out
}

// sameAddress reports whether two addresses are the same place, ignoring
// case and spacing.
func sameAddress(a, b *IntygAddress) bool {
	norm := func(x *IntygAddress) string {
		return strings.ToLower(strings.Join(strings.Fields(x.Street+" "+x.Postcode+" "+x.City), ""))
	}
	return !a.IsZero() && !b.IsZero() && norm(a) == norm(b)
}

// LetterAddressees is who one covering letter is written to: the
// guardians living at one postal address.
type LetterAddressees struct {
	// Names are the guardians the letter is addressed to, in the
	// intyg's order.
	Names []string
	// Address is where it is posted, nil when no guardian has one (the
	// block then holds only the names, to be completed by hand).
	Address *IntygAddress
	// AlsoTo are the guardians who get a letter of their own at another
	// address, in the intyg's order: the letter says that they do.
	AlsoTo []string
}

// Letters returns the covering letters, one per distinct postal address,
// in the order the addresses first appear among the guardians; each is
// addressed to the guardians living there ("du" to one, "ni" to two),
// and says the same about the intyg. A guardian with no address of their
// own shares the first address given (a shared address is typed once).
// Without any postal address there is one letter to every guardian. An
// intyg without guardians has one letter to nobody.
func (in *Intyg) Letters() []LetterAddressees {
	var out []LetterAddressees
	letterOf := func(a *IntygAddress) int {
		if a.IsZero() {
			return 0
		}
		for i := range out {
			if sameAddress(out[i].Address, a) {
				return i
			}
		}
		out = append(out, LetterAddressees{Address: a})
		return len(out) - 1
	}
	for _, g := range in.Guardians {
		letterOf(g.PostalAddress) // the addresses in order of appearance
	}
	if len(out) == 0 {
		out = []LetterAddressees{{}}
	}
	for _, g := range in.Guardians {
		i := letterOf(g.PostalAddress)
		out[i].Names = append(out[i].Names, g.Name)
	}
	if len(out) > 1 {
		for i := range out {
			for j := range out {
				if j != i {
					out[i].AlsoTo = append(out[i].AlsoTo, out[j].Names...)
				}
			}
		}
	}
	return out
}

// LettersNote tells the person posting the letters, when the guardians
// live at different addresses, that the följebrev is several letters, to
// whom, and that each needs a copy of the intyg in its envelope; "" when
// there is one letter.
func (in *Intyg) LettersNote() string {
	letters := in.Letters()
	if len(letters) < 2 {
		return ""
	}
	var to []string
	for _, l := range letters {
		a := *l.Address // as it will print: the postnummer "NNN NN"
		if pc, ok := NormalizePostcode(a.Postcode); ok {
			a.Postcode = pc
		}
		to = append(to, "ett till "+strings.Join(l.Names, " och ")+" ("+a.String()+")")
	}
	n := numberSv(len(letters))
	return "Vårdnadshavarna bor på olika adresser, så följebrevet är " + n + " brev, vart och ett på egen sida: " +
		joinSv(to) + ". Skriv ut kopian " + n + " gånger och lägg brevet och en kopia i varje kuvert."
}

// numberSv is a small count in Swedish words, as in "två brev".
func numberSv(n int) string {
	if words := []string{"noll", "ett", "två", "tre", "fyra"}; n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// joinSv joins items as a Swedish list: "a, b och c".
func joinSv(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " och " + items[len(items)-1]
}

// Tilltal returns how the letter speaks to its addressees: "du" to one,
// "ni" to two.
func (a LetterAddressees) Tilltal() Tilltal { return TilltalFor(len(a.Names)) }

// WindowLines are the lines of the envelope window: each addressee's name
// on a line of its own, then the address.
func (a LetterAddressees) WindowLines() []string {
	return append(append([]string(nil), a.Names...), a.Address.Lines()...)
}

// Tilltal is the forms of "you" a letter needs, singular or plural.
type Tilltal struct {
	Du        string // du / ni
	Dig       string // dig / er (object)
	Valkommen string // välkommen / välkomna
	Sjalv     string // själv / själva
}

// TilltalFor returns the singular forms for one reader and the plural
// forms ("ni") for more than one.
func TilltalFor(readers int) Tilltal {
	if readers > 1 {
		return Tilltal{Du: "ni", Dig: "er", Valkommen: "välkomna", Sjalv: "själva"}
	}
	return Tilltal{Du: "du", Dig: "dig", Valkommen: "välkommen", Sjalv: "själv"}
}

// Cap returns s with its first letter upper-case: "Du", "Ni".
func Cap(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}
