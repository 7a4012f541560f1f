package ebuy_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// TestResultsEncodeWithoutTheRawAnswer encodes a result of every typed call
// as JSON: none carries its Meta, so the raw answer (with its sign) is never
// written out with it.
func TestResultsEncodeWithoutTheRawAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	var results []any
	keep := func(v any, err error) {
		t.Helper()
		require.NoError(t, err)
		results = append(results, v)
	}
	made, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "SO-JSON", TicketID: ebuytest.DefaultProductID, Count: 2})
	keep(made, err)
	codes := []string{made.Codes[0].Code, made.Codes[1].Code}
	keep(c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes}))
	keep(c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes[1:]}))
	keep(c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: codes[:1]}))
	keep(c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID}))
	keep(c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]}))
	active := fake.SeedCodes(2, ebuy.StatusUnused)
	keep(c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-JSON-1", Codes: active[:1], Scene: "offline", Store: ebuy.StoreInfo{ShopNo: "1", ShopName: "s"}}))
	id, err := fake.Redeem("1", "s", active[1])
	require.NoError(t, err)
	keep(c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: id}))

	require.Len(t, results, 8)
	for _, r := range results {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "Meta", "%T", r)
		assert.NotContains(t, string(b), "Raw", "%T", r)
		assert.NotContains(t, string(b), "signType", "%T", r)
	}
}
