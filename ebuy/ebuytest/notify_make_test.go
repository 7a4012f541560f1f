package ebuytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// The make notification of page a516a, written out by hand in the page's
// layout (content{channelInfoList, notifyParam}, no lang) and naming; its
// sign computed with sha256sum over
// action=makeNotify&appId=ebuy1d0c0a81a9a4&content=<nbMakeContent>&signType=sha256&timestamp=1715911200789&uuid=<nbUUID>&<nbSecret>.
const (
	nbMakeContent = `{"channelInfoList":[{"action":"MakeCodeNotify","channelAppId":"ebuy1d0c0a81a9a4","channelId":"ebuytest","channelName":"ebuytest",` +
		`"channelType":"saleChannel","messageType":"ebuy","notifyType":"MakeCode","ticketIds":[1031000000010741]}],` +
		`"notifyParam":{"appId":"ebuy1d0c0a81a9a4","codeCount":1,"createDate":1715911200789,"items":[{"activityId":"A-1","activityName":"夏日活动",` +
		`"brandSalePrice":2800,"codeCount":1,"codeDetails":[{"code":"1031000000000000101","codeH5Url":"https://h5.example/101","codeMask":"1031****0101",` +
		`"codePicUrl":"https://pic.example/101.png","searchCode":"00000101","status":"00","statusDesc":"未使用","useTimes":1}],` +
		`"ecouponType":"merchandiseCoupon","outerOrderItemId":"OI-1","productId":1031000000010741,"productName":"星巴克中杯饮品券","returnCode":"00",` +
		`"returnMessage":"成功","ticketId":1031000000010741,"ticketName":"星巴克中杯饮品券","ticketWhaleId":"1031000000010741","validEnd":1723910399000,` +
		`"validStart":1715911200000}],"orderRemark":"api_mock","outerOrderId":"OO-1","saleAppId":"ebuy1d0c0a81a9a4","saleChannelId":102410058,` +
		`"userInfo":{},"uuid":"20240517-0123456789abcdef0123456789abcdef"}}`
	nbMakeSign = "e00c2674fa64f87ab4660ef5bca4bea62534ab04117aa98a48f10403f72edfba"
)

func nbMakeNotice() *ebuy.MakeNotice {
	return &ebuy.MakeNotice{OuterOrderID: "OO-1", OrderRemark: "api_mock", CodeCount: 1, UUID: "20240517-0123456789abcdef0123456789abcdef",
		SaleAppID: "ebuy1d0c0a81a9a4", SaleChannelID: "102410058",
		Items: []ebuy.MakeItem{{OuterOrderItemID: "OI-1", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券", TicketWhaleID: "1031000000010741",
			ProductID: 1031000000010741, ProductName: "星巴克中杯饮品券", ActivityID: "A-1", ActivityName: "夏日活动", ECouponType: "merchandiseCoupon",
			BrandSalePrice: 2800, CodeCount: 1, ReturnCode: "00", ReturnMessage: "成功",
			ValidStart: time.UnixMilli(1715911200000), ValidEnd: time.UnixMilli(1723910399000),
			Codes: []ebuy.IssuedCode{{Code: "1031000000000000101", SearchCode: "00000101", Mask: "1031****0101", H5URL: "https://h5.example/101",
				PicURL: "https://pic.example/101.png", Status: ebuy.StatusUnused, StatusDescription: "未使用", UseTimes: 1}}}}}
}

func nbMake() ebuytest.Notification {
	return ebuytest.Notification{Kind: ebuy.EventMake, AppID: "ebuy1d0c0a81a9a4", UUID: nbUUID, Time: time.UnixMilli(1715911200789), Make: nbMakeNotice()}
}

