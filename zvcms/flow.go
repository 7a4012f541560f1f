package zvcms

import (
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

// Default paths of the calls whose paths are not on the vendor's public
// pages [likely]: they are the paths of the same vendor family's public CLI
// (the Qmai platform, which shares zvcms's envelope and token). Config's
// ReversePath, IssuePath and CouponListPath replace them.
const (
	DefaultReversePath    = couponPath + "couponReverse"
	DefaultIssuePath      = "/v3/coupon/issueCouponsToCustomer"
	DefaultCouponListPath = couponPath + "getCustomerCouponList"
)

// newReverseOp is couponReverse: a keyed write, keyed by the bizId of the
// redemption it reverses. The vendor's writeOffCoupon page ties every
// redemption to its reversal by the bizId its answer returns
// (冲正时以返回参数中的bizId为准), and a redemption can be reversed once, so
// sending the same reversal again cannot reverse twice: it is retried like a
// read with the same bizId. There is no generator: the caller names the
// redemption.
func newReverseOp(path string) *transport.Op {
	return &transport.Op{Name: "couponReverse", Path: path, Class: transport.Keyed, KeyName: KeyName}
}

// newIssueOp is issueCouponsToCustomer. The vendor family sends a bizId with
// it, but no public page says the gateway de-duplicates issues on it
// [open], so by default it is an unsafe write: sent again only when it
// provably never left, and an ambiguous answer is an unknown outcome that
// reports the bizId (look the customer's coupons up before issuing again).
// Config.IssueDeduplicates makes it a keyed write retried with the same
// bizId, for a gateway known to apply a bizId once.
func newIssueOp(path string, dedup bool) *transport.Op {
	op := &transport.Op{Name: "issueCouponsToCustomer", Path: path, Class: transport.Unsafe, KeyName: KeyName, NewKey: newBizID}
	if dedup {
		op.Class = transport.Keyed
	}
	return op
}

// ReverseRequest reverses (冲正) a redemption made with WriteOffCoupon
// (couponReverse [likely]): the coupons it redeemed become unused again.
//
// Only bizId is known to identify the redemption; customerId and
// couponsCardList are sent when given, for a gateway that wants them
// [open]. WriteOffResult.ReverseRequest builds one from a redemption's
// result.
type ReverseRequest struct {
	// BizID is the redemption's bizId as the vendor returned it
	// (WriteOffResult.VendorBizID): the vendor's page says a reversal goes by
	// the returned bizId, not the one the write-off was sent with (which may
	// differ) [known]. It is sent as a string (the reversal's params are
	// [open]). Required: it is the reversal's idempotency key. No leading or
	// trailing spaces.
	BizID string
	// CustomerID is the owner's customer id (customerId) [open]; empty leaves
	// the field out.
	CustomerID string
	// CardIDs, when not empty, reverses only these codes of the redemption
	// (couponsCardList) [open]; empty reverses all of it. No empty or
	// repeated code.
	CardIDs []string
}

// ReverseResult is the answer to a successful ReverseWriteOff.
type ReverseResult struct {
	// BizID is the reversed redemption's bizId, as sent.
	BizID string
	// Data is the vendor's data object as received (its content is not
	// documented), or nil.
	Data json.RawMessage
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// ReverseWriteOff reverses a redemption by the bizId the vendor returned for
// it (see ReverseRequest.BizID). It is a keyed write: retried like a read,
// each attempt signed afresh with the same bizId. When the outcome cannot be
// known, the error matches couponkit.ErrUnknownOutcome and
// couponkit.IdempotencyKey returns the bizId: query the coupons (or send the
// same reversal again) to learn it. That includes a retry the vendor refuses
// after an attempt that may have been applied (the coupon no longer
// redeemed, say, because that attempt reversed it): the refusal is reachable
// with errors.As, but it does not mean nothing was reversed.
//
// The reversal exists to undo the redemption, and no answer of it is
// published [open]: status true with code 0 is the whole of a success, and
// data, whatever it holds (or none), is kept raw. There is no id or list in
// it the client could require.
func (c *Client) ReverseWriteOff(ctx context.Context, req *ReverseRequest) (*ReverseResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("ReverseRequest", "is nil")
	}
	return write(ctx, c, c.opReverse, req.BizID, req.params, func(bizID string) (*ReverseResult, dataDecoder, *couponkit.Meta) {
		out := &ReverseResult{BizID: bizID}
		return out, (*rawData)(&out.Data), &out.Meta
	})
}

// params validates r and encodes the business object with bizID.
func (r *ReverseRequest) params(bizID string) ([]byte, error) {
	if strings.TrimSpace(bizID) != bizID {
		return nil, couponkit.Invalid("BizID", "has leading or trailing spaces")
	}
	if err := checkCards("CardIDs", r.CardIDs); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(bizID)+len(r.CustomerID)+24*len(r.CardIDs))
	b = append(b, `{"bizId":`...)
	b = jsonx.AppendString(b, bizID)
	if r.CustomerID != "" {
		b = append(b, `,"customerId":`...)
		b = jsonx.AppendString(b, r.CustomerID)
	}
	if len(r.CardIDs) > 0 {
		b = appendCards(b, r.CardIDs)
	}
	return append(b, '}'), nil
}

