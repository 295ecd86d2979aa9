package ui

import "context"

// markSeen records that the person working opened case id: its row is no
// longer highlighted as new, here at once and on their other desks from
// the next reading of the list.
func (u *UI) markSeen(id int64) {
	me := u.actor()
	if me == "" {
		return
	}
	if u.inbox != nil {
		u.inbox.seen.Mark(id)
	}
	u.background(func(ctx context.Context) {
		if err := u.s.Store.MarkSeen(ctx, me, id); err != nil {
			u.showError(err)
		}
	})
}
