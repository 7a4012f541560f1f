package suning

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Request header names, spelled as Suning's SDKs send them. The client sends
// them with exactly this case.
const (
	HeaderAppMethod      = "AppMethod"
	HeaderAppRequestTime = "AppRequestTime"
	HeaderFormat         = "Format"
	HeaderAppKey         = "AppKey"
	HeaderVersionNo      = "VersionNo"
	HeaderSignInfo       = "signInfo"
	HeaderAccessToken    = "access_token"
)

// ContentType is the Content-Type of every request, as Suning's Python SDK
// sends it for JSON. [likely]
const ContentType = "application/json;charset=UTF-8"

// KeyName is the vendor's name of the idempotency key of a write.
const KeyName = "enrollInfoCode"

// envelope returns {"sn_request":{"sn_body":{"<node>":<inner>}}}. node must be
// a plain identifier (checked by the callers) and inner a JSON value.
func envelope(node string, inner []byte) []byte {
	const pre, mid, post = `{"sn_request":{"sn_body":{"`, `":`, `}}}`
	b := make([]byte, 0, len(pre)+len(node)+len(mid)+len(inner)+len(post))
	b = append(b, pre...)
	b = append(b, node...)
	b = append(b, mid...)
	b = append(b, inner...)
	return append(b, post...)
}

// spec is one logical call: the body is built once and signed again, with a
// fresh AppRequestTime, for every attempt.
type spec struct {
	method string
	node   string
	body   []byte
	class  transport.Class
	key    string // enrollInfoCode of a keyed write
	// decode, when set, reads the business node of a response that carried
	// no sn_error; it returns a *couponkit.Error for a business failure.
	decode func(node json.RawMessage) error
	// parse, when set, replaces the envelope parsing and decode: it reads
	// the whole response body in one pass.
	parse func(body []byte) error
}

// do sends s through the pipeline and returns the successful response.
func (c *Client) do(ctx context.Context, s *spec) (*transport.Response, error) {
	call := &transport.Call{
		Operation: s.method,
		URL:       c.endpoint(s.method),
		Class:     s.class,
		Build: func(int) (transport.Payload, error) {
			return transport.Payload{Body: s.body, ContentType: ContentType, Header: c.header(s.method, s.body)}, nil
		},
		Check: func(r *transport.Response) error {
			if s.parse != nil {
				return s.parse(r.Body)
			}
			node, err := parseEnvelope(r.Body, s.node)
			if err != nil {
				return err
			}
			if s.decode != nil {
				return s.decode(node)
			}
			return nil
		},
	}
	if s.key != "" {
		call.KeyName, call.Key = KeyName, s.key
	}
	return c.tc.Do(ctx, call)
}

// header returns the common parameters of one attempt, signed over body with
// the clock's current Beijing time.
func (c *Client) header(method string, body []byte) http.Header {
	ts := cntime.Format(c.now())
	h := make(http.Header, 7)
	h[HeaderAppMethod] = []string{method}
	h[HeaderAppRequestTime] = []string{ts}
	h[HeaderFormat] = []string{"json"}
	h[HeaderAppKey] = []string{c.appKey}
	h[HeaderVersionNo] = []string{c.version}
	h[HeaderSignInfo] = []string{sign.SuningSignInfo(c.appSecret, method, ts, c.appKey, c.version, body)}
	if c.token != "" {
		h[HeaderAccessToken] = []string{c.token}
	}
	return h
}

// snError is the vendor's error node.
type snError struct {
	Code    flex `json:"error_code"`
	Message flex `json:"error_msg"`
}

// response is the vendor's response envelope.
type response struct {
	Content *struct {
		Error *snError                   `json:"sn_error"`
		Body  map[string]json.RawMessage `json:"sn_body"`
	} `json:"sn_responseContent"`
}

var errNoContent = errors.New("no sn_responseContent")