// checkCards refuses an empty or repeated code.
func checkCards(field string, ids []string) error {
	for i, id := range ids {
		if strings.TrimSpace(id) == "" {
			return couponkit.Invalid(field+"["+strconv.Itoa(i)+"]", "is empty")
		}
		if slices.Contains(ids[:i], id) {
			return couponkit.Invalid(field+"["+strconv.Itoa(i)+"]", "repeats %q", id)
		}
	}
	return nil
}

// appendCards appends `,"couponsCardList":[…]`.
func appendCards(b []byte, ids []string) []byte {
	b = append(b, `,"couponsCardList":[`...)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonx.AppendString(b, id)
	}
	return append(b, ']')
}

// IssueRequest issues coupons of one kind to a customer
// (issueCouponsToCustomer [likely]). The wire names bizId, couponId,
// customerId, num and thirdChannel are those the vendor family's public
// clients send.
type IssueRequest struct {
	// BizID is the issue's business id (bizId), reported as the key of an
	// unknown outcome. Empty means the client generates one (Config.NewKey, by
	// default 32 hex digits). No leading or trailing spaces.
	BizID string
	// CustomerID is the receiving customer's id (customerId). Required.
	CustomerID string
	// CouponID is the id of the coupon to issue (couponId, 优惠券id, as in
	// Coupon.CouponID), such as "389420520079552512". Required.
	CouponID string
	// Num is how many to issue (num). At least 1.
	Num int
	// ThirdChannel names the issuing channel (thirdChannel) [open]; empty
	// leaves the field out.
	ThirdChannel string
}

// IssueResult is the answer to a successful IssueCoupons.
type IssueResult struct {
	// BizID is the issue's business id (given or generated).
	BizID string
	// CardIDs are the codes of the issued coupons (cardIdList, or cardId
	// alone when the vendor sends no list), the codes to redeem: at least
	// one. Fewer than IssueRequest.Num asked for means fewer were issued.
	CardIDs []string
	// Num is how many coupons were issued: len(CardIDs), which equals the
	// vendor's num when it says.
	Num int
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// IssueCoupons issues Num coupons of one kind to a customer. By default it
// is an unsafe write (see Config.IssueDeduplicates): it is sent again only
// when the request provably never left, and when its outcome cannot be known
// the error matches couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey
// returns the bizId; list the customer's coupons before issuing again. With
// Config.IssueDeduplicates it is retried with the same bizId, and a retry the
// vendor refuses after an attempt that may have been applied is an unknown
// outcome too (the refusal reachable with errors.As), never a plain refusal.
//
// The call exists for the codes issued: a success that lists none (data
// absent, null or not an object, no cardIdList or cardId) or lists another
// number of codes than its num is unreadable, so its outcome is unknown (at
// once, or after the retries of a keyed issue), never a success with nothing
// to hand out.
func (c *Client) IssueCoupons(ctx context.Context, req *IssueRequest) (*IssueResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("IssueRequest", "is nil")
	}
	return write(ctx, c, c.opIssue, req.BizID, req.params, func(bizID string) (*IssueResult, dataDecoder, *couponkit.Meta) {
		out := &IssueResult{BizID: bizID}
		return out, &issueAnswer{out: out}, &out.Meta
	})
}

