package houcaller_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/calltest"
	"github.com/couponkit/couponkit/internal/cntime"
)

// fixture is a fake and a client of it.
type fixture struct {
	srv *houcallertest.Server
	c   *houcaller.Client
}

// vendor is what the call kit needs of houcaller: a client of a canned
// gateway, a request's params (its param member, decrypted with the test
// key to the plain JSON the page prints), a success as the pages print it
// (msg, code 0, data), and the fake answering code as a number and as a
// string.
var vendor = calltest.Vendor[*fixture]{
	Name: houcaller.Vendor, APIs: houcaller.APIs(),
	Client: func(t *testing.T, rt http.RoundTripper, attempts int) any {
		c, err := houcaller.NewClient(houcaller.Config{Gateway: mockGateway, Channel: "hkl-test", DESKey: testKey},
			couponkit.WithTransport(rt), couponkit.WithClock(newClock()), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: attempts}))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	},
	Params: func(t *testing.T, _ *http.Request, body []byte) string {
		w := parseWire(t, body)
		assert.Equal(t, "hkl-test", w.Channel, "the channel travels in clear")
		return string(decryptECB(t, testKey, w.Param))
	},
	Success: func(_ couponkit.API, data string) string {
		if data == calltest.Absent {
			return okHead + `}`
		}
		return okHead + `,"data":` + data + `}`
	},
	Fakes: func(t *testing.T) []*fixture {
		var out []*fixture
		for _, asString := range []bool{false, true} {
			c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true, CodeAsString: asString}, nil)
			out = append(out, &fixture{srv, c})
		}
		return out
	},
	FakeClient: func(f *fixture) any { return f.c },
}

// TestCalls runs the call kit over every call of the table: the params on
// the wire, the page's answers, the one rule with its attempts counted,
// requests refused before sending, and the fake.
func TestCalls(t *testing.T) {
	t.Parallel()
	calltest.Run(t, vendor, calls.Rows())
}

// dataOf is the data member of a success written out whole (okHead, then
// "data"), as the pages print it.
func dataOf(body string) string {
	data, ok := strings.CutPrefix(body, okHead+`,"data":`)
	if !ok || !strings.HasSuffix(data, "}") {
		panic("not a success with data: " + body)
	}
	return data[:len(data)-1]
}

