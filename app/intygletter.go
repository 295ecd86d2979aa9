package app

import (
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

// LetterAddressees is who the covering letter is written to.
type LetterAddressees struct {
	// Names are the guardians the letter is addressed to, in the
	// intyg's order.
	Names []string
	// Address is where it is posted, nil when no guardian has one (the
	// block then holds only the names, to be completed by hand).
	Address *IntygAddress
	// Elsewhere are guardians with another postal address: one envelope
	// cannot reach them, so they are not addressed and get their copy
	// some other way.
	Elsewhere []string
}

// LetterAddressees returns who the covering letter is to. Without any
// postal address it is every guardian. Otherwise it goes to the first
// address given, addressed to the guardians living there and those with
// no address of their own (a shared address is typed once); a guardian
// with another address is in Elsewhere.
func (in *Intyg) LetterAddressees() LetterAddressees {
	var out LetterAddressees
	for _, g := range in.Guardians {
		if !g.PostalAddress.IsZero() {
			out.Address = g.PostalAddress
			break
		}
	}
	for _, g := range in.Guardians {
		if out.Address == nil || g.PostalAddress.IsZero() || sameAddress(g.PostalAddress, out.Address) {
			out.Names = append(out.Names, g.Name)
		} else {
			out.Elsewhere = append(out.Elsewhere, g.Name)
		}
	}
	return out
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
