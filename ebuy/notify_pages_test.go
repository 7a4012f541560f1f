package ebuy_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/testclock"
)

// The flat notifications of e-Buy's pages, as printed. Field names, types
// and the values the pages print are the pages'; values the pages leave out
// (the status page's example is cut off after its channels) are filled in
// and marked so.
const (
	// Page 6ea9a (券码状态变更通知): channelInfoList, uuid, operationType,
	// items{code, notifyRequestId, operationType, saleChannelId,
	// saleChannelItemId, saleChannelOrderId, ticketId, updateDate (string),
	// updateTime (number)}: neither timestamp nor createDate. The channel
	// is the example's first; the uuid the table's default; the rest
	// filled in.
	pageStatus6ea9a = `{"channelInfoList":[{"transferUrl":"https://ups.starbucks.com.cn/notifyOnlineLifecycle/cardCoupon/v1/notify/2009","notifyType":"UpdateCodeStatus","whaleChannel":false,"messageType":"third","channelAppId":"ebuywha102420017","action":"UpdateCodeStatusNotify","channelName":"星巴克GC","channelType":"brandChannel","channelId":"674","ticketIds":[1000030006084]}],` +
		`"uuid":"20220509-b485a27c80914357912b029a8a8f5f9b","operationType":"freeze",` +
		`"items":[{"code":"1004231231260035262=7sU8TPTD","notifyRequestId":"20240517-0a1b2c3d4e5f60718293a4b5c6d7e8f9","operationType":"freeze","saleChannelId":"674","saleChannelItemId":"SI-1","saleChannelOrderId":"SO-1","ticketId":"1000030006084","updateDate":"20240517100000","updateTime":1715911200000}]}`

	// Page 31fef-pMS (核销撤销通知) in its revision 4837: createDate gives
	// way to verifyScene ("online", the page's default), items gain brandId
	// (4339, the page's default), cashierTransNo and storeInfo. Its
	// channelInfoList prints the table's defaults: the redemption's
	// VerifyCodeNotify and Verify.
	pageVoid4837 = `{"channelInfoList":[{"action":"VerifyCodeNotify","channelAppId":"ebuy19915d0498cf","channelId":"ebuywha102410004","channelName":"易百演示","channelType":"saleChannel","messageType":"ebuy","notifyType":"Verify","ticketIds":[1000000010748]}],` +
		`"appId":"ebuy1d0c0a81a9a4","uuid":"20240517-ce26ddc2839e49afb004976179b3c299","verifyScene":"online",` +
		`"items":[{"brandId":4339,"brandTicketId":"BT-1","cashierTransNo":"42441908138100007498001","code":"1004231231260035262=7sU8TPTD","originalRequestId":"20240517-1111","outerOrderId":"O-1","outerOrderItemId":"OI-1",` +
		`"storeInfo":{"cityId":"1012","cityName":"上海","companyId":"218","companyName":"上海浦东测试店管理公司","shopName":"上海浦东测试门店","shopNo":"C00001","terminalId":"99000014"},` +
		`"ticketId":"1000000010748","ticketName":"星巴克中杯饮品券","verifyDate":1715910000000}]}`

	// Page 31fef-pMS before that revision: its example (uuid, appId, items
	// as printed) with createDate, and the table's channel defaults.
	pageVoidCreateDate = `{"uuid":"20240517-ce26ddc2839e49afb004976179b3c299","appId":"ebuy1d0c0a81a9a4",` +
		`"items":[{"code":"1004231231260035262=7sU8TPTD","ticketId":"1000000010748","verifyId":"36d61fc75def4228bdc1bd4505fd5fcd","codeCount":1,"ticketName":"星巴克中杯饮品券","verifyDate":1715910000000,"outerOrderId":"O-1","originalRequestId":"20240517-1111"}],` +
		`"channelInfoList":[{"action":"VerifyCodeNotify","channelAppId":"ebuy19915d0498cf","channelId":"ebuywha102410004","channelName":"易百演示","channelType":"saleChannel","messageType":"ebuy","notifyType":"Verify","ticketIds":[1000000010748]}],` +
		`"createDate":1715911200789}`
)

// ntSigned adds signType and a sign computed by the tests' own signer to a
// flat body.
func ntSigned(t *testing.T, body string) string {
	t.Helper()
	body = strings.TrimSuffix(body, "}") + `,"signType":"sha256"}`
	sign := ntSHA256(ntPayload(t, []byte(body), vecKey))
	return strings.TrimSuffix(body, "}") + `,"sign":"` + sign + `"}`
}

