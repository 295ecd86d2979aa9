package ui

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Page 4 of the intyg flow: issuing the intyg and saving its PDFs, and
// saving an earlier version again, through app.IntygService.

func (f *intygFlow) buildPDF() fyne.CanvasObject {
	f.createBtn = widget.NewButtonWithIcon("Skapa PDF", theme.DocumentCreateIcon(), f.onCreateTapped)
	f.createBtn.Importance = widget.HighImportance
	f.saveBtn = widget.NewButtonWithIcon("Spara PDF:er …", theme.DocumentSaveIcon(), f.onSaveTapped)
	f.openBtn = widget.NewButtonWithIcon("Öppna", theme.FolderOpenIcon(), f.onOpenTapped)
	f.saveBtn.Disable()
	f.openBtn.Disable()
	f.pdfInfo = wrapLabel("")
	f.oldSel = widget.NewSelect(nil, func(string) { f.oldSave.Enable() })
	f.oldSel.PlaceHolder = "Välj en tidigare version …"
	f.oldSave = widget.NewButtonWithIcon("Spara tidigare version …", theme.DocumentSaveIcon(), f.onSaveOldTapped)
	f.oldSave.Disable()
	f.oldBox = container.NewVBox(widget.NewSeparator(),
		wrapLabel("Skriva ut ett tidigare intyg igen: innehållet är detsamma som när det skapades."),
		container.NewBorder(nil, nil, nil, f.oldSave, f.oldSel))
	f.oldBox.Hide()
	return card("PDF", "Skapa PDF:erna: originalet till Försäkringskassan (skrivs ut och signeras), kopian till "+
		"vårdnadshavaren och ett följebrev. Spara dem i en mapp och öppna dem för att skriva ut.",
		container.NewVBox(container.NewHBox(f.createBtn, f.saveBtn, f.openBtn), f.pdfInfo, f.oldBox))
}

// renderPDF shows whether the PDFs are made of what the form holds.
func (f *intygFlow) renderPDF() {
	n := len(f.versions)
	switch {
	case f.issued != nil:
		f.createBtn.SetText("Skapa PDF")
		f.createBtn.Disable()
		f.saveBtn.Enable()
		text := fmt.Sprintf("Intyg version %d skapat %s av %s: original, kopia och följebrev.",
			f.issued.Version, whenAt(f.issued.CreatedAt, f.u.s.Now()), f.u.staffName(f.issued.CreatedBy))
		if note := f.issued.Intyg.LettersNote(); note != "" {
			text += "\n" + note
		}
		if f.savedDir != "" {
			text += "\nSparade i " + f.savedDir + "."
		} else {
			text += "\nSpara dem i en mapp för att skriva ut."
		}
		if n > 1 {
			text += fmt.Sprintf("\nTidigare versioner (1–%d) finns sparade med ärendet.", n-1)
		}
		f.pdfInfo.SetText(text)
	case n > 0:
		f.createBtn.SetText(fmt.Sprintf("Skapa rättad version (version %d)", n+1))
		f.createBtn.Enable()
		f.saveBtn.Disable()
		f.pdfInfo.SetText(fmt.Sprintf("Intyget är ändrat sedan version %d. En rättelse blir en ny version; den gamla sparas.", n))
	default:
		f.createBtn.SetText("Skapa PDF")
		f.createBtn.Enable()
		f.saveBtn.Disable()
		f.pdfInfo.SetText("Inga PDF:er skapade än.")
	}
	if f.savedDir != "" && f.issued != nil {
		f.openBtn.Enable()
	} else {
		f.openBtn.Disable()
	}
	f.renderOldVersions()
	if f.page == intygPagePDF {
		f.renderNav()
	}
}

// renderOldVersions offers every stored version but the current one for
// printing again.
func (f *intygFlow) renderOldVersions() {
	f.oldKeys = map[string]int{}
	var opts []string
	for i := len(f.versions) - 1; i >= 0; i-- {
		v := f.versions[i]
		if f.issued != nil && f.issued.Version == v.Version {
			continue
		}
		o := fmt.Sprintf("Version %d, skapad %s av %s", v.Version, whenAt(v.CreatedAt, f.u.s.Now()), f.u.staffName(v.CreatedBy))
		f.oldKeys[o] = v.Version
		opts = append(opts, o)
	}
	f.oldSel.Options = opts
	f.oldSel.ClearSelected()
	f.oldSave.Disable()
	if len(opts) == 0 {
		f.oldBox.Hide()
	} else {
		f.oldBox.Show()
	}
}

