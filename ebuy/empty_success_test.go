package ebuy_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/transport"
)

// emptyCall is one typed call with the success answers that lack what it
// exists for.
type emptyCall struct {
	name string
	cfg  ebuy.Config
	// write is true for a write, whose outcome is then unknown with key;
	// attempts is how many requests it makes (3 for a Keyed write or a
	// read, 1 for an Unsafe write).
	write    bool
	key      string
	keyOf    func(testing.TB, []byte) string
	attempts int
	// contents are the answers' contents, written from the call's page with
	// what the call exists for left out ("" leaves content out).
	contents []string
	call     func(context.Context, *ebuy.Client) error
}

var emptyCalls = []emptyCall{
	{name: "ActivateCodes", write: true, key: "20240517-empty-activate", keyOf: uuidOf, attempts: 3,
		contents: []string{"", "null", `{}`, `{"codeNum":0,"createDate":1715911200000}`, `{"activeCodeDetails":[],"codeNum":0,"createDate":1715911200000}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: "20240517-empty-activate", Codes: []string{"1031000000000000001"}})
			return err
		}},
	{name: "DeactivateCodes", cfg: ebuy.Config{BrandID: "4339"}, write: true, key: "20240517-empty-deactivate", keyOf: uuidOf, attempts: 3,
		contents: []string{"", `{}`, `{"codeNum":0,"createDate":1715911200000}`, `{"activeCodeDetails":null,"codeNum":"0"}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{UUID: "20240517-empty-deactivate", Codes: []string{"1031000000000000001"}})
			return err
		}},
	{name: "UpdateCodeStatus", write: true, key: "20240517-empty-freeze", keyOf: uuidOf, attempts: 3,
		contents: []string{"", `{}`, `{"codeStatusList":null}`, `{"codeStatusList":[]}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{UUID: "20240517-empty-freeze", Type: ebuy.UpdateFreeze, Codes: []string{"1031000000000000001"}})
			return err
		}},
	{name: "UpdateCodeStatus partial", write: true, key: "20240517-empty-partial", keyOf: uuidOf, attempts: 3,
		contents: []string{"", `{}`, `{"codeStatusList":null}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{UUID: "20240517-empty-partial", Type: ebuy.UpdateFreeze,
				Codes: []string{"1031000000000000001"}, SupportPartial: true})
			return err
		}},
	{name: "ThirdBatchMake", write: true, key: "20240517-empty-make", keyOf: uuidOf, attempts: 3,
		contents: []string{"", `{}`, `{"requestId":"R-1","returnCode":"00","returnMsg":"SUCCESS"}`,
			`{"requestId":"R-1","returnCode":"00","returnMsg":"SUCCESS","thirdCodeFamilySet":[]}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{UUID: "20240517-empty-make", SaleChannelOrderID: "SO-E", TicketID: 1031000000010741, Count: 1})
			return err
		}},
	{name: "MakeCodes", write: true, key: "OO-E", keyOf: contentKeyOf("outerOrderId"), attempts: 1,
		contents: []string{"", `{}`, `{"item":{"codeDetail":[],"validEnd":"20240817235959"},"outerOrderId":"OO-E"}`,
			`{"items":[{"codeDetails":[],"returnCode":"00","returnMessage":"成功"}],"outerOrderId":"OO-E"}`,
			`{"items":[{"codeCount":1,"returnCode":"99","returnMessage":"制码中"}],"outerOrderId":"OO-E"}`,
			`{"item":{"codeDetail":[{"code":"C1","codeSearch":"S1"}]},"outerOrderId":"OO-OTHER"}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{UUID: vecUUID, OuterOrderID: "OO-E", TicketID: 1031000000010741, Count: 1})
			return err
		}},
	{name: "MakeCodes keyed", cfg: ebuy.Config{MakeCodesDeduplicates: true}, write: true, key: "OO-E", keyOf: contentKeyOf("outerOrderId"), attempts: 3,
		contents: []string{"", `{}`, `{"items":[{"codeDetails":[]}],"outerOrderId":"OO-E"}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{UUID: vecUUID, OuterOrderID: "OO-E", TicketID: 1031000000010741, Count: 1})
			return err
		}},
	{name: "ProductDetail", attempts: 3,
		contents: []string{"", `{}`, `{"productName":"星巴克中杯饮品券","productType":"merchandiseCoupon"}`, `{"productId":1031000000010999,"productName":"另一个产品"}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
			return err
		}},
	{name: "CodeHistory", attempts: 3,
		contents: []string{"", `{}`, `{"requestId":"1754016596841","returnCode":"00","transTime":1754016597099}`, `{"returnCode":"00","returnData":null}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: "1006250730320020870=gHN3981K"})
			return err
		}},
	{name: "CancelRedemption", write: true, key: "20240517-empty-cancel", keyOf: uuidOf, attempts: 3,
		contents: []string{"", `{}`, `{"outerOrderId":"","createTime":null}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{UUID: "20240517-empty-cancel", OriginalUUID: "20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
			return err
		}},
	{name: "SyncRedemptions", cfg: ebuy.Config{BrandID: "4339"}, write: true, key: "T-EMPTY-1", keyOf: cashierTransNoOf, attempts: 3,
		contents: []string{"", `{}`, `{"verifyCodeList":[]}`, `{"verifyCodeResultList":[]}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-EMPTY-1", Codes: []string{"1031000000000000001"},
				Scene: "offline", Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "星巴克北京银泰店"}})
			return err
		}},
	{name: "CancelSyncedRedemptions", cfg: ebuy.Config{BrandID: "4339"}, write: true, key: "20240517-empty-syncvoid", keyOf: uuidOf, attempts: 3,
		contents: []string{"", `{}`, `{"voidNotifyResultBOList":[]}`,
			`{"voidNotifyResultBOList":[{"amount":3000,"code":"1031000000000000009","status":"00","statusDesc":"撤销成功","ticketId":1031000000010741,"ticketName":"星巴克中杯饮品券"}]}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{UUID: "20240517-empty-syncvoid", CashierTransNo: "T-EMPTY-1",
				Codes: []string{"1031000000000000001"}})
			return err
		}},
	{name: "VoidMerchantRedemption", write: true, key: "V-EMPTY-1", keyOf: contentKeyOf("requestId"), attempts: 3,
		contents: []string{"", `{}`, `{"orderRemarks":"OO-1","status":"","statusDesc":"撤销成功"}`},
		call: func(ctx context.Context, c *ebuy.Client) error {
			_, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{RequestID: "V-EMPTY-1", Code: "1031000000000000001"})
			return err
		}},
}