// at is a Beijing wall time as the pages write it.
func at(s string) time.Time {
	layout := "2006-01-02 15:04:05"
	if len(s) == len("2006-01-02") {
		layout = "2006-01-02"
	}
	t, err := time.ParseInLocation(layout, s, cntime.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// The requests of the rows, each with one change.
func sale(mod func(r *houcaller.SellCardRequest)) *houcaller.SellCardRequest {
	r := exampleSale()
	mod(r)
	return r
}

func consumption(mod func(r *houcaller.ConsumptionRequest)) *houcaller.ConsumptionRequest {
	r := exampleConsumption()
	mod(r)
	return r
}

func gift(mod func(r *houcaller.GiftCouponsRequest)) *houcaller.GiftCouponsRequest {
	r := &houcaller.GiftCouponsRequest{MemberID: "K4H9095FA0008", Phone: "13800138000", CouponCodes: []string{"7115800001188"}}
	mod(r)
	return r
}

func pointsPage(mod func(r *houcaller.PointsPageRequest)) *houcaller.PointsPageRequest {
	r := &houcaller.PointsPageRequest{Member: "m", Month: december}
	mod(r)
	return r
}

// calls is the call table, one row per call (or per request shape of one):
// a call's rows may be added from any test file (var _ = calls.Add(…)),
// such as the call's own.
var calls calltest.Table[*fixture]

// The rows of the calls of sale.go, consumption.go, member.go, lastsent.go,
// gift.go, storedcard.go, promotion.go and points.go.
var _ = calls.Add([]calltest.Call[*fixture]{
	// sendMncardForSale: the page's param example, and its response example
	// (data.list[]{cpnId, cpnCodes[]}). An Unsafe write by default, whose
	// unknown outcome reports the saleNo.
	{Method: "SellCard", Request: exampleSale(), Key: "1234567892",
		Wire: `{"cardInfoId":"L68F353AD0019","saleTime":"2021-06-16 16:02:15","saleUser":"1345","num":"3","saleOrgCode":"526","payAmt":"11.22","saleNo":"1234567892","memberId":"L38E1ASJP00Q4"}`,
		Answers: []calltest.Answer{
			{Data: `{ "list": [ { "cpnCodes": [ "L6SA36A6V0009", "L6SA36A740035", "L6SA36A750068" ], "cpnId": "L68F353AD0019" } ] }`,
				Want: houcaller.SellCardResult{SaleNo: "1234567892", Coupons: []houcaller.IssuedCoupon{{CouponID: "L68F353AD0019", Codes: []string{"L6SA36A6V0009", "L6SA36A740035", "L6SA36A750068"}}}}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"list":[]}`, `{"list":[{"cpnCodes":[],"cpnId":"L68F353AD0019"}]}`,
			`{"list":[{"cpnCodes":[""],"cpnId":"L68F353AD0019"}]}`},
		Invalid: []calltest.Invalid{
			{Field: "CardInfoID", Request: sale(func(r *houcaller.SellCardRequest) { r.CardInfoID = " " })},
			{Field: "SaleTime", Request: sale(func(r *houcaller.SellCardRequest) { r.SaleTime = time.Time{} })},
			{Field: "PayAmount", Request: sale(func(r *houcaller.SellCardRequest) { r.PayAmount = -1 })},
			{Field: "SaleNo", Request: sale(func(r *houcaller.SellCardRequest) { r.SaleNo = " " })},
			{Field: "MemberID", Request: sale(func(r *houcaller.SellCardRequest) { r.MemberID = "" })},
			{Field: "Count", Request: sale(func(r *houcaller.SellCardRequest) { r.Count = 0 })},
		},
		// The fake issues the card's coupons to the member and keeps the sale.
		Fake: func(t *testing.T, f *fixture) (any, any) {
			return exampleSale(), houcaller.SellCardResult{SaleNo: "1234567892",
				Coupons: []houcaller.IssuedCoupon{{CouponID: "L68F353AD0019", Codes: []string{"HKC0000000002", "HKC0000000003", "HKC0000000004"}}}}
		},
		After: func(t *testing.T, f *fixture) {
			s, ok := f.srv.Sale("1234567892")
			require.True(t, ok)
			assert.Equal(t, "L38E1ASJP00Q4", s.MemberID)
			assert.Equal(t, 3, s.Count)
			assert.Equal(t, "2021-06-16 16:02:15", s.SaleTime.Format("2006-01-02 15:04:05"), "Beijing wall time")
			assert.Len(t, f.srv.Coupons("L38E1ASJP00Q4"), 3)
		}},
	// recordMemberCons: the record of its response example as a request, and
	// that example as the answer. An Unsafe write by default, whose unknown
	// outcome reports the serialCode.
	{Method: "RecordConsumption", Request: exampleConsumption(), Key: "S-20220215-0001",
		Wire: `{"consAmt":"10.00","amount":"30.00","cuser":"xxiao","bizDate":"2022-02-15 00:00:00","orgCode":"1","srcId":"1234567890123","scoreAmt":"20.00","remark":"测试","serialCode":"S-20220215-0001","memberId":"K4H9095FA0008"}`,
		Answers: []calltest.Answer{{Data: dataOf(consumptionAnswer), Want: houcaller.ConsumptionResult{SerialCode: "S-20220215-0001",
			ID: "620b5682d806f71fc46e4d72", MemberID: "K4H9095FA0008", CardNo: "9018046355443", OrderID: "1234567890123",
			Amount: 3000, PaidAmount: 2000, HaobiAmount: 1000, HaobiEarned: 10, Status: 1,
			BizDate: at("2022-02-15"), CreateTime: at("2022-02-15 15:30:10")}}},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, dataOf(consumptionNoID)},
		Invalid: []calltest.Invalid{
			{Field: "SerialCode", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.SerialCode = "  " })},
			{Field: "MemberID", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.MemberID = "" })},
			{Field: "OrderID", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.OrderID = " " })},
			{Field: "BizDate", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.BizDate = time.Time{} })},
			{Field: "Amount", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.Amount = -1 })},
			{Field: "PaidAmount", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.PaidAmount = -5 })},
			{Field: "HaobiAmount", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.HaobiAmount = couponkit.Fen(1) << 62 })},
			{Field: "Remark", Request: consumption(func(r *houcaller.ConsumptionRequest) { r.Remark = "\xff" })},
		}},
	// listCpnItemByMember: the page's param example and its response
	// example's first element, then a coupon with its status as a string.
	{Method: "MemberCoupons", Request: &houcaller.MemberCouponsRequest{MemberID: "K1H93QDKI00B7"}, Wire: `{"memberId":"K1H93QDKI00B7"}`,
		Answers: []calltest.Answer{
			{Data: dataOf(memberCouponsAnswer), Want: houcaller.MemberCouponsResult{Coupons: []houcaller.MemberCoupon{{
				ID: "K1H93QDM600F0", CouponID: "H3UA24SI6830", Code: "7270000006699", Name: "新会员20元全场券",
				Type: houcaller.CouponDineIn, Status: houcaller.CouponUnused, MemberID: "K1H93QDKI00B7",
				OpenID: "oEv-It_aoh7mzEinzyPhnR0-uVc41", BeginDate: at("2020-01-17"), EndDate: at("2020-04-15"), SellScene: "reg",
				PictureURL: "/upload_img/20170718/170718_2021456830.jpg",
			}, {CouponID: "H3UA24SI6831", Code: "7270200006680", Status: houcaller.CouponExpired, UseTime: at("2020-03-01 12:00:00")}}}},
			{Data: `{"list":[]}`, Want: houcaller.MemberCouponsResult{}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"list":[` + couponNoCode + `]}`},
		Invalid: []calltest.Invalid{
			{Field: "MemberID", Request: &houcaller.MemberCouponsRequest{}},
			{Field: "MemberID", Request: &houcaller.MemberCouponsRequest{MemberID: "  ", PlatformID: " "}},
			{Field: "MemberID", Request: &houcaller.MemberCouponsRequest{MemberID: "m\xff"}},
		}},
	{Method: "MemberCoupons", Name: "member and platform", Request: &houcaller.MemberCouponsRequest{MemberID: "m1", PlatformID: "oEv-1"},
		Wire:    `{"memberId":"m1","platformId":"oEv-1"}`,
		Answers: []calltest.Answer{{Data: `{"list":[]}`, Want: houcaller.MemberCouponsResult{}}}},
	{Method: "MemberCoupons", Name: "platform", Request: &houcaller.MemberCouponsRequest{PlatformID: "oEv-1"},
		Wire:    `{"platformId":"oEv-1"}`,
		Answers: []calltest.Answer{{Data: `{"list":[]}`, Want: houcaller.MemberCouponsResult{}}}},
	// getLastSendCpnItem: the example values of its field table, statuses
	// as numbers and as strings, and no coupon (data null or {}).
	{Method: "LastSentCoupon", Request: &houcaller.LastSentCouponRequest{MemberID: "NC2D0RH4EROS6", CouponID: "N95B0CN960I14"},
		Wire: `{"mmbId":"NC2D0RH4EROS6","cpnId":"N95B0CN960I14"}`,
		Answers: []calltest.Answer{
			{Data: dataOf(lastSentAnswer), Want: houcaller.SentCoupon{Found: true, ID: "NC2D1AVSRSCG3", CouponID: "N95B0CN960I14",
				Code: "3459803073051", Name: "社群入群礼1元薯条券", Type: houcaller.CouponMall, MemberID: "NC2D0RH4EROS6",
				Status: houcaller.CouponRedeemed, SaleOrderNo: "202312021314089IEF9YQPTS", SaleTime: at("2023-12-02 13:14:08"),
				SaleChannel: "hkl-test", UseOrderNo: "150420231202529451116", UseShop: "1504", UseTime: at("2023-12-02 13:15:20"),
				EffectiveTime: at("2023-12-02 13:14:08"), BeginDate: at("2023-09-05"), EndDate: at("2023-12-31"),
				CreateTime: at("2023-12-02 13:14:08"), ModifyTime: at("2023-12-02 13:15:15")}},
			{Data: `{"cpnCode":"C1","status":3}`, Want: houcaller.SentCoupon{Found: true, Code: "C1", Status: houcaller.CouponRefunded}},
			{Data: `{"cpnCode":"C2","status":"7","isStc":"1"}`, Want: houcaller.SentCoupon{Found: true, Code: "C2", Status: houcaller.CouponGifting, BoughtWithCard: true}},
			{Data: `null`, Want: houcaller.SentCoupon{}},
			{Data: `{}`, Want: houcaller.SentCoupon{}},
			{Data: calltest.Absent, Want: houcaller.SentCoupon{}},
		},
		Missing: []string{dataOf(lastSentNoCode)},
		Invalid: []calltest.Invalid{
			{Field: "MemberID", Request: &houcaller.LastSentCouponRequest{CouponID: "X"}},
			{Field: "CouponID", Request: &houcaller.LastSentCouponRequest{MemberID: "m", CouponID: " "}},
		}},
	// cpnShiftGift: the example values of its field table. An Unsafe write
	// without a key: its unknown outcome carries none.
	{Method: "GiftCoupons", Request: &houcaller.GiftCouponsRequest{MemberID: "K4H9095FA0008", Phone: "13800138000",
		CouponCodes: []string{"7115800001188"}, Message: "千言万语尽在券里!"},
		Wire: `{"memberId":"K4H9095FA0008","phone":"13800138000","cpnCodes":["7115800001188"],"content":"千言万语尽在券里!"}`,
		Answers: []calltest.Answer{
			{Data: `[` + giftRecord + `]`, Want: houcaller.GiftResult{Gifts: []houcaller.Gift{giftWant}}},
			{Data: `{"list":[` + giftRecord + `]}`, Want: houcaller.GiftResult{Gifts: []houcaller.Gift{giftWant}}},
			{Data: giftRecord, Want: houcaller.GiftResult{Gifts: []houcaller.Gift{giftWant}}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"list":[]}`, `"ok"`,
			`[` + strings.Replace(giftRecord, `"cpnCode":"7115800001188"`, `"cpnCode":""`, 1) + `]`},
		Invalid: []calltest.Invalid{
			{Field: "MemberID", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.MemberID = " " })},
			{Field: "Phone", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.Phone = "" })},
			{Field: "Phone", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.Phone = "+8613800138000" })},
			{Field: "Phone", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.Phone = "138 0013 8000" })},
			{Field: "Phone", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.Phone = "１３８" })},
			{Field: "CouponCodes", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.CouponCodes = nil })},
			{Field: "CouponCodes[1]", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.CouponCodes = append(r.CouponCodes, "7115800001188") })},
			{Field: "CouponIDs[0]", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.CouponIDs = []string{""} })},
			{Field: "Message", Request: gift(func(r *houcaller.GiftCouponsRequest) { r.Message = "\xff" })},
		}},
	// listMemberStcard: its param and response examples.
	{Method: "MemberStoredValueCards", Request: &houcaller.StoredValueCardsRequest{MemberID: "K1H93QDKI00B7"}, Wire: `{"memberId":"K1H93QDKI00B7"}`,
		Answers: []calltest.Answer{{Data: dataOf(storedCardsAnswer), Want: houcaller.StoredValueCardsResult{Cards: []houcaller.StoredValueCard{{
			CardNo: "9590004727313", CardType: "959", FaceValue: 100000, Balance: 100000, BeginDate: at("2020-02-17"), EndDate: at("2023-02-17"),
			Status: 1, StatusText: "正常", Activated: true, Giftable: true, OrgCode: "0201", FaceImageURL: "/images/stc/cs_ks1.jpg"}}}}},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"list":[{"amt":1000,"balance":1000,"cardType":"959"}]}`},
		Invalid: []calltest.Invalid{
			{Field: "MemberID", Request: &houcaller.StoredValueCardsRequest{MemberID: " "}},
		},
		Fake: func(t *testing.T, f *fixture) (any, any) {
			card := houcaller.StoredValueCard{CardNo: "9590004727313", CardType: "959", FaceValue: 100000, Balance: 55050}
			f.srv.AddStoredValueCard("K1H93QDKI00B7", card)
			return &houcaller.StoredValueCardsRequest{MemberID: "K1H93QDKI00B7"}, houcaller.StoredValueCardsResult{Cards: []houcaller.StoredValueCard{card}}
		}},
	// listCpnForStcPro: its param and response examples.
	{Method: "PromotionCoupons", Request: &houcaller.PromotionCouponsRequest{OrgCode: "0101", CardType: "958"}, Wire: `{"orgCode":"0101","cardType":"958"}`,
		Answers: []calltest.Answer{{Data: dataOf(promotionAnswer), Want: houcaller.PromotionCouponsResult{Coupons: []houcaller.PromotionCoupon{{
			ID: "JCUG0K10A53U8", Name: "CAS调研薯条免费券", Type: houcaller.CouponDineIn,
			Content:    "1、本券为问卷调查奖励,内容为价值13元免费美国酸奶油香葱薯条一张。\n2、本券仅限全国豪客来餐厅堂食使用,不与其他优惠同享 ",
			PictureURL: "/upload_img/cas.jpg", PosID: "6837", BeginDate: at("2020-01-01"), EndDate: at("2020-06-30")}}}}},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"list":[]}`, `{"cpnList":null}`, `{"cpnList":[{"cpnName":"CAS调研薯条免费券","cpnType":"0"}]}`},
		Invalid: []calltest.Invalid{
			{Field: "CardType", Request: &houcaller.PromotionCouponsRequest{OrgCode: "0101"}},
			{Field: "OrgCode", Request: &houcaller.PromotionCouponsRequest{OrgCode: "\xfe", CardType: "958"}},
		},
		Fake: func(t *testing.T, f *fixture) (any, any) {
			coupons := []houcaller.PromotionCoupon{{ID: "JCUG0K10A53U8", Name: "CAS调研薯条免费券"}}
			f.srv.SetPromotion("0101", "958", coupons)
			return &houcaller.PromotionCouponsRequest{OrgCode: "0101", CardType: "958"}, houcaller.PromotionCouponsResult{Coupons: coupons}
		}},
	// queryMemberScoRecordForShop: the fields of its page's table; the
	// month is Beijing's (November in UTC, 2023-12-01 00:30 in Beijing).
	{Method: "PointsLedgerPage", Request: &houcaller.PointsPageRequest{Member: "NC2D0RH4EROS6",
		Month: time.Date(2023, 11, 30, 16, 30, 0, 0, time.UTC), ScoreType: houcaller.ScoreEarned.Ptr()},
		Wire: `{"queryType":"memberId","memberId":"NC2D0RH4EROS6","month":"2023-12","scoType":"1","page":{"offset":"0","limit":"20"}}`,
		Answers: []calltest.Answer{{Data: dataOf(pointsAnswer), Want: pointsWant},
			// An empty amount of a ledger record reads as 0.
			{Data: `{"records":[{"amount":"","bizDate":"2023-12-02"}]}`, Want: houcaller.WithoutTotal(houcaller.PointsPage{Month: at("2023-12-01 00:00:00"),
				NextOffset: 1, Records: []houcaller.PointsRecord{{Month: at("2023-12-01 00:00:00"), BizDate: at("2023-12-02")}}})}},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"totalIncScore":0,"totalExpScore":0,"page":{"next":false,"pages":0}}`,
			`{"totalIncScore":10.5,"totalExpScore":0,"records":[],"page":{"next":false,"pages":0}}`,
			`{"records":[{"amount":1.234,"bizDate":"2023-12-02"}]}`, `{"records":[{"bizDate":"yesterday"}]}`},
		Invalid: []calltest.Invalid{
			{Field: "Member", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.Member = "" })},
			{Field: "Month", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.Month = time.Time{} })},
			{Field: "Month", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.Month = time.Date(10000, 1, 1, 0, 0, 0, 0, bj) })},
			{Field: "By", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.By = "id" })},
			{Field: "ScoreType", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.ScoreType = houcaller.ScoreType(11).Ptr() })},
			{Field: "BusinessType", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.BusinessType = houcaller.PointsBusinessType(-9).Ptr() })},
			{Field: "Offset", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.Offset = -1 })},
			{Field: "Limit", Request: pointsPage(func(r *houcaller.PointsPageRequest) { r.Limit = -20 })},
		},
		Fake: func(t *testing.T, f *fixture) (any, any) {
			f.srv.AddPointsRecord("NC2D0RH4EROS6", houcaller.PointsRecord{ID: "r1", BizDate: december, PointsEarned: 10})
			month := at("2023-12-01 00:00:00")
			return &houcaller.PointsPageRequest{Member: "NC2D0RH4EROS6", Month: december}, houcaller.WithoutTotal(houcaller.PointsPage{Month: month, NextOffset: 1, Pages: 1,
				TotalEarned: 10, Records: []houcaller.PointsRecord{{Month: month, ID: "r1", MemberID: "NC2D0RH4EROS6", BizDate: december, PointsEarned: 10}}})
		}},
}...)

