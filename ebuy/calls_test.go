package ebuy_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/calltest"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/testclock"
)

// fixture is a fake and a client of it.
type fixture struct {
	srv *ebuytest.Server
	c   *ebuy.Client
}

// fakeNow is the time of the fake rows' fake and client, Beijing time.
var fakeNow = bj(2024, 5, 17, 10, 30, 0)

// vendor is what the call kit needs of ebuy: a client with the vectors'
// credentials whose calls without a uuid get vecUUID, a request's signed
// content (its sign checked), and a success in the envelope the pages print
// (envelopeSuccess), echoing the request's action and uuid, which Meta
// reports as its request id; and the fake, with a client on a test clock.
var vendor = calltest.Vendor[*fixture]{
	Name: ebuy.Vendor, APIs: ebuy.APIs(),
	Client: func(t *testing.T, rt http.RoundTripper, attempts int) any {
		c, err := ebuy.NewClient(ebuy.Config{Gateway: vecGW, AppID: vecApp, AppSecret: vecKey, NewKey: vecKeyFunc},
			couponkit.WithTransport(rt), couponkit.WithClock(testclock.New(vecTime)), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: attempts}))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	},
	Params: func(t *testing.T, _ *http.Request, body []byte) string {
		fields, err := wire.Fields(body)
		if !assert.NoError(t, err, "the body is an envelope: %s", body) {
			return ""
		}
		ok, signed := wire.Verify(fields, vecKey)
		assert.True(t, ok && signed, "the request is signed: %s", body)
		return string(wire.Get(fields, "content"))
	},
	Reply: func(t *testing.T, _ couponkit.API, _ *http.Request, body []byte, data string) (string, string) {
		return string(envelopeSuccess(t, body, data)), field(t, body, "uuid")
	},
	Fakes: func(t *testing.T) []*fixture {
		clock := couponkittest.NewClock(fakeNow) // the fake's and the client's
		srv := ebuytest.NewServer(ebuytest.Config{Clock: clock})
		t.Cleanup(srv.Close)
		c, err := ebuy.NewClient(srv.ClientConfig(), couponkit.WithClock(clock), couponkit.WithHTTPClient(srv.Client()))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return []*fixture{{srv, c}}
	},
	FakeClient: func(f *fixture) any { return f.c },
}

// calls is the call table: a call adds its row from its own test file
// (var _ = calls.Add(…)). TestCalls runs callsOf's rows, then these.
var calls calltest.Table[*fixture]

// TestCalls runs the call kit over every call of the table: the signed
// content on the wire, the page's answers, the one rule with its attempts
// counted, requests refused before sending, and the fake (ProductDetail,
// CancelRedemption).
func TestCalls(t *testing.T) {
	t.Parallel()
	calltest.Run(t, vendor, append(callsOf(t), calls.Rows()...))
}

// sentContent is the content of the request body testdata/requests/name.json,
// as signed and sent.
func sentContent(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/requests/" + name + ".json")
	require.NoError(t, err)
	fields, err := wire.Fields(b)
	require.NoError(t, err)
	return string(wire.Get(fields, "content"))
}

// chunk is the one request of a call sent with uuid and codes, answered
// with data in the envelope the vendor answers a request of action with.
func chunk(t *testing.T, action, uuid string, codes []string, data string) ebuy.Chunk {
	req := `{"action":"` + action + `","uuid":"` + uuid + `"}`
	return ebuy.Chunk{UUID: uuid, Codes: codes,
		Meta: couponkit.Meta{RequestID: uuid, HTTPStatus: http.StatusOK, Attempts: 1, Raw: envelopeSuccess(t, []byte(req), data)}}
}

// bj is a Beijing wall time, as the answers' times decode.
func bj(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, cntime.Location())
}

