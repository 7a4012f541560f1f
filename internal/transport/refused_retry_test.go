package transport

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
)

// answers that may have been applied, then answers that refuse.
var (
	mayBeApplied = []struct {
		name  string
		fault fakekit.Fault
	}{
		{"dropped after the write", fakekit.Fault{Drop: true, AfterHandler: true}},
		{"5xx after the write", fakekit.Fault{Status: 502, Body: []byte("bad gateway"), AfterHandler: true}},
		{"vendor server fault", fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"BUSY"}`), AfterHandler: true}},
		{"html 200 after the write", fakekit.Fault{Status: 200, Body: []byte("<html>gateway</html>"), AfterHandler: true}},
	}
	refusals = []struct {
		name  string
		fault fakekit.Fault
		code  string
		f     couponkit.Fault
	}{
		{"vendor error code", fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"E1"}`)}, "E1", couponkit.FaultClient},
		{"404 page", fakekit.Fault{Status: 404, Body: []byte("<html>not found</html>")}, "", couponkit.FaultClient},
		{"400 empty", fakekit.Fault{Status: 400}, "", couponkit.FaultClient},
		{"403 page", fakekit.Fault{Status: 403, Body: []byte("forbidden")}, "", couponkit.FaultAuth},
	}
)

// A write's first attempt may have been applied; the retry is refused. The
// refusal may be the vendor refusing the repeat of a write it made, so the
// call's outcome is unknown, with its key, and the refusal stays reachable.
func TestRefusedRetryAfterPossiblyAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	for _, first := range mayBeApplied {
		for _, then := range refusals {
			t.Run(first.name+"/"+then.name, func(t *testing.T) {
				t.Parallel()
				h := &applyingHandler{}
				srv := fakekit.NewServer(h)
				defer srv.Close()
				srv.Inject(first.fault, then.fault)
				c := loopbackClient(t)
				_, err := jsonEndpoint(c, srv.URL).Invoke(context.Background(), opKeyed, "K-1", "x", nil)
				require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
				key, ok := couponkit.IdempotencyKey(err)
				require.True(t, ok)
				assert.Equal(t, "K-1", key)
				var u *couponkit.UnknownOutcomeError
				require.ErrorAs(t, err, &u)
				assert.Equal(t, 2, u.Attempts)
				assert.Equal(t, "bizId", u.KeyName)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce, "the refusal stays reachable")
				assert.Equal(t, then.code, ce.Code)
				assert.Equal(t, then.f, ce.Fault)
				assert.Equal(t, then.f, couponkit.FaultOf(err))
				assert.False(t, couponkit.AlreadyApplied(err), "no code of this op means applied")
				assert.Equal(t, 2, srv.RequestCount(), "a refusal ends the call: no third attempt")
				assert.Equal(t, 1, h.total(), "the first attempt was applied")
			})
		}
	}
}

