package pdf

import (
	"image"

	"arendestod/app"
)

// Renderer is the intyg's renderer for app.IntygService: it checks an
// intyg and writes its three documents with RenderAll.
type Renderer struct {
	Options Options
}

var _ app.IntygRenderer = Renderer{}

// CheckIntyg refuses, without rendering, an intyg that Render would refuse:
// invalid, for a child of 12 or more, or with a character the embedded
// font cannot print.
func (r Renderer) CheckIntyg(in *app.Intyg) error {
	_, err := prepare(in)
	return err
}

// WriteIntyg writes original.pdf, kopia.pdf and foljebrev.pdf of in into
// dir; see RenderAll.
func (r Renderer) WriteIntyg(dir string, in *app.Intyg) error {
	return RenderAll(dir, in, r.Options)
}

// PreviewIntyg draws the pages of document doc (app.IntygOriginalFile,
// app.IntygKopiaFile or app.IntygFoljebrevFile) at dpi; see Pages.
func (r Renderer) PreviewIntyg(in *app.Intyg, doc string, dpi float64) ([]image.Image, error) {
	for _, k := range Kinds() {
		if k.FileName() == doc {
			return Pages(k, in, dpi)
		}
	}
	return nil, app.Errorf(app.EINTERNAL, "okänt dokument %q", doc)
}

// PreviewLetters draws the följebrev's pages grouped by letter, one group
// per postal address; see LetterPages.
func (r Renderer) PreviewLetters(in *app.Intyg, dpi float64) ([][]image.Image, error) {
	return LetterPages(in, dpi)
}
