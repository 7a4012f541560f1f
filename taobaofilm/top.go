package taobaofilm

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/grant"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// This file is what makes TOP different from the other vendors: its frame
// (a signed form body), its wrap (a typed call's wire params as form
// parameters), its open (the error_response envelope, the
// "<method>_response" wrapper and the return codes of a success) and its
// lists (wrapped in an object without simplify).

// formContentType is the Content-Type of every request body.
const formContentType = "application/x-www-form-urlencoded;charset=utf-8"

// timestampKey and sessionKey are the parameters made again for every
// attempt (the timestamp) and for every logical call (the session a
// TokenSource gives).
const (
	timestampKey = "timestamp"
	sessionKey   = "session"
)

// topRequest is one logical TOP call: every parameter is fixed once, in
// form encoding and in the signed string, but the variable ones: the
// session of a client with a TokenSource, filled for the logical call, and
// the timestamp and the signature, which frame makes for every attempt.
type topRequest struct {
	// fixed is the form encoding of every parameter but the session slot,
	// timestamp and sign, sorted by name.
	fixed []byte
	// signed is the signed string (k1v1k2v2…, raw values) without the
	// variable values, cut where they go: signed[:ss] is the parameters
	// sorted before "session" (followed by "session" itself when the call
	// has a session slot), signed[ss:ts] those between it and "timestamp"
	// (followed by "timestamp"), signed[ts:] those after it. Signed:
	// signed[:ss], the session, signed[ss:ts], the attempt's timestamp,
	// signed[ts:].
	signed []byte
	ss, ts int32
	// slot reports a session slot: a client with a TokenSource, a method
	// other than the token methods.
	slot bool
	// session is the logical call's session, which the Endpoint's Auth
	// sets (setSession) before the first attempt, and again when it
	// renews; nil without a slot.
	session *sessionValue
	// key is the member that wraps the method's answer (ResponseKey).
	key string
	// secrets are the attempt's secrets (its Payload's Secrets): the
	// signature first, which frame sets, then the call's own secret params
	// (a token method's code or refresh token). sig holds them when there
	// are none of the latter.
	secrets []string
	sig     [1]string
}

// sessionValue is a session as a request carries it: raw in the signed
// string, and as "&session=…" in the form.
type sessionValue struct {
	raw, form []byte
}

// newRequest prepares a call of method with business params biz, in any
// order, without two of one name (the caller has checked them against the
// reserved names). Empty ones are left out unless Config.KeepEmptyParams.
// A token method is sent without a session (Config.Session left out); any
// other method of a client with a TokenSource gets a session slot.
func (c *Client) newRequest(method string, biz []sign.Param) *topRequest {
	auth := isAuthMethod(method)
	params := make([]sign.Param, 0, len(c.common)+len(biz)+1)
	for _, p := range c.common {
		if !auth || p.Key != sessionKey {
			params = append(params, p)
		}
	}
	params = append(params, sign.Param{Key: "method", Value: method})
	for _, p := range biz {
		if p.Value != "" || c.keepEmpty {
			params = append(params, p)
		}
	}
	slices.SortFunc(params, func(a, b sign.Param) int { return strings.Compare(a.Key, b.Key) })
	r := &topRequest{slot: c.tokens != nil && !auth, key: ResponseKey(method)}
	r.secrets = r.sig[:]
	n := len(timestampKey) + len(sessionKey)
	for _, p := range params {
		n += len(p.Key) + len(p.Value)
	}
	// One allocation for both: the signed string, then the form (escaping
	// may grow it past the estimate, into a new array).
	buf := make([]byte, 0, 2*n+n/2+len(params))
	ss := 0
	for ss < len(params) && params[ss].Key < sessionKey {
		ss++
	}
	ts := ss
	for ts < len(params) && params[ts].Key < timestampKey {
		ts++
	}
	buf = appendSigned(buf, params[:ss])
	if r.slot {
		buf = append(buf, sessionKey...)
	}
	r.ss = int32(len(buf))
	buf = append(appendSigned(buf, params[ss:ts]), timestampKey...)
	r.ts = int32(len(buf))
	buf = appendSigned(buf, params[ts:])
	r.signed = buf[:len(buf):len(buf)]
	form := buf[len(buf):]
	for i, p := range params {
		if i > 0 {
			form = append(form, '&')
		}
		form = appendQueryEscape(form, p.Key)
		form = append(form, '=')
		form = appendQueryEscape(form, p.Value)
	}
	r.fixed = form
	return r
}