// params validates r and encodes the business object with bizID.
func (r *IssueRequest) params(bizID string) ([]byte, error) {
	switch {
	case strings.TrimSpace(bizID) != bizID || bizID == "":
		return nil, couponkit.Invalid("BizID", "is empty or has leading or trailing spaces")
	case strings.TrimSpace(r.CustomerID) == "":
		return nil, couponkit.Invalid("CustomerID", "is required")
	case strings.TrimSpace(r.CouponID) == "":
		return nil, couponkit.Invalid("CouponID", "is required")
	case r.Num < 1:
		return nil, couponkit.Invalid("Num", "must be at least 1, not %d", r.Num)
	}
	b := make([]byte, 0, 96+len(bizID)+len(r.CustomerID)+len(r.CouponID)+len(r.ThirdChannel))
	b = append(b, `{"bizId":`...)
	b = jsonx.AppendString(b, bizID)
	b = append(b, `,"couponId":`...)
	b = jsonx.AppendString(b, r.CouponID)
	b = append(b, `,"customerId":`...)
	b = jsonx.AppendString(b, r.CustomerID)
	b = append(b, `,"num":`...)
	b = strconv.AppendInt(b, int64(r.Num), 10)
	if r.ThirdChannel != "" {
		b = append(b, `,"thirdChannel":`...)
		b = jsonx.AppendString(b, r.ThirdChannel)
	}
	return append(b, '}'), nil
}

// issueAnswer reads the answer to one IssueCoupons into out.
type issueAnswer struct {
	out    *IssueResult
	one    string // cardId
	num    int64  // num, when numSet
	numSet bool
}

func (a *issueAnswer) reset() {
	a.out.CardIDs, a.out.Num, a.one, a.num, a.numSet = nil, 0, "", 0, false
}

var issueFields = []string{"cardId", "cardIdList", "num"}

// decodeData reads {cardId, cardIdList, num}; codes may arrive as strings or
// numbers, num as a number or a string. Of a repeated member the last
// counts. data that is not an object is unreadable.
func (a *issueAnswer) decodeData(v []byte) error {
	var err error
	isObject := jsonx.EachMember(v, func(name, value []byte) bool {
		var text []byte
		switch jsonx.FieldIndex(name, issueFields) {
		case 0:
			text, err = scalar(value)
			a.one = string(text)
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
		case 2:
			a.num, a.numSet = 0, false
			if text, err = scalar(value); err == nil && len(text) > 0 {
				a.num, err = parseInt("num", text)
				a.numSet = err == nil
			}
		}
		return err == nil
	})
	if !isObject {
		return errors.New("data is not an object: " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	return err
}

// done requires the codes issued, the thing an issue exists for: at least
// one (cardIdList, or cardId alone), and as many as num says when it says.
// A success without them is unreadable: the issue's outcome is unknown.
func (a *issueAnswer) done() error {
	o := a.out
	if len(o.CardIDs) == 0 && a.one != "" {
		o.CardIDs = []string{a.one}
	}
	switch {
	case len(o.CardIDs) == 0:
		return errors.New("success without a code issued (no cardIdList or cardId)")
	case a.numSet && a.num != int64(len(o.CardIDs)):
		return errors.New("num is " + strconv.FormatInt(a.num, 10) + " but the answer lists " + strconv.Itoa(len(o.CardIDs)) + " codes")
	}
	o.Num = len(o.CardIDs)
	return nil
}
