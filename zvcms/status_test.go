package zvcms_test

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// ExampleClient_GetCouponStatus asks for a coupon code's state, against the
// fake gateway.
func ExampleClient_GetCouponStatus() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065"})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: "390913445498200065", Kind: zvcms.CodeKindCoupon})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(zvcms.UseStatus(got.Status), got.UsedAt.IsZero())
	// Output: unused true
}
