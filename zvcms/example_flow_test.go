package zvcms_test

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// ExampleClient_ReverseWriteOff redeems a coupon and reverses the
// redemption (after a refund, say) by its bizId: the coupon is unused again.
func ExampleClient_ReverseWriteOff() {
	srv := zvcmstest.NewServer(zvcmstest.Config{InMemory: true})
	defer srv.Close()
	card := srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065", Title: "满50减10"}).CardID
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	ctx := context.Background()

	red, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "order-0001", Channel: zvcmstest.DefaultChannel,
		CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{card}})
	if err != nil {
		fmt.Println(err)
		return
	}
	cp, _ := srv.Coupon(card)
	fmt.Println("after the redemption:", cp.UseStatus)

	// A reversal goes by the bizId the vendor returned, not the one sent.
	rev, err := c.ReverseWriteOff(ctx, red.ReverseRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	cp, _ = srv.Coupon(card)
	fmt.Println("sent", red.BizID+", returned", red.VendorBizID)
	fmt.Println("reversed", rev.BizID+":", cp.UseStatus)
	// Output:
	// after the redemption: redeemed
	// sent order-0001, returned 472000000000000001
	// reversed 472000000000000001: unused
}

// ExampleClient_IssueCoupons issues two coupons of one kind to a customer.
func ExampleClient_IssueCoupons() {
	srv := zvcmstest.NewServer(zvcmstest.Config{InMemory: true})
	defer srv.Close()
	kind := srv.AddCoupon(zvcms.Coupon{CouponID: "389420520079552512", Title: "免配送费", Type: zvcms.CouponTypeFreeDelivery,
		UseStatus: zvcms.UseStatusRedeemed})
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	res, err := c.IssueCoupons(context.Background(), &zvcms.IssueRequest{BizID: "campaign-7-customer-1",
		CustomerID: zvcmstest.DefaultCustomerID, CouponID: kind.CouponID, Num: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("issued", res.Num, "with bizId", res.BizID)
	for _, id := range res.CardIDs {
		cp, _ := srv.Coupon(id)
		fmt.Println(cp.Title, cp.Type, cp.UseStatus)
	}
	// Output:
	// issued 2 with bizId campaign-7-customer-1
	// 免配送费 free delivery unused
	// 免配送费 free delivery unused
}

// ExampleClient_CustomerCouponList walks a customer's coupons page by page
// and stops after the first three: no further page is fetched.
func ExampleClient_CustomerCouponList() {
	srv := zvcmstest.NewServer(zvcmstest.Config{InMemory: true})
	defer srv.Close()
	for i := range 5 {
		srv.AddCoupon(zvcms.Coupon{Title: fmt.Sprintf("coupon %d", i+1)})
	}
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	n := 0
	for cp, err := range c.CustomerCouponList(context.Background(), &zvcms.CouponListRequest{CustomerID: zvcmstest.DefaultCustomerID, PageSize: 2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(cp.Title, cp.UseStatus)
		if n++; n == 3 {
			break
		}
	}
	fmt.Println("pages fetched:", srv.RequestCount())
	// Output:
	// coupon 1 unused
	// coupon 2 unused
	// coupon 3 unused
	// pages fetched: 2
}
