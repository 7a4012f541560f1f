package zvcms_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

func TestCallReachesAnyPath(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	cp := f.srv.AddCoupon(zvcms.Coupon{Title: "t"})
	var out []struct {
		CardID string `json:"cardId"`
		Title  string `json:"title"`
	}
	// An API name is sent under /v3/crm/coupon/.
	meta, err := f.c.Call(context.Background(), "getCustomerCoupons",
		map[string]any{"customerId": zvcmstest.DefaultCustomerID}, &out, couponkit.Read())
	require.NoError(t, err)
	require.Len(t, out, 1)
	assert.Equal(t, cp.CardID, out[0].CardID)
	assert.Equal(t, "t", out[0].Title)
	assert.Equal(t, http.StatusOK, meta.HTTPStatus)
	assert.Equal(t, 1, meta.Attempts)
	assert.Contains(t, string(meta.Raw), cp.CardID)

	// A path is sent as is; pre-encoded params go out unchanged; a nil out ignores data.
	_, err = f.c.Call(context.Background(), "/v3/crm/coupon/getCustomerCoupons",
		json.RawMessage(`{"customerId":"`+zvcmstest.DefaultCustomerID+`"}`), nil)
	require.NoError(t, err)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "getCustomerCoupons", reqs[0].API)
	assert.Equal(t, "getCustomerCoupons", reqs[1].API)
	assert.Equal(t, `{"customerId":"`+zvcmstest.DefaultCustomerID+`"}`, string(parseRequest(t, reqs[1].Body).Params))

	// A vendor refusal is an error like the typed calls'.
	_, err = f.c.Call(context.Background(), "getCustomerCoupons", []byte(`{"customerId":"nobody"}`), &out)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	assert.Equal(t, "getCustomerCoupons", e.Operation)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)

	// An unknown path: the fake's 404 is a definite client error, not an unknown outcome.
	_, err = f.c.Call(context.Background(), "/v3/crm/customer/getInfo", nil, nil)
	require.ErrorAs(t, err, &e)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, zvcmstest.CodeNoAPI, e.Code)
	assert.Equal(t, "getInfo", e.Operation)
	assert.Equal(t, http.StatusNotFound, e.HTTPStatus)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
}

// TestCallDataNotDecodable: a definite success whose data does not fit out is
// a client fault saying the call took effect, not an unknown outcome, and the
// metadata is still returned.
func TestCallDataNotDecodable(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	f.srv.AddCoupon(zvcms.Coupon{})
	var out int
	meta, err := f.c.Call(context.Background(), "getCustomerCoupons", map[string]string{"customerId": zvcmstest.DefaultCustomerID}, &out)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Equal(t, "getCustomerCoupons", e.Operation)
	assert.Contains(t, e.Message, "took effect")
	var ute *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &ute)
	assert.Equal(t, http.StatusOK, meta.HTTPStatus)
	assert.Equal(t, 1, meta.Attempts)
	assert.Equal(t, 1, f.srv.RequestCount())
}

func TestCallValidation(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	for _, tc := range []struct {
		name   string
		api    string
		params any
		opts   []couponkit.CallOption
		field  string
	}{
		{"empty api", "", nil, nil, "api"},
		{"path ending in a slash", "/v3/crm/coupon/", nil, nil, "api"},
		{"query", "/v3/x?y=1", nil, nil, "api"},
		{"space", "get Coupons", nil, nil, "api"},
		{"double slash", "/v3//x", nil, nil, "api"},
		{"raw params not JSON", "x", json.RawMessage(`{`), nil, "params"},
		{"bytes not JSON", "x", []byte(`nope`), nil, "params"},
		{"params that do not encode", "x", map[string]any{"f": make(chan int)}, nil, "params"},
		{"keyed without a key", "x", map[string]string{"bizId": ""}, []couponkit.CallOption{couponkit.Keyed("bizId", "")}, "Keyed"},
		{"keyed without a key name", "x", nil, []couponkit.CallOption{couponkit.Keyed("", "K")}, "Keyed"},
		{"keyed, key not in params", "x", map[string]string{"other": "K"}, []couponkit.CallOption{couponkit.Keyed("bizId", "K")}, "params"},
		{"keyed, another key in params", "x", map[string]string{"bizId": "K2"}, []couponkit.CallOption{couponkit.Keyed("bizId", "K")}, "params"},
		{"keyed, params an array", "x", []string{"K"}, []couponkit.CallOption{couponkit.Keyed("bizId", "K")}, "params"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Call(context.Background(), tc.api, tc.params, nil, tc.opts...)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

// TestCallKeyedAcceptsANumericKey: the key may be a JSON number in params.
func TestCallKeyedAcceptsANumericKey(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	got := capture(mt, "redeemSomething", okEmpty)
	_, err := c.Call(context.Background(), "redeemSomething", json.RawMessage(`{"bizId":42,"x":{"y":[1]}}`), nil, couponkit.Keyed("bizId", "42"))
	require.NoError(t, err)
	require.Len(t, *got, 1)
	assert.JSONEq(t, `{"bizId":42,"x":{"y":[1]}}`, string(parseRequest(t, (*got)[0]).Params))
}

// TestCallRetryClasses: the generic call is Unsafe by default (one request
// after a 5xx, an unknown outcome with no key), couponkit.Read() is retried to
// a plain error, and couponkit.Keyed is retried with the same key on the wire
// of every attempt, re-signed, to an unknown outcome carrying the key.
func TestCallRetryClasses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		opts     []couponkit.CallOption
		attempts int
		unknown  bool
		key      string
	}{
		{"default is unsafe", nil, 1, true, ""},
		{"read is retried", []couponkit.CallOption{couponkit.Read()}, 3, false, ""},
		{"keyed is retried with its key", []couponkit.CallOption{couponkit.Keyed("bizId", "K1")}, 3, true, "K1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t, zvcms.Config{})
			var bodies [][]byte
			mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/redeemSomething", func(r *http.Request) (*http.Response, error) {
				b, err := io.ReadAll(r.Body)
				if err != nil {
					return nil, err
				}
				bodies = append(bodies, b)
				return httpmock.NewStringResponse(http.StatusBadGateway, "bad gateway"), nil
			})
			_, err := c.Call(context.Background(), "redeemSomething", map[string]string{"bizId": "K1"}, nil, tc.opts...)
			require.Error(t, err)
			assert.Len(t, bodies, tc.attempts)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, couponkit.FaultServer, e.Fault)
			assert.Equal(t, http.StatusBadGateway, e.HTTPStatus)
			key, ok := couponkit.IdempotencyKey(err)
			assert.Equal(t, tc.unknown, ok)
			assert.Equal(t, tc.key, key)
			tokens := map[string]bool{}
			for _, b := range bodies {
				r := parseRequest(t, b)
				assert.JSONEq(t, `{"bizId":"K1"}`, string(r.Params), "the same key on every attempt")
				tokens[r.Token] = true
			}
			assert.Len(t, tokens, tc.attempts, "every attempt is signed afresh")
		})
	}
}
