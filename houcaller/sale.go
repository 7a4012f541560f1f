package houcaller

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/money"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opSale is the sale, an Unsafe write keyed by saleNo: de-duplication by
// saleNo is undocumented [open]. opSaleKeyed is the sale with
// Config.SaleNoDedup, a Keyed write.
var (
	opSale      = &transport.Op{Name: EndpointSellCard, Path: EndpointSellCard, Class: transport.Unsafe, KeyName: SaleKeyName, NewKey: newSaleNo}
	opSaleKeyed = keyed(opSale)
)

var _ = registry.Add(transport.Describe(Vendor, opSale, (*Client).SellCard, "sells a 名牛卡 to a member; returns the coupon codes issued and the member card"))

// SaleKeyName is the wire name of a sale's idempotency key, saleNo
// (SellCardRequest.SaleNo), as couponkit.UnknownOutcomeError.KeyName and the
// KeyName of couponkit.CallInfo report it.
const SaleKeyName = "saleNo"

// newSaleNo is the default Config.NewKey: the Beijing date of now,
// "yyyyMMdd", followed by 16 random hex digits (24 characters).
func newSaleNo(now time.Time) string {
	return now.In(cntime.Location()).Format("20060102") + ids.Hex(8)
}

// SellCardRequest is a 名牛卡 sale (sendMncardForSale).
type SellCardRequest struct {
	// CardInfoID is the card on sale (cardInfoId). Required.
	CardInfoID string
	// SaleTime is when the card was sold, sent as "yyyy-MM-dd HH:mm:ss" in
	// Beijing time whatever its location (saleTime). Required, within the
	// years 0000–9999 in Beijing time.
	SaleTime time.Time
	// SaleUser is the sales clerk (saleUser). Optional.
	SaleUser string
	// SaleOrgCode is the restaurant that sold the card (saleOrgCode). Optional.
	SaleOrgCode string
	// PayAmount is the amount paid, not negative, with at most 16 integer
	// digits in yuan; it is sent in yuan as a JSON string with two decimals,
	// "11.22", as in the vendor's example (payAmt).
	PayAmount couponkit.Fen
	// SaleNo is your sale number (saleNo) and the sale's idempotency key.
	// Empty means the client makes one (Config.NewKey) and returns it in
	// SellCardResult.SaleNo, or, when the outcome is unknown, in the error
	// (couponkit.IdempotencyKey). To survive a crash between sending and
	// storing the result, make it yourself and keep it with the order first.
	SaleNo string
	// MemberID is the member who buys the card (memberId). Required.
	MemberID string
	// Count is how many cards are sold, at least 1; sent as a string, "3", as
	// in the vendor's example (num). The field table omits it [likely].
	Count int
}

// validate checks r, whose saleNo is saleNo (given or generated).
func (r *SellCardRequest) validate(saleNo string) error {
	switch {
	case strings.TrimSpace(r.CardInfoID) == "":
		return couponkit.Invalid("CardInfoID", "is required")
	case r.SaleTime.IsZero():
		return couponkit.Invalid("SaleTime", "is required")
	case strings.TrimSpace(saleNo) == "":
		return couponkit.Invalid("SaleNo", "must not be blank (it is the sale's idempotency key; leave it empty to have one made)")
	case strings.TrimSpace(r.MemberID) == "":
		return couponkit.Invalid("MemberID", "is required")
	case r.Count < 1:
		return couponkit.Invalid("Count", "must be at least 1, got %d", r.Count)
	}
	if err := wiretype.CheckYear("SaleTime", r.SaleTime); err != nil {
		return err
	}
	if err := money.Check("PayAmount", r.PayAmount, money.MaxYuanDigits, false); err != nil {
		return err
	}
	return checkUTF8(field{"CardInfoID", r.CardInfoID}, field{"SaleUser", r.SaleUser}, field{"SaleOrgCode", r.SaleOrgCode},
		field{"SaleNo", saleNo}, field{"MemberID", r.MemberID})
}

// params is the sale's business JSON with saleNo: the fields in the order of
// the vendor's param example, which is kept on purpose [likely: the vendor
// reads a JSON object; the order is that of its only example], so the
// plaintext (and the ciphertext) is the example's byte for byte.
func (r *SellCardRequest) params(saleNo string) saleParams {
	return saleParams{
		CardInfoID: r.CardInfoID, SaleTime: wiretype.Time(r.SaleTime), SaleUser: r.SaleUser, Num: r.Count,
		SaleOrgCode: r.SaleOrgCode, PayAmt: wiretype.Yuan(r.PayAmount), SaleNo: saleNo, MemberID: r.MemberID,
	}
}

