package ebuytest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	codes := fake.SeedCodes(1, ebuy.StatusUsed)

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
