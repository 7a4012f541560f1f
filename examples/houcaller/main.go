// Command houcaller sells a 名牛卡 to a member and prints the coupon codes
// issued, against the built-in fake gateway unless HOUCALLER_GATEWAY (the
// base URL ending in /openapi/v1), HOUCALLER_CHANNEL and HOUCALLER_DES_KEY
// name a real one.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/couponkit/couponkit/examples/internal/houcallerdemo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := houcallerdemo.Run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "houcaller:", err)
		stop()
		os.Exit(1)
	}
}
