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

// CallOption sets how Client.Call may retry.
type CallOption func(*callSettings)

type callSettings struct {
	class    transport.Class
	key, val string
}

// ReadOnly declares the endpoint a read: it is retried on network failures,
// 5xx, throttling and server faults.
func ReadOnly() CallOption {
	return func(s *callSettings) { s.class = transport.Safe }
}

// Keyed declares the endpoint a write the vendor de-duplicates on the params
// field name with value key (such as "bizId"): it is retried like a read with
// the same params, and an unknown outcome reports name and key.
func Keyed(name, key string) CallOption {
	return func(s *callSettings) { s.class, s.key, s.val = transport.Keyed, name, key }
}

// Call sends params to any V3 endpoint, signed as the typed calls are, and
// decodes the response's data into out (a pointer, or nil to ignore data).
//
// path is appended to the gateway, such as "/v3/crm/coupon/getCustomerCoupons".
// params is the business object: a json.RawMessage or []byte holding JSON is
// sent as is; anything else is encoded with encoding/json (nil sends {}). It is
// encoded once; every attempt gets a fresh timestamp, nonce and token.
//
// Without options the call is treated as a write without de-duplication: it
// is retried only when the request provably never left, and an unknown
// outcome is reported as couponkit.ErrUnknownOutcome. Pass ReadOnly() or
// Keyed(name, key) to allow retries.
//
// A failed envelope is a *couponkit.Error as for the typed calls. When the
// vendor reported success but data does not decode into out, the error is a
// *couponkit.Error with FaultClient whose message says so (the call took
// effect).
func (c *Client) Call(ctx context.Context, path string, params any, out any, opts ...CallOption) error {
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?# ") {
		return couponkit.Invalid("path", "must start with / and hold no query, such as /v3/crm/coupon/getCustomerCoupons")
	}
	body, err := encodeParams(params)
	if err != nil {
		return err
	}
	s := callSettings{class: transport.Unsafe}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	op := path[strings.LastIndexByte(path, '/')+1:]
	var data json.RawMessage
	_, err = c.do(ctx, op, c.base+path, s.class, s.key, s.val, body, func(env *envelope) error {
		data = env.Data
		return nil
	})
	if err != nil {
		return err
	}
	if d := bytes.TrimSpace(data); out != nil && len(d) > 0 && string(d) != "null" {
		if err := json.Unmarshal(d, out); err != nil {
			return &couponkit.Error{Vendor: Vendor, Operation: op, Fault: couponkit.FaultClient, Err: err,
				Message: "the vendor reported success, but data does not decode into out: " + err.Error()}
		}
	}
	return nil
}

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
	return b, nil
}
