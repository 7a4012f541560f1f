package couponkittest

import (
	"context"
	"sync"
	"time"
)

// Clock is a manual couponkit.Clock: its time moves only when told, and Sleep
// returns at once, recording the wait and moving the time by it, so retry and
// throttle tests neither sleep nor depend on the wall clock. One Clock may be
// shared by a client (couponkit.WithClock) and a fake, and its methods are
// safe for concurrent use. Set Step and MinAdvance before sharing it.
type Clock struct {
	// Step is added to the time after every Now (0: the time stands still
	// between waits).
	Step time.Duration
	// MinAdvance is the least one Sleep moves the time, so that attempts
	// separated by a zero wait still get distinct timestamps.
	MinAdvance time.Duration

	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// NewClock returns a manual clock that reads t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time, then moves it by Step.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.Step)
	return t
}

// Sleep records d, moves the time by max(d, MinAdvance) and returns
// ctx.Err() without waiting.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(max(d, c.MinAdvance))
	c.mu.Unlock()
	return ctx.Err()
}

// Sleeps returns the waits asked of Sleep so far, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Advance moves the time by d without recording a wait.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the time to t, which may be earlier than the current time.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