// giftWant is the record of giftRecord.
var giftWant = houcaller.Gift{ID: "3RdYVWB76dHXLJkaq", BatchID: "0AF92F71BEB29670919C40B0290F09ED", Status: houcaller.GiftPending,
	CouponID: "K5FG5HQ1M1432", Code: "7115800001188", FromMemberID: "K4H9095FA0008", FromOpenID: "oEv-It_aoh7mzEinzyPhnR0-uVc41",
	Phone: "13800138000", GiftTime: at("2023-12-02 13:14:08"), Message: "千言万语尽在券里!"}

// pointsWant is the page of pointsAnswer: totals as BigDecimal (120.00 and
// "30"), amounts in yuan, the first record with the fields of
// recordMemberCons's record, the second with the table's fields alone.
var pointsWant = houcaller.WithoutTotal(houcaller.PointsPage{Month: at("2023-12-01 00:00:00"), NextOffset: 2, Pages: 1, TotalEarned: 120, TotalSpent: 30,
	Records: []houcaller.PointsRecord{
		{Month: at("2023-12-01 00:00:00"), ID: "620b5682d806f71fc46e4d72", MemberID: "NC2D0RH4EROS6", CardNo: "9018046355443",
			OrderID: "150420231202529451116", OrgCode: "1504", BizDate: at("2023-12-02"), Amount: 3000, PaidAmount: 2000, HaobiAmount: 1000,
			PointsEarned: 120, ScoreType: houcaller.ScoreEarned, BusinessType: houcaller.BusinessConsumptionHaobi, CreateTime: at("2023-12-02 13:15:20")},
		{Month: at("2023-12-01 00:00:00"), CardNo: "9018046355443", OrgCode: "1", BizDate: at("2023-12-20"), PointsSpent: 30,
			Remark: "轻烹商城兑券(反结账)(反结账)"},
	}})

