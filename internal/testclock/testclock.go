// Package testclock is a couponkit.Clock for tests: its time moves only when
// told, and Sleep returns at once, recording the wait, so retry and throttle
// tests neither sleep nor depend on the wall clock.
package testclock

import (
	"context"
	"sync"
	"time"
)

// Clock is a manual couponkit.Clock, safe for concurrent use. Set Step and
// MinAdvance before first use.
type Clock struct {
	// Step is added to the time after every Now (0: the time stands still).
	Step time.Duration
	// MinAdvance is the least one Sleep moves the time, so that attempts
	// separated by a zero wait still get distinct timestamps.
	MinAdvance time.Duration

	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// New returns a clock that reads now.
func New(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time, then moves it by Step.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.Step)
	return t
}

// Sleep records d, moves the time by max(d, MinAdvance) and returns ctx.Err()
// without waiting.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(max(d, c.MinAdvance))
	c.mu.Unlock()
	return ctx.Err()
}

// Sleeps returns the waits asked for so far, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}
