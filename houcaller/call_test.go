package houcaller_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// memberCoupons is part of listCpnItemByMember's answer, as a caller of
// the generic Call would declare it.
type memberCoupons struct {
	List []struct {
		CouponID string                 `json:"cpnid"`
		Code     string                 `json:"cpnCode"`
		Status   houcaller.CouponStatus `json:"status"`
	} `json:"list"`
}

func TestCallReadListsCouponsWithTypedStatus(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	codes := res.Codes()
	require.True(t, srv.SetCouponStatus(codes[0], houcaller.CouponRedeemed))
	require.True(t, srv.SetCouponStatus(codes[2], houcaller.CouponGifting))
	assert.False(t, srv.SetCouponStatus("nope", houcaller.CouponExpired))

	var out memberCoupons
	meta, err := c.Call(context.Background(), houcaller.EndpointListCouponsByMember, map[string]string{"memberId": "L38E1ASJP00Q4"}, &out, couponkit.Read())
	require.NoError(t, err)
	assert.Equal(t, 1, meta.Attempts)
	assert.Equal(t, http.StatusOK, meta.HTTPStatus)
	assert.Contains(t, string(meta.Raw), codes[0])
	require.Len(t, out.List, 3)
	assert.Equal(t, codes[0], out.List[0].Code)
	assert.Equal(t, houcaller.CouponRedeemed, out.List[0].Status)
	assert.Equal(t, houcaller.CouponUnused, out.List[1].Status)
	assert.Equal(t, houcaller.CouponGifting, out.List[2].Status)

	reqs := srv.Requests()
	plain, err := srv.Decrypt(parseWire(t, reqs[len(reqs)-1].Body).Param)
	require.NoError(t, err)
	assert.Equal(t, `{"memberId":"L38E1ASJP00Q4"}`, string(plain))
	assert.Equal(t, "listCpnItemByMember", reqs[len(reqs)-1].API)
}

// The generic call's three classes: Unsafe by default (one request after a
// 5xx, an unknown outcome), Read retried, Keyed retried with the same key
// on the wire of every attempt.
func TestCallClasses(t *testing.T) {
	t.Parallel()
	t.Run("default is unsafe", func(t *testing.T) {
		t.Parallel()
		c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
		srv.FailNextHTTP(http.StatusServiceUnavailable, "busy")
		_, err := c.Call(context.Background(), houcaller.EndpointGiftCoupon, map[string]string{"cpnCode": "X"}, nil)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		var u *couponkit.UnknownOutcomeError
		require.ErrorAs(t, err, &u)
		assert.Equal(t, 1, u.Attempts)
		assert.Equal(t, "cpnShiftGift", u.Operation)
		assert.Equal(t, 1, srv.RequestCount())
	})
	t.Run("read is retried", func(t *testing.T) {
		t.Parallel()
		c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
		srv.FailNextHTTP(http.StatusServiceUnavailable, "busy")
		var out memberCoupons
		meta, err := c.Call(context.Background(), "listCpnItemByMember", json.RawMessage(`{ "memberId" : "m1" }`), &out, couponkit.Read())
		require.NoError(t, err)
		assert.Empty(t, out.List)
		assert.Equal(t, 2, meta.Attempts)
		assert.Equal(t, 2, srv.RequestCount())
		plain, err := srv.Decrypt(parseWire(t, srv.Requests()[1].Body).Param)
		require.NoError(t, err)
		assert.Equal(t, `{ "memberId" : "m1" }`, string(plain), "raw params are sent as given")
	})
	t.Run("keyed is retried with the same key", func(t *testing.T) {
		t.Parallel()
		c, mt, _ := mockClient(t, houcaller.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 4}))
		var rec recorder
		mt.RegisterResponder("POST", mockGateway+"/recordMemberCons", rec.responder(502, "<html>bad gateway</html>"))
		_, err := c.Call(context.Background(), houcaller.EndpointRecordConsumption,
			map[string]any{"consNo": "C-77", "memberId": "m1", "amount": "1.00"}, nil, couponkit.Keyed("consNo", "C-77"))
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		key, ok := couponkit.IdempotencyKey(err)
		require.True(t, ok)
		assert.Equal(t, "C-77", key)
		require.Len(t, rec.bodies, 4)
		for i, b := range rec.bodies {
			plain := decryptECB(t, testKey, parseWire(t, []byte(b)).Param)
			var p map[string]string
			require.NoError(t, json.Unmarshal(plain, &p))
			assert.Equal(t, "C-77", p["consNo"], "attempt %d", i+1)
		}
	})
}

