package zvcms_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/calltest"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// vendor is what the call kit needs of zvcms: a client of a canned gateway,
// the params member of a request, a success as the vendor's page prints it,
// and the fake in both of its spellings.
var vendor = calltest.Vendor[*fixture]{
	Name: zvcms.Vendor, APIs: zvcms.APIs(),
	Client: func(t *testing.T, rt http.RoundTripper, attempts int) any {
		c, _ := mock(t, zvcms.Config{}, couponkit.WithTransport(rt), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: attempts}))
		return c
	},
	Params:  func(t *testing.T, _ *http.Request, body []byte) string { return string(parseRequest(t, body).Params) },
	Success: func(_ couponkit.API, data string) string { return success(data) },
	Fakes: func(t *testing.T) []*fixture {
		return []*fixture{newFixture(t, zvcmstest.Config{}), newFixture(t, zvcmstest.Config{NativeTypes: true})}
	},
	FakeClient: func(f *fixture) any { return f.c },
}

// TestCalls runs the call kit over every call of the table: the params on
// the wire, the page's answers in each spelling, the one rule with its
// attempts counted, requests refused before sending, and the fake.
func TestCalls(t *testing.T) {
	t.Parallel()
	calltest.Run(t, vendor, calls.Rows())
}

// beijing is Beijing time, the zone of every time the vendor writes.
var beijing = cntime.Location()

// calls is the call table, one row per call (or per request shape of one):
// a call's rows are added from any test file, beside its other tests
// (var _ = calls.Add(…)).
var calls calltest.Table[*fixture]