func (f *intygFlow) onSaveOldTapped() {
	version, ok := f.oldKeys[f.oldSel.Selected]
	if !ok {
		return
	}
	f.chooseFolder(func(dir string) { f.saveVersion(dir, version) })
}

// chooseFolder asks where to save the PDFs and calls save with the folder
// chosen; nothing when the nurse cancels.
func (f *intygFlow) chooseFolder(save func(dir string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			f.u.showError(err)
			return
		}
		if dir != nil {
			save(dir.Path())
		}
	}, f.u.win)
	d.SetConfirmText("Spara här")
	d.SetTitleText("Välj mapp att spara intyget i") // not Fyne's "Spara här Mapp"
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
	swedishFileDialog(f.u.win)
}

// saveVersion writes a stored version's documents again, read from the
// store so that the content is what was issued, and logs the print.
func (f *intygFlow) saveVersion(dir string, version int) {
	actor := f.actor
	f.oldSave.Disable()
	f.u.background(func(ctx context.Context) {
		defer fyne.Do(func() { f.oldSave.Enable() })
		out, err := f.svc.Save(ctx, f.id, version, dir, actor)
		if err != nil {
			f.u.showError(err)
			return
		}
		fyne.Do(func() { f.pdfInfo.SetText(fmt.Sprintf("Version %d sparad i %s.", version, out)) })
	})
}

// onCreateTapped issues the intyg: checked (the font can print it), a new
// version stored with the case and written to the access log. The PDFs
// are written when they are saved.
func (f *intygFlow) onCreateTapped() {
	in := f.current()
	if err := in.Validate(); err != nil {
		f.showAll = true
		f.validate()
		f.goTo(intygPageForm)
		f.message.SetText("Rätta det som är markerat i rött.")
		return
	}
	f.createBtn.Disable()
	f.pdfInfo.SetText("Skapar PDF:erna …")
	seq := f.dropDraft()
	actor := f.actor
	f.u.background(func(ctx context.Context) {
		f.saveMu.Lock()
		issued, versions, err := f.svc.Issue(ctx, f.id, actor, in)
		if err == nil {
			f.savedSeq = max(f.savedSeq, seq) // older snapshots must not bring the draft back
		}
		f.saveMu.Unlock()
		if err != nil {
			f.failCreate(err)
			return
		}
		c, err := f.u.s.Store.Case(ctx, f.id)
		if err != nil {
			f.failCreate(err)
			return
		}
		fyne.Do(func() {
			f.versions, f.issued, f.savedDir, f.c = versions, issued, "", c
			f.draftInfo.SetText("")
			f.renderCase()
			f.renderPDF()
		})
		f.u.refreshHeader()
	})
}

func (f *intygFlow) failCreate(err error) {
	f.u.showError(err)
	fyne.Do(func() { f.renderPDF() })
}

func (f *intygFlow) onSaveTapped() { f.chooseFolder(f.saveTo) }

// saveTo writes original.pdf, kopia.pdf and foljebrev.pdf of the issued
// version into a folder of their own in dir (app.IntygDirName), and writes
// the access log.
func (f *intygFlow) saveTo(dir string) {
	if f.issued == nil {
		return
	}
	v, actor := *f.issued, f.actor
	f.saveBtn.Disable()
	f.u.background(func(ctx context.Context) {
		defer fyne.Do(func() { f.renderPDF() })
		out, err := f.svc.Save(ctx, v.CaseID, v.Version, dir, actor)
		if err != nil {
			f.u.showError(err)
			return
		}
		fyne.Do(func() {
			if f.issued != nil && f.issued.Version == v.Version {
				f.savedDir = out
			}
		})
	})
}

// onOpenTapped opens the saved original in the system's PDF viewer, to
// print and sign; the copy and letter are beside it.
func (f *intygFlow) onOpenTapped() {
	if f.savedDir == "" {
		return
	}
	p := filepath.Join(f.savedDir, app.IntygOriginalFile)
	if err := f.u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}); err != nil {
		f.u.showError(app.Errorf(app.EINTERNAL, "Kunde inte öppna %s: %v", p, err))
	}
}
