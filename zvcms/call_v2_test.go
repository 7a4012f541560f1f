package zvcms_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// v2Capture answers every V2 request to the mock gateway with status and
// body, and records the bodies sent.
func v2Capture(mt *httpmock.MockTransport, status int, body string) *[][]byte {
	var got [][]byte
	mt.RegisterResponder(http.MethodPost, mockGateway+"/api/v2", func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		got = append(got, b)
		return httpmock.NewStringResponse(status, body), nil
	})
	return &got
}

// v2Request is a V2 request as sent.
type v2Request struct {
	OpenID    string          `json:"OpenId"`
	GrantCode string          `json:"GrantCode"`
	Timestamp string          `json:"Timestamp"`
	Nonce     string          `json:"Nonce"`
	Token     string          `json:"Token"`
	Action    string          `json:"Action"`
	Params    json.RawMessage `json:"Params"`
}

func parseV2(t *testing.T, b []byte) v2Request {
	t.Helper()
	var r v2Request
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

// TestCallV2Wire: the V2 envelope byte for byte, its token the vector's
// (computed outside this code, as for Reconciliation), the action as
// Action, params as sent (raw JSON untouched, nil as {}, a value encoded),
// data decoded into out; Config.V2TokenFunc signs V2 calls alone.
func TestCallV2Wire(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)[0]
	c, mt := mock(t, zvcms.Config{OpenID: v.OpenID, OpenKey: v.OpenKey, GrantCode: v.GrantCode, NonceFunc: func() string { return v.Nonce }},
		couponkit.WithClock(testclock.New(epoch)))
	sent := v2Capture(mt, http.StatusOK, success(`{"list":[{"cardId":"390913445498200065"}],"total":"1"}`))
	var out struct {
		List []struct {
			CardID string `json:"cardId"`
		} `json:"list"`
	}
	meta, err := c.CallV2(context.Background(), "coupon.user-coupon-list",
		map[string]any{"customerId": "383933091455959041", "page": 1}, &out, couponkit.Read())
	require.NoError(t, err)
	require.Len(t, out.List, 1)
	assert.Equal(t, "390913445498200065", out.List[0].CardID)
	assert.Equal(t, http.StatusOK, meta.HTTPStatus)
	assert.Equal(t, 1, meta.Attempts)
	assert.Equal(t, "c5tQPIuCl4dFK%2FW%2FDF7iIwt6cK4%3D", v.Token, "the vector's token")

	_, err = c.CallV2(context.Background(), "user.coupon-new-status", json.RawMessage(`{ "code" : "A1",  "x":[1, 2] }`), nil)
	require.NoError(t, err)
	_, err = c.CallV2(context.Background(), "user.cybuy-cards-canused", nil, nil)
	require.NoError(t, err)
	const head = `{"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Timestamp":"1547186244","Nonce":"658965",` +
		`"Token":"c5tQPIuCl4dFK%2FW%2FDF7iIwt6cK4%3D",`
	want := []string{
		head + `"Action":"coupon.user-coupon-list","Params":{"customerId":"383933091455959041","page":1}}`,
		head + `"Action":"user.coupon-new-status","Params":{ "code" : "A1",  "x":[1, 2] }}`,
		head + `"Action":"user.cybuy-cards-canused","Params":{}}`,
	}
	got := make([]string, len(*sent))
	for i, b := range *sent {
		got[i] = string(b)
	}
	assert.Equal(t, want, got)

	c, mt = mock(t, zvcms.Config{TokenFunc: func(_, _, _, _, _ string) string { return "v3" },
		V2TokenFunc: func(_, _, _, ts, nonce string) string { return "v2-" + ts }})
	sent = v2Capture(mt, http.StatusOK, success(absent))
	_, err = c.CallV2(context.Background(), "coupon.off-coupon", nil, nil)
	require.NoError(t, err)
	require.Len(t, *sent, 1)
	assert.Equal(t, "v2-1547186244", parseV2(t, (*sent)[0]).Token)
}

