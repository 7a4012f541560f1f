package houcaller

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/money"
)

// The sale, as an Unsafe write (the default: de-duplication by saleNo is
// undocumented) and as a Keyed one (Config.SaleNoDedup).
var opsSale = newWriteOps(EndpointSellCard, SaleKeyName)

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
	if err := checkYear("SaleTime", r.SaleTime, "yyyy-MM-dd HH:mm:ss"); err != nil {
		return err
	}
	if err := money.Check("PayAmount", r.PayAmount, money.MaxYuanDigits, false); err != nil {
		return err
	}
	return checkUTF8(field{"CardInfoID", r.CardInfoID}, field{"SaleUser", r.SaleUser}, field{"SaleOrgCode", r.SaleOrgCode},
		field{"SaleNo", saleNo}, field{"MemberID", r.MemberID})
}

// appendParam appends the compact business JSON with saleNo, in the field
// order of the vendor's example, without reflection; it writes what
// encoding/json (without HTML escaping, payAmt as internal/money writes yuan)
// would write for the same fields.
func (r *SellCardRequest) appendParam(b []byte, saleNo string) []byte {
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
	b = r.PayAmount.AppendYuan(b) // the text of money.Yuan, without its allocation
	b = append(b, `","saleNo":`...)
	b = jsonx.AppendString(b, saleNo)
	b = append(b, `,"memberId":`...)
	b = jsonx.AppendString(b, r.MemberID)
	return append(b, '}')
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

// saleData is both documented shapes of the sale's data, read in one pass.
type saleData struct {
	List []IssuedCoupon `json:"list"`
	cardWire
}

var errNoSale = errors.New("a sale's success without a coupon code (data.list[].cpnCodes) or a member card")

// complete requires what a sale exists for: a coupon code issued, or the
// member card sold. An empty list, an item without codes or an empty code
// does not count.
func (d *saleData) complete() error {
	if d.present() {
		return nil
	}
	for _, c := range d.List {
		for _, code := range c.Codes {
			if code != "" {
				return nil
			}
		}
	}
	return errNoSale
}

// sale is one sale's result and the reply its answers are decoded into,
// allocated together.
type sale struct {
	res  SellCardResult
	rep  reply[saleData]
	ex   exchange
	card MemberCard
}

// result fills res from the decoded data (absent or null: an empty result).
func (s *sale) result() {
	d := &s.rep.Data
	s.res.Coupons = d.List
	if d.present() {
		s.card = d.card()
		s.res.Card = &s.card
	}
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
	saleNo, err := c.writeKey(c.sale, "SaleNo", req.SaleNo, req.validate)
	if err != nil {
		return nil, err
	}
	var buf [512]byte
	s := &sale{res: SellCardResult{SaleNo: saleNo}}
	if s.res.Meta, err = c.send(ctx, c.sale, saleNo, req.appendParam(buf[:0], saleNo), &s.ex, &s.rep); err != nil {
		return nil, err
	}
	s.result()
	return &s.res, nil
}