// callsOf is one row per call whose row needs t (to read its wire content
// from testdata, or build a chunk's answer). The requests and the contents
// they send are those of testdata/requests (TestRequestWireBodies checks
// their whole signed bodies); each first answer is the least content the
// call's page prints for a success.
func callsOf(t *testing.T) []calltest.Call[*fixture] {
	codes2 := []string{"1031000000000000001", "1031000000000000002"}
	code1 := codes2[:1]
	activate := &ebuy.ActivateCodesRequest{
		UUID: vecUUID, Codes: codes2,
		ValidStart: time.Date(2024, 5, 17, 0, 0, 0, 0, beijing),
		ValidEnd:   time.Date(2024, 12, 31, 15, 59, 59, 0, time.UTC), // 23:59:59 in Beijing
		Activation: &ebuy.ActivateInfo{Org: "上海", ShopNo: "S001"},
		Funds:      &ebuy.Funds{MerchantBenefit: 500, MerchantRealAmount: 2500, UserRealAmount: 2500},
	}
	activated := `{"codeNum":2,"createDate":1715911200000}`
	deactivated := `{"activeCodeDetails":[{"codeSecret":"1031000000000000001","resultCode":"00"}],"codeNum":1}`
	delay := &ebuy.UpdateCodeStatusRequest{UUID: vecUUID, Type: ebuy.UpdateDelay, Codes: codes2, BrandID: "4339",
		ValidEnd: time.Date(2025, 1, 1, 0, 0, 0, 0, beijing), Notify: true, NotifyType: ebuy.NotifySaleChannel, SupportPartial: true}
	delayed := `{"codeStatusList":[{"code":"1031000000000000001","currentStatus":"00"},{"code":"1031000000000000002","currentStatus":"00"}]}`
	// A freeze without supportPartial: the chunk is updated whole.
	freeze := &ebuy.UpdateCodeStatusRequest{UUID: vecUUID, Type: ebuy.UpdateFreeze, Codes: code1}
	frozen := `{"codeStatusList":[{"code":"1031000000000000001","currentStatus":"04","statusDesc":"已冻结"}]}`
	made := `{"requestId":"R-1","returnCode":"00","returnMsg":"SUCCESS","thirdCodeFamilySet":[{"code":"C1"}]}`
	product := `{"productId":1031000000010741,"productName":"星巴克中杯饮品券"}`
	cancelled := `{"createTime":1715911200000,"outerOrderId":"OO-1"}`
	synced := `{"verifyCodeList":[{"code":"1031000000000000001","status":"00"}]}`
	issued := `{"item":{"codeDetail":[{"code":"C1","codeSearch":"S1"}]},"outerOrderId":"OO-20240517-1"}`
	syncVoided := `{"voidNotifyResultBOList":[{"code":"1031000000000000001","status":"00"}]}`
	voided := `{"orderRemarks":"OO-1","status":"00","statusDesc":"撤销成功"}`
	longUUID := strings.Repeat("u", 51)
	long := strings.Repeat("x", 65)

	return []calltest.Call[*fixture]{
		// batchActivateCode: a Keyed write on its uuid, for the codes it
		// counts or details.
		{Method: "ActivateCodes", Key: vecUUID, Request: activate, Wire: sentContent(t, "activate"),
			Answers: []calltest.Answer{{Data: activated, Want: ebuy.CodeBatchResult{Count: 2, CreatedAt: bj(2024, 5, 17, 10, 0, 0), Codes: []ebuy.CodeDetail{},
				Results: []ebuy.CodeOutcome{{Code: codes2[0]}, {Code: codes2[1]}},
				Chunks:  []ebuy.Chunk{chunk(t, "batchActivateCode", vecUUID, codes2, activated)}}}},
			Missing: []string{calltest.Absent, "null", `{}`, `{"codeNum":0,"createDate":1715911200000}`, `{"activeCodeDetails":[],"codeNum":0,"createDate":1715911200000}`},
			Invalid: []calltest.Invalid{
				{Field: "Codes", Request: &ebuy.ActivateCodesRequest{}},
				{Field: "Codes[1]", Request: &ebuy.ActivateCodesRequest{Codes: []string{"a", ""}}},
				{Field: "Codes[2]", Request: &ebuy.ActivateCodesRequest{Codes: []string{"a", "b", "a"}}},
				{Field: "UUID", Request: &ebuy.ActivateCodesRequest{UUID: longUUID, Codes: code1}},
				{Field: "UUID", Request: &ebuy.ActivateCodesRequest{UUID: "has space", Codes: code1}},
				{Field: "ValidEnd", Request: &ebuy.ActivateCodesRequest{Codes: code1, ValidStart: vecTime, ValidEnd: vecTime.Add(-time.Hour)}},
				{Field: "ValidEnd", Request: &ebuy.ActivateCodesRequest{Codes: code1, ValidEnd: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
				{Field: "Funds.MerchantBenefit", Request: &ebuy.ActivateCodesRequest{Codes: code1, Funds: &ebuy.Funds{MerchantBenefit: -1}}},
			}},
		// batchUnActivateCode: the brand from the request (or Config).
		{Method: "DeactivateCodes", Key: vecUUID, Request: &ebuy.DeactivateCodesRequest{UUID: vecUUID, Codes: code1, BrandID: "4339"},
			Wire: sentContent(t, "deactivate"),
			Answers: []calltest.Answer{{Data: deactivated, Want: ebuy.CodeBatchResult{Count: 1,
				Codes:   []ebuy.CodeDetail{{Code: codes2[0], ResultCode: "00"}},
				Results: []ebuy.CodeOutcome{{Code: codes2[0], Detail: &ebuy.CodeDetail{Code: codes2[0], ResultCode: "00"}}},
				Chunks:  []ebuy.Chunk{chunk(t, "batchUnActivateCode", vecUUID, code1, deactivated)}}}},
			Missing: []string{calltest.Absent, `{}`, `{"codeNum":0,"createDate":1715911200000}`, `{"activeCodeDetails":null,"codeNum":"0"}`},
			Invalid: []calltest.Invalid{{Field: "BrandID", Request: &ebuy.DeactivateCodesRequest{Codes: code1}}}},
		// batchUpdateCodeStatus: one request for up to 20 codes, its uuid the
		// call's.
		{Method: "UpdateCodeStatus", Name: "delay", Key: vecUUID, Request: delay, Wire: sentContent(t, "update_delay"),
			Answers: []calltest.Answer{{Data: delayed, Want: ebuy.UpdateCodeStatusResult{
				Codes:  []ebuy.CodeResult{{Code: codes2[0], Status: ebuy.StatusUnused}, {Code: codes2[1], Status: ebuy.StatusUnused}},
				Chunks: []ebuy.Chunk{chunk(t, "batchUpdateCodeStatus", vecUUID, codes2, delayed)}}}},
			Missing: []string{calltest.Absent, `{}`, `{"codeStatusList":null}`}},
		{Method: "UpdateCodeStatus", Name: "freeze", Key: vecUUID, Request: freeze,
			Wire: `{"codes":["1031000000000000001"],"updateType":"freeze"}`,
			Answers: []calltest.Answer{{Data: frozen, Want: ebuy.UpdateCodeStatusResult{
				Codes:  []ebuy.CodeResult{{Code: codes2[0], Status: ebuy.StatusFrozen, StatusDescription: "已冻结"}},
				Chunks: []ebuy.Chunk{chunk(t, "batchUpdateCodeStatus", vecUUID, code1, frozen)}}}},
			Missing: []string{calltest.Absent, `{}`, `{"codeStatusList":null}`, `{"codeStatusList":[]}`},
			Invalid: []calltest.Invalid{
				{Field: "Type", Request: &ebuy.UpdateCodeStatusRequest{Type: "melt", Codes: code1}},
				{Field: "ValidEnd", Request: &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateDelay, Codes: code1}},
				{Field: "ValidEnd", Request: &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: code1, ValidEnd: vecTime}},
				{Field: "BrandID", Request: &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: code1, BrandID: "B-1"}},
				{Field: "UUID", Request: &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: code1, UUID: strings.Repeat("u", 47)}},
				{Field: "NotifyType", Request: &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: code1, NotifyType: "everyone"}},
			}},
		// thirdBatchMake: a Keyed write on its uuid, for the codes it made.
		{Method: "ThirdBatchMake", Key: vecUUID, Request: &ebuy.ThirdBatchMakeRequest{
			UUID: vecUUID, SaleChannelOrderID: "SO-20240517-1", TicketID: 1031000000010741, Count: 2,
			ValidEnd: time.Date(2024, 12, 31, 23, 59, 59, 0, beijing), FaceValue: 3000, BrandSalePrice: 2800,
			Funds:       &ebuy.Funds{TotalAmount: 6000, UserRealAmount: 5600},
			OrderRemark: "<生日>&礼券", ThirdUserID: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", UserMobile: "13800000000", UseTimes: 1,
		}, Wire: sentContent(t, "third_batch_make"),
			Answers: []calltest.Answer{{Data: made, Want: ebuy.ThirdBatchMakeResult{RequestID: "R-1", Codes: []ebuy.MadeCode{{Code: "C1"}}}}},
			Missing: []string{calltest.Absent, `{}`, `{"requestId":"R-1","returnCode":"00","returnMsg":"SUCCESS"}`,
				`{"requestId":"R-1","returnCode":"00","returnMsg":"SUCCESS","thirdCodeFamilySet":[]}`},
			Invalid: []calltest.Invalid{
				{Field: "SaleChannelOrderID", Request: &ebuy.ThirdBatchMakeRequest{TicketID: 1, Count: 1}},
				{Field: "TicketID", Request: &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "o", Count: 1}},
				{Field: "Count", Request: &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "o", TicketID: 1}},
				{Field: "FaceValue", Request: &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "o", TicketID: 1, Count: 1, FaceValue: -5}},
				{Field: "TransAt", Request: &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "o", TicketID: 1, Count: 1, TransAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}},
			}},
		// makeCode: an Unsafe write by default (Config.MakeCodesDeduplicates
		// makes it Keyed), its unknown outcome naming the outerOrderId.
		{Method: "MakeCodes", Key: "OO-20240517-1", Request: &ebuy.MakeCodesRequest{UUID: vecUUID, OuterOrderID: "OO-20240517-1",
			TicketID: 1031000000010741, Count: 2, Remark: "<生日>&礼券"}, Wire: sentContent(t, "make_codes"),
			Answers: []calltest.Answer{{Data: issued, Want: ebuy.MakeCodesResult{OuterOrderID: "OO-20240517-1",
				Codes: []ebuy.IssuedCode{{Code: "C1", SearchCode: "S1"}}}}},
			Missing: []string{calltest.Absent, `{}`, `{"item":{"codeDetail":[],"validEnd":"20240817235959"},"outerOrderId":"OO-20240517-1"}`,
				`{"items":[{"codeDetails":[],"returnCode":"00","returnMessage":"成功"}],"outerOrderId":"OO-20240517-1"}`,
				`{"items":[{"codeCount":1,"returnCode":"99","returnMessage":"制码中"}],"outerOrderId":"OO-20240517-1"}`},
			Invalid: []calltest.Invalid{
				{Field: "OuterOrderID", Request: &ebuy.MakeCodesRequest{TicketID: 1, Count: 1}},
				{Field: "OuterOrderID", Request: &ebuy.MakeCodesRequest{OuterOrderID: long, TicketID: 1, Count: 1}},
				{Field: "TicketID", Request: &ebuy.MakeCodesRequest{OuterOrderID: "O", Count: 1}},
				{Field: "Count", Request: &ebuy.MakeCodesRequest{OuterOrderID: "O", TicketID: 1}},
				{Field: "Remark", Request: &ebuy.MakeCodesRequest{OuterOrderID: "O", TicketID: 1, Count: 1, Remark: "\xff"}},
			}},
		// _getBrandProductDetailDirect: a read of the product asked for (an
		// answer naming another product is unreadable too: see
		// TestSuccessWithoutWhatTheCallIsForIsUnreadable).
		{Method: "ProductDetail", Request: &ebuy.ProductDetailRequest{ProductID: 1031000000010741}, Wire: sentContent(t, "product_detail"),
			Answers: []calltest.Answer{{Data: product, Want: ebuy.Product{ProductID: 1031000000010741, ProductName: "星巴克中杯饮品券"}}},
			Missing: []string{calltest.Absent, `{}`, `{"productName":"星巴克中杯饮品券","productType":"merchandiseCoupon"}`},
			Invalid: []calltest.Invalid{{Field: "ProductID", Request: &ebuy.ProductDetailRequest{}}},
			// The fake answers with its default product, and refuses one it
			// does not have.
			Fake: func(t *testing.T, f *fixture) (any, any) {
				return &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID}, ebuy.Product{ProductID: ebuytest.DefaultProductID,
					ProductName: "星巴克中杯饮品券", ProductType: "merchandiseCoupon", UseTimes: 1, BrandID: ebuytest.DefaultBrandID, BrandName: "星巴克",
					SendChannelID: "ebuytest"}
			},
			FakeRefuses: &ebuy.ProductDetailRequest{ProductID: 1031000000010999}, FakeCode: ebuy.ErrCodeNotFound},
		// _queryCodeDetailList: a read of a code's records, which may be none.
		{Method: "CodeHistory", Request: &ebuy.CodeHistoryRequest{Code: "1006250730320020870=gHN3981K"}, Wire: sentContent(t, "code_history"),
			Answers: []calltest.Answer{
				{Data: `{"returnCode":"00","returnData":[]}`, Want: ebuy.CodeHistory{Records: []ebuy.CodeRecord{}}},
				{Data: `{"requestId":"1754016596841","returnCode":"00","returnData":[],"transTime":1754016597099}`, Want: ebuy.CodeHistory{Records: []ebuy.CodeRecord{}}},
			},
			Missing: []string{calltest.Absent, `{}`, `{"requestId":"1754016596841","returnCode":"00","transTime":1754016597099}`, `{"returnCode":"00","returnData":null}`},
			Lacks:   "returnData",
			Invalid: []calltest.Invalid{{Field: "Code", Request: &ebuy.CodeHistoryRequest{}}}},
		// verify-verifyCancel: a Keyed write on its uuid; outerOrderId and
		// createTime beside content (page cfa08) or inside it.
		{Method: "CancelRedemption", Key: vecUUID, Request: &ebuy.CancelRedemptionRequest{UUID: vecUUID,
			OriginalUUID: "20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", OriginalVerifyDate: time.Date(2024, 5, 17, 9, 0, 0, 0, beijing),
			Codes: code1, Atomic: true}, Wire: sentContent(t, "cancel_redemption"),
			Answers: []calltest.Answer{{Data: cancelled, Want: ebuy.CancelRedemptionResult{OuterOrderID: "OO-1", CreateTime: bj(2024, 5, 17, 10, 0, 0)}}},
			Missing: []string{calltest.Absent, `{}`, `{"outerOrderId":"","createTime":null}`},
			Invalid: []calltest.Invalid{
				{Field: "OriginalUUID", Request: &ebuy.CancelRedemptionRequest{OriginalUUID: "short"}},
				{Field: "SaleRealTimeVerify", Request: &ebuy.CancelRedemptionRequest{OriginalUUID: "20240517-0000000000", SaleRealTimeVerify: "maybe"}},
				{Field: "OriginalVerifyDate", Request: &ebuy.CancelRedemptionRequest{OriginalUUID: "20240517-0000000000",
					OriginalVerifyDate: time.Date(12024, 1, 1, 0, 0, 0, 0, time.UTC)}},
			},
			// The fake: a redemption at its till, cancelled; the code is
			// usable again.
			Fake: func(t *testing.T, f *fixture) (any, any) {
				codes := f.srv.SeedCodes(1, ebuy.StatusUnused)
				redemption, err := f.srv.Redeem("S001", "一店", codes...)
				require.NoError(t, err)
				return &ebuy.CancelRedemptionRequest{OriginalUUID: redemption, Codes: codes},
					ebuy.CancelRedemptionResult{OuterOrderID: "FAKE-ORDER-1", CreateTime: fakeNow}
			},
			After: func(t *testing.T, f *fixture) {
				st, ok := f.srv.Code("1031000000000000001")
				require.True(t, ok)
				assert.Equal(t, ebuy.StatusUnused, st.Status, "redeemed, then cancelled: usable again")
			}},
		// verify-syncVerifyNotify: a Keyed write on cashierTransNo, the
		// till's transaction, with its own uuid.
		{Method: "SyncRedemptions", Key: "20240517000123", Request: &ebuy.SyncRedemptionsRequest{
			UUID: vecUUID, CashierTransNo: "20240517000123", BrandID: "4339", Codes: code1, Scene: "offline",
			Store: ebuy.StoreInfo{CityName: "北京", ShopName: "星巴克北京银泰店", ShopNo: "1490", TerminalID: "54022101"},
		}, Wire: sentContent(t, "sync_redemptions"),
			Answers: []calltest.Answer{{Data: synced, Want: ebuy.SyncRedemptionsResult{Codes: []ebuy.RedeemedCode{{Code: codes2[0], Status: "00"}}}}},
			Missing: []string{calltest.Absent, `{}`, `{"verifyCodeList":[]}`, `{"verifyCodeResultList":[]}`},
			Invalid: []calltest.Invalid{
				{Field: "CashierTransNo", Request: &ebuy.SyncRedemptionsRequest{BrandID: "1", Codes: code1, Scene: "s", Store: ebuy.StoreInfo{ShopNo: "1", ShopName: "n"}}},
				{Field: "Store.ShopName", Request: &ebuy.SyncRedemptionsRequest{CashierTransNo: "t", BrandID: "1", Codes: code1, Scene: "s", Store: ebuy.StoreInfo{ShopNo: "1"}}},
				{Field: "Scene", Request: &ebuy.SyncRedemptionsRequest{CashierTransNo: "t", BrandID: "1", Codes: code1}},
			}},
		// verify-syncVerifyVoidNotify: a Keyed write on its uuid.
		{Method: "CancelSyncedRedemptions", Key: vecUUID, Request: &ebuy.CancelSyncedRedemptionsRequest{UUID: vecUUID,
			CashierTransNo: "20240517000123", Codes: code1, BrandID: "4339", SaleRealTimeVerify: ebuy.No}, Wire: sentContent(t, "cancel_synced"),
			Answers: []calltest.Answer{{Data: syncVoided, Want: ebuy.CancelSyncedRedemptionsResult{Codes: []ebuy.RedeemedCode{{Code: codes2[0], Status: "00"}}}}},
			Missing: []string{calltest.Absent, `{}`, `{"voidNotifyResultBOList":[]}`},
			Invalid: []calltest.Invalid{
				{Field: "CashierTransNo", Request: &ebuy.CancelSyncedRedemptionsRequest{}},
				{Field: "CashierTransNo", Request: &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: long}},
				{Field: "Codes[1]", Request: &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-1", Codes: []string{"a", "a"}}},
				{Field: "BrandID", Request: &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-1", BrandID: ""}},
				{Field: "SaleRealTimeVerify", Request: &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-1", BrandID: "1", SaleRealTimeVerify: "yes"}},
			}},
		// verify-codeVerifyVoidNotify: a Keyed write on requestId, the
		// void's serial number.
		{Method: "VoidMerchantRedemption", Key: "V-20240517-1", Request: &ebuy.VoidMerchantRedemptionRequest{RequestID: "V-20240517-1",
			Code: codes2[0], OriginalRequestID: "R-20240517-1"}, Wire: sentContent(t, "void_merchant"),
			Answers: []calltest.Answer{{Data: voided, Want: ebuy.VoidMerchantRedemptionResult{RequestID: "V-20240517-1", Status: "00",
				StatusDescription: "撤销成功", OrderRemarks: "OO-1"}}},
			Missing: []string{calltest.Absent, `{}`, `{"orderRemarks":"OO-1","status":"","statusDesc":"撤销成功"}`}, Lacks: "status",
			Invalid: []calltest.Invalid{
				{Field: "Code", Request: &ebuy.VoidMerchantRedemptionRequest{}},
				{Field: "RequestID", Request: &ebuy.VoidMerchantRedemptionRequest{RequestID: "has space", Code: "c"}},
				{Field: "VoidTime", Request: &ebuy.VoidMerchantRedemptionRequest{Code: "c", VoidTime: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
			}},
	}
}

// Every call of the registry has a godoc Example (ExampleClient_<Method>).
func TestEveryCallHasAnExample(t *testing.T) {
	missing, err := calltest.MissingExamples(".", ebuy.APIs())
	require.NoError(t, err)
	assert.Empty(t, missing, "calls of ebuy.APIs() without an ExampleClient_<Method>")
}
