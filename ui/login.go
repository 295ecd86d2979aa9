package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// loginScreen is "who is working": pick yourself from the staff list, or,
// on the first run with no staff, create the first administrator. The
// choice is remembered for the computer account, so the next start goes
// straight to the inbox.
type loginScreen struct {
	u       *UI
	content *fyne.Container
	staff   []*app.Staff // active staff

	// Picking.
	picker *pickerList
	chosen int
	next   *widget.Button

	// The first administrator.
	form *staffForm
	save *widget.Button

	// notStaff says that the given login is no active staff member.
	notStaff *widget.Label
}

func newLoginScreen(u *UI) *loginScreen {
	return &loginScreen{u: u, chosen: -1}
}

func (l *loginScreen) build() fyne.CanvasObject {
	l.content = container.NewStack(container.NewCenter(widget.NewLabel("Läser personallistan …")))
	return l.content
}

// load reads the staff; a remembered, still active choice signs in at once.
func (l *loginScreen) load() {
	remembered := l.u.app.Preferences().String(l.u.prefKey())
	if l.u.s.Login != "" {
		remembered = l.u.s.Login
	}
	l.u.background(func(ctx context.Context) {
		all, err := l.u.s.Store.ListStaff(ctx, true)
		if err != nil {
			l.u.showError(err)
			return
		}
		fyne.Do(func() {
			l.staff = l.staff[:0]
			for _, s := range all {
				if s.Active {
					l.staff = append(l.staff, s)
				}
			}
			for _, s := range l.staff {
				if remembered != "" && s.HSAID == remembered {
					l.u.signIn(s, all)
					return
				}
			}
			if l.u.s.Login != "" {
				// Who works is given (the database login on a team
				// database): never a choice of someone else.
				l.showNotStaff(l.u.s.Login)
				return
			}
			if len(all) == 0 {
				l.showFirstAdmin()
			} else {
				l.showPicker(all)
			}
		})
	})
}

// showNotStaff says that the given login is no active staff member.
func (l *loginScreen) showNotStaff(hsaID string) {
	l.notStaff = widget.NewLabel("Du är inloggad som " + hsaID + ", men det finns ingen aktiv personal med det HSA-ID:t. Be en administratör om hjälp.")
	l.notStaff.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(heading("Vem arbetar?"), l.notStaff)
	l.content.Objects = []fyne.CanvasObject{container.NewPadded(container.NewCenter(container.New(fixedWidth(560), body)))}
	l.content.Refresh()
}

func (l *loginScreen) showPicker(all []*app.Staff) {
	l.chosen = -1
	l.picker = newPickerList(l)
	l.picker.OnSelected = func(id widget.ListItemID) {
		l.chosen = id
		l.next.Enable()
	}
	l.next = widget.NewButtonWithIcon("Fortsätt", theme.NavigateNextIcon(), func() { l.onContinueTapped(all) })
	l.next.Importance = widget.HighImportance
	l.next.Disable()
	intro := widget.NewLabel("Välj dig själv i listan. Allt du gör i ärendena registreras i ditt namn. Valet sparas för det här datorkontot.")
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewBorder(container.NewVBox(heading("Vem arbetar?"), intro), container.NewHBox(l.next), nil, nil, l.picker)
	l.content.Objects = []fyne.CanvasObject{container.NewPadded(container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 480), body)))}
	l.content.Refresh()
	l.u.win.Canvas().Focus(l.picker) // ↑↓ choose, Enter continues
}

func (l *loginScreen) onContinueTapped(all []*app.Staff) {
	if l.chosen < 0 || l.chosen >= len(l.staff) {
		return
	}
	l.u.signIn(l.staff[l.chosen], all)
}

func (l *loginScreen) showFirstAdmin() {
	l.form = newStaffForm(l.u, true)
	l.form.roles.SetSelected([]string{roleName(app.RoleAdministrator)})
	l.save = widget.NewButtonWithIcon("Skapa administratör och börja", theme.ConfirmIcon(), l.onCreateAdminTapped)
	l.save.Importance = widget.HighImportance
	intro := widget.NewLabel("Det finns ingen personal ännu. Lägg in dig själv som första administratör. Administratören lägger sedan in övrig personal under Personal.")
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(heading("Välkommen till Ärendestöd"), intro, l.form.build(), l.save)
	// A column of fixed width that scrolls when the errors make it taller
	// than the window.
	l.content.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(container.NewCenter(
		container.New(fixedWidth(600), body))))}
	l.content.Refresh()
}

func (l *loginScreen) onCreateAdminTapped() {
	s, ok := l.form.staff()
	if !ok {
		return
	}
	if !s.HasRole(app.RoleAdministrator) {
		s.Roles = append([]app.Role{app.RoleAdministrator}, s.Roles...)
	}
	l.save.Disable()
	l.u.background(func(ctx context.Context) {
		err := l.u.s.Store.AddStaff(ctx, s)
		var all []*app.Staff
		if err == nil {
			all, err = l.u.s.Store.ListStaff(ctx, true)
		}
		fyne.Do(func() {
			l.save.Enable()
			if err != nil {
				if !l.form.showErrors(err) {
					l.u.showError(err)
				}
				return
			}
			l.u.signIn(s, all)
		})
	})
}

// fixedWidth lays out its objects at a fixed width and the height they
// need (or are given).
type fixedWidth float32

func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(float32(w), size.Height))
	}
}