// How a write ends after an attempt that may have been applied, whatever
// comes next: only a verified success is not an unknown outcome.
func TestEveryEndAfterPossiblyAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	dropped := fakekit.Fault{Drop: true, AfterHandler: true}
	throttled := fakekit.Fault{Status: 429, Header: http.Header{"Retry-After": {"2"}}}
	refused := fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"E1"}`)}
	cases := []struct {
		name      string
		faults    []fakekit.Fault
		attempts  int
		wantFault couponkit.Fault
		wantCode  string
	}{
		// A throttle refuses before acting: the retry goes on, and the
		// refusal that follows still ends in an unknown outcome.
		{"throttled, then refused", []fakekit.Fault{dropped, throttled, refused}, 3, couponkit.FaultClient, "E1"},
		// Throttled until the attempts run out: the first attempt may still
		// have been applied.
		{"throttled until the attempts run out", []fakekit.Fault{dropped, throttled, throttled}, 3, couponkit.FaultThrottle, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fakekit.NewServer(&applyingHandler{})
			defer srv.Close()
			srv.Inject(tc.faults...)
			_, err := jsonEndpoint(loopbackClient(t), srv.URL).Invoke(context.Background(), opKeyed, "K-2", "x", nil)
			u, ce := unknownWithCause(t, err, "K-2")
			assert.Equal(t, tc.attempts, u.Attempts)
			assert.Equal(t, tc.attempts, srv.RequestCount())
			assert.Equal(t, tc.wantFault, ce.Fault)
			assert.Equal(t, tc.wantCode, ce.Code)
		})
	}

	t.Run("the caller cancels after the drop", func(t *testing.T) {
		t.Parallel()
		srv := fakekit.NewServer(&applyingHandler{})
		defer srv.Close()
		srv.Inject(dropped)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := loopbackClient(t, couponkit.WithObserver(cancelAfterAttempt{cancel}))
		_, err := jsonEndpoint(c, srv.URL).Invoke(ctx, opKeyed, "K-3", "x", nil)
		unknownWithCause(t, err, "K-3")
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, srv.RequestCount())
	})

	t.Run("Build fails on the retry", func(t *testing.T) {
		t.Parallel()
		srv := fakekit.NewServer(&applyingHandler{})
		defer srv.Close()
		srv.Inject(dropped)
		ep := jsonEndpoint(loopbackClient(t), srv.URL)
		frame := ep.Frame
		broken := errors.New("clock went backwards")
		ep.Frame = func(op *Op, attempt int, key string, req string) (Payload, error) {
			if attempt > 1 {
				return Payload{}, broken
			}
			return frame(op, attempt, key, req)
		}
		_, err := ep.Invoke(context.Background(), opKeyed, "K-4", "x", nil)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		require.ErrorIs(t, err, broken)
		key, _ := couponkit.IdempotencyKey(err)
		assert.Equal(t, "K-4", key)
		assert.Equal(t, 1, srv.RequestCount())
	})

	t.Run("a 5xx, a request that never left, then refused", func(t *testing.T) {
		t.Parallel()
		c, mt, _ := newMocked(t)
		var n atomic.Int32
		mt.RegisterResponder(http.MethodPost, "http://vendor.test/api", func(r *http.Request) (*http.Response, error) {
			switch n.Add(1) {
			case 1:
				return httpmock.NewStringResponse(502, "bad gateway"), nil
			case 2:
				return nil, errors.New("dial tcp: connection refused") // never written
			default:
				return httpmock.NewStringResponse(200, "no"), nil
			}
		})
		var bodies []string
		_, err := c.Do(context.Background(), jsonCall(Keyed, &bodies))
		u, ce := unknownWithCause(t, err, "K1")
		assert.Equal(t, 3, u.Attempts)
		assert.Equal(t, "E", ce.Code)
	})

	t.Run("a read refused after a 5xx stays plain", func(t *testing.T) {
		t.Parallel()
		srv := fakekit.NewServer(&applyingHandler{})
		defer srv.Close()
		srv.Inject(fakekit.Fault{Status: 502}, refused)
		_, err := jsonEndpoint(loopbackClient(t), srv.URL).Invoke(context.Background(), opRead, "", "q", nil)
		require.Error(t, err)
		assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
		assert.Equal(t, couponkit.FaultClient, couponkit.FaultOf(err))
	})
}

// opApplied is a keyed write whose vendor publishes that DUP refuses a key
// applied before.
var opApplied = &Op{Name: "void", Path: "/void", Class: Keyed, KeyName: "requestId", AppliedCodes: []string{"DUP"}}

func TestAppliedCodesMarkTheRefusal(t *testing.T) {
	t.Parallel()
	dropped := fakekit.Fault{Drop: true, AfterHandler: true}
	dup := fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"DUP"}`)}
	other := fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"E1"}`)}
	cases := []struct {
		name           string
		op             *Op
		faults         []fakekit.Fault
		unknown, marks bool
		requests       int
	}{
		// The caller sent an earlier call's key again.
		{"on the first attempt", opApplied, []fakekit.Fault{dup}, false, true, 1},
		{"after the first attempt was dropped", opApplied, []fakekit.Fault{dropped, dup}, true, true, 2},
		{"another code after the drop", opApplied, []fakekit.Fault{dropped, other}, true, false, 2},
		{"another code on the first attempt", opApplied, []fakekit.Fault{other}, false, false, 1},
		// The code in an answer that is not definite (a 5xx) says nothing.
		{"in a 5xx", opApplied, []fakekit.Fault{
			{Status: 502, Body: dup.Body}, {Status: 502, Body: dup.Body}, {Status: 502, Body: dup.Body}}, true, false, 3},
		{"an op that declares none", opKeyed, []fakekit.Fault{dropped, dup}, true, false, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fakekit.NewServer(&applyingHandler{})
			defer srv.Close()
			srv.Inject(tc.faults...)
			_, err := jsonEndpoint(loopbackClient(t), srv.URL).Invoke(context.Background(), tc.op, "R-1", "x", nil)
			require.Error(t, err)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.Equal(t, tc.marks, couponkit.AlreadyApplied(err))
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.marks, ce.AlreadyApplied)
			if tc.unknown {
				key, _ := couponkit.IdempotencyKey(err)
				assert.Equal(t, "R-1", key)
			}
			assert.Equal(t, tc.requests, srv.RequestCount())
		})
	}
}

func TestAlreadyAppliedMatchesCodeOrSubCodeOfDefiniteRefusals(t *testing.T) {
	t.Parallel()
	call := &Call{Applied: []string{"32", "isv.dup"}}
	for _, tc := range []struct {
		e    couponkit.Error
		want bool
	}{
		{couponkit.Error{Code: "32"}, true},
		{couponkit.Error{Code: "15", SubCode: "isv.dup"}, true},
		{couponkit.Error{Code: "91"}, false},
		{couponkit.Error{}, false},
	} {
		assert.Equal(t, tc.want, call.alreadyApplied(&tc.e), "%+v", tc.e)
	}
	assert.False(t, (&Call{Applied: []string{""}}).alreadyApplied(&couponkit.Error{}), "an empty code marks nothing")

	// A throttle carrying a listed code is not a refusal of the key.
	c, mt, _ := newMocked(t, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	mt.RegisterResponder(http.MethodPost, "http://vendor.test/api", httpmock.NewStringResponder(429, "slow down"))
	var bodies []string
	call = jsonCall(Keyed, &bodies)
	call.Applied = []string{"E"}
	_, err := c.Do(context.Background(), call)
	require.Error(t, err)
	assert.Equal(t, couponkit.FaultThrottle, couponkit.FaultOf(err))
	assert.False(t, couponkit.AlreadyApplied(err))
}

// unknownWithCause checks that err is an unknown outcome with key and a
// reachable *couponkit.Error, and returns both.
func unknownWithCause(t *testing.T, err error, key string) (*couponkit.UnknownOutcomeError, *couponkit.Error) {
	t.Helper()
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	got, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, key, got)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	return u, ce
}

// cancelAfterAttempt is an Observer that cancels the caller's context when
// an attempt ends.
type cancelAfterAttempt struct{ cancel context.CancelFunc }

func (o cancelAfterAttempt) CallStart(ctx context.Context, _ couponkit.CallInfo) context.Context {
	return ctx
}
func (o cancelAfterAttempt) AttemptStart(ctx context.Context, _ couponkit.AttemptInfo) context.Context {
	return ctx
}
func (o cancelAfterAttempt) AttemptEnd(context.Context, couponkit.AttemptInfo) { o.cancel() }
func (o cancelAfterAttempt) CallEnd(context.Context, couponkit.CallInfo)       {}