// TestNotificationBodyMakeAsPrinted: in the page's layout the body is byte
// for byte the hand-written vector, with its independently computed sign,
// and carries exactly the fields of page a516a's table, numbers where the
// page types numbers.
func TestNotificationBodyMakeAsPrinted(t *testing.T) {
	t.Parallel()
	body, ct, err := ebuytest.NotificationBody(nbSecret, nbMake(), ebuytest.LayoutNotifyParam)
	require.NoError(t, err)
	assert.Equal(t, "application/json", ct)
	assert.Equal(t, `{"action":"makeNotify","appId":"ebuy1d0c0a81a9a4","content":`+nbMakeContent+`,"sign":"`+nbMakeSign+
		`","signType":"sha256","timestamp":1715911200789,"uuid":"`+nbUUID+`"}`, string(body))

	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &top))
	var content struct {
		NotifyParam json.RawMessage `json:"notifyParam"`
	}
	require.NoError(t, json.Unmarshal(top["content"], &content))
	assert.Equal(t, []string{"appId", "codeCount", "createDate", "items", "orderRemark", "outerOrderId", "saleAppId", "saleChannelId", "userInfo", "uuid"},
		keys(t, content.NotifyParam))
	var param struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	require.NoError(t, json.Unmarshal(content.NotifyParam, &param))
	require.Len(t, param.Items, 1)
	line, _ := json.Marshal(param.Items[0])
	assert.Equal(t, []string{"activityId", "activityName", "brandSalePrice", "codeCount", "codeDetails", "ecouponType", "outerOrderItemId",
		"productId", "productName", "returnCode", "returnMessage", "ticketId", "ticketName", "ticketWhaleId", "validEnd", "validStart"}, keys(t, line))
	var details []json.RawMessage
	require.NoError(t, json.Unmarshal(param.Items[0]["codeDetails"], &details))
	assert.Equal(t, []string{"code", "codeH5Url", "codeMask", "codePicUrl", "searchCode", "status", "statusDesc", "useTimes"}, keys(t, details[0]))
}

// TestNotificationBodyMakeEveryLayout: every layout, signed or not, reads
// back as the make notification built, the order's appId and uuid
// defaulting to the notification's.
func TestNotificationBodyMakeEveryLayout(t *testing.T) {
	t.Parallel()
	for _, layout := range []ebuytest.NotifyLayout{ebuytest.LayoutEnvelope, ebuytest.LayoutNotifyParam, ebuytest.LayoutFlat} {
		for _, unsigned := range []bool{false, true} {
			n := nbMake()
			var body []byte
			var err error
			if unsigned {
				body, _, err = ebuytest.UnsignedNotificationBody(n, layout)
			} else {
				body, _, err = ebuytest.NotificationBody(nbSecret, n, layout)
			}
			require.NoError(t, err)
			ev, err := ebuy.ReadNotification(body, nbSecret, ebuy.AllowUnsigned())
			require.NoError(t, err, "layout %d unsigned %v", layout, unsigned)
			assert.Equal(t, ebuy.EventMake, ev.Kind, "layout %d unsigned %v", layout, unsigned)
			assert.Equal(t, !unsigned, ev.Signed)
			assert.Equal(t, nbUUID, ev.UUID)
			assert.True(t, time.UnixMilli(1715911200789).Equal(ev.CreatedAt))
			want := nbMakeNotice()
			want.AppID = "ebuy1d0c0a81a9a4"
			if layout == ebuytest.LayoutFlat {
				want.UUID = nbUUID // a flat body has one uuid
			}
			got := *ev.Make
			require.Len(t, got.Items, 1)
			assert.True(t, want.Items[0].ValidStart.Equal(got.Items[0].ValidStart))
			assert.True(t, want.Items[0].ValidEnd.Equal(got.Items[0].ValidEnd))
			got.Items = slices.Clone(got.Items)
			got.Items[0].ValidStart, got.Items[0].ValidEnd = want.Items[0].ValidStart, want.Items[0].ValidEnd
			assert.Equal(t, *want, got, "layout %d unsigned %v", layout, unsigned)
			assert.Equal(t, []ebuy.NotifyItem{{Code: "1031000000000000101", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券",
				OuterOrderID: "OO-1", OuterOrderItemID: "OI-1"}}, ev.Items)
		}
	}
}

