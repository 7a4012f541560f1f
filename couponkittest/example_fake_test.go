package couponkittest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// A service's test against a vendor fake in memory, on a manual clock: the
// vendor throttles the first call for 30 seconds, the client waits it out,
// and no real time passes.
func Example_fakeOnTheManualClock() {
	clock := couponkittest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	fake := zvcmstest.NewServer(zvcmstest.Config{InMemory: true, Clock: clock})
	defer fake.Close()
	fake.AddCoupon(zvcms.Coupon{CardID: "390913445498200065", Title: "满50减10", Type: zvcms.CouponTypeCash})
	c, err := zvcms.NewClient(fake.ClientConfig(), fake.ClientOption(), couponkit.WithClock(clock),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxDelay: time.Minute})) // a throttle window is capped at MaxDelay
	if err != nil {
		panic(err)
	}
	defer c.Close()

	fake.ThrottleNext(30 * time.Second)
	coupons, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
	if err != nil {
		panic(err)
	}
	fmt.Println(coupons.Coupons[0].CardID, coupons.Coupons[0].Title)
	fmt.Println("requests:", fake.RequestCount(), "attempts:", coupons.Meta.Attempts)
	fmt.Println("waited:", clock.Sleeps())
	// Output:
	// 390913445498200065 满50减10
	// requests: 2 attempts: 2
	// waited: [30s]
}
