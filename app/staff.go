package app

import (
	"net/mail"
	"strings"
)

// Staff is a member of the clinic's staff.
type Staff struct {
	ID     int64
	Name   string
	HSAID  string
	Email  string
	Roles  []Role
	Active bool
	// DBLogin is the staff member's own database login on a team database
	// (LoginAdmin.SetStaffLogin); "" for none. Validate leaves it alone.
	DBLogin string
}

// HasRole reports whether s holds role r.
func (s *Staff) HasRole(r Role) bool {
	for _, x := range s.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// RoleNames returns the Swedish names of s's roles.
func (s *Staff) RoleNames() string {
	var names []string
	for _, r := range s.Roles {
		if info, ok := RoleByKey(string(r)); ok {
			names = append(names, info.Name)
		}
	}
	return strings.Join(names, ", ")
}

// Normalize trims fields, normalises the HSA-ID and sorts out duplicate roles.
// Validate calls it.
func (s *Staff) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Email = strings.TrimSpace(s.Email)
	s.HSAID = strings.ToUpper(strings.Join(strings.Fields(s.HSAID), ""))
	seen := map[Role]bool{}
	var roles []Role
	for _, r := range s.Roles {
		r = Role(strings.TrimSpace(string(r)))
		if !seen[r] {
			seen[r] = true
			roles = append(roles, r)
		}
	}
	s.Roles = roles
}

// Validate normalises s and returns every problem with it, each naming its
// field: "name", "hsa-id", "email", "role".
func (s *Staff) Validate() error {
	s.Normalize()
	var errs ValidationErrors
	if s.Name == "" {
		errs = append(errs, FieldErrorf("name", "namn saknas"))
	} else if len(s.Name) > 200 {
		errs = append(errs, FieldErrorf("name", "namnet är för långt (högst 200 tecken)"))
	} else if err := CheckText("name", s.Name); err != nil {
		errs = append(errs, err.(*Error))
	}
	if id, err := ValidateHSAID(s.HSAID); err != nil {
		errs = append(errs, asFieldError(err, "hsa-id"))
	} else {
		s.HSAID = id
	}
	if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			errs = append(errs, FieldErrorf("email", "e-postadressen %q är inte giltig", s.Email))
		}
	}
	if len(s.Roles) == 0 {
		errs = append(errs, FieldErrorf("role", "ange minst en roll"))
	}
	for _, r := range s.Roles {
		if _, ok := RoleByKey(string(r)); !ok {
			errs = append(errs, FieldErrorf("role", "okänd roll %q (giltiga: %s)", r, roleKeys()))
		}
	}
	return errs.Err()
}

func roleKeys() string {
	var keys []string
	for _, r := range roles {
		keys = append(keys, string(r.Key))
	}
	return strings.Join(keys, ", ")
}

func asFieldError(err error, field string) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return FieldErrorf(field, "%s", err.Error())
}
