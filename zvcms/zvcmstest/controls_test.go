package zvcmstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// TestFakeThroughTheSharedControls drives the fake only through
// couponkittest.Fake, the surface every couponkit fake offers, in memory
// and on a manual clock: no socket, no real wait.
func TestFakeThroughTheSharedControls(t *testing.T) {
	t.Parallel()
	clk := couponkittest.NewClock(time.Unix(1547186244, 0))
	srv := zvcmstest.Start(t, zvcmstest.Config{Clock: clk, InMemory: true})
	cp := srv.AddCoupon(zvcms.Coupon{})
	var fake couponkittest.Fake = srv
	assert.Equal(t, "http://zvcms.fake.invalid", fake.URL())
	assert.Equal(t, "zvcms.fake.invalid", zvcmstest.InMemoryHost)

	c, err := zvcms.NewClient(srv.ClientConfig(), couponkit.WithTransport(fake.Transport()), couponkit.WithClock(clk),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	query := func() error {
		_, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
		return err
	}
	var e *couponkit.Error

	fake.FailNext("1234", "业务异常")
	require.ErrorAs(t, query(), &e)
	assert.Equal(t, "1234", e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault, "FailNext is a business refusal (status true)")

	fake.FailNextHTTP(http.StatusServiceUnavailable, "busy")
	require.ErrorAs(t, query(), &e)
	assert.Equal(t, http.StatusServiceUnavailable, e.HTTPStatus)
	assert.Equal(t, couponkit.FaultServer, e.Fault)

	fake.ThrottleNext(30 * time.Second)
	require.ErrorAs(t, query(), &e)
	assert.Equal(t, couponkit.FaultThrottle, e.Fault)
	assert.Equal(t, 30*time.Second, e.RetryAfter)

	fake.DropNext()
	require.ErrorAs(t, query(), &e)
	assert.Equal(t, couponkit.FaultServer, e.Fault)

	// A delay on the manual clock takes no real time; the request is then
	// handled a minute late, within the timestamp window.
	fake.DelayNext(time.Minute)
	require.NoError(t, query())

	fake.DropNextAfterWrite()
	_, err = c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "b-1", Channel: zvcmstest.DefaultChannel,
		CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	got, _ := srv.Coupon(cp.CardID)
	assert.Equal(t, zvcms.UseStatusRedeemed, got.UseStatus, "the dropped redemption took effect")

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, fake.WaitRequests(wctx, 6))
	assert.Equal(t, 6, fake.RequestCount())
	reqs := fake.Requests()
	require.Len(t, reqs, 6)
	for _, r := range reqs[:5] {
		assert.Equal(t, "getCustomerCoupons", r.API)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "/v3/crm/coupon/getCustomerCoupons", r.Path)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	assert.Equal(t, "writeOffCoupon", reqs[5].API)
	var body struct{ Params struct{ BizID string } }
	require.NoError(t, json.Unmarshal(reqs[5].Body, &body))
	assert.Equal(t, "b-1", body.Params.BizID)

	// Through the fake's own http.Client, too.
	resp, err := fake.Client().Post(fake.URL()+"/v3/crm/coupon/nothing", "application/json", nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	fake.Close()
	fake.Close()
	require.Error(t, query(), "a closed fake refuses")
}

// TestThrottleWaitsOnTheManualClock: a throttled read waits out the fake's
// window on the client's manual clock, taking no real time, and succeeds.
func TestThrottleWaitsOnTheManualClock(t *testing.T) {
	t.Parallel()
	clk := couponkittest.NewClock(time.Unix(1547186244, 0))
	srv := zvcmstest.Start(t, zvcmstest.Config{Clock: clk, InMemory: true})
	srv.AddCoupon(zvcms.Coupon{})
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clk))
	require.NoError(t, err)
	defer c.Close()

	srv.ThrottleNext(7 * time.Second)
	res, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
	require.NoError(t, err)
	assert.Len(t, res.Coupons, 1)
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, 2, srv.RequestCount())
	assert.Contains(t, clk.Sleeps(), 7*time.Second, "the client waited the vendor's window on its clock")

	// A throttled write is sent again too: the vendor refused it before acting.
	srv.ThrottleNext(time.Second)
	_, err = c.Call(context.Background(), "getCustomerCoupons", map[string]string{"customerId": "nobody"}, nil)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, 4, srv.RequestCount())
}
