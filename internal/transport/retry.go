package transport

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
)

// Backoff returns the wait before the attempt after attempt, given the error
// that attempt ended with: full jitter over an exponentially growing ceiling,
// raised to the vendor's Retry-After, or to the throttle window after a
// throttle fault that named none, and capped at MaxDelay.
func Backoff(p couponkit.RetryPolicy, attempt int, last *couponkit.Error) time.Duration {
	ceiling := p.BaseDelay
	for i := 1; i < attempt && ceiling < p.MaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, p.MaxDelay)
	var d time.Duration
	if ceiling > 0 {
		d = time.Duration(rand.Int64N(int64(ceiling)))
	}
	if last != nil {
		floor := last.RetryAfter
		if floor == 0 && last.Fault == couponkit.FaultThrottle {
			floor = p.ThrottleDelay
		}
		d = max(d, floor)
	}
	return min(d, p.MaxDelay)
}

// RetryAfter reads a Retry-After header (seconds or an HTTP date), or 0.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// StatusFault maps an HTTP status to a Fault: 429 Throttle, 401/403 Auth,
// 5xx (and 408) Server, other 4xx Client, anything else Unknown.
func StatusFault(status int) couponkit.Fault {
	switch {
	case status == http.StatusTooManyRequests:
		return couponkit.FaultThrottle
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return couponkit.FaultAuth
	case status >= 500 || status == http.StatusRequestTimeout:
		return couponkit.FaultServer
	case status >= 400:
		return couponkit.FaultClient
	default:
		return couponkit.FaultUnknown
	}
}
