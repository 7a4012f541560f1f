package zvcms_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

func TestCallReachesAnyPath(t *testing.T) {
	f := newFixture(t, zvcmstest.Config{})
	cp := f.srv.AddCoupon(zvcms.Coupon{Title: "t"})
	var out []struct {
		CardID string `json:"cardId"`
		Title  string `json:"title"`
	}
	err := f.c.Call(context.Background(), "/v3/crm/coupon/getCustomerCoupons",
		map[string]any{"customerId": zvcmstest.DefaultCustomerID}, &out, zvcms.ReadOnly())
	require.NoError(t, err)
	require.Len(t, out, 1)
	assert.Equal(t, cp.CardID, out[0].CardID)

	// Pre-encoded params are sent as is; a nil out ignores data.
	err = f.c.Call(context.Background(), "/v3/crm/coupon/getCustomerCoupons",
		json.RawMessage(`{"customerId":"`+zvcmstest.DefaultCustomerID+`"}`), nil)
	require.NoError(t, err)
	reqs := f.srv.Requests()
	assert.Equal(t, `{"customerId":"`+zvcmstest.DefaultCustomerID+`"}`, string(parseRequest(t, reqs[1].Body).Params))

	// A vendor refusal is an error like the typed calls'.
	err = f.c.Call(context.Background(), "/v3/crm/coupon/getCustomerCoupons", []byte(`{"customerId":"nobody"}`), &out)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	assert.Equal(t, "getCustomerCoupons", e.Operation)

	// An unknown path.
	err = f.c.Call(context.Background(), "/v3/crm/customer/getInfo", nil, nil, zvcms.ReadOnly())
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeNoAPI, e.Code)
	assert.Equal(t, http.StatusNotFound, e.HTTPStatus)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
}

func TestCallDataNotDecodable(t *testing.T) {
	f := newFixture(t, zvcmstest.Config{})
	f.srv.AddCoupon(zvcms.Coupon{})
	var out int
	err := f.c.Call(context.Background(), "/v3/crm/coupon/getCustomerCoupons", map[string]string{"customerId": zvcmstest.DefaultCustomerID}, &out)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Contains(t, e.Message, "reported success")
}

func TestCallValidation(t *testing.T) {
	c, mt := mock(t, zvcms.Config{})
	for _, tc := range []struct {
		path   string
		params any
		field  string
	}{
		{"v3/crm/coupon/x", nil, "path"},
		{"/v3/x?y=1", nil, "path"},
		{"/v3/x", json.RawMessage(`{`), "params"},
		{"/v3/x", []byte(`nope`), "params"},
		{"/v3/x", map[string]any{"f": make(chan int)}, "params"},
	} {
		err := c.Call(context.Background(), tc.path, tc.params, nil)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.path)
		assert.Equal(t, tc.field, ve.Field)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestCallRetryClasses(t *testing.T) {
	url := zvcms.Gateway + "/v3/crm/coupon/redeemSomething"
	for _, tc := range []struct {
		name     string
		opts     []zvcms.CallOption
		attempts int
		unknown  bool
		key      string
	}{
		{"default is unsafe", nil, 1, true, ""},
		{"read only retries", []zvcms.CallOption{zvcms.ReadOnly()}, 3, false, ""},
		{"keyed retries and reports the key", []zvcms.CallOption{zvcms.Keyed("bizId", "K1")}, 3, true, "K1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mock(t, zvcms.Config{})
			mt.RegisterResponder(http.MethodPost, url, func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: http.StatusBadGateway, Body: http.NoBody, Header: http.Header{}}, nil
			})
			err := c.Call(context.Background(), "/v3/crm/coupon/redeemSomething", map[string]string{"bizId": "K1"}, nil, tc.opts...)
			require.Error(t, err)
			assert.Equal(t, tc.attempts, mt.GetTotalCallCount())
			assert.Equal(t, tc.unknown, couponkit.FaultOf(err) == couponkit.FaultServer && isUnknown(err))
			if tc.unknown {
				key, ok := couponkit.IdempotencyKey(err)
				assert.True(t, ok)
				assert.Equal(t, tc.key, key)
			}
		})
	}
}

func isUnknown(err error) bool {
	_, ok := couponkit.IdempotencyKey(err)
	return ok
}
