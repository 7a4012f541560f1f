package zvcms_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// Example lists a customer's unused coupons and redeems one, against the fake
// gateway.
func Example() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065", Title: "满50减10", Type: zvcms.CouponTypeCash})
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200066", Title: "免配送费", Type: zvcms.CouponTypeFreeDelivery})

	c, err := zvcms.NewClient(srv.ClientConfig()) // Gateway, OpenID, OpenKey, GrantCode
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	ctx := context.Background()

	list, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{
		CustomerID: zvcmstest.DefaultCustomerID,
		UseStatus:  zvcms.UseStatusUnused.Ptr(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cp := range list.Coupons {
		fmt.Println(cp.CardID, cp.Title, cp.Type, cp.UseStatus)
	}

	res, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{
		BizID:       "order-20240601-0001", // the idempotency key
		Channel:     zvcmstest.DefaultChannel,
		CustomerID:  zvcmstest.DefaultCustomerID,
		CardIDs:     []string{list.Coupons[0].CardID},
		Ext:         zvcms.WriteOffExt{ChannelType: zvcms.ChannelTypePOS, OrderNo: "20240601-0001"},
		OrderAmount: 5800, // fen
		Amount:      1000, // fen
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("redeemed with bizId", res.BizID)
	cp, _ := srv.Coupon(list.Coupons[0].CardID)
	fmt.Println("now", cp.UseStatus)
	// Output:
	// 390913445498200065 满50减10 cash unused
	// 390913445498200066 免配送费 free delivery unused
	// redeemed with bizId order-20240601-0001
	// now redeemed
}

// ExampleClient_WriteOffCoupon_alreadyRedeemed shows a vendor refusal: a
// *couponkit.Error with the vendor's code and a client fault.
func ExampleClient_WriteOffCoupon_alreadyRedeemed() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	cp := srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusRedeemed})
	c, _ := zvcms.NewClient(srv.ClientConfig())
	defer c.Close()

	_, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{
		Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}})
	var e *couponkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Fault)
	}
	// Output:
	// 2002 client
}

// ExampleClient_WriteOffCoupon_unknownOutcome shows a redemption whose answer
// was lost: the error carries the bizId, and sending the same bizId again is
// safe, because the vendor applies a bizId once.
func ExampleClient_WriteOffCoupon_unknownOutcome() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	cp := srv.AddCoupon(zvcms.Coupon{})
	c, _ := zvcms.NewClient(srv.ClientConfig(), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	defer c.Close()
	ctx := context.Background()

	req := &zvcms.WriteOffRequest{BizID: "order-42", Channel: zvcmstest.DefaultChannel,
		CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}}
	srv.DropNextAfterWrite() // the redemption happens, its answer is lost
	_, err := c.WriteOffCoupon(ctx, req)
	if key, ok := couponkit.IdempotencyKey(err); ok {
		fmt.Println("outcome unknown for bizId", key)
		req.BizID = key
		res, err := c.WriteOffCoupon(ctx, req)
		fmt.Println(res.BizID, err)
	}
	fmt.Println("redemptions:", len(srv.Redemptions()))
	// Output:
	// outcome unknown for bizId order-42
	// order-42 <nil>
	// redemptions: 1
}

// ExampleClient_Call reaches an endpoint without a typed method, signed the
// same way; couponkit.Read() lets it be retried. A redemption-like write
// would pass couponkit.Keyed("bizId", id) instead, with bizId in params.
func ExampleClient_Call() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065", TemplateID: 951})
	c, _ := zvcms.NewClient(srv.ClientConfig(), couponkit.WithTimeout(5*time.Second))
	defer c.Close()

	var data struct {
		CardID     string `json:"cardId"`
		TemplateID string `json:"templateId"`
	}
	meta, err := c.Call(context.Background(), "getCustomerCoupons",
		map[string]string{"customerId": zvcmstest.DefaultCustomerID, "cardId": "390913445498200065"},
		&data, couponkit.Read())
	fmt.Println(data.CardID, data.TemplateID, meta.HTTPStatus, err)
	// Output:
	// 390913445498200065 951 200 <nil>
}

// ExampleClient_CallV2 reaches a V2 action no typed method covers, here
// coupon.user-coupon-list, which the test gateway serves with a handler of
// the test's own (HandleV2). The params and the data are shaped as the
// vendor's page for the action says; couponkit.Read() lets it be retried.
func ExampleClient_CallV2() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.HandleV2("coupon.user-coupon-list", func(params json.RawMessage) (any, *zvcmstest.Refusal) {
		var p struct {
			CustomerID string `json:"customerId"`
		}
		if err := json.Unmarshal(params, &p); err != nil || p.CustomerID == "" {
			return nil, &zvcmstest.Refusal{Code: zvcmstest.CodeBadParam, Message: "customerId is required"}
		}
		return map[string]any{"list": []map[string]string{{"cardId": "390913445498200065", "title": "满50减10"}}}, nil
	})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	var data struct {
		List []struct {
			CardID string `json:"cardId"`
			Title  string `json:"title"`
		} `json:"list"`
	}
	_, err = c.CallV2(context.Background(), "coupon.user-coupon-list",
		map[string]string{"customerId": zvcmstest.DefaultCustomerID}, &data, couponkit.Read())
	fmt.Println(data.List, err)

	_, err = c.CallV2(context.Background(), "coupon.user-coupon-list", nil, &data, couponkit.Read())
	var e *couponkit.Error
	fmt.Println(errors.As(err, &e), e.Operation, e.Code)
	// Output:
	// [{390913445498200065 满50减10}] <nil>
	// true coupon.user-coupon-list 1001
}