// The rows written in this file, beside the table.
var _ = calls.Add([]calltest.Call[*fixture]{
	// doc3 id=472: a keyed write, retried with its bizId; the call exists
	// for the vendor's bizId of the redemption (an int on the page).
	{Method: "WriteOffCoupon", Key: "W-1",
		Request: &zvcms.WriteOffRequest{BizID: "W-1", Channel: "naixue", CustomerID: "383933091455959041", CardIDs: []string{"390913445498200065"}},
		Wire:    `{"bizId":"W-1","channel":"naixue","customerId":383933091455959041,"couponsCardList":["390913445498200065"],"orderAmount":0,"amount":0}`,
		Answers: []calltest.Answer{
			{Data: writeOffData, Want: zvcms.WriteOffResult{BizID: "W-1", VendorBizID: "7001234567", CardIDs: []string{"390913445498200065"}, Data: []byte(writeOffData)}},
			{Data: `{"bizId":"7001234567"}`, Want: zvcms.WriteOffResult{BizID: "W-1", VendorBizID: "7001234567", Data: []byte(`{"bizId":"7001234567"}`)}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"bizId":""}`, `{"bizId":null}`, `{"bizId":0}`, `{"cardIdList":["390913445498200065"]}`},
		Invalid: []calltest.Invalid{{Field: "BizID", Request: &zvcms.WriteOffRequest{BizID: " W-1", Channel: "naixue", CustomerID: "1", CardIDs: []string{"1"}}},
			{Field: "CardIDs[1]", Request: &zvcms.WriteOffRequest{Channel: "naixue", CustomerID: "1", CardIDs: []string{"1", "1"}}}}},
	// A reversal's answer is not published: a success is the reversal, its
	// data kept raw; keyed by the redemption's bizId.
	{Method: "ReverseWriteOff", Key: "7001234567", Request: &zvcms.ReverseRequest{BizID: "7001234567", CustomerID: "383933091455959041", CardIDs: []string{"390913445498200065"}},
		Wire: `{"bizId":"7001234567","customerId":"383933091455959041","couponsCardList":["390913445498200065"]}`,
		Answers: []calltest.Answer{{Data: calltest.Absent, Want: zvcms.ReverseResult{BizID: "7001234567"}}, {Data: `null`, Want: zvcms.ReverseResult{BizID: "7001234567"}},
			{Data: `{}`, Want: zvcms.ReverseResult{BizID: "7001234567", Data: []byte(`{}`)}}, {Data: `true`, Want: zvcms.ReverseResult{BizID: "7001234567", Data: []byte(`true`)}},
			{Data: `{"bizId":7001234567}`, Want: zvcms.ReverseResult{BizID: "7001234567", Data: []byte(`{"bizId":7001234567}`)}}},
		Invalid: []calltest.Invalid{{Field: "BizID", Request: &zvcms.ReverseRequest{}}, {Field: "BizID", Request: &zvcms.ReverseRequest{BizID: " B"}},
			{Field: "CardIDs[1]", Request: &zvcms.ReverseRequest{BizID: "B", CardIDs: []string{"A", "A"}}}}},
	{Method: "ReverseWriteOff", Name: "all of it", Request: &zvcms.ReverseRequest{BizID: "B-1"}, Wire: `{"bizId":"B-1"}`,
		Answers: []calltest.Answer{{Data: calltest.Absent, Want: zvcms.ReverseResult{BizID: "B-1"}}}},
	{Method: "GetCouponStatus", Request: &zvcms.CouponStatusRequest{Code: "CPN001", Kind: zvcms.CodeKindCoupon}, Wire: `{"id":"CPN001","type":1}`,
		Answers: []calltest.Answer{
			{Data: `{"status":1,"useOrderCode":"O-1","useStoreId":12,"useStoreName":"一店","useStoreNo":"S001","useTime":"2019-10-15 17:10:28"}`, Want: couponUsed},
			{Data: `{"status":"1","useOrderCode":"O-1","useStoreId":"12","useStoreName":"一店","useStoreNo":"S001","useTime":"2019-10-15 17:10:28"}`, Want: couponUsed},
			{Data: `{"status":0}`, Want: zvcms.CouponStatus{}}, // 0 is a status
			{Data: `{"status":"1","useTime":""}`, Want: zvcms.CouponStatus{Status: 1}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"status":""}`, `{"status":null}`, `{"useOrderCode":"O-1"}`}, Lacks: "status",
		Invalid: []calltest.Invalid{{Field: "Code", Request: &zvcms.CouponStatusRequest{Code: " "}}, {Field: "Kind", Request: &zvcms.CouponStatusRequest{Code: "CPN001", Kind: 3}}},
		// A redeemed coupon's state, order, store and time.
		Fake: func(t *testing.T, f *fixture) (any, any) {
			cp := f.srv.AddCoupon(zvcms.Coupon{})
			_, err := f.c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: cp.Channel, CustomerID: cp.CustomerID,
				CardIDs: []string{cp.CardID}, Ext: zvcms.WriteOffExt{OrderNo: "O-7", StoreCode: "S001"}})
			require.NoError(t, err)
			return &zvcms.CouponStatusRequest{Code: cp.CardID},
				zvcms.CouponStatus{Status: int(zvcms.UseStatusRedeemed), UseOrderCode: "O-7", UseStoreNo: "S001", UsedAt: epoch.In(beijing)}
		},
		FakeRefuses: &zvcms.CouponStatusRequest{Code: "nope"}, FakeCode: zvcmstest.CodeNotFound},
	{Method: "GetCouponStatus", Name: "without Kind", Request: &zvcms.CouponStatusRequest{Code: "CPN001"}, Wire: `{"id":"CPN001"}`,
		Answers: []calltest.Answer{{Data: `{"status":"0"}`, Want: zvcms.CouponStatus{}}}},
	{Method: "GetCouponStatus", Name: "of a redemption code", // on the fake, the code's exchangeStatus
		Fake: func(t *testing.T, f *fixture) (any, any) {
			f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1", Status: zvcmstest.ExchangeUsed})
			return &zvcms.CouponStatusRequest{Code: "EX1", Kind: zvcms.CodeKindExchange}, zvcms.CouponStatus{Status: zvcmstest.ExchangeUsed}
		}},
	{Method: "GetExchangeCodeStatus", Request: &zvcms.ExchangeCodeStatusRequest{Code: "EXCHANGE001"}, Wire: `{"code":"EXCHANGE001"}`,
		Answers: []calltest.Answer{
			{Data: `{"activityCode":"ACT1","activityName":"周年兑换","exchangeStatus":1}`, Want: exchangeUsed},
			{Data: `{"activityCode":"ACT1","activityName":"周年兑换","exchangeStatus":"1"}`, Want: exchangeUsed},
			{Data: `{"activityCode":"A","exchangeStatus":0}`, Want: zvcms.ExchangeCodeStatus{ActivityCode: "A"}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"activityCode":"ACT1","exchangeStatus":""}`}, Lacks: "exchangeStatus",
		Invalid: []calltest.Invalid{{Field: "Code", Request: &zvcms.ExchangeCodeStatusRequest{}}},
		Fake: func(t *testing.T, f *fixture) (any, any) {
			f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1", ActivityName: "周年兑换", Status: zvcmstest.ExchangeUsed})
			return &zvcms.ExchangeCodeStatusRequest{Code: "EX1"}, zvcms.ExchangeCodeStatus{ActivityCode: "ACT1", ActivityName: "周年兑换", Status: zvcmstest.ExchangeUsed}
		},
		FakeRefuses: &zvcms.ExchangeCodeStatusRequest{Code: "EX2"}, FakeCode: zvcmstest.CodeNotFound},
	{Method: "GetCouponDetail", Request: &zvcms.CouponDetailRequest{CardID: "390913445498200065"}, Wire: `{"userCouponCode":"390913445498200065"}`,
		Answers: []calltest.Answer{
			{Data: `{"id":390913445498200065,"status":1,"customerId":"383933091455959041","customerName":"张三","customerPhone":"13800000000","templateId":895,"templateName":"满50减10","templateType":0,"useStatus":1,"useOrderCode":"O-1","useStoreName":"一店","useTime":"2019-10-15 17:10:28","validBeginDate":"2019-08-24 00:00:00","validEndDate":"2019-11-03 23:59:59","templateInfo":{"id":895,"name":"满50减10","sellerId":2001,"status":1,"type":0,"thirdBizCode":""}}`, Want: couponDetail},
			{Data: `{"id":"390913445498200065","status":"1","customerId":"383933091455959041","customerName":"张三","customerPhone":"13800000000","templateId":"895","templateName":"满50减10","templateType":"0","useStatus":"1","useOrderCode":"O-1","useStoreName":"一店","useTime":"2019-10-15 17:10:28","validBeginDate":"2019-8-24","validEndDate":"2019-11-03 23:59:59","templateInfo":{"id":"895","name":"满50减10","sellerId":"2001","status":"1"}}`, Want: couponDetail},
			{Data: `{"id":390913445498200065}`, Want: zvcms.CouponDetail{CardID: "390913445498200065"}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"useStatus":1}`, `{"customerId":"383933091455959041","useStatus":1}`}, Lacks: "id",
		Invalid: []calltest.Invalid{{Field: "CardID", Request: &zvcms.CouponDetailRequest{CardID: " "}}}},
	{Method: "GetTemplateDetail", Request: &zvcms.TemplateRequest{TemplateID: 1001}, Wire: `{"id":1001}`,
		Answers: []calltest.Answer{
			{Data: `{"id":1001,"name":"满50减10","sellerId":2001,"status":1,"type":5,"thirdBizCode":"EXT001"}`, Want: template1001},
			{Data: `{"id":"1001","name":"满50减10","sellerId":"2001","status":"1","type":"5","thirdBizCode":"EXT001"}`, Want: template1001},
			{Data: `{"id":895}`, Want: zvcms.TemplateDetail{Template: zvcms.Template{ID: 895}}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"id":""}`, `{"name":"满50减10"}`}, Lacks: "id",
		Invalid: []calltest.Invalid{{Field: "TemplateID", Request: &zvcms.TemplateRequest{}}}},
	// A dispatch's codes as strings or numbers; an unsafe write without a key.
	{Method: "DispatchExchangeCodes", Request: &zvcms.DispatchCodesRequest{ActivityCode: "ACT1", Num: 2}, Wire: `{"activityCode":"ACT1","num":2}`,
		Answers: []calltest.Answer{{Data: `[{"code":"EX1"},{"code":2}]`, Want: zvcms.DispatchedCodes{Codes: []string{"EX1", "2"}}}},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `[{}]`, `[{"code":""}]`}, Lacks: "code",
		Invalid: []calltest.Invalid{{Field: "ActivityCode", Request: &zvcms.DispatchCodesRequest{Num: 1}}, {Field: "Num", Request: &zvcms.DispatchCodesRequest{ActivityCode: "ACT1"}}}},
	// Each code's result in the order asked, whatever the answer's order and
	// spelling; a code asked left out, repeated, or another one: the
	// outcome is unknown.
	{Method: "DisableExchangeCodes", Request: &zvcms.DisableCodesRequest{Codes: []string{"EX1", "EX2"}}, Wire: `{"codes":["EX1","EX2"]}`,
		Answers: []calltest.Answer{
			{Data: `[{"code":"EX2","disabled":false,"failReason":"兑换码已使用"},{"code":"EX1","disabled":true}]`, Want: disabled},
			{Data: `[{"code":"EX1","disabled":"true","failReason":""},{"code":"EX2","disabled":"false","failReason":"兑换码已使用"}]`, Want: disabled},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `[{"code":"EX1","disabled":true}]`, `[{"code":"EX1"},{"code":"EX2"},{"code":"EX1"}]`,
			`[{"code":"EX1"},{"code":"EX3"}]`},
		Invalid: []calltest.Invalid{{Field: "Codes", Request: &zvcms.DisableCodesRequest{}}, {Field: "Codes[1]", Request: &zvcms.DisableCodesRequest{Codes: []string{"EX1", "EX1"}}}},
		// The fake voids an unused code, once, and refuses a used and an
		// unknown one with their reasons.
		Fake: func(t *testing.T, f *fixture) (any, any) {
			f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1"})
			f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX2", ActivityCode: "ACT1", Status: zvcmstest.ExchangeUsed})
			return &zvcms.DisableCodesRequest{Codes: []string{"EX1", "EX2", "EX9"}}, zvcms.DisabledCodes{Results: []zvcms.DisabledCode{{Code: "EX1", Disabled: true},
				{Code: "EX2", FailReason: "兑换码已使用"}, {Code: "EX9", FailReason: "兑换码不存在"}}}
		},
		After: func(t *testing.T, f *fixture) {
			st, _ := f.srv.ExchangeCode("EX1")
			assert.Equal(t, zvcmstest.ExchangeDisabled, st.Status)
			got, err := f.c.DisableExchangeCodes(context.Background(), &zvcms.DisableCodesRequest{Codes: []string{"EX1"}})
			require.NoError(t, err)
			assert.Equal(t, "兑换码已作废", got.Results[0].FailReason, "voided once")
		}},
	// recycleCoupons' answer is not published: a success is the whole of
	// it, its data kept raw.
	{Method: "RecycleCoupons", Request: &zvcms.RecycleRequest{CustomerID: "383933091455959041", CardIDs: []string{"1", "2"}},
		Wire: `{"customerId":"383933091455959041","couponsCardList":["1","2"]}`,
		Answers: []calltest.Answer{{Data: calltest.Absent, Want: zvcms.RecycleResult{}}, {Data: `null`, Want: zvcms.RecycleResult{}},
			{Data: `""`, Want: zvcms.RecycleResult{}}, {Data: `{"done":1}`, Want: zvcms.RecycleResult{Data: []byte(`{"done":1}`)}},
			{Data: `true`, Want: zvcms.RecycleResult{Data: []byte(`true`)}}, {Data: `{}`, Want: zvcms.RecycleResult{Data: []byte(`{}`)}}},
		Invalid: []calltest.Invalid{{Field: "CustomerID", Request: &zvcms.RecycleRequest{CardIDs: []string{"1"}}}, {Field: "CardIDs", Request: &zvcms.RecycleRequest{CustomerID: "c"}},
			{Field: "CardIDs[1]", Request: &zvcms.RecycleRequest{CustomerID: "c", CardIDs: []string{"1", " "}}}}},
	// An unsafe write whose unknown outcome reports the orderNo.
	{Method: "RecoverGrantedCoupons", Request: &zvcms.RecoverGrantRequest{OrderNo: "O-1", ActivityID: 1001, CustomerID: "c1"}, Key: "O-1",
		Wire: `{"orderNo":"O-1","activityId":1001,"customerId":"c1"}`,
		Answers: []calltest.Answer{
			{Data: `{"couponIds":[11,12],"recoveryIds":[11],"recoveryStatus":2}`, Want: recovered},
			{Data: `{"couponIds":["11","12"],"recoveryIds":["11"],"recoveryStatus":"2"}`, Want: recovered},
			{Data: `{"couponIds":[],"recoveryIds":[],"recoveryStatus":1}`, Want: zvcms.RecoveredCoupons{OrderNo: "O-1", Status: 1}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"couponIds":[1],"recoveryIds":[1]}`, `{"couponIds":[11]}`}, Lacks: "recoveryStatus",
		Invalid: []calltest.Invalid{{Field: "OrderNo", Request: &zvcms.RecoverGrantRequest{OrderNo: " O-1"}}},
		// The fake revokes a grant's unused coupons, not its redeemed one,
		// and refuses another customer's order.
		Fake: func(t *testing.T, f *fixture) (any, any) {
			a, used := f.srv.AddCoupon(zvcms.Coupon{CardID: "11"}), f.srv.AddCoupon(zvcms.Coupon{CardID: "12", UseStatus: zvcms.UseStatusRedeemed})
			f.srv.AddGrant(zvcmstest.Grant{OrderNo: "O-1", ActivityID: 7, CustomerID: a.CustomerID, CardIDs: []string{a.CardID, used.CardID}})
			return &zvcms.RecoverGrantRequest{OrderNo: "O-1", ActivityID: 7}, recovered
		},
		After: func(t *testing.T, f *fixture) {
			cp, _ := f.srv.Coupon("11")
			assert.Equal(t, zvcms.UseStatusDeleted, cp.UseStatus)
		},
		FakeRefuses: &zvcms.RecoverGrantRequest{OrderNo: "O-1", CustomerID: "other"}, FakeCode: zvcmstest.CodeNotFound},
	// doc3 id=476's points and balances as the page types them (strings),
	// and as numbers; updatedAt's unit is not published and stays in Meta.Raw.
	{Method: "GetCustomerAssets", Request: &zvcms.CustomerAssetsRequest{CustomerID: "383933091455959041"}, Wire: `{"customerId":"383933091455959041"}`,
		Answers: []calltest.Answer{
			{Data: `{"totalPoints":"120","expiredTime":"2026-12-31 23:59:59","foreverPoints":"20","soonExpiredPoints":"100","giftBalance":"5.00","rechargeBalance":"50.50","totalGiftAmount":"10.00","totalRechargeAmount":"200.00","updatedAt":1765000000}`, Want: member},
			{Data: `{"totalPoints":120,"expiredTime":"2026-12-31 23:59:59","foreverPoints":20,"soonExpiredPoints":100,"giftBalance":5,"rechargeBalance":50.5,"totalGiftAmount":10,"totalRechargeAmount":200}`, Want: member},
			{Data: `{"totalPoints":"0","expiredTime":"","giftBalance":"0.00"}`, Want: zvcms.CustomerAssets{Points: "0"}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"totalPoints":""}`, `{"giftBalance":"5.00","rechargeBalance":"50.50"}`}, Lacks: "totalPoints",
		Invalid: []calltest.Invalid{{Field: "CustomerID", Request: &zvcms.CustomerAssetsRequest{}}, {Field: "CardNo", Request: &zvcms.CustomerAssetsRequest{CardNo: " 88"}},
			{Field: "Phone", Request: &zvcms.CustomerAssetsRequest{CustomerID: "1", Phone: "13800000000"}}},
		Fake: func(t *testing.T, f *fixture) (any, any) {
			f.srv.SetCustomerAssets("13800000000", member)
			return &zvcms.CustomerAssetsRequest{Phone: "13800000000"}, member
		},
		FakeRefuses: &zvcms.CustomerAssetsRequest{CustomerID: "383933091455959041"}, FakeCode: zvcmstest.CodeNotFound},
	{Method: "GetCustomerAssets", Name: "by phone", Request: &zvcms.CustomerAssetsRequest{Phone: "13800000000"}, Wire: `{"type":1,"phone":"13800000000"}`,
		Answers: []calltest.Answer{{Data: `{"totalPoints":"0"}`, Want: zvcms.CustomerAssets{Points: "0"}}}},
	{Method: "GetCustomerAssets", Name: "by Alipay", Request: &zvcms.CustomerAssetsRequest{AlipayUserID: "2088"}, Wire: `{"type":3,"userId":"2088"}`,
		Answers: []calltest.Answer{{Data: `{"totalPoints":"0"}`, Want: zvcms.CustomerAssets{Points: "0"}}}},
	{Method: "GetCustomerAssets", Name: "by unionid", Request: &zvcms.CustomerAssetsRequest{UnionID: "o6_b"}, Wire: `{"type":5,"unionId":"o6_b"}`,
		Answers: []calltest.Answer{{Data: `{"totalPoints":"0"}`, Want: zvcms.CustomerAssets{Points: "0"}}}},
}...)

// writeOffData is doc3 id=472's answer: bizId an int, cardIdList, userInfo.
const writeOffData = `{"bizId":7001234567,"cardIdList":["390913445498200065"],"userInfo":{"customer_id":383933091455959041,"birthday":""}}`

// The answers the table's page-printed data decode to.
var (
	member = zvcms.CustomerAssets{Points: "120", ForeverPoints: "20", SoonExpiringPoints: "100", PointsExpireAt: time.Date(2026, 12, 31, 23, 59, 59, 0, beijing),
		RechargeBalance: 5050, GiftBalance: 500, TotalRecharged: 20000, TotalGifted: 1000}
	couponUsed = zvcms.CouponStatus{Status: 1, UseOrderCode: "O-1", UseStoreID: "12", UseStoreName: "一店", UseStoreNo: "S001",
		UsedAt: time.Date(2019, 10, 15, 17, 10, 28, 0, beijing)}
	exchangeUsed = zvcms.ExchangeCodeStatus{ActivityCode: "ACT1", ActivityName: "周年兑换", Status: 1}
	couponDetail = zvcms.CouponDetail{CardID: "390913445498200065", Status: 1, CustomerID: "383933091455959041", CustomerName: "张三",
		CustomerPhone: "13800000000", TemplateID: 895, TemplateName: "满50减10", TemplateType: zvcms.CouponTypeCash,
		UseStatus: zvcms.UseStatusRedeemed, UseOrderCode: "O-1", UseStoreName: "一店", UsedAt: time.Date(2019, 10, 15, 17, 10, 28, 0, beijing),
		BeginAt: time.Date(2019, 8, 24, 0, 0, 0, 0, beijing), EndAt: time.Date(2019, 11, 3, 23, 59, 59, 0, beijing),
		Template: zvcms.Template{ID: 895, Name: "满50减10", SellerID: 2001, Status: 1}}
	template1001 = zvcms.TemplateDetail{Template: zvcms.Template{ID: 1001, Name: "满50减10", SellerID: 2001, Status: 1, Type: zvcms.CouponTypeGoods, ThirdBizCode: "EXT001"}}
	disabled     = zvcms.DisabledCodes{Results: []zvcms.DisabledCode{{Code: "EX1", Disabled: true}, {Code: "EX2", FailReason: "兑换码已使用"}}}
	recovered    = zvcms.RecoveredCoupons{OrderNo: "O-1", CardIDs: []string{"11", "12"}, RecoveredIDs: []string{"11"}, Status: 2}
)

// Every call of the registry has a godoc Example (ExampleClient_<Method>).
func TestEveryCallHasAnExample(t *testing.T) {
	missing, err := calltest.MissingExamples(".", zvcms.APIs())
	require.NoError(t, err)
	assert.Empty(t, missing, "calls of zvcms.APIs() without an ExampleClient_<Method>")
}
