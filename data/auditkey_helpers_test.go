package data_test

import (
	"os"
	"path/filepath"

	"arendestod/app/secrets"
)

// testAuditKeyFile points the key store at a key file of the test run's
// own (ARENDESTOD_AUDIT_KEY_FILE), made with a new key at the first
// Open: every test database, and the helper processes the tests start,
// share it, and no test touches this computer's keyring. It returns how
// to remove it.
func testAuditKeyFile() (cleanup func()) {
	if os.Getenv(secrets.EnvKeyFile) != "" {
		return func() {} // a helper process: its parent's key file
	}
	dir, err := os.MkdirTemp("", "arendestod-auditkey-")
	if err != nil {
		panic(err)
	}
	os.Setenv(secrets.EnvKeyFile, filepath.Join(dir, "audit.key"))
	return func() { os.RemoveAll(dir) }
}
