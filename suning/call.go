package suning

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Request header names, spelled as Suning's documents and SDKs spell them.
// HTTP header names are case-insensitive; the client sets each under its
// canonical key (http.CanonicalHeaderKey: "Signinfo", "Access_token"), so
// http.Header.Get with these names finds them in middleware and test
// transports.
const (
	HeaderAppMethod      = "AppMethod"
	HeaderAppRequestTime = "AppRequestTime"
	HeaderFormat         = "Format"
	HeaderAppKey         = "AppKey"
	HeaderVersionNo      = "VersionNo"
	HeaderSignInfo       = "signInfo"
	HeaderAccessToken    = "access_token"
)

// The canonical keys the headers are stored under.
var (
	keyAppMethod      = http.CanonicalHeaderKey(HeaderAppMethod)
	keyAppRequestTime = http.CanonicalHeaderKey(HeaderAppRequestTime)
	keyFormat         = http.CanonicalHeaderKey(HeaderFormat)
	keyAppKey         = http.CanonicalHeaderKey(HeaderAppKey)
	keyVersionNo      = http.CanonicalHeaderKey(HeaderVersionNo)
	keySignInfo       = http.CanonicalHeaderKey(HeaderSignInfo)
	keyAccessToken    = http.CanonicalHeaderKey(HeaderAccessToken)
)

// ContentType is the Content-Type of every request, as Suning's Python SDK
// sends it for JSON. [likely]
const ContentType = "application/json;charset=UTF-8"

// KeyName is the vendor's name of the idempotency key of a write.
const KeyName = "enrollInfoCode"

// request is one logical call as the frame needs it: the method, the
// business node, and the whole body, built once and signed again for every
// attempt.
type request struct {
	method string
	node   string
	body   []byte
	// created, for a typed create, modify or stop (node createAppoint,
	// typedCreate set), is the answer's node as Open decoded it, in the same
	// pass as the envelope.
	typedCreate bool
	created     *appointNode
}

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

// frame returns the payload of one attempt: the body as built, and the
// common parameters as headers, signed with the clock's current Beijing
// time. The signature is this attempt's secret.
func (c *Client) frame(_ *transport.Op, _ int, _ string, r *request) (transport.Payload, error) {
	ts := cntime.Format(c.clock.Now())
	si := sign.SuningSignInfo(c.appSecret, r.method, ts, c.appKey, c.version, r.body)
	h := make(http.Header, 7)
	h[keyAppMethod] = []string{r.method}
	h[keyAppRequestTime] = []string{ts}
	h[keyFormat] = []string{"json"}
	h[keyAppKey] = []string{c.appKey}
	h[keyVersionNo] = []string{c.version}
	signed := []string{si} // read only: the header's value and the attempt's secret
	h[keySignInfo] = signed
	if c.token != "" {
		h[keyAccessToken] = []string{c.token}
	}
	return transport.Payload{Body: r.body, ContentType: ContentType, Header: h, Secrets: signed}, nil
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

// knownResponse is the envelope of this package's own methods, read
// without a map.
type knownResponse struct {
	Content *struct {
		Error *snError `json:"sn_error"`
		Body  *struct {
			Create  json.RawMessage `json:"createAppoint"`
			Query   json.RawMessage `json:"queryAppoint"`
			Goto    json.RawMessage `json:"createGotoappoint"`
			Booking json.RawMessage `json:"queryBookinginfo"`
		} `json:"sn_body"`
	} `json:"sn_responseContent"`
}

var errNoContent = errors.New("no sn_responseContent")

// open reads an answer: the business node of the request's node name, or
// the error the answer carries. An sn_error is a definite vendor answer (a
// *couponkit.Error with the fault of the code); anything else that is not
// a whole envelope with the node (empty, not JSON, a proxy's page, no
// sn_responseContent, no node) is not a definite answer.
func (c *Client) open(_ *transport.Op, _ string, r *request, resp *transport.Response) ([]byte, error) {
	if r.typedCreate {
		n, err := c.openCreate(resp.Body)
		if err != nil {
			return nil, err
		}
		r.created = n
		return resp.Body, nil
	}
	return c.parseEnvelope(resp.Body, r.node)
}

// createResponse is the envelope of an answer to a typed create, modify or
// stop, with its node typed, so that one pass reads both.
type createResponse struct {
	Content *struct {
		Error *snError `json:"sn_error"`
		Body  *struct {
			Create *appointNode `json:"createAppoint"`
		} `json:"sn_body"`
	} `json:"sn_responseContent"`
}

// openCreate reads an answer to suning.custom.appoint.create in one pass:
// the createAppoint node, or the error the answer carries.
func (c *Client) openCreate(body []byte) (*appointNode, error) {
	var env createResponse
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, transport.DecodeError(err, body)
	}
	if env.Content == nil {
		return nil, transport.DecodeError(errNoContent, body)
	}
	if e := env.Content.Error; e != nil {
		return nil, c.vendorError(string(e.Code), string(e.Message))
	}
	if env.Content.Body == nil || env.Content.Body.Create == nil {
		return nil, transport.DecodeError(errNoCreateNode, body)
	}
	return env.Content.Body.Create, nil
}

