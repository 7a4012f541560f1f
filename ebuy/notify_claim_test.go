package ebuy_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/testclock"
)

// ntDeliver posts body as e-Buy does to url and returns the status and body
// of the answer.
func ntDeliver(t *testing.T, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// ntBody is the captured signed notification of testdata.
func ntBody(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	return b
}

// endingMiddleware ends the first request's context, with cause
// context.DeadlineExceeded, once told through end: a middleware's deadline
// passing while the handler runs, without waiting for a real one. Later
// requests pass untouched.
func endingMiddleware(h http.Handler, end <-chan struct{}) http.Handler {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			h.ServeHTTP(w, r)
			return
		}
		ctx, stop := context.WithCancelCause(r.Context())
		defer stop(nil)
		go func() {
			select {
			case <-end:
				stop(context.DeadlineExceeded)
			case <-ctx.Done():
			}
		}()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// TestNotifyRequestContextEndedIs503: a middleware ends the request's
// context while the function waits for it and returns ctx.Err(): the answer
// is 503 with a failure body, never an empty 200, and the next delivery
// calls the function again. Over a real server.
func TestNotifyRequestContextEndedIs503(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	var calls atomic.Int32
	waiting := make(chan struct{}, 1)
	end := make(chan struct{})
	store := &settledStore{ClaimStore: couponkit.NewMemoryClaimStore(0), settled: make(chan string, 2)}
	h := ebuy.NewNotifyHandler(vecKey, func(ctx context.Context, _ ebuy.Event) error {
		if calls.Add(1) > 1 {
			return nil
		}
		waiting <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}, ebuy.WithClaimStore(store))
	srv := httptest.NewServer(endingMiddleware(h, end))
	defer srv.Close()
	go func() {
		<-waiting
		close(end)
	}()
	status, answer := ntDeliver(t, srv.URL, body)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	// Whether the handler saw the context end or the function return
	// first, the answer is the same failure.
	assert.Equal(t, "false", field(t, answer, "success"))
	assert.Equal(t, ebuy.ErrCodeSystem, field(t, answer, "errorCode"))
	assert.Equal(t, int32(1), calls.Load())
	// The answer may precede the function's return: the handling ends
	// with the claim released.
	assert.Equal(t, "release", <-store.settled)

	// e-Buy sends it again: the claim was released, the function runs.
	status, answer = ntDeliver(t, srv.URL, body)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "true", field(t, answer, "success"))
	assert.Equal(t, int32(2), calls.Load())
}

// TestNotifyAnsweredBeforeFunctionReturns: the request's context ends while
// the function runs on, ignoring it: e-Buy gets 503 at once; the function
// then returns nil, its claim is completed, and the next delivery is
// acknowledged without a second call.
func TestNotifyAnsweredBeforeFunctionReturns(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	var calls atomic.Int32
	running := make(chan struct{})
	release := make(chan struct{})
	store := &settledStore{ClaimStore: couponkit.NewMemoryClaimStore(0), settled: make(chan string, 1)}
	h := ebuy.NewNotifyHandler(vecKey, func(context.Context, ebuy.Event) error {
		calls.Add(1)
		close(running)
		<-release
		return nil
	}, ebuy.WithClaimStore(store))
	end := make(chan struct{})
	srv := httptest.NewServer(endingMiddleware(h, end))
	defer srv.Close()
	go func() {
		<-running
		close(end)
	}()
	status, answer := ntDeliver(t, srv.URL, body)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "false", field(t, answer, "success"))
	close(release)
	assert.Equal(t, "complete", <-store.settled)

	status, answer = ntDeliver(t, srv.URL, body)
	assert.Equal(t, http.StatusOK, status, string(answer))
	assert.Equal(t, ntCapturedUUID, field(t, answer, "uuid"))
	assert.Equal(t, int32(1), calls.Load())
}

