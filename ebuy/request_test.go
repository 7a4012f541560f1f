package ebuy_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/testclock"
)

// TestVectorsAreSelfConsistent recomputes each stored sign from its stored
// payload with crypto/sha256, so a hand edit of testdata cannot go unnoticed.
func TestVectorsAreSelfConsistent(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"testdata/requests/payloads.txt", "testdata/responses/payloads.txt", "testdata/notifications/payloads.txt"} {
		for name, v := range readVectors(t, path) {
			sum := sha256.Sum256([]byte(v.payload))
			assert.Equal(t, v.sign, hex.EncodeToString(sum[:]), name)
		}
	}
}

// TestRequestWireBodies checks every call's exact body against the bodies in
// testdata/requests, whose signs were computed with sha256sum (testdata/gen.sh).
func TestRequestWireBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	codes2 := []string{"1031000000000000001", "1031000000000000002"}
	// Each answer is the least content its page prints for a success.
	product := `{"productId":1031000000010741,"productName":"星巴克中杯饮品券"}`
	cases := []struct {
		name   string
		cfg    ebuy.Config
		answer string
		call   func(c *ebuy.Client) error
	}{
		{name: "activate", answer: `{"codeNum":2,"createDate":1715911200000}`, call: func(c *ebuy.Client) error {
			_, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{
				UUID: vecUUID, Codes: codes2,
				ValidStart: time.Date(2024, 5, 17, 0, 0, 0, 0, beijing),
				ValidEnd:   time.Date(2024, 12, 31, 15, 59, 59, 0, time.UTC), // 23:59:59 in Beijing
				Activation: &ebuy.ActivateInfo{Org: "上海", ShopNo: "S001"},
				Funds:      &ebuy.Funds{MerchantBenefit: 500, MerchantRealAmount: 2500, UserRealAmount: 2500},
			})
			return err
		}},
		{name: "deactivate", cfg: ebuy.Config{BrandID: "4339"}, answer: `{"activeCodeDetails":[{"codeSecret":"1031000000000000001","resultCode":"00"}],"codeNum":1}`, call: func(c *ebuy.Client) error {
			_, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{UUID: vecUUID, Codes: codes2[:1]})
			return err
		}},
		{name: "update_delay", answer: `{"codeStatusList":[{"code":"1031000000000000001","currentStatus":"00"},{"code":"1031000000000000002","currentStatus":"00"}]}`, call: func(c *ebuy.Client) error {
			_, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{
				UUID: vecUUID, Type: ebuy.UpdateDelay, Codes: codes2, BrandID: "4339",
				ValidEnd: time.Date(2025, 1, 1, 0, 0, 0, 0, beijing), Notify: true,
				NotifyType: ebuy.NotifySaleChannel, SupportPartial: true,
			})
			return err
		}},
		{name: "third_batch_make", answer: `{"requestId":"R-1","returnCode":"00","returnMsg":"SUCCESS","thirdCodeFamilySet":[{"code":"C1"}]}`, call: func(c *ebuy.Client) error {
			_, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{
				UUID: vecUUID, SaleChannelOrderID: "SO-20240517-1", TicketID: 1031000000010741, Count: 2,
				ValidEnd: time.Date(2024, 12, 31, 23, 59, 59, 0, beijing), FaceValue: 3000, BrandSalePrice: 2800,
				Funds:       &ebuy.Funds{TotalAmount: 6000, UserRealAmount: 5600},
				OrderRemark: "<生日>&礼券", ThirdUserID: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", UserMobile: "13800000000", UseTimes: 1,
			})
			return err
		}},
		{name: "product_detail", answer: product, call: func(c *ebuy.Client) error {
			_, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
			return err
		}},
		{name: "code_history", answer: `{"returnCode":"00","returnData":[]}`, call: func(c *ebuy.Client) error {
			_, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: "1006250730320020870=gHN3981K"})
			return err
		}},
		{name: "cancel_redemption", answer: `{"createTime":1715911200000,"outerOrderId":"OO-1"}`, call: func(c *ebuy.Client) error {
			_, err := c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{
				UUID: vecUUID, OriginalUUID: "20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				OriginalVerifyDate: time.Date(2024, 5, 17, 9, 0, 0, 0, beijing), Codes: codes2[:1], Atomic: true,
			})
			return err
		}},
		{name: "sync_redemptions", cfg: ebuy.Config{BrandID: "4339"}, answer: `{"verifyCodeList":[{"code":"1031000000000000001","status":"00"}]}`, call: func(c *ebuy.Client) error {
			_, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{
				UUID: vecUUID, CashierTransNo: "20240517000123", Codes: codes2[:1], Scene: "offline",
				Store: ebuy.StoreInfo{CityName: "北京", ShopName: "星巴克北京银泰店", ShopNo: "1490", TerminalID: "54022101"},
			})
			return err
		}},
		{name: "make_codes", answer: `{"item":{"codeDetail":[{"code":"C1","codeSearch":"S1"}]},"outerOrderId":"OO-20240517-1"}`, call: func(c *ebuy.Client) error {
			_, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{UUID: vecUUID, OuterOrderID: "OO-20240517-1", TicketID: 1031000000010741, Count: 2, Remark: "<生日>&礼券"})
			return err
		}},
		{name: "cancel_synced", cfg: ebuy.Config{BrandID: "4339"}, answer: `{"voidNotifyResultBOList":[{"code":"1031000000000000001","status":"00"}]}`, call: func(c *ebuy.Client) error {
			_, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{UUID: vecUUID, CashierTransNo: "20240517000123",
				Codes: codes2[:1], SaleRealTimeVerify: ebuy.No})
			return err
		}},
		{name: "void_merchant", answer: `{"orderRemarks":"OO-1","status":"00","statusDesc":"撤销成功"}`, call: func(c *ebuy.Client) error {
			_, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{RequestID: "V-20240517-1", Code: codes2[0], OriginalRequestID: "R-20240517-1"})
			return err
		}},
		{name: "product_detail_headers_unsigned", cfg: ebuy.Config{Headers: ebuy.HeadersUnsigned}, answer: product, call: func(c *ebuy.Client) error {
			_, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
			return err
		}},
		{name: "product_detail_headers_omitted", cfg: ebuy.Config{Headers: ebuy.HeadersOmitted}, answer: product, call: func(c *ebuy.Client) error {
			_, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, err := os.ReadFile("testdata/requests/" + tc.name + ".json")
			require.NoError(t, err)
			tc.cfg.NewKey = func(time.Time) string { return vecUUID }
			c, _, cp := mockClient(t, tc.cfg, func(req []byte) (int, []byte) { return 200, signedAnswer(t, req, vecKey, tc.answer) })
			require.NoError(t, tc.call(c))
			bodies := cp.Bodies()
			require.Len(t, bodies, 1)
			assert.Equal(t, string(want), string(bodies[0]))
		})
	}
}

