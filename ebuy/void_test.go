package ebuy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// The expected contents below are written by hand from e-Buy's field tables:
// verify-syncVerifyVoidNotify (page 9de6d: originalUuid, codes,
// supportSaleRealTimeVerify, branId), verify-codeVerifyVoidNotify (page
// 6c988: requestId, originalRequestId, voidTime, code) and makeCode (the
// signing page's example: item{ticketId, codeCount, outerOrderItemId},
// remark, outerOrderId), keys in ASCII order.
func TestNewCallsWireBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name, path, action, content string
		cfg                         ebuy.Config
		answer                      string
		call                        func(c *ebuy.Client) error
	}{
		{name: "cancel synced", path: "/paas/micro/ecoupon/verify-syncVerifyVoidNotify", action: "codeVerifyVoidNotify",
			content: `{"branId":"4339","codes":["1031000000000000001"],"originalUuid":"T20240517-0001","supportSaleRealTimeVerify":"N"}`,
			cfg:     ebuy.Config{BrandID: "4339"},
			answer:  `{"createTime":1715911200000,"outerOrderId":"OO-1","voidNotifyResultBOList":[{"amount":3000,"code":"1031000000000000001","status":"00","statusDesc":"撤销成功","ticketId":1031000000010741,"ticketName":"星巴克中杯饮品券"}]}`,
			call: func(c *ebuy.Client) error {
				res, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{UUID: vecUUID, CashierTransNo: "T20240517-0001",
					Codes: []string{"1031000000000000001"}, SaleRealTimeVerify: ebuy.No})
				if err == nil {
					assert.Equal(t, []ebuy.RedeemedCode{{Code: "1031000000000000001", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券", Amount: 3000, Status: "00", StatusDescription: "撤销成功"}}, res.Codes)
					assert.Equal(t, "OO-1", res.OuterOrderID)
					assert.True(t, res.CreateTime.Equal(vecTime))
				}
				return err
			}},
		{name: "cancel synced, brandId", path: "/paas/micro/ecoupon/verify-syncVerifyVoidNotify", action: "codeVerifyVoidNotify",
			content: `{"brandId":"88","originalUuid":"T20240517-0001"}`,
			cfg:     ebuy.Config{SyncVoidBrandKey: "brandId"},
			answer:  `{"voidNotifyResultBOList":[{"code":"1031000000000000001","status":"00"}]}`,
			call: func(c *ebuy.Client) error {
				_, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{UUID: vecUUID, CashierTransNo: "T20240517-0001", BrandID: "88"})
				return err
			}},
		{name: "void merchant", path: "/paas/micro/ecoupon/verify-codeVerifyVoidNotify", action: "codeVerifyVoidNotify",
			content: `{"code":"1031000000000000001","originalRequestId":"R-0001","requestId":"V-0001","voidTime":"20240517100000"}`,
			answer:  `{"orderRemarks":"OO-1","status":"00","statusDesc":"撤销成功"}`,
			call: func(c *ebuy.Client) error {
				res, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{RequestID: "V-0001", Code: "1031000000000000001",
					OriginalRequestID: "R-0001", VoidTime: vecTime})
				if err == nil {
					assert.Equal(t, "V-0001", res.RequestID)
					assert.Equal(t, "00", res.Status)
					assert.Equal(t, "撤销成功", res.StatusDescription)
					assert.Equal(t, "OO-1", res.OrderRemarks)
				}
				return err
			}},
		{name: "make codes", path: "/paas/micro/ecoupon/makeCode", action: "makeCode",
			content: `{"item":{"codeCount":2,"outerOrderItemId":"OI-1","ticketId":1031000000010741},"outerOrderId":"OO-1","remark":"api_mock"}`,
			answer:  `{"item":{"codeDetail":[{"code":"C1","codeSearch":"S1","password":"P1"}],"validEnd":"20240817235959","validStart":"20240517100000"},"outerOrderId":"OO-1"}`,
			call: func(c *ebuy.Client) error {
				res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{UUID: vecUUID, OuterOrderID: "OO-1", OuterOrderItemID: "OI-1", TicketID: 1031000000010741, Count: 2, Remark: "api_mock"})
				if err == nil {
					assert.Equal(t, []ebuy.IssuedCode{{Code: "C1", SearchCode: "S1", Password: "P1"}}, res.Codes)
					assert.True(t, res.ValidStart.Equal(vecTime))
					assert.Equal(t, time.Date(2024, 8, 17, 23, 59, 59, 0, beijing).Unix(), res.ValidEnd.Unix())
				}
				return err
			}},
		{name: "make codes, item id defaults to the order, path configured", path: "/paas/micro/ecoupon/channel-makeCode", action: "makeCode",
			content: `{"item":{"codeCount":1,"outerOrderItemId":"OO-2","ticketId":1031000000010741},"outerOrderId":"OO-2"}`,
			cfg:     ebuy.Config{MakeCodesPath: "channel-makeCode"},
			answer:  `{"item":{"codeDetail":[{"code":"C1"}]}}`,
			call: func(c *ebuy.Client) error {
				_, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{UUID: vecUUID, OuterOrderID: "OO-2", TicketID: 1031000000010741, Count: 1})
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, cp := mockClient(t, tc.cfg, func(req []byte) (int, []byte) { return 200, signedAnswer(t, req, vecKey, tc.answer) })
			require.NoError(t, tc.call(c))
			bodies := cp.Bodies()
			require.Len(t, bodies, 1)
			assert.Equal(t, vecGW+tc.path, cp.urls[0])
			assert.Equal(t, tc.action, field(t, bodies[0], "action"))
			assert.Equal(t, tc.content, field(t, bodies[0], "content"))
			assert.Contains(t, string(bodies[0]), `"content":`+tc.content+`,`, "content is sent as the exact text signed")
		})
	}
}

