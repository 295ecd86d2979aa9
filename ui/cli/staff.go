package cli

import (
	"fmt"
	"strings"

	"arendestod/app"
)

// StaffJSON is a staff member as `staff list --json` prints it.
type StaffJSON struct {
	Name   string   `json:"name"`
	HSAID  string   `json:"hsa_id"`
	Email  string   `json:"email"`
	Roles  []string `json:"roles"`
	Active bool     `json:"active"`
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func runStaff(r *Run, args []string) error {
	if len(args) == 0 {
		return Usagef("använd: staff add … eller staff list [--json]")
	}
	switch args[0] {
	case "add":
		return runStaffAdd(r, args[1:])
	case "list":
		return runStaffList(r, args[1:])
	}
	return Usagef("okänt kommando staff %s (add, list)", args[0])
}

func runStaffAdd(r *Run, args []string) error {
	fs := newFlagSet("staff add")
	var s app.Staff
	var roles multiFlag
	fs.StringVar(&s.Name, "name", "", "namn")
	fs.StringVar(&s.HSAID, "hsa-id", "", "HSA-ID")
	fs.StringVar(&s.Email, "email", "", "e-post")
	fs.Var(&roles, "role", "roll")
	if err := Parse(fs, args); err != nil {
		return err
	}
	for _, r := range roles {
		for _, part := range strings.Split(r, ",") {
			s.Roles = append(s.Roles, app.Role(strings.TrimSpace(part)))
		}
	}
	if err := s.Validate(); err != nil {
		return flagErrors(err)
	}
	st, err := r.Store()
	if err != nil {
		return err
	}
	if err := st.AddStaff(r.Ctx, &s); err != nil {
		return flagErrors(err)
	}
	fmt.Fprintf(r.Env.Stdout, "%s (%s) tillagd: %s.\n", esc(s.Name), esc(s.HSAID), s.RoleNames())
	return nil
}

// flagErrors names each field error by its flag.
func flagErrors(err error) error {
	var ve app.ValidationErrors
	if e, ok := err.(app.ValidationErrors); ok {
		ve = e
	} else if e, ok := err.(*app.Error); ok && e.Field != "" {
		ve = app.ValidationErrors{e}
	} else {
		return err
	}
	// One line each (fieldMessage names the flag), bad input all of it:
	// a taken HSA-ID too.
	out := make(app.ValidationErrors, len(ve))
	for i, e := range ve {
		out[i] = &app.Error{Code: app.EINVALID, Field: e.Field, Message: e.Message}
	}
	return out
}

func runStaffList(r *Run, args []string) error {
	fs := newFlagSet("staff list")
	asJSON := fs.Bool("json", false, "JSON")
	all := fs.Bool("all", false, "även inaktiva")
	if err := Parse(fs, args); err != nil {
		return err
	}
	st, err := r.Store()
	if err != nil {
		return err
	}
	list, err := st.ListStaff(r.Ctx, *all)
	if err != nil {
		return err
	}
	return printList(r.Env.Stdout, *asJSON, list, func(s *app.Staff) StaffJSON {
		j := StaffJSON{Name: s.Name, HSAID: s.HSAID, Email: s.Email, Active: s.Active, Roles: []string{}}
		for _, r := range s.Roles {
			j.Roles = append(j.Roles, string(r))
		}
		return j
	}, "", "Namn\tHSA-ID\tE-post\tRoller", func(s *app.Staff) string {
		name := s.Name
		if !s.Active {
			name += " (inaktiv)"
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s", esc(name), esc(s.HSAID), esc(dash(s.Email)), s.RoleNames())
	})
}
