package zvcms

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

var opQuery = &transport.Op{Name: "getCustomerCoupons", Path: couponPath + "getCustomerCoupons", Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opQuery, (*Client).GetCustomerCoupons, "a customer's coupons, in one state or with one code"))

// CustomerCouponsRequest asks for a customer's coupons (getCustomerCoupons).
type CustomerCouponsRequest struct {
	// CustomerID is the vendor's customer id (customerId), such as
	// "383933091455959041". Required.
	CustomerID string
	// UseStatus, when not nil, returns only coupons in that state (useStatus,
	// sent as a number), such as UseStatusUnused.Ptr(). It must be a documented
	// state. Nil asks for coupons in every state (the field is left out).
	UseStatus *UseStatus
	// CardID, when not empty, returns only the coupon with that code (cardId,
	// the cardID given when the coupon was issued).
	CardID string
}

// CustomerCoupons is the answer to GetCustomerCoupons.
type CustomerCoupons struct {
	// Coupons are the coupons found, in the vendor's order, each with its
	// CardID. The vendor's page shows data as one object; an object, an
	// array and the vendor family's {list, total} all decode here. An empty
	// list ([] or {"list": []}) is no coupon; a success without a list (data
	// absent, null or "") is not an answer (see GetCustomerCoupons).
	Coupons []Coupon
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// Coupon is one coupon of a customer. Times are in Beijing time (UTC+8); a
// time the vendor left empty is the zero time.
type Coupon struct {
	// CardID is the coupon's code (cardId), the one to redeem.
	CardID string
	// CouponID is the vendor's coupon id (couponId).
	CouponID string
	// CustomerID is the owner's customer id (customerId).
	CustomerID string
	// Channel is the merchant account name (channel, 商家账户名).
	Channel string
	// Title is the coupon's name (title; the vendor family's clients read
	// it as templateName, which is read when title is empty or absent).
	Title string
	// CouponNo is the coupon's number (couponNo) as the vendor family's
	// answers carry it [likely]; not on the vendor's page, whose meaning of
	// it is not published [open]. Empty when the answer has none.
	CouponNo string
	// Type is the coupon's kind (couponType).
	Type CouponType
	// UseStatus is the coupon's state (useStatus).
	UseStatus UseStatus
	// TemplateID is the coupon template's id (templateId), such as 895.
	TemplateID int64
	// BeginAt is when the coupon becomes valid (beginAt).
	BeginAt time.Time
	// EndAt is when the coupon stops being valid (endAt; the vendor
	// family's endTime, read when endAt is empty or absent).
	EndAt time.Time
	// CreatedAt is when the coupon was created (createdAt).
	CreatedAt time.Time
	// UpdatedAt is when the coupon last changed (updatedAt).
	UpdatedAt time.Time
	// Extra is the vendor's additional information (extra), as text; a JSON
	// value that is not a string is kept as its JSON text.
	Extra string
}

// GetCustomerCoupons returns a customer's coupons, optionally only those in
// one state or the one with a given code. It is a read, retried on network
// failures, 5xx, throttling, server faults and unreadable answers.
//
// The call exists for the coupon list, so a success without it is
// unreadable: retried, and then an error whose message says why (a
// *couponkit.Error with no vendor code). That is data absent, null or "", a
// coupon without a cardId (a blank coupon is never returned), a {list,
// total} whose list is shorter than its total (page through those with
// CustomerCouponList), or, when CardID is given, a coupon with another code.
// A customer without coupons is an empty list ([] or {"list": []}); the
// vendor's page answers an unknown customer or code with a refusal
// (查询的信息不存在).
func (c *Client) GetCustomerCoupons(ctx context.Context, req *CustomerCouponsRequest) (*CustomerCoupons, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	a := couponsAnswer{card: req.CardID}
	meta, err := transport.Send(ctx, &c.typed, opQuery, "", (*customerCouponsParams)(req), &a)
	if err != nil {
		return nil, err
	}
	return &CustomerCoupons{Coupons: coupons(a.list), Meta: meta}, nil
}

func (r *CustomerCouponsRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("CustomerCouponsRequest", "is nil")
	case strings.TrimSpace(r.CustomerID) == "":
		return couponkit.Invalid("CustomerID", "is required")
	case r.UseStatus != nil && !r.UseStatus.Known():
		return couponkit.Invalid("UseStatus", "%d is not a documented state", int(*r.UseStatus))
	}
	return nil
}

// customerCouponsParams is getCustomerCoupons' params: CustomerCouponsRequest's
// fields with their wire names. useStatus is a JSON number (the page's table
// says int), left out when not filtering.
type customerCouponsParams struct {
	CustomerID string     `json:"customerId"`
	UseStatus  *UseStatus `json:"useStatus,omitempty"`
	CardID     string     `json:"cardId,omitempty"`
}

// couponsAnswer is getCustomerCoupons' data: an array of coupons, one coupon
// object (the vendor's page), or the vendor family's {list, total}. It
// keeps the cardId asked for across attempts (a transport.Resetter).
type couponsAnswer struct {
	couponList
	card string // the cardId asked for, or ""
}

