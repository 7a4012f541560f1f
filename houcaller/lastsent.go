package houcaller

import (
	"context"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opLastSentCoupon is the lookup of the coupon last sent: a read, retried on
// network failures, 5xx, throttling and unreadable answers.
var opLastSentCoupon = &transport.Op{Name: EndpointLastSentCoupons, Path: EndpointLastSentCoupons, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opLastSentCoupon, (*Client).LastSentCoupon, "the coupon of an item a member received last, with the orders that sold and used it"))

// LastSentCouponRequest asks for the coupon of one coupon item a member
// received last (getLastSendCpnItem). Both fields are required.
type LastSentCouponRequest struct {
	// MemberID is the member (mmbId).
	MemberID string
	// CouponID is the coupon item (cpnId), such as an IssuedCoupon's CouponID.
	CouponID string
}

func (r *LastSentCouponRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("LastSentCouponRequest", "is nil")
	}
	return checkRequired(field{"MemberID", r.MemberID}, field{"CouponID", r.CouponID})
}

// lastSentParams is getLastSendCpnItem's param: LastSentCouponRequest's
// fields with their wire names, in the vendor's table order.
type lastSentParams struct {
	MemberID string `json:"mmbId"`
	CouponID string `json:"cpnId"`
}

// SentCoupon is the coupon of one item a member received last, with where it
// came from and where it went: the sale order that issued it and the order,
// restaurant and time it was used in (getLastSendCpnItem). Times are in
// Beijing time; days are midnight.
type SentCoupon struct {
	// Found is false when the gateway answered success without a coupon
	// (data null, absent or {}): the member holds none of this item [open].
	// The other fields are then empty.
	Found bool
	// ID is the coupon record's id (id).
	ID string
	// CouponID is the coupon item (cpnId) and Code the coupon code (cpnCode).
	CouponID, Code string
	// Name is the coupon's name (cpnName).
	Name string
	// Type is the coupon's category (cpnType).
	Type CouponType
	// MemberID is the holder (mmbId).
	MemberID string
	// Status is the coupon's status: unused, redeemed, expired, refunded (3)
	// or being given to another member (7).
	Status CouponStatus
	// SaleOrderNo is the order that issued the coupon (sellOrdno).
	SaleOrderNo string
	// SaleTime is when that order issued it (sellTime), in Beijing time.
	SaleTime time.Time
	// SaleChannel is how it was issued, such as "reg" (sellScene).
	SaleChannel string
	// UseOrderNo is the order the coupon was used in (useOrdno) and UseShop
	// the restaurant (useOrg); empty while unused.
	UseOrderNo, UseShop string
	// UseTime is when it was used (useTime), in Beijing time; zero while
	// unused.
	UseTime time.Time
	// EffectiveTime is when the coupon took effect (effTime), in Beijing
	// time.
	EffectiveTime time.Time
	// BeginDate and EndDate are the first and last day of validity (begDate,
	// endDate), each at midnight in Beijing time.
	BeginDate, EndDate time.Time
	// BoughtWithCard is whether it was bought with a 豪金卡 (isStc 1).
	BoughtWithCard bool
	// CreateTime and ModifyTime are when the record was made and last
	// changed (ctime, mtime), in Beijing time.
	CreateTime, ModifyTime time.Time
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// lastSentAnswer is getLastSendCpnItem's data as the vendor writes it:
// times as "yyyy-MM-dd HH:mm:ss", days as "yyyy-MM-dd".
type lastSentAnswer struct {
	ID        wiretype.Text `json:"id"`
	CpnID     wiretype.Text `json:"cpnId"`
	CpnCode   wiretype.Text `json:"cpnCode"`
	CpnName   string        `json:"cpnName"`
	CpnType   wiretype.Text `json:"cpnType"`
	MmbID     wiretype.Text `json:"mmbId"`
	Status    wiretype.Int  `json:"status"`
	SellOrdno wiretype.Text `json:"sellOrdno"`
	SellTime  wiretype.Time `json:"sellTime"`
	SellScene string        `json:"sellScene"`
	UseOrdno  wiretype.Text `json:"useOrdno"`
	UseOrg    wiretype.Text `json:"useOrg"`
	UseTime   wiretype.Time `json:"useTime"`
	EffTime   wiretype.Time `json:"effTime"`
	BegDate   wiretype.Time `json:"begDate"`
	EndDate   wiretype.Time `json:"endDate"`
	IsStc     wiretype.Int  `json:"isStc"`
	Ctime     wiretype.Time `json:"ctime"`
	Mtime     wiretype.Time `json:"mtime"`
}

// Complete allows no coupon (data null, absent or {}: Found false) and
// requires the code of a coupon found: data holding a coupon's fields
// without its cpnCode is not a definite answer.
func (a *lastSentAnswer) Complete() error {
	if a.CpnCode == "" && (a.ID != "" || a.CpnID != "" || a.CpnName != "" || a.CpnType != "" || a.MmbID != "" ||
		a.SellOrdno != "" || a.SellScene != "" || a.UseOrdno != "" || a.UseOrg != "") {
		return transport.Missing("cpnCode of the coupon found")
	}
	return nil
}

// result is the coupon of answer a, with meta: Found false, and nothing but
// meta, when it has no code.
func (a *lastSentAnswer) result(meta couponkit.Meta) *SentCoupon {
	if a.CpnCode == "" {
		return &SentCoupon{Meta: meta}
	}
	return &SentCoupon{
		Found: true, ID: string(a.ID), CouponID: string(a.CpnID), Code: string(a.CpnCode), Name: a.CpnName,
		Type: CouponType(a.CpnType), MemberID: string(a.MmbID), Status: CouponStatus(a.Status),
		SaleOrderNo: string(a.SellOrdno), SaleTime: time.Time(a.SellTime), SaleChannel: a.SellScene,
		UseOrderNo: string(a.UseOrdno), UseShop: string(a.UseOrg), UseTime: time.Time(a.UseTime),
		EffectiveTime: time.Time(a.EffTime), BeginDate: time.Time(a.BegDate), EndDate: time.Time(a.EndDate),
		BoughtWithCard: a.IsStc == 1, CreateTime: time.Time(a.Ctime), ModifyTime: time.Time(a.Mtime), Meta: meta,
	}
}

// LastSentCoupon returns the coupon of an item a member received last
// (getLastSendCpnItem): its code and status (including refunded and being
// given away), the sale order that issued it, and the order, restaurant and
// time it was used in, for reconciliation. It is a read. A success without a
// coupon (data null, absent or {}) returns a SentCoupon whose Found is false;
// one whose coupon has no code (cpnCode) is unreadable and retried.
func (c *Client) LastSentCoupon(ctx context.Context, req *LastSentCouponRequest) (*SentCoupon, error) {
	return transport.Read(ctx, &c.typed, opLastSentCoupon, req.validate, (*lastSentParams)(req), (*lastSentAnswer).result)
}
