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
			return nil, &taobaofilmtest.Error{Code: 40, Message: "Missing required arguments:order_no", SubCode: "isv.missing-parameter"}
		}
		return map[string]any{"result": map[string]any{"return_code": "0", "return_value": map[string]any{"codes": []string{"A1", "B2"}}}}, nil
	})
}

func TestCallWithStructParams(t *testing.T) {
	t.Parallel()
	for _, simplify := range []bool{false, true} {
		srv := newFake(t, taobaofilmtest.Config{})
		var got url.Values
		fakeSend(srv, &got)
		cfg := fakeConfig(srv)
		cfg.Simplify = simplify
		c, _ := newClient(t, cfg)
		var out sendResult
		meta, err := c.Call(context.Background(), merchantSend, &sendParams{OrderNo: "订单 1+1&2", Mobile: "138", Count: 2, Tags: []string{"a", "b"}}, &out)
		require.NoError(t, err)
		assert.Equal(t, 200, meta.HTTPStatus)
		assert.Equal(t, 1, meta.Attempts)
		assert.Equal(t, out.RequestID, meta.RequestID)
		assert.Equal(t, "0", out.Result.ReturnCode)
		assert.Equal(t, []string{"A1", "B2"}, out.Result.ReturnValue.Codes)
		assert.NotEmpty(t, out.RequestID)
		assert.Equal(t, "订单 1+1&2", got.Get("order_no"))
		assert.Equal(t, "2", got.Get("count"))
		assert.Equal(t, "a,b", got.Get("tags"))
		assert.NotContains(t, got, "memo")
		assert.Equal(t, independentSign(got, taobaofilmtest.DefaultAppSecret), got.Get("sign"))

		var raw json.RawMessage
		_, err = c.Call(context.Background(), merchantSend, map[string]string{"order_no": "x"}, &raw)
		require.NoError(t, err)
		assert.Contains(t, string(raw), `"codes":["A1","B2"]`)
		_, err = c.Call(context.Background(), merchantSend, url.Values{"order_no": {"y"}}, nil)
		require.NoError(t, err)
		assert.Equal(t, "y", got.Get("order_no"))
	}
}

type stringer struct{}

func (stringer) String() string { return "S" }

func TestCallMapAnyParams(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime), answer{200, `{"film_fcode_merchant_send_response":{}}`})
	_, err := c.Call(context.Background(), merchantSend, map[string]any{
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

// A JSON object's members become parameters: strings as they are, numbers
// and bools as written, objects and arrays as compact JSON, null left out.
func TestCallRawJSONParams(t *testing.T) {
	t.Parallel()
	for _, params := range []any{
		json.RawMessage(`{"s":"文本 +&","n":1.50,"b":false,"obj":{ "ext_order_id" : "K1", "each_num": [1, 2] },"nil":null}`),
		[]byte(`{"s":"文本 +&","n":1.50,"b":false,"obj":{ "ext_order_id" : "K1", "each_num": [1, 2] },"nil":null}`),
	} {
		c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime), answer{200, `{"film_fcode_merchant_send_response":{}}`})
		_, err := c.Call(context.Background(), merchantSend, params, nil)
		require.NoError(t, err)
		f := rec.form(t, 0)
		assert.Equal(t, "文本 +&", f.Get("s"))
		assert.Equal(t, "1.50", f.Get("n"))
		assert.Equal(t, "false", f.Get("b"))
		assert.Equal(t, `{"ext_order_id":"K1","each_num":[1,2]}`, f.Get("obj"))
		assert.NotContains(t, f, "nil")
	}
	// nil sends no business parameter.
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime), answer{200, `{"film_fcode_merchant_send_response":{}}`})
	_, err := c.Call(context.Background(), merchantSend, nil, nil)
	require.NoError(t, err)
	names := make([]string, 0)
	for k := range rec.form(t, 0) {
		names = append(names, k)
	}
	assert.ElementsMatch(t, []string{"app_key", "format", "method", "sign", "sign_method", "timestamp", "v"}, names)
}

