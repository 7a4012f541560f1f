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

// TestGetCouponDetailOnFake: the fake answers a coupon, redeemed, with its
// template, in each spelling, at the Config.Paths entry of getCouponDetail, and refuses an
// unknown code.
func TestGetCouponDetailOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native, Paths: map[string]string{"getCouponDetail": "/v3/x/getCouponDetail"}})
		f.srv.AddTemplate(zvcms.Template{ID: 895, Name: "满50减10"})
		cp := f.srv.AddCoupon(zvcms.Coupon{Title: "满50减10", TemplateID: 895, Type: zvcms.CouponTypeGoods, EndAt: epoch.AddDate(0, 1, 0)})
		f.srv.SetUseStatus(cp.CardID, zvcms.UseStatusRedeemed)
		got, err := f.c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: cp.CardID})
		require.NoError(t, err)
		assert.Equal(t, []any{cp.CardID, cp.CustomerID, int64(895), "满50减10", zvcms.CouponTypeGoods, zvcms.UseStatusRedeemed, "满50减10"},
			[]any{got.CardID, got.CustomerID, got.TemplateID, got.TemplateName, got.TemplateType, got.UseStatus, got.Template.Name})
		assert.True(t, got.EndAt.Equal(cp.EndAt) && got.UsedAt.Equal(epoch), "%v %v", got.EndAt, got.UsedAt)
		assert.Equal(t, "/v3/x/getCouponDetail", f.srv.Requests()[0].Path)
		_, err = f.c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: "1"})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	}
}

// ExampleClient_GetCouponDetail looks one coupon up by its code, against
// the fake gateway.
func ExampleClient_GetCouponDetail() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065", Title: "满50减10", TemplateID: 895})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: "390913445498200065"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.CardID, got.TemplateID, got.TemplateName, got.UseStatus)
	// Output: 390913445498200065 895 满50减10 unused
}
