package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"arendestod/ui/locale"
)

// The file dialogs in Swedish: Fyne's translation corrected where it is
// wrong (ui/locale/fyne.sv.json), and the places Fyne names in English
// whatever the language ("Home", "Computer") named in Swedish.

var swedishOnce sync.Once

// addSwedish adds our corrections to Fyne's Swedish, once.
func addSwedish() {
	swedishOnce.Do(func() {
		if err := lang.AddTranslationsForLocale(locale.FyneSwedish, fyne.Locale("sv")); err != nil {
			fyne.LogError("svenska översättningar", err) // embedded: a build fault
		}
	})
}

// placeNames are the file dialog's places in Swedish.
var placeNames = map[string]string{
	"Home": "Hem", "App Files": "Programmets filer", "Computer": "Datorn", "Desktop": "Skrivbord",
	"Documents": "Dokument", "Downloads": "Hämtade filer", "Music": "Musik", "Pictures": "Bilder",
	"Videos": "Videor", "Movies": "Filmer",
}

// swedishFileDialog names the places in the file dialog just shown on
// win in Swedish.
func swedishFileDialog(win fyne.Window) {
	top := win.Canvas().Overlays().Top()
	if top == nil {
		return
	}
	for _, l := range findLists(top) {
		update := l.UpdateItem
		if update == nil {
			continue
		}
		l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
			update(id, o)
			for _, lbl := range findLabels(o) {
				if sv, ok := placeNames[lbl.Text]; ok {
					lbl.SetText(sv)
				}
			}
		}
		l.Refresh()
	}
}

// findLists returns the lists in o, looking through containers and the
// widgets that show their content openly (pop-up, split, scroll).
func findLists(o fyne.CanvasObject) []*widget.List {
	switch o := o.(type) {
	case *widget.List:
		return []*widget.List{o}
	case *widget.PopUp:
		return findLists(o.Content)
	case *container.Split:
		return append(findLists(o.Leading), findLists(o.Trailing)...)
	case *container.Scroll:
		return findLists(o.Content)
	case *fyne.Container:
		var out []*widget.List
		for _, c := range o.Objects {
			out = append(out, findLists(c)...)
		}
		return out
	}
	return nil
}

// findLabels returns the labels in a list row.
func findLabels(o fyne.CanvasObject) []*widget.Label {
	switch o := o.(type) {
	case *widget.Label:
		return []*widget.Label{o}
	case *fyne.Container:
		var out []*widget.Label
		for _, c := range o.Objects {
			out = append(out, findLabels(c)...)
		}
		return out
	}
	return nil
}