// TestCallV2RetryClasses: CallV2 is Unsafe by default (one request after a
// 5xx, an unknown outcome without a key), couponkit.Read() is retried to a
// plain error, and couponkit.Keyed is retried with the same params, signed
// afresh, to an unknown outcome carrying its key.
func TestCallV2RetryClasses(t *testing.T) {
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
		{"keyed is retried with its key", []couponkit.CallOption{couponkit.Keyed("orderNo", "K1")}, 3, true, "K1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t, zvcms.Config{})
			bodies := v2Capture(mt, http.StatusBadGateway, "bad gateway")
			_, err := c.CallV2(context.Background(), "communal.user.consume", map[string]string{"orderNo": "K1"}, nil, tc.opts...)
			require.Error(t, err)
			assert.Len(t, *bodies, tc.attempts)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, couponkit.FaultServer, e.Fault)
			assert.Equal(t, http.StatusBadGateway, e.HTTPStatus)
			assert.Equal(t, "communal.user.consume", e.Operation)
			key, ok := couponkit.IdempotencyKey(err)
			assert.Equal(t, tc.unknown, ok)
			assert.Equal(t, tc.key, key)
			tokens := map[string]bool{}
			for _, b := range *bodies {
				r := parseV2(t, b)
				assert.Equal(t, "communal.user.consume", r.Action)
				assert.JSONEq(t, `{"orderNo":"K1"}`, string(r.Params), "the same params on every attempt")
				tokens[r.Token] = true
			}
			assert.Len(t, tokens, tc.attempts, "every attempt is signed afresh")
		})
	}
}

// v2Fixture is a fake serving the V2 action consume (communal.user.consume)
// with a handler that counts what it applied.
func v2Fixture(t *testing.T) (*fixture, *atomic.Int64) {
	t.Helper()
	f := newFixture(t, zvcmstest.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
	var applied atomic.Int64 // the handler runs on the server's goroutines
	f.srv.HandleV2("communal.user.consume", func(params json.RawMessage) (any, *zvcmstest.Refusal) {
		var p struct {
			OrderNo string `json:"orderNo"`
		}
		if json.Unmarshal(params, &p) != nil || p.OrderNo == "" {
			return nil, &zvcmstest.Refusal{Code: zvcmstest.CodeBadParam, Message: "参数错误: orderNo"}
		}
		return map[string]any{"orderNo": p.OrderNo, "applied": applied.Add(1)}, nil
	})
	return f, &applied
}

// TestCallV2OutcomeRules against the fake: an Unsafe call whose answer is
// lost after the gateway acted is sent once and has an unknown outcome; a
// Keyed one is sent again with the same params and succeeds; a Keyed one
// whose retry is refused after an applied attempt has an unknown outcome
// with its key, the refusal reachable.
func TestCallV2OutcomeRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("unsafe, dropped after the write", func(t *testing.T) {
		t.Parallel()
		f, applied := v2Fixture(t)
		f.srv.DropNextAfterWrite()
		_, err := f.c.CallV2(ctx, "communal.user.consume", map[string]string{"orderNo": "U1"}, nil)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		key, _ := couponkit.IdempotencyKey(err)
		assert.Empty(t, key, "no key was given")
		assert.Equal(t, 1, f.srv.RequestCount(), "sent once")
		assert.Equal(t, int64(1), applied.Load())
	})

	t.Run("keyed, dropped after the write, retried", func(t *testing.T) {
		t.Parallel()
		f, applied := v2Fixture(t)
		f.srv.DropNextAfterWrite()
		var out struct{ OrderNo string }
		meta, err := f.c.CallV2(ctx, "communal.user.consume", map[string]string{"orderNo": "K1"}, &out, couponkit.Keyed("orderNo", "K1"))
		require.NoError(t, err)
		assert.Equal(t, "K1", out.OrderNo)
		assert.Equal(t, 2, meta.Attempts)
		reqs := f.srv.Requests()
		require.Len(t, reqs, 2)
		for _, r := range reqs {
			assert.Equal(t, "communal.user.consume", r.API)
			assert.JSONEq(t, `{"orderNo":"K1"}`, string(parseV2(t, r.Body).Params))
		}
		assert.Equal(t, int64(2), applied.Load(), "this handler does not de-duplicate; the client sent the same params twice")
	})

	t.Run("keyed, refused after an applied attempt", func(t *testing.T) {
		t.Parallel()
		f, applied := v2Fixture(t)
		f.srv.DropNextAfterWrite()
		f.srv.FailNext(zvcmstest.CodeBadParam, "refused")
		_, err := f.c.CallV2(ctx, "communal.user.consume", map[string]string{"orderNo": "K2"}, nil, couponkit.Keyed("orderNo", "K2"))
		u, ce := faulttest.Unknown(t, err, "zvcms", "communal.user.consume", "K2")
		assert.Equal(t, "orderNo", u.KeyName)
		assert.Equal(t, 2, u.Attempts)
		assert.Equal(t, zvcmstest.CodeBadParam, ce.Code)
		assert.Equal(t, 2, f.srv.RequestCount(), "the refusal ends the call")
		assert.Equal(t, int64(1), applied.Load())
	})
}

