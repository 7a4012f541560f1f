package couponkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
)

func TestResolveOptionsDefaults(t *testing.T) {
	o := couponkit.ResolveOptions()
	assert.Equal(t, 15*time.Second, o.Timeout)
	assert.Equal(t, couponkit.DefaultRetryPolicy, o.Retry)
	assert.Equal(t, couponkit.DefaultUserAgent, o.UserAgent)
	assert.NotNil(t, o.Logger)
	assert.Nil(t, o.Limiter)
	assert.IsType(t, couponkit.SystemClock{}, o.Clock)

	o = couponkit.ResolveOptions(couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}), couponkit.WithTimeout(time.Second), couponkit.WithUserAgent("svc/1"))
	assert.Equal(t, 1, o.Retry.MaxAttempts)
	assert.Equal(t, couponkit.DefaultRetryPolicy.BaseDelay, o.Retry.BaseDelay)
	assert.Equal(t, time.Second, o.Timeout)
	assert.Equal(t, "svc/1", o.UserAgent)
}

func TestRateLimitUsesClockWhateverTheOrder(t *testing.T) {
	clk := testclock.New(time.Unix(0, 0))
	o := couponkit.ResolveOptions(couponkit.WithRateLimit(2, 1), couponkit.WithClock(clk))
	require.NotNil(t, o.Limiter)
	ctx := context.Background()
	require.NoError(t, o.Limiter.Wait(ctx)) // the burst token
	require.NoError(t, o.Limiter.Wait(ctx)) // waits half a second on the test clock
	require.Len(t, clk.Sleeps(), 1)
	assert.Equal(t, 500*time.Millisecond, clk.Sleeps()[0])
}

func TestSystemClockSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, couponkit.SystemClock{}.Sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, couponkit.SystemClock{}.Sleep(context.Background(), 0))
}