// Reset forgets an attempt's data, not the cardId asked for.
func (a *couponsAnswer) Reset() { a.couponList = couponList{} }

// Complete requires a coupon list, each coupon with its cardId, a {list,
// total} listing its total, and, when a cardId was asked for, no other
// coupon: a gateway that ignored the filter answered another request.
func (a *couponsAnswer) Complete() error {
	if err := a.check(); err != nil {
		return err
	}
	if a.shape == shapeList && int64(len(a.list)) < a.total.or(0) {
		return fmt.Errorf("the answer lists %d of total %d coupons (page through them with CustomerCouponList)", len(a.list), a.total.n)
	}
	for i := range a.list {
		if id := string(a.list[i].CardID); a.card != "" && id != a.card {
			return errors.New("the answer lists coupon " + strconv.Quote(id) + ", not the one asked for")
		}
	}
	return nil
}

// The shapes of a coupon list's data.
const (
	shapeNone   = iota // no data: absent, null or ""
	shapeArray         // [coupon, …]
	shapeList          // {list: [coupon, …], total}
	shapeCoupon        // one coupon object
)

// couponList is the data of getCustomerCoupons and getCustomerCouponList:
// an array of coupons, an object with a list member that is not null (the
// vendor family's {list, total}), or an object without one (one coupon, as
// on the vendor's page).
type couponList struct {
	list  []wireCoupon
	total count // {list, total}'s total, when it says
	shape int
}

// UnmarshalJSON reads the data by its shape; a scalar is an error.
func (l *couponList) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '[':
		l.shape = shapeArray
		return json.Unmarshal(b, &l.list)
	case '{':
		var o struct {
			wireCoupon
			List  []wireCoupon `json:"list"`
			Total count        `json:"total"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		if o.List != nil {
			l.list, l.total, l.shape = o.List, o.Total, shapeList
		} else {
			l.list, l.shape = []wireCoupon{o.wireCoupon}, shapeCoupon
		}
		return nil
	}
	return errors.New("data is neither an object nor an array: " + strconv.Quote(string(b[:min(len(b), 16)])))
}

// check requires a list whose every coupon has its cardId: a blank coupon
// is never returned.
func (l *couponList) check() error {
	if l.shape == shapeNone {
		return transport.Missing("coupon list")
	}
	for i := range l.list {
		if l.list[i].CardID == "" {
			return fmt.Errorf("coupon %d: %w", i, transport.Missing("cardId"))
		}
	}
	return nil
}

// wireCoupon is a coupon as the vendor writes it: every scalar as a string
// or a number (the vendor's page sends the integers as strings, "0" and
// "951", where its table says int; its sibling platform sends numbers, ids
// included), times as "yyyy-MM-dd HH:mm:ss" with or without zero padding
// (the page's own example has "17:10:2") or epochs, in Beijing time. The
// vendor family's templateName and endTime stand for title and endAt.
type wireCoupon struct {
	CardID       wiretype.Text `json:"cardId"`
	CouponID     wiretype.Text `json:"couponId"`
	CustomerID   wiretype.Text `json:"customerId"`
	Channel      wiretype.Text `json:"channel"`
	Title        wiretype.Text `json:"title"`
	TemplateName wiretype.Text `json:"templateName"`
	CouponNo     wiretype.Text `json:"couponNo"`
	Type         wiretype.Int  `json:"couponType"`
	UseStatus    wiretype.Int  `json:"useStatus"`
	TemplateID   wiretype.Int  `json:"templateId"`
	BeginAt      wiretype.Time `json:"beginAt"`
	EndAt        wiretype.Time `json:"endAt"`
	EndTime      wiretype.Time `json:"endTime"`
	CreatedAt    wiretype.Time `json:"createdAt"`
	UpdatedAt    wiretype.Time `json:"updatedAt"`
	Extra        jsonText      `json:"extra"`
}

// coupon is w as a Coupon: title and endAt, when empty or absent, from the
// vendor family's templateName and endTime.
func (w *wireCoupon) coupon() Coupon {
	return Coupon{
		CardID: string(w.CardID), CouponID: string(w.CouponID), CustomerID: string(w.CustomerID), Channel: string(w.Channel),
		Title: string(cmp.Or(w.Title, w.TemplateName)), CouponNo: string(w.CouponNo), Type: CouponType(w.Type),
		UseStatus: UseStatus(w.UseStatus), TemplateID: int64(w.TemplateID), BeginAt: time.Time(w.BeginAt),
		EndAt: cmp.Or(time.Time(w.EndAt), time.Time(w.EndTime)), CreatedAt: time.Time(w.CreatedAt),
		UpdatedAt: time.Time(w.UpdatedAt), Extra: string(w.Extra),
	}
}

// coupons converts a wire list, nil for none.
func coupons(list []wireCoupon) []Coupon {
	if len(list) == 0 {
		return nil
	}
	out := make([]Coupon, len(list))
	for i := range list {
		out[i] = list[i].coupon()
	}
	return out
}