func TestCancelSyncedRedemptionsRestoresTheCodes(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	ctx := context.Background()
	codes := fake.SeedCodes(3, ebuy.StatusUnused)
	_, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-REFUND-1", Codes: codes, Scene: "offline",
		Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "南京西路店"}})
	require.NoError(t, err)

	// Take back one code, then the rest.
	res, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-REFUND-1", Codes: codes[:1]})
	require.NoError(t, err)
	require.Len(t, res.Codes, 1)
	assert.Equal(t, codes[0], res.Codes[0].Code)
	st, _ := fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
	assert.Equal(t, []string{"1", "2", "9"}, st.History, "made, redeemed, redemption taken back")
	st, _ = fake.Code(codes[1])
	assert.Equal(t, ebuy.StatusRedeemed, st.Status)

	res, err = c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-REFUND-1"})
	require.NoError(t, err)
	assert.Len(t, res.Codes, 2)
	for _, code := range codes {
		st, _ := fake.Code(code)
		assert.Equal(t, ebuy.StatusUnused, st.Status, code)
	}

	// Taken back, the codes can be redeemed again.
	_, err = c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-REFUND-2", Codes: codes, Scene: "offline",
		Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "南京西路店"}})
	require.NoError(t, err)

	// Nothing left to take back under the first number.
	_, err = c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-REFUND-1"})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, ce.Code)
}

func TestVoidMerchantRedemptionRestoresTheCode(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	ctx := context.Background()
	codes := fake.SeedCodes(2, ebuy.StatusUnused)
	id, err := fake.Redeem("1490", "shop", codes...)
	require.NoError(t, err)

	res, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{Code: codes[1], OriginalRequestID: id})
	require.NoError(t, err)
	assert.NotEmpty(t, res.RequestID, "a generated requestId is reported")
	st, _ := fake.Code(codes[1])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
	st, _ = fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusRedeemed, st.Status, "only the code named is voided")

	// Without originalRequestId e-Buy voids the code's latest redemption.
	_, err = c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{Code: codes[0]})
	require.NoError(t, err)
	st, _ = fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)

	// Repeating a requestId is answered from e-Buy's record, not applied again.
	again, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{RequestID: res.RequestID, Code: codes[1], OriginalRequestID: id})
	require.NoError(t, err)
	assert.Equal(t, res.Status, again.Status)
	st, _ = fake.Code(codes[1])
	assert.Equal(t, []string{"1", "2", "9"}, st.History)
}

