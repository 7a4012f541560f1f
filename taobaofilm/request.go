package taobaofilm

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// formContentType is the Content-Type of every request body.
const formContentType = "application/x-www-form-urlencoded;charset=utf-8"

// signedRequest is one logical TOP call: every parameter is fixed once, but
// the timestamp and the signature, which are made again for every attempt.
type signedRequest struct {
	c      *Client
	params []sign.Param // sorted by name; params[ts] is the timestamp slot
	ts     int
	fixed  []byte // form encoding of every param but timestamp and sign
}

// newRequest prepares a call of method with business params biz (which the
// caller has checked against the reserved names).
func (c *Client) newRequest(method string, biz []sign.Param) *signedRequest {
	params := make([]sign.Param, 0, len(c.common)+len(biz)+2)
	params = append(params, c.common...)
	params = append(params, sign.Param{Key: "method", Value: method}, sign.Param{Key: "timestamp"})
	for _, p := range biz {
		if p.Value != "" || c.keepEmpty {
			params = append(params, p)
		}
	}
	slices.SortFunc(params, func(a, b sign.Param) int { return strings.Compare(a.Key, b.Key) })
	r := &signedRequest{c: c, params: params}
	n := 0
	for _, p := range params {
		n += len(p.Key) + len(p.Value) + 2
	}
	fixed := make([]byte, 0, n+n/2)
	for i, p := range params {
		if p.Key == "timestamp" {
			r.ts = i
			continue
		}
		if len(fixed) > 0 {
			fixed = append(fixed, '&')
		}
		fixed = append(fixed, url.QueryEscape(p.Key)...)
		fixed = append(fixed, '=')
		fixed = append(fixed, url.QueryEscape(p.Value)...)
	}
	r.fixed = fixed
	return r
}

// build is the transport.Call Build function: a fresh Beijing-time timestamp
// and signature over exactly the params sent, appended to the fixed part.
func (r *signedRequest) build(int) (transport.Payload, error) {
	var tsb [len(cntime.Layout)]byte
	ts := string(cntime.AppendFormat(tsb[:0], r.c.clock.Now()))
	r.params[r.ts].Value = ts
	sig, err := sign.TOPSign(r.c.signMethod, r.params, r.c.secret)
	if err != nil {
		return transport.Payload{}, err
	}
	body := make([]byte, 0, len(r.fixed)+len("&timestamp=&sign=")+len(ts)+8+len(sig))
	body = append(body, r.fixed...)
	body = append(body, "&timestamp="...)
	body = appendTimestamp(body, ts)
	body = append(body, "&sign="...)
	body = append(body, sig...)
	return transport.Payload{Body: body, ContentType: formContentType}, nil
}

// appendTimestamp form-encodes "yyyy-MM-dd HH:mm:ss": digits and '-' stay,
// the space becomes '+' and ':' becomes %3A.
func appendTimestamp(dst []byte, ts string) []byte {
	for i := 0; i < len(ts); i++ {
		switch c := ts[i]; c {
		case ' ':
			dst = append(dst, '+')
		case ':':
			dst = append(dst, "%3A"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// do runs one logical call of method through the pipeline.
func (c *Client) do(ctx context.Context, method string, class transport.Class, r *signedRequest, check func(*transport.Response) error) (*transport.Response, error) {
	return c.tc.Do(ctx, &transport.Call{
		Operation: method,
		URL:       c.gateway,
		Class:     class,
		Build:     r.build,
		Check:     check,
	})
}

// checkParams rejects parameter names the client sets itself.
func checkParams(field string, params []sign.Param) error {
	for _, p := range params {
		if p.Key == "" {
			return couponkit.Invalid(field, "a parameter has an empty name")
		}
		if reserved[p.Key] {
			return couponkit.Invalid(field, "%q is a common parameter the client sets", p.Key)
		}
	}
	return nil
}
