package zvcmstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

var epoch = time.Unix(1717200000, 0)

// post sends a raw body to an API and returns the decoded envelope.
func post(t *testing.T, srv *zvcmstest.Server, api string, body []byte) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL()+"/v3/crm/coupon/"+api, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), string(b))
	return resp.StatusCode, m
}

// signed is a request body signed with the fake's default credentials; the
// token is the one computed in zvcms/testdata/vectors.json ("doc
// credentials") for timestamp 1547186244 and nonce 658965.
const signedAt1547186244 = `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244","nonce":"658965","token":"c5tQPIuCl4dFK%2FW%2FDF7iIwt6cK4%3D","params":{"customerId":"383933091455959041"}}`

func TestFakeVerifiesIndependentToken(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Unix(1547186244, 0)}
	srv := zvcmstest.NewServer(zvcmstest.Config{Clock: clk})
	defer srv.Close()
	srv.AddCustomer(zvcmstest.DefaultCustomerID)

	status, m := post(t, srv, "getCustomerCoupons", []byte(signedAt1547186244))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "true", m["status"])
	assert.Equal(t, "0", m["code"])
	assert.Equal(t, []any{}, m["data"])

	// The same nonce again is a replay.
	_, m = post(t, srv, "getCustomerCoupons", []byte(signedAt1547186244))
	assert.Equal(t, "false", m["status"])
	assert.Equal(t, zvcmstest.CodeNonceReused, m["code"])

	// Once the window has passed, the nonce is forgotten, but the timestamp is too old.
	clk.set(time.Unix(1547186244, 0).Add(5*time.Minute + time.Second))
	_, m = post(t, srv, "getCustomerCoupons", []byte(signedAt1547186244))
	assert.Equal(t, zvcmstest.CodeTimestampExpired, m["code"])

	// A tampered token is refused.
	clk.set(time.Unix(1547186244, 0))
	tampered := bytes.Replace([]byte(signedAt1547186244), []byte(`"658965"`), []byte(`"658966"`), 1)
	_, m = post(t, srv, "getCustomerCoupons", tampered)
	assert.Equal(t, zvcmstest.CodeBadToken, m["code"])
	assert.Equal(t, "token校验失败", m["message"])
}

func TestFakeRequestChecks(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Unix(1547186244, 0)}
	srv := zvcmstest.NewServer(zvcmstest.Config{Clock: clk, NativeTypes: true})
	defer srv.Close()
	for _, tc := range []struct {
		name, body, code string
	}{
		{"not json", `{`, zvcmstest.CodeBadRequest},
		{"missing token", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244","nonce":"1","params":{}}`, zvcmstest.CodeBadRequest},
		{"missing params", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244","nonce":"1","token":"x"}`, zvcmstest.CodeBadRequest},
		{"unknown openId", `{"openId":"x","grantCode":"782c281f62","timestamp":"1547186244","nonce":"1","token":"x","params":{}}`, zvcmstest.CodeBadToken},
		{"wrong grantCode", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"x","timestamp":"1547186244","nonce":"1","token":"x","params":{}}`, zvcmstest.CodeBadToken},
		{"13-digit timestamp", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244000","nonce":"1","token":"x","params":{}}`, zvcmstest.CodeBadRequest},
		{"negative nonce", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244","nonce":"-1","token":"x","params":{}}`, zvcmstest.CodeBadRequest},
		{"zero nonce", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244","nonce":"0","token":"x","params":{}}`, zvcmstest.CodeBadRequest},
		{"bad token", `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","timestamp":"1547186244","nonce":"1","token":"x","params":{}}`, zvcmstest.CodeBadToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, m := post(t, srv, "getCustomerCoupons", []byte(tc.body))
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, false, m["status"], "NativeTypes answers a bool")
			want, _ := strconv.Atoi(tc.code)
			assert.Equal(t, float64(want), m["code"])
		})
	}
	status, m := post(t, srv, "deleteEverything", []byte(signedAt1547186244))
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, float64(404), m["code"])
	assert.Zero(t, len(srv.Redemptions()))
	assert.Equal(t, 10, srv.RequestCount())
}

