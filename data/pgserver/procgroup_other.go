//go:build !unix

package pgserver

import "os/exec"

// ownProcessGroup does nothing here: the private server runs on Unix only.
func ownProcessGroup(cmd *exec.Cmd) {}
