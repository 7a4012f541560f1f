package zvcms

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
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
// (writeOffCoupon). Every field is on the vendor's page (doc3 id=472, 7.4.9
// 优惠券核销) [known]; couponsCardList as an array of cardId strings is
// [likely] (the page's example shows one id in brackets).
//
// The page types customerId, groupId, type, ext.channelType,
// ext.multiStoreId, useCount, amount and orderAmount as int: the integers
// are sent as JSON numbers, and so are CustomerID and Ext.ChannelType, which
// are strings here, whenever they are a decimal integer (no sign, no leading
// zero, within int64); any other text is sent as a JSON string, as given (the
// vendor's own getCustomerCoupons page types customerId as a string, and
// its gateway decides what it accepts).
type WriteOffRequest struct {
	// BizID is the redemption's business id (bizId) as this client sends it:
	// the idempotency key. A retried attempt carries the same BizID, and the
	// vendor applies a BizID once. Empty means the client generates one
	// (Config.NewKey, by default 32 hex digits) and returns it in
	// WriteOffResult.BizID and in an unknown-outcome error; set it yourself
	// (from your order, say) when you must find the redemption again after a
	// crash. No leading or trailing spaces. A reversal needs the bizId the
	// vendor returns (WriteOffResult.VendorBizID), not this one.
	BizID string
	// Channel is the merchant account name (channel, 账户名), such as
	// "naixue". Required.
	Channel string
	// CustomerID is the owner's customer id (customerId, an int on the page,
	// sent as a number when it is one). Required, unless ScanCodes is set.
	CustomerID string
	// GroupID is the group's id (groupId, 集团ID); 0 leaves the field out. Not
	// negative.
	GroupID int64
	// CardIDs are the codes of the coupons to redeem (couponsCardList, the
	// coupons' cardId), or, with ScanCodes, the codes scanned at the till.
	// At least one; exactly one with UseCount (a multi-use coupon); no empty
	// or repeated code.
	CardIDs []string
	// ScanCodes says CardIDs are scan codes (扫码核销码) rather than cardIds:
	// it sends type 1, and CustomerID may be left empty (the page makes
	// customerId optional then).
	ScanCodes bool
	// Ext describes the order and the store (ext).
	Ext WriteOffExt
	// UseCount is how many uses of a multi-use coupon (次券) to redeem
	// (useCount): required for such a coupon, and the vendor tells a
	// multi-use redemption by it; then CardIDs holds exactly one code. 0
	// leaves the field out. Not negative.
	UseCount int
	// TradeMarks are the codes of the goods of the order (tradeMarks,
	// 商品编码数组), which a paper coupon's redemption may need; empty leaves
	// the field out. No empty code.
	TradeMarks []string
	// OrderAmount is the amount of the order the redemption belongs to, in
	// fen (orderAmount, 分), sent as an integer. Not negative.
	OrderAmount couponkit.Fen
	// Amount is the amount the coupon redeems, in fen (amount, 分), sent as
	// an integer. Not negative.
	Amount couponkit.Fen
	// ThirdOrderNo is a third party's order number (thirdOrderNo, 三方订单号);
	// empty leaves the field out.
	ThirdOrderNo string
}

// Sales channels of WriteOffExt.ChannelType (核销渠道), as the vendor's page
// numbers them.
const (
	ChannelTypeAlipay     = "1" // 支付宝
	ChannelTypeWeChat     = "2" // 微信
	ChannelTypePOS        = "3" // pos
	ChannelTypeMeituan    = "4" // 美团
	ChannelTypeEleme      = "5" // 饿了么
	ChannelTypeYouzan     = "6" // 有赞商城
	ChannelTypeThirdParty = "7" // 三方
)

// WriteOffExt is the ext object of a redemption. Empty fields are left out,
// and so is ext when every field is empty.
type WriteOffExt struct {
	// ChannelType is the sales channel the coupon is redeemed through
	// (channelType, 核销渠道, an int on the page), such as
	// ChannelTypePOS; sent as a number when it is a decimal integer.
	ChannelType string
	// StoreID is the redeeming store's id (multiStoreId, 核销门店id); 0 leaves
	// the field out. Not negative.
	StoreID int64
	// StoreCode is the redeeming store's code (multiStoreMark, 核销门店编码).
	// The page requires it for paper coupons and, since a till cannot tell
	// them apart, asks for it with every redemption.
	StoreCode string
	// OrderNo is the order number (orderNo).
	OrderNo string
	// Reason is the reason for the redemption (reason, 原因).
	Reason string
	// Extra holds other ext fields, sent after the ones above in key order.
	// Values are encoded as JSON; a key must not repeat one of the fields
	// above (by their wire names).
	Extra map[string]any
}

