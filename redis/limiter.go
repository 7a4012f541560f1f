package couponkitredis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/couponkit/couponkit"
)

// ErrUnavailable is matched (with errors.Is) by the errors of a [Limiter]
// or a [ClaimStore] whose Redis could not be reached or answered an error.
// The error also wraps Redis's own error.
var ErrUnavailable = errors.New("couponkitredis: redis unavailable")

// DefaultTimeout is the default bound on one Redis round trip of a Limiter.
const DefaultTimeout = time.Second

// DefaultProbeInterval is the default time between tries of a failed Redis.
const DefaultProbeInterval = time.Second

// pauseGrace is how long a pause key outlives the pause, so that a process
// whose clock is a little behind still sees it.
const pauseGrace = time.Second

// LimiterConfig says which quota a [Limiter] shares and how.
type LimiterConfig struct {
	// Key names the quota in Redis: the vendor and the app key whose quota
	// it is, such as "taobaofilm:23456789" or "ebuy:" + appID. Every process
	// using that app key must use the same Key, PerSecond and Burst; clients
	// of other app keys or vendors use other Keys. It is stored in Redis in
	// clear and may appear in errors, so it must never hold a secret (an app
	// secret, a session or a signing key). Required.
	Key string
	// PerSecond is the quota: requests a second on average, shared by every
	// process using Key. Fractions are allowed (0.5 is one request every two
	// seconds), to a thousandth. Required: more than 0.
	PerSecond float64
	// Burst is the most requests let through at once after a quiet spell.
	// Over any span of t seconds at most PerSecond×t + Burst requests pass.
	// Default (0) and minimum: 1.
	Burst int
	// FailOpen says what Wait does when Redis cannot be reached or answers
	// an error. False, the default, fails closed: Wait returns an error
	// matching [ErrUnavailable] and the call is not sent. A Redis outage then
	// stops this SDK's calls for as long as it lasts, but the fleet never
	// sends more than the vendor's quota: a vendor that sees its quota
	// exceeded throttles the app key or bans it for hours, for every process
	// and feature using that key, which costs more than a short outage of
	// the calls themselves.
	//
	// True fails open: Wait falls back to Fallback, which limits this
	// process alone, so calls go on during the outage but N processes may
	// together send up to N times the quota. Choose it when a fleet is a
	// single process or when the vendor's quota is far above the fleet's
	// own, or set Fallback to PerSecond divided by the number of processes.
	// Either way every Wait tries Redis first, so the shared quota is back as
	// soon as Redis is.
	FailOpen bool
	// Fallback is waited on instead of Redis while Redis fails, when
	// FailOpen is set. Default: an in-process [couponkit.RateLimiter] of
	// PerSecond and Burst on Clock.
	Fallback couponkit.Limiter
	// Timeout bounds each try at Redis (a Wait's try is two round trips:
	// the pause check and the token), go-redis's own retries and redials
	// included. Default [DefaultTimeout]. A caller's context with an earlier
	// deadline bounds it further.
	Timeout time.Duration
	// ProbeInterval is how long, after Redis failed, Wait, PauseUntil and
	// PausedUntil answer at once without trying Redis: with the last error,
	// or through Fallback when FailOpen is set. Then one call tries Redis
	// again while the others keep answering at once. It keeps an outage from
	// adding Timeout to every call. Measured on Clock. Default 1s.
	ProbeInterval time.Duration
	// Clock tells the time pauses are compared with and sleeps between
	// tries; the quota itself runs on Redis's clock. Default: the system
	// clock. Use the clock the clients are given.
	Clock couponkit.Clock
}

// Limiter is a [couponkit.Limiter] and [couponkit.Pauser] shared through
// Redis by every process using the same [LimiterConfig.Key]. It is safe for
// concurrent use and starts no goroutine.
type Limiter struct {
	rdb      redis.UniversalClient
	rl       *redis_rate.Limiter
	limit    redis_rate.Limit
	key      string
	rateKey  string // as given to redis_rate, which prefixes it with "rate:"
	pauseKey string
	failOpen bool
	fallback couponkit.Limiter
	timeout  time.Duration
	probe    time.Duration
	clock    couponkit.Clock

	mu        sync.Mutex
	downUntil time.Time // while Redis is taken as failed: the time of the next try
	lastErr   error     // the error that made Redis failed
}