// TestRequestURLAndHeaders checks the endpoint and Content-Type of a call.
func TestRequestURLAndHeaders(t *testing.T) {
	t.Parallel()
	c, _, cp := mockClient(t, ebuy.Config{Gateway: vecGW + "/"}, func(req []byte) (int, []byte) { return 200, signedAnswer(t, req, vecKey, `{"productId":7}`) })
	_, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: 7})
	require.NoError(t, err)
	require.Len(t, cp.urls, 1)
	assert.Equal(t, vecGW+"/paas/micro/ecoupon/_getBrandProductDetailDirect", cp.urls[0])
}

// TestUUIDGeneratedPerCall checks that a call without a UUID gets a fresh
// yyyyMMdd-<32 hex> uuid dated in Beijing time.
func TestUUIDGeneratedPerCall(t *testing.T) {
	t.Parallel()
	// 2024-05-16 20:00 UTC is already 2024-05-17 in Beijing.
	clock := testclock.New(time.Date(2024, 5, 16, 20, 0, 0, 0, time.UTC))
	c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, signedAnswer(t, req, vecKey, `{"productId":7}`) }, couponkit.WithClock(clock))
	for range 2 {
		_, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: 7})
		require.NoError(t, err)
	}
	bodies := cp.Bodies()
	require.Len(t, bodies, 2)
	u1, u2 := field(t, bodies[0], "uuid"), field(t, bodies[1], "uuid")
	assert.Regexp(t, `^20240517-[0-9a-f]{32}$`, u1)
	assert.NotEqual(t, u1, u2)
}
