package ui

import (
	"os"
	"testing"

	"arendestod/app/secrets"
)

// TestMain keeps the access log's keys of the tests' databases in a
// temporary key file, never in the keyring or the user's folders.
func TestMain(m *testing.M) { os.Exit(secrets.RunIsolated(m.Run)) }
