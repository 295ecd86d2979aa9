//go:build unix

package pgserver

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts cmd in a process group of its own, out of reach of
// the terminal's interrupt to the starting process's group.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
