package ebuytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// The vectors below are written out by hand from e-Buy's signing rule
// (top-level fields but sign, sorted, k=v joined with '&', then '&' and the
// secret; content as its JSON text), and their signs computed with
// sha256sum, not with the package's signer.
const (
	nbSecret = "D6954F665B12A4318DF2DE43082858DE"
	nbUUID   = "20240517-ce26ddc2839e49afb004976179b3c299"

	nbVerifyContent = `{"channelInfoList":[{"action":"VerifyCodeNotify","channelAppId":"ebuy1d0c0a81a9a4","channelId":"ebuytest","channelName":"ebuytest",` +
		`"channelType":"saleChannel","messageType":"ebuy","notifyType":"Verify","ticketIds":[1000000010748]}],"createDate":1715911200789,` +
		`"items":[{"code":"1004231231260035262","codeCount":1,"originalRequestId":"20240517-1111","outerOrderId":"O-1","ticketId":"1000000010748",` +
		`"ticketName":"星巴克中杯饮品券","verifyDate":1715910000000}]}`
	// printf %s 'action=verifyCodeNotify&appId=ebuy1d0c0a81a9a4&content=<nbVerifyContent>&lang=zh_CN&signType=sha256&timestamp=1715911200789&uuid=<nbUUID>&<nbSecret>' | sha256sum
	nbVerifySign = "8eaa9aad39455635fa2eefe87b623f6e85985e5dca8cca9f092842b51b7118f5"
	nbVerifyBody = `{"action":"verifyCodeNotify","appId":"ebuy1d0c0a81a9a4","content":` + nbVerifyContent + `,"lang":"zh_CN",` +
		`"sign":"` + nbVerifySign + `","signType":"sha256","timestamp":1715911200789,"uuid":"` + nbUUID + `"}`

	nbStatusChannels = `[{"action":"UpdateCodeStatusNotify","channelAppId":"ebuy1d0c0a81a9a4","channelId":"ebuytest","channelName":"ebuytest",` +
		`"channelType":"saleChannel","messageType":"ebuy","notifyType":"UpdateCodeStatus","ticketIds":[1000000010748]}]`
	nbStatusItems = `[{"code":"1004231231260035262","operationType":"freeze","outerOrderId":"O-1","ticketId":"1000000010748",` +
		`"ticketName":"星巴克中杯饮品券","updateTime":1715911200000}]`
	// printf %s 'action=UpdateCodeStatusNotify&channelInfoList=<nbStatusChannels>&items=<nbStatusItems>&operationType=freeze&signType=sha256&timestamp=1715911200789&uuid=<nbUUID>&<nbSecret>' | sha256sum
	nbStatusSign = "6f53b16f0b8e236149fd83647f7b71353e9039bbf5fa4b38253c0139c5523f43"
	nbStatusBody = `{"action":"UpdateCodeStatusNotify","channelInfoList":` + nbStatusChannels + `,"items":` + nbStatusItems +
		`,"operationType":"freeze","sign":"` + nbStatusSign + `","signType":"sha256","timestamp":1715911200789,"uuid":"` + nbUUID + `"}`
)

func nbItem() ebuy.NotifyItem {
	return ebuy.NotifyItem{Code: "1004231231260035262", TicketID: 1000000010748, TicketName: "星巴克中杯饮品券", OuterOrderID: "O-1"}
}

func nbVerify() ebuytest.Notification {
	it := nbItem()
	it.OriginalRequestID, it.CodeCount, it.VerifyDate = "20240517-1111", 1, time.UnixMilli(1715910000000)
	return ebuytest.Notification{Kind: ebuy.EventVerify, AppID: "ebuy1d0c0a81a9a4", UUID: nbUUID, Time: time.UnixMilli(1715911200789),
		Items: []ebuy.NotifyItem{it}}
}

func nbStatus() ebuytest.Notification {
	it := nbItem()
	it.OperationType, it.UpdateTime = "freeze", time.UnixMilli(1715911200000)
	return ebuytest.Notification{Kind: ebuy.EventCodeStatus, AppID: "ebuy1d0c0a81a9a4", UUID: nbUUID, Time: time.UnixMilli(1715911200789),
		Items: []ebuy.NotifyItem{it}}
}

