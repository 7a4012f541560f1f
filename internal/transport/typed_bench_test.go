package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// The typed path against a hand-written encoding/json call of the same
// request: a query of a customer's coupons, with n coupons in the answer,
// each with yuan, times and integers spelled as strings (as zvcms's page
// spells them). The SDK side is a typed call as a vendor package writes one
// (wire params and answer with json tags and wiretype fields, an Endpoint
// whose Open finds data in place, Send); the hand side is what a developer
// writes with net/http and encoding/json: marshal the envelope, post it with
// the same headers and timeout, read the answer, unmarshal it into structs
// of strings, check ok, and convert the values to the same Go types.

type benchParams struct {
	CustomerID wiretype.Digits `json:"customerId"`
	UseStatus  *int            `json:"useStatus,omitempty"`
	Since      wiretype.Time   `json:"since,omitzero"`
}

type benchCoupon struct {
	CardID  string        `json:"cardId"`
	Title   string        `json:"title"`
	Amount  wiretype.Yuan `json:"amount"`
	Status  wiretype.Int  `json:"useStatus"`
	BeginAt wiretype.Time `json:"beginAt"`
	EndAt   wiretype.Time `json:"endAt"`
}

type benchAnswer struct {
	Coupons []benchCoupon `json:"coupons"`
}

func (a *benchAnswer) Complete() error {
	if a.Coupons == nil {
		return Missing("coupons")
	}
	return nil
}

// Coupon is what both sides return: the Go API's types.
type benchResult struct {
	CardID, Title  string
	Amount         couponkit.Fen
	Status         int64
	BeginAt, EndAt time.Time
}

var opBench = &Op{Name: "getCoupons", Path: "/getCoupons", Class: Safe}

// benchBody is the answer with n coupons.
func benchBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"ok":"true","code":"0","message":"","data":{"coupons":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"cardId":"3909134454982%05d","title":"满50减10","amount":"%d.%02d","useStatus":"0","beginAt":"2019-10-15 17:10:02","endAt":"2019-11-%02d 23:59:59"}`, i, 10+i%50, i%100, 1+i%30)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// benchEndpoint frames {"openId":…,"timestamp":…,"params":…} and opens
// {"ok","code","message","data"} as the vendors' Opens do: the body read
// once with jsonx.ScanDeferred, the members found in place, and data,
// delimited only, returned as a slice of the body for Send's decode to
// check (DataDeferred). The request keeps the params for every attempt's
// frame, so Wrap does not copy them (no WrapCopies).
func benchTyped(c *Client, base string) *Typed[*typedReq] {
	ep := &Endpoint[*typedReq]{
		Client: c,
		Base:   base,
		Frame: func(_ *Op, _ int, _ string, r *typedReq) (Payload, error) {
			b := make([]byte, 0, 96+len(r.params))
			b = append(b, `{"openId":"6dc05b4ac175cf316d226252b05cf685","timestamp":"`...)
			b = append(b, "1571130602"...)
			b = append(b, `","params":`...)
			b = append(b, r.params...)
			return Payload{Body: append(b, '}'), ContentType: "application/json"}, nil
		},
		Open: func(_ *Op, _ string, _ *typedReq, r *Response) ([]byte, error) {
			var v [3][]byte
			if err := jsonx.ScanDeferred(r.Body, benchEnvelope, 2, v[:]); err != nil {
				return nil, DecodeError(err, r.Body)
			}
			ok, _ := jsonx.Scalar(v[0])
			if string(ok) != "true" {
				if err := jsonx.Check(v[2]); v[2] != nil && err != nil {
					return nil, DecodeError(err, r.Body)
				}
				code, _ := jsonx.Scalar(v[1])
				return nil, &couponkit.Error{Code: string(code), Message: "refused", Fault: couponkit.FaultClient}
			}
			return v[2], nil
		},
		DataDeferred: true,
	}
	return &Typed[*typedReq]{Endpoint: ep, Wrap: func(_ *Op, _ string, p []byte) (*typedReq, error) { return &typedReq{params: p}, nil }}
}

// benchEnvelope are the members benchTyped's Open reads.
var benchEnvelope = []string{"ok", "code", "data"}

