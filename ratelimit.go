package couponkit

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// RateLimiter is the in-process [Limiter] built by [WithRateLimit]: it allows
// perSecond requests a second on average and bursts of up to burst requests,
// on the client's [Clock]. Waiters are served in the order they arrived (each
// Wait takes the next free slot), so no goroutine is starved however many
// share it. A waiter that gives up (its context ends first) gives its slot
// back: every waiter queued behind it is served one interval earlier, and
// with nobody behind it the next arrival gets the slot. It starts no
// goroutine and is safe for concurrent use.
//
// It limits one process. To hold a quota shared by several processes, such as
// every process using one vendor app key, use a shared limiter such as the
// Redis module's (couponkitredis.Limiter).
type RateLimiter struct {
	clock     Clock
	perSecond float64       // as given; 0 means no limit
	interval  time.Duration // between two slots; 0 means no limit
	burst     int
	span      time.Duration // burst intervals: how far ahead of now next may run with no wait

	mu sync.Mutex
	// next is the time the bucket would be empty after every slot handed
	// out (the theoretical arrival time of GCRA): a request at now moves it
	// to max(next, now)+interval and gets the slot at max(now, next-span).
	// The zero value is long past: the bucket starts full.
	next time.Time
	// queue holds the waiters asleep for their slot, in the order they
	// arrived (and so of their slots).
	queue []*rateWaiter
}

// rateWaiter is one Wait asleep until its slot.
type rateWaiter struct {
	at   time.Time          // the slot; only ever moves earlier
	wake context.CancelFunc // ends the current sleep, to sleep to a new at
}

// maxInterval bounds the interval of a tiny rate, so that slot arithmetic
// cannot overflow: one request a century is as good as none.
const maxInterval = 100 * 365 * 24 * time.Hour

// NewRateLimiter returns a limiter of perSecond requests a second on average
// (a float: 0.5 is one request every two seconds) with bursts of up to burst
// requests, starting full. perSecond <= 0 means no limit; burst < 1 is taken
// as 1. The interval between slots, 1/perSecond, is rounded to the
// nanosecond (and capped at a century). A nil clock means the system clock.
func NewRateLimiter(perSecond float64, burst int, clock Clock) *RateLimiter {
	if clock == nil {
		clock = SystemClock{}
	}
	if burst < 1 {
		burst = 1
	}
	l := &RateLimiter{clock: clock, burst: burst}
	if perSecond > 0 {
		ns := math.Round(float64(time.Second) / perSecond)
		l.perSecond = perSecond
		l.interval = max(time.Duration(min(ns, float64(maxInterval))), 1)
		l.span = time.Duration(min(float64(l.interval)*float64(burst), float64(math.MaxInt64/2)))
	}
	return l
}

// PerSecond returns the average rate in requests a second; 0 means no limit.
func (l *RateLimiter) PerSecond() float64 { return l.perSecond }

// Burst returns the most requests let through at once.
func (l *RateLimiter) Burst() int { return l.burst }

// Wait takes one request's slot, sleeping on the clock until it comes. When
// ctx is done first, Wait returns ctx's error at once and gives the slot
// back: the waiters behind it move one slot earlier.
func (l *RateLimiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.interval == 0 {
		return nil
	}
	l.mu.Lock()
	now := l.clock.Now()
	w := &rateWaiter{at: l.reserve(now)}
	if !w.at.After(now) {
		l.mu.Unlock()
		return nil
	}
	l.queue = append(l.queue, w)
	for {
		sctx, wake := context.WithCancel(ctx)
		w.wake = wake
		d := w.at.Sub(now)
		l.mu.Unlock()
		err := l.clock.Sleep(sctx, d)
		wake()
		l.mu.Lock()
		now = l.clock.Now()
		switch {
		case err == nil:
			// The sleep ran its course: the slot it was started for (or an
			// earlier one, as slots only move earlier) has come.
			l.remove(w)
			l.mu.Unlock()
			return nil
		case ctx.Err() != nil:
			if w.at.After(now) {
				l.giveBack(w)
			} else {
				l.remove(w) // the slot has come and goes unused, as it would have
			}
			l.mu.Unlock()
			return ctx.Err()
		case !w.at.After(now):
			l.remove(w)
			l.mu.Unlock()
			return nil
		}
		// Woken because the slot moved earlier: sleep to the new one.
	}
}

// reserve hands out the next slot for a request at now. l.mu is held.
func (l *RateLimiter) reserve(now time.Time) time.Time {
	next := l.next
	if next.Before(now) {
		next = now
	}
	l.next = next.Add(l.interval)
	at := l.next.Add(-l.span)
	if at.Before(now) {
		return now
	}
	return at
}

// remove takes w out of the queue. l.mu is held.
func (l *RateLimiter) remove(w *rateWaiter) int {
	i := slices.Index(l.queue, w)
	if i >= 0 {
		l.queue = slices.Delete(l.queue, i, i+1)
	}
	return i
}

// giveBack takes w, which gave up before its slot, out of the queue and
// returns its slot: every waiter behind it moves one interval earlier (the
// slot of the one just behind becomes w's), and the bucket gets one request
// back. l.mu is held.
func (l *RateLimiter) giveBack(w *rateWaiter) {
	i := l.remove(w)
	if i < 0 {
		return
	}
	l.next = l.next.Add(-l.interval)
	for _, later := range l.queue[i:] {
		later.at = later.at.Add(-l.interval)
		later.wake()
	}
}
