package zvcms

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// Revoking issued coupons: a revoked coupon's state is UseStatusDeleted
// (已删除/已回收).

// opRecycle is recycleCoupons: an unsafe write without a key.
var opRecycle = &transport.Op{Name: "recycleCoupons", Path: "/v3/coupon/recycleCoupons", Class: transport.Unsafe,
	Notes: "[likely]: the path is the vendor family's public CLI's, which sends a file it does not describe and reads no answer: the params customerId and couponsCardList (cardIds, as writeOffCoupon names them) are [open], and so is the answer (its success flag is the whole of it). " +
		"No key field is published, so it is an unsafe write without a key."}

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
