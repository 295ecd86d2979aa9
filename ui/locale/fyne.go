package locale

import _ "embed"

// FyneSwedish corrects Fyne's own Swedish (fyne.io/fyne/v2/lang), for
// ui to add over Fyne's with lang.AddTranslationsForLocale: the file
// dialog's title is "Spara fil", not "Spara Fil" (Fyne joins the verb and
// the noun), and its parent folder "(Upp)", not "(Överordnad)", which
// breaks in two under the folder icon. (This package imports nothing of
// Fyne: it must run before Fyne reads the locale.)
//
//go:embed fyne.sv.json
var FyneSwedish []byte
