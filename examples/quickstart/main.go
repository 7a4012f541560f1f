// Command quickstart runs every couponkit vendor's example flow, each against
// its built-in fake unless that vendor's environment variables name a real
// gateway (see each examples/<vendor> program). It writes one file: the
// taobaofilm flow exports its batch's codes to a CSV file in the temporary
// directory (TAOBAO_EXPORT_CSV names another), and prints where.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/couponkit/couponkit/examples/internal/ebuydemo"
	"github.com/couponkit/couponkit/examples/internal/houcallerdemo"
	"github.com/couponkit/couponkit/examples/internal/suningdemo"
	"github.com/couponkit/couponkit/examples/internal/taobaofilmdemo"
	"github.com/couponkit/couponkit/examples/internal/zvcmsdemo"
)

type demo struct {
	name string
	run  func(ctx context.Context, w io.Writer) error
}

// demos lists every vendor package's example flow, in the README's order.
func demos() []demo {
	return []demo{
		{"ebuy", ebuydemo.Run},
		{"zvcms", zvcmsdemo.Run},
		{"taobaofilm", taobaofilmdemo.Run},
		{"houcaller", houcallerdemo.Run},
		{"suning", suningdemo.Run},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	failed, all := 0, demos()
	for _, d := range all {
		fmt.Printf("=== %s\n", d.name)
		if err := d.run(ctx, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", d.name, err)
			failed++
		}
		fmt.Println()
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "%d of %d vendor flows failed\n", failed, len(all))
		os.Exit(1)
	}
	fmt.Printf("all %d vendor flows passed\n", len(all))
}
