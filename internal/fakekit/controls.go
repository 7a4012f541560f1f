package fakekit

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
)

// The shared controls are public, in couponkittest, so that godoc shows
// them beside every fake; these names keep the fakes' code as it was.

// Controls is [couponkittest.Controls].
type Controls = couponkittest.Controls

// Options is [couponkittest.ControlOptions].
type Options = couponkittest.ControlOptions

// Request is a request a fake received; see [couponkittest.Request].
type Request = couponkittest.Request

// MaxLoggedRequests is [couponkittest.MaxLoggedRequests].
const MaxLoggedRequests = couponkittest.MaxLoggedRequests

// DefaultHost is [couponkittest.DefaultFakeHost].
const DefaultHost = couponkittest.DefaultFakeHost

// New is [couponkittest.NewControls].
func New(h http.Handler, o Options) *Controls { return couponkittest.NewControls(h, o) }

// Start is [couponkittest.StartControls].
func Start(tb testing.TB, h http.Handler, o Options) *Controls {
	tb.Helper()
	return couponkittest.StartControls(tb, h, o)
}

// ClockFrom returns the clock a fake should use: clock when set, else a
// clock reading now (and sleeping in real time) when now is set, else the
// system clock. It lets a fake honour both a new Clock option and its older
// Now func() time.Time one.
func ClockFrom(clock couponkit.Clock, now func() time.Time) couponkit.Clock {
	switch {
	case clock != nil:
		return clock
	case now != nil:
		return nowClock{now}
	default:
		return couponkit.SystemClock{}
	}
}

// nowClock tells time with a function and sleeps on the system clock.
type nowClock struct{ now func() time.Time }

func (n nowClock) Now() time.Time { return n.now() }

func (nowClock) Sleep(ctx context.Context, d time.Duration) error {
	return couponkit.SystemClock{}.Sleep(ctx, d)
}
