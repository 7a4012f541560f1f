package houcaller

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// opSale is the endpoint that sells a 名牛卡.
const opSale = EndpointSellCard

// SellCardRequest is a 名牛卡 sale (sendMncardForSale).
type SellCardRequest struct {
	// CardInfoID is the card on sale (cardInfoId). Required.
	CardInfoID string
	// SaleTime is when the card was sold, sent as "yyyy-MM-dd HH:mm:ss" in
	// Beijing time whatever its location (saleTime). Required.
	SaleTime time.Time
	// SaleUser is the sales clerk (saleUser). Optional.
	SaleUser string
	// SaleOrgCode is the restaurant that sold the card (saleOrgCode). Optional.
	SaleOrgCode string
	// PayAmount is the amount paid, in yuan, not negative; it is sent as a
	// JSON string with two decimals, "11.22", as in the vendor's example (payAmt).
	PayAmount couponkit.Yuan
	// SaleNo is your sale number (saleNo) and the sale's idempotency key:
	// keep it with the order before calling, and check the sale with it when
	// the outcome is unknown. Required; [NewSaleNo] makes one.
	SaleNo string
	// MemberID is the member who buys the card (memberId). Required.
	MemberID string
	// Count is how many cards are sold, at least 1; sent as a string, "3", as
	// in the vendor's example (num). The field table omits it [likely].
	Count int
}

func (r *SellCardRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("SellCardRequest", "is nil")
	case strings.TrimSpace(r.CardInfoID) == "":
		return couponkit.Invalid("CardInfoID", "is required")
	case r.SaleTime.IsZero():
		return couponkit.Invalid("SaleTime", "is required")
	case r.PayAmount < 0:
		return couponkit.Invalid("PayAmount", "must not be negative, got %s", r.PayAmount)
	case strings.TrimSpace(r.SaleNo) == "":
		return couponkit.Invalid("SaleNo", "is required (it is the sale's idempotency key; NewSaleNo makes one)")
	case strings.TrimSpace(r.MemberID) == "":
		return couponkit.Invalid("MemberID", "is required")
	case r.Count < 1:
		return couponkit.Invalid("Count", "must be at least 1, got %d", r.Count)
	}
	for _, f := range [...]struct{ name, v string }{
		{"CardInfoID", r.CardInfoID}, {"SaleUser", r.SaleUser}, {"SaleOrgCode", r.SaleOrgCode},
		{"SaleNo", r.SaleNo}, {"MemberID", r.MemberID},
	} {
		if !utf8.ValidString(f.v) {
			return couponkit.Invalid(f.name, "is not valid UTF-8")
		}
	}
	return nil
}

// appendParam appends the compact business JSON, in the field order of the
// vendor's example, without reflection; it writes what encoding/json (without
// HTML escaping) would write for the same fields.
func (r *SellCardRequest) appendParam(b []byte) []byte {
	b = append(b, `{"cardInfoId":`...)
	b = jsonx.AppendString(b, r.CardInfoID)
	b = append(b, `,"saleTime":"`...)
	b = cntime.AppendFormat(b, r.SaleTime)
	b = append(b, '"')
	if r.SaleUser != "" {
		b = append(b, `,"saleUser":`...)
		b = jsonx.AppendString(b, r.SaleUser)
	}
	b = append(b, `,"num":"`...)
	b = strconv.AppendInt(b, int64(r.Count), 10)
	b = append(b, '"')
	if r.SaleOrgCode != "" {
		b = append(b, `,"saleOrgCode":`...)
		b = jsonx.AppendString(b, r.SaleOrgCode)
	}
	b = append(b, `,"payAmt":"`...)
	b = r.PayAmount.Fen().AppendYuan(b)
	b = append(b, `","saleNo":`...)
	b = jsonx.AppendString(b, r.SaleNo)
	b = append(b, `,"memberId":`...)
	b = jsonx.AppendString(b, r.MemberID)
	return append(b, '}')
}

// SellCardResult is what a sale returned. The vendor documents two shapes for
// its data: the response example lists the coupons issued (Coupons), the
// field table describes the member card (Card). Both are read; either may be
// empty.
type SellCardResult struct {
	// Coupons are the coupon items issued and their codes (data.list).
	Coupons []IssuedCoupon
	// Card is the member card sold, or nil when the response did not carry one.
	Card *MemberCard
	// Meta describes the HTTP exchange.
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

// saleData is both documented shapes of the sale's data, read in one pass.
type saleData struct {
	List []IssuedCoupon `json:"list"`
	cardWire
}

// SellCard sells a 名牛卡 to a member (sendMncardForSale) and returns the
// coupon codes issued and, when the gateway sends it, the member card.
//
// SaleNo is the idempotency key and every attempt carries it (with a fresh
// timestamp). Houcaller does not document de-duplication by saleNo [open],
// so unless Config.SaleNoDedup is set a sale is sent again only when the
// request provably never left or the gateway throttled it; when it may have
// arrived (a dropped connection, a timeout, a 5xx) the error matches
// couponkit.ErrUnknownOutcome and carries the saleNo: check the sale before
// selling again. An error with Code "0" means the gateway accepted the sale
// but its data did not decode.
func (c *Client) SellCard(ctx context.Context, req *SellCardRequest) (*SellCardResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var buf [512]byte
	plain := req.appendParam(buf[:0])
	env := new(envelope[saleData])
	resp, err := c.post(ctx, opSale, c.saleURL, c.saleClass, "saleNo", req.SaleNo, plain, func(r *transport.Response) error {
		return decode(c, r.Body, env)
	})
	if err != nil {
		return nil, err
	}
	res := &SellCardResult{Coupons: env.Data.List, Meta: resp.Meta()}
	if env.Data.present() {
		card := env.Data.card()
		res.Card = &card
	}
	return res, nil
}

// NewSaleNo returns a fresh sale number: the Beijing date "yyyyMMdd" followed
// by 16 random hex digits (24 characters). Store it with your order before
// calling SellCard, so a crash cannot lead to a second sale under a new number.
func NewSaleNo() string {
	return time.Now().In(cntime.Location()).Format("20060102") + ids.Hex(8)
}
