package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// staffScreen is the staff list: administrators add, edit and deactivate
// staff. Nothing is saved while a field is invalid; each error shows under
// its field.
type staffScreen struct {
	u       *UI
	content fyne.CanvasObject
	list    *widget.List
	rows    []*app.Staff

	title    *widget.Label
	form     *staffForm
	save     *widget.Button
	cancel   *widget.Button
	activate *widget.Button
	notice   *widget.Label
	logins   *loginCard // database logins on a team database (staff_login.go)

	editing *app.Staff // nil when adding
}

func newStaffScreen(u *UI) *staffScreen { return &staffScreen{u: u} }

func (st *staffScreen) build() fyne.CanvasObject {
	st.list = widget.NewList(
		func() int { return len(st.rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			detail := widget.NewLabel("")
			detail.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), nil, container.NewVBox(name, detail))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			s := st.rows[id]
			box := o.(*fyne.Container).Objects[0].(*fyne.Container)
			name := s.Name
			if !s.Active {
				name += " (inaktiv)"
			}
			box.Objects[0].(*widget.Label).SetText(name)
			detail := s.HSAID + " · " + s.RoleNames()
			if s.Email != "" {
				detail += " · " + s.Email
			}
			box.Objects[1].(*widget.Label).SetText(detail)
		})
	st.list.OnSelected = st.onStaffSelected

	add := widget.NewButtonWithIcon("Lägg till personal", theme.ContentAddIcon(), st.onAddTapped)
	st.title = widget.NewLabelWithStyle("Ny personal", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	st.form = newStaffForm(st.u, false)
	st.save = widget.NewButtonWithIcon("Spara", theme.DocumentSaveIcon(), st.onSaveTapped)
	st.save.Importance = widget.HighImportance
	st.cancel = widget.NewButton("Avbryt", st.onAddTapped)
	st.activate = widget.NewButton("Inaktivera", st.onActivateTapped)
	st.activate.Hide()
	st.notice = widget.NewLabel("")
	st.notice.Wrapping = fyne.TextWrapWord

	st.logins = newLoginCard(st)
	// Spara stays in view below the form, however long it is.
	right := container.NewBorder(nil, container.NewPadded(actionBar(st.notice, container.NewHBox(st.save, st.cancel, st.activate), nil)),
		nil, nil, container.NewVScroll(container.NewPadded(container.NewVBox(st.title, st.form.build(), st.logins.box))))
	left := container.NewBorder(container.NewHBox(heading("Personal"), add), nil, nil, nil, st.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	st.content = split
	return st.content
}

// load reads the staff list.
func (st *staffScreen) load() {
	admin := st.u.isAdmin()
	if !admin {
		st.notice.Importance = widget.MediumImportance
		st.notice.SetText(staffAdminOnly)
		st.form.setEnabled(false)
		st.save.Disable()
		st.activate.Disable()
	} else {
		if st.notice.Text == staffAdminOnly {
			st.notice.SetText("") // a confirmation just shown stays
		}
		st.form.setEnabled(true)
		st.save.Enable()
		st.activate.Enable()
	}
	st.u.background(func(ctx context.Context) {
		all, err := st.u.s.Store.ListStaff(ctx, true)
		if err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(func() {
			st.rows = all
			st.u.staff = all
			st.list.Refresh()
		})
	})
	st.logins.load()
}

// staffAdminOnly is the notice to those who may not change staff.
const staffAdminOnly = "Endast administratör kan lägga till och ändra personal."

// confirm says that a change was saved, beside the buttons, until the
// next change.
func (st *staffScreen) confirm(text string) {
	st.notice.Importance = widget.SuccessImportance
	st.notice.SetText(text)
}

func (st *staffScreen) onAddTapped() {
	st.editing = nil
	st.list.UnselectAll()
	st.title.SetText("Ny personal")
	st.form.fill(nil)
	st.activate.Hide()
	st.logins.show(nil)
}

func (st *staffScreen) onStaffSelected(id widget.ListItemID) {
	if id >= len(st.rows) {
		return
	}
	s := *st.rows[id]
	st.editing = &s
	st.title.SetText("Ändra: " + s.Name)
	st.form.fill(&s)
	if s.Active {
		st.activate.SetText("Inaktivera")
	} else {
		st.activate.SetText("Aktivera igen")
	}
	st.activate.Show()
	st.logins.show(&s)
}

func (st *staffScreen) onSaveTapped() {
	if !st.u.isAdmin() {
		return
	}
	s, ok := st.form.staff()
	if !ok {
		return
	}
	editing := st.editing
	if editing != nil {
		s.ID, s.HSAID, s.Active = editing.ID, editing.HSAID, editing.Active
	}
	st.save.Disable()
	st.u.background(func(ctx context.Context) {
		var err error
		if editing == nil {
			err = st.u.s.Store.AddStaff(ctx, s)
		} else {
			err = st.u.s.Store.UpdateStaff(ctx, s)
		}
		fyne.Do(func() {
			st.save.Enable()
			if err != nil {
				if !st.form.showErrors(err) {
					st.u.showError(err)
				}
				return
			}
			st.confirm("Sparat: " + s.Name + " (" + s.RoleNames() + ").")
			st.onAddTapped()
			st.load()
		})
	})
}

func (st *staffScreen) onActivateTapped() {
	if st.editing == nil || !st.u.isAdmin() {
		return
	}
	s := *st.editing
	if s.HSAID == st.u.actor() && s.Active {
		st.u.showError(app.Errorf(app.ECONFLICT, "Du kan inte inaktivera dig själv."))
		return
	}
	s.Active = !s.Active
	st.u.background(func(ctx context.Context) {
		err := st.u.s.Store.UpdateStaff(ctx, &s)
		fyne.Do(func() {
			if err != nil {
				st.u.showError(err)
				return
			}
			if s.Active {
				st.confirm(s.Name + " är aktiv igen.")
			} else {
				st.confirm(s.Name + " är inaktiverad och kan inte längre väljas.")
			}
			st.onAddTapped()
			st.load()
		})
	})
}

// staffForm is the fields of a staff member with an error line under each.
type staffForm struct {
	u      *UI
	first  bool // the first administrator: roles beyond it are optional
	name   *keyEntry
	hsa    *keyEntry
	email  *keyEntry
	roles  *keyCheckGroup
	errors map[string]*widget.Label
}

func newStaffForm(u *UI, first bool) *staffForm {
	f := &staffForm{u: u, first: first, errors: map[string]*widget.Label{}}
	f.name = newKeyEntry(u, false)
	f.name.SetPlaceHolder("För- och efternamn")
	f.hsa = newKeyEntry(u, false)
	f.hsa.SetPlaceHolder("t.ex. SE2321000131-P000000012345")
	f.hsa.OnChanged = f.onHSAChanged
	f.email = newKeyEntry(u, false)
	f.email.SetPlaceHolder("namn@vgregion.se (frivilligt)")
	var names []string
	for _, r := range app.Roles() {
		names = append(names, r.Name)
	}
	f.roles = newKeyCheckGroup(u, names)
	for _, k := range []string{"name", "hsa-id", "email", "role"} {
		l := widget.NewLabel("")
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapWord
		l.Hide()
		f.errors[k] = l
	}
	return f
}

func (f *staffForm) build() fyne.CanvasObject {
	field := func(label string, w fyne.CanvasObject, key string) fyne.CanvasObject {
		return container.NewVBox(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w, f.errors[key])
	}
	return container.NewVBox(
		field("Namn", f.name, "name"),
		field("HSA-ID", f.hsa, "hsa-id"),
		field("E-post", f.email, "email"),
		field("Roller", f.roles.box, "role"),
	)
}

func roleName(r app.Role) string {
	info, _ := app.RoleByKey(string(r))
	return info.Name
}

func (f *staffForm) fill(s *app.Staff) {
	f.clearErrors()
	if s == nil {
		f.name.SetText("")
		f.hsa.SetText("")
		f.hsa.Enable()
		f.email.SetText("")
		f.roles.SetSelected(nil)
		return
	}
	f.name.SetText(s.Name)
	f.hsa.SetText(s.HSAID)
	f.hsa.Disable() // the HSA-ID identifies the person
	f.email.SetText(s.Email)
	var names []string
	for _, r := range s.Roles {
		names = append(names, roleName(r))
	}
	f.roles.SetSelected(names)
}

func (f *staffForm) setEnabled(on bool) {
	for _, e := range []*keyEntry{f.name, f.hsa, f.email} {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	if on {
		f.roles.Enable()
	} else {
		f.roles.Disable()
	}
}

// onHSAChanged clears the HSA-ID's error as soon as the field is right.
func (f *staffForm) onHSAChanged(text string) {
	if l := f.errors["hsa-id"]; l.Visible() {
		l.Hide()
		if _, err := app.ValidateHSAID(text); err != nil {
			f.showErrors(err)
		}
	}
}

// staff returns the form as a staff member, validated; on invalid input it
// shows each error under its field and returns false.
func (f *staffForm) staff() (*app.Staff, bool) {
	s := &app.Staff{Name: f.name.Text, HSAID: f.hsa.Text, Email: f.email.Text}
	for _, name := range f.roles.Selected() {
		for _, r := range app.Roles() {
			if r.Name == name {
				s.Roles = append(s.Roles, r.Key)
			}
		}
	}
	f.clearErrors()
	if err := s.Validate(); err != nil {
		f.showErrors(err)
		return nil, false
	}
	return s, true
}

func (f *staffForm) clearErrors() {
	for _, l := range f.errors {
		l.SetText("")
		l.Hide()
	}
}

// showErrors puts each field error of err under its field and reports
// whether there was any.
func (f *staffForm) showErrors(err error) bool {
	var list app.ValidationErrors
	var one *app.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = app.ValidationErrors{one}
	}
	shown := false
	for _, e := range list {
		l, ok := f.errors[e.Field]
		if !ok {
			continue
		}
		text := capitalize(e.Message)
		if l.Visible() && l.Text != "" && l.Text != text {
			text = l.Text + "\n" + text
		}
		l.SetText(text)
		l.Show()
		shown = true
	}
	return shown
}
