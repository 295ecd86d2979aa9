package data

// SetInboxProbe sets how many cases InboxPage walks before it turns to the
// search index, and returns a func that puts it back.
func SetInboxProbe(n int) func() {
	old := inboxProbe
	inboxProbe = n
	return func() { inboxProbe = old }
}
