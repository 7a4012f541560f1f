// Command zvcms lists a customer's unused zvcms coupons, redeems one,
// reverses the redemption and issues a coupon, against the built-in fake
// gateway unless ZVCMS_GATEWAY, ZVCMS_OPEN_ID, ZVCMS_OPEN_KEY and
// ZVCMS_GRANT_CODE name a real one (see package zvcmsdemo).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/couponkit/couponkit/examples/internal/zvcmsdemo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := zvcmsdemo.Run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zvcms:", err)
		os.Exit(1)
	}
}
