package suning

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// Request header names, spelled as Suning's documents and SDKs spell them.
// HTTP header names are case-insensitive; the client sets each under its
// canonical key (http.CanonicalHeaderKey: "Signinfo", "Access_token"), so
// http.Header.Get with these names finds them in middleware and test
// transports.
const (
	// HeaderAppMethod carries the method name, such as
	// suning.custom.appoint.create.
	HeaderAppMethod = "AppMethod"
	// HeaderAppRequestTime carries the request time, Beijing time as
	// yyyy-MM-dd HH:mm:ss; the gateway refuses one more than 10 minutes off
	// its clock (CodeAppTime).
	HeaderAppRequestTime = "AppRequestTime"
	// HeaderFormat carries the format, always "json".
	HeaderFormat = "Format"
	// HeaderAppKey carries Config.AppKey.
	HeaderAppKey = "AppKey"
	// HeaderVersionNo carries Config.VersionNo (DefaultVersionNo).
	HeaderVersionNo = "VersionNo"
	// HeaderSignInfo carries the signature of the attempt (recomputed for
	// every attempt; kept out of errors and logs).
	HeaderSignInfo = "signInfo"
	// HeaderAccessToken carries Config.AccessToken, when set (kept out of
	// errors and logs).
	HeaderAccessToken = "access_token"
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
}

// wrap is the typed calls' Typed.Wrap: the params go in the business node
// of op's method, {"sn_request":{"sn_body":{"<node>":params}}}.
func wrap(op *transport.Op, _ string, params []byte) (*request, error) {
	node := knownNodes[op.Name]
	return &request{method: op.Name, node: node, body: envelope(node, params)}, nil
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

// open reads an answer (the Endpoint's Open): the business node of the
// request's node name, or the error the answer carries.
func (c *Client) open(_ *transport.Op, _ string, r *request, resp *transport.Response) ([]byte, error) {
	return c.node(resp.Body, r.node)
}

// Member names of the answer envelope
// {"sn_responseContent":{"sn_error":{…}|"sn_body":{"<node>":{…}}}}.
const (
	memberContent = "sn_responseContent"
	memberError   = "sn_error"
	memberBody    = "sn_body"
)

// The members of each level of the envelope, and the index of the one the
// next level is found in.
var (
	contentNames = []string{memberContent}
	replyNames   = []string{memberError, memberBody}
)

const bodyMember = 1 // memberBody in replyNames

var (
	errNotObject = errors.New("the answer is not a JSON object")
	errNoContent = errors.New("no " + memberContent)
)

// node returns the business node named name of an answer body, a slice of
// body, or the error the answer carries. An sn_error is a definite vendor
// answer (a *couponkit.Error with the fault of its code); anything else
// that is not a whole envelope with the node (malformed JSON anywhere, no
// sn_responseContent, no node, a node that is null) is not a definite
// answer. Members are matched as encoding/json matches a struct's fields
// (exactly, else without regard to case; the last of a repeated name wins).
//
// The body is read once (jsonx.ScanNested): everything but the node is
// checked, and the node, only delimited, is checked by whoever reads it:
// encoding/json, which validates before it decodes, or the pipeline
// (Endpoint.DataDeferred); node itself checks it for an sn_error.
func (c *Client) node(body []byte, name string) ([]byte, error) {
	var content, reply [2][]byte
	var found [1][]byte
	names := [1]string{name}
	levels := [3]jsonx.Level{
		{Names: contentNames, Deferred: 0, Values: content[:]},
		{Names: replyNames, Deferred: bodyMember, Values: reply[:]},
		{Names: names[:], Deferred: 0, Values: found[:]},
	}
	if err := jsonx.ScanNested(body, levels[:]); err != nil {
		if errors.Is(err, jsonx.ErrNotObject) {
			err = errNotObject
		}
		return nil, transport.DecodeError(err, body)
	}
	if isNull(content[0]) {
		return nil, transport.DecodeError(errNoContent, body)
	}
	if !isObject(content[0]) {
		return nil, transport.DecodeError(errors.New(memberContent+" is not an object"), body)
	}
	node := found[0]
	if snErr := reply[0]; !isNull(snErr) {
		// Nobody reads the node of an error: it is checked here, so that
		// a malformed answer stays unreadable.
		if node != nil {
			if err := jsonx.Check(node); err != nil {
				return nil, transport.DecodeError(err, body)
			}
		}
		var e snError
		if err := json.Unmarshal(snErr, &e); err != nil {
			return nil, transport.DecodeError(err, body)
		}
		return nil, c.vendorError(string(e.Code), string(e.Message))
	}
	if snBody := reply[bodyMember]; !isNull(snBody) && !isObject(snBody) {
		return nil, transport.DecodeError(errors.New(memberBody+" is not an object"), body)
	}
	if isNull(node) {
		return nil, transport.DecodeError(errors.New("no "+memberBody+"."+name), body)
	}
	return node[:len(node):len(node)], nil
}

// isNull reports whether v is absent (nil) or JSON null.
func isNull(v []byte) bool { return len(v) == 0 || string(v) == "null" }

// isObject reports whether the JSON value v is an object.
func isObject(v []byte) bool { return len(v) > 0 && v[0] == '{' }

// snError is the vendor's error node.
type snError struct {
	Code    wiretype.Text `json:"error_code"`
	Message wiretype.Text `json:"error_msg"`
}

// nodeTable maps a method (an Op's Name) to its business node.
type nodeTable map[string]string

// add records node as the business node of op's method and returns nothing
// of use: its result lets a call's file declare the node beside its Op
// (var _ = knownNodes.add(opX, NodeX)). It panics, as the package's
// programming error, on a method added twice or a node that is not a plain
// identifier.
func (t nodeTable) add(op *transport.Op, node string) struct{} {
	if _, ok := t[op.Name]; ok {
		panic("suning: the node of " + op.Name + " is added twice")
	}
	if !validNode(node) {
		panic("suning: " + op.Name + " has an invalid node " + node)
	}
	t[op.Name] = node
	return struct{}{}
}

// knownNodes are the business nodes of the typed calls' methods: each
// call's file adds its own beside its Op. The typed calls wrap their params
// in it, and Call uses it for a method given no Node.
var knownNodes = nodeTable{}

// resultNode returns the business node named name of an answer whose
// typed call succeeded (meta.Raw, already opened), as the result's Node: a
// slice of the body.
func (c *Client) resultNode(meta couponkit.Meta, name string) json.RawMessage {
	node, err := c.node(meta.Raw, name)
	if err != nil {
		return nil // not reached: the same body opened without error
	}
	return node
}
