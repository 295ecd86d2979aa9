package ui

import (
	"context"
	"encoding/json"
	"time"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// The intyg's draft: saved as the nurse types, one save at a time, never
// an older snapshot over a newer one.

// scheduleDraft saves the form as a draft when the nurse has stopped
// typing for a moment, off the UI goroutine.
func (f *intygFlow) scheduleDraft() {
	b, err := json.Marshal(f.current())
	if err != nil {
		return
	}
	f.draftMu.Lock()
	f.draftSeq++
	f.pending = b
	if f.debounce <= 0 {
		f.draftMu.Unlock()
		f.flushDraft()
		return
	}
	if f.draftTimer != nil {
		f.draftTimer.Stop()
	}
	f.draftTimer = time.AfterFunc(f.debounce, f.flushDraft)
	f.draftMu.Unlock()
}

// flushDraft saves the waiting snapshot now. Safe from any goroutine.
func (f *intygFlow) flushDraft() {
	f.draftMu.Lock()
	b, seq := f.pending, f.draftSeq
	f.pending = nil
	if f.draftTimer != nil {
		f.draftTimer.Stop()
		f.draftTimer = nil
	}
	f.draftMu.Unlock()
	if b == nil {
		return
	}
	actor := f.actor
	f.u.background(func(ctx context.Context) {
		f.saveMu.Lock()
		defer f.saveMu.Unlock()
		if seq <= f.savedSeq {
			return // a newer snapshot is saved, or the intyg issued
		}
		if err := f.svc.SaveDraft(ctx, f.id, actor, b); err != nil {
			f.u.showError(err)
			return
		}
		f.savedSeq = seq
		at := f.u.s.Now().In(app.Stockholm).Format("15:04:05")
		fyne.Do(func() { f.draftInfo.SetText("Utkastet sparat " + at + ".") })
	})
}

// dropDraft forgets unsaved snapshots up to now: the intyg is issued (or
// the case re-routed) and the store has removed the draft.
func (f *intygFlow) dropDraft() int {
	f.draftMu.Lock()
	defer f.draftMu.Unlock()
	f.pending = nil
	if f.draftTimer != nil {
		f.draftTimer.Stop()
		f.draftTimer = nil
	}
	return f.draftSeq
}
