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
	fixed  []byte // form encoding of every param but timestamp and sign
	key    string // ResponseKey of the method
	// export, when export.on, makes open decode an export page in one pass.
	export exportSlot
}

// newRequest prepares a call of method with business params biz (which the
// caller has checked against the reserved names).
func (c *Client) newRequest(method string, biz []sign.Param) *topRequest {
	params := make([]sign.Param, 0, len(c.common)+len(biz)+2)
	params = append(params, c.common...)
	params = append(params, sign.Param{Key: "method", Value: method}, sign.Param{Key: "timestamp"})
	for _, p := range biz {
		if p.Value != "" || c.keepEmpty {
			params = append(params, p)
		}
	}
	slices.SortFunc(params, func(a, b sign.Param) int { return strings.Compare(a.Key, b.Key) })
	r := &topRequest{params: params, key: ResponseKey(method)}
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
	sig, err := sign.TOPSign(c.signMethod, r.params, c.secret)
	if err != nil {
		return transport.Payload{}, err
	}
	body := make([]byte, 0, len(r.fixed)+len("&timestamp=&sign=")+len(ts)+8+len(sig))
	body = append(body, r.fixed...)
	body = append(body, "&timestamp="...)
	body = appendTimestamp(body, ts)
	body = append(body, "&sign="...)
	body = append(body, sig...)
	return transport.Payload{Body: body, ContentType: formContentType, Secrets: []string{sig}}, nil
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

// head is what open reads of an answer's member in the same pass that finds
// it: the members of an error_response (or of a bare error object), and the
// success flags of a payload in both of TOP's shapes, a result.return_code
// (the export; taobao.film.lottery.sendcode, apiId 37323) and a return_code
// directly in the payload (taobao.film.fcode.merchant.send, apiId 24722).
// It reads any JSON value: what is not an object leaves it empty.
type head struct {
	Code          loose  `json:"code"`
	Msg           loose  `json:"msg"`
	SubCode       loose  `json:"sub_code"`
	SubMsg        loose  `json:"sub_msg"`
	RequestID     loose  `json:"request_id"`
	ReturnCode    *loose `json:"return_code"`
	ReturnMessage loose  `json:"return_message"`
	Result        *head  `json:"result"`
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

// member is one top-level member of an answer: its bytes (a slice of the
// response body, which nothing modifies) and its head, read in one pass.
type member struct {
	raw    []byte
	head   head
	object bool
}

// UnmarshalJSON keeps b and reads its head.
func (m *member) UnmarshalJSON(b []byte) error {
	m.raw, m.object = b, len(b) > 0 && b[0] == '{'
	return m.head.UnmarshalJSON(b)
}

// errNotObject is the cause of an answer that is JSON but not an object.
var errNotObject = errors.New("want a JSON object")

// open is the Endpoint's Open: it verifies and classifies an answer and
// returns its payload (what a typed call decodes). The answer is decoded
// once: that pass finds the error_response, the payload and the payload's
// success flags. A definite TOP answer is an error_response, a bare error
// object, or the method's payload (inside "<method>_response", or the whole
// object with simplify=true); a payload whose return_code or
// result.return_code is not "0" is a business failure. Anything else is
// unreadable: a write's outcome is then unknown.
func (c *Client) open(_ *transport.Op, _ string, r *topRequest, resp *transport.Response) ([]byte, error) {
	if r.export.on {
		return nil, c.openExport(&r.export, resp)
	}
	var top map[string]*member
	if err := json.Unmarshal(resp.Body, &top); err != nil {
		return nil, transport.DecodeError(err, resp.Body)
	}
	if top == nil {
		return nil, transport.DecodeError(errNotObject, resp.Body)
	}
	if m := top["error_response"]; m != nil {
		if !m.object || m.head.Code == "" {
			return nil, transport.DecodeError(errors.New("error_response without a code"), resp.Body)
		}
		resp.RequestID = string(m.head.RequestID)
		return nil, c.apiError(&m.head)
	}
	if e, ok := bareError(top); ok {
		resp.RequestID = string(e.RequestID)
		return nil, c.apiError(e)
	}
	var payload []byte
	var h *head
	switch m := top[r.key]; {
	case m != nil && m.object:
		payload, h = m.raw, &m.head
	case m != nil:
		return nil, transport.DecodeError(errors.New(r.key+": "+errNotObject.Error()), resp.Body)
	case c.simplify && len(top) > 0:
		// simplify=true: the body is the payload, whose members were read
		// one by one.
		payload, h = resp.Body, flatHead(top)
	default:
		return nil, transport.DecodeError(errors.New("the answer holds neither "+r.key+" nor error_response"), resp.Body)
	}
	resp.RequestID = string(h.RequestID)
	if code, msg, failed := h.failure(); failed {
		return nil, c.businessError(code, msg, string(h.RequestID))
	}
	return payload, nil
}

// flatHead is the head of a payload whose members are top.
func flatHead(top map[string]*member) *head {
	h := &head{}
	if m := top["return_code"]; m != nil {
		h.ReturnCode = new(loose)
		_ = h.ReturnCode.UnmarshalJSON(m.raw)
	}
	if m := top["return_message"]; m != nil {
		_ = h.ReturnMessage.UnmarshalJSON(m.raw)
	}
	if m := top["request_id"]; m != nil {
		_ = h.RequestID.UnmarshalJSON(m.raw)
	}
	if m := top["result"]; m != nil {
		h.Result = &m.head
	}
	return h
}

// failure reports a payload's business failure: a return_code, directly in
// the payload or in its result, other than "0".
func (h *head) failure() (code, message string, failed bool) {
	if h.ReturnCode != nil && *h.ReturnCode != ReturnCodeOK {
		return string(*h.ReturnCode), string(h.ReturnMessage), true
	}
	if r := h.Result; r != nil && r.ReturnCode != nil && *r.ReturnCode != ReturnCodeOK {
		return string(*r.ReturnCode), string(r.ReturnMessage), true
	}
	return "", "", false
}

// bareError reads a bare {"code":…,"msg":…} error (no error_response
// wrapper): an object holding code and nothing but the error members.
func bareError(top map[string]*member) (*head, bool) {
	if top["code"] == nil {
		return nil, false
	}
	var e head
	for k, m := range top {
		switch k {
		case "code":
			_ = e.Code.UnmarshalJSON(m.raw)
		case "msg":
			_ = e.Msg.UnmarshalJSON(m.raw)
		case "sub_code":
			_ = e.SubCode.UnmarshalJSON(m.raw)
		case "sub_msg":
			_ = e.SubMsg.UnmarshalJSON(m.raw)
		case "request_id":
			_ = e.RequestID.UnmarshalJSON(m.raw)
		default:
			return nil, false
		}
	}
	return &e, true
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
