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
	CardID string `json:"cardId"`
	// CouponID is the vendor's coupon id (couponId).
	CouponID string `json:"couponId"`
	// CustomerID is the owner's customer id (customerId).
	CustomerID string `json:"customerId"`
	// Channel is the merchant account name (channel, 商家账户名).
	Channel string `json:"channel"`
	// Title is the coupon's name (title; the vendor family's clients read
	// it as templateName, which is read when title is empty or absent).
	Title string `json:"title"`
	// CouponNo is the coupon's number (couponNo) as the vendor family's
	// answers carry it [likely]; not on the vendor's page, whose meaning of
	// it is not published [open]. Empty when the answer has none.
	CouponNo string `json:"couponNo,omitempty"`
	// Type is the coupon's kind (couponType).
	Type CouponType `json:"couponType"`
	// UseStatus is the coupon's state (useStatus).
	UseStatus UseStatus `json:"useStatus"`
	// TemplateID is the coupon template's id (templateId), such as 895.
	TemplateID int64 `json:"templateId"`
	// BeginAt is when the coupon becomes valid (beginAt).
	BeginAt time.Time `json:"beginAt"`
	// EndAt is when the coupon stops being valid (endAt; the vendor
	// family's endTime, read when endAt is empty or absent).
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
// failures, 5xx, throttling, server faults and unreadable answers.
//
// The call exists for the coupon list, so a success without it is
// unreadable: retried, and then an error whose message says why (a
// *couponkit.Error with no vendor code). That is data absent, null or "", a
// coupon without a cardId (a blank coupon is never returned), a {list,
// total} whose list is shorter than its total (page through those with
// CustomerCouponList), or, when CardID is given, a coupon with another code. A customer without
// coupons is an empty list ([] or {"list": []}); the vendor's page answers
// an unknown customer or code with a refusal (查询的信息不存在).
func (c *Client) GetCustomerCoupons(ctx context.Context, req *CustomerCouponsRequest) (*CustomerCoupons, error) {
	params, err := req.params()
	if err != nil {
		return nil, err
	}
	o := &struct { // one allocation for the result and its decoder
		res CustomerCoupons
		ans couponsAnswer
	}{ans: couponsAnswer{card: req.CardID}}
	o.ans.out = &o.res
	o.res.Meta, err = c.ep.Invoke(ctx, opQuery, "", &request{params: params, data: &o.ans}, nil)
	if err != nil {
		return nil, err
	}
	return &o.res, nil
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

// couponsAnswer reads the answer to one GetCustomerCoupons into out: the
// coupons, and whether data held a coupon list at all.
type couponsAnswer struct {
	out  *CustomerCoupons
	card string // the cardId asked for, or ""
	read bool   // data held a list, an empty one included
}

func (a *couponsAnswer) reset() { a.out.Coupons, a.read = nil, false }

// decodeData reads data: an array of coupons, one coupon object, or the
// vendor family's {list, total}.
func (a *couponsAnswer) decodeData(v []byte) (err error) {
	a.out.Coupons, err = decodeCouponData(v)
	a.read = err == nil
	return err
}

// done refuses a success without a coupon list (data absent or null), and
// one listing a coupon other than the one asked for by CardID: an answer to
// another request.
func (a *couponsAnswer) done() error {
	if !a.read {
		return errors.New("success without a coupon list (data absent or null)")
	}
	if a.card != "" {
		for i := range a.out.Coupons {
			if a.out.Coupons[i].CardID != a.card {
				return errors.New("the answer lists coupon " + strconv.Quote(a.out.Coupons[i].CardID) + ", not the one asked for")
			}
		}
	}
	return nil
}

// decodeCouponData reads getCustomerCoupons' data v: an array of coupons,
// one coupon object, or an object with a list member that is not null (the
// vendor family's {list, total}), whose list must hold total coupons when it
// says how many there are. Anything else, "" included, is no coupon list.
func decodeCouponData(v []byte) ([]Coupon, error) {
	switch v[0] {
	case '[':
		return decodeCoupons(v)
	case '{':
		if !hasList(v) {
			out := make([]Coupon, 1)
			if err := decodeCoupon(v, &out[0], nil); err != nil {
				return nil, errors.New("coupon 0: " + err.Error())
			}
			return out, nil
		}
		var p couponPage
		p.reset()
		if err := p.decodeData(v); err != nil {
			return nil, err
		}
		if p.total >= 0 && int64(len(p.coupons)) < p.total {
			return nil, errors.New("the answer lists " + strconv.Itoa(len(p.coupons)) + " of total " + strconv.FormatInt(p.total, 10) + " coupons (page through them with CustomerCouponList)")
		}
		return p.coupons, nil
	default:
		return nil, errors.New("data is neither an object nor an array: " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
}

// hasList reports whether the object v has a list member whose (last)
// value is not null.
func hasList(v []byte) bool {
	has := false
	jsonx.EachMember(v, func(name, value []byte) bool {
		if jsonx.FieldIndex(name, pageFields) == 0 {
			has = value[0] != 'n'
		}
		return true
	})
	return has
}

// decodeCoupons reads the JSON value v, an array of coupon objects. A
// null element, or anything but an array, is an error.
func decodeCoupons(v []byte) ([]Coupon, error) {
	var out []Coupon
	var err error
	isArray := jsonx.EachElement(v, func(e []byte) bool {
		n := len(out)
		if n == cap(out) && n > 0 {
			// Size the list from the bytes the coupons so far took: e is
			// a slice of v, so cap(v)-cap(e) is its offset in v.
			at := cap(v) - cap(e)
			out = slices.Grow(out, (len(v)-at)/max(at/n, 1)+1)
		}
		out = append(out, Coupon{})
		var prev *Coupon
		if n > 0 {
			prev = &out[n-1]
		}
		if err = decodeCoupon(e, &out[n], prev); err != nil {
			err = errors.New("coupon " + strconv.Itoa(n) + ": " + err.Error())
			return false
		}
		return true
	})
	if !isArray {
		return nil, errors.New("want an array of coupons, got " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out, nil
}

// couponFields are the coupon's members as the vendor's page names them,
// then couponNo and the vendor family's templateName (for title) and
// endTime (for endAt); the order is the index decodeCoupon switches on.
var couponFields = []string{"cardId", "couponId", "customerId", "channel", "title", "couponNo", "extra",
	"couponType", "useStatus", "templateId", "beginAt", "endAt", "createdAt", "updatedAt",
	"templateName", "endTime"}

// The indexes of couponFields: the strings first (cardId … couponNo, and
// extra), then the integers, then the times, then the family's names.
const (
	nStrings      = 6
	fieldCardID   = 0
	fieldTitle    = 4
	fieldExtra    = 6
	fieldType     = 7
	fieldUse      = 8
	fieldTmpl     = 9
	fieldTimes    = 10
	fieldEndAt    = 11
	fieldTmplName = 14
	fieldEndTime  = 15
)

// decodeCoupon reads one coupon object into c. Of a repeated member the last
// counts, as with encoding/json. Every scalar may arrive as a
// string, a number, a bool or null (read as jsonx.Flex reads them): the
// vendor's page sends the integers as strings ("0", "951") where its table
// says int, and its sibling platform sends numbers, ids included. extra keeps
// a value that is not a string as its JSON text. title and endAt, when
// empty or absent, are read from the vendor family's templateName and
// endTime. A coupon without a cardId (absent, null or "") is no coupon: the
// code is what every caller needs. The coupon's text fields share one
// allocation; one equal to prev's (the customer and the channel, usually) is
// prev's string.
func decodeCoupon(v []byte, c *Coupon, prev *Coupon) error {
	var strs [nStrings + 1][]byte // the text fields' values, extra's JSON text when not a string
	var ints [3][]byte            // couponType, useStatus, templateId
	var times [4][]byte           // beginAt, endAt, createdAt, updatedAt
	var tmplName, endTime []byte
	var err error
	isObject := jsonx.EachMember(v, func(name, value []byte) bool {
		i := jsonx.FieldIndex(name, couponFields)
		if i < 0 {
			return true
		}
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
			ints[i-fieldType] = text
		case i == fieldTmplName:
			tmplName = text
		case i == fieldEndTime:
			endTime = text
		default:
			times[i-fieldTimes] = text
		}
		return true
	})
	if !isObject {
		return errors.New("want an object, got " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	if err != nil {
		return err
	}
	if len(strs[fieldCardID]) == 0 {
		return errors.New("no cardId")
	}
	var n [3]int64
	for k, text := range ints {
		if n[k], err = parseInt(couponFields[fieldType+k], text); err != nil {
			return err
		}
	}
	c.Type, c.UseStatus, c.TemplateID = CouponType(n[0]), UseStatus(n[1]), n[2]
	if len(strs[fieldTitle]) == 0 {
		strs[fieldTitle] = tmplName
	}
	if len(times[fieldEndAt-fieldTimes]) == 0 {
		times[fieldEndAt-fieldTimes] = endTime
	}
	for k, text := range times {
		t, terr := parseTimeBytes(text)
		if terr != nil {
			return errors.New(couponFields[fieldTimes+k] + ": " + terr.Error())
		}
		*[...]*time.Time{&c.BeginAt, &c.EndAt, &c.CreatedAt, &c.UpdatedAt}[k] = t
	}
	var old [nStrings + 1]string
	if prev != nil {
		old = [...]string{prev.CardID, prev.CouponID, prev.CustomerID, prev.Channel, prev.Title, prev.CouponNo, prev.Extra}
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
	c.CardID, c.CouponID, c.CustomerID, c.Channel, c.Title, c.CouponNo, c.Extra = out[0], out[1], out[2], out[3], out[4], out[5], out[6]
	return nil
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
