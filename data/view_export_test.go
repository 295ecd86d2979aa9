package data

// SetInboxProbe sets how many cases InboxPage walks before it turns to the
// search index, and returns a func that puts it back.
func SetInboxProbe(n int) func() {
	old := inboxProbe
	inboxProbe = n
	return func() { inboxProbe = old }
}

// SetClosedCountCap sets the closed view's count cap (app.ClosedCountCap)
// and returns a func that puts it back.
func SetClosedCountCap(n int) func() {
	old := closedCountCap
	closedCountCap = n
	return func() { closedCountCap = old }
}

// SetInboxFew sets how many matching open cases InboxPage reads by id
// before it walks instead, and returns a func that puts it back.
func SetInboxFew(n int) func() {
	old := inboxFew
	inboxFew = n
	return func() { inboxFew = old }
}

// SetClosedSearchCountCap sets the closed view's count cap while searching
// (app.ClosedSearchCountCap) and returns a func that puts it back.
func SetClosedSearchCountCap(n int) func() {
	old := closedSearchCap
	closedSearchCap = n
	return func() { closedSearchCap = old }
}