// TestNotificationBodyMakeRefusesBadInput names the field.
func TestNotificationBodyMakeRefusesBadInput(t *testing.T) {
	t.Parallel()
	noMake := nbMake()
	noMake.Make = nil
	withItems := nbMake()
	withItems.Items = []ebuy.NotifyItem{{Code: "C1"}}
	noOrder := nbMake()
	noOrder.Make.OuterOrderID = ""
	noCode := nbMake()
	noCode.Make.Items[0].Codes = nil
	blankCode := nbMake()
	blankCode.Make.Items[0].Codes[0].Code = ""
	verifyWithMake := nbVerify()
	verifyWithMake.Make = nbMakeNotice()
	for _, c := range []struct {
		field string
		n     ebuytest.Notification
	}{
		{"Notification.Make", noMake},
		{"Notification.Items", withItems},
		{"Notification.Make.OuterOrderID", noOrder},
		{"Notification.Make.Items", noCode},
		{"Notification.Make.Items[0].Codes", blankCode},
		{"Notification.Make", verifyWithMake},
	} {
		body, ct, err := ebuytest.NotificationBody(nbSecret, c.n, ebuytest.LayoutNotifyParam)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, c.field)
		assert.Equal(t, c.field, ve.Field)
		assert.Nil(t, body, c.field)
		assert.Empty(t, ct, c.field)
	}
}

// TestNotifierSendMake: the fake's make notification of an order made
// with MakeCodes carries the codes the client was given, the order line,
// the remark and the validity, in every layout; an order the fake did not
// make is an error, and nothing is sent.
func TestNotifierSendMake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := ebuytest.Start(t, ebuytest.Config{InMemory: true, MakeAnswer: ebuytest.MakeAnswerItems})
	c, err := ebuy.NewClient(fake.ClientConfig(), fake.ClientOption())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "OO-SEND-1", OuterOrderItemID: "OI-SEND-1", TicketID: ebuytest.DefaultProductID,
		Count: 2, Remark: "晚班"})
	require.NoError(t, err)

	for _, layout := range []ebuytest.NotifyLayout{ebuytest.LayoutEnvelope, ebuytest.LayoutNotifyParam, ebuytest.LayoutFlat} {
		var got []ebuy.Event
		h := ebuy.NewNotifyHandler(fake.Secret(), func(_ context.Context, ev ebuy.Event) error {
			got = append(got, ev)
			return nil
		})
		n := fake.Notifier(ebuytest.NotifierConfig{Handler: h, Layout: layout})
		require.NoError(t, n.SendMake(ctx, "OO-SEND-1"), "layout %d", layout)
		require.Len(t, got, 1)
		ev := got[0]
		assert.Equal(t, ebuy.EventMake, ev.Kind)
		assert.True(t, ev.Signed)
		m := ev.Make
		require.NotNil(t, m)
		assert.Equal(t, "OO-SEND-1", m.OuterOrderID)
		assert.Equal(t, "晚班", m.OrderRemark)
		assert.Equal(t, 2, m.CodeCount)
		require.Len(t, m.Items, 1)
		line := m.Items[0]
		assert.Equal(t, "OI-SEND-1", line.OuterOrderItemID)
		assert.Equal(t, ebuytest.DefaultProductID, line.TicketID)
		assert.Equal(t, "00", line.ReturnCode)
		assert.Equal(t, res.Codes, line.Codes, "the codes the client was given, every field")
		assert.True(t, res.ValidStart.Equal(line.ValidStart))
		assert.True(t, res.ValidEnd.Equal(line.ValidEnd))
		require.Len(t, ev.Items, 2)
		assert.Equal(t, res.Codes[1].Code, ev.Items[1].Code)
	}

	var calls int
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ })
	n := fake.Notifier(ebuytest.NotifierConfig{Handler: h})
	assert.ErrorContains(t, n.SendMake(ctx, "OO-NEVER"), `no order "OO-NEVER"`)
	assert.Zero(t, calls)
	assert.Empty(t, n.Unacknowledged())
}