// TestFakeWithClient covers what a client sees: credentials, the timestamp
// window, nonce replays and the injected faults.
func TestFakeWithClient(t *testing.T) {
	leakcheck.Check(t)
	clk := &clock{now: epoch}
	srv := zvcmstest.NewServer(zvcmstest.Config{Clock: clk})
	t.Cleanup(srv.Close)
	cp := srv.AddCoupon(zvcms.Coupon{})
	ctx := context.Background()
	req := &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID}
	client := func(t *testing.T, mut func(*zvcms.Config), opts ...couponkit.Option) *zvcms.Client {
		cfg := srv.ClientConfig()
		if mut != nil {
			mut(&cfg)
		}
		opts = append([]couponkit.Option{couponkit.WithClock(clk), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1})}, opts...)
		c, err := zvcms.NewClient(cfg, opts...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	}

	t.Run("wrong key is an auth failure", func(t *testing.T) {
		c := client(t, func(c *zvcms.Config) { c.OpenKey = "wrong" })
		_, err := c.GetCustomerCoupons(ctx, req)
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeBadToken, e.Code)
		assert.Equal(t, couponkit.FaultAuth, e.Fault)
	})
	t.Run("wrong grant code", func(t *testing.T) {
		c := client(t, func(c *zvcms.Config) { c.GrantCode = "wrong" })
		_, err := c.GetCustomerCoupons(ctx, req)
		assert.Equal(t, couponkit.FaultAuth, couponkit.FaultOf(err))
	})
	t.Run("skewed clock", func(t *testing.T) {
		for _, skew := range []time.Duration{-5*time.Minute - time.Second, 5*time.Minute + time.Second} {
			sk := &clock{now: epoch.Add(skew)}
			c := client(t, nil, couponkit.WithClock(sk))
			_, err := c.GetCustomerCoupons(ctx, req)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, zvcmstest.CodeTimestampExpired, e.Code)
			assert.Equal(t, couponkit.FaultAuth, e.Fault)
		}
		for _, skew := range []time.Duration{-5 * time.Minute, 4 * time.Minute} {
			sk := &clock{now: epoch.Add(skew)}
			_, err := client(t, nil, couponkit.WithClock(sk)).GetCustomerCoupons(ctx, req)
			require.NoError(t, err, skew)
		}
	})
	t.Run("reused nonce", func(t *testing.T) {
		c := client(t, func(c *zvcms.Config) { c.NonceFunc = func() string { return "77" } })
		_, err := c.GetCustomerCoupons(ctx, req)
		require.NoError(t, err)
		_, err = c.GetCustomerCoupons(ctx, req)
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNonceReused, e.Code)
	})
	t.Run("custom token function on both sides", func(t *testing.T) {
		tok := func(k, o, g, ts, n string) string { return "T-" + ts + "-" + n }
		s2 := zvcmstest.NewServer(zvcmstest.Config{Clock: clk, TokenFunc: tok})
		defer s2.Close()
		s2.AddCustomer("x")
		c, err := zvcms.NewClient(s2.ClientConfig(), couponkit.WithClock(clk))
		require.NoError(t, err)
		defer c.Close()
		_, err = c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: "x"})
		require.NoError(t, err)
		var body struct{ Token string }
		require.NoError(t, json.Unmarshal(s2.Requests()[0].Body, &body))
		assert.Regexp(t, `^T-\d{10}-\d+$`, body.Token)
	})
	t.Run("injected vendor failures", func(t *testing.T) {
		c := client(t, nil)
		srv.FailNext("1234", "业务异常")
		_, err := c.GetCustomerCoupons(ctx, req)
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "1234", e.Code)
		assert.Equal(t, couponkit.FaultClient, e.Fault)
		srv.FailNextSystem("9999", "系统错误")
		_, err = c.GetCustomerCoupons(ctx, req)
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "9999", e.Code)
		assert.Equal(t, couponkit.FaultUnknown, e.Fault)
		srv.FailNextHTTP(http.StatusTooManyRequests, "slow down")
		_, err = c.GetCustomerCoupons(ctx, req)
		assert.Equal(t, couponkit.FaultThrottle, couponkit.FaultOf(err))
		srv.DropNext()
		_, err = c.GetCustomerCoupons(ctx, req)
		assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
	})
	t.Run("delay on the fake's manual clock takes no real time", func(t *testing.T) {
		c := client(t, nil)
		before := clk.Now()
		srv.DelayNext(10 * time.Minute)
		_, err := c.GetCustomerCoupons(ctx, req)
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeTimestampExpired, e.Code, "the request was handled ten minutes late")
		clk.set(before)
	})
	t.Run("dropped redemption took effect", func(t *testing.T) {
		c := client(t, nil)
		srv.DropNextAfterWrite()
		_, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "b-1", Channel: zvcmstest.DefaultChannel,
			CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}})
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		got, ok := srv.Coupon(cp.CardID)
		require.True(t, ok)
		assert.Equal(t, zvcms.UseStatusRedeemed, got.UseStatus)
		assert.Equal(t, "b-1", srv.Redemptions()[0].BizID)
	})
}

