package transport

import (
	"context"

	"github.com/couponkit/couponkit"
)

// Read is a typed read whose method does nothing but validate, send and
// convert: it runs validate (the request's validate method, a method value
// such as req.validate, safe on a nil req), then [Send] with params and a
// zero answer of type A, and returns result(answer, meta). The method is then
// one line:
//
//	func (c *Client) GetCouponDetail(ctx context.Context, req *CouponDetailRequest) (*CouponDetail, error) {
//		return transport.Read(ctx, &c.typed, opCouponDetail, req.validate, (*couponDetailParams)(req), (*couponDetailAnswer).result)
//	}
//
// A read sends no key. A call that does more (a key, a Resetter answer that
// keeps the request's value, a check across attempts) calls Send itself.
func Read[R, A, T any](ctx context.Context, t *Typed[R], op *Op, validate func() error, params any, result func(*A, couponkit.Meta) *T) (*T, error) {
	if err := validate(); err != nil {
		return nil, err
	}
	var a A
	meta, err := Send(ctx, t, op, "", params, &a)
	if err != nil {
		return nil, err
	}
	return result(&a, meta), nil
}
