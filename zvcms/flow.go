package zvcms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opReverse is couponReverse: a keyed write, keyed by the bizId of the
// redemption it reverses. The vendor's writeOffCoupon page ties every
// redemption to its reversal by the bizId its answer returns
// (冲正时以返回参数中的bizId为准), and a redemption can be reversed once, so
// sending the same reversal again cannot reverse twice: it is retried like a
// read with the same bizId. There is no generator: the caller names the
// redemption.
var opReverse = &transport.Op{Name: "couponReverse", Path: "/v3/crm/coupon/couponReverse", Class: transport.Keyed, KeyName: KeyName,
	Notes: "[likely]: not on the vendor's public pages; path and params are the vendor family's public CLI's (Qmai, which shares the envelope and token). " +
		"bizId is the one the write-off returned, sent as a string; customerId and couponsCardList (a partial reversal) are sent only when given [open]. " +
		"Whether the gateway also takes the bizId the write-off was sent with is [open] (the fake does, unless zvcmstest.Config.ReverseByVendorBizID)."}

var _ = registry.Add(transport.Describe(Vendor, opReverse, (*Client).ReverseWriteOff, "reverses a redemption by the bizId the vendor returned for it"))

// opIssue is issueCouponsToCustomer. The vendor family sends a bizId with
// it, but no public page says the gateway de-duplicates issues on it
// [open], so by default it is an unsafe write: sent again only when it
// provably never left, and an ambiguous answer is an unknown outcome that
// reports the bizId (look the customer's coupons up before issuing again).
// Config.IssueDeduplicates makes it a keyed write retried with the same
// bizId (issueOp), for a gateway known to apply a bizId once.
var opIssue = &transport.Op{Name: "issueCouponsToCustomer", Path: "/v3/coupon/issueCouponsToCustomer", Class: transport.Unsafe, KeyName: KeyName, NewKey: newBizID,
	Notes: "[likely]: params bizId, couponId, customerId, num and thirdChannel, and the answer {cardId, cardIdList, num}, as the vendor family's public clients have them. " +
		"Whether the gateway de-duplicates on bizId is [open] (see Writes)."}

var _ = registry.Add(transport.Describe(Vendor, opIssue, (*Client).IssueCoupons, "issues coupons of one kind to a customer"))

// issueOp is opIssue, keyed when the gateway de-duplicates issues.
func issueOp(dedup bool) *transport.Op {
	if !dedup {
		return opIssue
	}
	op := *opIssue
	op.Class = transport.Keyed
	return &op
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
	if err := req.validate(); err != nil {
		return nil, err
	}
	bizID, err := c.key(opReverse, req.BizID)
	if err != nil {
		return nil, err
	}
	var data json.RawMessage
	meta, err := transport.Send(ctx, &c.typed, opReverse, bizID, (*reverseParams)(req), &data)
	if err != nil {
		return nil, err
	}
	return &ReverseResult{BizID: bizID, Data: data, Meta: meta}, nil
}

func (r *ReverseRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("ReverseRequest", "is nil")
	case strings.TrimSpace(r.BizID) != r.BizID:
		return couponkit.Invalid("BizID", "has leading or trailing spaces")
	}
	return checkCards("CardIDs", r.CardIDs)
}

// reverseParams is couponReverse's params [open]: ReverseRequest's fields
// with their wire names, bizId as a string; customerId and couponsCardList
// left out when empty.
type reverseParams struct {
	BizID      string   `json:"bizId"`
	CustomerID string   `json:"customerId,omitempty"`
	CardIDs    []string `json:"couponsCardList,omitempty"`
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
	if err := req.validate(); err != nil {
		return nil, err
	}
	bizID, err := c.key(c.opIssue, req.BizID)
	if err != nil {
		return nil, err
	}
	p := &issueParams{BizID: bizID, CouponID: req.CouponID, CustomerID: req.CustomerID, Num: req.Num, ThirdChannel: req.ThirdChannel}
	var a issueAnswer
	meta, err := transport.Send(ctx, &c.typed, c.opIssue, bizID, p, &a)
	if err != nil {
		return nil, err
	}
	codes := a.codes()
	return &IssueResult{BizID: bizID, CardIDs: codes, Num: len(codes), Meta: meta}, nil
}

func (r *IssueRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("IssueRequest", "is nil")
	case strings.TrimSpace(r.BizID) != r.BizID:
		return couponkit.Invalid("BizID", "is empty or has leading or trailing spaces")
	case strings.TrimSpace(r.CustomerID) == "":
		return couponkit.Invalid("CustomerID", "is required")
	case strings.TrimSpace(r.CouponID) == "":
		return couponkit.Invalid("CouponID", "is required")
	case r.Num < 1:
		return couponkit.Invalid("Num", "must be at least 1, not %d", r.Num)
	}
	return nil
}

// issueParams is issueCouponsToCustomer's params, as the vendor family's
// public clients send them [likely].
type issueParams struct {
	BizID        string `json:"bizId"`
	CouponID     string `json:"couponId"`
	CustomerID   string `json:"customerId"`
	Num          int    `json:"num"`
	ThirdChannel string `json:"thirdChannel,omitempty"`
}

// issueAnswer is issueCouponsToCustomer's data [likely]: {cardId,
// cardIdList, num}, codes as strings or numbers, num as a number or a
// string.
type issueAnswer struct {
	CardID  wiretype.Text   `json:"cardId"`
	CardIDs []wiretype.Text `json:"cardIdList"`
	Num     count           `json:"num"`
}

// codes returns the codes issued: cardIdList, or cardId alone when the
// answer lists none.
func (a *issueAnswer) codes() []string {
	if codes := texts(a.CardIDs); len(codes) > 0 || a.CardID == "" {
		return codes
	}
	return []string{string(a.CardID)}
}

// Complete requires the codes issued, the thing an issue exists for: at
// least one, and as many as num says when it says. A success without them
// is unreadable: the issue's outcome is unknown.
func (a *issueAnswer) Complete() error {
	n := len(a.codes())
	switch {
	case n == 0:
		return transport.Missing("cardIdList or cardId")
	case a.Num.ok && a.Num.n != int64(n):
		return fmt.Errorf("num is %d but the answer lists %d codes", a.Num.n, n)
	}
	return nil
}