var errNoCreateNode = errors.New("no sn_body." + NodeCreateAppoint)

// parseEnvelope returns the business node of a response body, or the error it
// carries.
func (c *Client) parseEnvelope(body []byte, node string) (json.RawMessage, error) {
	var (
		e   *snError
		raw json.RawMessage
	)
	if knownNode(node) {
		var env knownResponse
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, transport.DecodeError(err, body)
		}
		if env.Content == nil {
			return nil, transport.DecodeError(errNoContent, body)
		}
		e = env.Content.Error
		if b := env.Content.Body; b != nil {
			switch node {
			case NodeCreateAppoint:
				raw = b.Create
			case NodeQueryAppoint:
				raw = b.Query
			case NodeCreateGotoappoint:
				raw = b.Goto
			case NodeQueryBookinginfo:
				raw = b.Booking
			}
		}
	} else {
		var env response
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, transport.DecodeError(err, body)
		}
		if env.Content == nil {
			return nil, transport.DecodeError(errNoContent, body)
		}
		e, raw = env.Content.Error, env.Content.Body[node]
	}
	if e != nil {
		return nil, c.vendorError(string(e.Code), string(e.Message))
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, transport.DecodeError(errors.New("no sn_body."+node), body)
	}
	return raw, nil
}

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

// nodeSetting is the couponkit.VendorSetting name of Node.
const nodeSetting = "suning.node"

// Node names the business node of a generic Call: the request body is
// {"sn_request":{"sn_body":{"<name>":params}}} and the answer's
// sn_body.<name> is what out receives. Suning's envelope cannot be built
// without it and it does not follow from the method name, so Call requires
// it for every method but the four this package knows (MethodAppointCreate,
// MethodAppointQuery, MethodGotoAppointCreate and MethodBookingInfoQuery,
// whose nodes are NodeCreateAppoint, NodeQueryAppoint,
// NodeCreateGotoappoint and NodeQueryBookinginfo).
func Node(name string) couponkit.CallOption { return couponkit.VendorSetting(nodeSetting, name) }

// knownNodes are the business nodes of the methods this package documents.
var knownNodes = map[string]string{
	MethodAppointCreate:     NodeCreateAppoint,
	MethodAppointQuery:      NodeQueryAppoint,
	MethodGotoAppointCreate: NodeCreateGotoappoint,
	MethodBookingInfoQuery:  NodeQueryBookinginfo,
}

// knownNode reports whether node is the business node of one of the
// methods this package documents (read without a map).
func knownNode(node string) bool {
	switch node {
	case NodeCreateAppoint, NodeQueryAppoint, NodeCreateGotoappoint, NodeQueryBookinginfo:
		return true
	}
	return false
}

