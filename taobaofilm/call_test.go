package taobaofilm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

const merchantSend = "taobao.film.fcode.merchant.send"

type sendParams struct {
	OrderNo string   `url:"order_no"`
	Mobile  string   `url:"mobile"`
	Count   int      `url:"count"`
	Tags    []string `url:"tags,comma"`
	Memo    string   `url:"memo,omitempty"`
}

type sendResult struct {
	Result struct {
		ReturnCode  string `json:"return_code"`
		ReturnValue struct {
			Codes []string `json:"codes"`
		} `json:"return_value"`
	} `json:"result"`
	RequestID string `json:"request_id"`
}

// fakeSend registers a merchant.send handler on srv that echoes its params.
func fakeSend(srv *taobaofilmtest.Server, got *url.Values) {
	srv.Handle(merchantSend, func(p url.Values) (any, *taobaofilmtest.Error) {
		*got = p
		if p.Get("order_no") == "" {
			return nil, &taobaofilmtest.Error{Code: 40, Msg: "Missing required arguments:order_no", SubCode: "isv.missing-parameter"}
		}
		return map[string]any{"result": map[string]any{"return_code": "0", "return_value": map[string]any{"codes": []string{"A1", "B2"}}}}, nil
	})
}

func TestCallWithStructParams(t *testing.T) {
	for _, simplify := range []bool{false, true} {
		srv := newFake(t, taobaofilmtest.Config{})
		var got url.Values
		fakeSend(srv, &got)
		cfg := fakeConfig(srv)
		cfg.Simplify = simplify
		c, _ := newClient(t, cfg)
		var out sendResult
		err := c.Call(context.Background(), merchantSend, &sendParams{OrderNo: "订单 1+1&2", Mobile: "138", Count: 2, Tags: []string{"a", "b"}}, &out)
		require.NoError(t, err)
		assert.Equal(t, "0", out.Result.ReturnCode)
		assert.Equal(t, []string{"A1", "B2"}, out.Result.ReturnValue.Codes)
		assert.NotEmpty(t, out.RequestID)
		assert.Equal(t, "订单 1+1&2", got.Get("order_no"))
		assert.Equal(t, "2", got.Get("count"))
		assert.Equal(t, "a,b", got.Get("tags"))
		assert.NotContains(t, got, "memo")
		assert.Equal(t, independentSign(got, taobaofilmtest.DefaultAppSecret), got.Get("sign"))

		var raw json.RawMessage
		require.NoError(t, c.Call(context.Background(), merchantSend, map[string]string{"order_no": "x"}, &raw))
		assert.Contains(t, string(raw), `"codes":["A1","B2"]`)
		require.NoError(t, c.Call(context.Background(), merchantSend, url.Values{"order_no": {"y"}}, nil))
		assert.Equal(t, "y", got.Get("order_no"))
	}
}

type stringer struct{}

func (stringer) String() string { return "S" }

func TestCallMapAnyParams(t *testing.T) {
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime), answer{200, `{"film_fcode_merchant_send_response":{}}`})
	err := c.Call(context.Background(), merchantSend, map[string]any{
		"s": "文本 +&", "i": 42, "u": uint8(7), "b": true, "f": couponkit.Fen(1234), "n": json.Number("1.50"),
		"st": stringer{}, "obj": map[string]any{"k": []int{1, 2}}, "nil": nil,
	}, nil)
	require.NoError(t, err)
	f := rec.form(t, 0)
	assert.Equal(t, "文本 +&", f.Get("s"))
	assert.Equal(t, "42", f.Get("i"))
	assert.Equal(t, "7", f.Get("u"))
	assert.Equal(t, "true", f.Get("b"))
	assert.Equal(t, "1234", f.Get("f"))
	assert.Equal(t, "1.50", f.Get("n"))
	assert.Equal(t, "S", f.Get("st"))
	assert.Equal(t, `{"k":[1,2]}`, f.Get("obj"))
	assert.NotContains(t, f, "nil", "empty values are left out by default")
	assert.Equal(t, independentSign(f, "s3cr3t+密钥&"), f.Get("sign"))
}

