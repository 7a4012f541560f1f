package zvcms

// A reference decoder the fuzz tests compare the package's decoder with:
// encoding/json into jsonx.Flex fields, then the coupons decoded again from
// data.

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/internal/jsonx"
)

type refEnvelope struct {
	Status  jsonx.Flex      `json:"status"`
	Code    jsonx.Flex      `json:"code"`
	Message jsonx.Flex      `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// refParseEnvelope decodes a body that is a definite vendor answer, or says why
// it is not one.
func refParseEnvelope(body []byte) (*refEnvelope, error) {
	var env refEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	switch strings.ToLower(string(env.Status)) {
	case "true", "1":
		if env.Code == "" {
			return nil, errors.New("status true without a code")
		}
	case "false", "0":
	case "":
		return nil, errors.New("no status")
	default:
		return nil, errors.New("status is neither true nor false")
	}
	return &env, nil
}

// refWireCoupon is a coupon as sent: every scalar may be a string or a number.
type refWireCoupon struct {
	BeginAt      jsonx.Flex      `json:"beginAt"`
	CardID       jsonx.Flex      `json:"cardId"`
	Channel      jsonx.Flex      `json:"channel"`
	CouponID     jsonx.Flex      `json:"couponId"`
	CouponNo     jsonx.Flex      `json:"couponNo"`
	CouponType   jsonx.Flex      `json:"couponType"`
	CreatedAt    jsonx.Flex      `json:"createdAt"`
	CustomerID   jsonx.Flex      `json:"customerId"`
	Title        jsonx.Flex      `json:"title"`
	TemplateName jsonx.Flex      `json:"templateName"`
	UpdatedAt    jsonx.Flex      `json:"updatedAt"`
	UseStatus    jsonx.Flex      `json:"useStatus"`
	TemplateID   jsonx.Flex      `json:"templateId"`
	EndAt        jsonx.Flex      `json:"endAt"`
	EndTime      jsonx.Flex      `json:"endTime"`
	Extra        json.RawMessage `json:"extra"`
}

// refDecodeCoupons decodes getCustomerCoupons' data: an array of coupons,
// one coupon object, or an object whose list is not null ({list, total},
// the list holding at least total coupons). Absent, null, "" or anything
// else is no coupon list.
func refDecodeCoupons(data []byte) ([]Coupon, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return nil, errors.New("no coupon list")
	}
	switch data[0] {
	case '[':
		return refCouponArray(data)
	case '{':
		var probe struct {
			List json.RawMessage `json:"list"`
		}
		if err := json.Unmarshal(data, &probe); err != nil {
			return nil, err
		}
		if l := bytes.TrimSpace(probe.List); len(l) > 0 && string(l) != "null" {
			list, total, err := refDecodePage(data)
			if err == nil && total >= 0 && int64(len(list)) < total {
				err = errors.New("fewer than total")
			}
			return list, err
		}
		var w refWireCoupon
		if err := json.Unmarshal(data, &w); err != nil {
			return nil, err
		}
		out := make([]Coupon, 1)
		if err := w.to(&out[0]); err != nil {
			return nil, err
		}
		return out, nil
	default:
		return nil, errors.New("data is neither an object nor an array")
	}
}

// refDecodePage decodes getCustomerCouponList's data: {list, total} with a
// list that is not null, or a bare array (total -1).
func refDecodePage(data []byte) ([]Coupon, int64, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return nil, -1, errors.New("no page")
	}
	switch data[0] {
	case '[':
		list, err := refCouponArray(data)
		return list, -1, err
	case '{':
		var p struct {
			List  json.RawMessage `json:"list"`
			Total jsonx.Flex      `json:"total"`
		}
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, -1, err
		}
		if l := bytes.TrimSpace(p.List); len(l) == 0 || string(l) == "null" {
			return nil, -1, errors.New("no list")
		}
		total := int64(-1)
		if p.Total != "" {
			var err error
			if total, err = refIntOf("total", p.Total); err != nil {
				return nil, -1, err
			}
		}
		list, err := refCouponArray(p.List)
		return list, total, err
	default:
		return nil, -1, errors.New("data is neither an object nor an array")
	}
}

// refCouponArray decodes an array of coupon objects, each with a cardId.
func refCouponArray(data []byte) ([]Coupon, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make([]Coupon, len(raw))
	for i, r := range raw {
		if r = bytes.TrimSpace(r); r[0] != '{' {
			return nil, errors.New("coupon " + strconv.Itoa(i) + ": not an object")
		}
		var w refWireCoupon
		if err := json.Unmarshal(r, &w); err != nil {
			return nil, err
		}
		if err := w.to(&out[i]); err != nil {
			return nil, errors.New("coupon " + strconv.Itoa(i) + ": " + err.Error())
		}
	}
	return out, nil
}

func (w *refWireCoupon) to(c *Coupon) error {
	var err error
	if w.CardID == "" {
		return errors.New("no cardId")
	}
	c.CardID = string(w.CardID)
	c.CouponID = string(w.CouponID)
	c.CustomerID = string(w.CustomerID)
	c.Channel = string(w.Channel)
	c.Title = string(cmp.Or(w.Title, w.TemplateName))
	c.CouponNo = string(w.CouponNo)
	if c.Extra, err = refText(w.Extra); err != nil {
		return errors.New("extra: " + err.Error())
	}
	t, err := refIntOf("couponType", w.CouponType)
	if err != nil {
		return err
	}
	c.Type = CouponType(t)
	s, err := refIntOf("useStatus", w.UseStatus)
	if err != nil {
		return err
	}
	c.UseStatus = UseStatus(s)
	if c.TemplateID, err = refIntOf("templateId", w.TemplateID); err != nil {
		return err
	}
	for _, f := range [...]struct {
		name string
		in   jsonx.Flex
		out  *time.Time
	}{
		{"beginAt", w.BeginAt, &c.BeginAt},
		{"endAt", cmp.Or(w.EndAt, w.EndTime), &c.EndAt},
		{"createdAt", w.CreatedAt, &c.CreatedAt},
		{"updatedAt", w.UpdatedAt, &c.UpdatedAt},
	} {
		if *f.out, err = parseTime(string(f.in)); err != nil {
			return errors.New(f.name + ": " + err.Error())
		}
	}
	return nil
}

// refIntOf reads an integer sent as a number or a string; empty is 0.
func refIntOf(name string, f jsonx.Flex) (int64, error) {
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
func refText(raw json.RawMessage) (string, error) {
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
