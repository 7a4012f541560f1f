package houcaller_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/transport"
)

// The fake moves the coupons: to the member with the phone at once, or to a
// pending gift (the giver's coupon being given, status 7) that a member
// registering the phone accepts. A coupon already given is refused, and
// nothing of that request moves.
func TestGiftCouponsMovesCouponsInTheFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	sale, err := c.SellCard(ctx, exampleSale()) // three coupons of L68F353AD0019 to L38E1ASJP00Q4
	require.NoError(t, err)
	codes := sale.Codes()
	giver := exampleSale().MemberID
	srv.AddMember(houcallertest.Member{ID: "K1H93QDKI00B7", Phone: "13800138000"})

	res, err := c.GiftCoupons(ctx, &houcaller.GiftCouponsRequest{MemberID: giver, Phone: "13800138000", CouponCodes: codes[:1], Message: "生日快乐"})
	require.NoError(t, err)
	require.Len(t, res.Gifts, 1)
	assert.Equal(t, houcaller.GiftAccepted, res.Gifts[0].Status)
	assert.Equal(t, codes[0], res.Gifts[0].Code)
	assert.Equal(t, "K1H93QDKI00B7", res.Gifts[0].ToMemberID)
	assert.Equal(t, giver, res.Gifts[0].FromMemberID)
	assert.Equal(t, "生日快乐", res.Gifts[0].Message)
	assert.Empty(t, res.Unconfirmed)
	held, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "K1H93QDKI00B7"})
	require.NoError(t, err)
	require.Len(t, held.Coupons, 1)
	assert.Equal(t, codes[0], held.Coupons[0].Code)

	// To a phone no member has: pending, by coupon item.
	res, err = c.GiftCoupons(ctx, &houcaller.GiftCouponsRequest{MemberID: giver, Phone: "13900139000", CouponIDs: []string{houcallertest.DefaultCardInfoID}})
	require.NoError(t, err)
	require.Len(t, res.Gifts, 1)
	assert.Equal(t, houcaller.GiftPending, res.Gifts[0].Status)
	assert.Equal(t, codes[1], res.Gifts[0].Code, "the giver's first unused coupon of the item")
	assert.Empty(t, res.Gifts[0].ToMemberID)
	mine, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: giver})
	require.NoError(t, err)
	require.Len(t, mine.Coupons, 2)
	assert.Equal(t, houcaller.CouponGifting, mine.Coupons[0].Status)
	assert.Equal(t, houcaller.CouponUnused, mine.Coupons[1].Status)

	// The pending coupon cannot be given again, nor can the accepted one;
	// the request moves nothing.
	before := srv.Gifts()
	_, err = c.GiftCoupons(ctx, &houcaller.GiftCouponsRequest{MemberID: giver, Phone: "13800138000", CouponCodes: []string{codes[2], codes[1]}})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, houcallertest.CodeCouponNotGiftable, ce.Code)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a refusal is definite")
	assert.Equal(t, before, srv.Gifts())

	srv.AddMember(houcallertest.Member{ID: "M-NEW", Phone: "13900139000"})
	got, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "M-NEW"})
	require.NoError(t, err)
	require.Len(t, got.Coupons, 1)
	assert.Equal(t, codes[1], got.Coupons[0].Code)
	assert.Equal(t, houcaller.CouponUnused, got.Coupons[0].Status)
	gifts := srv.Gifts()
	require.Len(t, gifts, 2)
	assert.Equal(t, houcaller.GiftAccepted, gifts[1].Status)
	assert.Equal(t, "M-NEW", gifts[1].ToMemberID)
	assert.Equal(t, 7, srv.RequestCount(), "one request per call, the refused gift included")
}

// giftUnderFault gives one coupon of a fresh sale with f injected into
// every attempt.
func giftUnderFault(t *testing.T, f faulttest.Named, inMemory bool) {
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: inMemory}, nil,
		couponkit.WithTimeout(attemptTimeout), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: faultAttempts}))
	sale, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	for range faultAttempts {
		f.Into(srv)
	}
	_, err = c.GiftCoupons(context.Background(), &houcaller.GiftCouponsRequest{MemberID: exampleSale().MemberID,
		Phone: "13800138000", CouponCodes: sale.Codes()[:1]})

	u, _ := faulttest.Unknown(t, err, houcaller.Vendor, houcaller.EndpointGiftCoupon, "")
	assert.Empty(t, u.KeyName, "cpnShiftGift publishes no key")
	assert.Equal(t, 1, u.Attempts)
	assert.Contains(t, err.Error(), "no idempotency key")
	assert.Equal(t, 2, srv.RequestCount(), "the sale, and the gift once")
	var p map[string]any
	require.NoError(t, json.Unmarshal(decryptECB(t, houcallertest.DefaultDESKey, parseWire(t, srv.Requests()[1].Body).Param), &p))
	assert.Equal(t, "13800138000", p["phone"])
	assert.LessOrEqual(t, len(srv.Gifts()), 1, "given at most once")
}

// A gift is an Unsafe write without a key: under every answer that is not
// a definite one it is sent once and its outcome is unknown, with no key.
func TestGiftCouponsWithAmbiguousAnswersHasUnknownOutcome(t *testing.T) {
	t.Parallel()
	for _, f := range faults {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			underFault(t, f, func(t *testing.T, inMemory bool) { giftUnderFault(t, f, inMemory) })
		})
	}
}

// A success that does not say what was given (no record, or a record
// without its coupon code) is not a definite answer: the gift was applied
// once and its outcome is unknown.
func TestGiftCouponsSuccessWithoutARecordIsUnknown(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"data null":             okHead + `,"data":null}`,
		"no data":               okHead + `}`,
		"data {}":               okHead + `,"data":{}}`,
		"data []":               okHead + `,"data":[]}`,
		"an empty list":         okHead + `,"data":{"list":[]}}`,
		"a record without code": okHead + `,"data":[` + strings.Replace(giftRecord, `"cpnCode":"7115800001188"`, `"cpnCode":""`, 1) + `]}`,
		"data a string":         okHead + `,"data":"ok"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
			sale, err := c.SellCard(context.Background(), exampleSale())
			require.NoError(t, err)
			srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(body), AfterHandler: true,
				Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}}})
			_, err = c.GiftCoupons(context.Background(), &houcaller.GiftCouponsRequest{MemberID: exampleSale().MemberID,
				Phone: "13800138000", CouponCodes: sale.Codes()[:1]})
			faulttest.Unknown(t, err, houcaller.Vendor, houcaller.EndpointGiftCoupon, "")
			assert.ErrorIs(t, err, transport.ErrUnreadable)
			assert.Equal(t, 2, srv.RequestCount(), "the gift sent once")
			assert.Len(t, srv.Gifts(), 1, "the gift took effect once")
		})
	}
}

// A 4xx page refuses the gift whatever its body: definite, not retried.
func TestGiftCouponsRefusedByA4xxPageIsDefinite(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	srv.FailNextHTTP(http.StatusForbidden, "<html>403</html>")
	_, err := c.GiftCoupons(context.Background(), &houcaller.GiftCouponsRequest{MemberID: "m", Phone: "13800138000", CouponCodes: []string{"X"}})
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, http.StatusForbidden, ce.HTTPStatus)
	assert.Equal(t, 1, srv.RequestCount())
	assert.Empty(t, srv.Gifts())
}