// TestNotifyStatusChangePage: the status-change page's body, without any
// time, reads as a status change (refused as malformed before), unsigned
// and signed, and whatever its channels print.
func TestNotifyStatusChangePage(t *testing.T) {
	t.Parallel()
	tableChannels := strings.Replace(strings.Replace(pageStatus6ea9a, `"action":"UpdateCodeStatusNotify"`, `"action":"VerifyCodeNotify"`, 1),
		`"notifyType":"UpdateCodeStatus"`, `"notifyType":"Verify"`, 1)
	for name, body := range map[string]string{
		"as printed":                  pageStatus6ea9a,
		"signed":                      ntSigned(t, pageStatus6ea9a),
		"the table's channel":         tableChannels,
		"the table's channel, signed": ntSigned(t, tableChannels),
	} {
		ev, err := ebuy.ReadNotification([]byte(body), vecKey, ebuy.AllowUnsigned())
		require.NoError(t, err, name)
		assert.Equal(t, strings.Contains(name, "signed"), ev.Signed, name)
		assert.Equal(t, ebuy.EventCodeStatus, ev.Kind, name)
		assert.Equal(t, "", ev.Action, name)
		assert.Equal(t, "20220509-b485a27c80914357912b029a8a8f5f9b", ev.UUID, name)
		assert.True(t, ev.Timestamp.IsZero(), name)
		assert.Equal(t, "freeze", ev.OperationType, name)
		require.Len(t, ev.Items, 1, name)
		it := ev.Items[0]
		assert.Equal(t, "1004231231260035262=7sU8TPTD", it.Code, name)
		assert.Equal(t, "20240517-0a1b2c3d4e5f60718293a4b5c6d7e8f9", it.NotifyRequestID, name)
		assert.Equal(t, "freeze", it.OperationType, name)
		assert.Equal(t, ebuy.TicketID(1000030006084), it.TicketID, name)
		assert.Equal(t, "674", it.SaleChannelID, name)
		assert.Equal(t, "SI-1", it.SaleChannelItemID, name)
		assert.Equal(t, "SO-1", it.SaleChannelOrderID, name)
		assert.True(t, time.Date(2024, 5, 17, 10, 0, 0, 0, beijing).Equal(it.UpdateTime), name)
	}
	ev, err := ebuy.ReadNotification([]byte(pageStatus6ea9a), vecKey, ebuy.AllowUnsigned())
	require.NoError(t, err)
	require.Len(t, ev.Channels, 1)
	assert.Equal(t, ebuy.NotifyChannel{Action: "UpdateCodeStatusNotify", ChannelAppID: "ebuywha102420017", ChannelID: "674", ChannelName: "星巴克GC",
		ChannelType: "brandChannel", MessageType: "third", NotifyType: "UpdateCodeStatus", TicketIDs: []ebuy.TicketID{1000030006084},
		TransferURL: "https://ups.starbucks.com.cn/notifyOnlineLifecycle/cardCoupon/v1/notify/2009"}, ev.Channels[0])

	var got events
	h := ebuy.NewNotifyHandler(vecKey, got.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned()))
	assert.Equal(t, http.StatusOK, ntPost(h, pageStatus6ea9a).Code, "acknowledged, so e-Buy stops sending it")
	assert.Equal(t, http.StatusOK, ntPost(ebuy.NewNotifyHandler(vecKey, got.handle), ntSigned(t, pageStatus6ea9a)).Code)
	assert.Len(t, got.list(), 2)
}