func TestCallDecodesDataAndErrors(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	mt.RegisterResponder("POST", mockGateway+"/getLastSendCpnItem", httpmock.NewStringResponder(200, `{"smg":"ok","code":"0","data":{"cpnCode":"C1","status":"3"}}`))
	mt.RegisterResponder("POST", mockGateway+"/cpnShiftGift", httpmock.NewStringResponder(200, `{"msg":"券不可转赠","code":2005}`))
	var last struct {
		Code   string                 `json:"cpnCode"`
		Status houcaller.CouponStatus `json:"status"`
	}
	_, err := c.Call(context.Background(), houcaller.EndpointLastSentCoupons, nil, &last, couponkit.Read())
	require.NoError(t, err)
	assert.Equal(t, "C1", last.Code)
	assert.Equal(t, houcaller.CouponRefunded, last.Status)

	_, err = c.Call(context.Background(), houcaller.EndpointGiftCoupon, map[string]any{"cpnCode": "C1"}, nil)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "the vendor answered")
	assert.Equal(t, "2005", ce.Code)
	assert.Equal(t, "cpnShiftGift", ce.Operation)

	// Code 0 with data that does not fit out: the call took effect.
	var wrong struct {
		Code int `json:"cpnCode"`
	}
	meta, err := c.Call(context.Background(), houcaller.EndpointLastSentCoupons, nil, &wrong)
	require.ErrorAs(t, err, &ce)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, "0", ce.Code)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Contains(t, ce.Message, "took effect")
	assert.Equal(t, http.StatusOK, meta.HTTPStatus, "the Meta is returned with the error")
	assert.Contains(t, string(meta.Raw), `"cpnCode":"C1"`)
}

func TestCallValidatesBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	field := func(err error) string {
		t.Helper()
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
		return ve.Field
	}
	for _, ep := range []string{"", "a/b", "../x", "x?y=1", "..", "名"} {
		_, err := c.Call(context.Background(), ep, nil, nil)
		assert.Equal(t, "api", field(err), ep)
	}
	var out struct{}
	cases := []struct {
		field  string
		params any
		out    any
		opts   []couponkit.CallOption
	}{
		{"params", json.RawMessage(`{"a":`), nil, nil},
		{"params", []byte(`nope`), nil, nil},
		{"params", map[string]any{"f": func() {}}, nil, nil},
		{"out", nil, out, nil},
		{"out", nil, (*struct{})(nil), nil},
		{"keyName", map[string]string{"saleNo": "1"}, nil, []couponkit.CallOption{couponkit.Keyed("", "1")}},
		{"key", map[string]string{"saleNo": "1"}, nil, []couponkit.CallOption{couponkit.Keyed("saleNo", "")}},
		{"params", map[string]string{"saleNo": "2"}, nil, []couponkit.CallOption{couponkit.Keyed("saleNo", "1")}},
		{"params", map[string]string{"other": "1"}, nil, []couponkit.CallOption{couponkit.Keyed("saleNo", "1")}},
		{"params", json.RawMessage(`[1]`), nil, []couponkit.CallOption{couponkit.Keyed("saleNo", "1")}},
	}
	for _, tc := range cases {
		_, err := c.Call(context.Background(), "cpnShiftGift", tc.params, tc.out, tc.opts...)
		assert.Equal(t, tc.field, field(err), "%#v", tc.params)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestCouponStatusJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]houcaller.CouponStatus{`7`: houcaller.CouponGifting, `"2"`: houcaller.CouponExpired, `null`: houcaller.CouponUnused, `""`: houcaller.CouponUnused} {
		var s houcaller.CouponStatus
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s, in)
	}
	var s houcaller.CouponStatus
	assert.Error(t, json.Unmarshal([]byte(`"used"`), &s))
	b, err := json.Marshal(houcaller.CouponRefunded)
	require.NoError(t, err)
	assert.Equal(t, "3", string(b))
}
