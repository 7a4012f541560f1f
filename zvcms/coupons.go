package zvcms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

var opQuery = &transport.Op{Name: "getCustomerCoupons", Path: couponPath + "getCustomerCoupons", Class: transport.Safe}

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
	// Coupons are the coupons found, in the vendor's order. The vendor's page
	// shows data as one object; a single object and an array both decode
	// here. No coupon (data null, "" or []) is an empty list.
	Coupons []Coupon
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// Coupon is one coupon of a customer. Times are in Beijing time (UTC+8); a
// time the vendor left empty is the zero time.
type Coupon struct {
	// CardID is the coupon's code (cardId), the one to redeem.
	CardID string `json:"cardId"`
	// CouponID is the vendor's coupon id (couponId).
	CouponID string `json:"couponId"`
	// CustomerID is the owner's customer id (customerId).
	CustomerID string `json:"customerId"`
	// Channel is the merchant account name (channel, 商家账户名).
	Channel string `json:"channel"`
	// Title is the coupon's name (title).
	Title string `json:"title"`
	// Type is the coupon's kind (couponType).
	Type CouponType `json:"couponType"`
	// UseStatus is the coupon's state (useStatus).
	UseStatus UseStatus `json:"useStatus"`
	// TemplateID is the coupon template's id (templateId), such as 895.
	TemplateID int64 `json:"templateId"`
	// BeginAt is when the coupon becomes valid (beginAt).
	BeginAt time.Time `json:"beginAt"`
	// EndAt is when the coupon stops being valid (endAt).
	EndAt time.Time `json:"endAt"`
	// CreatedAt is when the coupon was created (createdAt).
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the coupon last changed (updatedAt).
	UpdatedAt time.Time `json:"updatedAt"`
	// Extra is the vendor's additional information (extra), as text; a JSON
	// value that is not a string is kept as its JSON text.
	Extra string `json:"extra"`
}

// GetCustomerCoupons returns a customer's coupons, optionally only those in
// one state or the one with a given code. It is a read, retried on network
// failures, 5xx, throttling and server faults.
func (c *Client) GetCustomerCoupons(ctx context.Context, req *CustomerCouponsRequest) (*CustomerCoupons, error) {
	params, err := req.params()
	if err != nil {
		return nil, err
	}
	out := &CustomerCoupons{}
	out.Meta, err = c.ep.Invoke(ctx, opQuery, "", params, func(data []byte) (err error) {
		out.Coupons, err = decodeCoupons(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// params validates r and encodes the business object.
func (r *CustomerCouponsRequest) params() ([]byte, error) {
	if r == nil {
		return nil, couponkit.Invalid("CustomerCouponsRequest", "is nil")
	}
	if strings.TrimSpace(r.CustomerID) == "" {
		return nil, couponkit.Invalid("CustomerID", "is required")
	}
	if r.UseStatus != nil && !r.UseStatus.Known() {
		return nil, couponkit.Invalid("UseStatus", "%d is not a documented state", int(*r.UseStatus))
	}
	b := make([]byte, 0, 64+len(r.CustomerID)+len(r.CardID))
	b = append(b, `{"customerId":`...)
	b = jsonx.AppendString(b, r.CustomerID)
	if r.UseStatus != nil {
		b = append(b, `,"useStatus":`...)
		b = strconv.AppendInt(b, int64(*r.UseStatus), 10)
	}
	if r.CardID != "" {
		b = append(b, `,"cardId":`...)
		b = jsonx.AppendString(b, r.CardID)
	}
	return append(b, '}'), nil
}

// wireCoupon is a coupon as sent: every scalar may be a string or a number.
type wireCoupon struct {
	BeginAt    jsonx.Flex      `json:"beginAt"`
	CardID     jsonx.Flex      `json:"cardId"`
	Channel    jsonx.Flex      `json:"channel"`
	CouponID   jsonx.Flex      `json:"couponId"`
	CouponType jsonx.Flex      `json:"couponType"`
	CreatedAt  jsonx.Flex      `json:"createdAt"`
	CustomerID jsonx.Flex      `json:"customerId"`
	Title      jsonx.Flex      `json:"title"`
	UpdatedAt  jsonx.Flex      `json:"updatedAt"`
	UseStatus  jsonx.Flex      `json:"useStatus"`
	TemplateID jsonx.Flex      `json:"templateId"`
	EndAt      jsonx.Flex      `json:"endAt"`
	Extra      json.RawMessage `json:"extra"`
}

// decodeCoupons decodes data: an array of coupons, one coupon object, or
// nothing (absent, null, "" or []).
func decodeCoupons(data []byte) ([]Coupon, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" || string(data) == `""` {
		return nil, nil
	}
	var wire []wireCoupon
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &wire); err != nil {
			return nil, err
		}
	case '{':
		wire = make([]wireCoupon, 1)
		if err := json.Unmarshal(data, &wire[0]); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("data is neither an object nor an array")
	}
	if len(wire) == 0 {
		return nil, nil
	}
	out := make([]Coupon, len(wire))
	for i := range wire {
		if err := wire[i].to(&out[i]); err != nil {
			return nil, errors.New("coupon " + strconv.Itoa(i) + ": " + err.Error())
		}
	}
	return out, nil
}

func (w *wireCoupon) to(c *Coupon) error {
	var err error
	c.CardID = string(w.CardID)
	c.CouponID = string(w.CouponID)
	c.CustomerID = string(w.CustomerID)
	c.Channel = string(w.Channel)
	c.Title = string(w.Title)
	if c.Extra, err = text(w.Extra); err != nil {
		return errors.New("extra: " + err.Error())
	}
	t, err := intOf("couponType", w.CouponType)
	if err != nil {
		return err
	}
	c.Type = CouponType(t)
	s, err := intOf("useStatus", w.UseStatus)
	if err != nil {
		return err
	}
	c.UseStatus = UseStatus(s)
	if c.TemplateID, err = intOf("templateId", w.TemplateID); err != nil {
		return err
	}
	for _, f := range [...]struct {
		name string
		in   jsonx.Flex
		out  *time.Time
	}{
		{"beginAt", w.BeginAt, &c.BeginAt},
		{"endAt", w.EndAt, &c.EndAt},
		{"createdAt", w.CreatedAt, &c.CreatedAt},
		{"updatedAt", w.UpdatedAt, &c.UpdatedAt},
	} {
		if *f.out, err = parseTime(string(f.in)); err != nil {
			return errors.New(f.name + ": " + err.Error())
		}
	}
	return nil
}

// intOf reads an integer sent as a number or a string; empty is 0.
func intOf(name string, f jsonx.Flex) (int64, error) {
	if f == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(f), 10, 64)
	if err != nil {
		return 0, errors.New(name + ": not an integer: " + strconv.Quote(string(f)))
	}
	return n, nil
}

// text returns a JSON string's value, "" for null or absent, or any other
// JSON value's text.
func text(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	default:
		return string(raw), nil
	}
}
