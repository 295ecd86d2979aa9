package ui

import (
	"image/color"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// clinicTheme is Fyne's theme in its light variant: red and amber flags
// read best on white, and the screens look the same on every desk.
// FYNE_THEME=dark still gives the dark variant to whoever asks for it.
type clinicTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func newClinicTheme() fyne.Theme {
	v := theme.VariantLight
	if os.Getenv("FYNE_THEME") == "dark" {
		v = theme.VariantDark
	}
	return clinicTheme{Theme: theme.DefaultTheme(), variant: v}
}

// Color returns the colour of the chosen variant, whatever the system's.
// In the light variant the outline of an empty checkbox and of fields is
// darker than Fyne's, so an unticked step is plain to see, and red, amber
// and green are dark enough to read as text on white (WCAG AA).
func (t clinicTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if t.variant == theme.VariantLight {
		switch n {
		case theme.ColorNameInputBorder:
			return color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff}
		case theme.ColorNameError: // Försenat: 5.6:1 on white
			return color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
		case theme.ColorNameWarning: // Svar senast idag: 4.9:1 on white
			return color.NRGBA{R: 0xb3, G: 0x5c, B: 0x00, A: 0xff}
		case theme.ColorNameSuccess:
			return color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
		}
	}
	return t.Theme.Color(n, t.variant)
}