// WriteOffResult is the answer to a successful WriteOffCoupon.
type WriteOffResult struct {
	// BizID is the bizId the redemption was sent with (given or generated):
	// its idempotency key, the one an unknown outcome reports.
	BizID string
	// VendorBizID is the bizId the vendor returned (data.bizId, an int on the
	// page, kept as its decimal text): the id a reversal takes, since the
	// page says a reversal goes by the returned bizId (冲正时以返回参数中的bizId
	// 为准). A success always has one. Use ReverseRequest to build the
	// reversal.
	VendorBizID string
	// CardIDs are the codes of the redeemed coupons as the vendor lists them
	// (cardIdList, the coupons' cardId: with ScanCodes, the cards the scan
	// codes stood for), or nil when the answer lists none.
	CardIDs []string
	// Data is the vendor's data object as received (bizId, cardIdList,
	// userInfo …).
	Data json.RawMessage
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// ReverseRequest returns the request that reverses all of this redemption:
// keyed by VendorBizID (or BizID, for a result that has none, such as one
// kept from before VendorBizID existed). Set its CustomerID or CardIDs for a
// gateway that wants them or a partial reversal.
func (r *WriteOffResult) ReverseRequest() *ReverseRequest {
	return &ReverseRequest{BizID: cmp.Or(r.VendorBizID, r.BizID)}
}

// WriteOffCoupon redeems coupons. It is a keyed write: retried like a read,
// each attempt signed afresh with the same bizId, which the vendor applies
// once. When the outcome cannot be known (the connection failed, the vendor
// answered 5xx, or its answer cannot be read, after the request left; or the
// vendor then refused a retry, say because that attempt redeemed the coupon)
// the error matches couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey
// returns the bizId sent: query the coupons (or send the same request again)
// before redeeming anew.
//
// The call exists for the redemption and the vendor's id of it: a success
// whose data has no bizId (absent, null, "" or 0) is unreadable, so it is
// retried and then an unknown outcome, never a success without the id a
// reversal needs.
func (c *Client) WriteOffCoupon(ctx context.Context, req *WriteOffRequest) (*WriteOffResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("WriteOffRequest", "is nil")
	}
	return write(ctx, c, opWriteOff, req.BizID, req.params, func(bizID string) (*WriteOffResult, dataDecoder, *couponkit.Meta) {
		o := &struct { // one allocation for the result and its decoder
			res WriteOffResult
			ans writeOffAnswer
		}{res: WriteOffResult{BizID: bizID}}
		o.ans.out = &o.res
		return &o.res, &o.ans, &o.res.Meta
	})
}

// writeOffAnswer reads the answer to one WriteOffCoupon into out.
type writeOffAnswer struct{ out *WriteOffResult }

func (a *writeOffAnswer) reset() { a.out.VendorBizID, a.out.CardIDs, a.out.Data = "", nil, nil }

var writeOffFields = []string{"bizId", "cardIdList"}