// TestCallV2VendorFailure: a refusal of the action's handler, a system
// failure and an unknown action are each a *couponkit.Error naming the
// action, definite (not an unknown outcome).
func TestCallV2VendorFailure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, applied := v2Fixture(t)
	f.srv.HandleV2("coupon.coupon-exchange", func(json.RawMessage) (any, *zvcmstest.Refusal) {
		return nil, &zvcmstest.Refusal{Code: zvcmstest.CodeNotFound, Message: "兑换码不存在"}
	})

	_, err := f.c.CallV2(ctx, "coupon.coupon-exchange", map[string]string{"code": "X"}, nil)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, zvcms.Vendor, e.Vendor)
	assert.Equal(t, "coupon.coupon-exchange", e.Operation)
	assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	assert.Equal(t, "兑换码不存在", e.Message)
	assert.Equal(t, http.StatusOK, e.HTTPStatus)

	_, err = f.c.CallV2(ctx, "communal.user.consume", map[string]string{}, nil)
	require.ErrorAs(t, err, &e)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, zvcmstest.CodeBadParam, e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Zero(t, applied.Load())

	_, err = f.c.CallV2(ctx, "coupon.no-such-action", nil, nil)
	require.ErrorAs(t, err, &e)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, zvcmstest.CodeNoAPI, e.Code)
	assert.Equal(t, http.StatusNotFound, e.HTTPStatus)
	assert.Equal(t, "coupon.no-such-action", e.Operation)
	assert.Contains(t, e.Message, "coupon.no-such-action")

	// The fake's own V2 action is still served; the request log names every action.
	_, err = f.c.CallV2(ctx, "data.bi.financial-reconciliation",
		map[string]string{"startDate": "2019-01-01", "endData": "2019-01-02"}, nil, couponkit.Read())
	require.NoError(t, err)
	var apis []string
	for _, r := range f.srv.Requests() {
		apis = append(apis, r.API+" "+r.Path)
	}
	assert.Equal(t, []string{"coupon.coupon-exchange /api/v2", "communal.user.consume /api/v2",
		"coupon.no-such-action /api/v2", "data.bi.financial-reconciliation /api/v2"}, apis)
}

// TestCallV2Validation: a bad action, params or key is refused before
// anything is sent.
func TestCallV2Validation(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	for _, tc := range []struct {
		name   string
		action string
		params any
		opts   []couponkit.CallOption
		field  string
	}{
		{"empty action", "", nil, nil, "action"},
		{"space", "coupon.user coupon-list", nil, nil, "action"},
		{"leading space", " coupon.off-coupon", nil, nil, "action"},
		{"tab", "coupon.off-coupon\t", nil, nil, "action"},
		{"newline", "coupon.off-coupon\n", nil, nil, "action"},
		{"ideographic space", "coupon.off\u3000coupon", nil, nil, "action"},
		{"raw params not JSON", "coupon.off-coupon", json.RawMessage(`{`), nil, "params"},
		{"bytes not JSON", "coupon.off-coupon", []byte(`nope`), nil, "params"},
		{"params that do not encode", "coupon.off-coupon", map[string]any{"f": make(chan int)}, nil, "params"},
		{"keyed without a key", "coupon.off-coupon", map[string]string{"orderNo": ""}, []couponkit.CallOption{couponkit.Keyed("orderNo", "")}, "Keyed"},
		{"keyed, key not in params", "coupon.off-coupon", map[string]string{"other": "K"}, []couponkit.CallOption{couponkit.Keyed("orderNo", "K")}, "params"},
		{"keyed, another key in params", "coupon.off-coupon", map[string]string{"orderNo": "K2"}, []couponkit.CallOption{couponkit.Keyed("orderNo", "K")}, "params"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CallV2(context.Background(), tc.action, tc.params, nil, tc.opts...)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

// TestCallV2RedactsSecrets: a gateway that echoes the request (grantCode,
// token) and the key in its answer leaves none of them in the error.
func TestCallV2RedactsSecrets(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{OpenID: "oid", OpenKey: "open-key-SECRET", GrantCode: "grant-SECRET",
		V2TokenFunc: func(_, _, _, _, _ string) string { return "token-SECRET" }},
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	mt.RegisterResponder(http.MethodPost, mockGateway+"/api/v2", func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		msg, err := json.Marshal("rejected with open-key-SECRET: " + string(b))
		if err != nil {
			return nil, err
		}
		return httpmock.NewStringResponse(http.StatusOK, `{"status":"false","code":"1","message":`+string(msg)+`}`), nil
	})
	_, err := c.CallV2(context.Background(), "coupon.off-coupon", map[string]string{"code": "C1"}, nil)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "coupon.off-coupon", e.Operation)
	for _, s := range []string{err.Error(), e.Message, e.Code} {
		assert.NotContains(t, s, "SECRET")
	}
	assert.Contains(t, err.Error(), "[redacted]")
	assert.Contains(t, err.Error(), "coupon.off-coupon", "the action is no secret")
}
