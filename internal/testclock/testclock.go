// Package testclock is a couponkit.Clock for this module's tests: its time
// moves only when told, and Sleep returns at once, recording the wait, so
// retry and throttle tests neither sleep nor depend on the wall clock.
//
// It is the public [couponkittest.Clock] under its old name; new code should
// use couponkittest directly.
package testclock

import (
	"time"

	"github.com/couponkit/couponkit/couponkittest"
)

// Clock is a manual couponkit.Clock, safe for concurrent use. Set Step and
// MinAdvance before first use. It is [couponkittest.Clock].
type Clock = couponkittest.Clock

// New returns a clock that reads now; the same as [couponkittest.NewClock].
func New(now time.Time) *Clock { return couponkittest.NewClock(now) }
