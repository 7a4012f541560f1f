package ebuy

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// maxUUIDLen is the longest uuid e-Buy's pages allow.
const maxUUIDLen = 50

// call is one logical e-Buy call.
type call struct {
	api string
	// action overrides the action sent for api when not empty.
	action string
	class  transport.Class
	// uuid is fixed for the logical call and sent with every attempt.
	uuid string
	// keyName and key name the idempotency key reported when a write's outcome
	// is unknown; empty means the uuid.
	keyName, key string
	// content is the canonical JSON text of the content object.
	content []byte
	// decode reads a successful answer's content (nil, null or absent content
	// arrives as nil); it may return a *couponkit.Error for a business failure
	// carried inside content.
	decode func(content []byte) error
}

// newUUID returns a fresh uuid shaped like e-Buy's examples (yyyyMMdd-<32 hex>).
func (c *Client) newUUID() string {
	if c.uuidFunc != nil {
		return c.uuidFunc(c.clock.Now())
	}
	return ids.DatedHex(c.clock.Now(), cntime.Location())
}

// do runs k through the pipeline: every attempt gets a fresh timestamp and
// signature over the same uuid and content; every answer's sign is checked.
func (c *Client) do(ctx context.Context, k *call) (*transport.Response, error) {
	if k.uuid == "" {
		k.uuid = c.newUUID()
	}
	keyName, key := k.keyName, k.key
	if keyName == "" {
		keyName, key = "uuid", k.uuid
	}
	action := k.action
	if action == "" {
		action = c.action(k.api)
	}
	contentText := string(k.content)
	tc := &transport.Call{
		Operation: k.api,
		URL:       c.gateway + apiPrefix + k.api,
		Class:     k.class,
		KeyName:   keyName,
		Key:       key,
		Build: func(int) (transport.Payload, error) {
			return transport.Payload{Body: c.envelope(action, k.uuid, k.content, contentText), ContentType: "application/json"}, nil
		},
		Check: func(r *transport.Response) error { return c.check(r, k.decode) },
	}
	return c.tc.Do(ctx, tc)
}

// envelope returns the signed request body: the top-level fields in ASCII
// order, content embedded as the exact bytes that were signed.
func (c *Client) envelope(action, uuid string, content []byte, contentText string) []byte {
	var tsBuf [20]byte
	ts := strconv.AppendInt(tsBuf[:0], c.clock.Now().UnixMilli(), 10)
	var ps [8]sign.Param
	ps[0] = sign.Param{Key: "action", Value: action}
	ps[1] = sign.Param{Key: "appId", Value: c.appID}
	ps[2] = sign.Param{Key: "content", Value: contentText}
	n := 3
	if c.headers == HeadersSigned {
		ps[n] = sign.Param{Key: "headers", Value: c.headersJSON}
		n++
	}
	ps[n] = sign.Param{Key: "lang", Value: c.lang}
	ps[n+1] = sign.Param{Key: "signType", Value: wire.SignType}
	ps[n+2] = sign.Param{Key: "timestamp", Value: string(ts)}
	ps[n+3] = sign.Param{Key: "uuid", Value: uuid}
	sig := sign.EbuySign(ps[:n+4], c.secret)

	b := make([]byte, 0, 160+len(action)+len(c.appID)+len(content)+len(c.headersJSON)+len(c.lang)+len(sig)+len(uuid))
	b = append(b, `{"action":`...)
	b = jsonx.AppendString(b, action)
	b = append(b, `,"appId":`...)
	b = jsonx.AppendString(b, c.appID)
	b = append(b, `,"content":`...)
	b = append(b, content...)
	if c.headers != HeadersOmitted {
		b = append(b, `,"headers":`...)
		b = append(b, c.headersJSON...)
	}
	b = append(b, `,"lang":`...)
	b = jsonx.AppendString(b, c.lang)
	b = append(b, `,"sign":"`...)
	b = append(b, sig...)
	b = append(b, `","signType":"sha256","timestamp":`...)
	b = append(b, ts...)
	b = append(b, `,"uuid":`...)
	b = jsonx.AppendString(b, uuid)
	return append(b, '}')
}

// check classifies an answer: a body that is not an envelope, a failure
// envelope, a missing or wrong sign, or a content that does not decode is an
// error; only a signed success envelope is success.
func (c *Client) check(r *transport.Response, decode func([]byte) error) error {
	fields, err := wire.Fields(r.Body)
	if err != nil {
		return transport.DecodeError(err, r.Body)
	}
	r.RequestID = wire.String(fields, "uuid")
	ok, signed := wire.Verify(fields, c.secret)
	if !wire.Bool(fields, "success") {
		code, msg := wire.String(fields, "errorCode"), wire.String(fields, "errorMessage")
		if signed && !ok {
			// A failure is a failure either way; its code, whose sign does not
			// hold, is not trusted to classify it.
			return &couponkit.Error{Code: code, Message: "error response with a signature that does not match: " + msg, Fault: couponkit.FaultAuth}
		}
		if code == "" && msg == "" {
			msg = "e-Buy did not report success"
		}
		return &couponkit.Error{Code: code, Message: msg, Fault: c.fault(code)}
	}
	if !signed {
		return &couponkit.Error{Message: "success response is not signed", Fault: couponkit.FaultAuth}
	}
	if !ok {
		return &couponkit.Error{Message: "response signature does not match", Fault: couponkit.FaultAuth}
	}
	if r.StatusCode < 200 || r.StatusCode > 299 || decode == nil {
		return nil
	}
	content := wire.Get(fields, "content")
	if string(content) == "null" {
		content = nil
	}
	return decode(content)
}

// decodeInto returns a decode function unmarshalling content into v.
func decodeInto(v any) func([]byte) error {
	return func(content []byte) error {
		if content == nil {
			return nil
		}
		if err := json.Unmarshal(content, v); err != nil {
			return transport.DecodeError(err, content)
		}
		return nil
	}
}

// returnCodeError is the error for a content-level returnCode other than
// "00" (thirdBatchMake, _queryCodeDetailList), or nil.
func (c *Client) returnCodeError(code, msg string) error {
	if code == "" || code == "00" {
		return nil
	}
	return &couponkit.Error{Code: code, Message: msg, Fault: c.fault(code)}
}

// encode returns v's content text: compact, no HTML escaping. Request types
// declare their fields in ASCII order of their JSON names (and hold no maps
// but sorted ones), so this is also the canonical text; a test checks each.
func encode(v any) ([]byte, error) { return jsonx.Marshal(v) }

// checkUUID validates a caller-given uuid: at most max bytes of printable ASCII.
func checkUUID(field, uuid string, max int) error {
	if len(uuid) > max {
		return couponkit.Invalid(field, "longer than %d characters", max)
	}
	for i := 0; i < len(uuid); i++ {
		if uuid[i] <= ' ' || uuid[i] > '~' {
			return couponkit.Invalid(field, "must be printable ASCII without spaces")
		}
	}
	return nil
}
