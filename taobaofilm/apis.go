package taobaofilm

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// registry is the package's list of typed calls (see APIs).
var registry transport.Registry

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. Each call's file adds its entry beside its Op,
// so the order is the files' order (by name), then the order within a file.
// SendCodes is listed Keyed, its class with a default Config
// (Config.SendCodesUnsafe makes it Unsafe).
func APIs() []couponkit.API { return registry.APIs() }
