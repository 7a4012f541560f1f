package zvcms

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// Call sends params to any V3 endpoint, signed as the typed calls are, and
// decodes the response's data into out (a pointer, or nil to ignore data;
// data absent, null or "", the vendor's "nothing", leaves out as it is). It
// returns the metadata of the exchange.
//
// api is a coupon API's name, sent to Gateway + "/v3/crm/coupon/" + api (such
// as "getCustomerCoupons"), or a path starting with "/" appended to the
// gateway as is (such as "/v3/crm/customer/getInfo"). Errors name the API by
// its last path element.
//
// params is the business object: a json.RawMessage or []byte holding JSON is
// sent as is; nil sends {}; anything else is encoded with encoding/json
// (without HTML escaping). It is encoded once; every attempt gets a fresh
// timestamp, nonce and token.
//
// Without options the call is a write the vendor is not known to
// de-duplicate (couponkit.ClassUnsafe): it is sent again only when the
// request provably never left, and once it may have left an ambiguous answer
// is an error matching couponkit.ErrUnknownOutcome. couponkit.Read() makes it
// a read, retried on network failures, 5xx, throttling and unreadable
// answers. couponkit.Keyed(name, key) makes it a write the vendor
// de-duplicates on the params field name (such as "bizId"): params must be a
// JSON object whose field name holds key (as a string or a number), it is
// retried with the same params, and an unknown outcome reports name and key.
//
// A failed envelope is a *couponkit.Error as for the typed calls. When the
// vendor reported success but data does not decode into out, the error is a
// *couponkit.Error with FaultClient whose message says so: the call took
// effect.
func (c *Client) Call(ctx context.Context, api string, params, out any, opts ...couponkit.CallOption) (couponkit.Meta, error) {
	path := api
	if !strings.HasPrefix(api, "/") {
		path = couponPath + api
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	if name == "" || strings.ContainsAny(path, "?#% \t\r\n") || strings.Contains(path, "//") {
		return couponkit.Meta{}, couponkit.Invalid("api", "must be an API name such as getCustomerCoupons, or a path such as /v3/crm/customer/getInfo, without query")
	}
	return c.call(ctx, c.ep, name, path, params, out, opts)
}

// call is the body of Call and CallV2: it encodes params, checks a Keyed
// call's key in them, sends them on ep as the generic operation name at
// path, and decodes the successful answer's data into out.
func (c *Client) call(ctx context.Context, ep *transport.Endpoint[[]byte], name, path string, params, out any, opts []couponkit.CallOption) (couponkit.Meta, error) {
	body, err := encodeParams(params)
	if err != nil {
		return couponkit.Meta{}, err
	}
	s := couponkit.ResolveCallOptions(opts...)
	if s.Class == couponkit.ClassKeyed {
		if err := checkKey(body, s.KeyName, s.Key); err != nil {
			return couponkit.Meta{}, err
		}
	}
	op := transport.GenericOp(name, path, s)
	var data []byte
	meta, err := ep.Invoke(ctx, op, s.Key, body, func(d []byte) error {
		data = d
		return nil
	})
	if err != nil {
		return meta, err
	}
	if d := bytes.TrimSpace(data); out != nil && len(d) > 0 && string(d) != "null" {
		if err := json.Unmarshal(d, out); err != nil {
			return meta, &couponkit.Error{Vendor: Vendor, Operation: name, HTTPStatus: meta.HTTPStatus, Fault: couponkit.FaultClient, Err: err,
				Message: "the vendor reported success (the call took effect), but data does not decode into out: " + err.Error()}
		}
	}
	return meta, nil
}

// encodeParams returns params as JSON: raw JSON as is, nil as {}, anything
// else encoded.
func encodeParams(params any) ([]byte, error) {
	var b []byte
	switch p := params.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		b = p
	case []byte:
		b = p
	default:
		var err error
		if b, err = jsonx.Marshal(p); err != nil {
			return nil, couponkit.Invalid("params", "does not encode as JSON: %v", err)
		}
		return b, nil
	}
	if !json.Valid(b) {
		return nil, couponkit.Invalid("params", "is not valid JSON")
	}
	return bytes.Clone(b), nil // the caller may reuse its buffer while attempts run
}

// checkKey reports whether params, a JSON object, carries key in its field
// name: the vendor de-duplicates on what is sent, so a Keyed call whose key
// is not in params would report a key the vendor never saw.
func checkKey(params []byte, name, key string) error {
	if name == "" || key == "" {
		return couponkit.Invalid("Keyed", "needs a key name and a key, such as couponkit.Keyed(\"bizId\", id)")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(params, &obj); err != nil {
		return couponkit.Invalid("params", "must be a JSON object with %s as a string or number field for a Keyed call", name)
	}
	var got jsonx.Flex
	if raw, ok := obj[name]; !ok || json.Unmarshal(raw, &got) != nil || string(got) != key {
		return couponkit.Invalid("params", "field %s must hold the key given to couponkit.Keyed", name)
	}
	return nil
}
