package zvcms_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// TestGetCustomerCouponsFamilyShape: getCustomerCoupons answered as the
// vendor family's public CLI reads it (MemberCouponListResponse{list[{cardId,
// couponNo, couponType, endTime, templateId, templateName, useStatus}],
// total}) gives the coupons with their fields, not one blank coupon.
func TestGetCustomerCouponsFamilyShape(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	respond(mt, "getCustomerCoupons", http.StatusOK, `{"status":true,"code":0,"message":"成功","data":{"list":[`+
		`{"cardId":"390913445498200065","couponNo":"C-0065","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"951","templateName":"满50减10","useStatus":0},`+
		`{"cardId":"390913445498200066","couponNo":"C-0066","couponType":6,"endTime":"2019-12-01 00:00:00","templateId":"895","templateName":"免配送费","useStatus":1}],"total":2}}`)
	res, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041"})
	require.NoError(t, err)
	require.Len(t, res.Coupons, 2)
	bj := time.FixedZone("UTC+8", 8*3600)
	want := []zvcms.Coupon{
		{CardID: "390913445498200065", CouponNo: "C-0065", Type: zvcms.CouponTypeCash, TemplateID: 951, Title: "满50减10",
			UseStatus: zvcms.UseStatusUnused, EndAt: time.Date(2019, 11, 3, 23, 59, 59, 0, bj)},
		{CardID: "390913445498200066", CouponNo: "C-0066", Type: zvcms.CouponTypeFreeDelivery, TemplateID: 895, Title: "免配送费",
			UseStatus: zvcms.UseStatusRedeemed, EndAt: time.Date(2019, 12, 1, 0, 0, 0, 0, bj)},
	}
	for i := range want {
		got := res.Coupons[i]
		assert.True(t, want[i].EndAt.Equal(got.EndAt), "%v", got.EndAt)
		got.EndAt = want[i].EndAt
		assert.Equal(t, want[i], got)
	}
}

// TestFakeNativeTypesTalksToTheSDK: the fake in the vendor family's
// spelling answers getCustomerCoupons as {list, total}, and the client reads
// the same coupons as from the page's spelling.
func TestFakeNativeTypesTalksToTheSDK(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native})
		a := f.srv.AddCoupon(zvcms.Coupon{Title: "满50减10", TemplateID: 951, CouponNo: "C-1", EndAt: epoch.AddDate(0, 1, 0)})
		f.srv.AddCoupon(zvcms.Coupon{Title: "免配送费", TemplateID: 895})
		res, err := f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
		require.NoError(t, err)
		require.Len(t, res.Coupons, 2)
		assert.Equal(t, a.CardID, res.Coupons[0].CardID)
		assert.Equal(t, "满50减10", res.Coupons[0].Title)
		assert.Equal(t, int64(951), res.Coupons[0].TemplateID)
		assert.True(t, a.EndAt.Equal(res.Coupons[0].EndAt))
		if native {
			assert.Equal(t, "C-1", res.Coupons[0].CouponNo)
			assert.Contains(t, string(res.Meta.Raw), `"data":{"list":[`)
		} else {
			assert.Contains(t, string(res.Meta.Raw), `"data":[`)
		}
		one, err := f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID, CardID: a.CardID})
		require.NoError(t, err)
		require.Len(t, one.Coupons, 1)
		assert.Equal(t, a.CardID, one.Coupons[0].CardID)
	}
}
