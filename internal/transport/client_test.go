package transport

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
)

func newMocked(t *testing.T, opts ...couponkit.Option) (*Client, *httpmock.MockTransport, *testclock.Clock) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	clk := testclock.New(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	all := append([]couponkit.Option{couponkit.WithTransport(mt), couponkit.WithClock(clk)}, opts...)
	return New("test", couponkit.ResolveOptions(all...), "s3cr3t-key"), mt, clk
}

func jsonCall(class Class, bodies *[]string) *Call {
	return &Call{
		Operation: "op", URL: "http://vendor.test/api", Class: class, KeyName: "uuid", Key: "K1",
		Build: func(attempt int) (Payload, error) {
			b := `{"attempt":` + string(rune('0'+attempt)) + `,"uuid":"K1"}`
			*bodies = append(*bodies, b)
			return Payload{Body: []byte(b), ContentType: "application/json"}, nil
		},
		Check: func(r *Response) error {
			if string(r.Body) == `{"ok":true}` {
				return nil
			}
			return &couponkit.Error{Code: "E", Message: "vendor said no", Fault: couponkit.FaultClient}
		},
	}
}

func TestKeyedRetriedAfter5xxKeepsKeyAndRebuilds(t *testing.T) {
	c, mt, clk := newMocked(t)
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(502, "bad gateway"),
		httpmock.NewStringResponse(200, `{"ok":true}`),
	}))
	var bodies []string
	resp, err := c.Do(context.Background(), jsonCall(Keyed, &bodies))
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []string{`{"attempt":1,"uuid":"K1"}`, `{"attempt":2,"uuid":"K1"}`}, bodies)
	assert.Equal(t, 2, mt.GetTotalCallCount())
	assert.Len(t, clk.Sleeps(), 1)
}

func TestUnsafeAfter5xxIsUnknownAndNotResent(t *testing.T) {
	c, mt, _ := newMocked(t)
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.NewStringResponder(503, "busy"))
	var bodies []string
	_, err := c.Do(context.Background(), jsonCall(Unsafe, &bodies))
	require.Error(t, err)
	assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	assert.True(t, ok)
	assert.Equal(t, "K1", key)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultServer, ce.Fault)
	assert.Equal(t, 503, ce.HTTPStatus)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestUnsafeRetriedWhenNeverSent(t *testing.T) {
	c, mt, _ := newMocked(t)
	// httpmock returns the error from RoundTrip without writing anything, like a dial failure.
	mt.RegisterResponder("POST", "http://vendor.test/api", func(r *http.Request) (*http.Response, error) {
		if mt.GetTotalCallCount() == 1 {
			return nil, errors.New("dial tcp: connection refused")
		}
		return httpmock.NewStringResponse(200, `{"ok":true}`), nil
	})
	var bodies []string
	resp, err := c.Do(context.Background(), jsonCall(Unsafe, &bodies))
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
}

func TestSafeRetriesThenReturnsLastError(t *testing.T) {
	c, mt, clk := newMocked(t, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Second}))
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.NewStringResponder(500, "oops"))
	var bodies []string
	_, err := c.Do(context.Background(), jsonCall(Safe, &bodies))
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 4, mt.GetTotalCallCount())
	assert.Len(t, clk.Sleeps(), 3)
	assert.Equal(t, "test", ce.Vendor)
	assert.Equal(t, "op", ce.Operation)
}

func TestClientFaultNotRetried(t *testing.T) {
	c, mt, _ := newMocked(t)
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.NewStringResponder(200, `{"ok":false}`))
	var bodies []string
	_, err := c.Do(context.Background(), jsonCall(Safe, &bodies))
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Equal(t, "E", ce.Code)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestThrottleWaitsForRetryAfterEvenForUnsafe(t *testing.T) {
	c, mt, clk := newMocked(t)
	throttled := httpmock.NewStringResponse(429, "slow down")
	throttled.Header.Set("Retry-After", "7")
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.ResponderFromMultipleResponses([]*http.Response{
		throttled, httpmock.NewStringResponse(200, `{"ok":true}`),
	}))
	var bodies []string
	_, err := c.Do(context.Background(), jsonCall(Unsafe, &bodies))
	require.NoError(t, err)
	// MaxDelay (10s) is above 7s: the wait is exactly the vendor's window.
	assert.Equal(t, []time.Duration{7 * time.Second}, clk.Sleeps())
}

