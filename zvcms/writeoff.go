package zvcms

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// KeyName is the vendor's name of the idempotency key of every write
// (WriteOffCoupon, ReverseWriteOff, IssueCoupons): the params field bizId,
// the name a couponkit.UnknownOutcomeError reports with the key.
const KeyName = "bizId"

var opWriteOff = &transport.Op{Name: "writeOffCoupon", Path: couponPath + "writeOffCoupon", Class: transport.Keyed, KeyName: KeyName, NewKey: newBizID}

var _ = registry.Add(transport.Describe(Vendor, opWriteOff, (*Client).WriteOffCoupon, "redeems coupons; returns the vendor's bizId, which a reversal takes"))

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
	if err := req.validate(); err != nil {
		return nil, err
	}
	bizID, err := c.key(opWriteOff, req.BizID)
	if err != nil {
		return nil, err
	}
	o := new(struct { // one allocation for the params, the answer and the result
		params writeOffParams
		answer writeOffAnswer
		result WriteOffResult
	})
	req.params(&o.params, bizID)
	meta, err := transport.Send(ctx, &c.typed, opWriteOff, bizID, &o.params, &o.answer)
	if err != nil {
		return nil, err
	}
	a := &o.answer
	o.result = WriteOffResult{BizID: bizID, VendorBizID: string(a.BizID), CardIDs: texts(a.CardIDs), Data: a.data, Meta: meta}
	return &o.result, nil
}

// key returns the bizId of a write: the given one, or a generated one (see
// Config.NewKey) that must be usable as given.
func (c *Client) key(op *transport.Op, given string) (string, error) {
	key, err := c.ep.Key(op, "BizID", given)
	if err == nil && (key == "" || strings.TrimSpace(key) != key) {
		return "", couponkit.Invalid("BizID", "is empty or has leading or trailing spaces")
	}
	return key, err
}

// extFields are the typed ext fields' wire names, which Ext.Extra must not
// repeat.
var extFields = []string{"channelType", "multiStoreId", "multiStoreMark", "orderNo", "reason"}

func (r *WriteOffRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("WriteOffRequest", "is nil")
	case strings.TrimSpace(r.BizID) != r.BizID:
		return couponkit.Invalid("BizID", "is empty or has leading or trailing spaces")
	case strings.TrimSpace(r.Channel) == "":
		return couponkit.Invalid("Channel", "is required")
	case strings.TrimSpace(r.CustomerID) == "" && !r.ScanCodes:
		return couponkit.Invalid("CustomerID", "is required (unless ScanCodes)")
	case r.GroupID < 0:
		return couponkit.Invalid("GroupID", "is negative")
	case len(r.CardIDs) == 0:
		return couponkit.Invalid("CardIDs", "needs at least one coupon code")
	case r.UseCount < 0:
		return couponkit.Invalid("UseCount", "is negative")
	case r.UseCount > 0 && len(r.CardIDs) != 1:
		return couponkit.Invalid("CardIDs", "must hold exactly one code with UseCount (a multi-use coupon), not %d", len(r.CardIDs))
	case r.Ext.StoreID < 0:
		return couponkit.Invalid("Ext.StoreID", "is negative")
	case r.OrderAmount < 0:
		return couponkit.Invalid("OrderAmount", "is negative")
	case r.Amount < 0:
		return couponkit.Invalid("Amount", "is negative")
	}
	if err := checkCards("CardIDs", r.CardIDs); err != nil {
		return err
	}
	for i, m := range r.TradeMarks {
		if strings.TrimSpace(m) == "" {
			return couponkit.Invalid("TradeMarks["+strconv.Itoa(i)+"]", "is empty")
		}
	}
	for k, v := range r.Ext.Extra {
		if k == "" || slices.Contains(extFields, k) {
			return couponkit.Invalid("Ext.Extra", "key %q is empty or repeats a typed field", k)
		}
		if _, err := jsonx.Marshal(v); err != nil {
			return couponkit.Invalid("Ext.Extra["+k+"]", "does not encode as JSON: %v", err)
		}
	}
	return nil
}