// TestNotifyEveryFailureIs503: whatever keeps the function from returning
// nil, e-Buy is answered 503 with a failure body, and the next delivery
// calls the function again.
func TestNotifyEveryFailureIs503(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	for name, fail := range map[string]func(context.Context) error{
		"error":       func(context.Context) error { return errors.New("database down") },
		"panic":       func(context.Context) error { panic("bug") },
		"context err": func(ctx context.Context) error { return context.Canceled },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv := httptest.NewServer(ebuy.NewNotifyHandler(vecKey, func(ctx context.Context, _ ebuy.Event) error {
				if calls.Add(1) == 1 {
					return fail(ctx)
				}
				return nil
			}))
			defer srv.Close()
			status, answer := ntDeliver(t, srv.URL, body)
			assert.Equal(t, http.StatusServiceUnavailable, status)
			assert.Equal(t, "false", field(t, answer, "success"))
			status, _ = ntDeliver(t, srv.URL, body)
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, int32(2), calls.Load())
		})
	}
}

// TestNotifyClaimedElsewhere: two handlers share a store; while one runs
// the function, a delivery to the other gets 503 without a call; once the
// first completed, the other acknowledges without a call.
func TestNotifyClaimedElsewhere(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	store := couponkit.NewMemoryClaimStore(0)
	var calls atomic.Int32
	running := make(chan struct{})
	release := make(chan struct{})
	fn := func(context.Context, ebuy.Event) error {
		calls.Add(1)
		close(running)
		<-release
		return nil
	}
	a := httptest.NewServer(ebuy.NewNotifyHandler(vecKey, fn, ebuy.WithClaimStore(store)))
	defer a.Close()
	b := httptest.NewServer(ebuy.NewNotifyHandler(vecKey, fn, ebuy.WithClaimStore(store)))
	defer b.Close()

	first := make(chan int)
	go func() {
		status, _ := ntDeliver(t, a.URL, body)
		first <- status
	}()
	<-running
	status, answer := ntDeliver(t, b.URL, body)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "IN_PROGRESS", field(t, answer, "errorCode"))
	close(release)
	assert.Equal(t, http.StatusOK, <-first)
	status, answer = ntDeliver(t, b.URL, body)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, ntCapturedUUID, field(t, answer, "uuid"))
	assert.Equal(t, int32(1), calls.Load())
}

// TestNotifyLeaseEndedOnTheHandlersClock: a holder that never completes
// (its process died) blocks the uuid until its lease ends on the handler's
// clock; then a delivery calls the function.
func TestNotifyLeaseEndedOnTheHandlersClock(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	ctx := context.Background()
	clock := testclock.New(vecTime)
	store := couponkit.NewMemoryClaimStore(0)
	dead, err := store.Claim(ctx, ebuy.NotifyClaimKey(ntCapturedUUID), 2*time.Minute, vecTime)
	require.NoError(t, err)
	require.Equal(t, couponkit.ClaimAcquired, dead.State)

	var ev events
	h := ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithClaimStore(store), ebuy.WithNotifyClock(clock), ebuy.WithNotifyLease(time.Minute))
	rec := ntPost(h, string(body))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "IN_PROGRESS", field(t, rec.Body.Bytes(), "errorCode"))
	clock.Advance(2*time.Minute - time.Millisecond)
	assert.Equal(t, http.StatusServiceUnavailable, ntPost(h, string(body)).Code, "the lease has a millisecond left")
	assert.Empty(t, ev.list())

	clock.Advance(time.Millisecond)
	assert.Equal(t, http.StatusOK, ntPost(h, string(body)).Code)
	require.Len(t, ev.list(), 1)
	assert.Equal(t, http.StatusOK, ntPost(h, string(body)).Code)
	assert.Len(t, ev.list(), 1)
}

