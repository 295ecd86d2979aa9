package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The inbox's list: one row per case, read a page at a time, with its
// columns, and the counters above it.

// inboxRow is one row's widgets.
type inboxRow struct {
	typ, ref, unit, in, due, flag, status, assignee *widget.Label
	flagIcon                                        *widget.Icon
	// newMark tints the row of a case new to the person working
	// (inboxScreen.seen); the type is bold too, so colour is not alone.
	newMark *canvas.Rectangle
	isNew   bool
}

func newInboxRow() (*inboxRow, fyne.CanvasObject) {
	r := &inboxRow{}
	// Free text gets an ellipsis when it does not fit. The columns of
	// dates, flags and statuses are wide enough for every value they take,
	// and go without: truncating means shaping the text on each refresh,
	// the largest cost of a keystroke at 100,000 cases.
	for _, l := range []**widget.Label{&r.typ, &r.ref, &r.unit, &r.assignee} {
		*l = widget.NewLabel("")
		(*l).Truncation = fyne.TextTruncateEllipsis
	}
	for _, l := range []**widget.Label{&r.in, &r.due, &r.flag, &r.status} {
		*l = widget.NewLabel("")
	}
	r.flagIcon = widget.NewIcon(nil)
	flag := container.NewBorder(nil, nil, r.flagIcon, nil, r.flag)
	r.newMark = canvas.NewRectangle(color.Transparent)
	r.newMark.CornerRadius = theme.InputRadiusSize()
	obj := container.NewStack(r.newMark,
		container.New(&columnsLayout{}, r.typ, r.ref, r.unit, r.in, r.due, flag, r.status, r.assignee))
	return r, obj
}

func (r *inboxRow) show(c *app.Case, now time.Time, name func(string) string) {
	r.showAt(c, now, name, nil, 0)
}

// showAt shows c with its flag by FlagAt: "Ingen åtgärd på N dagar" by
// cal and staleDays (none when cal is nil).
func (r *inboxRow) showAt(c *app.Case, now time.Time, name func(string) string, cal *app.Calendar, staleDays int) {
	flag := c.Flag(now)
	if cal != nil {
		flag = c.FlagAt(now, cal, staleDays)
	}
	setText(r.typ, app.TypeName(c.Type))
	ref := c.Reference
	if ref == "" {
		ref = "–"
	}
	setText(r.ref, ref)
	setText(r.unit, c.Unit)
	today := app.DateOf(now)
	at := c.ReceivedAt.In(app.Stockholm)
	setText(r.in, dateSv(app.DateOf(at), today)+" "+at.Format("15:04"))
	setText(r.due, dateSv(c.ShownDue(), today))
	setText(r.status, c.Status.Swedish())
	if c.Assignee == "" {
		setText(r.assignee, "–")
	} else {
		setText(r.assignee, name(c.Assignee))
	}
	late := ""
	if (flag == app.FlagAnswered || flag == app.FlagClosed) && cal != nil {
		late = app.LateLabel(c.FeedbackLateDays(cal))
	}
	switch {
	case flag == app.FlagStale:
		setText(r.flag, app.StaleLabel(staleDays))
	case late != "":
		setText(r.flag, late)
	default:
		setText(r.flag, flag.Swedish())
	}
	imp, style := widget.MediumImportance, fyne.TextStyle{}
	var icon fyne.Resource
	switch flag {
	case app.FlagOverdue:
		imp, style = widget.DangerImportance, fyne.TextStyle{Bold: true}
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	case app.FlagDueToday:
		imp, style = widget.WarningImportance, fyne.TextStyle{Bold: true}
		icon = theme.NewWarningThemedResource(theme.WarningIcon())
	case app.FlagCitizenAnswered:
		style = fyne.TextStyle{Bold: true}
		icon = theme.MailReplyIcon()
	case app.FlagStale:
		imp = widget.WarningImportance
		icon = theme.NewWarningThemedResource(theme.HistoryIcon())
	case app.FlagAnswered:
		icon = theme.ConfirmIcon()
	case app.FlagClosed:
		imp = widget.MediumImportance
		icon = theme.CheckButtonCheckedIcon()
	default:
		icon = theme.HistoryIcon()
	}
	if c.Broken != "" {
		// Shown, not hidden: the case view says why (app.Case.Broken).
		setText(r.flag, "Trasig rad")
		if c.ReceivedAt.IsZero() {
			setText(r.in, "–")
		}
		if c.DueDate.IsZero() {
			setText(r.due, "–")
		}
		imp, style = widget.DangerImportance, fyne.TextStyle{Bold: true}
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	} else if late != "" {
		imp = widget.WarningImportance // it was late, in words and colour
	}
	r.flagIcon.SetResource(icon)
	for _, l := range []*widget.Label{r.flag, r.due} {
		if l.Importance != imp || l.TextStyle != style {
			l.Importance, l.TextStyle = imp, style
			l.Refresh()
		}
	}
	r.showNew(r.isNew)
}

// showNew highlights the row of a case new to the person working: a
// tinted background and the type in bold.
func (r *inboxRow) showNew(isNew bool) {
	r.isNew = isNew
	fill := color.Color(color.Transparent)
	if isNew {
		// The primary colour, faint: not the selection's colour.
		r, g, b, _ := theme.Color(theme.ColorNamePrimary).RGBA()
		fill = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x38}
	}
	if r.newMark.FillColor != fill {
		r.newMark.FillColor = fill
		r.newMark.Refresh()
	}
	style := fyne.TextStyle{Bold: isNew}
	if r.typ.TextStyle != style {
		r.typ.TextStyle = style
		r.typ.Refresh()
	}
}