// TestNotificationBodyVectors: the signed bodies are byte for byte the
// hand-written ones, signs included, and ebuy reads them back.
func TestNotificationBodyVectors(t *testing.T) {
	t.Parallel()
	body, ct, err := ebuytest.NotificationBody(nbSecret, nbVerify(), ebuytest.LayoutEnvelope)
	require.NoError(t, err)
	assert.Equal(t, "application/json", ct)
	assert.Equal(t, nbVerifyBody, string(body))
	ev, err := ebuy.ReadNotification(body, nbSecret)
	require.NoError(t, err)
	assert.Equal(t, ebuy.EventVerify, ev.Kind)
	assert.Equal(t, nbUUID, ev.UUID)
	assert.True(t, time.UnixMilli(1715911200789).Equal(ev.Timestamp))
	require.Len(t, ev.Items, 1)
	assert.Equal(t, "20240517-1111", ev.Items[0].OriginalRequestID)
	assert.True(t, time.UnixMilli(1715910000000).Equal(ev.Items[0].VerifyDate))

	body, _, err = ebuytest.NotificationBody(nbSecret, nbStatus(), ebuytest.LayoutFlat)
	require.NoError(t, err)
	assert.Equal(t, nbStatusBody, string(body))
	ev, err = ebuy.ReadNotification(body, nbSecret)
	require.NoError(t, err)
	assert.Equal(t, ebuy.EventCodeStatus, ev.Kind)
	assert.Equal(t, "freeze", ev.OperationType)
}

// TestNotificationBodyLayouts: every layout, signed and not, reads back
// as the notification it was built from; the unsigned ones carry no sign,
// and are refused unless the reader allows them.
func TestNotificationBodyLayouts(t *testing.T) {
	t.Parallel()
	void := nbVerify()
	void.Kind = ebuy.EventVerifyVoid
	st := ebuy.StoreInfo{ShopNo: "C00001", ShopName: "上海浦东测试门店"}
	void.Items[0].Store, void.Items[0].CashierTransNo, void.Items[0].BrandID = &st, "T-1", "4339"
	for _, n := range []ebuytest.Notification{nbVerify(), void, nbStatus()} {
		for _, layout := range []ebuytest.NotifyLayout{ebuytest.LayoutEnvelope, ebuytest.LayoutNotifyParam, ebuytest.LayoutFlat} {
			signed, _, err := ebuytest.NotificationBody(nbSecret, n, layout)
			require.NoError(t, err)
			unsigned, ct, err := ebuytest.UnsignedNotificationBody(n, layout)
			require.NoError(t, err)
			assert.Equal(t, "application/json", ct)
			name := string(n.Kind) + " " + string(signed)
			var top map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(unsigned, &top), name)
			assert.NotContains(t, top, "sign", name)
			assert.NotContains(t, top, "signType", name)
			_, err = ebuy.ReadNotification(unsigned, nbSecret)
			assert.ErrorIs(t, err, ebuy.ErrNotificationUnsigned, name)

			for _, body := range [][]byte{signed, unsigned} {
				ev, err := ebuy.ReadNotification(body, nbSecret, ebuy.AllowUnsigned())
				require.NoError(t, err, name)
				assert.Equal(t, len(body) == len(signed), ev.Signed, name)
				assert.Equal(t, n.Kind, ev.Kind, name)
				assert.Equal(t, nbUUID, ev.UUID, name)
				require.Len(t, ev.Items, 1, name)
				got := ev.Items[0]
				assert.Equal(t, n.Items[0].Code, got.Code, name)
				assert.Equal(t, n.Items[0].TicketID, got.TicketID, name)
				assert.Equal(t, n.Items[0].OuterOrderID, got.OuterOrderID, name)
				assert.Equal(t, n.Items[0].OperationType, got.OperationType, name)
				assert.True(t, n.Items[0].VerifyDate.Equal(got.VerifyDate), name)
				assert.True(t, n.Items[0].UpdateTime.Equal(got.UpdateTime), name)
				assert.Equal(t, n.Items[0].Store, got.Store, name)
				assert.Equal(t, n.Items[0].CashierTransNo, got.CashierTransNo, name)
				assert.Equal(t, n.Items[0].BrandID, got.BrandID, name)
			}
		}
	}
	// A signed body under another secret is a wrong sign, not an unsigned one.
	body, _, err := ebuytest.NotificationBody("another", nbVerify(), ebuytest.LayoutEnvelope)
	require.NoError(t, err)
	_, err = ebuy.ReadNotification(body, nbSecret, ebuy.AllowUnsigned())
	assert.ErrorIs(t, err, ebuy.ErrNotificationSignature)
	assert.NotErrorIs(t, err, ebuy.ErrNotificationUnsigned)
}

