package houcaller

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opMemberCoupons is the listing of a member's coupons: a read, retried on
// network failures, 5xx, throttling and unreadable answers.
var opMemberCoupons = &transport.Op{Name: EndpointListCouponsByMember, Path: EndpointListCouponsByMember, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opMemberCoupons, (*Client).MemberCoupons, "a member's coupons, with their codes and statuses"))

// CouponType is a coupon's category (cpnType, a string on the wire).
type CouponType string

const (
	// CouponDineIn is cpnType "0" (堂食券, used in the restaurant).
	CouponDineIn CouponType = "0"
	// CouponDelivery is cpnType "1" (外卖券, delivery).
	CouponDelivery CouponType = "1"
	// CouponMall is cpnType "2" (商城券, the online mall).
	CouponMall CouponType = "2"
)

// MemberCouponsRequest asks for the coupons a member holds
// (listCpnItemByMember). At least one of MemberID and PlatformID is required.
type MemberCouponsRequest struct {
	// MemberID is the member (memberId).
	MemberID string
	// PlatformID is the member's platform id, such as a WeChat openid
	// (platformId).
	PlatformID string
}

func (r *MemberCouponsRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("MemberCouponsRequest", "is nil")
	case strings.TrimSpace(r.MemberID) == "" && strings.TrimSpace(r.PlatformID) == "":
		return couponkit.Invalid("MemberID", "or PlatformID is required")
	}
	return checkUTF8(field{"MemberID", r.MemberID}, field{"PlatformID", r.PlatformID})
}

// memberCouponsParams is listCpnItemByMember's param: MemberCouponsRequest's
// fields with their wire names, in the order of the vendor's field table,
// without the empty one.
type memberCouponsParams struct {
	MemberID   string `json:"memberId,omitempty"`
	PlatformID string `json:"platformId,omitempty"`
}

// MemberCoupon is a coupon a member holds, as listCpnItemByMember lists it.
// Days (BeginDate, EndDate) are midnight in Beijing time.
type MemberCoupon struct {
	// ID is the coupon record's id (id).
	ID string
	// CouponID is the coupon item (cpnid; the example's cpnId is empty).
	CouponID string
	// Code is the coupon code (cpnCode).
	Code string
	// Name is the coupon's name (cpnName).
	Name string
	// Type is the coupon's category (cpnType).
	Type CouponType
	// Status is 0 unused, 1 used or 2 expired in the vendor's table; the
	// other statuses of [CouponStatus] are read too.
	Status CouponStatus
	// MemberID and OpenID are the holder's member and platform ids (mmbid, openid).
	MemberID, OpenID string
	// BeginDate and EndDate are the first and last day of validity (begDate,
	// endDate), each at midnight in Beijing time.
	BeginDate, EndDate time.Time
	// UseTime is when it was used (useTime), in Beijing time, or zero.
	UseTime time.Time
	// SellScene is how it was issued, such as "reg" (sellScene).
	SellScene string
	// PictureURL is its picture, relative to the vendor's site (picUrl).
	PictureURL string
	// Content is its description (content).
	Content string
}

// wireMemberCoupon is one element of data.list as the vendor writes it.
type wireMemberCoupon struct {
	ID        wiretype.Text `json:"id"`
	Cpnid     wiretype.Text `json:"cpnid"`
	CpnID     wiretype.Text `json:"cpnId"`
	CpnCode   wiretype.Text `json:"cpnCode"`
	CpnName   string        `json:"cpnName"`
	CpnType   wiretype.Text `json:"cpnType"`
	Status    wiretype.Int  `json:"status"`
	Mmbid     wiretype.Text `json:"mmbid"`
	Openid    string        `json:"openid"`
	BegDate   wiretype.Time `json:"begDate"`
	EndDate   wiretype.Time `json:"endDate"`
	UseTime   wiretype.Time `json:"useTime"`
	SellScene string        `json:"sellScene"`
	PicURL    string        `json:"picUrl"`
	Content   string        `json:"content"`
}

func (w *wireMemberCoupon) coupon() MemberCoupon {
	id := w.Cpnid
	if id == "" {
		id = w.CpnID
	}
	return MemberCoupon{
		ID: string(w.ID), CouponID: string(id), Code: string(w.CpnCode), Name: w.CpnName,
		Type: CouponType(w.CpnType), Status: CouponStatus(w.Status), MemberID: string(w.Mmbid), OpenID: w.Openid,
		BeginDate: time.Time(w.BegDate), EndDate: time.Time(w.EndDate), UseTime: time.Time(w.UseTime),
		SellScene: w.SellScene, PictureURL: w.PicURL, Content: w.Content,
	}
}

// MemberCouponsResult is the coupons a member holds.
type MemberCouponsResult struct {
	// Coupons are the member's coupons, in the gateway's order.
	Coupons []MemberCoupon
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// memberCouponsAnswer is listCpnItemByMember's data.
type memberCouponsAnswer struct {
	List []wireMemberCoupon `json:"list"`
}

// Complete requires data.list, empty for a member without coupons, and a
// code (cpnCode) for every coupon listed.
func (a *memberCouponsAnswer) Complete() error {
	return checkList(a.List, "data.list", "cpnCode", func(c *wireMemberCoupon) bool { return c.CpnCode != "" })
}

// result is the listing of answer a, with meta (memberCouponsData, which
// MemberCoupons reads, has it too).
func (a *memberCouponsAnswer) result(meta couponkit.Meta) *MemberCouponsResult {
	return &MemberCouponsResult{Coupons: convertList(a.List, (*wireMemberCoupon).coupon), Meta: meta}
}

// MemberCoupons returns the coupons a member holds (listCpnItemByMember),
// with their codes and statuses; none for a member without coupons (an empty
// data.list). It is a read: retried on network failures, 5xx, throttling and
// unreadable answers, among them a success without data.list or with a
// coupon without its code.
func (c *Client) MemberCoupons(ctx context.Context, req *MemberCouponsRequest) (*MemberCouponsResult, error) {
	return transport.Read(ctx, &c.typed, opMemberCoupons, req.validate, (*memberCouponsParams)(req), (*memberCouponsData).result)
}
