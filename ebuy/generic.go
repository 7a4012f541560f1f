package ebuy

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// actionSetting is the CallSettings.Vendor key of the [Action] option.
const actionSetting = "ebuy.action"

// Action overrides the envelope's action for one [Client.Call]. Without it
// the action is the one this package uses for the API: Config.Actions, then
// the package's own table (see the package doc), else the API path itself.
func Action(name string) couponkit.CallOption {
	return couponkit.VendorSetting(actionSetting, name)
}

// Call sends params as the content of any e-Buy 4.1 API (the path after
// /paas/micro/ecoupon/, such as "batchActivateCode"), signed like the typed
// calls, and decodes the content of e-Buy's verified success answer into
// out. Use it for APIs this package has no typed call for.
//
// params is the content object: a json.RawMessage or []byte holding a JSON
// object is sent as is (the sign covers exactly those bytes; send it
// canonical, keys sorted and compact, if the gateway re-serializes it), nil
// sends {}, and any other value is encoded canonical (keys sorted at every
// level, compact, no HTML escaping) and must encode to a JSON object. out is
// a pointer to decode the answer's content into, or nil.
//
// The call is Unsafe unless opts say otherwise: it is sent once, and when
// its outcome cannot be known the error matches couponkit.ErrUnknownOutcome
// and couponkit.IdempotencyKey gives the uuid it was sent with. Options:
//   - couponkit.Read() makes it a read, retried on network failures, 5xx,
//     throttling and unreadable answers;
//   - couponkit.Keyed("uuid", key) makes it a write e-Buy de-duplicates by
//     uuid: key is sent as the envelope's uuid and kept across retries;
//   - couponkit.Keyed(name, key) with another name (such as
//     "cashierTransNo") declares a key carried inside params: it is reported
//     as the idempotency key, and a fresh uuid is kept across retries;
//   - [Action] overrides the envelope's action.
//
// A failure answer is a *couponkit.Error with e-Buy's errorCode. Content
// that does not decode into out after a verified success is a
// *couponkit.Error with FaultClient: the call took effect. The returned Meta
// describes the final exchange (Meta.Raw is the whole answer).
func (c *Client) Call(ctx context.Context, api string, params, out any, opts ...couponkit.CallOption) (couponkit.Meta, error) {
	s := couponkit.ResolveCallOptions(opts...)
	if api == "" || strings.ContainsAny(api, "/?#% ") {
		return couponkit.Meta{}, couponkit.Invalid("api", "required, a single path segment")
	}
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return couponkit.Meta{}, couponkit.Invalid("out", "must be a non-nil pointer or nil, not %T", out)
		}
	}
	content, err := callContent(params)
	if err != nil {
		return couponkit.Meta{}, err
	}
	op := transport.GenericOp(api, apiPrefix+api, s)
	var key, uuid string
	switch {
	case s.Class == transport.Keyed && s.Key == "":
		return couponkit.Meta{}, couponkit.Invalid("Key", "required with couponkit.Keyed: it is the idempotency key")
	case s.Class == transport.Keyed && (s.KeyName == "uuid" || s.KeyName == ""):
		if err := checkUUID("Key", s.Key, maxUUIDLen); err != nil {
			return couponkit.Meta{}, err
		}
		op.KeyName, key, uuid = "uuid", s.Key, s.Key
	case s.Class == transport.Keyed:
		key, uuid = s.Key, c.newUUID()
	default:
		uuid = c.newUUID()
		op.KeyName, key = "uuid", uuid
	}
	var data []byte
	req := &request{action: cmp.Or(s.Vendor[actionSetting], c.action(api)), uuid: uuid, content: content}
	meta, err := c.ep.Invoke(ctx, op, key, req, func(b []byte) error {
		data = b
		return nil
	})
	if err != nil || out == nil || data == nil {
		return meta, err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return meta, &couponkit.Error{
			Vendor: Vendor, Operation: api, RequestID: meta.RequestID, HTTPStatus: meta.HTTPStatus, Fault: couponkit.FaultClient, Err: err,
			Message: "the call took effect, but its content does not decode into " + reflect.TypeOf(out).String() + ": " + err.Error(),
		}
	}
	return meta, nil
}

// callContent returns the content text of Call's params.
func callContent(params any) ([]byte, error) {
	var content []byte
	switch v := params.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		content = bytes.TrimSpace(v)
	case []byte:
		content = bytes.TrimSpace(v)
	default:
		b, err := jsonx.Canonical(v)
		if err != nil {
			return nil, couponkit.Invalid("params", "does not encode: %v", err)
		}
		content = b
	}
	if !json.Valid(content) {
		return nil, couponkit.Invalid("params", "is not valid JSON")
	}
	if content[0] != '{' {
		return nil, couponkit.Invalid("params", "must be a JSON object (e-Buy's content)")
	}
	return content, nil
}
