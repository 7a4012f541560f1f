package ebuy_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// events collects the events a handler received.
type events struct {
	mu  sync.Mutex
	got []ebuy.Event
	err error
}

func (e *events) handle(_ context.Context, ev ebuy.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, ev)
	return e.err
}

func (e *events) list() []ebuy.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ebuy.Event(nil), e.got...)
}

func TestNotifyHandlerReceivesSignedVerifyNotification(t *testing.T) {
	t.Parallel()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	codes := fake.SeedCodes(2, ebuy.StatusUnused)
	redemption, err := fake.Redeem("1490", "北京银泰店", codes...)
	require.NoError(t, err)

	var ev events
	var acks [][]byte
	var mu sync.Mutex
	h := ebuy.NewNotifyHandler(fake.Secret(), ev.handle)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		mu.Lock()
		acks = append(acks, rec.Body.Bytes())
		mu.Unlock()
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()

	require.NoError(t, fake.SendVerifyNotify(context.Background(), srv.URL, codes...))
	got := ev.list()
	require.Len(t, got, 1)
	e := got[0]
	assert.Equal(t, ebuy.EventVerify, e.Kind)
	assert.Equal(t, "verifyCodeNotify", e.Action)
	assert.Equal(t, ebuytest.DefaultAppID, e.AppID)
	assert.Regexp(t, `^\d{8}-[0-9a-f]{32}$`, e.UUID)
	assert.False(t, e.Timestamp.IsZero())
	require.Len(t, e.Channels, 1)
	assert.Equal(t, "Verify", e.Channels[0].NotifyType)
	assert.Equal(t, []ebuy.TicketID{ebuytest.DefaultProductID}, e.Channels[0].TicketIDs)
	require.Len(t, e.Items, 2)
	assert.Equal(t, codes[0], e.Items[0].Code)
	assert.Equal(t, ebuytest.DefaultProductID, e.Items[0].TicketID)
	assert.Equal(t, redemption, e.Items[0].OriginalRequestID)
	assert.Equal(t, 1, e.Items[0].CodeCount)
	assert.False(t, e.Items[0].VerifyDate.IsZero())
	assert.NotEmpty(t, e.Items[0].OuterOrderID)

	// The default acknowledgement is a signed success envelope echoing the uuid.
	require.Len(t, acks, 1)
	require.NoError(t, ebuy.VerifyNotificationSign(acks[0], fake.Secret()))
	assert.Equal(t, "true", field(t, acks[0], "success"))
	assert.Equal(t, e.UUID, field(t, acks[0], "uuid"))
	assert.Equal(t, e.Action, field(t, acks[0], "action"))
}

func TestNotifyHandlerStatusAndVoidKinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	_, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
	require.NoError(t, err)
	var ev events
	srv := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), ev.handle))
	defer srv.Close()
	require.NoError(t, fake.SendCodeStatusNotify(ctx, srv.URL, codes...))
	require.NoError(t, fake.SendVerifyVoidNotify(ctx, srv.URL, codes...))
	got := ev.list()
	require.Len(t, got, 2)
	assert.Equal(t, ebuy.EventCodeStatus, got[0].Kind)
	assert.Equal(t, "freeze", got[0].Items[0].OperationType)
	assert.False(t, got[0].Items[0].UpdateTime.IsZero())
	assert.Equal(t, ebuy.EventVerifyVoid, got[1].Kind)
}

func TestNotifyHandlerRefusesBadSign(t *testing.T) {
	t.Parallel()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	codes := fake.SeedCodes(1, ebuy.StatusRedeemed)
	var ev events
	srv := httptest.NewServer(ebuy.NewNotifyHandler("another-secret", ev.handle))
	defer srv.Close()
	err := fake.SendVerifyNotify(context.Background(), srv.URL, codes...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "answered 401")
	assert.Empty(t, ev.list(), "no user code runs for a bad sign")
}

