package houcaller_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// roundTrip encodes v with encoding/json, decodes the text into a new T and
// encodes that again: a result a program stores as JSON and reads back must
// come back the same, by its Go names.
func roundTrip[T any](t *testing.T, v *T) (first, again string, back *T) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	back = new(T)
	require.NoError(t, json.Unmarshal(b, back), "%s", b)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	return string(b), string(b2), back
}

// Every result of a typed call round-trips through encoding/json by its Go
// names: the vendor's spellings (cpnId, payAmt, epoch times) stay in the
// package's private wire types.
func TestResultsRoundTripThroughJSON(t *testing.T) {
	t.Parallel()
	c, srv, clk := inMemory(t, houcallertest.Config{Shape: houcallertest.DataBoth})
	ctx := context.Background()

	sale, err := c.SellCard(ctx, exampleSale())
	require.NoError(t, err)
	require.NotNil(t, sale.Card)
	first, again, back := roundTrip(t, sale)
	assert.Equal(t, first, again)
	assert.Contains(t, first, `"Coupons":[{"CouponID":"L68F353AD0019","Codes":["HKC0000000002","HKC0000000003","HKC0000000004"]}]`)
	assert.NotContains(t, first, "cpnId")
	assert.Equal(t, couponkit.Fen(1122), back.Card.PayAmount)
	assert.True(t, sale.Card.SaleTime.Equal(back.Card.SaleTime))
	assert.Equal(t, sale.Card.Products[0].UsesPerCycle, back.Card.Products[0].UsesPerCycle)

	require.True(t, srv.UseCoupon(sale.Codes()[0], "ORD-1", "1504", clk.Now()))
	coupons, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "L38E1ASJP00Q4"})
	require.NoError(t, err)
	first, again, backCoupons := roundTrip(t, coupons)
	assert.Equal(t, first, again)
	assert.Equal(t, houcaller.CouponRedeemed, backCoupons.Coupons[0].Status)

	last, err := c.LastSentCoupon(ctx, &houcaller.LastSentCouponRequest{MemberID: "L38E1ASJP00Q4", CouponID: "L68F353AD0019"})
	require.NoError(t, err)
	first, again, _ = roundTrip(t, last)
	assert.Equal(t, first, again)

	rec, err := c.RecordConsumption(ctx, exampleConsumption())
	require.NoError(t, err)
	first, again, backRec := roundTrip(t, rec)
	assert.Equal(t, first, again)
	assert.Equal(t, couponkit.Fen(3000), backRec.Amount)

	srv.AddMember(houcallertest.Member{ID: "K1H93QDKI00B7", Phone: "13800138000"})
	gift, err := c.GiftCoupons(ctx, &houcaller.GiftCouponsRequest{MemberID: "L38E1ASJP00Q4", Phone: "13800138000", CouponCodes: sale.Codes()[1:2]})
	require.NoError(t, err)
	first, again, backGift := roundTrip(t, gift)
	assert.Equal(t, first, again)
	assert.Equal(t, houcaller.GiftAccepted, backGift.Gifts[0].Status)
	assert.NotContains(t, first, "cpnCode")

	srv.AddStoredValueCard("L38E1ASJP00Q4", houcaller.StoredValueCard{CardNo: "9590004727313", FaceValue: 100000, Balance: 55050, Giftable: true})
	cards, err := c.MemberStoredValueCards(ctx, &houcaller.StoredValueCardsRequest{MemberID: "L38E1ASJP00Q4"})
	require.NoError(t, err)
	first, again, backCards := roundTrip(t, cards)
	assert.Equal(t, first, again)
	assert.Equal(t, couponkit.Fen(55050), backCards.Cards[0].Balance)

	srv.SetPromotion("", "958", []houcaller.PromotionCoupon{{ID: "JCUG0K10A53U8", Name: "CAS调研薯条免费券"}})
	promo, err := c.PromotionCoupons(ctx, &houcaller.PromotionCouponsRequest{CardType: "958"})
	require.NoError(t, err)
	first, again, _ = roundTrip(t, promo)
	assert.Equal(t, first, again)

	page, err := c.PointsLedgerPage(ctx, &houcaller.PointsPageRequest{Member: exampleConsumption().MemberID, Month: exampleConsumption().BizDate})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	first, again, backPage := roundTrip(t, page)
	assert.Equal(t, first, again)
	assert.Equal(t, "1234567890123", backPage.Records[0].OrderID)
	assert.NotContains(t, first, "srcId")
}