// TestNotifyVoidPageReadsAsVoid: the void page's body reads as a void, in
// both revisions, although its channels print the redemption's
// VerifyCodeNotify; verifyScene in place of createDate is accepted (refused
// as malformed before).
func TestNotifyVoidPageReadsAsVoid(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"revision 4837":         pageVoid4837,
		"revision 4837, signed": ntSigned(t, pageVoid4837),
		"createDate":            pageVoidCreateDate,
		"createDate, signed":    ntSigned(t, pageVoidCreateDate),
	} {
		ev, err := ebuy.ReadNotification([]byte(body), vecKey, ebuy.AllowUnsigned())
		require.NoError(t, err, name)
		assert.Equal(t, strings.HasSuffix(name, "signed"), ev.Signed, name)
		assert.Equal(t, ebuy.EventVerifyVoid, ev.Kind, name)
		assert.Equal(t, "ebuy1d0c0a81a9a4", ev.AppID, name)
		assert.Equal(t, ntCapturedUUID, ev.UUID, name)
		require.Len(t, ev.Items, 1, name)
		assert.Equal(t, "1004231231260035262=7sU8TPTD", ev.Items[0].Code, name)
		assert.Equal(t, "20240517-1111", ev.Items[0].OriginalRequestID, name)
		assert.True(t, time.UnixMilli(1715910000000).Equal(ev.Items[0].VerifyDate), name)
		if strings.HasPrefix(name, "createDate") {
			assert.True(t, time.UnixMilli(1715911200789).Equal(ev.Timestamp), name)
			assert.True(t, time.UnixMilli(1715911200789).Equal(ev.CreatedAt), name)
			continue
		}
		assert.True(t, ev.Timestamp.IsZero(), name)
		assert.Equal(t, "online", ev.VerifyScene, name)
		it := ev.Items[0]
		assert.Equal(t, "4339", it.BrandID, name)
		assert.Equal(t, "BT-1", it.BrandTicketID, name)
		assert.Equal(t, "42441908138100007498001", it.CashierTransNo, name)
		assert.Equal(t, "OI-1", it.OuterOrderItemID, name)
		assert.Equal(t, &ebuy.StoreInfo{CityID: "1012", CityName: "上海", CompanyID: "218", CompanyName: "上海浦东测试店管理公司",
			ShopName: "上海浦东测试门店", ShopNo: "C00001", TerminalID: "99000014"}, it.Store, name)
	}
	// A top-level action still names the kind: the captured signed body of
	// testdata is the void page's example sent with "action":"VerifyCodeNotify".
	ev, err := ebuy.ReadNotification(ntBody(t), vecKey)
	require.NoError(t, err)
	assert.Equal(t, ebuy.EventVerify, ev.Kind)

	var got events
	h := ebuy.NewNotifyHandler(vecKey, got.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned()))
	assert.Equal(t, http.StatusOK, ntPost(h, pageVoid4837).Code)
	require.Len(t, got.list(), 1)
	assert.Equal(t, ebuy.EventVerifyVoid, got.list()[0].Kind)
}

// TestNotifyReplayWindowWithoutTimestamp: a notification without a
// timestamp or createDate is timed by its latest item time; one without
// any time passes the window unchecked.
func TestNotifyReplayWindowWithoutTimestamp(t *testing.T) {
	t.Parallel()
	verified := time.UnixMilli(1715910000000) // the void's verifyDate
	updated := time.UnixMilli(1715911200000)  // the status change's updateTime
	for name, tc := range map[string]struct {
		body string
		now  time.Time
		want int
	}{
		"void, verifyDate in the window":       {pageVoid4837, verified.Add(4 * time.Minute), http.StatusOK},
		"void, verifyDate out of the window":   {pageVoid4837, verified.Add(6 * time.Minute), http.StatusBadRequest},
		"void, verifyDate in the future":       {pageVoid4837, verified.Add(-6 * time.Minute), http.StatusBadRequest},
		"status, updateTime in the window":     {pageStatus6ea9a, updated.Add(-4 * time.Minute), http.StatusOK},
		"status, updateTime out of the window": {pageStatus6ea9a, updated.Add(time.Hour), http.StatusBadRequest},
		"no time at all": {strings.Replace(pageStatus6ea9a, `,"updateDate":"20240517100000","updateTime":1715911200000`, "", 1),
			updated.Add(24 * time.Hour), http.StatusOK},
	} {
		var got events
		h := ebuy.NewNotifyHandler(vecKey, got.handle, ebuy.WithUnsigned(ebuy.AcceptUnsigned()),
			ebuy.WithNotifyClock(testclock.New(tc.now)), ebuy.WithReplayWindow(5*time.Minute))
		rec := ntPost(h, tc.body)
		assert.Equal(t, tc.want, rec.Code, name)
		if tc.want == http.StatusBadRequest {
			assert.Equal(t, "TIMESTAMP_OUT_OF_WINDOW", field(t, rec.Body.Bytes(), "errorCode"), name)
			assert.Empty(t, got.list(), name)
		}
	}
}

// TestNotifyParamCreateDate: the createDate of page be83a's layout, inside
// notifyParam, is the event's CreatedAt (it was left zero).
func TestNotifyParamCreateDate(t *testing.T) {
	t.Parallel()
	n := ebuytest.Notification{Kind: ebuy.EventVerifyVoid, UUID: ntCapturedUUID, Time: time.UnixMilli(1715911200789),
		Items: []ebuy.NotifyItem{{Code: "1004231231260035262=7sU8TPTD", VerifyDate: time.UnixMilli(1715910000000)}}}
	body, _, err := ebuytest.UnsignedNotificationBody(n, ebuytest.LayoutNotifyParam)
	require.NoError(t, err)
	require.Contains(t, string(body), `"notifyParam":{"appId":"ebuytest0000app1","createDate":1715911200789,`)
	ev, err := ebuy.ReadNotification(body, vecKey, ebuy.AllowUnsigned())
	require.NoError(t, err)
	assert.Equal(t, ebuy.EventVerifyVoid, ev.Kind)
	assert.True(t, time.UnixMilli(1715911200789).Equal(ev.CreatedAt), "%v", ev.CreatedAt)
}
