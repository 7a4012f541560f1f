package couponkit

import (
	"context"
	"sync"
	"time"
)

// TokenBucket is an in-process [Limiter]: it allows perSecond requests a second
// on average and bursts of up to burst. It starts no goroutine and is safe for
// concurrent use.
type TokenBucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	clock  Clock
}

// NewTokenBucket returns a full bucket. A nil clock means the system clock.
// perSecond <= 0 means no limit; burst < 1 is taken as 1.
func NewTokenBucket(perSecond float64, burst int, clock Clock) *TokenBucket {
	if clock == nil {
		clock = SystemClock{}
	}
	if burst < 1 {
		burst = 1
	}
	return &TokenBucket{rate: perSecond, burst: float64(burst), tokens: float64(burst), clock: clock, last: clock.Now()}
}

// Wait takes one token, waiting for it if none is left, or returns ctx's error.
func (b *TokenBucket) Wait(ctx context.Context) error {
	if b.rate <= 0 {
		return ctx.Err()
	}
	for {
		b.mu.Lock()
		now := b.clock.Now()
		b.tokens += now.Sub(b.last).Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		wait := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		if err := b.clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}
