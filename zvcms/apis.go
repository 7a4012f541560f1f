package zvcms

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// registry is the package's typed calls: each call's file adds its entry
// beside its Op.
var registry transport.Registry

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them, each with its default path and its
// assumptions about the vendor. A call a Config can move or reclassify
// (Config.Paths, Config.IssueDeduplicates) is listed at its default. Each
// call's file adds its entry beside its Op, so the calls are in the order
// of the files' names, then in the order each file declares them.
func APIs() []couponkit.API { return registry.APIs() }
