package couponkit

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Options are the settings every vendor NewClient accepts, set through [Option]
// functions. The zero value of each field means its default.
type Options struct {
	// HTTPClient is the client requests go through. Default: a new client with
	// its own transport. Its Timeout is left as given; per-attempt time is
	// bounded by Timeout below.
	HTTPClient *http.Client
	// Transport replaces HTTPClient's transport when set.
	Transport http.RoundTripper
	// Timeout bounds one attempt (connect, send, read the response). Default 15s.
	Timeout time.Duration
	// Retry is the retry policy. Default: [DefaultRetryPolicy].
	Retry RetryPolicy
	// Logger receives debug lines: operation, attempt, status, latency, request
	// id. Never credentials, signatures or bodies. Default: discard.
	Logger *slog.Logger
	// Clock supplies the time and the waits between attempts. Default: the system clock.
	Clock Clock
	// UserAgent is sent as the User-Agent header. Default: [DefaultUserAgent].
	UserAgent string
	// Limiter is waited on before every attempt. Default: a [RateLimiter] when
	// RateLimit is set, else none.
	Limiter Limiter
	// RateLimit is the requests a second allowed by the default in-process
	// limiter, and RateBurst its burst; 0 means no limit. Ignored when Limiter is set.
	RateLimit float64
	// RateBurst is the default limiter's burst size (at least 1).
	RateBurst int
	// Observer sees every call and attempt; nil means none. See [Observer].
	Observer Observer
	// Pauser shares throttle pauses between clients; nil means this client's
	// pause only. See [Pauser].
	Pauser Pauser
}

// Option sets one of the [Options].
type Option func(*Options)

// WithHTTPClient sends requests through c.
func WithHTTPClient(c *http.Client) Option { return func(o *Options) { o.HTTPClient = c } }

// WithTransport sends requests through rt (for a proxy, mTLS, or httpmock).
func WithTransport(rt http.RoundTripper) Option { return func(o *Options) { o.Transport = rt } }

// WithTimeout bounds each attempt to d.
func WithTimeout(d time.Duration) Option { return func(o *Options) { o.Timeout = d } }

// WithRetry sets the retry policy; RetryPolicy{MaxAttempts: 1} turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *Options) { o.Retry = p } }

// WithLogger sends debug lines to l.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithClock replaces the system clock (for tests).
func WithClock(c Clock) Option { return func(o *Options) { o.Clock = c } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(o *Options) { o.UserAgent = ua } }

// WithLimiter makes every attempt wait on l first. Share one Limiter between
// clients (or back it with a shared store) to keep a fleet inside one vendor quota.
func WithLimiter(l Limiter) Option { return func(o *Options) { o.Limiter = l } }

// WithRateLimit limits this client to perSecond requests a second on average,
// with bursts of up to burst requests, using an in-process [RateLimiter].
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *Options) { o.RateLimit, o.RateBurst = perSecond, burst }
}

// Limiter paces outgoing requests. Wait blocks until a request may be sent or
// ctx is done, in which case it returns ctx's error.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Clock tells the time and waits. Tests replace it to make retries instant.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx is done, when it returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RetryPolicy says how often and how patiently a call is retried. Zero fields
// take their defaults.
type RetryPolicy struct {
	// MaxAttempts is the most times one call is sent, first attempt included.
	// Default 3; 1 means never retry.
	MaxAttempts int
	// BaseDelay is the first backoff ceiling; the ceiling doubles each attempt
	// and the wait is drawn uniformly from [0, ceiling) (full jitter). Default 100ms.
	BaseDelay time.Duration
	// MaxDelay caps one wait, including Retry-After and throttle windows. Default 10s.
	MaxDelay time.Duration
	// ThrottleDelay is the wait after a throttle fault that gave no Retry-After
	// (the vendor's window). Default 1s.
	ThrottleDelay time.Duration
}

// DefaultRetryPolicy is the policy used when none is given.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: 10 * time.Second, ThrottleDelay: time.Second}

// WithDefaults returns p with every zero field replaced by its default.
func (p RetryPolicy) WithDefaults() RetryPolicy {
	d := DefaultRetryPolicy
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.ThrottleDelay <= 0 {
		p.ThrottleDelay = d.ThrottleDelay
	}
	return p
}

// ResolveOptions applies opts in order over the defaults. Vendor packages call
// it from NewClient; programs rarely need it.
func ResolveOptions(opts ...Option) Options {
	var o Options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	o.Retry = o.Retry.WithDefaults()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Limiter == nil && o.RateLimit > 0 {
		o.Limiter = NewRateLimiter(o.RateLimit, o.RateBurst, o.Clock)
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}
