package ebuy_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/testclock"
)

const ntCapturedUUID = "20240517-ce26ddc2839e49afb004976179b3c299"

// TestNotifyFieldBoundaryForgeryRefused: the captured notification of
// testdata rewritten with "timestamp":"<ms>&uuid=<uuid>" and no uuid field
// signs the same text, so its sign verifies; it is refused for its shape,
// under every unsigned policy, before any function runs.
func TestNotifyFieldBoundaryForgeryRefused(t *testing.T) {
	t.Parallel()
	genuine, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	forged := strings.Replace(string(genuine), `"uuid":"`+ntCapturedUUID+`",`, "", 1)
	forged = strings.Replace(forged, `"timestamp":1715911200789,`, `"timestamp":"1715911200789&uuid=`+ntCapturedUUID+`",`, 1)
	require.NotContains(t, forged, `"uuid"`)
	require.Contains(t, forged, `"timestamp":"1715911200789&uuid=`+ntCapturedUUID+`"`)

	// The same signed text, so the same (genuine) sign.
	require.Equal(t, ntPayload(t, genuine, vecKey), ntPayload(t, []byte(forged), vecKey))
	require.Equal(t, field(t, genuine, "sign"), ntSHA256(ntPayload(t, []byte(forged), vecKey)))

	_, err = ebuy.ReadNotification([]byte(forged), vecKey)
	assert.ErrorIs(t, err, ebuy.ErrNotificationMalformed)
	_, err = ebuy.ReadNotification([]byte(forged), vecKey, ebuy.AllowUnsigned())
	assert.ErrorIs(t, err, ebuy.ErrNotificationMalformed)
	assert.ErrorIs(t, ebuy.VerifyNotificationSign([]byte(forged), vecKey), ebuy.ErrNotificationMalformed)
	_, c, _ := fakeClient(t)
	for name, mode := range ntModes {
		var ev events
		rec := ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithUnsigned(mode(c))), forged)
		assert.Equal(t, http.StatusBadRequest, rec.Code, name)
		assert.Equal(t, ebuy.ErrCodeParamInvalid, field(t, rec.Body.Bytes(), "errorCode"), name)
		assert.Empty(t, ev.list(), name)
	}
	// The genuine one passes.
	var ev events
	assert.Equal(t, http.StatusOK, ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle), string(genuine)).Code)
}

// TestNotifyShapeRefused: bodies of the wrong shape are refused (400) under
// AcceptUnsigned() too, and the function is not called.
func TestNotifyShapeRefused(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"no uuid":              `{"appId":"a","content":{},"timestamp":1715911200789}`,
		"empty uuid":           `{"appId":"a","content":{},"timestamp":1715911200789,"uuid":""}`,
		"numeric uuid":         `{"appId":"a","content":{},"timestamp":1715911200789,"uuid":20240517}`,
		"null uuid":            `{"appId":"a","content":{},"timestamp":1715911200789,"uuid":null}`,
		"no timestamp":         `{"appId":"a","content":{},"uuid":"u1"}`,
		"text timestamp":       `{"appId":"a","content":{},"timestamp":"soon","uuid":"u1"}`,
		"negative timestamp":   `{"appId":"a","content":{},"timestamp":-1,"uuid":"u1"}`,
		"fraction timestamp":   `{"appId":"a","content":{},"timestamp":1715911200789.5,"uuid":"u1"}`,
		"flat with nothing":    `{"appId":"a","uuid":"u1"}`,
		"flat text createDate": `{"appId":"a","createDate":"soon","items":[],"uuid":"u1"}`,
		"flat text timestamp":  `{"appId":"a","items":[],"timestamp":"soon","uuid":"u1"}`,
		"ampersand in a value": `{"appId":"a&b","content":{},"timestamp":1715911200789,"uuid":"u1"}`,
		"equals in a value":    `{"appId":"a","content":{},"timestamp":1715911200789,"uuid":"u=1"}`,
		"equals in a key":      `{"a=b":"c","content":{},"timestamp":1715911200789,"uuid":"u1"}`,
		"content a string":     `{"content":"{}","timestamp":1715911200789,"uuid":"u1"}`,
		"items a string":       `{"items":"[{\"code\":\"C1\"}]","timestamp":1715911200789,"uuid":"u1"}`,
		"channels an object":   `{"channelInfoList":{},"timestamp":1715911200789,"uuid":"u1"}`,
		"not an object":        `[1]`,
	} {
		var ev events
		rec := ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned())), body)
		assert.Equal(t, http.StatusBadRequest, rec.Code, name)
		assert.Empty(t, ev.list(), name)
	}
	// The shapes e-Buy's pages print pass: a digit-string timestamp, and the
	// flat layout with createDate in place of a timestamp.
	for name, body := range map[string]string{
		"string timestamp": `{"appId":"a","content":{"items":[{"code":"1004231231260035262=7sU8TPTD"}]},"timestamp":"1715911200789","uuid":"u1"}`,
		"flat createDate":  `{"appId":"a","createDate":1715911200789,"items":[{"code":"C1"}],"uuid":"u1"}`,
	} {
		var ev events
		rec := ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned())), body)
		assert.Equal(t, http.StatusOK, rec.Code, name)
		require.Len(t, ev.list(), 1, name)
		assert.Equal(t, time.Date(2024, 5, 17, 10, 0, 0, 789e6, beijing).Unix(), ev.list()[0].Timestamp.Unix(), name)
	}
}

