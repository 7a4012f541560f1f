package taobaofilm

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// This file is what makes TOP different from the other vendors: its frame
// (a signed form body) and its open (the error_response envelope, the
// "<method>_response" wrapper and the return codes of a success).

// formContentType is the Content-Type of every request body.
const formContentType = "application/x-www-form-urlencoded;charset=utf-8"

// topRequest is one logical TOP call: every parameter is fixed once, but the
// timestamp and the signature, which frame makes again for every attempt.
type topRequest struct {
	params []sign.Param // sorted by name; params[ts] is the timestamp slot
	ts     int
	// ss is the session slot (-1: none), for a client with a TokenSource:
	// session is the logical call's session, set by the Endpoint's Auth.
	ss      int
	session string
	// secrets are the call's own secret params (a token method's code or
	// refresh token), kept out of errors with the attempt's signature.
	secrets []string
	fixed   []byte // form encoding of every param but timestamp, session and sign
	key     string // ResponseKey of the method
	// export, when export.on, makes open decode an export page in one pass.
	export exportSlot
}

// newRequest prepares a call of method with business params biz (which the
// caller has checked against the reserved names).
func (c *Client) newRequest(method string, biz []sign.Param) *topRequest {
	params := make([]sign.Param, 0, len(c.common)+len(biz)+3)
	params = append(params, c.common...)
	params = append(params, sign.Param{Key: "method", Value: method}, sign.Param{Key: "timestamp"})
	params = c.sessionParam(params, method)
	for _, p := range biz {
		if p.Value != "" || c.keepEmpty {
			params = append(params, p)
		}
	}
	slices.SortFunc(params, func(a, b sign.Param) int { return strings.Compare(a.Key, b.Key) })
	r := &topRequest{params: params, ss: -1, key: ResponseKey(method)}
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
		if p.Key == "session" && c.tokens != nil {
			r.ss = i
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

// frame is the Endpoint's Frame: a fresh Beijing-time timestamp and a
// signature over exactly the params sent, appended to the fixed part. The
// signature is this attempt's secret.
func (c *Client) frame(_ *transport.Op, _ int, _ string, r *topRequest) (transport.Payload, error) {
	now := c.clock.Now()
	if y := now.In(cntime.Location()).Year(); y < 0 || y > 9999 {
		return transport.Payload{}, couponkit.Invalid("timestamp", "the client's clock reads year %d, which yyyy-MM-dd HH:mm:ss cannot carry", y)
	}
	var tsb [len(cntime.Layout)]byte
	ts := string(cntime.AppendFormat(tsb[:0], now))
	r.params[r.ts].Value = ts
	if r.ss >= 0 {
		r.params[r.ss].Value = r.session
	}
	sig, err := sign.TOPSign(c.signMethod, r.params, c.secret)
	if err != nil {
		return transport.Payload{}, err
	}
	body := make([]byte, 0, len(r.fixed)+len("&timestamp=&sign=")+len(ts)+8+len(sig))
	body = append(body, r.fixed...)
	if r.ss >= 0 {
		body = append(body, "&session="...)
		body = append(body, url.QueryEscape(r.session)...)
	}
	body = append(body, "&timestamp="...)
	body = appendTimestamp(body, ts)
	body = append(body, "&sign="...)
	body = append(body, sig...)
	return transport.Payload{Body: body, ContentType: formContentType, Secrets: append([]string{sig}, r.secrets...)}, nil
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

// head is a TOP error: the members of an error_response (or of a bare
// error object). It reads any JSON value: what is not an object leaves it
// empty.
type head struct {
	Code      loose `json:"code"`
	Msg       loose `json:"msg"`
	SubCode   loose `json:"sub_code"`
	SubMsg    loose `json:"sub_msg"`
	RequestID loose `json:"request_id"`
}

// UnmarshalJSON reads an object's members; any other value leaves h empty.
func (h *head) UnmarshalJSON(b []byte) error {
	*h = head{}
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	type plain head
	return json.Unmarshal(b, (*plain)(h))
}

// loose is a scalar read as text whatever its JSON type (a string, number,
// bool; null, an object or an array read as "").
type loose string

// UnmarshalJSON never fails on valid JSON.
func (l *loose) UnmarshalJSON(b []byte) error {
	var f jsonx.Flex
	if f.UnmarshalJSON(b) != nil {
		f = ""
	}
	*l = loose(f)
	return nil
}

// errNotObject is the cause of an answer that is JSON but not an object.
var errNotObject = errors.New("want a JSON object")

// fields are the members of one JSON object that open reads, as raw JSON
// values: slices of the response body, nil when absent or null.
type fields struct {
	code, msg, subCode, subMsg, requestID []byte
	returnCode, returnMessage, result     []byte
	// errorOnly is false once a member other than an error's is seen.
	errorOnly bool
	n         int // members, null ones included
}

// set records one member.
func (f *fields) set(key, val []byte) {
	f.n++
	if string(val) == "null" {
		val = nil
	}
	switch string(key) {
	case "code":
		f.code = val
	case "msg":
		f.msg = val
	case "sub_code":
		f.subCode = val
	case "sub_msg":
		f.subMsg = val
	case "request_id":
		f.requestID = val
	case "return_code":
		f.returnCode, f.errorOnly = val, false
	case "return_message":
		f.returnMessage, f.errorOnly = val, false
	case "result":
		f.result, f.errorOnly = val, false
	default:
		f.errorOnly = false
	}
}

// readFields reads the members of obj (valid JSON); ok is false when obj is
// not an object.
func readFields(obj []byte) (f fields, ok bool) {
	f.errorOnly = true
	ok = jsonx.EachMember(obj, func(k, v []byte) bool { f.set(k, v); return true })
	return f, ok
}

// head returns f as the members of an error.
func (f *fields) head() *head {
	return &head{Code: looseOf(f.code), Msg: looseOf(f.msg), SubCode: looseOf(f.subCode), SubMsg: looseOf(f.subMsg), RequestID: looseOf(f.requestID)}
}

// failure reports a payload's business failure: a return_code, directly in
// the payload or in its result, other than "0".
func (f *fields) failure() (code, message string, failed bool) {
	if f.returnCode != nil && !isZeroCode(f.returnCode) {
		return string(looseOf(f.returnCode)), string(looseOf(f.returnMessage)), true
	}
	if f.result != nil {
		if r, ok := readFields(f.result); ok && r.returnCode != nil && !isZeroCode(r.returnCode) {
			return string(looseOf(r.returnCode)), string(looseOf(r.returnMessage)), true
		}
	}
	return "", "", false
}

// isZeroCode reports whether a return_code reads as ReturnCodeOK: "0" or 0.
func isZeroCode(v []byte) bool {
	return string(v) == `"0"` || string(v) == "0"
}

// looseOf reads a scalar as text whatever its JSON type (a string, number,
// bool; null, an object or an array read as "").
func looseOf(v []byte) loose {
	var l loose
	if v != nil {
		_ = l.UnmarshalJSON(v)
	}
	return l
}

// open is the Endpoint's Open: it verifies and classifies an answer and
// returns its payload (what a typed call decodes). No value is decoded
// here: the answer is checked once to be JSON, then its members (and the
// payload's flags) are found by position in the same bytes; only an error
// or a business failure turns them into text. A definite TOP answer is an
// error_response, a bare error object, or the method's payload (inside
// "<method>_response", or the whole object with simplify=true); a payload
// whose return_code or result.return_code is not "0" is a business failure.
// Anything else is unreadable: a write's outcome is then unknown.
func (c *Client) open(_ *transport.Op, _ string, r *topRequest, resp *transport.Response) ([]byte, error) {
	if r.export.on {
		return nil, c.openExport(&r.export, resp)
	}
	body := resp.Body
	if !json.Valid(body) {
		var v json.RawMessage
		err := json.Unmarshal(body, &v)
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, transport.DecodeError(err, body)
	}
	var errResp, payload []byte
	top := fields{errorOnly: true}
	if !jsonx.EachMember(body, func(k, v []byte) bool {
		switch string(k) {
		case "error_response":
			if string(v) != "null" {
				errResp = v
			}
		case r.key:
			if string(v) != "null" {
				payload = v
			}
		}
		top.set(k, v)
		return true
	}) {
		return nil, transport.DecodeError(errNotObject, body)
	}
	if errResp != nil {
		e, ok := readFields(errResp)
		if !ok || looseOf(e.code) == "" {
			return nil, transport.DecodeError(errors.New("error_response without a code"), body)
		}
		resp.RequestID = string(looseOf(e.requestID))
		return nil, c.apiError(e.head())
	}
	if top.code != nil && top.errorOnly {
		// A bare {"code":…,"msg":…} error: code and nothing but an error's members.
		h := top.head()
		resp.RequestID = string(h.RequestID)
		return nil, c.apiError(h)
	}
	var f fields
	switch {
	case payload != nil:
		var ok bool
		if f, ok = readFields(payload); !ok {
			return nil, transport.DecodeError(errors.New(r.key+": "+errNotObject.Error()), body)
		}
	case c.simplify && top.n > 0:
		// simplify=true: the body is the payload.
		payload, f = body, top
	default:
		return nil, transport.DecodeError(errors.New("the answer holds neither "+r.key+" nor error_response"), body)
	}
	if f.requestID != nil {
		resp.RequestID = string(looseOf(f.requestID))
	}
	if code, msg, failed := f.failure(); failed {
		return nil, c.businessError(code, msg, resp.RequestID)
	}
	return payload, nil
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
