package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// inbox is the list of open cases, most urgent first.
type inbox struct {
	ctx    context.Context
	s      Services
	cases  []*app.Case
	list   *widget.List
	status *widget.Label
}

func newInbox(ctx context.Context, s Services) *inbox {
	return &inbox{ctx: ctx, s: s}
}

func (in *inbox) build() fyne.CanvasObject {
	in.status = widget.NewLabel("Läser ärenden …")
	in.list = widget.NewList(
		func() int { return len(in.cases) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := in.cases[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  %-18s  %s  %s", c.DueDate.ShortSv(), c.Flag(in.s.Now()).Swedish(),
				app.TypeName(c.Type), c.Unit))
		})
	return container.NewBorder(nil, in.status, nil, nil, in.list)
}

// refresh reads the open cases off the UI goroutine.
func (in *inbox) refresh() {
	go func() {
		cases, total, err := in.s.Store.Cases(in.ctx, app.CaseFilter{View: app.ViewOpen, Limit: 500})
		fyne.Do(func() {
			if err != nil {
				in.status.SetText(app.ErrorMessage(err))
				return
			}
			in.cases = cases
			in.list.Refresh()
			in.status.SetText(fmt.Sprintf("%d öppna ärenden", total))
		})
	}()
}