// TestNotifyContentType: only JSON is read (415 otherwise, also without a
// Content-Type).
func TestNotifyContentType(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	for ct, want := range map[string]int{
		"":                                  http.StatusUnsupportedMediaType,
		"text/plain":                        http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded": http.StatusUnsupportedMediaType,
		"multipart/form-data; boundary=x":   http.StatusUnsupportedMediaType,
		"application/json;charset=UTF-8":    http.StatusOK,
		"Application/JSON":                  http.StatusOK,
		"application/vnd.ebuy+json":         http.StatusOK,
	} {
		var ev events
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(string(body)))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		ebuy.NewNotifyHandler(vecKey, ev.handle).ServeHTTP(rec, req)
		assert.Equal(t, want, rec.Code, ct)
		if want != http.StatusOK {
			assert.Empty(t, ev.list(), ct)
		}
	}
}

// TestNotifyDuplicateDeliveredOnce: a notification handled before is
// acknowledged again without a second call.
func TestNotifyDuplicateDeliveredOnce(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	var ev events
	h := ebuy.NewNotifyHandler(vecKey, ev.handle)
	first := ntPost(h, string(body))
	second := ntPost(h, string(body))
	assert.Equal(t, http.StatusOK, first.Code)
	assert.Equal(t, http.StatusOK, second.Code)
	assert.Equal(t, ntCapturedUUID, field(t, second.Body.Bytes(), "uuid"), "acknowledged again")
	assert.Len(t, ev.list(), 1)

	// Without a store each delivery is handled.
	var ev2 events
	h2 := ebuy.NewNotifyHandler(vecKey, ev2.handle, ebuy.WithClaimStore(nil))
	ntPost(h2, string(body))
	ntPost(h2, string(body))
	assert.Len(t, ev2.list(), 2)
}

// TestNotifyDuplicateSixAtOnce: six deliveries of one notification at once
// call the function once, and all six are acknowledged.
func TestNotifyDuplicateSixAtOnce(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	var calls atomic.Int32
	arrived := make(chan struct{}, 6)
	all := make(chan struct{})
	go func() {
		for range 6 {
			<-arrived
		}
		close(all)
	}()
	h := ebuy.NewNotifyHandler(vecKey, func(ctx context.Context, _ ebuy.Event) error {
		calls.Add(1)
		<-all // held until every delivery has reached the handler
		return nil
	})
	entry := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		h.ServeHTTP(w, r)
	})
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = ntPost(entry, string(body)).Code
		}()
	}
	wg.Wait()
	assert.Equal(t, []int{200, 200, 200, 200, 200, 200}, codes)
	assert.Equal(t, int32(1), calls.Load())
}

