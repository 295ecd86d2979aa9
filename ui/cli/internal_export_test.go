package cli

// IsServerDB is isServerDB for the external tests.
var IsServerDB = isServerDB
