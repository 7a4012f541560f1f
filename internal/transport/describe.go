package transport

import (
	"context"

	"github.com/couponkit/couponkit"
)

// Describe returns the registry entry of a typed call (see couponkit.API):
// method, a method expression of the vendor's Client such as
// (*Client).GetCustomerCoupons, sent as op, whose Name, Class and KeyName
// the entry reports with its Path and Notes, and summary. op is the
// package-level Op, at its default path and class: a call adds its entry to
// its package's [Registry] in the file that declares it, beside its Op:
//
//	var _ = registry.Add(transport.Describe(Vendor, opQuery, (*Client).GetCustomerCoupons, "a customer's coupons, in one state or with one code"))
func Describe[C, Q, A any](vendor string, op *Op, method func(C, context.Context, *Q) (*A, error), summary string) couponkit.API {
	return couponkit.NewAPI(method, couponkit.API{Vendor: vendor, Operation: op.Name, Class: op.Class, KeyName: op.KeyName, Summary: summary,
		Path: op.Path, Notes: op.Notes})
}
