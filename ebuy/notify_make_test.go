package ebuy_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// pageMakeA516a is the make notification (制码通知) as page a516a prints
// it: action, appId, content{channelInfoList, notifyParam}, timestamp and
// uuid, and no sign. notifyParam is a516aContent, every field of the
// page's table. The page prints no values: the action ("makeNotify", its
// path), the channel's action and notifyType (e-Buy 4.0's MakeCodeNotify
// and MakeCode) and the other values are filled in; channelType is one of
// the page's enumeration (sendChannel, 码商通知), and whaleChannel its
// boolean.
const pageMakeA516a = `{"action":"makeNotify","appId":"ebuy1d0c0a81a9a4","content":{"channelInfoList":[{"action":"MakeCodeNotify",` +
	`"channelAppId":"ebuy19915d0498cf","channelId":"ebuywha102410004","channelName":"易百演示","channelType":"sendChannel","notifyType":"MakeCode",` +
	`"ticketIds":[1031000000010741],"transferUrl":"https://partner.example/notify","whaleChannel":false}],"notifyParam":` + a516aContent + `},` +
	`"timestamp":1715911200789,"uuid":"20240517-5e1f0c2b3a4d4e5f8a9b0c1d2e3f4a5b"}`

// a516aNotice is a516aContent as the package reads it.
func a516aNotice() *ebuy.MakeNotice {
	code := func(n string) ebuy.IssuedCode {
		return ebuy.IssuedCode{Code: "1031000000000000" + n, SearchCode: "00000" + n, Mask: "1031****0" + n, H5URL: "https://h5.example/" + n,
			PicURL: "https://pic.example/" + n + ".png", Status: ebuy.StatusUnused, StatusDescription: "未使用", UseTimes: 1}
	}
	return &ebuy.MakeNotice{OuterOrderID: "OO-1", OrderRemark: "api_mock", CodeCount: 2, AppID: "ebuy1d0c0a81a9a4",
		UUID: "20240517-0123456789abcdef0123456789abcdef", SaleAppID: "ebuy1d0c0a81a9a4", SaleChannelID: "102410058",
		Items: []ebuy.MakeItem{{
			OuterOrderItemID: "OI-1", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券", TicketWhaleID: "1031000000010741",
			ProductID: 1031000000010741, ProductName: "星巴克中杯饮品券", ActivityID: "A-1", ActivityName: "夏日活动",
			ECouponType: "merchandiseCoupon", BrandSalePrice: 2800, CodeCount: 2, ReturnCode: "00", ReturnMessage: "成功",
			ValidStart: time.UnixMilli(1715911200000), ValidEnd: time.UnixMilli(1723910399000),
			Codes: []ebuy.IssuedCode{code("101"), code("102")},
		}}}
}

// sameNotice compares two notices, times by instant.
func sameNotice(t *testing.T, want, got *ebuy.MakeNotice, msg string) {
	t.Helper()
	require.NotNil(t, got, msg)
	require.Len(t, got.Items, len(want.Items), msg)
	for i := range want.Items {
		assert.True(t, want.Items[i].ValidStart.Equal(got.Items[i].ValidStart), "%s: line %d ValidStart %v", msg, i, got.Items[i].ValidStart)
		assert.True(t, want.Items[i].ValidEnd.Equal(got.Items[i].ValidEnd), "%s: line %d ValidEnd %v", msg, i, got.Items[i].ValidEnd)
	}
	w, g := *want, *got
	w.Items, g.Items = append([]ebuy.MakeItem(nil), want.Items...), append([]ebuy.MakeItem(nil), got.Items...)
	for i := range w.Items {
		w.Items[i].ValidStart, w.Items[i].ValidEnd = time.Time{}, time.Time{}
		g.Items[i].ValidStart, g.Items[i].ValidEnd = time.Time{}, time.Time{}
	}
	assert.Equal(t, w, g, msg)
}