// Call sends any Suning method, signed like the typed calls, and returns
// the answer's metadata.
//
// params is the business node's value: a json.RawMessage or []byte is sent
// as is (it must be valid JSON), nil sends {}, anything else (a struct, a
// map) is encoded as JSON. The body is
// {"sn_request":{"sn_body":{"<node>":params}}}, where node is set with
// [Node] (required except for the four methods this package knows).
// The answer's sn_body.<node> is decoded into out: a pointer, or nil to
// skip (a *json.RawMessage receives the node's bytes). An sn_error is a
// *couponkit.Error; a business result code inside the node is not
// inspected. A node that does not decode into out is a *couponkit.Error
// with FaultClient saying the call took effect: the vendor answered.
//
// Without options the call is an unsafe write: it is sent again only when
// it provably never left, and an ambiguous answer is an unknown outcome at
// once. couponkit.Read() makes it a read (retried);
// couponkit.Keyed(name, key) a write the vendor de-duplicates on the field
// name of params with value key, retried with the same body. Suning has no
// envelope key, so params must carry it as a top-level string field (such
// as enrollInfoCode); a Keyed call whose params do not is a
// *couponkit.ValidationError and nothing is sent.
func (c *Client) Call(ctx context.Context, api string, params, out any, opts ...couponkit.CallOption) (couponkit.Meta, error) {
	s := couponkit.ResolveCallOptions(opts...)
	if !validMethod(api) {
		return couponkit.Meta{}, couponkit.Invalid("api", "must be a dotted Suning method name such as suning.custom.appoint.query, got %q", api)
	}
	node, ok := s.Vendor[nodeSetting]
	if !ok {
		node = knownNodes[api]
	}
	if !validNode(node) {
		if node == "" {
			return couponkit.Meta{}, couponkit.Invalid("Node", "is required for %s: set suning.Node(name), such as queryAppoint", api)
		}
		return couponkit.Meta{}, couponkit.Invalid("Node", "must be a business node name such as queryAppoint, got %q", node)
	}
	var inner []byte
	switch b := params.(type) {
	case nil:
		inner = []byte("{}")
	case json.RawMessage:
		inner = b
	case []byte:
		inner = b
	default:
		var err error
		if inner, err = jsonx.Marshal(params); err != nil {
			return couponkit.Meta{}, couponkit.Invalid("params", "does not encode as JSON: %v", err)
		}
	}
	if !json.Valid(inner) {
		return couponkit.Meta{}, couponkit.Invalid("params", "is not valid JSON")
	}
	if out != nil {
		if err := checkOut(out); err != nil {
			return couponkit.Meta{}, err
		}
	}
	op := transport.GenericOp(api, c.path(api), s)
	key, err := c.ep.Key(op, "Keyed", s.Key)
	if err != nil {
		return couponkit.Meta{}, err
	}
	if op.Class == transport.Keyed && !carriesKey(inner, s.KeyName, key) {
		return couponkit.Meta{}, couponkit.Invalid("Keyed", "params must carry the key: Suning has no envelope key, so the node's field %q must be the string %q", s.KeyName, key)
	}
	req := &request{method: api, node: node, body: envelope(node, inner)}
	var decode func([]byte) error
	if out != nil {
		decode = func(raw []byte) error { return decodeOut(api, raw, out) }
	}
	return c.ep.Invoke(ctx, op, key, req, decode)
}

// decodeOut decodes a node that came with a definite success into out. A
// failure is the caller's: the vendor answered, so the call took effect.
func decodeOut(api string, raw []byte, out any) error {
	if p, ok := out.(*json.RawMessage); ok {
		*p = append((*p)[:0], raw...)
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &couponkit.Error{Vendor: Vendor, Operation: api, Fault: couponkit.FaultClient, Err: err,
			Message: "the call took effect, but its answer does not decode into out: " + err.Error()}
	}
	return nil
}

// carriesKey reports whether the node params has the string key in its
// top-level field name.
func carriesKey(params []byte, name, key string) bool {
	var fields map[string]json.RawMessage
	if json.Unmarshal(params, &fields) != nil {
		return false
	}
	var v string
	return json.Unmarshal(fields[name], &v) == nil && v == key
}

// checkOut refuses an out that json.Unmarshal could never fill.
func checkOut(out any) error {
	if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
		return couponkit.Invalid("out", "must be a non-nil pointer or nil, got %T", out)
	}
	return nil
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
