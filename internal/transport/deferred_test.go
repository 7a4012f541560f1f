package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// An Endpoint whose Open defers the data's check (Endpoint.DataDeferred,
// jsonx.ScanDeferred) must end every call as an Open that checks the whole
// body first does: the same success, the same unreadable answers, the same
// unknown outcomes, the same attempts, for malformed bodies anywhere.

// okEnvelope is the fictional vendor's answer members: {"ok","code","data"}.
var okEnvelope = []string{"ok", "code", "data"}

// envelopeOpen opens {"ok":…,"code":…,"data":…}: the body checked first
// (deferred false: jsonx.Check, then jsonx.Scan, the pattern before
// ScanDeferred) or with the data left to the pipeline (deferred true).
func envelopeOpen(deferred bool) func(*Op, string, *typedReq, *Response) ([]byte, error) {
	return func(_ *Op, _ string, _ *typedReq, r *Response) ([]byte, error) {
		var v [3][]byte
		var err error
		if deferred {
			err = jsonx.ScanDeferred(r.Body, okEnvelope, 2, v[:])
		} else if err = jsonx.Check(r.Body); err == nil {
			err = jsonx.Scan(r.Body, okEnvelope, v[:])
		}
		if err != nil {
			return nil, DecodeError(err, r.Body)
		}
		ok, code, data := v[0], v[1], v[2]
		switch string(ok) {
		case "true":
		case "false":
			// A refusal: nobody reads its data after Open, so Open checks it.
			if deferred && data != nil {
				if err := jsonx.Check(data); err != nil {
					return nil, DecodeError(err, r.Body)
				}
			}
			text, _ := jsonx.Scalar(code)
			return nil, &couponkit.Error{Code: string(text), Message: "refused", Fault: couponkit.FaultClient}
		default:
			return nil, Unreadable(couponkit.FaultUnknown, "no ok flag", nil)
		}
		if string(data) == "null" {
			data = nil
		}
		return data, nil
	}
}

// fixedAnswer answers every request with status and body, and counts them.
type fixedAnswer struct {
	status int
	body   string
	mu     sync.Mutex
	n      int
}

func (f *fixedAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func (f *fixedAnswer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// envelopeVendor returns a Typed adapter on h whose Open defers the data or
// not; retries take no real time.
func envelopeVendor(t *testing.T, h http.Handler, deferred bool) *Typed[*typedReq] {
	t.Helper()
	clock := couponkittest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	c := New("fiction", couponkit.ResolveOptions(couponkit.WithTransport(couponkittest.HandlerTransport(h)), couponkit.WithClock(clock),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3})))
	t.Cleanup(c.Close)
	ep := &Endpoint[*typedReq]{
		Client: c,
		Base:   "http://fiction.test",
		Frame: func(_ *Op, _ int, key string, r *typedReq) (Payload, error) {
			b := append([]byte(`{"key":"`+key+`","params":`), r.params...)
			return Payload{Body: append(b, '}'), ContentType: "application/json"}, nil
		},
		Open:         envelopeOpen(deferred),
		DataDeferred: deferred,
	}
	return &Typed[*typedReq]{
		Endpoint: ep,
		Wrap: func(_ *Op, _ string, params []byte) (*typedReq, error) {
			return &typedReq{params: append([]byte(nil), params...)}, nil
		},
		WrapCopies: true,
	}
}

// outcome is what a caller can act on of a call's end.
type outcome struct {
	OK, Unreadable, Unknown bool
	Fault                   couponkit.Fault
	Code                    string
	Attempts                int
}

func outcomeOf(err error, attempts int) outcome {
	o := outcome{OK: err == nil, Attempts: attempts}
	if err != nil {
		o.Unreadable = IsUnreadable(err)
		o.Unknown = errors.Is(err, couponkit.ErrUnknownOutcome)
		o.Fault = couponkit.FaultOf(err)
		var ce *couponkit.Error
		if errors.As(err, &ce) {
			o.Code = ce.Code
		}
	}
	return o
}

// deferredBodies are answers well-formed and not, in each place.
var deferredBodies = []string{
	`{"ok":true,"data":{"serial":"S1"}}`,
	`{"ok":true,"data":null}`,
	`{"ok":true}`,
	`{"ok":false,"code":"NOPE","data":{"serial":"S1"}}`,
	`{"ok":true,"data":{"serial":"S1",}}`,                // malformed data
	`{"ok":true,"data":{"serial":"S1" "n":1}}`,           // malformed data
	`{"ok":true,"data":{"serial":tru}}`,                  // malformed data
	`{"ok":true,"data":["S1"}}`,                          // brackets that do not match
	`{"ok":true,"data":"\u00zz"}`,                        // a malformed string
	`{"ok":true,"data":{"serial":"S1"}`,                  // truncated
	`{"ok":true,"data":{"serial":"S1`,                    // truncated in a string
	`{"ok":true,"data":{"serial":"S1"},}`,                // malformed outside data
	`{"ok":true,"data":{"serial":"S1"}} x`,               // trailing text
	`{"ok":tru,"data":{"serial":"S1"}}`,                  // malformed flag
	`{"ok":false,"code":"NOPE","data":{"x":tru}}`,        // a refusal with malformed data
	`{"ok":false,"code":"NOPE","data":[}`,                // a refusal with truncated data
	`{"data":{"x":1]},"ok":true,"data":{"serial":"S1"}}`, // malformed data, overridden
	``, `<html>busy</html>`, `[]`,
}

