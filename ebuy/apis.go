package ebuy

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// registry is the package's typed calls, each added beside its Op.
var registry transport.Registry

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. Each call's file adds its entry beside its Op, and
// the list is in the order of those files (by name, then as written). Each
// entry reports its call with a default Config: MakeCodes is Keyed with
// Config.MakeCodesDeduplicates, and sent to Config.MakeCodesPath.
func APIs() []couponkit.API { return registry.APIs() }
