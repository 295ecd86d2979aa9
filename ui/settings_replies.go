package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Inställningar → Standardsvar: the shipped replies' texts, changed and
// reset, and the clinic's own replies, added and removed. Placeholders are
// checked as they are typed: one we do not fill is an error line under the
// text, and the text is not saved with it.

func (st *settingsScreen) buildReplies() fyne.CanvasObject {
	st.replyKeys = map[string]string{}
	st.replySel = newKeySelect(st.u, nil, st.onReplyChosen)
	st.replySel.PlaceHolder = "Välj standardsvar …"
	st.setReplyOptions(st.u.replies)
	st.replyText = newKeyEntry(st.u, true)
	st.replyText.SetMinRowsVisible(9)
	st.replyText.OnChanged = func(string) { st.onReplyTextChanged() }
	st.replyText.Disable() // until a reply is chosen
	st.replyErr = wrapLabel("")
	st.replyErr.Importance = widget.DangerImportance
	st.replyErr.Hide()
	st.replyState = widget.NewLabel("")
	st.replyPreview = wrapLabel("")
	st.replySave = widget.NewButtonWithIcon("Spara text", theme.DocumentSaveIcon(), st.onReplySaveTapped)
	st.replyReset = widget.NewButtonWithIcon("Återställ standardtext", theme.ContentUndoIcon(), st.onReplyResetTapped)
	st.replyRemove = widget.NewButtonWithIcon("Ta bort svaret", theme.DeleteIcon(), st.onReplyRemoveTapped)
	st.replyNew = widget.NewButtonWithIcon("Nytt standardsvar", theme.ContentAddIcon(), st.onReplyNewTapped)
	st.replySave.Disable()
	st.replyReset.Disable()
	st.replyRemove.Hide()

	st.replyName = newKeyEntry(st.u, false)
	st.replyName.SetPlaceHolder("Namn, som det visas i ärendet")
	var actions []string
	for _, a := range app.ReplyActionChoices() {
		actions = append(actions, a.Sv)
	}
	st.replyAction = newKeySelect(st.u, actions, nil)
	st.replyAction.SetSelected(actions[0])
	st.replyAdding = container.NewVBox(boldLabel("Namn"), st.replyName, boldLabel("När svaret markeras som skickat registreras"),
		st.replyAction, boldLabel("Text"))
	st.replyAdding.Hide()

	help := wrapLabel("Platshållare som fylls i: {" + strings.Join(app.ReplyPlaceholders(), "}, {") + "}. {datum} är ärendets svarsdatum; " +
		"mottagningens uppgifter kommer från ärendets mottagning.")
	help.TextStyle = fyne.TextStyle{Italic: true}
	return card("Standardsvar", "Texterna som kopieras till 1177. Välj ett svar, ändra texten och spara; Återställ standardtext går "+
		"tillbaka till den text som följer med programmet. Nytt standardsvar lägger till mottagningens eget.", container.NewVBox(
		container.NewBorder(nil, nil, nil, st.replyNew, st.replySel), st.replyAdding, st.replyText, st.replyErr, help, st.replyState,
		container.NewHBox(st.replySave, st.replyReset, st.replyRemove),
		boldLabel("Förhandsvisning med mottagningens uppgifter:"), st.replyPreview))
}

// setReplyOptions offers book's replies, the clinic's own marked.
func (st *settingsScreen) setReplyOptions(book *app.ReplyBook) {
	st.replyBook = book
	st.replyKeys = map[string]string{}
	var names []string
	for _, r := range book.All() {
		name := r.Name
		if r.Custom {
			name += " (eget)"
		}
		names = append(names, name)
		st.replyKeys[name] = r.Key
	}
	st.replySel.Options = names
	st.replySel.Refresh()
}

func (st *settingsScreen) onReplyChosen(name string) {
	key, ok := st.replyKeys[name]
	if !ok {
		return
	}
	st.adding = false
	st.replyAdding.Hide()
	st.u.background(func(ctx context.Context) {
		text, custom, err := st.u.replies.Text(ctx, st.u.s.Store, key)
		if err != nil {
			st.u.showError(err)
			return
		}
		own := false
		if st.replyBook != nil {
			r, _ := st.replyBook.Reply(key)
			own = r.Custom
		}
		fyne.Do(func() {
			if st.replySel.Selected != name || st.adding {
				return
			}
			st.replyText.SetText(text)
			st.showReplyState(custom, own)
			st.replyRemove.Hidden = !own
			st.replyRemove.Refresh()
			if st.canEdit() {
				st.replyText.Enable()
				st.replySave.Enable()
				if own {
					st.replyReset.Disable()
				} else {
					st.replyReset.Enable()
				}
			}
		})
	})
}

func (st *settingsScreen) showReplyState(custom, own bool) {
	switch {
	case own:
		st.replyState.SetText("Mottagningens eget svar.")
	case custom:
		st.replyState.SetText("Mottagningens egen text.")
	default:
		st.replyState.SetText("Standardtext.")
	}
}

