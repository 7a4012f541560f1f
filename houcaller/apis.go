package houcaller

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// registry is the package's typed calls: each call's file adds its entry
// beside its Op.
var registry transport.Registry

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. Each call's file adds its entry beside its Op, so
// the order is the files' order (by name), then the order written.
// SellCard and RecordConsumption are listed at their default class, Unsafe:
// Config.SaleNoDedup and Config.SerialCodeDedup make them Keyed writes.
func APIs() []couponkit.API { return registry.APIs() }
