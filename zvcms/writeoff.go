package zvcms

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// KeyName is the vendor's name of the idempotency key of every write
// (WriteOffCoupon, ReverseWriteOff, IssueCoupons): the params field bizId,
// the name a couponkit.UnknownOutcomeError reports with the key.
const KeyName = "bizId"

var opWriteOff = &transport.Op{Name: "writeOffCoupon", Path: couponPath + "writeOffCoupon", Class: transport.Keyed, KeyName: KeyName, NewKey: newBizID}

// WriteOffRequest redeems (核销) one or more coupons of a customer
// (writeOffCoupon).
//
// The wire names bizId, channel, customerId, couponsCardList and
// ext{channelType, orderNo} are the vendor's; useCount, orderAmount, amount
// and ext.storeCode are assumptions [open] (use Client.Call with your own
// params if your gateway spells them differently).
type WriteOffRequest struct {
	// BizID is the redemption's business id (bizId): the idempotency key, and
	// the key of a later reversal. A retried attempt carries the same BizID,
	// and the vendor applies a BizID once. Empty means the client generates
	// one (Config.NewKey, by default 32 hex digits) and returns it in
	// WriteOffResult.BizID and in an unknown-outcome error; set it yourself
	// (from your order, say) when you must find the redemption again after a
	// crash. No leading or trailing spaces.
	BizID string
	// Channel is the merchant account name (channel, 商家账户名), such as
	// "naixue". Required.
	Channel string
	// CustomerID is the owner's customer id (customerId). Required.
	CustomerID string
	// CardIDs are the codes (cardId) of the coupons to redeem, sent as the
	// string array couponsCardList [likely]. At least one; no empty or
	// repeated code.
	CardIDs []string
	// Ext describes the order (ext).
	Ext WriteOffExt
	// UseCount is how many uses to redeem (useCount) [open]; 0 leaves the
	// field out (the vendor's default). Not negative.
	UseCount int
	// OrderAmount is the order's amount in fen (orderAmount) [open], sent as
	// an integer. Not negative.
	OrderAmount couponkit.Fen
	// Amount is the redeemed amount in fen (amount) [open], sent as an
	// integer. Not negative.
	Amount couponkit.Fen
}

// WriteOffExt is the ext object of a redemption. Empty fields are left out,
// and so is ext when every field is empty.
type WriteOffExt struct {
	// ChannelType is the sales channel's type (channelType).
	ChannelType string
	// OrderNo is the order number (orderNo).
	OrderNo string
	// StoreCode is the store's code (storeCode) [open].
	StoreCode string
	// Extra holds other ext fields, sent after the ones above in key order.
	// Values are encoded as JSON; a key must not repeat one of the fields above.
	Extra map[string]any
}

// WriteOffResult is the answer to a successful WriteOffCoupon.
type WriteOffResult struct {
	// BizID is the redemption's business id (given or generated): keep it to
	// reverse the redemption.
	BizID string
	// Data is the vendor's data object as received (its content is not
	// documented), or nil.
	Data json.RawMessage
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// WriteOffCoupon redeems coupons. It is a keyed write: retried like a read,
// each attempt signed afresh with the same bizId, which the vendor applies
// once. When the outcome cannot be known (the connection failed or the
// vendor answered 5xx after the request left, or then refused a retry, say
// because that attempt redeemed the coupon) the error matches
// couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns the bizId:
// query the coupons (or send the same request again) before redeeming anew.
func (c *Client) WriteOffCoupon(ctx context.Context, req *WriteOffRequest) (*WriteOffResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("WriteOffRequest", "is nil")
	}
	return write(ctx, c, opWriteOff, req.BizID, req.params, func(bizID string) (*WriteOffResult, dataDecoder, *couponkit.Meta) {
		out := &WriteOffResult{BizID: bizID}
		return out, (*rawData)(&out.Data), &out.Meta
	})
}

