package suning_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
)

const (
	missing  = "biz.custom.createappoint.missing-parameter:"
	overlong = "biz.custom.createappoint.length-overlong:"
	badEnum  = "biz.custom.createappoint.enumeration-error:"
	badFmt   = "biz.custom.createappoint.format-error:"
)

type ruleCase struct {
	name   string
	op     suning.OperateType // default OperateModify (the golden request has an ActionID)
	mutate func(r *suning.AppointRequest)
	field  string
	reason string // a substring of the reason
}

func rules() []ruleCase {
	long := func(n int) string { return strings.Repeat("预", n) }
	return []ruleCase{
		// Missing required fields, in the vendor table's order.
		{"missing ActionID on Modify", suning.OperateModify, func(r *suning.AppointRequest) { r.ActionID = "" }, "ActionID", missing + "actionId"},
		{"missing ActionID on Stop", suning.OperateStop, func(r *suning.AppointRequest) { r.ActionID = "" }, "ActionID", missing + "actionId"},
		{"missing ActionType", "", func(r *suning.AppointRequest) { r.ActionType = "" }, "ActionType", missing + "actionType"},
		{"missing ActionName", "", func(r *suning.AppointRequest) { r.ActionName = "" }, "ActionName", missing + "actionName"},
		{"missing Terminal", "", func(r *suning.AppointRequest) { r.Terminal = "" }, "Terminal", missing + "adapteTerminal"},
		{"missing ActionStart", "", func(r *suning.AppointRequest) { r.ActionStart = time.Time{} }, "ActionStart", missing + "actionStartTime"},
		{"missing ScheduleStart", "", func(r *suning.AppointRequest) { r.ScheduleStart = time.Time{} }, "ScheduleStart", missing + "scheduleStartTime"},
		{"missing ScheduleEnd", "", func(r *suning.AppointRequest) { r.ScheduleEnd = time.Time{} }, "ScheduleEnd", missing + "scheduleEndTime"},
		{"missing PurchaseStart", "", func(r *suning.AppointRequest) { r.PurchaseStart = time.Time{} }, "PurchaseStart", missing + "purchaseStartTime"},
		{"missing TicketResaleStart", "", func(r *suning.AppointRequest) { r.TicketResaleStart = time.Time{} }, "TicketResaleStart", missing + "ticketResaleStartTime"},
		{"missing PurchaseEnd", "", func(r *suning.AppointRequest) { r.PurchaseEnd = time.Time{} }, "PurchaseEnd", missing + "purchaseEndTime"},
		{"missing ActionEnd", "", func(r *suning.AppointRequest) { r.ActionEnd = time.Time{} }, "ActionEnd", missing + "actionEndTime"},
		{"missing SendUserMsg", "", func(r *suning.AppointRequest) { r.SendUserMsg = "" }, "SendUserMsg", missing + "sendUserMsg"},
		{"missing SendScalperMsg", "", func(r *suning.AppointRequest) { r.SendScalperMsg = "" }, "SendScalperMsg", missing + "sendScalperMsg"},
		{"missing ExcludeCities", "", func(r *suning.AppointRequest) { r.ExcludeCities = nil }, "ExcludeCities", missing + "excludeCitys"},
		{"missing VendorType", "", func(r *suning.AppointRequest) { r.VendorType = "" }, "VendorType", missing + "vendorType"},
		{"missing VendorCode", "", func(r *suning.AppointRequest) { r.VendorCode = "" }, "VendorCode", missing + "vendorCode"},
		{"missing VendorName", "", func(r *suning.AppointRequest) { r.VendorName = "" }, "VendorName", missing + "vendorName"},
		{"missing Transit", "", func(r *suning.AppointRequest) { r.Transit = "" }, "Transit", missing + "transitFlag"},
		{"missing NoticePhone", "", func(r *suning.AppointRequest) { r.NoticePhone = "" }, "NoticePhone", missing + "noticePhone"},
		{"missing OtherTerminalSale", "", func(r *suning.AppointRequest) { r.OtherTerminalSale = "" }, "OtherTerminalSale", missing + "otherTerminalSale"},
		{"missing ShareImageURL", "", func(r *suning.AppointRequest) { r.ShareImageURL = "" }, "ShareImageURL", missing + "phoneShareImgUrl"},
		{"missing ShareTitle", "", func(r *suning.AppointRequest) { r.ShareTitle = "" }, "ShareTitle", missing + "phoneShareTitle"},
		{"missing ShareContent", "", func(r *suning.AppointRequest) { r.ShareContent = "" }, "ShareContent", missing + "phoneShareContent"},
		{"missing ShareURL", "", func(r *suning.AppointRequest) { r.ShareURL = "" }, "ShareURL", missing + "phoneShareUrl"},
		{"missing ReceiveSys", "", func(r *suning.AppointRequest) { r.ReceiveSys = "" }, "ReceiveSys", missing + "receiveSys"},
		{"missing PartType", "", func(r *suning.AppointRequest) { r.PartType = "" }, "PartType", missing + "partType"},
		{"missing OperateUser", "", func(r *suning.AppointRequest) { r.OperateUser = "" }, "OperateUser", missing + "operateUser"},
		{"missing Goods on Create", suning.OperateCreate, func(r *suning.AppointRequest) { r.ActionID, r.Goods = "", nil }, "Goods", missing + "goodsList"},
		{"missing Goods.TotalLimit", "", func(r *suning.AppointRequest) { r.Goods[1].TotalLimit = 0 }, "Goods[1].TotalLimit", missing + "totalLimit"},
		{"missing Goods.PersonBuyLimit", "", func(r *suning.AppointRequest) { r.Goods[1].PersonBuyLimit = 0 }, "Goods[1].PersonBuyLimit", missing + "personBuyLimit"},
		{"missing Goods.PartNumber", "", func(r *suning.AppointRequest) { r.Goods[1].PartNumber = "" }, "Goods[1].PartNumber", missing + "partnumber"},
		{"missing Goods.PartName", "", func(r *suning.AppointRequest) { r.Goods[1].PartName = "" }, "Goods[1].PartName", missing + "partName"},
		{"missing Goods.AppointPrice", "", func(r *suning.AppointRequest) { r.Goods[1].AppointPrice = 0 }, "Goods[1].AppointPrice", missing + "appointPrice"},
		{"missing Goods.PriceLabel", "", func(r *suning.AppointRequest) { r.Goods[1].PriceLabel = "" }, "Goods[1].PriceLabel", missing + "priceLabel"},
		{"missing Goods.Price", "", func(r *suning.AppointRequest) { r.Goods[1].Price = 0 }, "Goods[1].Price", missing + "price"},
		{"missing Goods.DefaultFlag", "", func(r *suning.AppointRequest) { r.Goods[1].DefaultFlag = "" }, "Goods[1].DefaultFlag", missing + "defaultGoodsFlags"},
		{"missing Goods.ReminderSMS", "", func(r *suning.AppointRequest) { r.Goods[1].ReminderSMS = "" }, "Goods[1].ReminderSMS", missing + "msgContent"},
		{"missing Goods.GeneralCode", "", func(r *suning.AppointRequest) { r.Goods[1].GeneralCode = "" }, "Goods[1].GeneralCode", missing + "catengrpCode"},
		{"missing SubGoods.Name", "", func(r *suning.AppointRequest) { r.SubGoods[0].Name = "" }, "SubGoods[0].Name", missing + "subPartName"},
		{"missing SubGoods.PartNumber", "", func(r *suning.AppointRequest) { r.SubGoods[0].PartNumber = "" }, "SubGoods[0].PartNumber", missing + "subPartNumber"},
		{"missing SubGoods.Count", "", func(r *suning.AppointRequest) { r.SubGoods[0].Count = 0 }, "SubGoods[0].Count", missing + "count"},
		{"missing SubGoods.AppointPrice", "", func(r *suning.AppointRequest) { r.SubGoods[0].AppointPrice = 0 }, "SubGoods[0].AppointPrice", missing + "subAppointPrice"},
		{"missing SubGoods.Price", "", func(r *suning.AppointRequest) { r.SubGoods[0].Price = 0 }, "SubGoods[0].Price", missing + "subPrice"},
		{"missing SubGoods.PriceLabel", "", func(r *suning.AppointRequest) { r.SubGoods[0].PriceLabel = "" }, "SubGoods[0].PriceLabel", missing + "subTextPrice"},

		// Values outside their enumeration.
		{"enum ActionType", "", func(r *suning.AppointRequest) { r.ActionType = "1" }, "ActionType", badEnum + "actionType"},
		{"enum Terminal", "", func(r *suning.AppointRequest) { r.Terminal = "4" }, "Terminal", badEnum + "adapteTerminal"},
		{"enum SendUserMsg", "", func(r *suning.AppointRequest) { r.SendUserMsg = "2" }, "SendUserMsg", badEnum + "sendUserMsg"},
		{"enum SendScalperMsg", "", func(r *suning.AppointRequest) { r.SendScalperMsg = "Y" }, "SendScalperMsg", badEnum + "sendScalperMsg"},
		{"enum VendorType", "", func(r *suning.AppointRequest) { r.VendorType = "40" }, "VendorType", badEnum + "vendorType"},
		{"enum Transit", "", func(r *suning.AppointRequest) { r.Transit = "0" }, "Transit", badEnum + "transitFlag"},
		{"enum OtherTerminalSale", "", func(r *suning.AppointRequest) { r.OtherTerminalSale = "2" }, "OtherTerminalSale", badEnum + "otherTerminalSale"},
		{"enum PartType", "", func(r *suning.AppointRequest) { r.PartType = "04" }, "PartType", badEnum + "partType"},
		{"enum Goods.DefaultFlag", "", func(r *suning.AppointRequest) { r.Goods[1].DefaultFlag = "2" }, "Goods[1].DefaultFlag", badEnum + "defaultGoodsFlags"},

		// Over-long values (DefaultMaxLengths).
		{"long EnrollInfoCode", "", func(r *suning.AppointRequest) { r.EnrollInfoCode = strings.Repeat("S", 65) }, "EnrollInfoCode", overlong + "enrollInfoCode"},
		{"long VersionNumber", "", func(r *suning.AppointRequest) { r.VersionNumber = strings.Repeat("1", 11) }, "VersionNumber", overlong + "versionNumber"},
		{"long ActionID", "", func(r *suning.AppointRequest) { r.ActionID = strings.Repeat("2", 33) }, "ActionID", overlong + "actionId"},
		{"long ActionName", "", func(r *suning.AppointRequest) { r.ActionName = long(101) }, "ActionName", "101 characters, at most 100 allowed (" + overlong + "actionName)"},
		{"long ExcludeCities", "", func(r *suning.AppointRequest) {
			r.ExcludeCities = []string{strings.Repeat("9", 2000), strings.Repeat("8", 2000)}
		}, "ExcludeCities", overlong + "excludeCitys"},
		{"long VendorCode", "", func(r *suning.AppointRequest) { r.VendorCode = strings.Repeat("0", 21) }, "VendorCode", overlong + "vendorCode"},
		{"long VendorName", "", func(r *suning.AppointRequest) { r.VendorName = long(101) }, "VendorName", overlong + "vendorName"},
		{"long NoticePhone", "", func(r *suning.AppointRequest) { r.NoticePhone = "138001380001" }, "NoticePhone", overlong + "noticePhone"},
		{"long ShareImageURL", "", func(r *suning.AppointRequest) { r.ShareImageURL = "https://a.cn/" + strings.Repeat("a", 1012) }, "ShareImageURL", overlong + "phoneShareImgUrl"},
		{"long ShareTitle", "", func(r *suning.AppointRequest) { r.ShareTitle = long(101) }, "ShareTitle", overlong + "phoneShareTitle"},
		{"long ShareContent", "", func(r *suning.AppointRequest) { r.ShareContent = long(501) }, "ShareContent", overlong + "phoneShareContent"},
		{"long ShareURL", "", func(r *suning.AppointRequest) { r.ShareURL = "https://a.cn/" + strings.Repeat("a", 1012) }, "ShareURL", overlong + "phoneShareUrl"},
		{"long ReceiveSys", "", func(r *suning.AppointRequest) { r.ReceiveSys = strings.Repeat("A", 33) }, "ReceiveSys", overlong + "receiveSys"},
		{"long OperateUser", "", func(r *suning.AppointRequest) { r.OperateUser = strings.Repeat("1", 33) }, "OperateUser", overlong + "operateUser"},
		{"long Goods.PartNumber", "", func(r *suning.AppointRequest) { r.Goods[0].PartNumber = strings.Repeat("0", 19) }, "Goods[0].PartNumber", overlong + "partnumber"},
		{"long Goods.PartName", "", func(r *suning.AppointRequest) { r.Goods[0].PartName = long(201) }, "Goods[0].PartName", overlong + "partName"},
		{"long Goods.PriceLabel", "", func(r *suning.AppointRequest) { r.Goods[0].PriceLabel = long(21) }, "Goods[0].PriceLabel", overlong + "priceLabel"},
		{"long Goods.Standard", "", func(r *suning.AppointRequest) { r.Goods[0].Standard = long(51) }, "Goods[0].Standard", overlong + "standard"},
		{"long Goods.Color", "", func(r *suning.AppointRequest) { r.Goods[0].Color = long(51) }, "Goods[0].Color", overlong + "color"},
		{"long Goods.ReminderSMS", "", func(r *suning.AppointRequest) { r.Goods[0].ReminderSMS = long(501) }, "Goods[0].ReminderSMS", overlong + "msgContent"},
		{"long Goods.GeneralCode", "", func(r *suning.AppointRequest) { r.Goods[0].GeneralCode = strings.Repeat("0", 19) }, "Goods[0].GeneralCode", overlong + "catengrpCode"},
		{"long SubGoods.Name", "", func(r *suning.AppointRequest) { r.SubGoods[0].Name = long(201) }, "SubGoods[0].Name", overlong + "subPartName"},
		{"long SubGoods.PartNumber", "", func(r *suning.AppointRequest) { r.SubGoods[0].PartNumber = strings.Repeat("0", 19) }, "SubGoods[0].PartNumber", overlong + "subPartNumber"},
		{"long SubGoods.PriceLabel", "", func(r *suning.AppointRequest) { r.SubGoods[0].PriceLabel = long(21) }, "SubGoods[0].PriceLabel", overlong + "subTextPrice"},

		// Bad formats.
		{"time beyond year 9999", "", func(r *suning.AppointRequest) { r.ActionEnd = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "ActionEnd", badFmt + "actionEndTime"},
		{"optional time before year 1", "", func(r *suning.AppointRequest) { r.TransitDate = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }, "TransitDate", badFmt + "transitDate"},
		{"phone with a letter", "", func(r *suning.AppointRequest) { r.NoticePhone = "1380013800a" }, "NoticePhone", badFmt + "noticePhone"},
		{"phone not a mobile number", "", func(r *suning.AppointRequest) { r.NoticePhone = "02512345678" }, "NoticePhone", badFmt + "noticePhone"},
		{"share URL not http", "", func(r *suning.AppointRequest) { r.ShareURL = "ftp://m.suning.com/x" }, "ShareURL", badFmt + "phoneShareUrl"},
		{"share image URL relative", "", func(r *suning.AppointRequest) { r.ShareImageURL = "/a.png" }, "ShareImageURL", badFmt + "phoneShareImgUrl"},
		{"invalid UTF-8", "", func(r *suning.AppointRequest) { r.ActionName = "bad \xff name" }, "ActionName", badFmt + "actionName"},
		{"city code with a comma", "", func(r *suning.AppointRequest) { r.ExcludeCities = []string{"9017", "90,17"} }, "ExcludeCities[1]", badFmt + "excludeCitys"},
		{"empty city code", "", func(r *suning.AppointRequest) { r.ExcludeCities = []string{""} }, "ExcludeCities[0]", badFmt + "excludeCitys"},
		{"negative price", "", func(r *suning.AppointRequest) { r.Goods[0].Price = -1 }, "Goods[0].Price", badFmt + "price"},
		{"negative limit", "", func(r *suning.AppointRequest) { r.Goods[0].TotalLimit = -5 }, "Goods[0].TotalLimit", badFmt + "totalLimit"},
		{"negative count", "", func(r *suning.AppointRequest) { r.SubGoods[0].Count = -2 }, "SubGoods[0].Count", badFmt + "count"},
		{"negative sub price", "", func(r *suning.AppointRequest) { r.SubGoods[0].AppointPrice = -100 }, "SubGoods[0].AppointPrice", badFmt + "subAppointPrice"},

		// Cross-field rules.
		{"ActionID on Create", suning.OperateCreate, func(r *suning.AppointRequest) {}, "ActionID", "must be empty for Create"},
		{"two default goods", "", func(r *suning.AppointRequest) { r.Goods[1].DefaultFlag = suning.DefaultGoodsYes }, "Goods[1].DefaultFlag", "only one goods may be the default, Goods[0] already is"},
		{"no default goods", "", func(r *suning.AppointRequest) { r.Goods[0].DefaultFlag = suning.DefaultGoodsNo }, "Goods", "exactly one goods"},
		{"action ends before it starts", "", func(r *suning.AppointRequest) { r.ActionEnd = r.ActionStart }, "ActionEnd", "ActionStart must be before ActionEnd"},
		{"schedule opens before the action", "", func(r *suning.AppointRequest) { r.ScheduleStart = r.ActionStart.Add(-time.Second) }, "ScheduleStart", "ActionStart must not be after ScheduleStart"},
		{"schedule closes when it opens", "", func(r *suning.AppointRequest) { r.ScheduleEnd = r.ScheduleStart }, "ScheduleEnd", "ScheduleStart must be before ScheduleEnd"},
		{"schedule closes after the action", "", func(r *suning.AppointRequest) { r.ScheduleEnd = r.ActionEnd.Add(time.Second) }, "ScheduleEnd", "ScheduleEnd must not be after ActionEnd"},
		{"purchase before schedule", "", func(r *suning.AppointRequest) { r.PurchaseStart = r.ScheduleStart.Add(-time.Minute) }, "PurchaseStart", "ScheduleStart must not be after PurchaseStart"},
		{"purchase ends when it starts", "", func(r *suning.AppointRequest) { r.PurchaseEnd = r.PurchaseStart }, "PurchaseEnd", "PurchaseStart must be before PurchaseEnd"},
		{"purchase ends after the action", "", func(r *suning.AppointRequest) { r.PurchaseEnd = r.ActionEnd.Add(time.Second) }, "PurchaseEnd", "PurchaseEnd must not be after ActionEnd"},
		{"supervip before the action", "", func(r *suning.AppointRequest) { r.SupervipPurchaseStart = r.ActionStart.Add(-time.Hour) }, "SupervipPurchaseStart", "ActionStart must not be after SupervipPurchaseStart"},
		{"supervip at purchase end", "", func(r *suning.AppointRequest) { r.SupervipPurchaseStart = r.PurchaseEnd }, "SupervipPurchaseStart", "SupervipPurchaseStart must be before PurchaseEnd"},
		{"scalper start before the action", "", func(r *suning.AppointRequest) { r.TicketResaleStart = r.ActionStart.Add(-time.Hour) }, "TicketResaleStart", "ActionStart must not be after TicketResaleStart"},
		{"scalper start after purchase end", "", func(r *suning.AppointRequest) { r.TicketResaleStart = r.PurchaseEnd.Add(time.Minute) }, "TicketResaleStart", "TicketResaleStart must be before PurchaseEnd"},
		{"order at one-second precision", "", func(r *suning.AppointRequest) {
			r.ScheduleEnd = r.ScheduleStart.Add(900 * time.Millisecond)
		}, "ScheduleEnd", "ScheduleStart must be before ScheduleEnd"},
	}
}

func call(c *suning.Client, op suning.OperateType, r *suning.AppointRequest) (*suning.AppointResult, error) {
	ctx := context.Background()
	switch op {
	case suning.OperateCreate:
		return c.Create(ctx, r)
	case suning.OperateStop:
		return c.Stop(ctx, r)
	default:
		return c.Modify(ctx, r)
	}
}

func TestValidationRulesSendNothing(t *testing.T) {
	t.Parallel()
	c, seen, _ := mockClient(t, goldenConfig(t), okCreate)
	for _, tc := range rules() {
		t.Run(tc.name, func(t *testing.T) {
			r := goldenRequest(t)
			tc.mutate(r)
			res, err := call(c, tc.op, r)
			require.Error(t, err)
			assert.Nil(t, res)
			var ve *couponkit.ValidationError
			require.True(t, errors.As(err, &ve), "got %T: %v", err, err)
			assert.Equal(t, tc.field, ve.Field)
			assert.Contains(t, ve.Reason, tc.reason)
		})
	}
	assert.Empty(t, *seen, "no request may leave for bad input")
}

func TestValidRequestPassesForEveryOperation(t *testing.T) {
	t.Parallel()
	c, seen, _ := mockClient(t, goldenConfig(t), okCreate)
	_, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	_, err = c.Modify(context.Background(), goldenRequest(t))
	require.NoError(t, err)
	stop := goldenRequest(t)
	stop.Goods, stop.SubGoods = nil, nil // may be left out when stopping
	_, err = c.Stop(context.Background(), stop)
	require.NoError(t, err)
	assert.Len(t, *seen, 3)
}

func TestMaxLengthsOverride(t *testing.T) {
	t.Parallel()
	cfg := goldenConfig(t)
	cfg.MaxLengths = map[string]int{"actionName": 0, "partName": 5}
	c, seen, _ := mockClient(t, cfg, okCreate)

	r := goldenRequest(t)
	r.ActionName = strings.Repeat("预", 300)
	r.Goods[0].PartName = "12345"
	r.Goods[1].PartName = "12345"
	_, err := c.Modify(context.Background(), r)
	require.NoError(t, err, "a limit of 0 turns the check off")

	r.Goods[1].PartName = "123456"
	_, err = c.Modify(context.Background(), r)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Goods[1].PartName", ve.Field)
	assert.Len(t, *seen, 1)
}

func TestNilRequests(t *testing.T) {
	t.Parallel()
	c, seen, _ := mockClient(t, goldenConfig(t), okCreate)
	_, err := c.Create(context.Background(), nil)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "AppointRequest", ve.Field)
	_, err = c.Query(context.Background(), nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "QueryRequest", ve.Field)
	_, err = c.GotoAppoint(context.Background(), nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "GotoAppointRequest", ve.Field)
	_, err = c.BookingInfo(context.Background(), nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "BookingInfoRequest", ve.Field)
	assert.Empty(t, *seen)
}