// A nil request is refused before anything is sent (the kit runs a call
// through its registry entry, which refuses a nil request itself).
func TestNilRequestsSendNothing(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	ctx := context.Background()
	for field, call := range map[string]func() error{
		"SellCardRequest":         func() error { _, err := c.SellCard(ctx, nil); return err },
		"ConsumptionRequest":      func() error { _, err := c.RecordConsumption(ctx, nil); return err },
		"MemberCouponsRequest":    func() error { _, err := c.MemberCoupons(ctx, nil); return err },
		"LastSentCouponRequest":   func() error { _, err := c.LastSentCoupon(ctx, nil); return err },
		"GiftCouponsRequest":      func() error { _, err := c.GiftCoupons(ctx, nil); return err },
		"StoredValueCardsRequest": func() error { _, err := c.MemberStoredValueCards(ctx, nil); return err },
		"PromotionCouponsRequest": func() error { _, err := c.PromotionCoupons(ctx, nil); return err },
		"PointsPageRequest":       func() error { _, err := c.PointsLedgerPage(ctx, nil); return err },
	} {
		var ve *couponkit.ValidationError
		require.ErrorAs(t, call(), &ve, field)
		assert.Equal(t, field, ve.Field)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// Every call of the registry has a godoc Example (ExampleClient_<Method>).
func TestEveryCallHasAnExample(t *testing.T) {
	missing, err := calltest.MissingExamples(".", houcaller.APIs())
	require.NoError(t, err)
	assert.Empty(t, missing, "calls of houcaller.APIs() without an ExampleClient_<Method>")
}
