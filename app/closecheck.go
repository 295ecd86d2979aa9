package app

// NoAnswerMarkedSent reports whether closing c ("Besvarat och avslutat")
// would close a case in which no answer was marked as sent: a type that
// closes with an answer, and no standard reply marked as sent in its
// history evs. Closing asks first and warns of it; it does not refuse (the
// answer may have been written in 1177 by hand).
func NoAnswerMarkedSent(c *Case, evs []Event) bool {
	if c == nil || c.TypeInfo().ClosesWithoutReply() {
		return false
	}
	for _, e := range evs {
		if e.Kind == EventReplySent {
			return false
		}
	}
	return true
}
