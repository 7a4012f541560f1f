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

// TestRecycleCoupons: the params on the wire, a success with or without
// data, and requests refused before sending.
func TestRecycleCoupons(t *testing.T) {
	t.Parallel()
	for _, data := range []string{absent, `""`, `{"done":1}`} {
		c, mt := mock(t, zvcms.Config{})
		sent := answering(t, mt, "/v3/coupon/recycleCoupons", data)
		res, err := c.RecycleCoupons(context.Background(), &zvcms.RecycleRequest{CustomerID: "383933091455959041", CardIDs: []string{"1", "2"}})
		require.NoError(t, err, data)
		assert.Equal(t, []string{`{"customerId":"383933091455959041","couponsCardList":["1","2"]}`}, *sent)
		if data == `{"done":1}` {
			assert.JSONEq(t, data, string(res.Data))
		}
	}
	for field, req := range map[string]*zvcms.RecycleRequest{"CustomerID": {CardIDs: []string{"1"}}, "CardIDs": {CustomerID: "c"},
		"CardIDs[1]": {CustomerID: "c", CardIDs: []string{"1", " "}}} {
		c, mt := mock(t, zvcms.Config{})
		_, err := c.RecycleCoupons(context.Background(), req)
		refusedBeforeSending(t, mt, err, field)
	}
}

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

// TestRecoverGrantedCoupons: the params on the wire, the answer in both
// spellings, the one rule (no recoveryStatus: an unknown outcome at once,
// sent once, reporting the orderNo) and a request refused before sending.
func TestRecoverGrantedCoupons(t *testing.T) {
	t.Parallel()
	want := zvcms.RecoveredCoupons{OrderNo: "O-1", CardIDs: []string{"11", "12"}, RecoveredIDs: []string{"11"}, Status: 2}
	for _, data := range []string{`{"couponIds":[11,12],"recoveryIds":[11],"recoveryStatus":2}`,
		`{"couponIds":["11","12"],"recoveryIds":["11"],"recoveryStatus":"2"}`, `{"couponIds":[11]}`} {
		c, mt := mock(t, zvcms.Config{})
		sent := answering(t, mt, "/v3/crm/marketing/couponRecovery", data)
		got, err := c.RecoverGrantedCoupons(context.Background(), &zvcms.RecoverGrantRequest{OrderNo: "O-1", ActivityID: 1001, CustomerID: "c1"})
		assert.Equal(t, []string{`{"orderNo":"O-1","activityId":1001,"customerId":"c1"}`}, *sent, "an unsafe write is sent once")
		if data == `{"couponIds":[11]}` {
			require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
			key, _ := couponkit.IdempotencyKey(err)
			assert.Equal(t, "O-1", key)
			assert.ErrorContains(t, err, "no recoveryStatus in the answer")
			continue
		}
		require.NoError(t, err, data)
		got.Meta = couponkit.Meta{}
		assert.Equal(t, want, *got, data)
	}
	c, mt := mock(t, zvcms.Config{})
	_, err := c.RecoverGrantedCoupons(context.Background(), &zvcms.RecoverGrantRequest{OrderNo: " O-1"})
	refusedBeforeSending(t, mt, err, "OrderNo")
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
