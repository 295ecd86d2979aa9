package notice

// The tests, the fuzz test above all, must see every panic rather than a
// quarantined message.
func init() { catchPanics = false }
