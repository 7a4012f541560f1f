package houcaller

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opGift is the gift of coupons to a phone number: an Unsafe write without
// a key, because cpnShiftGift's page publishes no field the gateway could
// de-duplicate on (memberId, phone, cpnIds, cpnCodes, content) [known]. It
// is sent again only when it provably never left or was throttled.
var opGift = &transport.Op{Name: EndpointGiftCoupon, Path: EndpointGiftCoupon, Class: transport.Unsafe}

var _ = registry.Add(transport.Describe(Vendor, opGift, (*Client).GiftCoupons, "gives a member's coupons to the holder of a phone number; no key is published, so an unknown outcome carries none"))

// GiftStatus is the state of one coupon's gift (status in cpnShiftGift's
// answer, a number on the wire).
type GiftStatus int

const (
	// GiftInitial is status 1 (初始化): the gift is recorded.
	GiftInitial GiftStatus = 1
	// GiftPending is status 2 (赠送中): the coupon waits for the recipient
	// to accept it; the giver's coupon shows status 7 ([CouponGifting]).
	GiftPending GiftStatus = 2
	// GiftAccepted is status 3 (已接收): the recipient holds the coupon.
	GiftAccepted GiftStatus = 3
	// GiftExpired is status 4 (已超时): the recipient did not accept it in
	// time.
	GiftExpired GiftStatus = 4
)

// String returns "initial", "pending", "accepted", "expired", or
// "GiftStatus(n)" for an undocumented value.
func (s GiftStatus) String() string {
	switch s {
	case GiftInitial:
		return "initial"
	case GiftPending:
		return "pending"
	case GiftAccepted:
		return "accepted"
	case GiftExpired:
		return "expired"
	default:
		return "GiftStatus(" + strconv.Itoa(int(s)) + ")"
	}
}

// GiftCouponsRequest gives coupons a member holds to the holder of a phone
// number (cpnShiftGift). At least one of CouponCodes and CouponIDs is
// required; the vendor recommends codes.
type GiftCouponsRequest struct {
	// MemberID is the giver, a member's primary key (memberId). Required.
	MemberID string
	// Phone is the recipient's mobile number (phone), ASCII digits.
	// Required.
	Phone string
	// CouponIDs are coupon items (cpnIds): which of the giver's coupons of
	// each item moves is the gateway's choice. Optional when CouponCodes is
	// given.
	CouponIDs []string
	// CouponCodes are the coupon codes to give (cpnCodes), each once.
	// Optional when CouponIDs is given; the vendor recommends codes.
	CouponCodes []string
	// Message is a note to the recipient (content), such as
	// "千言万语尽在券里!". Optional.
	Message string
}

func (r *GiftCouponsRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("GiftCouponsRequest", "is nil")
	case strings.TrimSpace(r.MemberID) == "":
		return couponkit.Invalid("MemberID", "is required")
	case r.Phone == "":
		return couponkit.Invalid("Phone", "is required")
	case strings.Trim(r.Phone, "0123456789") != "":
		return couponkit.Invalid("Phone", "must be ASCII digits, such as 13800138000")
	case len(r.CouponCodes) == 0 && len(r.CouponIDs) == 0:
		return couponkit.Invalid("CouponCodes", "or CouponIDs is required")
	}
	for _, list := range [...]struct {
		name string
		v    []string
	}{{"CouponIDs", r.CouponIDs}, {"CouponCodes", r.CouponCodes}} {
		for i, v := range list.v {
			name := list.name + "[" + strconv.Itoa(i) + "]"
			if strings.TrimSpace(v) == "" {
				return couponkit.Invalid(name, "is empty")
			}
			if list.name == "CouponCodes" && slices.Contains(list.v[:i], v) {
				return couponkit.Invalid(name, "repeats %q", v)
			}
			if err := checkUTF8(field{name, v}); err != nil {
				return err
			}
		}
	}
	return checkUTF8(field{"MemberID", r.MemberID}, field{"Message", r.Message})
}

// giftParams is cpnShiftGift's param, in the order of the vendor's field
// table, without the empty optional fields.
type giftParams struct {
	MemberID    string   `json:"memberId"`
	Phone       string   `json:"phone"`
	CouponIDs   []string `json:"cpnIds,omitempty"`
	CouponCodes []string `json:"cpnCodes,omitempty"`
	Message     string   `json:"content,omitempty"`
}

// Gift is one coupon given, as cpnShiftGift answers it. Times are in
// Beijing time.
type Gift struct {
	// ID is the gift record's id (id) and BatchID the id shared by the
	// records of one request [likely] (pid).
	ID, BatchID string
	// Status is the gift's state.
	Status GiftStatus
	// CouponID is the coupon item (cpnId) and Code the coupon code given
	// (cpnCode).
	CouponID, Code string
	// FromMemberID and FromOpenID are the giver (fromMmbid, fromOpenid).
	FromMemberID, FromOpenID string
	// ToMemberID and ToOpenID are the recipient (mmbId, openid); empty
	// while no member has accepted the gift.
	ToMemberID, ToOpenID string
	// Phone is the recipient's phone number (phone).
	Phone string
	// GiftTime is when the coupon was given (giftTime), and AcceptTime when
	// it was accepted (acceptTime), zero until then.
	GiftTime, AcceptTime time.Time
	// Message is the note sent with it (content).
	Message string
}