func TestCallValidation(t *testing.T) {
	t.Parallel()
	var out sendResult
	for _, tc := range []struct {
		name        string
		api         string
		params, out any
		opts        []couponkit.CallOption
		field       string
	}{
		{"empty api", "", nil, nil, nil, "api"},
		{"api with space", "taobao.a b", nil, nil, nil, "api"},
		{"out not a pointer", merchantSend, nil, out, nil, "out"},
		{"nil pointer out", merchantSend, nil, (*sendResult)(nil), nil, "out"},
		{"reserved name", merchantSend, map[string]string{"sign": "x"}, nil, nil, "params"},
		{"reserved timestamp", merchantSend, map[string]string{"timestamp": "x"}, nil, nil, "params"},
		{"empty name", merchantSend, map[string]string{"": "x"}, nil, nil, "params"},
		{"multi-valued", merchantSend, url.Values{"a": {"1", "2"}}, nil, nil, "params"},
		{"slice without comma", merchantSend, struct {
			A []string `url:"a"`
		}{[]string{"1", "2"}}, nil, nil, "params"},
		{"not a struct", merchantSend, 42, nil, nil, "params"},
		{"bad JSON value", merchantSend, map[string]any{"c": make(chan int)}, nil, nil, "params"},
		{"raw JSON not an object", merchantSend, json.RawMessage(`[1]`), nil, nil, "params"},
		{"raw JSON malformed", merchantSend, []byte(`{"a":`), nil, nil, "params"},
		{"Keyed without a key", merchantSend, map[string]string{"a": "1"}, nil, []couponkit.CallOption{couponkit.Keyed("ext_order_id", "")}, "key"},
		{"Keyed key not sent", merchantSend, map[string]string{"a": "1"}, nil, []couponkit.CallOption{couponkit.Keyed("ext_order_id", "K-1")}, "params"},
		{"Keyed key differs", merchantSend, map[string]string{"ext_order_id": "K-2"}, nil, []couponkit.CallOption{couponkit.Keyed("ext_order_id", "K-1")}, "params"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime))
			_, err := c.Call(context.Background(), tc.api, tc.params, tc.out, tc.opts...)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, 0, rec.count())
		})
	}
}

func TestCallErrors(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{})
	var got url.Values
	fakeSend(srv, &got)
	c, _ := newClient(t, fakeConfig(srv))

	_, err := c.Call(context.Background(), "taobao.film.no.such", nil, nil)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "22", e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.NotEmpty(t, e.RequestID)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))

	_, err = c.Call(context.Background(), merchantSend, nil, nil)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "40", e.Code)
	assert.Equal(t, "isv.missing-parameter", e.SubCode)

	srv.Handle(merchantSend, func(url.Values) (any, *taobaofilmtest.Error) {
		return map[string]any{"result": map[string]any{"return_code": "NO_STOCK", "return_message": "库存不足"}}, nil
	})
	_, err = c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil)
	require.ErrorIs(t, err, taobaofilm.ErrBusiness)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "NO_STOCK", e.Code)
	assert.Equal(t, "库存不足", e.Message)
	assert.Equal(t, couponkit.FaultClient, e.Fault)

	// The answer does not fit out: a definite success that took effect, not
	// an unknown outcome.
	srv.Handle(merchantSend, func(url.Values) (any, *taobaofilmtest.Error) { return map[string]any{"result": 5}, nil })
	var out sendResult
	_, err = c.Call(context.Background(), merchantSend, nil, &out)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Contains(t, e.Message, "took effect")
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, 4, srv.RequestCount())
}

