// Command fakecontrols declares the shared controls of couponkit's fakes on
// each fake's Server: every exported method of couponkittest.Controls that
// the fake does not declare itself gets a one-line method of the same name
// and doc that calls the embedded Controls. The fakes already have these
// methods through embedding; declaring them makes go doc list them with
// Server (go doc ebuytest.Server, go doc ebuytest.Server.ClientOption),
// which it does not do for a type embedded from another package.
//
// It runs from couponkittest (the go:generate directive in controls.go):
//
//	go run ../internal/gen/fakecontrols -root ..
//
// and writes controls_gen.go in every package whose Server embeds
// *couponkittest.Controls.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	root := flag.String("root", ".", "the repository root")
	flag.Parse()
	if err := Generate(*root); err != nil {
		fmt.Fprintln(os.Stderr, "fakecontrols:", err)
		os.Exit(1)
	}
}