// appendSigned appends params to the signed string: k1v1k2v2…, raw values.
func appendSigned(dst []byte, params []sign.Param) []byte {
	for _, p := range params {
		dst = append(append(dst, p.Key...), p.Value...)
	}
	return dst
}

// setSession puts session in r's slot; it is the Set of the Endpoint's
// Auth. Without a slot (a token method) the session is not sent.
func (r *topRequest) setSession(session string) {
	if !r.slot {
		return
	}
	// One array for both: the raw session, then its form (escaping may
	// grow it past the estimate, into a new array).
	buf := append(make([]byte, 0, 2*len(session)+len(session)/2+len("&session=")), session...)
	r.session = &sessionValue{
		raw:  buf[:len(buf):len(buf)],
		form: appendQueryEscape(append(buf[len(buf):], "&session="...), session),
	}
}

// frame is the Endpoint's Frame: a fresh Beijing-time timestamp and a
// signature over exactly the params sent (the call's session among them,
// when it has a slot), appended to the fixed part in one buffer. The
// signature is this attempt's secret.
func (c *Client) frame(_ *transport.Op, _ int, _ string, r *topRequest) (transport.Payload, error) {
	now := c.clock.Now()
	if y := now.In(cntime.Location()).Year(); y < 0 || y > 9999 {
		return transport.Payload{}, couponkit.Invalid("timestamp", "the client's clock reads year %d, which yyyy-MM-dd HH:mm:ss cannot carry", y)
	}
	var session, sessionForm []byte
	if s := r.session; s != nil {
		session, sessionForm = s.raw, s.form
	}
	var tsb [len(cntime.Layout)]byte
	ts := cntime.AppendFormat(tsb[:0], now)
	body := make([]byte, 0, len(r.fixed)+len(sessionForm)+len("&timestamp=&sign=")+len(ts)+4+64)
	body = append(body, r.fixed...)
	body = append(body, sessionForm...)
	body = append(body, "&timestamp="...)
	body = appendQueryEscape(body, string(ts))
	body = append(body, "&sign="...)
	n := len(body)
	body = c.signer.AppendSign(body, r.signed[:r.ss], session, r.signed[r.ss:r.ts], ts, r.signed[r.ts:])
	r.secrets[0] = string(body[n:])
	return transport.Payload{Body: body, ContentType: formContentType, Secrets: r.secrets}, nil
}

