// Command couponkit runs coupon jobs on e-Buy, zvcms, Taobao film, Houcaller
// and Suning: vendor fakes as servers, single calls, bulk jobs with a
// crash-safe journal, exports and reconcile. Run couponkit --help for usage.
package main

import (
	"os"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