// TestNotifyFunctionSeesItsClaim: the function's context carries the claim
// it runs under, with the handler's lease on the handler's clock.
func TestNotifyFunctionSeesItsClaim(t *testing.T) {
	t.Parallel()
	store := &recordingStore{ClaimStore: couponkit.NewMemoryClaimStore(0)}
	var held couponkit.HeldClaim
	h := ebuy.NewNotifyHandler(vecKey, func(ctx context.Context, _ ebuy.Event) error {
		var ok bool
		held, ok = couponkit.HeldClaimFrom(ctx)
		require.True(t, ok)
		return nil
	}, ebuy.WithClaimStore(store), ebuy.WithNotifyClock(testclock.New(vecTime)), ebuy.WithNotifyLease(90*time.Second))
	require.Equal(t, http.StatusOK, ntPost(h, string(ntBody(t))).Code)
	assert.Equal(t, "ebuy:notify:"+ntCapturedUUID, held.Key)
	assert.Equal(t, store, held.Store)
	assert.Regexp(t, `^[0-9a-f]{32}$`, held.Token)
	assert.Equal(t, []string{"claim ebuy:notify:" + ntCapturedUUID + " 1m30s " + vecTime.String(), "complete " + held.Token}, store.calls)
}

// recordingStore records the calls a handler makes.
type recordingStore struct {
	couponkit.ClaimStore
	calls []string
}

func (s *recordingStore) Claim(ctx context.Context, key string, lease time.Duration, now time.Time) (couponkit.Claim, error) {
	s.calls = append(s.calls, "claim "+key+" "+lease.String()+" "+now.String())
	return s.ClaimStore.Claim(ctx, key, lease, now)
}

func (s *recordingStore) Complete(ctx context.Context, key, token string, now time.Time) error {
	s.calls = append(s.calls, "complete "+token)
	return s.ClaimStore.Complete(ctx, key, token, now)
}

func (s *recordingStore) Release(ctx context.Context, key, token string) error {
	s.calls = append(s.calls, "release "+token)
	return s.ClaimStore.Release(ctx, key, token)
}

// settledStore tells when a claim was completed or released.
type settledStore struct {
	couponkit.ClaimStore
	settled chan string
}

func (s *settledStore) Complete(ctx context.Context, key, token string, now time.Time) error {
	defer func() { s.settled <- "complete" }()
	return s.ClaimStore.Complete(ctx, key, token, now)
}

func (s *settledStore) Release(ctx context.Context, key, token string) error {
	defer func() { s.settled <- "release" }()
	return s.ClaimStore.Release(ctx, key, token)
}

// brokenStore fails every call.
type brokenStore struct{ completeOnly bool }

var errStoreDown = errors.New("store down")

func (s brokenStore) Claim(_ context.Context, _ string, lease time.Duration, now time.Time) (couponkit.Claim, error) {
	if s.completeOnly {
		return couponkit.Claim{State: couponkit.ClaimAcquired, Token: "t", Until: now.Add(lease)}, nil
	}
	return couponkit.Claim{}, errStoreDown
}
func (brokenStore) Complete(context.Context, string, string, time.Time) error { return errStoreDown }
func (brokenStore) Release(context.Context, string, string) error             { return errStoreDown }

// TestNotifyStoreFailures: a store that cannot claim gets 503 and no call;
// one that cannot complete after the function succeeded still acknowledges
// (the effect happened).
func TestNotifyStoreFailures(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	var ev events
	rec := ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithClaimStore(brokenStore{})), string(body))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "notification claim store unavailable; retry later", field(t, rec.Body.Bytes(), "errorMessage"))
	assert.Empty(t, ev.list())

	rec = ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithClaimStore(brokenStore{completeOnly: true})), string(body))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Len(t, ev.list(), 1)
}

// TestNotifyRefusedReleasesTheClaim: a notification refused after its
// claim (replay window, confirmation) leaves the uuid free.
func TestNotifyRefusedReleasesTheClaim(t *testing.T) {
	t.Parallel()
	body := ntBody(t)
	store := &recordingStore{ClaimStore: couponkit.NewMemoryClaimStore(0)}
	var ev events
	clock := testclock.New(vecTime.Add(time.Hour))
	h := ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithClaimStore(store), ebuy.WithNotifyClock(clock), ebuy.WithReplayWindow(time.Minute))
	assert.Equal(t, http.StatusBadRequest, ntPost(h, string(body)).Code)
	require.Len(t, store.calls, 2)
	assert.Regexp(t, `^release [0-9a-f]{32}$`, store.calls[1])
	clock.Set(vecTime)
	assert.Equal(t, http.StatusOK, ntPost(h, string(body)).Code)
	assert.Len(t, ev.list(), 1)
}