func TestNotifyHandlerAnswers(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	post := func(h http.Handler, method, b string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, "/notify", strings.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		return rec
	}
	t.Run("good", func(t *testing.T) {
		var ev events
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle), http.MethodPost, string(body))
		assert.Equal(t, http.StatusOK, rec.Code)
		require.Len(t, ev.list(), 1)
	})
	t.Run("tampered", func(t *testing.T) {
		var ev events
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle), http.MethodPost, strings.Replace(string(body), "O-1", "O-2", 1))
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, ebuy.ErrCodeSignInvalid, field(t, rec.Body.Bytes(), "errorCode"))
		assert.Empty(t, ev.list())
	})
	t.Run("unsigned", func(t *testing.T) {
		var ev events
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle), http.MethodPost, `{"action":"verifyCodeNotify","items":[],"timestamp":1,"uuid":"u"}`)
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Empty(t, ev.list())
	})
	t.Run("malformed", func(t *testing.T) {
		var ev events
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle), http.MethodPost, `not json`)
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Empty(t, ev.list())
	})
	t.Run("get", func(t *testing.T) {
		var ev events
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle), http.MethodGet, "")
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	})
	t.Run("too large", func(t *testing.T) {
		var ev events
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithMaxNotifyBytes(100)), http.MethodPost, string(body))
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		assert.Empty(t, ev.list())
	})
	t.Run("handler error", func(t *testing.T) {
		ev := events{err: errors.New("database down: secret detail")}
		rec := post(ebuy.NewNotifyHandler(vecKey, ev.handle), http.MethodPost, string(body))
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "e-Buy retries")
		assert.NotContains(t, rec.Body.String(), "secret detail")
		assert.Len(t, ev.list(), 1)
	})
	t.Run("custom ack", func(t *testing.T) {
		var ev events
		h := ebuy.NewNotifyHandler(vecKey, ev.handle, ebuy.WithAck(func(e ebuy.Event) (string, []byte) {
			return "text/plain", []byte("success " + e.UUID)
		}))
		rec := post(h, http.MethodPost, string(body))
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "text/plain", rec.Header().Get("Content-Type"))
		assert.Equal(t, "success 20240517-ce26ddc2839e49afb004976179b3c299", rec.Body.String())
	})
}

func TestReadNotificationTopLevelLayout(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	ev, err := ebuy.ReadNotification(body, vecKey)
	require.NoError(t, err)
	assert.Equal(t, ebuy.EventVerify, ev.Kind)
	assert.Equal(t, "ebuy1d0c0a81a9a4", ev.AppID)
	require.Len(t, ev.Items, 1)
	it := ev.Items[0]
	assert.Equal(t, "1004231231260035262=7sU8TPTD", it.Code)
	assert.Equal(t, ebuy.TicketID(1000000010748), it.TicketID)
	assert.Equal(t, "36d61fc75def4228bdc1bd4505fd5fcd", it.VerifyID)
	assert.Equal(t, "20240517-1111", it.OriginalRequestID)
	assert.Equal(t, "O-1", it.OuterOrderID)
	assert.Equal(t, time.UnixMilli(1715910000000).Unix(), it.VerifyDate.Unix())
	_, off := it.VerifyDate.Zone()
	assert.Equal(t, 8*3600, off)
	assert.Equal(t, "易百演示", ev.Channels[0].ChannelName)
	assert.Equal(t, body, ev.Raw)

	_, err = ebuy.ReadNotification(body, "wrong")
	assert.ErrorIs(t, err, ebuy.ErrNotificationSignature)
	_, err = ebuy.ReadNotification([]byte(`{"a":1`), vecKey)
	assert.ErrorIs(t, err, ebuy.ErrNotificationMalformed)
}

