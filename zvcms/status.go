package zvcms

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opCouponStatus is status: a read.
var opCouponStatus = &transport.Op{Name: "status", Path: "/v3/coupon/status", Class: transport.Safe,
	Notes: "[likely]: path, params {id, type} and data {status, useOrderCode, useStoreId, useStoreName, useStoreNo, useTime} are the vendor family's public CLI's; what status numbers is [open]."}

var _ = registry.Add(transport.Describe(Vendor, opCouponStatus, (*Client).GetCouponStatus, "the state of a coupon's code or a redemption code, and where and when it was used"))

// CodeKind says what a code is (type): a coupon's code or a redemption code.
type CodeKind int

const (
	// CodeKindCoupon is 1: a coupon's code (券码), such as Coupon.CardID.
	CodeKindCoupon CodeKind = 1
	// CodeKindExchange is 2: a redemption code (兑换码).
	CodeKindExchange CodeKind = 2
)

// CouponStatusRequest asks for the state of one code (status [likely]).
type CouponStatusRequest struct {
	// Code is the code (id). Required.
	Code string
	// Kind says what Code is (type); zero leaves type out, and what the
	// gateway then assumes is [open].
	Kind CodeKind
}

// CouponStatus is the answer to GetCouponStatus: the code's state and, once
// used, where and when. Times are in Beijing time.
type CouponStatus struct {
	// Status is the state (status), as the vendor numbers it [open]; the fake
	// answers a coupon's UseStatus and a redemption code's ExchangeStatus.
	Status int
	// UseOrderCode is the order it was used in (useOrderCode), or "".
	UseOrderCode string
	// UseStoreID, UseStoreName and UseStoreNo are the store it was used at
	// (useStoreId, useStoreName, useStoreNo: its code), or "".
	UseStoreID, UseStoreName, UseStoreNo string
	// UsedAt is when it was used (useTime); zero when it was not.
	UsedAt time.Time
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// GetCouponStatus returns the state of the code req.Code. It is a read,
// retried on network failures, 5xx, throttling, server faults and answers
// without a status.
func (c *Client) GetCouponStatus(ctx context.Context, req *CouponStatusRequest) (*CouponStatus, error) {
	return transport.Read(ctx, &c.typed, opCouponStatus, req.validate, (*couponStatusParams)(req), (*couponStatusAnswer).result)
}

func (r *CouponStatusRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("CouponStatusRequest", "is nil")
	case strings.TrimSpace(r.Code) == "":
		return couponkit.Invalid("Code", "is required")
	case r.Kind != 0 && r.Kind != CodeKindCoupon && r.Kind != CodeKindExchange:
		return couponkit.Invalid("Kind", "%d is not a kind of code (1 a coupon's, 2 a redemption code)", int(r.Kind))
	}
	return nil
}

// couponStatusParams is status's params: CouponStatusRequest's fields with
// their wire names, type a JSON number left out when zero.
type couponStatusParams struct {
	Code string   `json:"id"`
	Kind CodeKind `json:"type,omitempty"`
}

// couponStatusAnswer is status's data, its integers as numbers or strings.
type couponStatusAnswer struct {
	Status       count         `json:"status"`
	UseOrderCode wiretype.Text `json:"useOrderCode"`
	UseStoreID   wiretype.Text `json:"useStoreId"`
	UseStoreName wiretype.Text `json:"useStoreName"`
	UseStoreNo   wiretype.Text `json:"useStoreNo"`
	UseTime      wiretype.Time `json:"useTime"`
}

// result is a as the answer to GetCouponStatus, with meta.
func (a *couponStatusAnswer) result(meta couponkit.Meta) *CouponStatus {
	return &CouponStatus{Status: int(a.Status.n), UseOrderCode: string(a.UseOrderCode), UseStoreID: string(a.UseStoreID),
		UseStoreName: string(a.UseStoreName), UseStoreNo: string(a.UseStoreNo), UsedAt: time.Time(a.UseTime), Meta: meta}
}

// Complete requires the status: the call exists to return it.
func (a *couponStatusAnswer) Complete() error {
	if !a.Status.ok {
		return transport.Missing("status")
	}
	return nil
}
