package ui

import (
	"context"
	"encoding/json"

	"fyne.io/fyne/v2"

	"arendestod/app"
)

// The intyg's draft: saved as the nurse types, one save at a time, never
// an older snapshot over a newer one.

// scheduleDraft saves the form as a draft when the nurse has stopped
// typing for a moment, off the UI goroutine. Call it on the UI goroutine.
func (f *intygFlow) scheduleDraft() {
	b, err := json.Marshal(f.current())
	if err != nil {
		return
	}
	f.draftMu.Lock()
	f.draftSeq++
	f.pending = b
	f.draftMu.Unlock()
	f.debounce.call(f.flushDraft)
}

// flushDraft saves the waiting snapshot now. Call it on the UI goroutine.
func (f *intygFlow) flushDraft() {
	f.debounce.stop()
	f.draftMu.Lock()
	b, seq := f.pending, f.draftSeq
	f.pending = nil
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
	f.debounce.stop()
	f.draftMu.Lock()
	defer f.draftMu.Unlock()
	f.pending = nil
	return f.draftSeq
}
