package houcaller

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// The member's coupons and the coupon last sent: reads, retried on network
// failures, 5xx, throttling and unreadable answers.
var (
	opMemberCoupons  = &transport.Op{Name: EndpointListCouponsByMember, Path: EndpointListCouponsByMember, Class: transport.Safe}
	opLastSentCoupon = &transport.Op{Name: EndpointLastSentCoupons, Path: EndpointLastSentCoupons, Class: transport.Safe}
)

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
	if strings.TrimSpace(r.MemberID) == "" && strings.TrimSpace(r.PlatformID) == "" {
		return couponkit.Invalid("MemberID", "or PlatformID is required")
	}
	return checkUTF8(field{"MemberID", r.MemberID}, field{"PlatformID", r.PlatformID})
}

// appendParam appends the business JSON, {"memberId":…,"platformId":…} in
// the order of the vendor's field table, without the empty one.
func (r *MemberCouponsRequest) appendParam(b []byte) []byte {
	b = append(b, '{')
	if r.MemberID != "" {
		b = append(b, `"memberId":`...)
		b = jsonx.AppendString(b, r.MemberID)
	}
	if r.PlatformID != "" {
		if r.MemberID != "" {
			b = append(b, ',')
		}
		b = append(b, `"platformId":`...)
		b = jsonx.AppendString(b, r.PlatformID)
	}
	return append(b, '}')
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

// memberCouponWire is one element of data.list as sent.
type memberCouponWire struct {
	ID        jsonx.Flex   `json:"id"`
	Cpnid     jsonx.Flex   `json:"cpnid"`
	CpnID     jsonx.Flex   `json:"cpnId"`
	CpnCode   jsonx.Flex   `json:"cpnCode"`
	CpnName   string       `json:"cpnName"`
	CpnType   jsonx.Flex   `json:"cpnType"`
	Status    CouponStatus `json:"status"`
	Mmbid     jsonx.Flex   `json:"mmbid"`
	Openid    string       `json:"openid"`
	BegDate   civil        `json:"begDate"`
	EndDate   civil        `json:"endDate"`
	UseTime   civil        `json:"useTime"`
	SellScene string       `json:"sellScene"`
	PicURL    string       `json:"picUrl"`
	Content   string       `json:"content"`
}

func (w *memberCouponWire) coupon() MemberCoupon {
	id := w.Cpnid
	if id == "" {
		id = w.CpnID
	}
	return MemberCoupon{
		ID: string(w.ID), CouponID: string(id), Code: string(w.CpnCode), Name: w.CpnName,
		Type: CouponType(w.CpnType), Status: w.Status, MemberID: string(w.Mmbid), OpenID: w.Openid,
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

// memberCoupons is one listing's result and the reply its answers are
// decoded into, allocated together.
type memberCoupons struct {
	res MemberCouponsResult
	rep reply[couponList]
	ex  exchange
}

// couponList is listCpnItemByMember's data.
type couponList struct {
	List []memberCouponWire `json:"list"`
}

// complete requires data.list, empty for a member without coupons, and a
// code (cpnCode) for every coupon listed.
func (l *couponList) complete() error {
	if l.List == nil {
		return errors.New("a listing's success without data.list")
	}
	for i := range l.List {
		if l.List[i].CpnCode == "" {
			return fmt.Errorf("coupon %d of data.list has no cpnCode", i)
		}
	}
	return nil
}

// MemberCoupons returns the coupons a member holds (listCpnItemByMember),
// with their codes and statuses; none for a member without coupons (an empty
// data.list). It is a read: retried on network failures, 5xx, throttling and
// unreadable answers, among them a success without data.list or with a
// coupon without its code.
func (c *Client) MemberCoupons(ctx context.Context, req *MemberCouponsRequest) (*MemberCouponsResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("MemberCouponsRequest", "is nil")
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	var buf [128]byte
	m := &memberCoupons{}
	var err error
	if m.res.Meta, err = c.send(ctx, opMemberCoupons, "", req.appendParam(buf[:0]), &m.ex, &m.rep); err != nil {
		return nil, err
	}
	if list := m.rep.Data.List; len(list) > 0 {
		m.res.Coupons = make([]MemberCoupon, len(list))
		for i := range list {
			m.res.Coupons[i] = list[i].coupon()
		}
	}
	return &m.res, nil
}

// LastSentCouponRequest asks for the coupon of one coupon item a member
// received last (getLastSendCpnItem). Both fields are required.
type LastSentCouponRequest struct {
	// MemberID is the member (mmbId).
	MemberID string
	// CouponID is the coupon item (cpnId), such as an IssuedCoupon's CouponID.
	CouponID string
}

func (r *LastSentCouponRequest) validate() error {
	switch {
	case strings.TrimSpace(r.MemberID) == "":
		return couponkit.Invalid("MemberID", "is required")
	case strings.TrimSpace(r.CouponID) == "":
		return couponkit.Invalid("CouponID", "is required")
	}
	return checkUTF8(field{"MemberID", r.MemberID}, field{"CouponID", r.CouponID})
}

// appendParam appends {"mmbId":…,"cpnId":…}, in the vendor's table order.
func (r *LastSentCouponRequest) appendParam(b []byte) []byte {
	b = append(b, `{"mmbId":`...)
	b = jsonx.AppendString(b, r.MemberID)
	b = append(b, `,"cpnId":`...)
	b = jsonx.AppendString(b, r.CouponID)
	return append(b, '}')
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

// sentCouponWire is getLastSendCpnItem's data as sent.
type sentCouponWire struct {
	ID        jsonx.Flex   `json:"id"`
	CpnID     jsonx.Flex   `json:"cpnId"`
	CpnCode   jsonx.Flex   `json:"cpnCode"`
	CpnName   string       `json:"cpnName"`
	CpnType   jsonx.Flex   `json:"cpnType"`
	MmbID     jsonx.Flex   `json:"mmbId"`
	Status    CouponStatus `json:"status"`
	SellOrdno jsonx.Flex   `json:"sellOrdno"`
	SellTime  civil        `json:"sellTime"`
	SellScene string       `json:"sellScene"`
	UseOrdno  jsonx.Flex   `json:"useOrdno"`
	UseOrg    jsonx.Flex   `json:"useOrg"`
	UseTime   civil        `json:"useTime"`
	EffTime   civil        `json:"effTime"`
	BegDate   civil        `json:"begDate"`
	EndDate   civil        `json:"endDate"`
	IsStc     flexInt      `json:"isStc"`
	Ctime     civil        `json:"ctime"`
	Mtime     civil        `json:"mtime"`
}

// complete allows no coupon (data null, absent or {}: Found false) and
// requires the code of a coupon found: data holding a coupon's fields
// without its cpnCode is not a definite answer.
func (w *sentCouponWire) complete() error {
	if w.CpnCode == "" && (w.ID != "" || w.CpnID != "" || w.CpnName != "" || w.CpnType != "" || w.MmbID != "" ||
		w.SellOrdno != "" || w.SellScene != "" || w.UseOrdno != "" || w.UseOrg != "") {
		return errors.New("a coupon found without its cpnCode")
	}
	return nil
}

// lastSent is one lookup's result and its reply, allocated together.
type lastSent struct {
	res SentCoupon
	rep reply[sentCouponWire]
	ex  exchange
}

// LastSentCoupon returns the coupon of an item a member received last
// (getLastSendCpnItem): its code and status (including refunded and being
// given away), the sale order that issued it, and the order, restaurant and
// time it was used in, for reconciliation. It is a read. A success without a
// coupon (data null, absent or {}) returns a SentCoupon whose Found is false;
// one whose coupon has no code (cpnCode) is unreadable and retried.
func (c *Client) LastSentCoupon(ctx context.Context, req *LastSentCouponRequest) (*SentCoupon, error) {
	if req == nil {
		return nil, couponkit.Invalid("LastSentCouponRequest", "is nil")
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	var buf [128]byte
	l := &lastSent{}
	meta, err := c.send(ctx, opLastSentCoupon, "", req.appendParam(buf[:0]), &l.ex, &l.rep)
	if err != nil {
		return nil, err
	}
	w := &l.rep.Data
	if w.CpnCode != "" {
		l.res = SentCoupon{
			Found: true, ID: string(w.ID), CouponID: string(w.CpnID), Code: string(w.CpnCode), Name: w.CpnName,
			Type: CouponType(w.CpnType), MemberID: string(w.MmbID), Status: w.Status,
			SaleOrderNo: string(w.SellOrdno), SaleTime: time.Time(w.SellTime), SaleChannel: w.SellScene,
			UseOrderNo: string(w.UseOrdno), UseShop: string(w.UseOrg), UseTime: time.Time(w.UseTime),
			EffectiveTime: time.Time(w.EffTime), BeginDate: time.Time(w.BegDate), EndDate: time.Time(w.EndDate),
			BoughtWithCard: w.IsStc == 1, CreateTime: time.Time(w.Ctime), ModifyTime: time.Time(w.Mtime),
		}
	}
	l.res.Meta = meta
	return &l.res, nil
}
