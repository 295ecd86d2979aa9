package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// setupShortcuts binds the keyboard: Ctrl+F search, Ctrl+1…5 filters; Esc
// and Enter by the window when nothing has the focus (onTypedKey), else
// where the focus is (onEscape, the inbox list, keywidgets.go).
func (u *UI) setupShortcuts() {
	u.shortcuts = map[string]func(){}
	bind := func(k fyne.KeyName, fn func()) {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
		u.shortcuts[sc.ShortcutName()] = fn
		u.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { fn() })
	}
	bind(fyne.KeyF, u.onSearchShortcut)
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5} {
		view := inboxFilters[i].view
		bind(k, func() { u.onFilterShortcut(view) })
	}
	u.win.Canvas().SetOnTypedKey(u.onTypedKey)
}

// shortcut runs the window shortcut sc, if there is one; entries call it
// so that Ctrl+F and Ctrl+1…5 work while typing.
func (u *UI) shortcut(sc fyne.Shortcut) bool {
	if fn, ok := u.shortcuts[sc.ShortcutName()]; ok {
		fn()
		return true
	}
	return false
}

func (u *UI) onSearchShortcut() {
	if u.inbox == nil || u.dialogOpen() {
		return
	}
	u.closeCase()
	u.tabs.Select(u.casesTab)
	u.win.Canvas().Focus(u.inbox.search)
}

func (u *UI) onFilterShortcut(view string) {
	if u.inbox == nil || u.dialogOpen() {
		return
	}
	u.closeCase()
	u.tabs.Select(u.casesTab)
	u.inbox.setView(view)
}

// onEscape goes back: from a case to the inbox, from another tab to the
// inbox, from the search field to the list. Never behind an open dialog:
// what is asked there is answered there.
func (u *UI) onEscape() {
	if u.inbox == nil || u.dialogOpen() {
		return
	}
	switch {
	case u.caseView != nil:
		u.closeCase()
	case u.tabs.Selected() != u.casesTab:
		u.tabs.Select(u.casesTab)
	default:
		u.win.Canvas().Focus(u.inbox.list)
	}
}

// keyEntry is an Entry that hands Esc and the window's shortcuts to the
// window, so the keyboard works the same wherever the cursor is.
type keyEntry struct {
	widget.Entry
	u *UI
	// onKey, when set, sees each key first and reports whether it took
	// it (the inbox's search field moves the list's selection with ↑↓).
	onKey func(*fyne.KeyEvent) bool
}

func newKeyEntry(u *UI, multiLine bool) *keyEntry {
	e := &keyEntry{u: u}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey sends Esc to the window.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(k) {
		return
	}
	if k.Name == fyne.KeyEscape && e.u != nil {
		e.u.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut runs the window's own shortcuts before the entry's.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.u != nil && e.u.shortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// onTypedKey is the window's own key handler, for keys typed while no
// widget has the focus: Esc goes back, and on "Vem arbetar?" Enter
// continues with the person chosen.
func (u *UI) onTypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyEscape:
		u.onEscape()
	case fyne.KeyReturn, fyne.KeyEnter:
		if u.me == nil && !u.dialogOpen() {
			u.login.onEnter()
		}
	}
}
