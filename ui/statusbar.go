package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// statusBar is the line at the bottom: the intake's state, when the last
// notice came and what it was, a progress bar during catch-up, and "Synka
// nu" with what it found (syncnote.go).
type statusBar struct {
	u        *UI
	icon     *widget.Icon
	state    *widget.Label
	notice   *widget.Label // "Senaste notis 10:41: nytt ärende, Förnya recept"
	synced   *widget.Label // "Synkat 10:42 – 3 nya ärenden"
	progress *widget.ProgressBar
	sync     *widget.Button

	lastState app.IntakeState
	lastErr   string
	// pendingErr is an error reported before the bar was built (at start,
	// before anyone has logged in): shown when it is.
	pendingErr error
}

func newStatusBar(u *UI) *statusBar { return &statusBar{u: u} }

func (sb *statusBar) build() fyne.CanvasObject {
	sb.icon = widget.NewIcon(theme.MailComposeIcon())
	sb.state = widget.NewLabel("E-postintaget är inte igång i det här fönstret.")
	if sb.u.s.Intake != nil {
		sb.state.SetText("E-postintaget är igång. Nya ärenden visas direkt när notisen kommer.")
	}
	sb.state.Truncation = fyne.TextTruncateEllipsis
	sb.progress = widget.NewProgressBar()
	sb.progress.Hide()
	sb.sync = widget.NewButtonWithIcon("Synka nu", theme.ViewRefreshIcon(), sb.onSyncTapped)
	if sb.u.s.Intake == nil {
		sb.sync.Hide()
	}
	sb.notice = widget.NewLabel(sb.u.noticeText())
	if sb.u.s.Intake == nil {
		sb.notice.Hide() // no intake, no notices
	}
	sb.synced = widget.NewLabel("")
	sb.synced.TextStyle = fyne.TextStyle{Italic: true}
	right := container.NewHBox(sb.notice, container.NewGridWrap(fyne.NewSize(260, sb.progress.MinSize().Height), sb.progress),
		sb.synced, sb.sync)
	sb.setState(sb.lastState, sb.pendingErr)
	return container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, sb.icon, right, sb.state))
}

func (sb *statusBar) onSyncTapped() {
	if sb.u.s.Intake == nil {
		return
	}
	sb.u.beginSync()
	sb.u.s.Intake.SyncNow()
}

// setState shows the intake's state. An error is shown with its reason,
// once: the same error again changes nothing.
func (sb *statusBar) setState(st app.IntakeState, err error) {
	sb.lastState = st
	if sb.state == nil {
		sb.pendingErr = err
		return
	}
	if err != nil {
		// Shown once: a retrying intake reports the same reason again.
		msg := app.IntakeErrorReason(err)
		if msg == sb.lastErr {
			return
		}
		sb.lastErr = msg
		sb.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		sb.state.Importance = widget.DangerImportance
		sb.state.SetText(st.Text(err))
		return
	}
	if st == "" {
		return
	}
	sb.lastErr = ""
	sb.state.Importance = widget.MediumImportance
	switch st {
	case app.IntakeError:
		sb.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		sb.state.Importance = widget.WarningImportance
	case app.IntakeWatching:
		sb.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	default:
		sb.icon.SetResource(theme.MailComposeIcon())
	}
	sb.state.SetText(st.Text(nil))
}

// setProgress shows "Hämtar notiser 120 av 2 000" with a bar while a
// catch-up runs.
func (sb *statusBar) setProgress(done, total int) {
	if sb.progress == nil {
		return
	}
	if total <= 0 || done >= total {
		sb.progress.Hide()
		if sb.lastErr == "" {
			sb.setState(sb.lastState, nil)
		}
		return
	}
	sb.progress.Max = float64(total)
	sb.progress.SetValue(float64(done))
	sb.progress.Show()
	if sb.lastErr == "" {
		sb.state.Importance = widget.MediumImportance
		sb.state.SetText("Hämtar notiser från 1177: " + itoa(done) + " av " + itoa(total))
	}
}
