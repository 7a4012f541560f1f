package suning_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/suning"
)

// TestFakeThroughTheSharedControls drives suningtest only through
// couponkittest.Fake, the surface every fake of the module shares.
func TestFakeThroughTheSharedControls(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	var fake couponkittest.Fake = srv
	ctx := context.Background()

	fake.FailNext(suning.CodeMissingParameter+":actionName", "参数必填")
	_, err := c.Create(ctx, createRequest(t))
	requireCode(t, err, suning.CodeMissingParameter+":actionName", couponkit.FaultClient)

	fake.FailNextHTTP(http.StatusServiceUnavailable, "<html>busy</html>")
	fake.DropNext()
	res, err := c.Create(ctx, createRequest(t))
	require.NoError(t, err)
	assert.Equal(t, 3, res.Meta.Attempts)

	fake.DropNextAfterWrite()
	fake.DelayNext(time.Minute) // on the fake's manual clock: no real time
	req := createRequest(t)
	req.ActionID = res.ActionID
	mod, err := c.Modify(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, 2, mod.Meta.Attempts, "dropped after the write, then served after the delay")
	assert.Equal(t, 2, srv.AppliedWrites(), "one create, one modify: the retries replayed")

	reqs := fake.Requests()
	require.Equal(t, 6, len(reqs))
	require.Equal(t, 6, fake.RequestCount())
	for _, r := range reqs {
		assert.Equal(t, suning.MethodAppointCreate, r.API)
		assert.Equal(t, "/api/http/sopRequest", r.Path)
	}
	require.NoError(t, fake.WaitRequests(ctx, 6))
	fake.Close()
	fake.Close()
	_, err = c.Query(ctx, &suning.QueryRequest{ActionID: res.ActionID, PartNumber: "000000000123456789", VendorID: "0010012345"})
	require.Error(t, err, "a closed fake refuses")
}

// TestThrottleWaitsOnTheManualClock: a throttled call waits the policy's
// window on the client's clock, which takes no real time, and is retried.
func TestThrottleWaitsOnTheManualClock(t *testing.T) {
	t.Parallel()
	c, srv, clk := memClient(t, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3, ThrottleDelay: time.Hour, MaxDelay: 2 * time.Hour}))
	srv.ThrottleNext(time.Hour)
	start := clk.Now()
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Contains(t, clk.Sleeps(), time.Hour, "the vendor names no window: the policy's ThrottleDelay")
	assert.GreaterOrEqual(t, clk.Now().Sub(start), time.Hour, "the client's clock moved past the window")
	assert.Equal(t, 1, srv.AppliedWrites())

	srv.ThrottleNext(time.Hour)
	srv.ThrottleNext(time.Hour)
	srv.ThrottleNext(time.Hour)
	_, err = c.Create(context.Background(), createRequest(t))
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultThrottle, ce.Fault)
	assert.Equal(t, suning.CodeAPIFrequencyLimit, ce.Code)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a throttle refuses before acting")
}
