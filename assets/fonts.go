package assets

import (
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// The fonts of printed documents (the intyg PDFs): the Go fonts, TrueType,
// BSD-licensed like Go itself (golang.org/x/image/font/gofont). They cover
// WGL4, so å ä ö, é, – and the other characters of Swedish text. They come
// from a module the build already has (Fyne needs golang.org/x/image), so
// nothing is copied into the repository.
var (
	FontRegular = goregular.TTF
	FontBold    = gobold.TTF
)
