// Command ebuy makes e-Buy codes, activates, freezes, unfreezes and
// deactivates them, reads a code's history, reports a till redemption and
// takes it back, issues codes to a sales channel's order and receives a
// redemption notification, against the built-in fake gateway unless EBUY_GATEWAY (the
// base URL, such as https://uat-paas-gateway.e-buychina.com), EBUY_APP_ID,
// EBUY_APP_SECRET and EBUY_BRAND_ID name a real one (EBUY_TICKET_ID
// optionally names the batch to make codes of).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/couponkit/couponkit/examples/internal/ebuydemo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := ebuydemo.Run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ebuy:", err)
		stop()
		os.Exit(1)
	}
}