// onReplyTextChanged checks the placeholders as they are typed.
func (st *settingsScreen) onReplyTextChanged() {
	if err := app.CheckReplyTemplate(st.replyText.Text); err != nil {
		st.replyErr.SetText(capitalize(errorText(err)) + ".")
		st.replyErr.Show()
	} else {
		st.replyErr.Hide()
	}
	st.updatePreview()
}

// onReplyNewTapped starts a new reply of the clinic's own.
func (st *settingsScreen) onReplyNewTapped() {
	if !st.canEdit() {
		return
	}
	st.adding = true
	st.replySel.ClearSelected()
	st.replyName.SetText("")
	st.replyAction.SetSelected(app.ReplyActionChoices()[0].Sv)
	st.replyText.SetText("Hej!\n\n\n\nMed vänliga hälsningar\n{mottagning}\n{vardgivare}")
	st.replyText.Enable()
	st.replySave.Enable()
	st.replyReset.Disable()
	st.replyRemove.Hide()
	st.replyState.SetText("Nytt svar: skriv namn och text och tryck Spara text.")
	st.replyAdding.Show()
	st.u.win.Canvas().Focus(st.replyName)
}

func (st *settingsScreen) onReplySaveTapped() {
	if !st.canEdit() {
		return
	}
	if st.adding {
		st.addReply()
		return
	}
	key, ok := st.replyKeys[st.replySel.Selected]
	if !ok {
		return
	}
	text := st.replyText.Text
	st.u.background(func(ctx context.Context) {
		err := st.u.replies.SetText(ctx, st.u.s.Store, key, text)
		var custom bool
		if err == nil {
			_, custom, err = st.u.replies.Text(ctx, st.u.s.Store, key)
		}
		if err != nil {
			st.showReplyError(err)
			return
		}
		fyne.Do(func() {
			own := false
			if st.replyBook != nil {
				r, _ := st.replyBook.Reply(key)
				own = r.Custom
			}
			st.showReplyState(custom, own)
			st.replyState.SetText(st.replyState.Text + " Sparat " + whenAt(st.u.s.Now(), st.u.s.Now()) + ".")
		})
	})
}

// showReplyError puts a refusal of the text under it, or shows err.
func (st *settingsScreen) showReplyError(err error) {
	var list app.ValidationErrors
	var one *app.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = app.ValidationErrors{one}
	default:
		st.u.showError(err)
		return
	}
	var msgs []string
	for _, e := range list {
		msgs = append(msgs, capitalize(e.Message)+".")
	}
	fyne.Do(func() {
		st.replyErr.SetText(strings.Join(msgs, "\n"))
		st.replyErr.Show()
	})
}

// addReply saves the new reply of the clinic's own.
func (st *settingsScreen) addReply() {
	name, text := st.replyName.Text, st.replyText.Text
	action := ""
	for _, a := range app.ReplyActionChoices() {
		if a.Sv == st.replyAction.Selected {
			action = a.Action
		}
	}
	st.u.background(func(ctx context.Context) {
		r, err := st.u.replies.AddReply(ctx, st.u.s.Store, name, action, text)
		if err != nil {
			st.showReplyError(err)
			return
		}
		book, err := st.u.replies.WithCustom(ctx, st.u.s.Store)
		if err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(func() {
			st.adding = false
			st.replyAdding.Hide()
			st.setReplyOptions(book)
			st.replySel.Selected = r.Name + " (eget)" // shown as it stands: no reading again
			st.replySel.Refresh()
			st.replyReset.Disable()
			st.replyRemove.Show()
			st.replyState.SetText("Mottagningens eget svar. Sparat " + whenAt(st.u.s.Now(), st.u.s.Now()) + ".")
		})
	})
}

func (st *settingsScreen) onReplyResetTapped() {
	key, ok := st.replyKeys[st.replySel.Selected]
	if !ok || !st.canEdit() {
		return
	}
	st.u.background(func(ctx context.Context) {
		if err := st.u.replies.ResetText(ctx, st.u.s.Store, key); err != nil {
			st.u.showError(err)
			return
		}
		r, _ := st.u.replies.Reply(key)
		fyne.Do(func() {
			st.replyText.SetText(r.Default)
			st.showReplyState(false, false)
		})
	})
}

// onReplyRemoveTapped removes the clinic's own reply chosen.
func (st *settingsScreen) onReplyRemoveTapped() {
	key, ok := st.replyKeys[st.replySel.Selected]
	if !ok || !st.canEdit() {
		return
	}
	name := strings.TrimSuffix(st.replySel.Selected, " (eget)")
	st.u.background(func(ctx context.Context) {
		err := st.u.replies.RemoveReply(ctx, st.u.s.Store, key)
		var book *app.ReplyBook
		if err == nil {
			book, err = st.u.replies.WithCustom(ctx, st.u.s.Store)
		}
		if err != nil {
			st.u.showError(err)
			return
		}
		fyne.Do(func() {
			st.setReplyOptions(book)
			st.replySel.ClearSelected()
			st.replyText.SetText("")
			st.replyText.Disable()
			st.replySave.Disable()
			st.replyRemove.Hide()
			st.replyState.SetText(name + " är borttaget.")
		})
	})
}
