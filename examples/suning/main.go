// Command suning creates a Suning online appointment activity with goods,
// modifies it and stops it, against the built-in fake gateway unless
// SUNING_GATEWAY (the full …/api/http/sopRequest URL), SUNING_APP_KEY and
// SUNING_APP_SECRET (and SUNING_ACCESS_TOKEN when needed) name a real one.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/couponkit/couponkit/examples/internal/suningdemo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := suningdemo.Run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "suning:", err)
		stop()
		os.Exit(1)
	}
}