// NewLimiter returns the limiter of cfg's quota on rdb (a *redis.Client, a
// *redis.ClusterClient or a *redis.Ring). It does not contact Redis.
func NewLimiter(rdb redis.UniversalClient, cfg LimiterConfig) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("couponkitredis: nil redis client")
	}
	if cfg.Key == "" {
		return nil, errors.New("couponkitredis: LimiterConfig.Key is required (the vendor and app key, such as \"taobaofilm:23456789\")")
	}
	limit, err := gcraLimit(cfg.PerSecond, cfg.Burst)
	if err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.ProbeInterval <= 0 {
		cfg.ProbeInterval = DefaultProbeInterval
	}
	if cfg.FailOpen && cfg.Fallback == nil {
		cfg.Fallback = couponkit.NewRateLimiter(cfg.PerSecond, limit.Burst, cfg.Clock)
	}
	return &Limiter{
		rdb:      rdb,
		rl:       redis_rate.NewLimiter(rdb),
		limit:    limit,
		key:      cfg.Key,
		rateKey:  "couponkit:{" + cfg.Key + "}",
		pauseKey: "couponkit:{" + cfg.Key + "}:pause",
		failOpen: cfg.FailOpen,
		fallback: cfg.Fallback,
		timeout:  cfg.Timeout,
		probe:    cfg.ProbeInterval,
		clock:    cfg.Clock,
	}, nil
}

// gcraLimit turns a rate a second into redis_rate's whole requests a period.
func gcraLimit(perSecond float64, burst int) (redis_rate.Limit, error) {
	if !(perSecond > 0) || math.IsInf(perSecond, 0) {
		return redis_rate.Limit{}, fmt.Errorf("couponkitredis: LimiterConfig.PerSecond must be more than 0, not %v", perSecond)
	}
	burst = max(burst, 1)
	if perSecond == math.Trunc(perSecond) && perSecond <= math.MaxInt32 {
		return redis_rate.Limit{Rate: int(perSecond), Period: time.Second, Burst: burst}, nil
	}
	milli := math.Round(perSecond * 1000)
	if milli < 1 || milli > math.MaxInt32 {
		return redis_rate.Limit{}, fmt.Errorf("couponkitredis: LimiterConfig.PerSecond %v is out of range (0.001 to 2147483)", perSecond)
	}
	return redis_rate.Limit{Rate: int(milli), Period: 1000 * time.Second, Burst: burst}, nil
}

// Key returns [LimiterConfig.Key].
func (l *Limiter) Key() string { return l.key }

// Wait takes one request from the shared quota, sleeping on the clock until
// the quota (and any shared pause, see [Limiter.PauseUntil]) allows it. Each
// try is a pause check and a token request, two Redis round trips; waiters
// that are refused sleep until the next free slot and try again, so they
// share the quota in no fixed order.
//
// When ctx is done Wait returns ctx's error at once. When Redis fails (or
// failed less than [LimiterConfig.ProbeInterval] ago), Wait returns an error
// matching [ErrUnavailable], or waits on [LimiterConfig.Fallback] if
// [LimiterConfig.FailOpen] is set.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := l.try(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if l.failOpen {
				return l.fallback.Wait(ctx)
			}
			return err
		}
		if d <= 0 {
			return nil
		}
		if err := l.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// try makes one attempt at the quota: 0 when a request was granted, else how
// long to sleep before the next attempt.
func (l *Limiter) try(ctx context.Context) (wait time.Duration, err error) {
	err = l.redis(ctx, func(ctx context.Context) error {
		until, err := l.pausedUntil(ctx)
		if err != nil {
			return err
		}
		if !until.IsZero() {
			if d := until.Sub(l.clock.Now()); d > 0 {
				wait = d
				return nil
			}
		}
		res, err := l.rl.Allow(ctx, l.rateKey, l.limit)
		if err != nil {
			return fmt.Errorf("taking a request: %w", err)
		}
		if res.Allowed <= 0 {
			wait = max(res.RetryAfter, time.Millisecond)
		}
		return nil
	})
	return wait, err
}

