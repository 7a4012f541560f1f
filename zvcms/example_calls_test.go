package zvcms_test

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// A customer's coupons that can still be redeemed: one call, filtered by
// state (CustomerCouponList pages through all of them).
func ExampleClient_GetCustomerCoupons() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CustomerID: "383933091455959041", CardID: "390913445498200065", Title: "满50减10"})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	unused := zvcms.UseStatusUnused
	got, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041", UseStatus: &unused})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cp := range got.Coupons {
		fmt.Println(cp.CardID, cp.Title, cp.UseStatus)
	}
	// Output: 390913445498200065 满50减10 unused
}

// Hand out two redemption codes of an exchange activity. The write is
// unsafe: if its outcome is unknown, look the activity's codes up before
// dispatching again.
func ExampleClient_DispatchExchangeCodes() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddExchangeActivity("ACT1", "周年兑换")
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.DispatchExchangeCodes(context.Background(), &zvcms.DispatchCodesRequest{ActivityCode: "ACT1", Num: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(got.Codes), "codes;", len(srv.Dispatches()), "dispatch in the fake")
	// Output: 2 codes; 1 dispatch in the fake
}

// Void redemption codes: each code's own result, in the order asked.
func ExampleClient_DisableExchangeCodes() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1"})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.DisableExchangeCodes(context.Background(), &zvcms.DisableCodesRequest{Codes: []string{"EX1", "EX9"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range got.Results {
		if r.Disabled {
			fmt.Println(r.Code, "disabled")
		} else {
			fmt.Println(r.Code, "not disabled:", r.FailReason)
		}
	}
	// Output:
	// EX1 disabled
	// EX9 not disabled: 兑换码不存在
}

// Revoke the coupons an order granted, and see which were revoked.
func ExampleClient_RecoverGrantedCoupons() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	cp := srv.AddCoupon(zvcms.Coupon{CustomerID: "383933091455959041", CardID: "390913445498200065"})
	srv.AddGrant(zvcmstest.Grant{OrderNo: "O-1", ActivityID: 7, CustomerID: cp.CustomerID, CardIDs: []string{cp.CardID}})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.RecoverGrantedCoupons(context.Background(), &zvcms.RecoverGrantRequest{OrderNo: "O-1", ActivityID: 7, CustomerID: cp.CustomerID})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.OrderNo, got.RecoveredIDs, got.Status)
	// Output: O-1 [390913445498200065] 1
}

// A member's points and stored value, by phone; amounts in fen, printed in
// yuan.
func ExampleClient_GetCustomerAssets() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.SetCustomerAssets("13800000000", zvcms.CustomerAssets{Points: "1200", RechargeBalance: 5000, GiftBalance: 250})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.GetCustomerAssets(context.Background(), &zvcms.CustomerAssetsRequest{Phone: "13800000000"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Points, "points;", got.RechargeBalance, "+", got.GiftBalance, "yuan")
	// Output: 1200 points; 50.00 + 2.50 yuan
}