// appendQueryEscape appends s escaped as url.QueryEscape escapes it: ASCII
// letters, digits and -_.~ stay, a space becomes '+', every other byte
// %XX in upper-case hex.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			continue
		}
		dst = append(dst, s[start:i]...)
		if c == ' ' {
			dst = append(dst, '+')
		} else {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// wrap is the typed calls' Wrap, the token calls' included: the wire
// params, a JSON object written by encoding/json, become one form parameter
// a member (see formParams). A token method's code or refresh token is a
// secret of every attempt.
func (c *Client) wrap(op *transport.Op, _ string, params []byte) (*topRequest, error) {
	biz, err := formParams(params)
	if err != nil {
		return nil, couponkit.Invalid("request", "does not encode for %s: %v", op.Name, err)
	}
	r := c.newRequest(op.Name, biz)
	if isAuthMethod(op.Name) {
		for _, p := range biz {
			if grant.Secret(p.Key) {
				r.secrets = append(r.secrets, p.Value)
			}
		}
	}
	return r, nil
}

// formParams turns the members of the JSON object b (valid JSON) into
// parameters: a string as its value, a number or a bool as written, an
// object or an array as its compact JSON text; null is left out. A name
// given twice keeps its last value (null: none), as a map would.
func formParams(b []byte) ([]sign.Param, error) {
	var (
		out []sign.Param
		err error
	)
	if !jsonx.EachMember(b, func(k, v []byte) bool {
		if !utf8.Valid(k) {
			// Read as encoding/json reads it: each bad byte U+FFFD.
			k, _ = jsonx.Scalar(append(append([]byte{'"'}, k...), '"'))
		}
		var val string
		switch v[0] {
		case 'n':
			out = slices.DeleteFunc(out, func(p sign.Param) bool { return p.Key == string(k) })
			return true
		case '{', '[':
			if bytes.ContainsAny(v, " \t\r\n") {
				var buf bytes.Buffer
				if err = json.Compact(&buf, v); err != nil {
					return false
				}
				v = buf.Bytes()
			}
			val = string(v)
		default:
			text, _ := jsonx.Scalar(v)
			val = string(text)
		}
		for i := range out {
			if out[i].Key == string(k) {
				out[i].Value = val
				return true
			}
		}
		out = append(out, sign.Param{Key: string(k), Value: val})
		return true
	}) {
		return nil, errNotObject
	}
	return out, err
}

// topList is a list as TOP writes it: a plain JSON array with
// simplify=true, and otherwise an object wrapping the array in one member
// named after the element type ({"f_code_info":[…]},
// {"f_code_merchant_vo":[…]}). It reads both; an object's array members are
// read in order, null ones skipped.
type topList[T any] []T

// UnmarshalJSON reads an array, or the arrays an object wraps; null leaves
// the list as it is.
func (l *topList[T]) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return json.Unmarshal(b, (*[]T)(l))
	}
	var err error
	jsonx.EachMember(b, func(_, v []byte) bool {
		if v[0] == 'n' {
			return true
		}
		var items []T
		if err = json.Unmarshal(v, &items); err == nil {
			*l = append(*l, items...)
		}
		return err == nil
	})
	return err
}

// head is a TOP error: the members of an error_response (or of a bare error
// object), as text.
type head struct {
	code, msg, subCode, subMsg, requestID string
}

// errNotObject is the cause of an answer that is JSON but not an object.
var errNotObject = errors.New("want a JSON object")