// benchSides returns the typed call and the hand-written one against rt
// (nil: the network) at base, each returning the coupons.
func benchSides(tb testing.TB, rt http.RoundTripper, base string) (sdk, hand func() ([]benchResult, error)) {
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c := New("bench", couponkit.ResolveOptions(opts...))
	tb.Cleanup(c.Close)
	typed := benchTyped(c, base)
	ctx := context.Background()
	customer := "383933091455959041"
	sdk = func() ([]benchResult, error) {
		var a benchAnswer
		if _, err := Send(ctx, typed, opBench, "", &benchParams{CustomerID: wiretype.Digits(customer)}, &a); err != nil {
			return nil, err
		}
		out := make([]benchResult, len(a.Coupons))
		for i, c := range a.Coupons {
			out[i] = benchResult{c.CardID, c.Title, couponkit.Fen(c.Amount), int64(c.Status), time.Time(c.BeginAt), time.Time(c.EndAt)}
		}
		return out, nil
	}

	hc := benchkit.HTTPClient(tb, rt)
	beijing := time.FixedZone("CST", 8*3600)
	hand = func() ([]benchResult, error) {
		type params struct {
			CustomerID json.Number `json:"customerId"`
		}
		body, err := json.Marshal(struct {
			OpenID    string `json:"openId"`
			Timestamp string `json:"timestamp"`
			Params    params `json:"params"`
		}{"6dc05b4ac175cf316d226252b05cf685", "1571130602", params{json.Number(customer)}})
		if err != nil {
			return nil, err
		}
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(cctx, http.MethodPost, base+opBench.Path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		var env struct {
			OK   string `json:"ok"`
			Code string `json:"code"`
			Data struct {
				Coupons []struct {
					CardID    string `json:"cardId"`
					Title     string `json:"title"`
					Amount    string `json:"amount"`
					UseStatus string `json:"useStatus"`
					BeginAt   string `json:"beginAt"`
					EndAt     string `json:"endAt"`
				} `json:"coupons"`
			} `json:"data"`
		}
		if err := json.Unmarshal(raw, &env); err != nil {
			return nil, err
		}
		if env.OK != "true" || env.Data.Coupons == nil {
			return nil, errors.New("refused: " + env.Code)
		}
		out := make([]benchResult, len(env.Data.Coupons))
		for i, c := range env.Data.Coupons {
			amount, err := couponkit.ParseYuan(c.Amount)
			if err != nil {
				return nil, err
			}
			status, err := strconv.ParseInt(c.UseStatus, 10, 64)
			if err != nil {
				return nil, err
			}
			begin, err := time.ParseInLocation("2006-01-02 15:04:05", c.BeginAt, beijing)
			if err != nil {
				return nil, err
			}
			end, err := time.ParseInLocation("2006-01-02 15:04:05", c.EndAt, beijing)
			if err != nil {
				return nil, err
			}
			out[i] = benchResult{c.CardID, c.Title, amount, status, begin, end}
		}
		return out, nil
	}
	return sdk, hand
}

var benchCouponCounts = []int{1, 20, 200}

// BenchmarkTyped pairs a typed call through Send with the hand-written
// encoding/json call (see benchkit.Paired for the metrics), over loopback
// and in memory, with 1, 20 and 200 coupons in the answer.
func BenchmarkTyped(b *testing.B) {
	for _, n := range benchCouponCounts {
		answer := benchBody(n)
		benchkit.Matrix(b, answer, "", fmt.Sprintf("coupons=%d", n), "", func(rt http.RoundTripper, url string) (sdk, hand, bare func() error) {
			s, h := benchSides(b, rt, url)
			drop := func(f func() ([]benchResult, error)) func() error {
				return func() error { _, err := f(); return err }
			}
			return drop(s), drop(h), drop(h)
		})
	}
}

func TestTypedBenchSidesAgree(t *testing.T) {
	t.Parallel()
	answer := benchBody(20)
	var got [2]string
	rec := func(i int) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			got[i] = string(b)
			return benchkit.NewRoundTripper(answer, benchkit.Fixed).RoundTrip(r)
		})
	}
	sdk, _ := benchSides(t, rec(0), benchkit.MemoryURL)
	_, hand := benchSides(t, rec(1), benchkit.MemoryURL)
	a, err := sdk()
	require.NoError(t, err)
	b, err := hand()
	require.NoError(t, err)
	assert.Len(t, a, 20)
	assert.Equal(t, b, a)
	assert.Equal(t, got[1], got[0], "both sides send the same bytes")
	assert.Equal(t, `{"openId":"6dc05b4ac175cf316d226252b05cf685","timestamp":"1571130602","params":{"customerId":383933091455959041}}`, got[0])
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// typedAllocBudget is the most allocations a typed call may make on the
// in-memory transport, by coupons in the answer: the figures measured when
// the Open moved to jsonx.ScanDeferred (59, 102, 465, unchanged: this
// request keeps its params, so Send still copies them) plus two.
var typedAllocBudget = map[int]float64{1: 61, 20: 104, 200: 467}

// TestTypedAllocations: a typed call allocates no more than its budget, and
// no more than the hand-written encoding/json call plus the pipeline's own
// allocations over net/http (resty's request and the per-attempt state,
// which TestPipelineAllocations guards) plus benchkit.HandSlack: the typed
// layer itself (encoding the params once, the call, the wrap) must fit the
// slack.
func TestTypedAllocations(t *testing.T) {
	for _, n := range benchCouponCounts {
		answer := benchBody(n)
		rt := benchkit.NewRoundTripper(answer, benchkit.Fixed)
		sdk, hand := benchSides(t, rt, benchkit.MemoryURL)
		run := func(f func() ([]benchResult, error)) func() error {
			return func() error { _, err := f(); return err }
		}
		do, http, _ := sides(t, rt, benchkit.MemoryURL+"/op", answer)
		pipeline := benchkit.Allocs(t, 200, do) - benchkit.Allocs(t, 200, http)
		s := benchkit.Allocs(t, 200, run(sdk))
		h := benchkit.Allocs(t, 200, run(hand))
		t.Logf("%d coupons: the pipeline's own allocations over net/http: %.0f", n, pipeline)
		benchkit.Budget(t, fmt.Sprintf("%d coupons", n), s, h+pipeline, typedAllocBudget[n])
	}
}
