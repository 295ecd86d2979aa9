package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Widgets that take the keyboard focus when clicked (a check box, a
// choice list, a radio button) keep every key they get, Esc too: after a
// click on one, Esc did nothing. These variants hand Esc to the window
// (UI.onEscape), so it goes back wherever the focus is; and a widget that
// was focused and then re-drawn away still sends it there.

// keySelect is a Select that hands Esc to the window.
type keySelect struct {
	widget.Select
	u *UI
}

func newKeySelect(u *UI, options []string, changed func(string)) *keySelect {
	s := &keySelect{u: u}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey sends Esc to the window.
func (s *keySelect) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && s.u != nil {
		s.u.onEscape()
		return
	}
	s.Select.TypedKey(k)
}

// keyCheck is a Check that hands Esc to the window.
type keyCheck struct {
	widget.Check
	u *UI
}

func newKeyCheck(u *UI, label string, changed func(bool)) *keyCheck {
	c := &keyCheck{u: u}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey sends Esc to the window.
func (c *keyCheck) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && c.u != nil {
		c.u.onEscape()
		return
	}
	c.Check.TypedKey(k)
}

// keyButton is a Button that hands Esc to the window (a button has the
// focus after Tab).
type keyButton struct {
	widget.Button
	u *UI
}

func newKeyButton(u *UI, label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{u: u}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey sends Esc to the window.
func (b *keyButton) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && b.u != nil {
		b.u.onEscape()
		return
	}
	b.Button.TypedKey(k)
}

// dialogOpen reports whether a dialog (or another overlay: a choice
// list's menu) is open over the window: the keyboard's window actions
// then do nothing behind it.
func (u *UI) dialogOpen() bool {
	return u.win.Canvas().Overlays().Top() != nil
}

// escEntry is an Entry for a screen built without the window's UI (the
// statistics): Esc calls *esc, when set, as keyEntry hands it to the
// window.
type escEntry struct {
	widget.Entry
	esc *func()
}

func newEscEntry(esc *func()) *escEntry {
	e := &escEntry{esc: esc}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey sends Esc to *esc.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.esc != nil && *e.esc != nil {
		(*e.esc)()
		return
	}
	e.Entry.TypedKey(k)
}

// escSelect is a Select for a screen built without the window's UI (the
// prescription log, the statistics): Esc calls *esc, when set.
type escSelect struct {
	widget.Select
	esc *func()
}

func newEscSelect(esc *func(), options []string, changed func(string)) *escSelect {
	s := &escSelect{esc: esc}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey sends Esc to *esc.
func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && s.esc != nil && *s.esc != nil {
		(*s.esc)()
		return
	}
	s.Select.TypedKey(k)
}

// keyCheckGroup is a column of keyChecks, one per option: Fyne's grouped
// CheckGroup keeps Esc for itself, each keyCheck hands it to the window.
type keyCheckGroup struct {
	box    *fyne.Container
	checks []*keyCheck
}

func newKeyCheckGroup(u *UI, options []string) *keyCheckGroup {
	g := &keyCheckGroup{box: container.NewVBox()}
	for _, o := range options {
		c := newKeyCheck(u, o, nil)
		g.checks = append(g.checks, c)
		g.box.Add(c)
	}
	return g
}

// Selected returns the ticked options in their order.
func (g *keyCheckGroup) Selected() []string {
	var out []string
	for _, c := range g.checks {
		if c.Checked {
			out = append(out, c.Text)
		}
	}
	return out
}

// SetSelected ticks exactly the options named.
func (g *keyCheckGroup) SetSelected(names []string) {
	for _, c := range g.checks {
		c.SetChecked(slices.Contains(names, c.Text))
	}
}

func (g *keyCheckGroup) Enable() {
	for _, c := range g.checks {
		c.Enable()
	}
}

func (g *keyCheckGroup) Disable() {
	for _, c := range g.checks {
		c.Disable()
	}
}
