// Package assets holds the files embedded in the binary: the icon, fonts
// and the default texts of the standard replies.
package assets

import _ "embed"

// Icon is the application icon (512×512 PNG).
//
//go:embed icon.png
var Icon []byte
