package suning

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// nodeSetting is the couponkit.VendorSetting name of Node.
const nodeSetting = "suning.node"

// Node names the business node of a generic Call: the request body is
// {"sn_request":{"sn_body":{"<name>":params}}} and the answer's
// sn_body.<name> is what out receives. Suning's envelope cannot be built
// without it and it does not follow from the method name, so Call requires
// it for every method but those of this package's typed calls (each Method
// constant, whose node is the matching Node constant, such as
// MethodAppointQuery and NodeQueryAppoint).
func Node(name string) couponkit.CallOption { return couponkit.VendorSetting(nodeSetting, name) }

// Call sends any Suning method, signed like the typed calls, and returns
// the answer's metadata.
//
// params is the business node's value: a json.RawMessage or []byte is sent
// as is (it must be valid JSON), nil sends {}, anything else (a struct, a
// map) is encoded as JSON. The body is
// {"sn_request":{"sn_body":{"<node>":params}}}, where node is set with
// [Node] (required except for the methods of this package's typed calls).
// The answer's sn_body.<node> is decoded into out: a pointer, or nil to
// skip (a *json.RawMessage receives the node's bytes). An sn_error is a
// *couponkit.Error with the fault of its code. A node that reports a
// business failure is a *couponkit.Error too (Fault FaultClient, Code the
// resultCode, "1" when only a resultFlag was sent; Message the resultMsg),
// judged as the typed calls judge theirs: a resultFlag, when present,
// decides ("true" is success); otherwise a resultCode, when present, must
// be "0"; a node with neither, or that is not an object, is a success.
// A node that does not decode into out is a *couponkit.Error with
// FaultClient saying the call took effect: the vendor answered.
//
// Without options the call is an unsafe write: it is sent again only when
// the request provably never left or the vendor throttled it, and an
// ambiguous answer is an unknown outcome at once. couponkit.Read() makes it a read (retried);
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
	return c.ep.Invoke(ctx, op, key, req, func(raw []byte) error {
		if err := nodeResult(raw); err != nil {
			return err
		}
		if out == nil {
			return nil
		}
		return decodeOut(api, raw, out)
	})
}

// nodeResult returns the business failure a generic Call's node reports, by
// the rule of the typed calls (wireResult.Failure): a resultFlag, when
// present, decides; otherwise a resultCode, when present, must be "0". A
// node that is not an object, or an object with neither field, reports
// none. Result fields that cannot be read leave the answer not definite.
func nodeResult(raw []byte) error {
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil
	}
	var n wireResult
	if err := json.Unmarshal(raw, &n); err != nil {
		return transport.DecodeError(err, raw)
	}
	if code, msg, failed := n.Failure(); failed {
		return resultError(code, msg)
	}
	return nil
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
