package ui

import (
	"io"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"arendestod/app/files"
)

// chosenFile is the file a save dialog chose, written through the
// product's one atomic writer. Fyne's save dialog hands over a writer on
// a file it has already created (empty, or emptied when the name
// existed). A file on disk (URI scheme "file") is therefore written again
// to its path through files.Stage and put in place by finish, only when
// everything else the action does (its audit row) has succeeded; a failed
// action leaves neither a half-written file nor the empty one the dialog
// made. Any other URI is written through the dialog's writer as it is.
type chosenFile struct {
	wc     fyne.URIWriteCloser
	path   string // "" when wc is not a file on disk
	staged *files.Staged
}

func openChosen(wc fyne.URIWriteCloser) *chosenFile {
	c := &chosenFile{wc: wc}
	if u := wc.URI(); u != nil && u.Scheme() == "file" {
		c.path = u.Path()
	}
	return c
}

// write writes the file's content through write: into a temporary file
// beside the path, or into the dialog's writer.
func (c *chosenFile) write(write func(io.Writer) error) error {
	if c.path == "" {
		return write(c.wc)
	}
	c.staged.Discard() // a second write replaces the first
	s, err := files.Stage(c.path, write)
	c.staged = s
	return err
}

// finish ends the save with the action's outcome err: when err is nil the
// file is put in place (and the dialog's writer closed); otherwise the
// temporary file, and the empty file the dialog made, are removed. It
// returns err, or the error of putting the file in place.
func (c *chosenFile) finish(err error) error {
	cerr := c.wc.Close()
	if c.path == "" {
		if err == nil {
			err = cerr
		}
		return err
	}
	if err == nil {
		if err = c.staged.Commit(); err == nil {
			return nil
		}
	}
	c.staged.Discard()
	if fi, serr := os.Stat(c.path); serr == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		os.Remove(c.path) // the dialog's empty file: nothing was saved
	}
	return err
}

// askSave asks where to save a file, suggesting name, and hands the file
// chosen to save; a failure of the dialog goes to fail, a cancel does
// nothing.
func askSave(win fyne.Window, name string, fail func(error), save func(fyne.URIWriteCloser)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			fail(err)
			return
		}
		if wc != nil {
			save(wc)
		}
	}, win)
	d.SetFileName(name)
	d.Show()
	swedishFileDialog(win)
}

// saveChosen writes the file the save dialog chose through write and
// puts it in place.
func saveChosen(wc fyne.URIWriteCloser, write func(io.Writer) error) error {
	c := openChosen(wc)
	return c.finish(c.write(write))
}
