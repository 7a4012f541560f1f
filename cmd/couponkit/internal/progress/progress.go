// Package progress prints a job's progress: a line rewritten with \r on a
// terminal, plain lines (every tenth of the work) otherwise.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Bar counts done units out of a total.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	label    string
	total    int
	done     int
	failed   int
	start    time.Time
	last     time.Time
	lastTick int
	now      func() time.Time
}

// New returns a bar writing to w; tty selects \r lines.
func New(w io.Writer, tty bool, label string, total int) *Bar {
	b := &Bar{w: w, tty: tty, label: label, total: total, now: time.Now}
	b.start = b.now()
	return b
}

// Add counts n more units done, of which failed failed.
func (b *Bar) Add(n, failed int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.failed += failed
	now := b.now()
	if b.tty {
		if now.Sub(b.last) < 100*time.Millisecond && b.done < b.total {
			return
		}
		b.last = now
		fmt.Fprintf(b.w, "\r%s", b.line(now))
		return
	}
	tick := 10
	if b.total > 0 {
		tick = b.done * 10 / b.total
	}
	if tick > b.lastTick || b.done == b.total {
		if b.lastTick == 10 {
			return
		}
		b.lastTick = tick
		fmt.Fprintln(b.w, b.line(now))
	}
}

func (b *Bar) line(now time.Time) string {
	el := now.Sub(b.start)
	rate := 0.0
	if el > 0 {
		rate = float64(b.done) / el.Seconds()
	}
	left := "?"
	if rate > 0 && b.total >= b.done {
		left = (time.Duration(float64(b.total-b.done)/rate) * time.Second).Round(time.Second).String()
	}
	pct := 100.0
	if b.total > 0 {
		pct = float64(b.done) * 100 / float64(b.total)
	}
	return fmt.Sprintf("%s %d/%d (%.0f%%) failed %d, %.0f/s, %s left", b.label, b.done, b.total, pct, b.failed, rate, left)
}

// Finish ends the bar's line on a terminal.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tty {
		fmt.Fprintf(b.w, "\r%s\n", b.line(b.now()))
	}
}
