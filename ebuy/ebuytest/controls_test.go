package ebuytest_test

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// TestFakeThroughTheSharedControls drives an in-memory fake only through
// the control surface every couponkit fake shares. It runs in a synctest
// bubble, so the client's one-second timeout that releases DelayNext passes
// on the bubble's clock once every goroutine waits.
func TestFakeThroughTheSharedControls(t *testing.T) {
	t.Parallel()
	synctest.Test(t, fakeThroughTheSharedControls)
}

func fakeThroughTheSharedControls(t *testing.T) {
	ctx := context.Background()
	s := ebuytest.Start(t, ebuytest.Config{InMemory: true})
	var f couponkittest.Fake = s
	assert.Equal(t, "http://"+ebuytest.InMemoryHost, f.URL())
	clock := couponkittest.NewClock(time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC))
	c, err := ebuy.NewClient(s.ClientConfig(), couponkit.WithTransport(f.Transport()), couponkit.WithClock(clock),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}), couponkit.WithTimeout(time.Second))
	require.NoError(t, err)
	defer c.Close()
	var e *couponkit.Error

	f.FailNext(ebuy.ErrCodeNotFound, "券码不存在")
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ebuy.ErrCodeNotFound, e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)

	f.FailNextHTTP(http.StatusServiceUnavailable, "maintenance")
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusServiceUnavailable, e.HTTPStatus)
	assert.Equal(t, couponkit.FaultServer, e.Fault)

	f.ThrottleNext(3 * time.Second)
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ebuy.ErrCodeThrottled, e.Code)
	assert.Equal(t, couponkit.FaultThrottle, e.Fault)
	assert.Equal(t, 3*time.Second, e.RetryAfter)

	f.DropNext()
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))

	f.DelayNext(time.Hour) // on the fake's system clock: released by the client's timeout
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))

	codes := s.MakeCodes(1)
	f.DropNextAfterWrite()
	_, err = c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	st, _ := s.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status, "the write took effect before the drop")

	f.Inject(couponkittest.Fault{Status: http.StatusBadGateway, Body: []byte("bad gateway"), AfterHandler: true})
	_, err = c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadGateway, e.HTTPStatus)
	assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "the write ran before the 502")

	require.NoError(t, f.WaitRequests(ctx, 7))
	assert.Equal(t, 7, f.RequestCount())
	reqs := f.Requests()
	require.Len(t, reqs, 7)
	assert.Equal(t, "_getBrandProductDetailDirect", reqs[0].API)
	assert.Equal(t, "batchActivateCode", reqs[5].API)
	assert.Equal(t, "/paas/micro/ecoupon/batchActivateCode", reqs[5].Path)

	f.Close()
	f.Close()
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	assert.Error(t, err, "a closed fake refuses")
}

// TestThrottleWaitsOnTheManualClock throttles a read: the client waits out
// the window the fake names on its manual clock, taking no real time, and
// the retry succeeds.
func TestThrottleWaitsOnTheManualClock(t *testing.T) {
	t.Parallel()
	clock := couponkittest.NewClock(time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC))
	s := ebuytest.Start(t, ebuytest.Config{InMemory: true, Clock: clock})
	c, err := ebuy.NewClient(s.ClientConfig(), s.ClientOption(), couponkit.WithClock(clock))
	require.NoError(t, err)
	defer c.Close()

	s.ThrottleNext(7 * time.Second)
	p, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Meta.Attempts)
	assert.Contains(t, clock.Sleeps(), 7*time.Second, "the vendor's window, on the manual clock")
	assert.Equal(t, 2, s.RequestCount())
}

// TestDelayOnTheManualClock holds a request for an hour of the fake's manual
// clock, which passes at once.
func TestDelayOnTheManualClock(t *testing.T) {
	t.Parallel()
	clock := couponkittest.NewClock(time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC))
	s := ebuytest.Start(t, ebuytest.Config{InMemory: true, Clock: clock})
	c, err := ebuy.NewClient(s.ClientConfig(), s.ClientOption(), couponkit.WithClock(clock))
	require.NoError(t, err)
	defer c.Close()
	s.DelayNext(time.Hour)
	p, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.NoError(t, err)
	assert.Equal(t, 1, p.Meta.Attempts)
	assert.Contains(t, clock.Sleeps(), time.Hour)
}
