package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// "Vem arbetar?" by keyboard and mouse: ↑↓ choose a person, Enter
// continues (Fortsätt), and so does a double-click on a name.

// pickerList is the staff list of the login screen.
type pickerList struct {
	widget.List
	l *loginScreen
}

func newPickerList(l *loginScreen) *pickerList {
	p := &pickerList{l: l}
	p.Length = func() int { return len(l.staff) }
	p.CreateItem = func() fyne.CanvasObject { return newPickerRow(p) }
	p.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		r := o.(*pickerRow)
		r.id = id
		s := l.staff[id]
		r.name.SetText(s.Name)
		r.roles.SetText(s.RoleNames())
	}
	p.ExtendBaseWidget(p)
	return p
}

// TypedKey: ↑↓ choose, Enter continues.
func (p *pickerList) TypedKey(e *fyne.KeyEvent) {
	n := len(p.l.staff)
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		p.l.onEnter()
	case fyne.KeyDown:
		if n > 0 {
			p.Select(min(p.l.chosen+1, n-1))
			p.ScrollTo(p.l.chosen)
		}
	case fyne.KeyUp:
		if n > 0 {
			p.Select(max(p.l.chosen-1, 0))
			p.ScrollTo(p.l.chosen)
		}
	default:
		p.List.TypedKey(e)
	}
}

// pickerRow is one person in the list: a click chooses, a double-click
// continues.
type pickerRow struct {
	widget.BaseWidget
	p           *pickerList
	id          widget.ListItemID
	name, roles *widget.Label
}

func newPickerRow(p *pickerList) *pickerRow {
	r := &pickerRow{p: p, name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), roles: widget.NewLabel("")}
	r.ExtendBaseWidget(r)
	return r
}

func (r *pickerRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewHBox(widget.NewIcon(theme.AccountIcon()), r.name, r.roles))
}

// Tapped chooses the person.
func (r *pickerRow) Tapped(*fyne.PointEvent) {
	r.p.Select(r.id)
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		c.Focus(r.p)
	}
}

// DoubleTapped chooses the person and continues.
func (r *pickerRow) DoubleTapped(*fyne.PointEvent) {
	r.p.Select(r.id)
	r.p.l.onEnter()
}

// onEnter continues with the person chosen, if any (Enter, double-click).
func (l *loginScreen) onEnter() {
	if l.next == nil || l.next.Disabled() || l.picker == nil {
		return
	}
	l.next.OnTapped()
}