func TestNewKeyedWritesKeepTheirKeyOnRetry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		keyOf func(testing.TB, []byte) string
		call  func(fake *ebuytest.Server, c *ebuy.Client) error
	}{
		{name: "CancelSyncedRedemptions", keyOf: uuidOf, call: func(fake *ebuytest.Server, c *ebuy.Client) error {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			require.NoError(t, fake.RedeemAtTill("T-RETRY-1", "1490", "shop", codes...))
			_, err := c.CancelSyncedRedemptions(context.Background(), &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-RETRY-1"})
			return err
		}},
		{name: "VoidMerchantRedemption", keyOf: contentKeyOf("requestId"), call: func(fake *ebuytest.Server, c *ebuy.Client) error {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			_, err := fake.Redeem("1490", "shop", codes...)
			require.NoError(t, err)
			_, err = c.VoidMerchantRedemption(context.Background(), &ebuy.VoidMerchantRedemptionRequest{Code: codes[0]})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, c, _ := fakeClient(t)
			fake.FailNextHTTP(503, gatewayDown)
			fake.DropNextAfterWrite()
			require.NoError(t, tc.call(fake, c))
			reqs := fake.Requests()
			require.Len(t, reqs, 3)
			key := tc.keyOf(t, reqs[0].Body)
			require.NotEmpty(t, key)
			for _, r := range reqs {
				assert.Equal(t, key, tc.keyOf(t, r.Body))
				assert.Equal(t, field(t, reqs[0].Body, "uuid"), field(t, r.Body, "uuid"))
			}
		})
	}
}

func TestMakeCodesIssuesActiveCodesOnce(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	ctx := context.Background()
	res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "WX-20240517-1", TicketID: ebuytest.DefaultProductID, Count: 3})
	require.NoError(t, err)
	require.Len(t, res.Codes, 3)
	order, ok := fake.Order("WX-20240517-1")
	require.True(t, ok)
	got := []string{res.Codes[0].Code, res.Codes[1].Code, res.Codes[2].Code}
	assert.Equal(t, order, got, "the codes issued are the order's")
	for _, code := range got {
		st, _ := fake.Code(code)
		assert.Equal(t, ebuy.StatusUnused, st.Status, "issued codes are usable")
		assert.Equal(t, "WX-20240517-1", st.OuterOrderID)
	}
	h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: got[0]})
	require.NoError(t, err)
	assert.NotEmpty(t, h.Records)

	// e-Buy publishes no de-duplication of outerOrderId for 4.1: the fake,
	// unless configured with 4.0's rule, issues again like a gateway
	// without it. This is why MakeCodes is Unsafe by default.
	_, err = c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "WX-20240517-1", TicketID: ebuytest.DefaultProductID, Count: 3})
	require.NoError(t, err)
	order, _ = fake.Order("WX-20240517-1")
	assert.Len(t, order, 6)
}

func TestMakeCodesIsSentOnceAndReportsItsOrder(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	fake.FailNextHTTP(503, gatewayDown)
	_, err := c.MakeCodes(context.Background(), &ebuy.MakeCodesRequest{OuterOrderID: "WX-UNKNOWN", TicketID: ebuytest.DefaultProductID, Count: 1})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, "WX-UNKNOWN", key)
	assert.Equal(t, 1, fake.RequestCount(), "an Unsafe write is not repeated")
}

// TestNewCallsValidateBeforeSending checks that the newer calls refuse a
// nil request before sending, and NewClient a Config that would misplace
// them (the call table refuses their other bad requests).
func TestNewCallsValidateBeforeSending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		field string
		call  func(c *ebuy.Client) error
	}{
		{"CancelSyncedRedemptionsRequest", func(c *ebuy.Client) error { _, err := c.CancelSyncedRedemptions(ctx, nil); return err }},
		{"VoidMerchantRedemptionRequest", func(c *ebuy.Client) error { _, err := c.VoidMerchantRedemption(ctx, nil); return err }},
		{"MakeCodesRequest", func(c *ebuy.Client) error { _, err := c.MakeCodes(ctx, nil); return err }},
	}
	for _, tc := range cases {
		c, _, cp := mockClient(t, ebuy.Config{}, func([]byte) (int, []byte) { return 500, nil })
		err := tc.call(c)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.Empty(t, cp.Bodies(), "%s: nothing sent", tc.field)
	}
	for _, cfg := range []ebuy.Config{{SyncVoidBrandKey: "a&b"}, {MakeCodesPath: "a/b"}} {
		cfg.Gateway, cfg.AppID, cfg.AppSecret = vecGW, vecApp, vecKey
		_, err := ebuy.NewClient(cfg)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
	}
}
