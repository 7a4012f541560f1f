package ebuy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

func TestLifecycleAgainstFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)

	made, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "SO-1", TicketID: ebuytest.DefaultProductID, Count: 3})
	require.NoError(t, err)
	require.Len(t, made.Codes, 3)
	codes := []string{made.Codes[0].Code, made.Codes[1].Code, made.Codes[2].Code}
	assert.Equal(t, "SO-1", made.Codes[0].SendChannelOrderID)
	assert.NotEmpty(t, made.Codes[0].Password)
	assert.Equal(t, 1, made.Meta.Attempts)
	assert.Equal(t, 200, made.Meta.HTTPStatus)
	assert.NotEmpty(t, made.Meta.RequestID)
	for _, code := range codes {
		st, ok := fake.Code(code)
		require.True(t, ok)
		assert.Equal(t, ebuy.StatusNotActivated, st.Status)
	}

	end := time.Date(2030, 12, 31, 23, 59, 59, 0, beijing)
	act, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes, ValidEnd: end, Funds: &ebuy.Funds{UserRealAmount: 2500}})
	require.NoError(t, err)
	assert.Equal(t, 3, act.Count)
	require.Len(t, act.Codes, 3)
	d := act.Codes[0]
	assert.Equal(t, codes[0], d.Code)
	assert.Equal(t, ebuy.StatusUnused, d.Status)
	assert.Equal(t, "未使用", d.StatusDescription)
	assert.Equal(t, ebuytest.DefaultProductID, d.TicketID)
	assert.Equal(t, "星巴克中杯饮品券", d.TicketName)
	assert.Equal(t, "SO-1", d.OuterOrderID)
	assert.Equal(t, 1, d.UseTimes)
	assert.True(t, d.OK())
	st, _ := fake.Code(codes[0])
	assert.True(t, st.ValidEnd.Equal(end))

	frozen, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes[:2]})
	require.NoError(t, err)
	require.Len(t, frozen.Codes, 2)
	assert.Equal(t, ebuy.StatusFrozen, frozen.Codes[0].Status)
	assert.Equal(t, "已冻结", frozen.Codes[0].StatusDescription)
	assert.True(t, frozen.Codes[0].ValidEnd.Equal(end))
	assert.Len(t, frozen.Chunks, 1)

	_, err = c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateUnfreeze, Codes: codes[:1]})
	require.NoError(t, err)
	st, _ = fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)

	deact, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: codes[:1]})
	require.NoError(t, err)
	assert.Equal(t, ebuy.StatusNotActivated, deact.Codes[0].Status)

	hist, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]})
	require.NoError(t, err)
	var types []string
	for _, r := range hist.Records {
		types = append(types, r.Type)
		assert.Equal(t, codes[0], r.Code)
		assert.Equal(t, "00", r.ReturnCode)
		assert.False(t, r.Time.IsZero())
	}
	assert.Equal(t, []string{"1", "3", "5", "6", "4"}, types)

	p, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.NoError(t, err)
	assert.Equal(t, ebuytest.DefaultProductID, p.ProductID)
	assert.Equal(t, "星巴克中杯饮品券", p.ProductName)
	assert.Equal(t, ebuytest.DefaultBrandID, p.BrandID)
	assert.Equal(t, 1, p.UseTimes)
	assert.Contains(t, string(p.Meta.Raw), `"faceValue":3000`)

	// Redemption reported from a till, then cancelled by its cashierTransNo.
	sync, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-20240517-0001", Codes: codes[2:], Scene: "offline",
		Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "北京银泰店"}})
	require.NoError(t, err)
	require.Len(t, sync.Codes, 1)
	assert.Equal(t, couponkit.Fen(3000), sync.Codes[0].Amount)
	assert.Equal(t, codes[2], sync.Codes[0].Code)
	st, _ = fake.Code(codes[2])
	assert.Equal(t, ebuy.StatusRedeemed, st.Status)

	cancel, err := c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: "T-20240517-9999", Codes: codes[2:]})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ebuy.ErrCodeNotFoundRedemption, e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Nil(t, cancel)

	cancel, err = c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: "T-20240517-0001", Atomic: true})
	require.NoError(t, err)
	assert.Equal(t, "SO-1", cancel.OuterOrderID)
	assert.False(t, cancel.CreateTime.IsZero())
	st, _ = fake.Code(codes[2])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
}

func TestVendorErrorsAreMapped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	voided := fake.SeedCodes(1, ebuy.StatusVoided)

	_, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{UUID: "20240517-unknowncode", Codes: []string{"no-such-code"}})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ebuy.Vendor, e.Vendor)
	assert.Equal(t, "batchUnActivateCode", e.Operation)
	assert.Equal(t, ebuy.ErrCodeNotFound, e.Code)
	assert.Equal(t, "券码不存在[no-such-code]", e.Message)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Equal(t, 200, e.HTTPStatus)
	assert.Equal(t, "20240517-unknowncode", e.RequestID)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))

	_, err = c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: voided})
	var be *ebuy.BatchError
	require.ErrorAs(t, err, &be)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)

	before := fake.RequestCount()
	fake.FailNext("SIGN_CHECK_FAIL", "签名错误")
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultAuth, e.Fault)
	assert.Equal(t, before+1, fake.RequestCount(), "an auth fault is not retried")

	fake.FailNext("SOMETHING_ODD", "?")
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultUnknown, e.Fault)
	assert.Equal(t, "SOMETHING_ODD", e.Code)
}

func TestCredentialsRefusedByFake(t *testing.T) {
	t.Parallel()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	for name, cfg := range map[string]ebuy.Config{
		"secret": {Gateway: fake.URL(), AppID: ebuytest.DefaultAppID, AppSecret: "wrong-secret"},
		"appId":  {Gateway: fake.URL(), AppID: "someone-else", AppSecret: ebuytest.DefaultAppSecret},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := ebuy.NewClient(cfg, couponkit.WithHTTPClient(fake.Client()))
			require.NoError(t, err)
			defer c.Close()
			_, err = c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, couponkit.FaultAuth, e.Fault)
			assert.NotContains(t, err.Error(), "wrong-secret")
		})
	}
}
