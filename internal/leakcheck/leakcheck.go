// Package leakcheck lets a test assert that everything it started (clients,
// fakes, their connections) has stopped: no goroutine is left running.
package leakcheck

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Check records the running goroutines and registers a cleanup, run after the
// test's own cleanups (register it first), that fails the test if goroutines
// started since are still running. Goroutines get a short grace period to
// finish exiting (closing a connection ends its reader asynchronously).
func Check(t testing.TB) {
	t.Helper()
	before := snapshot()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		var extra []string
		for {
			extra = extra[:0]
			for id, stack := range snapshot() {
				if _, ok := before[id]; !ok {
					extra = append(extra, stack)
				}
			}
			if len(extra) == 0 || time.Now().After(deadline) {
				break
			}
			runtime.Gosched()
		}
		if len(extra) > 0 {
			t.Errorf("%d goroutine(s) left running:\n%s", len(extra), strings.Join(extra, "\n\n"))
		}
	})
}

// snapshot maps goroutine ids to their stacks, leaving out the caller's own
// goroutine and the test framework's.
func snapshot() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := make(map[string]string)
	for i, g := range bytes.Split(buf, []byte("\n\n")) {
		if i == 0 {
			continue // the calling goroutine
		}
		s := string(g)
		if strings.Contains(s, "testing.(*T).Run") || strings.Contains(s, "testing.tRunner") ||
			strings.Contains(s, "testing.(*M).") || strings.Contains(s, "runtime.goexit") && strings.Contains(s, "signal.") {
			continue
		}
		header, _, _ := strings.Cut(s, "\n")
		id, _, _ := strings.Cut(strings.TrimPrefix(header, "goroutine "), " ")
		out[id] = s
	}
	return out
}
