package ebuytest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/leakcheck"
)

// TestNotifierResendsWithoutGoroutines: a Notifier keeps what was not
// acknowledged, re-sends it only when asked, the same bytes each time, and
// leaves nothing running after Close.
func TestNotifierResendsWithoutGoroutines(t *testing.T) {
	leakcheck.Check(t)
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	codes := fake.SeedCodes(1, ebuy.StatusRedeemed)

	var mu sync.Mutex
	var bodies []string
	answer := http.StatusServiceUnavailable
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		w.WriteHeader(answer)
	}))
	defer srv.Close()

	n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, Layout: ebuytest.LayoutNotifyParam, Unsigned: true, MaxAttempts: 3})
	require.ErrorContains(t, n.SendVerify(ctx, codes...), "answered 503")
	require.Len(t, n.Unacknowledged(), 1)
	sent, err := n.ResendUnacknowledged(ctx)
	assert.Equal(t, 1, sent)
	require.ErrorContains(t, err, "answered 503")
	mu.Lock()
	answer = http.StatusOK
	mu.Unlock()
	sent, err = n.ResendUnacknowledged(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, sent)
	assert.Empty(t, n.Unacknowledged())

	mu.Lock()
	got := append([]string(nil), bodies...)
	answer = http.StatusBadGateway
	mu.Unlock()
	require.Len(t, got, 3)
	assert.Equal(t, got[0], got[1])
	assert.Equal(t, got[0], got[2])
	assert.NotContains(t, got[0], `"sign"`)
	assert.Contains(t, got[0], `"notifyParam":{"appId":"`+ebuytest.DefaultAppID+`"`)

	// A cancelled context delivers nothing and keeps the notification.
	n2 := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL})
	require.Error(t, n2.SendCodeStatus(ctx, codes...))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	sent, err = n2.ResendUnacknowledged(cctx)
	assert.Equal(t, 0, sent)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, n2.Unacknowledged(), 1)
}

// TestNotifierDeliversToAHandlerInMemory: with a Handler, a Notifier
// delivers in this process, even with a URL nobody listens on, as a server
// would hand the request over; the same bytes are re-sent until the
// handler acknowledges; nothing is left running.
func TestNotifierDeliversToAHandlerInMemory(t *testing.T) {
	leakcheck.Check(t)
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{InMemory: true})
	defer fake.Close()
	codes := fake.SeedCodes(2, ebuy.StatusRedeemed)

	var mu sync.Mutex
	var reqs []*http.Request
	var bodies []string
	var events []ebuy.Event
	fail := true
	h := ebuy.NewNotifyHandler(fake.Secret(), func(_ context.Context, ev ebuy.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		if fail {
			return errors.New("database down")
		}
		return nil
	})
	capture := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		mu.Lock()
		reqs = append(reqs, r)
		bodies = append(bodies, string(b))
		mu.Unlock()
		h.ServeHTTP(w, r)
	})

	// 127.0.0.1:1 refuses connections: a delivery that dialled would fail.
	n := fake.Notifier(ebuytest.NotifierConfig{URL: "http://127.0.0.1:1/hooks/ebuy", Handler: capture})
	require.ErrorContains(t, n.SendVerify(ctx, codes...), "answered 503")
	require.Len(t, n.Unacknowledged(), 1)
	mu.Lock()
	fail = false
	mu.Unlock()
	sent, err := n.ResendUnacknowledged(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, sent)
	assert.Empty(t, n.Unacknowledged())

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, reqs, 2)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/hooks/ebuy", r.URL.Path)
	assert.Equal(t, "127.0.0.1:1", r.Host)
	assert.Equal(t, couponkittest.RemoteAddr, r.RemoteAddr)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Nil(t, r.TLS)
	assert.Equal(t, bodies[0], bodies[1], "re-sent unchanged")
	require.NoError(t, ebuy.VerifyNotificationSign([]byte(bodies[0]), fake.Secret()))
	require.Len(t, events, 2)
	assert.Equal(t, events[0].UUID, events[1].UUID)
	assert.Equal(t, ebuy.EventVerify, events[1].Kind)
	require.Len(t, events[1].Items, 2)
	assert.Equal(t, codes, []string{events[1].Items[0].Code, events[1].Items[1].Code})

	// The Notifier writes its bodies with NotificationBody's writer: the
	// same notification gives the same bytes.
	ev := events[1]
	again, _, err := ebuytest.NotificationBody(fake.Secret(), ebuytest.Notification{Kind: ev.Kind, AppID: ev.AppID, UUID: ev.UUID,
		Time: ev.Timestamp, Items: ev.Items}, ebuytest.LayoutEnvelope)
	require.NoError(t, err)
	assert.Equal(t, bodies[0], string(again))
}

// TestNotifierHandlerDefaultURL: without a URL, the Handler receives
// requests for DefaultNotifyURL (https, so TLS is set); without a URL or a
// Handler, nothing is sent and the error names the field.
func TestNotifierHandlerDefaultURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{InMemory: true})
	defer fake.Close()
	codes := fake.SeedCodes(1, ebuy.StatusRedeemed)
	var got *http.Request
	n := fake.Notifier(ebuytest.NotifierConfig{Layout: ebuytest.LayoutFlat, Unsigned: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
	})})
	require.NoError(t, n.SendCodeStatus(ctx, codes...), "a handler that writes nothing answers 200")
	require.NotNil(t, got)
	assert.Equal(t, "https://notify.ebuytest.invalid/notify", ebuytest.DefaultNotifyURL)
	assert.Equal(t, "/notify", got.URL.Path)
	assert.Equal(t, "notify.ebuytest.invalid", got.Host)
	assert.NotNil(t, got.TLS)

	for field, cfg := range map[string]ebuytest.NotifierConfig{
		"NotifierConfig.URL":    {},
		"NotifierConfig.Layout": {URL: "http://127.0.0.1:1/", Layout: 9},
	} {
		err := fake.Notifier(cfg).SendVerify(ctx, codes...)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
}

// TestNotifierURLAndHandlerSendTheSameNotification: a handler reached over
// a socket (URL) and in memory (Handler) gets a notification of the same
// shape, both acknowledged.
func TestNotifierURLAndHandlerSendTheSameNotification(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	codes := fake.SeedCodes(1, ebuy.StatusRedeemed)
	var mu sync.Mutex
	var got []ebuy.Event
	h := ebuy.NewNotifyHandler(fake.Secret(), func(_ context.Context, ev ebuy.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		return nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, cfg := range []ebuytest.NotifierConfig{{URL: srv.URL, Layout: ebuytest.LayoutNotifyParam}, {Handler: h, Layout: ebuytest.LayoutNotifyParam}} {
		n := fake.Notifier(cfg)
		require.NoError(t, n.SendVerifyVoid(ctx, codes...))
		assert.Empty(t, n.Unacknowledged())
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	for _, ev := range got {
		assert.Equal(t, ebuy.EventVerifyVoid, ev.Kind)
		assert.True(t, ev.Signed)
		require.Len(t, ev.Items, 1)
		assert.Equal(t, codes[0], ev.Items[0].Code)
	}
	assert.NotEqual(t, got[0].UUID, got[1].UUID, "two notifications")
}