// write sends a write keyed by its bizId, the one path of WriteOffCoupon,
// ReverseWriteOff and IssueCoupons: the key is the given one (or, where op
// generates keys, a fresh one when given is empty), params validates the
// request and encodes it with the key before anything is sent, and newOut
// makes the result for the key, with the decoder of the answer's data and
// where the exchange's metadata goes.
func write[T any](ctx context.Context, c *Client, op *transport.Op, given string, params func(bizID string) ([]byte, error),
	newOut func(bizID string) (out *T, data dataDecoder, meta *couponkit.Meta)) (*T, error) {
	bizID, err := c.ep.Key(op, "BizID", given)
	if err != nil {
		return nil, err
	}
	body, err := params(bizID)
	if err != nil {
		return nil, err
	}
	out, data, meta := newOut(bizID)
	if *meta, err = c.ep.Invoke(ctx, op, bizID, &request{params: body, data: data}, nil); err != nil {
		return nil, err
	}
	return out, nil
}

var extFields = []string{"channelType", "orderNo", "storeCode"}

// params validates r and encodes the business object with bizID.
func (r *WriteOffRequest) params(bizID string) ([]byte, error) {
	if strings.TrimSpace(bizID) != bizID || bizID == "" {
		return nil, couponkit.Invalid("BizID", "is empty or has leading or trailing spaces")
	}
	switch {
	case strings.TrimSpace(r.Channel) == "":
		return nil, couponkit.Invalid("Channel", "is required")
	case strings.TrimSpace(r.CustomerID) == "":
		return nil, couponkit.Invalid("CustomerID", "is required")
	case len(r.CardIDs) == 0:
		return nil, couponkit.Invalid("CardIDs", "needs at least one coupon code")
	case r.UseCount < 0:
		return nil, couponkit.Invalid("UseCount", "is negative")
	case r.OrderAmount < 0:
		return nil, couponkit.Invalid("OrderAmount", "is negative")
	case r.Amount < 0:
		return nil, couponkit.Invalid("Amount", "is negative")
	}
	if err := checkCards("CardIDs", r.CardIDs); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"bizId":`...)
	b = jsonx.AppendString(b, bizID)
	b = append(b, `,"channel":`...)
	b = jsonx.AppendString(b, r.Channel)
	b = append(b, `,"customerId":`...)
	b = jsonx.AppendString(b, r.CustomerID)
	b = appendCards(b, r.CardIDs)
	b, err := r.Ext.append(b)
	if err != nil {
		return nil, err
	}
	if r.UseCount > 0 {
		b = append(b, `,"useCount":`...)
		b = strconv.AppendInt(b, int64(r.UseCount), 10)
	}
	b = append(b, `,"orderAmount":`...)
	b = strconv.AppendInt(b, int64(r.OrderAmount), 10)
	b = append(b, `,"amount":`...)
	b = strconv.AppendInt(b, int64(r.Amount), 10)
	return append(b, '}'), nil
}

// append appends `,"ext":{…}` to b, or nothing when e is empty.
func (e *WriteOffExt) append(b []byte) ([]byte, error) {
	vals := [...]string{e.ChannelType, e.OrderNo, e.StoreCode}
	n := len(e.Extra)
	for _, v := range vals {
		if v != "" {
			n++
		}
	}
	if n == 0 {
		return b, nil
	}
	b = append(b, `,"ext":{`...)
	first := true
	sep := func() {
		if !first {
			b = append(b, ',')
		}
		first = false
	}
	for i, v := range vals {
		if v != "" {
			sep()
			b = jsonx.AppendString(b, extFields[i])
			b = append(b, ':')
			b = jsonx.AppendString(b, v)
		}
	}
	keys := make([]string, 0, len(e.Extra))
	for k := range e.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "" || slices.Contains(extFields, k) {
			return nil, couponkit.Invalid("Ext.Extra", "key %q is empty or repeats a typed field", k)
		}
		v, err := jsonx.Marshal(e.Extra[k])
		if err != nil {
			return nil, couponkit.Invalid("Ext.Extra["+k+"]", "does not encode as JSON: %v", err)
		}
		sep()
		b = jsonx.AppendString(b, k)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}