// wireGift is one gift record as the vendor writes it.
type wireGift struct {
	ID         wiretype.Text `json:"id"`
	Pid        wiretype.Text `json:"pid"`
	Status     wiretype.Int  `json:"status"`
	CpnID      wiretype.Text `json:"cpnId"`
	CpnCode    wiretype.Text `json:"cpnCode"`
	FromMmbid  wiretype.Text `json:"fromMmbid"`
	FromOpenid wiretype.Text `json:"fromOpenid"`
	MmbID      wiretype.Text `json:"mmbId"`
	Openid     wiretype.Text `json:"openid"`
	Phone      wiretype.Text `json:"phone"`
	GiftTime   wiretype.Time `json:"giftTime"`
	AcceptTime wiretype.Time `json:"acceptTime"`
	Content    string        `json:"content"`
}

func (w *wireGift) present() bool {
	return w.ID != "" || w.Pid != "" || w.CpnID != "" || w.CpnCode != "" || w.FromMmbid != "" || w.Phone != ""
}

func (w *wireGift) gift() Gift {
	return Gift{
		ID: string(w.ID), BatchID: string(w.Pid), Status: GiftStatus(w.Status), CouponID: string(w.CpnID), Code: string(w.CpnCode),
		FromMemberID: string(w.FromMmbid), FromOpenID: string(w.FromOpenid), ToMemberID: string(w.MmbID), ToOpenID: string(w.Openid),
		Phone: string(w.Phone), GiftTime: time.Time(w.GiftTime), AcceptTime: time.Time(w.AcceptTime), Message: w.Content,
	}
}

// giftAnswer is cpnShiftGift's data. The page's table lists one gift
// record's fields without saying where they stand [open], so the data is
// read as an array of records, an object with a list of them, or one record.
type giftAnswer struct {
	List []wireGift `json:"list"`
	wireGift
}

// UnmarshalJSON reads an array of records into List, and an object as
// encoding/json reads giftAnswer.
func (a *giftAnswer) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return json.Unmarshal(t, &a.List)
	}
	type object giftAnswer // without this method
	return json.Unmarshal(b, (*object)(a))
}

// records returns the gift records of the answer, in the gateway's order.
func (a *giftAnswer) records() []wireGift {
	if a.List == nil && a.wireGift.present() {
		return []wireGift{a.wireGift}
	}
	return a.List
}

// Complete requires what a gift exists for: at least one gift record, each
// naming the coupon code it gave (cpnCode).
func (a *giftAnswer) Complete() error {
	recs := a.records()
	if len(recs) == 0 {
		return transport.Missing("gift record (id, cpnCode …)")
	}
	for i := range recs {
		if recs[i].CpnCode == "" {
			return transport.Missing("cpnCode of gift record " + strconv.Itoa(i))
		}
	}
	return nil
}

// GiftResult is what a gift returned.
type GiftResult struct {
	// Gifts are the coupons given, one record each, in the gateway's order.
	Gifts []Gift
	// Unconfirmed are the codes of GiftCouponsRequest.CouponCodes that no
	// record of the answer names: the gateway said success without saying
	// what became of them. Check them (LastSentCoupon, MemberCoupons)
	// before giving them again. Empty when every code asked for is named.
	Unconfirmed []string
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// GiftCoupons gives coupons a member holds to the holder of a phone number
// (cpnShiftGift) and returns a record per coupon given: accepted at once
// when the phone is a member's, pending (the giver's coupon then shows
// [CouponGifting]) until someone accepts it otherwise.
//
// The vendor publishes no idempotency key for it, so a gift is an Unsafe
// write without one: it is sent again only when the request provably never
// left or the gateway throttled it. When it may have arrived and the answer
// does not say what happened (a dropped connection, a timeout, a 5xx, an
// answer that is not the vendor's envelope, or code 0 without a gift record
// naming its coupon code), the error matches couponkit.ErrUnknownOutcome
// with no key (couponkit.IdempotencyKey returns ""): check the coupons
// (LastSentCoupon: status 7 while being given; MemberCoupons of the giver)
// before giving them again.
func (c *Client) GiftCoupons(ctx context.Context, req *GiftCouponsRequest) (*GiftResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var a giftAnswer
	meta, err := transport.Send(ctx, &c.typed, opGift, "", (*giftParams)(req), &a)
	if err != nil {
		return nil, err
	}
	recs := a.records()
	res := &GiftResult{Gifts: make([]Gift, len(recs)), Meta: meta}
	named := make(map[string]bool, len(recs))
	for i := range recs {
		res.Gifts[i] = recs[i].gift()
		named[res.Gifts[i].Code] = true
	}
	for _, code := range req.CouponCodes {
		if !named[code] {
			res.Unconfirmed = append(res.Unconfirmed, code)
		}
	}
	return res, nil
}