func TestDeferredDataEndsCallsAsACheckedBodyDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, body := range deferredBodies {
		for _, status := range []int{200, 203, 400, 503} {
			for _, op := range []*Op{opTypedRead, opTypedKeyed, opTypedWrite} {
				var got [2]outcome
				for i, deferred := range []bool{false, true} {
					h := &fixedAnswer{status: status, body: body}
					typed := envelopeVendor(t, h, deferred)
					var a redeemAnswer
					_, err := Send(ctx, typed, op, "K1", &redeemParams{Code: "C1"}, &a)
					got[i] = outcomeOf(err, h.count())
				}
				assert.Equal(t, got[0], got[1], "Send %s, HTTP %d, %s", op.Name, status, body)
			}
			for _, withDecode := range []bool{false, true} {
				var got [2]outcome
				for i, deferred := range []bool{false, true} {
					h := &fixedAnswer{status: status, body: body}
					ep := envelopeVendor(t, h, deferred).Endpoint
					var decode func([]byte) error
					if withDecode {
						decode = func(data []byte) error {
							if data != nil && !jsonx.EachMember(data, func(_, _ []byte) bool { return true }) {
								return errors.New("data is not an object")
							}
							return nil
						}
					}
					_, err := ep.Invoke(ctx, opTypedKeyed, "K1", &typedReq{params: []byte(`{}`)}, decode)
					got[i] = outcomeOf(err, h.count())
				}
				assert.Equal(t, got[0], got[1], "Invoke (decode %v), HTTP %d, %s", withDecode, status, body)
			}
		}
	}
}

func TestDeferredDataCases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	run := func(body string, op *Op) (redeemAnswer, outcome, error) {
		h := &fixedAnswer{status: 200, body: body}
		var a redeemAnswer
		_, err := Send(ctx, envelopeVendor(t, h, true), op, "K1", &redeemParams{Code: "C1"}, &a)
		return a, outcomeOf(err, h.count()), err
	}
	a, o, err := run(`{"ok":true,"data":{"serial":"S1","balance":150}}`, opTypedKeyed)
	require.NoError(t, err)
	assert.Equal(t, redeemAnswer{Serial: "S1", Balance: 150}, a)
	assert.Equal(t, outcome{OK: true, Attempts: 1}, o)

	// Malformed data in a success: a keyed write's outcome is unknown after
	// its retries, with the body quoted.
	_, o, err = run(`{"ok":true,"data":{"serial":"S1",}}`, opTypedKeyed)
	assert.Equal(t, outcome{Unreadable: true, Unknown: true, Fault: couponkit.FaultUnknown, Attempts: 3}, o)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "K1", key)
	assert.Contains(t, err.Error(), `{"ok":true,"data":{"serial":"S1",}}`, "the whole body is quoted")

	// A read is retried and fails unreadable.
	_, o, _ = run(`{"ok":true,"data":{"serial":"S1"}`, opTypedRead)
	assert.Equal(t, outcome{Unreadable: true, Fault: couponkit.FaultUnknown, Attempts: 3}, o)

	// A refusal with malformed data is not a definite refusal.
	_, o, _ = run(`{"ok":false,"code":"NOPE","data":{"x":tru}}`, opTypedWrite)
	assert.Equal(t, outcome{Unreadable: true, Unknown: true, Fault: couponkit.FaultUnknown, Attempts: 1}, o)
	_, o, _ = run(`{"ok":false,"code":"NOPE","data":{"x":true}}`, opTypedWrite)
	assert.Equal(t, outcome{Fault: couponkit.FaultClient, Code: "NOPE", Attempts: 1}, o)
}

// TestWrapCopiesLendsThePooledParams: with WrapCopies, each call's Wrap sees
// its own params, whatever calls ran before or run beside it.
func TestWrapCopiesLendsThePooledParams(t *testing.T) {
	t.Parallel()
	h := &fixedAnswer{status: 200, body: `{"ok":true,"data":{"serial":"S1"}}`}
	typed := envelopeVendor(t, h, true)
	var mu sync.Mutex
	seen := map[string]string{}
	wrap := typed.Wrap
	typed.Wrap = func(op *Op, key string, params []byte) (*typedReq, error) {
		r, err := wrap(op, key, params)
		mu.Lock()
		seen[key] = string(r.params)
		mu.Unlock()
		return r, err
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			code := strings.Repeat("x", i*40)
			var a redeemAnswer
			_, err := Send(context.Background(), typed, opTypedKeyed, code+"K", &redeemParams{Code: code, Amount: 100}, &a)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.Len(t, seen, 20)
	for key, params := range seen {
		assert.Equal(t, `{"code":"`+strings.TrimSuffix(key, "K")+`","amount":"1.00"}`, params)
	}
}
