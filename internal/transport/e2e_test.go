package transport

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/testclock"
)

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-1")
		_, _ = w.Write([]byte(`{"ok":true}`))
	})
}

func loopbackClient(t *testing.T, opts ...couponkit.Option) *Client {
	t.Helper()
	all := append([]couponkit.Option{couponkit.WithClock(testclock.New(time.Time{}))}, opts...)
	c := New("test", couponkit.ResolveOptions(all...), "s3cr3t-key")
	t.Cleanup(c.Close)
	return c
}

func e2eCall(url string, class Class) *Call {
	return &Call{Operation: "op", URL: url, Class: class, KeyName: "saleNo", Key: "S-9",
		Build: func(int) (Payload, error) {
			return Payload{Body: []byte(`{"saleNo":"S-9"}`), ContentType: "application/json", Header: http.Header{"X-Sign": {"abc"}}}, nil
		},
		Check: func(r *Response) error {
			r.RequestID = r.Header.Get("X-Request-Id")
			if bytes.Equal(r.Body, []byte(`{"ok":true}`)) {
				return nil
			}
			return &couponkit.Error{Message: "not ok", Fault: couponkit.FaultClient}
		}}
}

func TestDroppedAfterWriteUnsafeIsUnknownAndSentOnce(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	defer srv.Close()
	srv.Inject(fakekit.Fault{Drop: true})
	c := loopbackClient(t)
	_, err := c.Do(context.Background(), e2eCall(srv.URL+"/sale", Unsafe))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "S-9", key)
	assert.Equal(t, 1, srv.RequestCount())
	assert.Equal(t, `{"saleNo":"S-9"}`, string(srv.Requests()[0].Body))
	assert.Equal(t, "abc", srv.Requests()[0].Header.Get("X-Sign"))
	assert.Equal(t, couponkit.DefaultUserAgent, srv.Requests()[0].Header.Get("User-Agent"))
	assert.Equal(t, "application/json", srv.Requests()[0].Header.Get("Accept"))
}

func TestDroppedAfterWriteKeyedIsRetried(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	defer srv.Close()
	srv.Inject(fakekit.Fault{Drop: true})
	c := loopbackClient(t)
	resp, err := c.Do(context.Background(), e2eCall(srv.URL+"/sale", Keyed))
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, "rid-1", resp.RequestID)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
}

func TestKeyedExhaustedIsUnknown(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	defer srv.Close()
	srv.Inject(fakekit.Fault{Status: 502}, fakekit.Fault{Status: 502}, fakekit.Fault{Status: 502})
	c := loopbackClient(t)
	_, err := c.Do(context.Background(), e2eCall(srv.URL, Keyed))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, 3, u.Attempts)
	assert.Equal(t, 3, srv.RequestCount())
}

func TestRefusedConnectionUnsafeIsRetriedNotUnknown(t *testing.T) {
	dead := httptest.NewServer(okHandler())
	url := dead.URL
	dead.Close() // nothing listens there now: the dial is refused
	c := loopbackClient(t, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	_, err := c.Do(context.Background(), e2eCall(url, Unsafe))
	require.Error(t, err)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultServer, ce.Fault)
}

func TestTimeoutAfterWriteIsUnknownForWrites(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	defer srv.Close()
	srv.Inject(fakekit.Fault{Delay: time.Hour})
	c := loopbackClient(t, couponkit.WithTimeout(time.Second))
	_, err := c.Do(context.Background(), e2eCall(srv.URL, Unsafe))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount())
}

func TestCancelledContextBeforeSend(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := loopbackClient(t)
	_, err := c.Do(ctx, e2eCall(srv.URL, Unsafe))
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 0, srv.RequestCount())
}

func TestDebugLogHasNoSecrets(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	defer srv.Close()
	srv.Inject(fakekit.Fault{Status: 500, Body: []byte(`{"msg":"s3cr3t-key leaked"}`)})
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := loopbackClient(t, couponkit.WithLogger(logger))
	_, err := c.Do(context.Background(), e2eCall(srv.URL, Safe))
	require.NoError(t, err)
	out := buf.String()
	assert.Contains(t, out, "operation=op")
	assert.Contains(t, out, "attempt=1")
	assert.Contains(t, out, "status=500")
	assert.Contains(t, out, "attempt=2")
	assert.Contains(t, out, "request_id=rid-1")
	assert.Contains(t, out, "latency=")
	assert.NotContains(t, out, "s3cr3t-key")
	assert.NotContains(t, out, "abc") // the request's signature header
	assert.NotContains(t, out, "S-9")
}