// flex is a response scalar that may arrive as a JSON string, number, bool
// or null (see jsonx.Flex). A string without escapes, the usual case, is
// taken from the literal without a second decoding pass.
type flex string

// UnmarshalJSON accepts a string, number, bool or null.
func (f *flex) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		*f = flex(b[1 : n-1])
		return nil
	}
	var j jsonx.Flex
	if err := j.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = flex(j)
	return nil
}

// parseEnvelope returns the business node of a response body, or the error it
// carries: a vendor *couponkit.Error for sn_error, a decode error otherwise.
func parseEnvelope(body []byte, node string) (json.RawMessage, error) {
	var env response
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, transport.DecodeError(err, body)
	}
	if env.Content == nil {
		return nil, transport.DecodeError(errNoContent, body)
	}
	if e := env.Content.Error; e != nil {
		return nil, vendorError(string(e.Code), string(e.Message))
	}
	raw, ok := env.Content.Body[node]
	if !ok || len(raw) == 0 || string(raw) == "null" {
		return nil, transport.DecodeError(errors.New("no sn_body."+node), body)
	}
	return raw, nil
}

// Call sends any Suning method, signed like the typed calls: body is the
// business node's value (a struct or map marshalled as JSON, or a
// json.RawMessage / []byte sent as is) wrapped as
// {"sn_request":{"sn_body":{"<node>":body}}}, and the response's
// sn_body.<node> is decoded into out (a pointer, or nil to skip; a
// *json.RawMessage receives the node's bytes). An sn_error is returned as a
// *couponkit.Error; a business result code inside the node is not inspected.
//
// Methods ending in ".query" or ".get" are reads and are retried; any other
// method is treated as a write without an idempotency key and is retried only
// when the request provably never left.
func (c *Client) Call(ctx context.Context, method, node string, body any, out any) (couponkit.Meta, error) {
	if !validMethod(method) {
		return couponkit.Meta{}, couponkit.Invalid("method", "must be a dotted Suning method name such as suning.custom.appoint.query, got %q", method)
	}
	if !validNode(node) {
		return couponkit.Meta{}, couponkit.Invalid("node", "must be a business node name such as queryAppoint, got %q", node)
	}
	var inner []byte
	switch b := body.(type) {
	case json.RawMessage:
		inner = b
	case []byte:
		inner = b
	default:
		var err error
		if inner, err = jsonx.Marshal(body); err != nil {
			return couponkit.Meta{}, couponkit.Invalid("body", "does not encode as JSON: %v", err)
		}
	}
	if !json.Valid(inner) {
		return couponkit.Meta{}, couponkit.Invalid("body", "is not valid JSON")
	}
	class := transport.Unsafe
	if strings.HasSuffix(method, ".query") || strings.HasSuffix(method, ".get") {
		class = transport.Safe
	}
	s := &spec{method: method, node: node, body: envelope(node, inner), class: class}
	if out != nil {
		s.decode = func(raw json.RawMessage) error {
			if p, ok := out.(*json.RawMessage); ok {
				*p = append((*p)[:0], raw...)
				return nil
			}
			if err := json.Unmarshal(raw, out); err != nil {
				return transport.DecodeError(err, raw)
			}
			return nil
		}
	}
	resp, err := c.do(ctx, s)
	if err != nil {
		return couponkit.Meta{}, err
	}
	return resp.Meta(), nil
}

// validMethod accepts dotted names of letters, digits, '_' and '-'.
func validMethod(m string) bool {
	if m == "" || m[0] == '.' || m[len(m)-1] == '.' {
		return false
	}
	for i := 0; i < len(m); i++ {
		if ch := m[i]; !isIdent(ch) && ch != '.' && ch != '-' {
			return false
		}
	}
	return true
}

// validNode accepts letters, digits and '_'.
func validNode(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !isIdent(n[i]) {
			return false
		}
	}
	return true
}

func isIdent(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'
}