// TestNotifyFailedHandlingDeliveredAgain: a notification whose handling
// failed is not recorded: the fake sends it again and the function runs
// again; once acknowledged it is not sent any more.
func TestNotifyFailedHandlingDeliveredAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := ebuytest.Start(t, ebuytest.Config{})
	codes := fake.SeedCodes(1, ebuy.StatusRedeemed)
	var mu sync.Mutex
	var uuids []string
	fail := true
	h := ebuy.NewNotifyHandler(fake.Secret(), func(_ context.Context, ev ebuy.Event) error {
		mu.Lock()
		defer mu.Unlock()
		uuids = append(uuids, ev.UUID)
		if fail {
			fail = false
			return errors.New("database down")
		}
		return nil
	})
	cp := &ntCapture{h: h}
	srv := httptest.NewServer(cp)
	defer srv.Close()
	n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, Layout: ebuytest.LayoutFlat})
	require.ErrorContains(t, n.SendVerify(ctx, codes...), "answered 503")
	pending := n.Unacknowledged()
	require.Len(t, pending, 1)

	sent, err := n.ResendUnacknowledged(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, sent)
	assert.Empty(t, n.Unacknowledged())
	sent, err = n.ResendUnacknowledged(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, sent)

	assert.Equal(t, []int{503, 200}, cp.Statuses())
	bodies := cp.Bodies()
	assert.Equal(t, string(bodies[0]), string(bodies[1]), "re-sent unchanged")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{pending[0], pending[0]}, uuids)
}

// TestNotifyResendBounded: the fake gives up after MaxAttempts deliveries.
func TestNotifyResendBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := ebuytest.Start(t, ebuytest.Config{})
	codes := fake.SeedCodes(1, ebuy.StatusRedeemed)
	ev := events{err: errors.New("always down")}
	srv := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), ev.handle))
	defer srv.Close()
	n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, MaxAttempts: 3})
	require.Error(t, n.SendVerify(ctx, codes...))
	for range 4 {
		_, _ = n.ResendUnacknowledged(ctx)
	}
	assert.Empty(t, n.Unacknowledged())
	assert.Len(t, ev.list(), 3)
}

// TestNotifyHandlerTimeout: a function that does not return in time leaves
// e-Buy answered 503, its context cancelled with ErrNotifyTimeout.
func TestNotifyHandlerTimeout(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	causes := make(chan error, 1)
	release := make(chan struct{})
	// The manual clock's Sleep returns at once: the deadline passes as soon
	// as the handler waits for it.
	h := ebuy.NewNotifyHandler(vecKey, func(ctx context.Context, _ ebuy.Event) error {
		<-ctx.Done()
		causes <- context.Cause(ctx)
		<-release
		return nil
	}, ebuy.WithHandlerTimeout(time.Minute), ebuy.WithNotifyClock(testclock.New(vecTime)))
	rec := ntPost(h, string(body))
	close(release)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	cause := <-causes
	assert.ErrorIs(t, cause, ebuy.ErrNotifyTimeout)
	assert.ErrorIs(t, cause, context.DeadlineExceeded)
}

// TestNotifyReplayWindow: with a window, a notification whose timestamp is
// too far from the handler's clock is refused; a handled one is still
// acknowledged.
func TestNotifyReplayWindow(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	clock := testclock.New(vecTime.Add(10 * time.Minute)) // the body's timestamp is vecTime + 789 ms
	var ev events
	rec := ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithNotifyClock(clock), ebuy.WithReplayWindow(5*time.Minute)), string(body))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "TIMESTAMP_OUT_OF_WINDOW", field(t, rec.Body.Bytes(), "errorCode"))
	assert.Empty(t, ev.list())

	early := testclock.New(vecTime.Add(-10 * time.Minute))
	rec = ntPost(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithNotifyClock(early), ebuy.WithReplayWindow(5*time.Minute)), string(body))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "from the future too")

	store := couponkit.NewMemoryClaimStore(1)
	h := ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithNotifyClock(clock), ebuy.WithReplayWindow(15*time.Minute), ebuy.WithClaimStore(store))
	assert.Equal(t, http.StatusOK, ntPost(h, string(body)).Code)
	clock.Advance(time.Hour)
	assert.Equal(t, http.StatusOK, ntPost(h, string(body)).Code, "handled before: acknowledged again")
	assert.Len(t, ev.list(), 1)
}
