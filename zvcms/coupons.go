package zvcms

import (
	"context"
	"errors"
	"slices"
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
	out.Meta, err = c.ep.Invoke(ctx, opQuery, "", &request{params: params, data: out}, nil)
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

// reset forgets the coupons of an earlier attempt's answer.
func (o *CustomerCoupons) reset() { o.Coupons = nil }

// decodeData reads data: an array of coupons, one coupon object, or
// nothing ("").
func (o *CustomerCoupons) decodeData(v []byte) (err error) {
	o.Coupons, err = decodeCouponList(v)
	return err
}

// decodeCouponList reads the JSON value v: an array of coupons, one coupon
// object, or nothing (null or "").
func decodeCouponList(v []byte) ([]Coupon, error) {
	switch v[0] {
	case 'n':
		return nil, nil
	case '"':
		if s, _ := jsonx.Scalar(v); len(s) > 0 {
			return nil, errors.New("data is neither an object nor an array")
		}
		return nil, nil
	case '{':
		out := make([]Coupon, 1)
		if err := decodeCoupon(v, &out[0], nil, &queryNames); err != nil {
			return nil, errors.New("coupon 0: " + err.Error())
		}
		return out, nil
	case '[':
		return decodeCoupons(v, &queryNames)
	default:
		return nil, errors.New("data is neither an object nor an array")
	}
}

// decodeCoupons reads the JSON value v, an array of coupons whose members
// are named as in names, or null. A null element is a zero Coupon, as
// encoding/json leaves it.
func decodeCoupons(v []byte, names *couponNames) ([]Coupon, error) {
	var out []Coupon
	var err error
	jsonx.EachElement(v, func(e []byte) bool {
		n := len(out)
		if n == cap(out) && n > 0 {
			// Size the list from the bytes the coupons so far took: e is
			// a slice of v, so cap(v)-cap(e) is its offset in v.
			at := cap(v) - cap(e)
			out = slices.Grow(out, (len(v)-at)/max(at/n, 1)+1)
		}
		out = append(out, Coupon{})
		if e[0] == 'n' {
			return true
		}
		var prev *Coupon
		if n > 0 {
			prev = &out[n-1]
		}
		if err = decodeCoupon(e, &out[n], prev, names); err != nil {
			err = errors.New("coupon " + strconv.Itoa(n) + ": " + err.Error())
			return false
		}
		return true
	})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out, nil
}

// couponFields are the coupon's members; the order is the index decodeCoupon
// switches on.
var couponFields = []string{"cardId", "couponId", "customerId", "channel", "title", "extra",
	"couponType", "useStatus", "templateId", "beginAt", "endAt", "createdAt", "updatedAt"}

// couponNames are the member names of a coupon in one API's answers, and the
// index in couponFields each stands for.
type couponNames struct {
	names []string
	index []int
}

// queryNames are getCustomerCoupons' names.
var queryNames = couponNames{couponFields, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}

// listNames are getCustomerCouponList's: those of getCustomerCoupons, and
// the vendor family's templateName for title and endTime for endAt.
var listNames = couponNames{
	append(couponFields[:len(couponFields):len(couponFields)], "templateName", "endTime"),
	[]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, fieldTitle, fieldEndAt},
}

// The indexes of couponFields: the strings first (cardId … title, and
// extra), then the integers, then the times.
const (
	nStrings   = 5
	fieldTitle = 4
	fieldExtra = 5
	fieldType  = 6
	fieldUse   = 7
	fieldTmpl  = 8
	fieldTimes = 9
	fieldEndAt = 10
)

// decodeCoupon reads one coupon object into c. Every scalar may arrive as a
// string, a number, a bool or null (read as jsonx.Flex reads them): the
// vendor's page sends the integers as strings ("0", "951") where its table
// says int, and its sibling platform sends numbers, ids included. extra keeps
// a value that is not a string as its JSON text. The coupon's text fields
// share one allocation; one equal to prev's (the customer and the channel,
// usually) is prev's string.
func decodeCoupon(v []byte, c *Coupon, prev *Coupon, names *couponNames) error {
	var strs [nStrings + 1][]byte // the text fields' values, extra's JSON text when not a string
	var err error
	isObject := jsonx.EachMember(v, func(name, value []byte) bool {
		i := jsonx.FieldIndex(name, names.names)
		if i < 0 {
			return true
		}
		i = names.index[i]
		if i == fieldExtra && value[0] != '"' {
			strs[i] = nil
			if value[0] != 'n' {
				strs[i] = value
			}
			return true
		}
		text, serr := scalar(value)
		if serr != nil {
			err = serr
			return false
		}
		switch {
		case i <= fieldExtra:
			strs[i] = text
		case i < fieldTimes:
			n, ierr := parseInt(couponFields[i], text)
			err = cmpOr(err, ierr)
			switch i {
			case fieldType:
				c.Type = CouponType(n)
			case fieldUse:
				c.UseStatus = UseStatus(n)
			default:
				c.TemplateID = n
			}
		default:
			t, terr := parseTimeBytes(text)
			if terr != nil {
				err = cmpOr(err, errors.New(couponFields[i]+": "+terr.Error()))
			}
			*[...]*time.Time{&c.BeginAt, &c.EndAt, &c.CreatedAt, &c.UpdatedAt}[i-fieldTimes] = t
		}
		return true
	})
	if !isObject {
		return errors.New("want an object, got " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	if err != nil {
		return err
	}
	var old [nStrings + 1]string
	if prev != nil {
		old = [...]string{prev.CardID, prev.CouponID, prev.CustomerID, prev.Channel, prev.Title, prev.Extra}
	}
	var out [nStrings + 1]string
	size := 0
	for i, v := range strs {
		if string(v) == old[i] {
			out[i] = old[i]
			strs[i] = nil
		} else {
			size += len(v)
		}
	}
	if size > 0 {
		var sb strings.Builder
		sb.Grow(size)
		for _, v := range strs {
			sb.Write(v)
		}
		all, at := sb.String(), 0
		for i, v := range strs {
			if v != nil {
				out[i] = all[at : at+len(v)]
				at += len(v)
			}
		}
	}
	c.CardID, c.CouponID, c.CustomerID, c.Channel, c.Title, c.Extra = out[0], out[1], out[2], out[3], out[4], out[5]
	return nil
}

// cmpOr returns the first error.
func cmpOr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// parseInt reads a decimal integer (an optional sign and digits) sent as a
// number or a string; empty is 0.
func parseInt(name string, b []byte) (int64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	neg, d := false, b
	if d[0] == '+' || d[0] == '-' {
		neg, d = d[0] == '-', d[1:]
	}
	var n uint64
	ok := len(d) > 0
	for _, c := range d {
		if c < '0' || c > '9' || n > (1<<63)/10 {
			ok = false
			break
		}
		n = n*10 + uint64(c-'0')
	}
	if !ok || n > 1<<63 || (!neg && n == 1<<63) {
		return 0, errors.New(name + ": not an integer: " + strconv.Quote(string(b)))
	}
	if neg {
		return -int64(n), nil
	}
	return int64(n), nil
}
