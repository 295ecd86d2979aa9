package ui

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Small widgets and texts the screens share.

// card is a widget.Card whose intro wraps (a card's subtitle does not, and
// would set the screen's minimum width).
func card(title, intro string, content fyne.CanvasObject) *widget.Card {
	if intro == "" {
		return widget.NewCard(title, "", content)
	}
	l := wrapLabel(intro)
	l.TextStyle = fyne.TextStyle{Italic: true}
	return widget.NewCard(title, "", container.NewVBox(l, content))
}

func boldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// whenAt is "ons 2/12 14:03" (with the year when not today's year).
func whenAt(t, now time.Time) string {
	t = t.In(app.Stockholm)
	return dateSv(app.DateOf(t), app.DateOf(now)) + " " + t.Format("15:04")
}

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// dateSv is "ons 2/12", with the year when it is not this year's: a case
// overdue since last December must not read as due this December.
func dateSv(d, today app.Date) string {
	if d.Year != today.Year {
		return d.ShortSv() + " " + strconv.Itoa(d.Year)
	}
	return d.ShortSv()
}

// setText changes a label only when its text differs: a label's refresh
// measures (and may shape) its text, and rows often repeat a unit, a
// status or an assignee.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// itoa formats n the Swedish way, with a space between thousands.
func itoa(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// newTextTable is a table of text cells, cut with an ellipsis where they
// do not fit, under a bold header row (no header column): size gives its
// rows and columns, cell the text of a cell, title a column's title.
func newTextTable(size func() (rows, cols int), cell func(row, col int) string, title func(col int) string) *widget.Table {
	t := widget.NewTableWithHeaders(size, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if rows, _ := size(); id.Row < 0 || id.Row >= rows {
			l.SetText("")
			return
		}
		l.SetText(cell(id.Row, id.Col))
	})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject { return boldLabel("") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(title(id.Col))
		}
	}
	return t
}

// copyReply puts a reply's text on the clipboard and says in info that it
// did, and what to do next in 1177.
func (u *UI) copyReply(text string, info *widget.Label, next string) {
	u.app.Clipboard().SetContent(text)
	info.Importance = widget.MediumImportance
	info.SetText("Kopierat. " + next)
	info.Show()
}

// capitalize makes the first letter of s upper case, whatever its length
// in bytes ("är" gives "Är"), as a message on a line of its own reads.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s // empty, or not UTF-8: left as it is
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
