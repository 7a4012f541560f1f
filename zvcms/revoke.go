package zvcms

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// Revoking issued coupons: a revoked coupon's state is UseStatusDeleted
// (已删除/已回收).

// opRecycle is recycleCoupons: an unsafe write without a key.
var opRecycle = &transport.Op{Name: "recycleCoupons", Path: "/v3/coupon/recycleCoupons", Class: transport.Unsafe,
	Notes: "[likely]: the path is the vendor family's public CLI's, which sends a file it does not describe and reads no answer: the params customerId and couponsCardList (cardIds, as writeOffCoupon names them) are [open], and so is the answer (its success flag is the whole of it). " +
		"No key field is published, so it is an unsafe write without a key."}

var _ = registry.Add(transport.Describe(Vendor, opRecycle, (*Client).RecycleCoupons, "revokes coupons issued to a customer"))

// RecycleRequest revokes (回收) coupons issued to a customer (recycleCoupons
// [likely]; params [open]).
type RecycleRequest struct {
	// CustomerID is the coupons' owner (customerId). Required.
	CustomerID string
	// CardIDs are the coupons' codes (couponsCardList). At least one; no
	// empty or repeated code.
	CardIDs []string
}

// RecycleResult is the answer to a successful RecycleCoupons.
type RecycleResult struct {
	// Data is the vendor's data as received (its content is not published),
	// or nil.
	Data json.RawMessage
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// RecycleCoupons revokes coupons issued to a customer: they become
// UseStatusDeleted. It is an unsafe write without a key: sent again only
// when it provably never left; when its outcome cannot be known the error
// matches couponkit.ErrUnknownOutcome (list the customer's coupons to learn
// it). No answer of it is published [open]: status true with code 0 is the
// whole of a success, and data is kept raw.
func (c *Client) RecycleCoupons(ctx context.Context, req *RecycleRequest) (*RecycleResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var data json.RawMessage
	meta, err := transport.Send(ctx, &c.typed, opRecycle, "", (*recycleParams)(req), &data)
	if err != nil {
		return nil, err
	}
	return &RecycleResult{Data: data, Meta: meta}, nil
}

func (r *RecycleRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("RecycleRequest", "is nil")
	case strings.TrimSpace(r.CustomerID) == "":
		return couponkit.Invalid("CustomerID", "is required")
	case len(r.CardIDs) == 0:
		return couponkit.Invalid("CardIDs", "is empty")
	}
	return checkCards("CardIDs", r.CardIDs)
}

// recycleParams is recycleCoupons's params [open].
type recycleParams struct {
	CustomerID string   `json:"customerId"`
	CardIDs    []string `json:"couponsCardList"`
}

// opRecover is couponRecovery: an unsafe write, reported by its orderNo.
var opRecover = &transport.Op{Name: "couponRecovery", Path: "/v3/crm/marketing/couponRecovery", Class: transport.Unsafe, KeyName: "orderNo",
	Notes: "[likely]: path and answer {couponIds, recoveryIds, recoveryStatus} are the vendor family's public CLI's; its params are [open] (the CLI's notes name activityId, channelId, orderNo and the member for grants and their revocation): orderNo, activityId and customerId are this package's reading. " +
		"What recoveryStatus numbers is [open]. No key field is published, so it is an unsafe write; an unknown outcome reports the orderNo."}

var _ = registry.Add(transport.Describe(Vendor, opRecover, (*Client).RecoverGrantedCoupons, "revokes the coupons an order granted; which were revoked"))

// RecoverGrantRequest revokes (撤销发券) the coupons an order granted
// (couponRecovery [likely]; params [open]).
type RecoverGrantRequest struct {
	// OrderNo is the order that granted the coupons (orderNo). Required; an
	// unknown outcome reports it as its key.
	OrderNo string
	// ActivityID is the activity that granted them (activityId); 0 leaves it
	// out.
	ActivityID int64
	// CustomerID is their owner (customerId); empty leaves it out.
	CustomerID string
}

// RecoveredCoupons is the answer to RecoverGrantedCoupons.
type RecoveredCoupons struct {
	// OrderNo is the order, as sent.
	OrderNo string
	// CardIDs are the coupons the order granted (couponIds), and
	// RecoveredIDs those revoked by this call (recoveryIds).
	CardIDs, RecoveredIDs []string
	// Status is recoveryStatus, as the vendor numbers it [open] (the fake:
	// 1 every coupon of the order revoked, 2 some could not be).
	Status int
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// RecoverGrantedCoupons revokes the coupons an order granted and says which.
// It is an unsafe write: sent again only when it provably never left; when
// its outcome cannot be known the error matches couponkit.ErrUnknownOutcome
// and couponkit.IdempotencyKey returns the orderNo (list the customer's
// coupons to learn it). A success without a recoveryStatus is unreadable,
// so its outcome is unknown.
func (c *Client) RecoverGrantedCoupons(ctx context.Context, req *RecoverGrantRequest) (*RecoveredCoupons, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var a recoverAnswer
	meta, err := transport.Send(ctx, &c.typed, opRecover, req.OrderNo, (*recoverParams)(req), &a)
	if err != nil {
		return nil, err
	}
	return &RecoveredCoupons{OrderNo: req.OrderNo, CardIDs: texts(a.CouponIDs), RecoveredIDs: texts(a.RecoveryIDs), Status: int(a.Status.n), Meta: meta}, nil
}

func (r *RecoverGrantRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("RecoverGrantRequest", "is nil")
	case strings.TrimSpace(r.OrderNo) == "" || strings.TrimSpace(r.OrderNo) != r.OrderNo:
		return couponkit.Invalid("OrderNo", "is required, without leading or trailing spaces")
	case r.ActivityID < 0:
		return couponkit.Invalid("ActivityID", "is negative")
	}
	return nil
}

// recoverParams is couponRecovery's params [open], activityId a JSON number.
type recoverParams struct {
	OrderNo    string `json:"orderNo"`
	ActivityID int64  `json:"activityId,omitempty"`
	CustomerID string `json:"customerId,omitempty"`
}

// recoverAnswer is couponRecovery's data, ids as strings or numbers.
type recoverAnswer struct {
	CouponIDs   []wiretype.Text `json:"couponIds"`
	RecoveryIDs []wiretype.Text `json:"recoveryIds"`
	Status      count           `json:"recoveryStatus"`
}

// Complete requires the recoveryStatus: what the call reports.
func (a *recoverAnswer) Complete() error {
	if !a.Status.ok {
		return transport.Missing("recoveryStatus")
	}
	return nil
}