func (r *inboxRow) showLoading() {
	r.typ.SetText("Hämtar fler ärenden …")
	for _, l := range []*widget.Label{r.ref, r.unit, r.in, r.due, r.flag, r.status, r.assignee} {
		l.SetText("")
	}
	r.flagIcon.SetResource(nil)
	r.showNew(false)
}

// inboxList is the virtualized list of cases. It adds Enter (open), Esc
// (back) and arrow keys that select without opening.
type inboxList struct {
	widget.List
	in *inboxScreen
}

func newInboxList(in *inboxScreen) *inboxList {
	l := &inboxList{in: in}
	rows := map[fyne.CanvasObject]*inboxRow{}
	l.Length = func() int {
		if in.more {
			return len(in.rows) + 1
		}
		return len(in.rows)
	}
	l.CreateItem = func() fyne.CanvasObject {
		r, obj := newInboxRow()
		rows[obj] = r
		return obj
	}
	l.UpdateItem = func(id widget.ListItemID, obj fyne.CanvasObject) {
		r := rows[obj]
		if id >= len(in.rows) {
			r.showLoading()
			in.loadMore()
			return
		}
		r.isNew = in.seen.IsNew(in.rows[id])
		r.showAt(in.rows[id], in.u.s.Now(), in.u.staffName, in.u.s.Store.Calendar(), in.u.staleDays)
	}
	l.OnSelected = in.onRowSelected
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey handles Enter, Esc and the arrows.
func (l *inboxList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.in.openSelected()
	case fyne.KeyEscape:
		l.in.u.onEscape()
	case fyne.KeyDown:
		l.in.selectRow(l.in.cursor + 1)
		l.ScrollTo(l.in.cursor)
	case fyne.KeyUp:
		if l.in.cursor > 0 {
			l.in.selectRow(l.in.cursor - 1)
			l.ScrollTo(l.in.cursor)
		}
	default:
		l.List.TypedKey(e)
	}
}

// columnsLayout lays out the inbox's columns: the first takes what the
// others leave. In a narrow window (a laptop's 1024 pixels) the others
// give up width, down to what their contents need (inboxColumnMin),
// before the first, the case type, is cut.
type columnsLayout struct{}

const (
	columnsFirstMin  = 170 // the first column's least width
	columnsFirstWant = 300 // what it gets before the others give up any
)

// inboxColumnMin is the narrowest a column gets, by title: its longest
// usual content ("ons 18/11 08:50", "BUP Trollhättan"). A column not
// named gives up a fifth of its width.
var inboxColumnMin = map[string]float32{
	"Ärendenummer": 122,
	"Mottagning":   125,
	"Inkom":        115,
	"Svar senast":  95,
	"Läge":         130,
	"Status":       90,
	"Handläggare":  100,
}

// fixed is the columns after the first: their widths and minimums, and
// the padding between all columns.
func (columnsLayout) fixed() (cols []column, pad float32) {
	for _, c := range inboxColumns[1:] {
		lo, ok := inboxColumnMin[c.title]
		if !ok {
			lo = c.width * 0.8
		}
		cols = append(cols, column{width: c.width, min: min(lo, c.width)})
	}
	return cols, theme.Padding() * float32(len(inboxColumns)-1)
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	cols, pad := l.fixed()
	w := columnsFirstMin + pad
	for _, c := range cols {
		w += c.min
	}
	return fyne.NewSize(w, h)
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	cols, pad := l.fixed()
	var sumW, sumMin float32
	for _, c := range cols {
		sumW, sumMin = sumW+c.width, sumMin+c.min
	}
	// k: how much of what the other columns have above their minimum
	// they keep, so the first gets what it wants if it can.
	k := float32(1)
	if room := size.Width - pad - columnsFirstWant; room < sumW {
		k = 0
		if sumW > sumMin && room > sumMin {
			k = (room - sumMin) / (sumW - sumMin)
		}
	}
	widths := make([]float32, len(cols))
	used := pad
	for i, c := range cols {
		widths[i] = float32(int(c.min + (c.width-c.min)*k))
		used += widths[i]
	}
	first := max(size.Width-used, 100)
	x := float32(0)
	for i, o := range objs {
		w := first
		if i > 0 && i-1 < len(widths) {
			w = widths[i-1]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + theme.Padding()
	}
}

// counterTile is one of the counters on top: a big number with a caption,
// tappable to show those cases. Colour never carries the meaning alone:
// the caption says it, and an icon marks overdue and due today.
type counterTile struct {
	btn     *widget.Button
	num     *widget.Label
	caption *widget.Label
	value   int
	obj     fyne.CanvasObject
}

func newCounterTile(caption string, icon fyne.Resource, tapped func()) *counterTile {
	t := &counterTile{}
	t.btn = widget.NewButton("", tapped)
	t.num = heading("–")
	t.caption = widget.NewLabel(caption)
	row := []fyne.CanvasObject{layout.NewSpacer()}
	if icon != nil {
		row = append(row, widget.NewIcon(icon))
	}
	row = append(row, t.num, container.NewCenter(t.caption), layout.NewSpacer())
	t.obj = container.NewStack(t.btn, container.NewHBox(row...))
	return t
}

func (t *counterTile) set(n int, imp widget.Importance) {
	t.value = n
	t.num.Text = itoa(n)
	t.num.Importance = imp
	t.num.Refresh()
}