// redis runs f with a context bounded by the Timeout, unless Redis failed
// less than a ProbeInterval ago, and keeps track of Redis's failures. Its
// errors match ErrUnavailable.
func (l *Limiter) redis(ctx context.Context, f func(context.Context) error) error {
	now := l.clock.Now()
	l.mu.Lock()
	if !l.downUntil.IsZero() {
		if now.Before(l.downUntil) {
			err := l.lastErr
			l.mu.Unlock()
			return err
		}
		l.downUntil = now.Add(l.probe) // this call probes; the others keep failing at once
	}
	l.mu.Unlock()

	rctx, cancel := context.WithTimeout(ctx, l.timeout)
	err := f(rctx)
	cancel()
	if err != nil && ctx.Err() != nil {
		return ctx.Err() // the caller gave up: that says nothing of Redis
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		l.downUntil, l.lastErr = time.Time{}, nil
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %v: %w", l.timeout, err)
	}
	l.lastErr = fmt.Errorf("%w: quota %q: %w", ErrUnavailable, l.key, err)
	l.downUntil = l.clock.Now().Add(l.probe)
	return l.lastErr
}

// pauseUntil sets the pause key to ARGV[1] (Unix milliseconds) with a PX of
// ARGV[2], unless it already holds a later time.
var pauseUntil = redis.NewScript(`
local cur = tonumber(redis.call("GET", KEYS[1]) or "0") or 0
local t = tonumber(ARGV[1])
if t > cur then
  redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
  return 1
end
return 0
`)

// PauseUntil records in Redis that no process using this quota may send a
// request before t, unless a later pause is already recorded: a pause is
// only ever extended. A t not after the clock's now does nothing. The
// pause is kept as Unix milliseconds (rounded up), so the processes' clocks
// should agree to within a few milliseconds. A Redis failure is returned as
// an error matching [ErrUnavailable] (a couponkit client then still pauses
// on its own).
func (l *Limiter) PauseUntil(ctx context.Context, t time.Time) error {
	ttl := t.Sub(l.clock.Now())
	if ttl <= 0 {
		return nil
	}
	ms := t.UnixMilli()
	if t.After(time.UnixMilli(ms)) {
		ms++
	}
	px := (ttl + pauseGrace).Milliseconds()
	return l.redis(ctx, func(ctx context.Context) error {
		if err := pauseUntil.Run(ctx, l.rdb, []string{l.pauseKey}, ms, px).Err(); err != nil {
			return fmt.Errorf("recording a pause: %w", err)
		}
		return nil
	})
}

// PausedUntil returns the end of the pause recorded in Redis, or the zero
// time when there is none. A Redis failure is returned as an error matching
// [ErrUnavailable] (a couponkit client then treats it as no pause).
func (l *Limiter) PausedUntil(ctx context.Context) (until time.Time, err error) {
	err = l.redis(ctx, func(ctx context.Context) error {
		until, err = l.pausedUntil(ctx)
		return err
	})
	return until, err
}

func (l *Limiter) pausedUntil(ctx context.Context) (time.Time, error) {
	s, err := l.rdb.Get(ctx, l.pauseKey).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the pause: %w", err)
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("the pause key holds %q, not Unix milliseconds", s)
	}
	return time.UnixMilli(ms), nil
}

// Reset forgets the quota's state and any pause in Redis, so that the next
// Wait finds a full burst. Meant for tests and for operators.
func (l *Limiter) Reset(ctx context.Context) error {
	return l.redis(ctx, func(ctx context.Context) error {
		if err := l.rdb.Del(ctx, "rate:"+l.rateKey, l.pauseKey).Err(); err != nil {
			return fmt.Errorf("resetting: %w", err)
		}
		return nil
	})
}

var (
	_ couponkit.Limiter = (*Limiter)(nil)
	_ couponkit.Pauser  = (*Limiter)(nil)
)