// params sets p to the business object with bizID.
func (r *WriteOffRequest) params(p *writeOffParams, bizID string) {
	*p = writeOffParams{BizID: bizID, Channel: r.Channel, CustomerID: intText(r.CustomerID), GroupID: r.GroupID,
		CardIDs: r.CardIDs, UseCount: r.UseCount, TradeMarks: r.TradeMarks,
		OrderAmount: r.OrderAmount, Amount: r.Amount, ThirdOrderNo: r.ThirdOrderNo}
	if r.ScanCodes {
		p.Type = 1
	}
	e := &r.Ext
	p.ext = writeOffExt{ChannelType: intText(e.ChannelType), StoreID: e.StoreID, StoreCode: e.StoreCode, OrderNo: e.OrderNo, Reason: e.Reason}
	switch {
	case len(e.Extra) > 0:
		p.Ext = extWithExtra{&p.ext, e.Extra}
	case p.ext != writeOffExt{}:
		p.Ext = &p.ext
	}
}

// writeOffParams is writeOffCoupon's params as doc3 id=472 lists them, in
// its order; an empty optional field is left out. customerId and
// ext.channelType go as JSON numbers when they are decimal integers (see
// intText); the amounts as JSON numbers of fen (couponkit.Fen writes itself
// so, without wiretype.Fen's allocation per value).
type writeOffParams struct {
	BizID        string        `json:"bizId"`
	Channel      string        `json:"channel"`
	CustomerID   any           `json:"customerId,omitempty"` // intText
	GroupID      int64         `json:"groupId,omitempty"`
	CardIDs      []string      `json:"couponsCardList"`
	Type         int           `json:"type,omitempty"` // 1: CardIDs are scan codes
	Ext          any           `json:"ext,omitempty"`  // a *writeOffExt or an extWithExtra; nil: none
	UseCount     int           `json:"useCount,omitempty"`
	TradeMarks   []string      `json:"tradeMarks,omitempty"`
	OrderAmount  couponkit.Fen `json:"orderAmount"`
	Amount       couponkit.Fen `json:"amount"`
	ThirdOrderNo string        `json:"thirdOrderNo,omitempty"`

	ext writeOffExt // Ext's storage
}

// writeOffExt is the ext object's typed fields, the page's.
type writeOffExt struct {
	ChannelType any    `json:"channelType,omitempty"` // intText
	StoreID     int64  `json:"multiStoreId,omitempty"`
	StoreCode   string `json:"multiStoreMark,omitempty"`
	OrderNo     string `json:"orderNo,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// extWithExtra is an ext object with WriteOffExt.Extra's members, written
// after the typed fields in key order.
type extWithExtra struct {
	*writeOffExt
	extra map[string]any
}

// MarshalJSON writes the typed fields with encoding/json and appends the
// extra members: encoding/json cannot put a map's members beside a
// struct's fields.
func (e extWithExtra) MarshalJSON() ([]byte, error) {
	b, err := jsonx.Marshal(e.writeOffExt)
	if err != nil {
		return nil, err
	}
	b = b[:len(b)-1]
	for _, k := range slices.Sorted(maps.Keys(e.extra)) {
		v, err := jsonx.Marshal(e.extra[k])
		if err != nil {
			return nil, err
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(jsonx.AppendString(b, k), ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// writeOffAnswer is writeOffCoupon's data [known]: {bizId (int), cardIdList,
// userInfo}; bizId and the codes as strings or numbers. The result keeps
// data whole (WriteOffResult.Data).
type writeOffAnswer struct {
	BizID   wiretype.Text   `json:"bizId"`
	CardIDs []wiretype.Text `json:"cardIdList"`
	data    json.RawMessage
}

// UnmarshalJSON decodes the answer and keeps data: transport.Send hands it
// a slice of the body, which the result's Meta.Raw keeps too.
func (a *writeOffAnswer) UnmarshalJSON(b []byte) error {
	type fields writeOffAnswer // without this method
	a.data = b
	return json.Unmarshal(b, (*fields)(a))
}

// Complete requires the vendor's bizId, the id a reversal takes.
func (a *writeOffAnswer) Complete() error {
	if isZero(string(a.BizID)) || a.BizID == "" {
		return transport.Missing("bizId")
	}
	return nil
}

// texts returns the non-empty texts, nil for none.
func texts(list []wiretype.Text) []string {
	var out []string
	for _, t := range list {
		if t != "" {
			out = append(out, string(t))
		}
	}
	return out
}
