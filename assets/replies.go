package assets

import "embed"

// Replies holds the default texts of the standard replies (standardsvar),
// one file per reply: replies/<key>.txt. Staff may override each text in
// the settings; these are what "Återställ standardtext" goes back to.
//
//go:embed replies/*.txt
var Replies embed.FS
