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

// TestRecoverGrantedCouponsOnFake: the fake revokes a grant's unused
// coupons, not its redeemed one, and refuses another customer's order.
func TestRecoverGrantedCouponsOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native})
		a, used := f.srv.AddCoupon(zvcms.Coupon{}), f.srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusRedeemed})
		f.srv.AddGrant(zvcmstest.Grant{OrderNo: "O-1", ActivityID: 7, CustomerID: a.CustomerID, CardIDs: []string{a.CardID, used.CardID}})
		got, err := f.c.RecoverGrantedCoupons(context.Background(), &zvcms.RecoverGrantRequest{OrderNo: "O-1", ActivityID: 7})
		require.NoError(t, err)
		assert.Equal(t, []any{[]string{a.CardID, used.CardID}, []string{a.CardID}, 2}, []any{got.CardIDs, got.RecoveredIDs, got.Status})
		cp, _ := f.srv.Coupon(a.CardID)
		assert.Equal(t, zvcms.UseStatusDeleted, cp.UseStatus)
		_, err = f.c.RecoverGrantedCoupons(context.Background(), &zvcms.RecoverGrantRequest{OrderNo: "O-1", CustomerID: "other"})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	}
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