// taobao.film.fcode.merchant.send (TOP apiId=24722) answers return_code,
// return_message and return_value directly in the response object, not in
// result. A return_code other than "0" there is a business failure, in both
// JSON shapes; "0" is a success.
func TestMerchantSendFlatReturnCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		simplify bool
		body     string
		code     string
		msg      string
	}{
		{"wrapped, failing", false, `{"film_fcode_merchant_send_response":{"return_code":"ERR_STOCK","return_message":"库存不足","return_value":null,"request_id":"5ydbs1qypr1k"}}`, "ERR_STOCK", "库存不足"},
		{"wrapped, numeric code", false, `{"film_fcode_merchant_send_response":{"return_code":1001,"return_message":"活动不存在","request_id":"r2"}}`, "1001", "活动不存在"},
		{"simplify, failing", true, `{"return_code":"ERR_STOCK","return_message":"库存不足","request_id":"5ydbs1qypr1k"}`, "ERR_STOCK", "库存不足"},
		{"wrapped, result fails though the top passes", false, `{"film_fcode_merchant_send_response":{"return_code":"0","result":{"return_code":"E9","return_message":"失败"}}}`, "E9", "失败"},
		{"wrapped, success", false, `{"film_fcode_merchant_send_response":{"return_code":"0","return_message":"success","return_value":{"codes":["A1"]},"request_id":"r3"}}`, "", ""},
		{"simplify, success", true, `{"return_code":"0","return_message":"success","return_value":{"codes":["A1"]},"request_id":"r3"}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, rec := mockClient(t, taobaofilm.Config{Simplify: tc.simplify}, testclock.New(vectorTime), answer{200, tc.body})
			var out struct {
				ReturnValue struct {
					Codes []string `json:"codes"`
				} `json:"return_value"`
			}
			meta, err := c.Call(context.Background(), merchantSend,
				map[string]string{"param_f_code_merchant_send_code_request": `{"ext_order_id":"E-1","number":1}`}, &out)
			assert.Equal(t, 1, rec.count())
			if tc.code == "" {
				require.NoError(t, err)
				assert.Equal(t, []string{"A1"}, out.ReturnValue.Codes)
				assert.Equal(t, "r3", meta.RequestID)
				return
			}
			require.ErrorIs(t, err, taobaofilm.ErrBusiness)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a definite answer")
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.msg, e.Message)
			assert.Equal(t, couponkit.FaultClient, e.Fault)
		})
	}
}

// The generic call is Unsafe by default: after a 5xx it is not sent again
// and its outcome is unknown. Read() is retried; Keyed is retried with the
// same key on the wire, re-signed.
func TestCallRetryClass(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{})
	var got url.Values
	fakeSend(srv, &got)
	c, _ := newClient(t, fakeConfig(srv))

	srv.FailNextHTTP(502, "<html>502 Bad Gateway</html>")
	_, err := c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount(), "Unsafe: exactly one request")

	srv.ThrottleNext(0)
	_, err = c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.RequestCount(), "a throttled write is sent again")

	srv.FailNextHTTP(502, "<html>502 Bad Gateway</html>")
	srv.FailNextHTTP(500, "<html>500 Internal Server Error</html>")
	meta, err := c.Call(context.Background(), merchantSend, map[string]string{"order_no": "1"}, nil, couponkit.Read(), nil)
	require.NoError(t, err)
	assert.Equal(t, 3, meta.Attempts)
	assert.Equal(t, 6, srv.RequestCount(), "Read: retried")

	srv.FailNextHTTP(503, "<html>503</html>")
	srv.DropNextAfterWrite()
	meta, err = c.Call(context.Background(), merchantSend, map[string]string{"order_no": "K-7"}, nil, couponkit.Keyed("order_no", "K-7"))
	require.NoError(t, err)
	assert.Equal(t, 3, meta.Attempts)
	reqs := srv.Requests()
	require.Len(t, reqs, 9)
	for _, r := range reqs[6:] {
		p := taobaofilmtest.Params(r)
		assert.Equal(t, "K-7", p.Get("order_no"), "the same key on every attempt")
		assert.Equal(t, independentSign(p, taobaofilmtest.DefaultAppSecret), p.Get("sign"), "signed for its own timestamp")
	}
}

func TestResponseKey(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "film_fcode_export_query_response", taobaofilm.ResponseKey(taobaofilm.MethodExportQuery))
	assert.Equal(t, "film_fcode_merchant_send_response", taobaofilm.ResponseKey(merchantSend))
	assert.Equal(t, "alibaba_foo_bar_response", taobaofilm.ResponseKey("alibaba.foo.bar"))
}