func TestCallValidation(t *testing.T) {
	var out sendResult
	for _, tc := range []struct {
		name, method string
		params, out  any
		field        string
	}{
		{"empty method", "", nil, nil, "method"},
		{"method with space", "taobao.a b", nil, nil, "method"},
		{"out not a pointer", merchantSend, nil, out, "out"},
		{"nil pointer out", merchantSend, nil, (*sendResult)(nil), "out"},
		{"reserved name", merchantSend, map[string]string{"sign": "x"}, nil, "params"},
		{"reserved timestamp", merchantSend, map[string]string{"timestamp": "x"}, nil, "params"},
		{"empty name", merchantSend, map[string]string{"": "x"}, nil, "params"},
		{"multi-valued", merchantSend, url.Values{"a": {"1", "2"}}, nil, "params"},
		{"slice without comma", merchantSend, struct {
			A []string `url:"a"`
		}{[]string{"1", "2"}}, nil, "params"},
		{"not a struct", merchantSend, 42, nil, "params"},
		{"bad JSON value", merchantSend, map[string]any{"c": make(chan int)}, nil, "params"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime))
			err := c.Call(context.Background(), tc.method, tc.params, tc.out)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, 0, rec.count())
		})
	}
}

func TestCallErrors(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{})
	var got url.Values
	fakeSend(srv, &got)
	c, _ := newClient(t, fakeConfig(srv))

	err := c.Call(context.Background(), "taobao.film.no.such", nil, nil)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "22", e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.NotEmpty(t, e.RequestID)

	err = c.Call(context.Background(), merchantSend, nil, nil)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "40", e.Code)
	assert.Equal(t, "isv.missing-parameter", e.SubCode)

	srv.Handle(merchantSend, func(url.Values) (any, *taobaofilmtest.Error) {
		return map[string]any{"result": map[string]any{"return_code": "NO_STOCK", "return_message": "库存不足"}}, nil
	})
	err = c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil)
	require.ErrorIs(t, err, taobaofilm.ErrBusiness)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "NO_STOCK", e.Code)
	assert.Equal(t, "库存不足", e.Message)

	// The response does not fit out.
	srv.Handle(merchantSend, func(url.Values) (any, *taobaofilmtest.Error) { return map[string]any{"result": 5}, nil })
	var out sendResult
	err = c.Call(context.Background(), merchantSend, nil, &out)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultUnknown, e.Fault)
	assert.Contains(t, e.Message, "does not decode")
}

// A Call is a write unless AsRead says otherwise: a 5xx after the request
// left is an unknown outcome, not retried; a read is retried.
func TestCallRetryClass(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{})
	var got url.Values
	fakeSend(srv, &got)
	c, _ := newClient(t, fakeConfig(srv))

	srv.FailNextHTTP(502)
	err := c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount())

	srv.DropNext()
	err = c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 2, srv.RequestCount())

	srv.ThrottleNext(0)
	require.NoError(t, c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil))
	assert.Equal(t, 4, srv.RequestCount(), "a throttled write is sent again")

	srv.FailNextHTTP(502)
	srv.FailNextServer()
	require.NoError(t, c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil, taobaofilm.AsRead(), nil))
	assert.Equal(t, 7, srv.RequestCount())
	assert.False(t, errors.Is(err, taobaofilm.ErrBusiness))
}

func TestResponseKey(t *testing.T) {
	assert.Equal(t, "film_fcode_export_query_response", taobaofilm.ResponseKey(taobaofilm.MethodExportQuery))
	assert.Equal(t, "film_fcode_merchant_send_response", taobaofilm.ResponseKey(merchantSend))
	assert.Equal(t, "alibaba_foo_bar_response", taobaofilm.ResponseKey("alibaba.foo.bar"))
}
