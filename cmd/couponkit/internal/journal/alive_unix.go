//go:build unix

package journal

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process pid exists on this host (signal 0
// checks it without touching it; EPERM means it exists under another user).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
