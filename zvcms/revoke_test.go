package zvcms_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// TestRecycleCouponsOnFake: the fake revokes unused and frozen coupons of
// the customer, all or none, and refuses a redeemed or revoked one.
func TestRecycleCouponsOnFake(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	a, b, used := f.srv.AddCoupon(zvcms.Coupon{}), f.srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusFrozen}), f.srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusRedeemed})
	recycle := func(cards ...string) error {
		_, err := f.c.RecycleCoupons(context.Background(), &zvcms.RecycleRequest{CustomerID: a.CustomerID, CardIDs: cards})
		return err
	}
	var e *couponkit.Error
	require.ErrorAs(t, recycle(a.CardID, used.CardID), &e)
	assert.Equal(t, zvcmstest.CodeCouponRedeemed, e.Code)
	require.NoError(t, recycle(a.CardID, b.CardID))
	for _, id := range []string{a.CardID, b.CardID} {
		cp, _ := f.srv.Coupon(id)
		assert.Equal(t, zvcms.UseStatusDeleted, cp.UseStatus)
	}
	require.ErrorAs(t, recycle(a.CardID), &e)
	assert.Equal(t, zvcmstest.CodeCouponRevoked, e.Code)
}

// ExampleClient_RecycleCoupons revokes a coupon issued to a customer,
// against the fake gateway.
func ExampleClient_RecycleCoupons() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	cp := srv.AddCoupon(zvcms.Coupon{CustomerID: "383933091455959041", CardID: "390913445498200065"})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	if _, err := c.RecycleCoupons(context.Background(), &zvcms.RecycleRequest{CustomerID: cp.CustomerID, CardIDs: []string{cp.CardID}}); err != nil {
		fmt.Println(err)
		return
	}
	got, _ := srv.Coupon(cp.CardID)
	fmt.Println(got.UseStatus)
	// Output: deleted
}