// TestNotificationBodyDefaults: AppID and UUID default as documented.
func TestNotificationBodyDefaults(t *testing.T) {
	t.Parallel()
	n := ebuytest.Notification{Kind: ebuy.EventVerify, Time: time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), Items: []ebuy.NotifyItem{{Code: "C1"}}}
	body, _, err := ebuytest.NotificationBody(ebuytest.DefaultAppSecret, n, ebuytest.LayoutEnvelope)
	require.NoError(t, err)
	ev, err := ebuy.ReadNotification(body, ebuytest.DefaultAppSecret)
	require.NoError(t, err)
	assert.Equal(t, ebuytest.DefaultAppID, ev.AppID)
	assert.Regexp(t, `^20270101-[0-9a-f]{32}$`, ev.UUID, "dated in Beijing time")
	assert.NotContains(t, string(body), `"ticketId"`, "no batch, none sent")
	assert.Contains(t, string(body), `"ticketIds":[]`)
	again, _, err := ebuytest.NotificationBody(ebuytest.DefaultAppSecret, n, ebuytest.LayoutEnvelope)
	require.NoError(t, err)
	assert.NotEqual(t, body, again, "a fresh uuid each time")
}

// TestNotificationBodyRefusesBadInput names the field.
func TestNotificationBodyRefusesBadInput(t *testing.T) {
	t.Parallel()
	noKind := nbVerify()
	noKind.Kind = ""
	unknown := nbVerify()
	unknown.Kind = ebuy.EventUnknown
	noItems := nbVerify()
	noItems.Items = nil
	for _, c := range []struct {
		field string
		call  func() ([]byte, string, error)
	}{
		{"Notification.Kind", func() ([]byte, string, error) {
			return ebuytest.NotificationBody(nbSecret, noKind, ebuytest.LayoutEnvelope)
		}},
		{"Notification.Kind", func() ([]byte, string, error) { return ebuytest.UnsignedNotificationBody(unknown, ebuytest.LayoutFlat) }},
		{"Notification.Items", func() ([]byte, string, error) {
			return ebuytest.NotificationBody(nbSecret, noItems, ebuytest.LayoutEnvelope)
		}},
		{"secret", func() ([]byte, string, error) {
			return ebuytest.NotificationBody("", nbVerify(), ebuytest.LayoutEnvelope)
		}},
		{"layout", func() ([]byte, string, error) {
			return ebuytest.NotificationBody(nbSecret, nbVerify(), ebuytest.NotifyLayout(7))
		}},
	} {
		body, ct, err := c.call()
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, c.field)
		assert.Equal(t, c.field, ve.Field)
		assert.Nil(t, body, c.field)
		assert.Empty(t, ct, c.field)
	}
}

// TestNotificationBodyThroughTheHandler: the signed body is acknowledged
// (200) when the function returns nil and answered 503 when it fails; the
// unsigned one is refused (401) by default.
func TestNotificationBodyThroughTheHandler(t *testing.T) {
	t.Parallel()
	body, ct, err := ebuytest.NotificationBody(nbSecret, nbVerify(), ebuytest.LayoutNotifyParam)
	require.NoError(t, err)
	unsigned, _, err := ebuytest.UnsignedNotificationBody(nbVerify(), ebuytest.LayoutNotifyParam)
	require.NoError(t, err)
	fail := true
	var calls int
	h := ebuy.NewNotifyHandler(nbSecret, func(_ context.Context, ev ebuy.Event) error {
		calls++
		if fail {
			return errors.New("database down")
		}
		return nil
	})
	post := func(b []byte) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/notify", bytes.NewReader(b))
		req.Header.Set("Content-Type", ct)
		h.ServeHTTP(rec, req)
		return rec
	}
	assert.Equal(t, http.StatusServiceUnavailable, post(body).Code)
	fail = false
	rec := post(body)
	assert.Equal(t, http.StatusOK, rec.Code)
	require.NoError(t, ebuy.VerifyNotificationSign(rec.Body.Bytes(), nbSecret), "the acknowledgement is signed")
	assert.Contains(t, rec.Body.String(), `"uuid":"`+nbUUID+`"`)
	assert.Equal(t, http.StatusUnauthorized, post(unsigned).Code)
	assert.Equal(t, 2, calls)
}