// TestReadNotificationSignPolicy: ReadNotification returns only signed
// events unless AllowUnsigned; VerifyNotificationSign accepts exactly what
// ReadNotification does by default; a wrong sign is refused by all three.
func TestReadNotificationSignPolicy(t *testing.T) {
	t.Parallel()
	signed, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	unsigned := []byte(pageStatus6ea9a) // printed without a sign
	emptySign := []byte(strings.Replace(pageStatus6ea9a, `{`, `{"sign":"",`, 1))
	tampered := []byte(strings.Replace(string(signed), "O-1", "O-2", 1))

	ev, err := ebuy.ReadNotification(signed, vecKey)
	require.NoError(t, err)
	assert.True(t, ev.Signed)
	assert.Equal(t, "O-1", ev.Items[0].OuterOrderID)
	require.NoError(t, ebuy.VerifyNotificationSign(signed, vecKey))
	ev, err = ebuy.ReadNotification(signed, vecKey, ebuy.AllowUnsigned())
	require.NoError(t, err)
	assert.True(t, ev.Signed)

	for name, body := range map[string][]byte{"no sign": unsigned, "empty sign": emptySign} {
		ev, err = ebuy.ReadNotification(body, vecKey)
		assert.Nil(t, ev, name)
		assert.ErrorIs(t, err, ebuy.ErrNotificationUnsigned, name)
		assert.ErrorIs(t, err, ebuy.ErrNotificationSignature, name)
		assert.ErrorIs(t, ebuy.VerifyNotificationSign(body, vecKey), ebuy.ErrNotificationUnsigned, name)
		ev, err = ebuy.ReadNotification(body, vecKey, ebuy.AllowUnsigned())
		require.NoError(t, err, name)
		assert.False(t, ev.Signed, name)
		assert.Equal(t, "20220509-b485a27c80914357912b029a8a8f5f9b", ev.UUID, name)
	}

	for _, opts := range [][]ebuy.ReadNotificationOption{nil, {ebuy.AllowUnsigned()}} {
		ev, err = ebuy.ReadNotification(tampered, vecKey, opts...)
		assert.Nil(t, ev)
		assert.ErrorIs(t, err, ebuy.ErrNotificationSignature)
		assert.NotErrorIs(t, err, ebuy.ErrNotificationUnsigned)
	}
	err = ebuy.VerifyNotificationSign(tampered, vecKey)
	assert.ErrorIs(t, err, ebuy.ErrNotificationSignature)
	assert.NotErrorIs(t, err, ebuy.ErrNotificationUnsigned)
}

func TestReadNotificationNotifyParamLayout(t *testing.T) {
	t.Parallel()
	// e-Buy's verifyCodeNotify page nests the items in content.notifyParam,
	// printed once as an object and once as an array.
	for name, param := range map[string]string{
		"object": `{"appId":"a","createDate":1715910000000,"items":[{"code":"C1","ticketId":1031000000010741,"verifyDate":"20240517093000"}]}`,
		"array":  `[{"items":[{"code":"C1","ticketId":"1031000000010741","verifyDate":1715909400000}]}]`,
	} {
		t.Run(name, func(t *testing.T) {
			content := `{"channelInfoList":[{"action":"VerifyCodeNotify","notifyType":"Verify"}],"notifyParam":` + param + `}`
			body := signedNotification(t, "makeEcoupon", content)
			ev, err := ebuy.ReadNotification(body, vecKey)
			require.NoError(t, err)
			assert.Equal(t, ebuy.EventVerify, ev.Kind, "from the channel's action when the envelope's says nothing")
			require.Len(t, ev.Items, 1)
			assert.Equal(t, "C1", ev.Items[0].Code)
			assert.Equal(t, ebuy.TicketID(1031000000010741), ev.Items[0].TicketID)
			assert.Equal(t, time.Date(2024, 5, 17, 9, 30, 0, 0, beijing).Unix(), ev.Items[0].VerifyDate.Unix())
		})
	}
}

func TestNotifyHandlerPanicsWithoutSecret(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { ebuy.NewNotifyHandler("", func(context.Context, ebuy.Event) error { return nil }) })
	assert.Panics(t, func() { ebuy.NewNotifyHandler("s", nil) })
}

func signedNotification(t *testing.T, action, content string) []byte {
	t.Helper()
	req := []byte(`{"action":"` + action + `","uuid":"20240517-n"}`)
	return signedAnswer(t, req, vecKey, content)
}

// FuzzReadNotification feeds arbitrary bodies to the notification parser:
// it never panics, refuses with one of its two errors, and accepts only a
// body whose sign verifies.
func FuzzReadNotification(f *testing.F) {
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(f, err)
	f.Add(body)
	f.Add([]byte(strings.Replace(string(body), "O-1", "O-2", 1)))
	f.Add([]byte(`{"content":{"notifyParam":[{"items":[{"code":1}]}]},"sign":"00"}`))
	f.Add([]byte(`{"content":{"notifyParam":"x"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := ebuy.ReadNotification(b, vecKey)
		if err != nil {
			require.True(t, errors.Is(err, ebuy.ErrNotificationSignature) || errors.Is(err, ebuy.ErrNotificationMalformed), err)
			return
		}
		require.NoError(t, ebuy.VerifyNotificationSign(b, vecKey))
		require.Equal(t, b, ev.Raw)
	})
}
