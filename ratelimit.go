package couponkit

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// RateLimiter is the in-process [Limiter] built by [WithRateLimit]: it allows
// perSecond requests a second on average and bursts of up to burst requests,
// on the client's [Clock]. Waiters are served in the order they arrived (each
// Wait reserves the next free slot), so no goroutine is starved however many
// share it. It starts no goroutine and is safe for concurrent use.
//
// It limits one process. To hold a quota shared by several processes, such as
// every process using one vendor app key, use a shared limiter such as the
// Redis module's (couponkitredis.Limiter).
type RateLimiter struct {
	mu    sync.Mutex // orders Now and ReserveN so reservations see a monotonic time
	lim   *rate.Limiter
	clock Clock
}

// NewRateLimiter returns a limiter of perSecond requests a second on average
// (a float: 0.5 is one request every two seconds) with bursts of up to burst
// requests, starting full. perSecond <= 0 means no limit; burst < 1 is taken
// as 1. A nil clock means the system clock.
func NewRateLimiter(perSecond float64, burst int, clock Clock) *RateLimiter {
	if clock == nil {
		clock = SystemClock{}
	}
	if burst < 1 {
		burst = 1
	}
	limit := rate.Limit(perSecond)
	if perSecond <= 0 {
		limit = rate.Inf
	}
	return &RateLimiter{lim: rate.NewLimiter(limit, burst), clock: clock}
}

// PerSecond returns the average rate in requests a second; 0 means no limit.
func (l *RateLimiter) PerSecond() float64 {
	if l.lim.Limit() == rate.Inf {
		return 0
	}
	return float64(l.lim.Limit())
}

// Burst returns the most requests let through at once.
func (l *RateLimiter) Burst() int { return l.lim.Burst() }

// Wait takes one request's slot, sleeping on the clock until it comes. When
// ctx is done first, Wait gives the slot back to later waiters and returns
// ctx's error at once.
func (l *RateLimiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.clock.Now()
	r := l.lim.ReserveN(now, 1)
	l.mu.Unlock()
	// burst >= 1 and an unlimited wait, so the reservation is always OK.
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := l.clock.Sleep(ctx, d); err != nil {
		l.mu.Lock()
		r.CancelAt(l.clock.Now())
		l.mu.Unlock()
		return err
	}
	return nil
}
