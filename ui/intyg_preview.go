package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Page 3 of the intyg flow: the pages as they will print, to read through
// before the intyg is issued. They are drawn in-process by the renderer
// (app.IntygService.Preview: package pdf draws the same layout it writes
// into the PDF, with the same fonts), so the preview needs no PDF viewer
// and looks the same on Windows as here.

// The documents the preview can show, in the order of the PDFs.
var previewDocs = []struct{ label, file string }{
	{"Original till Försäkringskassan", app.IntygOriginalFile},
	{"Kopia till vårdnadshavare", app.IntygKopiaFile},
	{"Följebrev", app.IntygFoljebrevFile},
}

// Size of a previewed page on screen, in Fyne units (A4's proportions),
// and the resolution it is drawn at: sharper than the screen needs, so
// that it stays crisp when scaled on a high-density display.
const (
	previewPageW = 620
	previewPageH = previewPageW * 297 / 210
	previewDPI   = 110
)

func (f *intygFlow) buildPreview() fyne.CanvasObject {
	var labels []string
	for _, d := range previewDocs {
		labels = append(labels, d.label)
	}
	f.previewDoc = widget.NewRadioGroup(labels, func(string) { f.renderPreview() })
	f.previewDoc.Horizontal = true
	f.previewDoc.Required = true
	f.previewDoc.Selected = labels[0]
	f.previewNote = wrapLabel("")
	f.previewNote.Importance = widget.HighImportance
	f.previewNote.Hide()
	f.preview = container.NewVBox()
	return card("Förhandsgranska", "Så här skrivs intyget ut. Läs igenom det; stämmer något inte, gå tillbaka och rätta det.",
		container.NewVBox(f.previewDoc, f.previewNote, f.preview))
}

// previewFile is the document chosen.
func (f *intygFlow) previewFile() string {
	for _, d := range previewDocs {
		if d.label == f.previewDoc.Selected {
			return d.file
		}
	}
	return app.IntygOriginalFile
}

// renderPreview draws the chosen document of what the form holds, off the
// UI goroutine; a drawing asked for later wins over an earlier one.
func (f *intygFlow) renderPreview() {
	f.previewSeq++
	seq := f.previewSeq
	in := f.current()
	if note := in.LettersNote(); note != "" {
		f.previewNote.SetText(note)
		f.previewNote.Show()
	} else {
		f.previewNote.Hide()
	}
	n, err := in.Normalized()
	if err != nil {
		f.showPreview(wrapLabel("Intyget är inte färdigt: gå tillbaka och rätta det som är markerat."))
		return
	}
	f.showPreview(widget.NewLabel("Ritar sidorna …"))
	doc := f.previewFile()
	f.u.background(func(ctx context.Context) {
		// The följebrev is drawn letter by letter: one per postal address.
		var pages []image.Image
		var letters [][]image.Image
		var err error
		if doc == app.IntygFoljebrevFile {
			letters, err = f.svc.PreviewLetters(in, previewDPI)
		} else {
			pages, err = f.svc.Preview(in, doc, previewDPI)
		}
		fyne.Do(func() {
			if seq != f.previewSeq {
				return
			}
			if err != nil {
				f.showPreview(wrapLabel("Sidorna kunde inte ritas: " + app.ErrorMessage(err)))
				return
			}
			if doc == app.IntygFoljebrevFile {
				f.showPreview(previewLetters(letters, n.Letters())...)
				return
			}
			f.showPreview(previewPages(pages)...)
		})
	})
}

// previewLetters lays out the följebrev's letters one under the other:
// with several (guardians at different addresses), each under a heading
// saying which of them it is and to whom it goes.
func previewLetters(letters [][]image.Image, to []app.LetterAddressees) []fyne.CanvasObject {
	if len(letters) == 1 {
		return previewPages(letters[0])
	}
	var out []fyne.CanvasObject
	for i, pages := range letters {
		head := fmt.Sprintf("Brev %d av %d", i+1, len(letters))
		if i < len(to) {
			head += ": till " + strings.Join(to[i].Names, " och ")
			if a := to[i].Address.String(); a != "" {
				head += ", " + a
			}
		}
		l := widget.NewLabel(head)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
		out = append(out, previewPages(pages)...)
	}
	return out
}

func (f *intygFlow) showPreview(objs ...fyne.CanvasObject) {
	f.preview.Objects = objs
	f.preview.Refresh()
}

// previewDesk is the grey the pages lie on.
var previewDesk = color.NRGBA{R: 0x9a, G: 0xa0, B: 0xa8, A: 0xff}

// previewPages lays the pages out one under the other, each on a grey
// margin like paper on a desk, numbered when there are several.
func previewPages(pages []image.Image) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for i, p := range pages {
		img := canvas.NewImageFromImage(p)
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScaleSmooth
		img.SetMinSize(fyne.NewSize(previewPageW, previewPageH))
		page := container.NewStack(canvas.NewRectangle(previewDesk), container.NewPadded(img))
		if len(pages) > 1 {
			out = append(out, widget.NewLabel(fmt.Sprintf("Sida %d av %d", i+1, len(pages))))
		}
		out = append(out, container.NewCenter(page))
	}
	return out
}
