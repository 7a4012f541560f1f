package taobaofilm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// sendState is a merchant.send handler on the fake that issues codes once
// per ext_order_id (inside param_f_code_merchant_send_code_request) and
// answers a repeated one with its first answer, in the apiId=24722 shape.
type sendState struct {
	mu      sync.Mutex
	applied map[string]int // ext_order_id → times a send took effect
	answers map[string]map[string]any
}

func newSendState(srv *taobaofilmtest.Server) *sendState {
	s := &sendState{applied: map[string]int{}, answers: map[string]map[string]any{}}
	srv.Handle(merchantSend, func(p url.Values) (any, *taobaofilmtest.Error) {
		var req struct {
			ExtOrderID string `json:"ext_order_id"`
			Number     int    `json:"number"`
		}
		if err := json.Unmarshal([]byte(p.Get("param_f_code_merchant_send_code_request")), &req); err != nil || req.ExtOrderID == "" {
			return nil, &taobaofilmtest.Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter"}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if a, ok := s.answers[req.ExtOrderID]; ok {
			return a, nil
		}
		s.applied[req.ExtOrderID]++
		a := map[string]any{"return_code": "0", "return_message": "success", "return_value": map[string]any{"codes": []string{"C-" + req.ExtOrderID}}}
		s.answers[req.ExtOrderID] = a
		return a, nil
	})
	return s
}

// sends returns how many sends took effect in all.
func (s *sendState) sends() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.applied {
		n += v
	}
	return n
}

// write is one write of the package with its class and key: the typed
// issue calls (SendCodes Keyed, MerchantSendCodes Unsafe) and the generic
// Call, Unsafe by default and Keyed.
type write struct {
	name  string
	op    string // the TOP method
	keyed bool
	key   string
	order string // the ext_order_id sent
	call  func(ctx context.Context, c *taobaofilm.Client) error
}

func sendOrder(order string) map[string]string {
	return map[string]string{"param_f_code_merchant_send_code_request": `{"ext_order_id":"` + order + `","number":1}`}
}

func writes() []write {
	return []write{
		{name: "SendCodes keyed", op: taobaofilm.MethodSendCodes, keyed: true, key: "S-1", order: "S-1", call: func(ctx context.Context, c *taobaofilm.Client) error {
			_, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "S-1", Number: 1})
			return err
		}},
		{name: "MerchantSendCodes unsafe", op: merchantSend, key: "M-1", order: "M-1", call: func(ctx context.Context, c *taobaofilm.Client) error {
			_, err := c.MerchantSendCodes(ctx, &taobaofilm.MerchantSendRequest{ActivityID: 7, ProductMixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "M-1", Number: 1})
			return err
		}},
		{name: "Call unsafe", op: merchantSend, order: "U-1", call: func(ctx context.Context, c *taobaofilm.Client) error {
			_, err := c.Call(ctx, merchantSend, sendOrder("U-1"), nil)
			return err
		}},
		{name: "Call keyed", op: merchantSend, keyed: true, key: "K-1", order: "K-1", call: func(ctx context.Context, c *taobaofilm.Client) error {
			_, err := c.Call(ctx, merchantSend, sendOrder("K-1"), nil, couponkit.Keyed("ext_order_id", "K-1"))
			return err
		}},
	}
}

// ambiguous answers, each injected into every attempt.
var ambiguous = faulttest.Ambiguous(`{"film_fcode_merchant_send_response":{"return_code":"0",`, `{"film_fcode_merchant_send_response":{"return_co`,
	faulttest.Answer("neither the response nor error_response", `{"request_id":"r1"}`),
	faulttest.Answer("error_response without a code", `{"error_response":{"msg":"?"}}`),
	faulttest.Named{Name: "isp server error", Do: func(f couponkittest.Fake) { f.FailNext("isp.remote-service-timeout", "远程服务调用超时") }})

const faultAttempts = 3

// Every write under every ambiguous answer: the error matches
// ErrUnknownOutcome with the key, an Unsafe write is sent once and a Keyed
// one faultAttempts times with the same key (each attempt signed for its
// own timestamp), the send took effect at most once, and the cause is
// still a *couponkit.Error.
func TestWritesWithAmbiguousAnswersHaveUnknownOutcomes(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		for _, f := range ambiguous {
			t.Run(w.name+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				srv := newFake(t, taobaofilmtest.Config{})
				state := newSendState(srv)
				c, _ := newClient(t, fakeConfig(srv), couponkit.WithTimeout(time.Second),
					couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: faultAttempts}))
				for range faultAttempts {
					f.Into(srv)
				}
				err := w.call(context.Background(), c)

				faulttest.Unknown(t, err, taobaofilm.Vendor, w.op, w.key)
				want := faulttest.Sends(w.keyed, faultAttempts)
				reqs := srv.Requests()
				require.Len(t, reqs, want)
				for i, r := range reqs {
					p := taobaofilmtest.Params(r)
					assert.Contains(t, p.Get("param_f_code_merchant_send_code_request"), `"ext_order_id":"`+w.order+`"`, "attempt %d", i+1)
					assert.Equal(t, independentSign(p, taobaofilmtest.DefaultAppSecret), p.Get("sign"), "attempt %d", i+1)
				}
				assert.LessOrEqual(t, state.sends()+int(srv.Issued(taobaofilmtest.DefaultMixID)), 1, "the send took effect at most once")
			})
		}
	}
}

// A Keyed write whose first answer was lost is retried with the same key and
// gets the fake's replayed answer: it took effect once.
func TestKeyedWriteRecoversFromALostAnswer(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{})
	state := newSendState(srv)
	c, _ := newClient(t, fakeConfig(srv))
	srv.DropNextAfterWrite()
	var out struct {
		ReturnValue struct {
			Codes []string `json:"codes"`
		} `json:"return_value"`
	}
	meta, err := c.Call(context.Background(), merchantSend, sendOrder("K-9"), &out, couponkit.Keyed("ext_order_id", "K-9"))
	require.NoError(t, err)
	assert.Equal(t, 2, meta.Attempts)
	assert.Equal(t, []string{"C-K-9"}, out.ReturnValue.Codes)
	assert.Equal(t, 1, state.sends())
}

// A 4xx page refuses the request whatever its body: a plain error, not an
// unknown outcome, for every write, sent once.
func TestWritesRefusedByA4xxPageAreDefinite(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, taobaofilmtest.Config{})
			state := newSendState(srv)
			c, _ := newClient(t, fakeConfig(srv))
			srv.FailNextHTTP(http.StatusNotFound, "<html><head><title>404 Not Found</title></head></html>")
			err := w.call(context.Background(), c)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, couponkit.FaultClient, ce.Fault)
			assert.Equal(t, http.StatusNotFound, ce.HTTPStatus)
			assert.Equal(t, 1, srv.RequestCount())
			assert.Equal(t, 0, state.sends())
			assert.Zero(t, srv.Issued(taobaofilmtest.DefaultMixID))
		})
	}
}

// A wrong gateway path is answered 404 by the fake itself: a client error.
func TestWrongGatewayPathIsAClientError(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{})
	cfg := fakeConfig(srv)
	cfg.Gateway = srv.URL() + "/router/wrong"
	c, _ := newClient(t, cfg)
	_, err := c.Call(context.Background(), merchantSend, sendOrder("U-2"), nil)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, couponkit.FaultClient, couponkit.FaultOf(err))
	assert.Equal(t, 1, srv.RequestCount())
}
