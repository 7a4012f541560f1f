package zvcms_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

func TestAPIsAreWellFormed(t *testing.T) {
	t.Parallel()
	require.NoError(t, couponkit.CheckAPIs(zvcms.APIs()...))
}

// TestAPIsListEveryTypedCall holds the registry to every exported method of
// Client that takes a context and a request, and its entries to the API
// names, classes and keys the package doc states (an entry made with
// transport.Describe takes them from the call's own Op).
func TestAPIsListEveryTypedCall(t *testing.T) {
	t.Parallel()
	type entry struct {
		name, operation string
		class           couponkit.Class
		key             string
	}
	want := map[string]entry{
		"GetCustomerCoupons": {"get-customer-coupons", "getCustomerCoupons", couponkit.ClassRead, ""},
		"CustomerCouponList": {"customer-coupon-list", "getCustomerCouponList", couponkit.ClassRead, ""},
		"WriteOffCoupon":     {"write-off-coupon", "writeOffCoupon", couponkit.ClassKeyed, "bizId"},
		"ReverseWriteOff":    {"reverse-write-off", "couponReverse", couponkit.ClassKeyed, "bizId"},
		"IssueCoupons":       {"issue-coupons", "issueCouponsToCustomer", couponkit.ClassUnsafe, "bizId"},
	}
	listed := map[string]bool{}
	for _, a := range zvcms.APIs() {
		assert.Equal(t, zvcms.Vendor, a.Vendor)
		listed[a.Method] = true
		if w, ok := want[a.Method]; ok {
			assert.Equal(t, w, entry{a.Name, a.Operation, a.Class, a.KeyName}, a.Method)
		}
	}
	for m := range want {
		assert.True(t, listed[m], "%s is not in APIs", m)
	}

	ctxType := reflect.TypeFor[context.Context]()
	ct := reflect.TypeFor[*zvcms.Client]()
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() == 3 && m.Type.In(1) == ctxType && m.Type.In(2).Kind() == reflect.Pointer {
			assert.True(t, listed[m.Name], "%s takes a request but is not in APIs", m.Name)
		}
	}
}

// TestAPIsRunAgainstTheFake runs every listed call by its registry entry,
// as the command does, and checks what each returns.
func TestAPIsRunAgainstTheFake(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	a := f.srv.AddCoupon(zvcms.Coupon{Title: "满50减10"})
	b := f.srv.AddCoupon(zvcms.Coupon{Title: "免配送费"})
	ctx := context.Background()
	byName := map[string]couponkit.API{}
	for _, api := range zvcms.APIs() {
		byName[api.Name] = api
	}
	run := func(name string, req any) any {
		t.Helper()
		res, err := byName[name].Run(ctx, f.c, req)
		require.NoError(t, err, name)
		return res
	}
	got := run("get-customer-coupons", &zvcms.CustomerCouponsRequest{CustomerID: a.CustomerID, CardID: a.CardID}).(*zvcms.CustomerCoupons)
	require.Len(t, got.Coupons, 1)
	assert.Equal(t, a.CardID, got.Coupons[0].CardID)
	all := run("customer-coupon-list", &zvcms.CouponListRequest{CustomerID: a.CustomerID, PageSize: 1}).(*zvcms.CustomerCoupons)
	require.Len(t, all.Coupons, 2)
	assert.Equal(t, []string{a.CardID, b.CardID}, []string{all.Coupons[0].CardID, all.Coupons[1].CardID})
	red := run("write-off-coupon", &zvcms.WriteOffRequest{BizID: "W-1", Channel: a.Channel, CustomerID: a.CustomerID, CardIDs: []string{a.CardID}}).(*zvcms.WriteOffResult)
	assert.Equal(t, "W-1", red.BizID)
	rev := run("reverse-write-off", red.ReverseRequest()).(*zvcms.ReverseResult)
	assert.Equal(t, red.VendorBizID, rev.BizID)
	is := run("issue-coupons", &zvcms.IssueRequest{BizID: "I-1", CustomerID: a.CustomerID, CouponID: a.CouponID, Num: 2}).(*zvcms.IssueResult)
	assert.Len(t, is.CardIDs, 2)
	_, err := byName["issue-coupons"].Run(ctx, f.c, &zvcms.WriteOffRequest{})
	assert.Error(t, err, "a request of another type")
}
