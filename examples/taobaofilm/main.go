// Command taobaofilm issues codes of a Taobao film-code batch and exports
// every code of the batch to a CSV file: against the built-in fake gateway by default, or against TOP when
// TAOBAO_GATEWAY, TAOBAO_APP_KEY and TAOBAO_APP_SECRET are set
// (TAOBAO_SESSION, TAOBAO_SIGN_METHOD, TAOBAO_MIX_ID, TAOBAO_PARTNER_CODE and
// TAOBAO_EXPORT_CSV are read when present; TAOBAO_SEND_NUMBER codes are issued
// first, 2 on the fake and none on TOP unless it is set).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/couponkit/couponkit/examples/internal/taobaofilmdemo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := taobaofilmdemo.Run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
