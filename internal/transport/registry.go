package transport

import (
	"slices"

	"github.com/couponkit/couponkit"
)

// Registry is a vendor package's list of typed calls: the package's APIs
// function returns it. Each call adds its own entry in the file that
// declares the call, beside its Op, so that a new call edits no list
// elsewhere:
//
//	var opCouponDetail = &transport.Op{Name: "getCouponDetail", Path: "/v3/coupon/getCouponDetail", Class: transport.Safe}
//
//	var _ = registry.Add(transport.Describe(Vendor, opCouponDetail, (*Client).GetCouponDetail, "one coupon by its code"))
//
// The entries are in the order the package's variables are initialized:
// file by file in the order of their names (the go command's), and within
// a file in the order written, except that Go initializes a variable after
// the package variables its initializer uses (through the method too): the
// order is the same on every build. Add is only called while the package is
// initialized, so a Registry needs no lock.
type Registry struct {
	apis []couponkit.API
}

// Add appends api and returns nothing of use: its result lets a file
// declare the entry as a package-level variable (var _ = registry.Add(…)).
// It panics, as the package's programming error, on a method added twice.
func (r *Registry) Add(api couponkit.API) struct{} {
	if slices.ContainsFunc(r.apis, func(a couponkit.API) bool { return a.Method == api.Method }) {
		panic("transport: " + api.Vendor + " registers " + api.Method + " twice")
	}
	r.apis = append(r.apis, api)
	return struct{}{}
}

// APIs returns a copy of the entries, in the order they were added.
func (r *Registry) APIs() []couponkit.API { return slices.Clone(r.apis) }
