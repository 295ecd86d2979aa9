//go:build !unix

package pgtest

import "os/exec"

// ownProcessGroup does nothing here: the test server runs on Unix only.
func ownProcessGroup(cmd *exec.Cmd) {}