// TestNotifyMakePage: the make notification as page a516a prints it reads
// as a make (read as of unknown kind before, its codes lost), with the
// order, its line and every code field, unsigned as printed and signed;
// the codes are the event's items; createDate, in notifyParam, is
// CreatedAt. The kind comes from the action, from the channel when the
// action names none, and from codeDetails when neither does.
func TestNotifyMakePage(t *testing.T) {
	t.Parallel()
	noAction := strings.Replace(pageMakeA516a, `"action":"makeNotify",`, "", 1)
	// The redemption page's example action, and a channel that names nothing.
	mockAction := strings.Replace(strings.Replace(strings.Replace(pageMakeA516a, `"action":"makeNotify"`, `"action":"makeEcoupon"`, 1),
		`"action":"MakeCodeNotify",`, "", 1), `"notifyType":"MakeCode",`, "", 1)
	for name, body := range map[string]string{
		"as printed":                        pageMakeA516a,
		"signed":                            ntSigned(t, pageMakeA516a),
		"no action: the channel says":       noAction,
		"makeEcoupon: codeDetails say":      mockAction,
		"makeEcoupon: codeDetails, signed":  ntSigned(t, mockAction),
		"notifyParam an array, as in 66f04": strings.Replace(strings.Replace(pageMakeA516a, `"notifyParam":{`, `"notifyParam":[{`, 1), `}},"timestamp"`, `}]},"timestamp"`, 1),
	} {
		ev, err := ebuy.ReadNotification([]byte(body), vecKey, ebuy.AllowUnsigned())
		require.NoError(t, err, name)
		assert.Equal(t, strings.HasSuffix(name, "signed"), ev.Signed, name)
		assert.Equal(t, ebuy.EventMake, ev.Kind, name)
		assert.Equal(t, "20240517-5e1f0c2b3a4d4e5f8a9b0c1d2e3f4a5b", ev.UUID, name)
		assert.Equal(t, "ebuy1d0c0a81a9a4", ev.AppID, name)
		assert.True(t, time.UnixMilli(1715911200789).Equal(ev.Timestamp), name)
		assert.True(t, time.UnixMilli(1715911200000).Equal(ev.CreatedAt), name)
		sameNotice(t, a516aNotice(), ev.Make, name)
		assert.Equal(t, []ebuy.NotifyItem{
			{Code: "1031000000000000101", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券", OuterOrderID: "OO-1", OuterOrderItemID: "OI-1"},
			{Code: "1031000000000000102", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券", OuterOrderID: "OO-1", OuterOrderItemID: "OI-1"},
		}, ev.Items, name)
	}
	ev, err := ebuy.ReadNotification([]byte(pageMakeA516a), vecKey, ebuy.AllowUnsigned())
	require.NoError(t, err)
	assert.Equal(t, []ebuy.NotifyChannel{{Action: "MakeCodeNotify", ChannelAppID: "ebuy19915d0498cf", ChannelID: "ebuywha102410004",
		ChannelName: "易百演示", ChannelType: "sendChannel", NotifyType: "MakeCode", TicketIDs: []ebuy.TicketID{1031000000010741},
		TransferURL: "https://partner.example/notify"}}, ev.Channels)

	// Unsigned as printed, it is refused by default and refused with a bad
	// sign, like every notification.
	_, err = ebuy.ReadNotification([]byte(pageMakeA516a), vecKey)
	assert.ErrorIs(t, err, ebuy.ErrNotificationUnsigned)
	_, err = ebuy.ReadNotification([]byte(ntSigned(t, pageMakeA516a)), "another secret", ebuy.AllowUnsigned())
	assert.ErrorIs(t, err, ebuy.ErrNotificationSignature)
}

// TestNotifyMakeLenientPrice: a brandSalePrice that is not a whole number
// of fen reads as 0, and the notification is read, not refused (e-Buy
// would send it again for ever); Raw keeps the value.
func TestNotifyMakeLenientPrice(t *testing.T) {
	t.Parallel()
	body := strings.Replace(pageMakeA516a, `"brandSalePrice":2800`, `"brandSalePrice":28.5`, 1)
	ev, err := ebuy.ReadNotification([]byte(body), vecKey, ebuy.AllowUnsigned())
	require.NoError(t, err)
	require.NotNil(t, ev.Make)
	assert.Equal(t, couponkit.Fen(0), ev.Make.Items[0].BrandSalePrice)
	assert.Contains(t, string(ev.Raw), `"brandSalePrice":28.5`)
	assert.Len(t, ev.Items, 2)
}

// TestNotifyKindMakeVoidIsNotARedemptionVoid: e-Buy 4.0's make-order void
// (MakeVoidNotify, notifyType MakeVoid) is not a redemption's void (it was
// read as EventVerifyVoid, whose handler would take redemptions back);
// the redemption page's example action makeEcoupon is not a make.
func TestNotifyKindMakeVoidIsNotARedemptionVoid(t *testing.T) {
	t.Parallel()
	voidBody := strings.Replace(strings.Replace(strings.Replace(pageMakeA516a, `"action":"makeNotify"`, `"action":"MakeVoidNotify"`, 1),
		`"codeDetails":[`, `"codes":[`, 1), `"notifyType":"MakeCode"`, `"notifyType":"MakeVoid"`, 1)
	channelOnly := strings.Replace(strings.Replace(voidBody, `"action":"MakeVoidNotify",`, "", 1), `"action":"MakeCodeNotify",`, "", 1)
	for name, body := range map[string]string{"action MakeVoidNotify": voidBody, "notifyType MakeVoid": channelOnly} {
		ev, err := ebuy.ReadNotification([]byte(body), vecKey, ebuy.AllowUnsigned())
		require.NoError(t, err, name)
		assert.Equal(t, ebuy.EventUnknown, ev.Kind, name)
		assert.Nil(t, ev.Make, name)
	}

	n := ebuytest.Notification{Kind: ebuy.EventVerify, UUID: ntCapturedUUID, Time: vecTime, Items: []ebuy.NotifyItem{{Code: "C1", CodeCount: 1}}}
	body, _, err := ebuytest.UnsignedNotificationBody(n, ebuytest.LayoutEnvelope)
	require.NoError(t, err)
	body = []byte(strings.Replace(string(body), `"action":"verifyCodeNotify"`, `"action":"makeEcoupon"`, 1))
	ev, err := ebuy.ReadNotification(body, vecKey, ebuy.AllowUnsigned())
	require.NoError(t, err)
	assert.Equal(t, ebuy.EventVerify, ev.Kind, "the channel's VerifyCodeNotify decides")
	assert.Nil(t, ev.Make)
}

// TestNotifyMakeThroughTheHandler: the printed (unsigned) make
// notification is refused by default (401), delivered under
// AcceptUnsigned() with its order, and answered 403 under ConfirmUnsigned,
// whose default rule confirms no make (e-Buy does not publish a history
// type for it).
func TestNotifyMakeThroughTheHandler(t *testing.T) {
	t.Parallel()
	var got events
	assert.Equal(t, http.StatusUnauthorized, ntPost(ebuy.NewNotifyHandler(vecKey, got.handle), pageMakeA516a).Code)
	assert.Empty(t, got.list())

	rec := ntPost(ebuy.NewNotifyHandler(vecKey, got.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned())), pageMakeA516a)
	assert.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, got.list(), 1)
	assert.Equal(t, ebuy.EventMake, got.list()[0].Kind)
	assert.Equal(t, "OO-1", got.list()[0].Make.OuterOrderID)

	fake := ebuytest.Start(t, ebuytest.Config{InMemory: true})
	c, err := ebuy.NewClient(fake.ClientConfig(), fake.ClientOption())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	res, err := c.MakeCodes(context.Background(), &ebuy.MakeCodesRequest{OuterOrderID: "OO-CONFIRM", TicketID: ebuytest.DefaultProductID, Count: 1})
	require.NoError(t, err)
	body := strings.Replace(pageMakeA516a, "1031000000000000101", res.Codes[0].Code, 1)
	var confirmed events
	rec = ntPost(ebuy.NewNotifyHandler(vecKey, confirmed.handle, ebuy.WithUnsigned(ebuy.ConfirmUnsigned(c))), body)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Empty(t, confirmed.list())
}

