package ebuy

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// Class is how a call made with Do may be retried.
type Class int

const (
	// ClassKeyed is a write e-Buy de-duplicates by uuid (assumed for every
	// e-Buy write): retried on network failures, 5xx and throttling with the
	// same uuid. The default.
	ClassKeyed Class = iota
	// ClassSafe is a read: retried like ClassKeyed.
	ClassSafe
	// ClassUnsafe is a write that must not be repeated: retried only when the
	// request provably never left; a failure after it left is an error
	// matching couponkit.ErrUnknownOutcome.
	ClassUnsafe
)

// RawRequest is a call to any e-Buy 4.1 API, typed or not, signed like the
// typed calls.
type RawRequest struct {
	// API is the path after /paas/micro/ecoupon/, such as "batchActivateCode". Required.
	API string
	// Action is the envelope's action. Default: the action this package uses
	// for API (the path itself unless the package doc says otherwise).
	Action string
	// UUID is the request's uuid and idempotency key; empty means a fresh one.
	UUID string
	// Content is the content object: a value encoding to a JSON object, or a
	// json.RawMessage. It is sent canonical (keys sorted at every level,
	// compact, no HTML escaping). Nil sends {}.
	Content any
	// Class is the retry class. Default ClassKeyed.
	Class Class
}

// RawResponse is a verified success envelope.
type RawResponse struct {
	// Action and UUID are the envelope's action and uuid.
	Action, UUID string
	// Timestamp is the envelope's timestamp, Beijing time.
	Timestamp time.Time
	// Content is the content object exactly as received (nil when absent).
	Content json.RawMessage
	// Meta describes the exchange.
	Meta couponkit.Meta
}

// Do sends req and returns e-Buy's answer once its sign is verified and it
// reports success; a failure envelope is a *couponkit.Error. Use it for APIs
// this package has no typed call for.
func (c *Client) Do(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if req.API == "" || strings.ContainsAny(req.API, "/?#% ") {
		return nil, couponkit.Invalid("API", "required, a single path segment")
	}
	if err := checkUUID("UUID", req.UUID, maxUUIDLen); err != nil {
		return nil, err
	}
	var class transport.Class
	switch req.Class {
	case ClassKeyed:
		class = transport.Keyed
	case ClassSafe:
		class = transport.Safe
	case ClassUnsafe:
		class = transport.Unsafe
	default:
		return nil, couponkit.Invalid("Class", "unknown class %d", int(req.Class))
	}
	var content []byte
	var err error
	switch v := req.Content.(type) {
	case nil:
		content = []byte("{}")
	case json.RawMessage:
		content, err = jsonx.CanonicalBytes(v)
	default:
		content, err = jsonx.Canonical(v)
	}
	if err != nil {
		return nil, couponkit.Invalid("Content", "does not encode: %v", err)
	}
	if len(content) == 0 || content[0] != '{' {
		return nil, couponkit.Invalid("Content", "must encode to a JSON object")
	}
	k := &call{api: req.API, action: req.Action, class: class, uuid: req.UUID, content: content}
	var out RawResponse
	k.decode = func(b []byte) error {
		if b != nil {
			out.Content = append(json.RawMessage(nil), b...)
		}
		return nil
	}
	resp, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	if fields, err := wire.Fields(resp.Body); err == nil {
		out.Action = wire.String(fields, "action")
		out.UUID = wire.String(fields, "uuid")
		out.Timestamp = parseWireTime(wire.Get(fields, "timestamp"))
	}
	out.Meta = resp.Meta()
	return &out, nil
}