// fields are the members of one JSON object that open reads, as raw JSON
// values: slices of the response body, nil when absent or null.
type fields struct {
	code, msg, subCode, subMsg, requestID []byte
	returnCode, returnMessage, result     []byte
	// resultCode and resultMessage are result's return_code and
	// return_message, when result is an object.
	resultCode, resultMessage []byte
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

// readFields reads the members of the object at b[at] (valid JSON) in one
// pass, descending into result for its return code and message rather than
// skipping it first; the last of a name given twice counts. member, when
// not nil, reads a member first: it returns the index after the value, or 0
// to leave the member to readFields. end is the index after the object, or
// -1 when b[at] does not start one.
func readFields(b []byte, at int, member func(k []byte, at int) int) (f fields, end int) {
	f.errorOnly = true
	end = jsonx.MembersAt(b, at, func(k []byte, v int) int {
		e := 0
		if member != nil {
			e = member(k, v)
		}
		if e == 0 && string(k) == "result" {
			f.resultCode, f.resultMessage = nil, nil
			if b[v] == '{' {
				var r fields
				r, e = readFields(b, v, nil)
				f.resultCode, f.resultMessage = r.returnCode, r.returnMessage
			}
		}
		if e == 0 {
			e = jsonx.SkipValue(b, v)
		}
		f.set(k, b[v:e])
		return e
	})
	return f, end
}

// head returns f as the members of an error.
func (f *fields) head() head {
	return head{code: text(f.code), msg: text(f.msg), subCode: text(f.subCode), subMsg: text(f.subMsg), requestID: text(f.requestID)}
}

// payload reports whether f holds a payload's own members: a return code,
// directly or in result.
func (f *fields) payload() bool { return f.returnCode != nil || f.result != nil }

// failure reports a payload's business failure: a return_code, directly in
// the payload or in its result, other than "0".
func (f *fields) failure() (code, message string, failed bool) {
	switch {
	case f.returnCode != nil && !isZeroCode(f.returnCode):
		return text(f.returnCode), text(f.returnMessage), true
	case f.resultCode != nil && !isZeroCode(f.resultCode):
		return text(f.resultCode), text(f.resultMessage), true
	}
	return "", "", false
}

// isZeroCode reports whether a return_code reads as ReturnCodeOK: "0" or 0.
func isZeroCode(v []byte) bool {
	return string(v) == `"0"` || string(v) == "0"
}

// text reads a scalar (valid JSON) as text whatever its JSON type: a
// string's value, a number or a bool as written; null, an object or an
// array read as "".
func text(v []byte) string {
	if v == nil {
		return ""
	}
	t, _ := jsonx.Scalar(v)
	return string(t)
}

// open is the Endpoint's Open: it verifies and classifies an answer and
// returns its payload, which a typed call decodes into its wire answer and
// Call into its out. No value is decoded here: the answer is checked once
// to be JSON (jsonx.Check), then its members (and the payload's flags) are
// found by position in the same bytes, in one more pass; only an error or a
// business failure turns them into text. A definite TOP answer is an
// error_response, a bare error object, or the method's payload: inside
// "<method>_response", or the whole object with simplify=true, or, without
// it, a whole object that holds a payload's return code (the simplified
// shape, read whatever Config.Simplify says). A payload whose return_code
// or result.return_code is not "0" is a business failure. Anything else
// is unreadable: a write's outcome is then unknown.
func (c *Client) open(_ *transport.Op, _ string, r *topRequest, resp *transport.Response) ([]byte, error) {
	body := resp.Body
	if err := jsonx.Check(body); err != nil {
		return nil, transport.DecodeError(err, body)
	}
	var (
		errResp, payload []byte
		pf               fields // the payload's members, when it is an object
		pfEnd            int
	)
	top, end := readFields(body, 0, func(k []byte, v int) int {
		switch string(k) {
		case "error_response":
			e := jsonx.SkipValue(body, v)
			errResp = nil
			if body[v] != 'n' {
				errResp = body[v:e]
			}
			return e
		case r.key:
			payload, pfEnd = nil, -1
			if body[v] == '{' {
				pf, pfEnd = readFields(body, v, nil)
				payload = body[v:pfEnd]
				return pfEnd
			}
			e := jsonx.SkipValue(body, v)
			if body[v] != 'n' {
				payload = body[v:e]
			}
			return e
		}
		return 0
	})
	if end < 0 {
		return nil, transport.DecodeError(errNotObject, body)
	}
	if errResp != nil {
		e, _ := readFields(errResp, 0, nil)
		if text(e.code) == "" {
			return nil, transport.DecodeError(errors.New("error_response without a code"), body)
		}
		h := e.head()
		resp.RequestID = h.requestID
		return nil, c.apiError(h)
	}
	if top.code != nil && top.errorOnly {
		// A bare {"code":…,"msg":…} error: code and nothing but an error's members.
		h := top.head()
		resp.RequestID = h.requestID
		return nil, c.apiError(h)
	}
	var f fields
	switch {
	case payload != nil && pfEnd < 0:
		return nil, transport.DecodeError(errors.New(r.key+": "+errNotObject.Error()), body)
	case payload != nil:
		f = pf
	case c.simplify && top.n > 0, top.payload():
		// The simplified shape: the body is the payload.
		payload, f = body, top
	default:
		return nil, transport.DecodeError(errors.New("the answer holds neither "+r.key+" nor error_response"), body)
	}
	if f.requestID != nil {
		resp.RequestID = text(f.requestID)
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