func TestBuildErrorSendsNothing(t *testing.T) {
	c, mt, _ := newMocked(t)
	call := &Call{Operation: "op", URL: "http://vendor.test/api",
		Build: func(int) (Payload, error) { return Payload{}, couponkit.Invalid("Codes", "empty") },
		Check: func(*Response) error { return nil }}
	_, err := c.Do(context.Background(), call)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Codes", ve.Field)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestSecretsRedactedFromErrors(t *testing.T) {
	c, mt, _ := newMocked(t)
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.NewStringResponder(200, `{}`))
	call := &Call{Operation: "op", URL: "http://vendor.test/api",
		Build: func(int) (Payload, error) { return Payload{Body: []byte("{}")}, nil },
		Check: func(*Response) error {
			return &couponkit.Error{Message: "bad key s3cr3t-key", Fault: couponkit.FaultAuth}
		}}
	_, err := c.Do(context.Background(), call)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cr3t-key")
	assert.Contains(t, err.Error(), "[redacted]")
}

func TestSnapshotRedactsSignatures(t *testing.T) {
	s := Snapshot([]byte(`{"sign":"abcdef","token":"t0k","appSecret":"x","ok":1}`))
	assert.Equal(t, `{"sign":"[redacted]","token":"[redacted]","appSecret":"[redacted]","ok":1}`, s)
}

// A token answer quoted in a decode failure keeps none of its tokens: TOP's
// token_result is JSON inside a string (escaped quotes), refresh_token is
// one, and a body cut inside a value still loses the value.
func TestSnapshotRedactsTokens(t *testing.T) {
	s := Snapshot([]byte(`{"top_auth_token_refresh_response":{"token_result":"{\"access_token\":\"6201a\",\"refresh_token\":\"6202b\",\"expires_in\":86400}"}}`))
	assert.NotContains(t, s, "6201a")
	assert.NotContains(t, s, "6202b")
	assert.Contains(t, s, `"expires_in\":86400`)
	s = Snapshot([]byte(`{"refresh_token":"r3fr3sh","access_token":"acc3ss-cut-here`))
	assert.Equal(t, `{"refresh_token":"[redacted]","access_token":"[redacted]`, s)
}

func TestBackoffBounds(t *testing.T) {
	p := couponkit.RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond, ThrottleDelay: time.Second}
	for i := 0; i < 200; i++ {
		assert.Less(t, Backoff(p, 1, nil), 100*time.Millisecond)
		assert.Less(t, Backoff(p, 5, nil), 300*time.Millisecond)
	}
	// A throttle without Retry-After waits the throttle window, capped at MaxDelay.
	assert.Equal(t, 300*time.Millisecond, Backoff(p, 1, &couponkit.Error{Fault: couponkit.FaultThrottle}))
	p.MaxDelay = 5 * time.Second
	assert.Equal(t, time.Second, Backoff(p, 1, &couponkit.Error{Fault: couponkit.FaultThrottle}))
	assert.Equal(t, 2*time.Second, Backoff(p, 1, &couponkit.Error{Fault: couponkit.FaultServer, RetryAfter: 2 * time.Second}))
}

func TestThrottlePausesOtherCallsOfTheClient(t *testing.T) {
	c, mt, clk := newMocked(t, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	throttled := httpmock.NewStringResponse(429, "slow down")
	throttled.Header.Set("Retry-After", "7")
	mt.RegisterResponder("POST", "http://vendor.test/api", httpmock.ResponderFromMultipleResponses([]*http.Response{
		throttled, httpmock.NewStringResponse(200, `{"ok":true}`),
	}))
	var bodies []string
	_, err := c.Do(context.Background(), jsonCall(Safe, &bodies))
	require.Equal(t, couponkit.FaultThrottle, couponkit.FaultOf(err))
	assert.Empty(t, clk.Sleeps(), "no retry allowed, so no wait inside the throttled call")
	_, err = c.Do(context.Background(), jsonCall(Safe, &bodies))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second}, clk.Sleeps(), "the next call waits out the vendor's window")
}
