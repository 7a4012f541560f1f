// Command apidocs writes the call lists of the repository from the vendor
// packages' registries (each package's APIs function, see couponkit.API):
// the table of each vendor's typed calls in README.md, the command names of
// its single calls in cmd/couponkit/README.md, and the "# Calls" section of
// the vendor's doc.go. Adding a call to a registry and running go generate
// updates all three; CI runs go generate and fails on a diff.
//
// It runs from the repository root (go generate runs it there, from the
// directive in couponkit.go):
//
//	go run ./internal/gen/apidocs [-root DIR]
//
// A vendor whose package does not list its calls yet is left alone: its
// blocks keep their text. See CONTRIBUTING.md, "Add an API".
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

// registries are the vendor packages' lists of typed calls, by vendor
// package name. A vendor package is added here once it has an APIs
// function, such as:
//
//	"zvcms": zvcms.APIs(),
var registries = map[string][]couponkit.API{
	"ebuy":       ebuy.APIs(),
	"houcaller":  houcaller.APIs(),
	"suning":     suning.APIs(),
	"taobaofilm": taobaofilm.APIs(),
	"zvcms":      zvcms.APIs(),
}

func main() {
	root := flag.String("root", ".", "the repository root")
	flag.Parse()
	if err := Generate(*root, registries); err != nil {
		fmt.Fprintln(os.Stderr, "apidocs:", err)
		os.Exit(1)
	}
}