// TestSuccessWithoutWhatTheCallIsForIsUnreadable sends every typed call a
// verified success answer whose content lacks what the call exists for:
// a write ends, after its Keyed retries (or at once when Unsafe), in an
// unknown outcome carrying its key, every attempt with that key; a read is
// retried and then fails as unreadable. Never a success with nothing in it.
func TestSuccessWithoutWhatTheCallIsForIsUnreadable(t *testing.T) {
	t.Parallel()
	for _, tc := range emptyCalls {
		for i, content := range tc.contents {
			t.Run(fmt.Sprintf("%s/%d", tc.name, i), func(t *testing.T) {
				t.Parallel()
				c, _, cp := mockClient(t, tc.cfg, func(req []byte) (int, []byte) { return 200, envelopeSuccess(t, req, content) },
					couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
				err := tc.call(context.Background(), c)
				require.Error(t, err, "content %s", content)
				assert.True(t, transport.IsUnreadable(err), "the answer is unreadable: %v", err)
				bodies := cp.Bodies()
				require.Len(t, bodies, tc.attempts)
				if !tc.write {
					assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
					return
				}
				require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
				key, ok := couponkit.IdempotencyKey(err)
				require.True(t, ok)
				assert.Equal(t, tc.key, key)
				for _, b := range bodies {
					assert.Equal(t, tc.key, tc.keyOf(t, b), "every attempt carries the key")
					assert.Equal(t, field(t, bodies[0], "uuid"), field(t, b, "uuid"))
				}
			})
		}
	}
}

// TestLegitimateEmptyAnswersStayReadable checks the answers that carry
// little but are definite: a supportPartial update that updated no code, a
// batch whose codes e-Buy lists as refused (the call table reads a history
// without records and an activation counted without details).
func TestLegitimateEmptyAnswersStayReadable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	codes := []string{"1031000000000000001", "1031000000000000002"}
	t.Run("partial update of no code", func(t *testing.T) {
		t.Parallel()
		c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, envelopeSuccess(t, req, `{"codeStatusList":[]}`) })
		res, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes, SupportPartial: true})
		var be *ebuy.BatchError
		require.ErrorAs(t, err, &be)
		assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "e-Buy answered for every code")
		require.Len(t, be.Failed, 2)
		assert.Len(t, res.Failed(), 2)
		assert.Len(t, cp.Bodies(), 1)
	})
	t.Run("deactivation with every code refused", func(t *testing.T) {
		t.Parallel()
		c, _, cp := mockClient(t, ebuy.Config{BrandID: "4339"}, func(req []byte) (int, []byte) {
			return 200, envelopeSuccess(t, req, `{"codeNum":0,"createDate":1715911200000,"activeCodeDetails":[`+
				`{"codeSecret":"1031000000000000001","codeSearch":"00000001","resultCode":"91","resultMessage":"该码已使用","codeStatus":"01","codeStatusDesc":"已使用","useTimes":"1","ticketId":"1031000000010741","ticketName":"星巴克中杯饮品券","outerOrderId":"OO-1"},`+
				`{"codeSecret":"1031000000000000002","codeSearch":"00000002","resultCode":"91","resultMessage":"该码已使用","codeStatus":"01","codeStatusDesc":"已使用","useTimes":"1","ticketId":"1031000000010741","ticketName":"星巴克中杯饮品券","outerOrderId":"OO-1"}]}`)
		})
		res, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: codes})
		var be *ebuy.BatchError
		require.ErrorAs(t, err, &be)
		assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
		var ce *couponkit.Error
		require.True(t, errors.As(be.Failed[0].Err, &ce))
		assert.Equal(t, "91", ce.Code)
		assert.Equal(t, 0, res.Count)
		assert.Len(t, cp.Bodies(), 1)
	})
}