// saleParams is sendMncardForSale's param: num and payAmt are JSON strings
// ("3", "11.22") as in the vendor's example.
type saleParams struct {
	CardInfoID  string        `json:"cardInfoId"`
	SaleTime    wiretype.Time `json:"saleTime"`
	SaleUser    string        `json:"saleUser,omitempty"`
	Num         int           `json:"num,string"`
	SaleOrgCode string        `json:"saleOrgCode,omitempty"`
	PayAmt      wiretype.Yuan `json:"payAmt"`
	SaleNo      string        `json:"saleNo"`
	MemberID    string        `json:"memberId"`
}

// SellCardResult is what a sale returned. The vendor documents two shapes for
// its data: the response example lists the coupons issued (Coupons), the
// field table describes the member card (Card). Both are read; either may be
// empty, but not both: a success without a coupon code or a card is not a
// definite answer.
type SellCardResult struct {
	// SaleNo is the sale number the sale was sent with (given or made).
	SaleNo string
	// Coupons are the coupon items issued and their codes (data.list).
	Coupons []IssuedCoupon
	// Card is the member card sold, or nil when the response did not carry one.
	Card *MemberCard
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// Codes returns every coupon code issued, in order.
func (r *SellCardResult) Codes() []string {
	var out []string
	for _, c := range r.Coupons {
		out = append(out, c.Codes...)
	}
	return out
}

// saleAnswer is the sale's data in both documented shapes, read in one
// pass: the response example's coupon list and the field table's member-card
// record.
type saleAnswer struct {
	List []wireIssued `json:"list"`
	wireCard
}

// Complete requires what a sale exists for: a coupon code issued, or the
// member card sold. An empty list, an item without codes or an empty code
// does not count.
func (a *saleAnswer) Complete() error {
	if a.present() {
		return nil
	}
	for _, c := range a.List {
		for _, code := range c.CpnCodes {
			if code != "" {
				return nil
			}
		}
	}
	return transport.Missing("coupon code (data.list[].cpnCodes) or member card")
}

// sale is one sale's params, answer and result, allocated together: the
// sale is the package's busiest write, held to an allocation budget
// (TestSellCardAllocations).
type sale struct {
	params saleParams
	answer saleAnswer
	res    SellCardResult
	card   MemberCard
}

// result fills the sale's result from its answer.
func (s *sale) result(saleNo string, meta couponkit.Meta) *SellCardResult {
	a := &s.answer
	s.res = SellCardResult{SaleNo: saleNo, Meta: meta}
	if a.List != nil {
		s.res.Coupons = make([]IssuedCoupon, len(a.List))
		for i, c := range a.List {
			s.res.Coupons[i] = IssuedCoupon{CouponID: string(c.CpnID), Codes: c.CpnCodes}
		}
	}
	if a.present() {
		s.card = a.card()
		s.res.Card = &s.card
	}
	return &s.res
}

// SellCard sells a 名牛卡 to a member (sendMncardForSale) and returns the
// coupon codes issued and, when the gateway sends it, the member card.
//
// SaleNo is the idempotency key (made from Config.NewKey when empty) and
// every attempt carries it, with a fresh timestamp. Houcaller does not
// document de-duplication by saleNo [open], so unless Config.SaleNoDedup is
// set a sale is an Unsafe write, sent again only when the request provably
// never left or the gateway throttled it. When it may have arrived and the
// answer does not say what happened (a dropped connection, a timeout, a 5xx,
// an answer that is not the vendor's envelope, or code 0 with data that does
// not decode or holds neither a coupon code nor the card; or, with
// Config.SaleNoDedup, a refused retry after such an answer) the error
// matches couponkit.ErrUnknownOutcome and carries the saleNo: check the sale
// before selling again.
func (c *Client) SellCard(ctx context.Context, req *SellCardRequest) (*SellCardResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("SellCardRequest", "is nil")
	}
	saleNo, err := c.ep.Key(c.opSale, "SaleNo", req.SaleNo)
	if err != nil {
		return nil, err
	}
	if err := req.validate(saleNo); err != nil {
		return nil, err
	}
	s := &sale{params: req.params(saleNo)}
	meta, err := transport.Send(ctx, &c.typed, c.opSale, saleNo, &s.params, &s.answer)
	if err != nil {
		return nil, err
	}
	return s.result(saleNo, meta), nil
}