func TestFakeSeeding(t *testing.T) {
	t.Parallel()
	clk := &clock{now: epoch.Add(1500 * time.Millisecond)}
	srv := zvcmstest.NewServer(zvcmstest.Config{Clock: clk})
	defer srv.Close()
	a := srv.AddCoupon(zvcms.Coupon{CustomerID: "c", EndAt: epoch.Add(time.Hour)})
	b := srv.AddCoupon(zvcms.Coupon{CustomerID: "c", CardID: "mine"})
	assert.Regexp(t, `^\d{18}$`, a.CardID)
	assert.Regexp(t, `^\d{18}$`, a.CouponID)
	assert.NotEqual(t, a.CardID, a.CouponID)
	assert.Equal(t, "mine", b.CardID)
	assert.Equal(t, zvcmstest.DefaultChannel, a.Channel)
	assert.True(t, a.CreatedAt.Equal(epoch.Add(time.Second)), "kept to the second")
	_, off := a.CreatedAt.Zone()
	assert.Equal(t, 8*3600, off)
	assert.Panics(t, func() { srv.AddCoupon(zvcms.Coupon{CardID: "mine"}) })
	assert.Len(t, srv.Coupons("c"), 2)
	assert.Empty(t, srv.Coupons("nobody"))
	assert.False(t, srv.SetUseStatus("nope", zvcms.UseStatusFrozen))
	_, ok := srv.Coupon("nope")
	assert.False(t, ok)

	clk.set(epoch.Add(2 * time.Hour))
	got, _ := srv.Coupon(a.CardID)
	assert.Equal(t, zvcms.UseStatusInvalid, got.UseStatus, "an unused coupon past its end is invalid")
}

// TestFakeDelayBeyondTheClientsTimeout: a request the fake holds longer than
// the client's per-attempt timeout is a server fault for a read, sent once.
// It runs in memory inside a synctest bubble, so the timeout fires only once
// every goroutine is blocked: after the request was written and the fake
// parked it in DelayNext, however loaded the machine is.
func TestFakeDelayBeyondTheClientsTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := zvcmstest.Start(t, zvcmstest.Config{InMemory: true})
		srv.AddCustomer(zvcmstest.DefaultCustomerID)
		c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithTimeout(time.Second),
			couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
		require.NoError(t, err)
		defer c.Close()
		srv.DelayNext(time.Hour)
		_, err = c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
		assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err), "%v", err)
		assert.Equal(t, 1, srv.RequestCount())
	})
}

// TestFakeServesTheConfiguredPaths: a fake whose Config moves the paths of
// couponReverse, issueCouponsToCustomer and getCustomerCouponList serves
// them there and nowhere else, and ClientConfig moves the client's too.
func TestFakeServesTheConfiguredPaths(t *testing.T) {
	t.Parallel()
	paths := map[string]string{"couponReverse": "/v3/x/reverse", "issueCouponsToCustomer": "/v3/x/issue", "getCustomerCouponList": "/v3/x/list"}
	srv := zvcmstest.Start(t, zvcmstest.Config{InMemory: true, Paths: paths})
	cp := srv.AddCoupon(zvcms.Coupon{})
	cfg := srv.ClientConfig()
	assert.Equal(t, paths, cfg.Paths)
	assert.PanicsWithValue(t, `zvcmstest: Config.Paths names "nope", which is no API of zvcms.APIs`, func() {
		zvcmstest.NewServer(zvcmstest.Config{InMemory: true, Paths: map[string]string{"nope": "/x"}})
	})
	c, err := zvcms.NewClient(cfg, srv.ClientOption())
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	res, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{Channel: cp.Channel, CustomerID: cp.CustomerID, CardIDs: []string{cp.CardID}})
	require.NoError(t, err)
	_, err = c.ReverseWriteOff(ctx, res.ReverseRequest())
	require.NoError(t, err)
	_, err = c.IssueCoupons(ctx, &zvcms.IssueRequest{CustomerID: cp.CustomerID, CouponID: cp.CouponID, Num: 1})
	require.NoError(t, err)
	n := 0
	for _, err := range c.CustomerCouponList(ctx, &zvcms.CouponListRequest{CustomerID: cp.CustomerID}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
	var apis []string
	for _, r := range srv.Requests() {
		apis = append(apis, r.API+" "+r.Path)
	}
	assert.Equal(t, []string{"writeOffCoupon /v3/crm/coupon/writeOffCoupon", "couponReverse /v3/x/reverse",
		"issueCouponsToCustomer /v3/x/issue", "getCustomerCouponList /v3/x/list"}, apis)

	// The default paths are no API of this fake.
	def, err := zvcms.NewClient(zvcms.Config{Gateway: cfg.Gateway, OpenID: cfg.OpenID, OpenKey: cfg.OpenKey, GrantCode: cfg.GrantCode}, srv.ClientOption())
	require.NoError(t, err)
	defer def.Close()
	_, err = def.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: res.VendorBizID})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusNotFound, e.HTTPStatus)
	assert.Equal(t, zvcmstest.CodeNoAPI, e.Code)
}
