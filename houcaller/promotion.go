package houcaller

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// EndpointPromotionCoupons is listCpnForStcPro, the coupons a 豪礼卡
// promotion gives, typed as PromotionCoupons (a read).
const EndpointPromotionCoupons = "listCpnForStcPro"

// opPromotionCoupons is the listing of a promotion's coupons: a read,
// retried on network failures, 5xx, throttling and unreadable answers.
var opPromotionCoupons = &transport.Op{Name: EndpointPromotionCoupons, Path: EndpointPromotionCoupons, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opPromotionCoupons, (*Client).PromotionCoupons, "the coupon items that come with buying a 豪礼卡 of one kind"))

// PromotionCouponsRequest asks for the coupons that come with buying a 豪礼
// 卡 of one kind (listCpnForStcPro).
type PromotionCouponsRequest struct {
	// OrgCode is the restaurant (orgCode). Optional: the gateway takes "1"
	// when it is empty.
	OrgCode string
	// CardType is the card's kind (cardType), such as "958". Required.
	CardType string
}

func (r *PromotionCouponsRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("PromotionCouponsRequest", "is nil")
	case strings.TrimSpace(r.CardType) == "":
		return couponkit.Invalid("CardType", "is required")
	}
	return checkUTF8(field{"OrgCode", r.OrgCode}, field{"CardType", r.CardType})
}

// promotionParams is listCpnForStcPro's param: PromotionCouponsRequest's
// fields with their wire names, in the order of the vendor's example.
type promotionParams struct {
	OrgCode  string `json:"orgCode,omitempty"`
	CardType string `json:"cardType"`
}

// PromotionCoupon is a coupon item a 豪礼卡 promotion gives, as
// listCpnForStcPro lists it. Days are midnight in Beijing time.
type PromotionCoupon struct {
	// ID is the coupon item (id), the CouponID of the coupons it issues.
	ID string
	// Name is the coupon's name (cpnName).
	Name string
	// Type is the coupon's category (cpnType).
	Type CouponType
	// Content is its description (content).
	Content string
	// PictureURL is its picture, relative to the vendor's site (picUrl).
	PictureURL string
	// PosID is its id at the till (posid).
	PosID string
	// Status is the item's status code (status); the vendor does not list
	// its values [open].
	Status int
	// BeginDate and EndDate are the first and last day of validity
	// (begTime, endTime, in the vendor's example; not in its field table),
	// each at midnight in Beijing time; zero when not sent.
	BeginDate, EndDate time.Time
}

// wirePromotionCoupon is one element of data.cpnList as the vendor writes
// it.
type wirePromotionCoupon struct {
	ID      wiretype.Text `json:"id"`
	CpnName string        `json:"cpnName"`
	CpnType wiretype.Text `json:"cpnType"`
	Content string        `json:"content"`
	PicURL  string        `json:"picUrl"`
	Posid   wiretype.Text `json:"posid"`
	Status  wiretype.Int  `json:"status"`
	BegTime wiretype.Time `json:"begTime"`
	EndTime wiretype.Time `json:"endTime"`
}

func (w *wirePromotionCoupon) coupon() PromotionCoupon {
	return PromotionCoupon{
		ID: string(w.ID), Name: w.CpnName, Type: CouponType(w.CpnType), Content: w.Content, PictureURL: w.PicURL,
		PosID: string(w.Posid), Status: int(w.Status), BeginDate: time.Time(w.BegTime), EndDate: time.Time(w.EndTime),
	}
}

// promotionAnswer is listCpnForStcPro's data.
type promotionAnswer struct {
	CpnList []wirePromotionCoupon `json:"cpnList"`
}

// Complete requires data.cpnList, empty for a card kind without a
// promotion, and the id of every coupon listed.
func (a *promotionAnswer) Complete() error {
	return checkList(a.CpnList, "data.cpnList", "id", func(c *wirePromotionCoupon) bool { return c.ID != "" })
}

// result is the coupons of answer a, with meta.
func (a *promotionAnswer) result(meta couponkit.Meta) *PromotionCouponsResult {
	return &PromotionCouponsResult{Coupons: convertList(a.CpnList, (*wirePromotionCoupon).coupon), Meta: meta}
}

// PromotionCouponsResult is the coupons of a 豪礼卡 promotion.
type PromotionCouponsResult struct {
	// Coupons are the coupon items, in the gateway's order.
	Coupons []PromotionCoupon
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// PromotionCoupons returns the coupon items that come with buying a 豪礼卡
// of one kind (listCpnForStcPro); none for a kind without a promotion (an
// empty data.cpnList). It is a read: retried on network failures, 5xx,
// throttling and unreadable answers, among them a success without
// data.cpnList or with a coupon without its id.
func (c *Client) PromotionCoupons(ctx context.Context, req *PromotionCouponsRequest) (*PromotionCouponsResult, error) {
	return transport.Read(ctx, &c.typed, opPromotionCoupons, req.validate, (*promotionParams)(req), (*promotionAnswer).result)
}
