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

// memberCoupons is the fake's answer to listCpnItemByMember (the vendor's
// shape for it is not published).
type memberCoupons struct {
	List []struct {
		CouponID string                 `json:"cpnId"`
		Code     string                 `json:"cpnCode"`
		Status   houcaller.CouponStatus `json:"status"`
	} `json:"list"`
}

func TestQueryListsCouponsWithTypedStatus(t *testing.T) {
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	codes := res.Codes()
	require.True(t, srv.SetCouponStatus(codes[0], houcaller.CouponRedeemed))
	require.True(t, srv.SetCouponStatus(codes[2], houcaller.CouponGifting))
	assert.False(t, srv.SetCouponStatus("nope", houcaller.CouponExpired))

	var out memberCoupons
	require.NoError(t, c.Query(context.Background(), houcaller.EndpointListCouponsByMember, map[string]string{"memberId": "L38E1ASJP00Q4"}, &out))
	require.Len(t, out.List, 3)
	assert.Equal(t, codes[0], out.List[0].Code)
	assert.Equal(t, houcaller.CouponRedeemed, out.List[0].Status)
	assert.Equal(t, houcaller.CouponUnused, out.List[1].Status)
	assert.Equal(t, houcaller.CouponGifting, out.List[2].Status)

	reqs := srv.Requests()
	plain, err := srv.Decrypt(parseWire(t, reqs[len(reqs)-1].Body).Param)
	require.NoError(t, err)
	assert.Equal(t, `{"memberId":"L38E1ASJP00Q4"}`, string(plain))
	assert.Equal(t, "listCpnItemByMember", reqs[len(reqs)-1].Endpoint)
}

func TestQueryRetriesServerErrorsCallDoesNot(t *testing.T) {
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	srv.FailNextHTTP(http.StatusServiceUnavailable)
	var out memberCoupons
	require.NoError(t, c.Query(context.Background(), "listCpnItemByMember", json.RawMessage(`{ "memberId" : "m1" }`), &out))
	assert.Empty(t, out.List)
	assert.Equal(t, 2, srv.RequestCount())
	plain, err := srv.Decrypt(parseWire(t, srv.Requests()[1].Body).Param)
	require.NoError(t, err)
	assert.Equal(t, `{"memberId":"m1"}`, string(plain), "raw params are compacted")

	srv.FailNextHTTP(http.StatusServiceUnavailable)
	err = c.Call(context.Background(), houcaller.EndpointGiftCoupon, map[string]string{"cpnCode": "X"}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "Call treats the endpoint as a write")
	assert.Equal(t, 3, srv.RequestCount())
}

func TestCallDecodesDataAndErrors(t *testing.T) {
	c, mt, _ := mockClient(t, houcaller.Config{})
	mt.RegisterResponder("POST", mockGateway+"/getLastSendCpnItem", httpmock.NewStringResponder(200, `{"smg":"ok","code":"0","data":{"cpnCode":"C1","status":"3"}}`))
	mt.RegisterResponder("POST", mockGateway+"/cpnShiftGift", httpmock.NewStringResponder(200, `{"msg":"券不可转赠","code":2005}`))
	var last struct {
		Code   string                 `json:"cpnCode"`
		Status houcaller.CouponStatus `json:"status"`
	}
	require.NoError(t, c.Query(context.Background(), houcaller.EndpointLastSentCoupons, nil, &last))
	assert.Equal(t, "C1", last.Code)
	assert.Equal(t, houcaller.CouponRefunded, last.Status)

	err := c.Call(context.Background(), houcaller.EndpointGiftCoupon, map[string]any{"cpnCode": "C1"}, nil)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "2005", ce.Code)
	assert.Equal(t, "cpnShiftGift", ce.Operation)

	var wrong struct {
		Code int `json:"cpnCode"`
	}
	err = c.Query(context.Background(), houcaller.EndpointLastSentCoupons, nil, &wrong)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "0", ce.Code)
	assert.Contains(t, ce.Message, "accepted (code 0)")
}

func TestCallValidatesBeforeSending(t *testing.T) {
	c, mt, _ := mockClient(t, houcaller.Config{})
	for _, ep := range []string{"", "a/b", "../x", "x?y=1", "..", "名"} {
		err := c.Call(context.Background(), ep, nil, nil)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, ep)
		assert.Equal(t, "endpoint", ve.Field)
	}
	err := c.Call(context.Background(), "cpnShiftGift", json.RawMessage(`{"a":`), nil)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "params", ve.Field)
	err = c.Call(context.Background(), "cpnShiftGift", map[string]any{"f": func() {}}, nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "params", ve.Field)
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestCouponStatusJSON(t *testing.T) {
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