// TestNotifyMakeUnreadableCode: a make notification whose code cannot be
// read is malformed (400), not delivered without it; a body with space
// around it is read.
func TestNotifyMakeUnreadableCode(t *testing.T) {
	t.Parallel()
	bad := strings.Replace(pageMakeA516a, `"useTimes":1}`, `"useTimes":"once"}`, 1)
	_, err := ebuy.ReadNotification([]byte(bad), vecKey, ebuy.AllowUnsigned())
	assert.ErrorIs(t, err, ebuy.ErrNotificationMalformed)
	var got events
	assert.Equal(t, http.StatusBadRequest, ntPost(ebuy.NewNotifyHandler(vecKey, got.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned())), bad).Code)
	assert.Empty(t, got.list())

	// The page's body, and the same with content's notifyParam members
	// moved to the top level (a flat body, which no page prints).
	flat := strings.Replace(strings.Replace(pageMakeA516a, `"content":{`, ``, 1), `"notifyParam":`+a516aContent+`},`, strings.TrimSuffix(strings.TrimPrefix(a516aContent, "{"), "}")+",", 1)
	flat = strings.Replace(flat, `"uuid":"20240517-0123456789abcdef0123456789abcdef",`, "", 1)
	flat = strings.Replace(flat, `"appId":"ebuy1d0c0a81a9a4","codeCount"`, `"codeCount"`, 1)
	for name, body := range map[string]string{"envelope": pageMakeA516a, "flat": flat} {
		ev, err := ebuy.ReadNotification([]byte("\n  "+body+"\n"), vecKey, ebuy.AllowUnsigned())
		require.NoError(t, err, name)
		assert.Equal(t, ebuy.EventMake, ev.Kind, name)
		assert.Len(t, ev.Items, 2, name)
		assert.Equal(t, "OO-1", ev.Make.OuterOrderID, name)
	}
}
