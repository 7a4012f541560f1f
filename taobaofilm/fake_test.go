package taobaofilm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// The fake driven only through the control surface every fake shares, in
// memory, with the client on the same manual clock.
func TestFakeThroughSharedControls(t *testing.T) {
	t.Parallel()
	clk := couponkittest.NewClock(vectorTime)
	srv := taobaofilmtest.Start(t, taobaofilmtest.Config{Clock: clk, InMemory: true})
	var f couponkittest.Fake = srv
	c, err := taobaofilm.NewClient(srv.ClientConfig(), couponkit.WithClock(clk), couponkit.WithTransport(f.Transport()),
		couponkit.WithTimeout(time.Second))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	export := func() error { _, err := c.ExportCodes(ctx, defaultExport()); return err }

	f.FailNext("41", "Invalid Arguments")
	var e *couponkit.Error
	require.ErrorAs(t, export(), &e)
	assert.Equal(t, "41", e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Equal(t, 1, f.RequestCount(), "a definite refusal is not retried")

	f.FailNext("isv.invalid-parameter", "非法参数")
	require.ErrorAs(t, export(), &e)
	assert.Equal(t, "isv.invalid-parameter", e.SubCode)
	assert.Equal(t, couponkit.FaultClient, e.Fault)

	f.FailNextHTTP(http.StatusServiceUnavailable, "<html>503</html>")
	f.DropNext()
	require.NoError(t, export(), "a read is retried past a 5xx and a dropped connection")
	assert.Equal(t, 5, f.RequestCount())

	f.DropNextAfterWrite()
	require.NoError(t, export())
	assert.Equal(t, 7, f.RequestCount())

	f.DelayNext(time.Minute) // on the manual clock: no real time
	require.NoError(t, export())
	assert.Equal(t, 8, f.RequestCount())

	reqs := f.Requests()
	require.Len(t, reqs, 8)
	for _, r := range reqs {
		assert.Equal(t, taobaofilm.MethodExportQuery, r.API)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, taobaofilmtest.GatewayPath, r.Path)
	}
	assert.True(t, strings.HasPrefix(f.URL(), "http://"), f.URL())
	f.Close()
	f.Close()
	assert.Error(t, export(), "a closed fake refuses")
}

// A throttle on the manual clock: the client waits out TOP's window (code 7,
// "This ban will last for 30 more seconds") on its clock, with no real
// time, and then succeeds.
func TestThrottleOnManualClock(t *testing.T) {
	t.Parallel()
	clk := couponkittest.NewClock(vectorTime)
	srv := taobaofilmtest.Start(t, taobaofilmtest.Config{Clock: clk, InMemory: true})
	c, err := taobaofilm.NewClient(srv.ClientConfig(), couponkit.WithClock(clk), srv.ClientOption(),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3, MaxDelay: time.Minute}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	srv.ThrottleNext(30 * time.Second)
	page, err := c.ExportCodes(context.Background(), defaultExport())
	require.NoError(t, err)
	assert.Equal(t, 2, page.Meta.Attempts)
	assert.Equal(t, []time.Duration{30 * time.Second}, clk.Sleeps())
	assert.Equal(t, vectorTime.Add(30*time.Second), clk.Now())

	// A throttled write is sent again too: TOP refused it before acting.
	srv.ThrottleNext(5 * time.Second)
	_, err = c.Call(context.Background(), "taobao.film.no.such", nil, nil)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "22", e.Code, "the second attempt reached the method check")
	assert.Equal(t, 4, srv.RequestCount())
}

// An empty Config names every required field at once, in order.
func TestNewClientReportsEveryInvalidField(t *testing.T) {
	t.Parallel()
	_, err := taobaofilm.NewClient(taobaofilm.Config{})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "AppKey", ve.Field)
	assert.Equal(t, "invalid AppKey: is required\ninvalid AppSecret: is required", err.Error())

	_, err = taobaofilm.NewClient(taobaofilm.Config{Gateway: "ftp://x", SignMethod: "sha1", Cursor: 9, CursorName: "a b"})
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		require.ErrorAs(t, e, &ve)
		fields = append(fields, ve.Field)
	}
	assert.Equal(t, []string{"Gateway", "AppKey", "AppSecret", "SignMethod", "Cursor", "CursorName"}, fields)
	assert.NotContains(t, err.Error(), "ftp://x")
}

// No result type JSON-encodes its Meta (which holds the raw body).
func TestResultJSONHasNoMeta(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{})
	c, _ := newClient(t, fakeConfig(srv))
	page, err := c.ExportCodes(context.Background(), defaultExport())
	require.NoError(t, err)
	require.NotEmpty(t, page.Meta.Raw)
	b, err := json.Marshal(page)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "Meta")
	assert.NotContains(t, string(b), "Raw")
	assert.NotContains(t, string(b), "film_fcode_export_query_response")
	assert.Contains(t, string(b), `"HasNext":true`)
}

// The caller's own deadline ends a read wrapping context.DeadlineExceeded,
// not as a retryable fault.
func TestCallerDeadlineIsNotRetryable(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{})
	c, _ := newClient(t, fakeConfig(srv))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.ExportCodes(ctx, defaultExport())
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, couponkit.FaultOf(err).Retryable())
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "nothing was sent")
}