// decodeData reads data {bizId, cardIdList, …}: bizId as a number or a
// string, the codes as strings or numbers. Of a repeated member the last
// counts. data that is not an object is unreadable.
func (a *writeOffAnswer) decodeData(v []byte) error {
	a.out.Data = json.RawMessage(v)
	var err error
	isObject := jsonx.EachMember(v, func(name, value []byte) bool {
		var text []byte
		switch jsonx.FieldIndex(name, writeOffFields) {
		case 0:
			text, err = scalar(value)
			a.out.VendorBizID = string(text)
		case 1:
			a.out.CardIDs = nil
			isArray := jsonx.EachElement(value, func(e []byte) bool {
				if text, err = scalar(e); err == nil && len(text) > 0 {
					a.out.CardIDs = append(a.out.CardIDs, string(text))
				}
				return err == nil
			})
			if !isArray && value[0] != 'n' {
				err = errors.New("cardIdList: want an array")
			}
		}
		return err == nil
	})
	if !isObject {
		return errors.New("data is not an object: " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	return err
}

// done requires the vendor's bizId, the id a reversal takes.
func (a *writeOffAnswer) done() error {
	if id := a.out.VendorBizID; id == "" || isZero(id) {
		return errors.New("success without the vendor's bizId of the redemption")
	}
	return nil
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

// extFields are the typed ext fields' wire names, in the order sent.
var extFields = []string{"channelType", "multiStoreId", "multiStoreMark", "orderNo", "reason"}

// params validates r and encodes the business object with bizID.
func (r *WriteOffRequest) params(bizID string) ([]byte, error) {
	if strings.TrimSpace(bizID) != bizID || bizID == "" {
		return nil, couponkit.Invalid("BizID", "is empty or has leading or trailing spaces")
	}
	switch {
	case strings.TrimSpace(r.Channel) == "":
		return nil, couponkit.Invalid("Channel", "is required")
	case strings.TrimSpace(r.CustomerID) == "" && !r.ScanCodes:
		return nil, couponkit.Invalid("CustomerID", "is required (unless ScanCodes)")
	case r.GroupID < 0:
		return nil, couponkit.Invalid("GroupID", "is negative")
	case len(r.CardIDs) == 0:
		return nil, couponkit.Invalid("CardIDs", "needs at least one coupon code")
	case r.UseCount < 0:
		return nil, couponkit.Invalid("UseCount", "is negative")
	case r.UseCount > 0 && len(r.CardIDs) != 1:
		return nil, couponkit.Invalid("CardIDs", "must hold exactly one code with UseCount (a multi-use coupon), not %d", len(r.CardIDs))
	case r.Ext.StoreID < 0:
		return nil, couponkit.Invalid("Ext.StoreID", "is negative")
	case r.OrderAmount < 0:
		return nil, couponkit.Invalid("OrderAmount", "is negative")
	case r.Amount < 0:
		return nil, couponkit.Invalid("Amount", "is negative")
	}
	if err := checkCards("CardIDs", r.CardIDs); err != nil {
		return nil, err
	}
	for i, m := range r.TradeMarks {
		if strings.TrimSpace(m) == "" {
			return nil, couponkit.Invalid("TradeMarks["+strconv.Itoa(i)+"]", "is empty")
		}
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"bizId":`...)
	b = jsonx.AppendString(b, bizID)
	b = append(b, `,"channel":`...)
	b = jsonx.AppendString(b, r.Channel)
	if r.CustomerID != "" {
		b = append(b, `,"customerId":`...)
		b = appendInteger(b, r.CustomerID)
	}
	if r.GroupID > 0 {
		b = append(b, `,"groupId":`...)
		b = strconv.AppendInt(b, r.GroupID, 10)
	}
	b = appendCards(b, r.CardIDs)
	if r.ScanCodes {
		b = append(b, `,"type":1`...)
	}
	b, err := r.Ext.append(b)
	if err != nil {
		return nil, err
	}
	if r.UseCount > 0 {
		b = append(b, `,"useCount":`...)
		b = strconv.AppendInt(b, int64(r.UseCount), 10)
	}
	if len(r.TradeMarks) > 0 {
		b = append(b, `,"tradeMarks":`...)
		b = appendStrings(b, r.TradeMarks)
	}
	b = append(b, `,"orderAmount":`...)
	b = strconv.AppendInt(b, int64(r.OrderAmount), 10)
	b = append(b, `,"amount":`...)
	b = strconv.AppendInt(b, int64(r.Amount), 10)
	if r.ThirdOrderNo != "" {
		b = append(b, `,"thirdOrderNo":`...)
		b = jsonx.AppendString(b, r.ThirdOrderNo)
	}
	return append(b, '}'), nil
}

// appendInteger appends s as a JSON number when it is a decimal integer
// the vendor's int (a Java long) holds: digits without a sign or a leading
// zero, at most 2^63-1. Anything else is appended as a JSON string.
func appendInteger(b []byte, s string) []byte {
	if isDecimal(s) {
		return append(b, s...)
	}
	return jsonx.AppendString(b, s)
}

// isDecimal reports whether s is "0" or digits without a leading zero, at
// most 2^63-1.
func isDecimal(s string) bool {
	if s == "0" {
		return true
	}
	if s == "" || s[0] == '0' || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// appendStrings appends ss as a JSON array of strings.
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonx.AppendString(b, s)
	}
	return append(b, ']')
}

// append appends `,"ext":{…}` to b, or nothing when e is empty.
func (e *WriteOffExt) append(b []byte) ([]byte, error) {
	vals := [...]string{e.ChannelType, "", e.StoreCode, e.OrderNo, e.Reason}
	if e.StoreID > 0 {
		vals[1] = strconv.FormatInt(e.StoreID, 10)
	}
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
		if v == "" {
			continue
		}
		sep()
		b = jsonx.AppendString(b, extFields[i])
		b = append(b, ':')
		switch i {
		case 0, 1: // channelType and multiStoreId: ints on the page
			b = appendInteger(b, v)
		default:
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
