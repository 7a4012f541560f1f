package houcaller_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// inMemory starts an in-memory fake and a client sharing one manual clock.
func inMemory(t *testing.T, cfg houcallertest.Config) (*houcaller.Client, *houcallertest.Server, *couponkittest.Clock) {
	t.Helper()
	clk := couponkittest.NewClock(time.Date(2021, 6, 16, 16, 2, 15, 0, time.FixedZone("CST", 8*3600)))
	clk.MinAdvance = time.Millisecond
	cfg.Clock, cfg.InMemory = clk, true
	srv := houcallertest.Start(t, cfg)
	c, err := houcaller.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clk))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv, clk
}

// TestFakeThroughTheSharedControls drives the fake only through the control
// surface every couponkit fake shares.
func TestFakeThroughTheSharedControls(t *testing.T) {
	t.Parallel()
	c, srv, _ := inMemory(t, houcallertest.Config{})
	var fake couponkittest.Fake = srv
	ctx := context.Background()
	sale := func(saleNo string) error {
		req := exampleSale()
		req.SaleNo = saleNo
		_, err := c.SellCard(ctx, req)
		return err
	}
	assert.Equal(t, "http://houcaller.fake.invalid", fake.URL())

	fake.FailNext("2005", "名牛卡已下架")
	var ce *couponkit.Error
	require.ErrorAs(t, sale("S1"), &ce)
	assert.Equal(t, "2005", ce.Code)
	assert.Equal(t, "名牛卡已下架", ce.Message)

	fake.FailNextHTTP(http.StatusServiceUnavailable, "busy")
	err := sale("S2")
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)

	fake.DropNext() // the sale never takes effect, but it may have: unknown
	require.ErrorIs(t, sale("S3"), couponkit.ErrUnknownOutcome)

	fake.DropNextAfterWrite()
	require.ErrorIs(t, sale("S4"), couponkit.ErrUnknownOutcome)

	fake.DelayNext(time.Minute) // on the fake's manual clock: no real wait
	require.NoError(t, sale("S5"))

	fake.ThrottleNext(2 * time.Second)
	require.NoError(t, sale("S6"))

	require.NoError(t, fake.WaitRequests(ctx, 7))
	assert.Equal(t, 7, fake.RequestCount())
	reqs := fake.Requests()
	require.Len(t, reqs, 7)
	for _, r := range reqs {
		assert.Equal(t, houcaller.EndpointSellCard, r.API)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	var sold []string
	for _, s := range srv.Sales() {
		sold = append(sold, s.SaleNo)
	}
	assert.Equal(t, []string{"S4", "S5", "S6"}, sold, "only the sales the faults let through took effect")

	fake.Close()
	fake.Close()
	err = sale("S7")
	require.ErrorAs(t, err, &ce)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "a closed fake refuses before anything is sent")
}

// A throttled sale waits the window on the manual clock, then goes through:
// no real time passes.
func TestThrottleWaitsOnTheManualClock(t *testing.T) {
	t.Parallel()
	c, srv, clk := inMemory(t, houcallertest.Config{})
	srv.ThrottleNext(5 * time.Second)
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	var waited time.Duration
	for _, d := range clk.Sleeps() {
		waited += d
	}
	assert.GreaterOrEqual(t, waited, 5*time.Second, "the vendor's window was waited out on the clock")
	assert.Len(t, srv.Sales(), 1)
}

// No result type writes its Meta (and so the raw answer) when JSON-encoded.
func TestResultJSONHasNoRawBody(t *testing.T) {
	t.Parallel()
	c, _, _ := inMemory(t, houcallertest.Config{Shape: houcallertest.DataBoth})
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	require.NotEmpty(t, res.Meta.Raw)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	s := string(b)
	assert.NotContains(t, s, "Meta")
	assert.NotContains(t, s, "Raw")
	assert.NotContains(t, s, "操作成功", "the answer's msg is not in the JSON")
	assert.Contains(t, s, `"SaleNo":"1234567892"`)
	for _, v := range []any{*res.Card, res.Card.Products[0], res.Coupons[0]} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "Meta")
	}
}

// The fake's codes are strings, as FailNext takes them and couponkit.Error
// reports them; on the wire they are JSON numbers, or strings with
// CodeAsString.
func TestFakeCodesAreStringsAsFailNextTakesThem(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		cfg  houcallertest.Config
		wire string
	}{
		"number": {houcallertest.Config{}, `"code":2001`},
		"string": {houcallertest.Config{CodeAsString: true}, `"code":"2001"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := inMemory(t, tc.cfg)
			req := exampleSale()
			req.CardInfoID = "NOPE"
			_, err := c.SellCard(context.Background(), req)
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "2001", ce.Code)
			assert.Equal(t, houcallertest.CodeCardNotFound, ce.Code)

			srv.FailNext(houcallertest.CodeCardNotFound, "名牛卡不存在")
			resp, err := srv.Client().Post(srv.Gateway()+"/sendMncardForSale", "application/json", strings.NewReader(`{}`))
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Contains(t, string(body), tc.wire)
		})
	}
}

// Gateway is a method, URL() + GatewayPath, and the in-memory URL is on
// InMemoryHost.
func TestFakeGatewayAndInMemoryHost(t *testing.T) {
	t.Parallel()
	_, srv, _ := inMemory(t, houcallertest.Config{})
	assert.Equal(t, "houcaller.fake.invalid", houcallertest.InMemoryHost)
	assert.Equal(t, "/htest/openapi/v1", houcallertest.GatewayPath)
	assert.Equal(t, "http://houcaller.fake.invalid/htest/openapi/v1", srv.Gateway())
	assert.Equal(t, "http://houcaller.fake.invalid/htest/openapi/v1", srv.ClientConfig().Gateway)

	loop := houcallertest.Start(t, houcallertest.Config{})
	assert.Regexp(t, `^http://(127\.0\.0\.1|\[::1\]):[0-9]+/htest/openapi/v1$`, loop.Gateway())
	assert.Equal(t, loop.Gateway(), loop.ClientConfig().Gateway)
}
