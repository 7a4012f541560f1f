package ebuy

import (
	"strconv"
	"time"

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

// request is what stays fixed across the attempts of one logical call: the
// envelope's action and uuid and the content's text. Every attempt is
// framed from it with a fresh timestamp and sign.
type request struct {
	action string
	uuid   string
	// content is the canonical JSON text of the content object, signed and
	// sent as is.
	content string
}

func (c *Client) newRequest(op *transport.Op, action, uuid string, content []byte) *request {
	if action == "" {
		action = c.action(op.Name)
	}
	return &request{action: action, uuid: uuid, content: string(content)}
}

// defaultUUID is the uuid of a call made without one: yyyyMMdd-<32 hex>, the
// Beijing date of now, shaped like e-Buy's examples.
func defaultUUID(now time.Time) string { return ids.DatedHex(now, cntime.Location()) }

// newUUID returns a fresh uuid from Config.NewKey or defaultUUID.
func (c *Client) newUUID() string {
	if c.ep.NewKey != nil {
		return c.ep.NewKey(c.clock.Now())
	}
	return defaultUUID(c.clock.Now())
}

// frame is the Endpoint's Frame: the signed envelope of one attempt.
func (c *Client) frame(_ *transport.Op, _ int, _ string, r *request) (transport.Payload, error) {
	body, sig := c.envelope(r)
	return transport.Payload{Body: body, ContentType: "application/json", Secrets: []string{sig}}, nil
}

// envelope returns the signed request body and its sign: the top-level
// fields in ASCII order, content embedded as the exact bytes that were signed.
func (c *Client) envelope(r *request) ([]byte, string) {
	var tsBuf [20]byte
	ts := strconv.AppendInt(tsBuf[:0], c.clock.Now().UnixMilli(), 10)
	var ps [8]sign.Param
	ps[0] = sign.Param{Key: "action", Value: r.action}
	ps[1] = sign.Param{Key: "appId", Value: c.appID}
	ps[2] = sign.Param{Key: "content", Value: r.content}
	n := 3
	if c.headers == HeadersSigned {
		ps[n] = sign.Param{Key: "headers", Value: c.headersJSON}
		n++
	}
	ps[n] = sign.Param{Key: "lang", Value: c.lang}
	ps[n+1] = sign.Param{Key: "signType", Value: wire.SignType}
	ps[n+2] = sign.Param{Key: "timestamp", Value: string(ts)}
	ps[n+3] = sign.Param{Key: "uuid", Value: r.uuid}
	sig := sign.EbuySign(ps[:n+4], c.secret) // ps is in key order, as EbuySign hashes it

	b := make([]byte, 0, 160+len(r.action)+len(c.appID)+len(r.content)+len(c.headersJSON)+len(c.lang)+len(sig)+len(r.uuid))
	b = append(b, `{"action":`...)
	b = jsonx.AppendString(b, r.action)
	b = append(b, `,"appId":`...)
	b = jsonx.AppendString(b, c.appID)
	b = append(b, `,"content":`...)
	b = append(b, r.content...)
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
	b = jsonx.AppendString(b, r.uuid)
	return append(b, '}'), sig
}

// open is the Endpoint's Open: it returns the content of a signed success
// envelope answering r (nil when absent or null; the whole answer for the
// calls that read fields beside content, see wholeAnswer), a
// *couponkit.Error for a failure envelope, or an unreadable-answer error for
// anything that is not a definite e-Buy answer to this request.
func (c *Client) open(op *transport.Op, _ string, r *request, resp *transport.Response) ([]byte, error) {
	fields, err := wire.Fields(resp.Body)
	if err != nil {
		return nil, transport.DecodeError(err, resp.Body)
	}
	ok, signed := wire.Verify(fields, c.secret)
	uuid := wire.String(fields, "uuid")
	// verify-syncVerifyVoidNotify's answer, as page 9de6d prints it, has
	// neither success nor uuid.
	printed := op.Name == apiCancelSynced
	success, known := wire.Flag(fields, "success")
	if !known {
		switch {
		case !printed || !signed:
			return nil, transport.Unreadable(couponkit.FaultUnknown, "the answer has no success flag", nil)
		case !ok:
			return nil, transport.Unreadable(couponkit.FaultAuth, "answer without a success flag whose sign does not verify", nil)
		}
		// The page's own logic: a verified answer without errorCode succeeded.
		success = wire.String(fields, "errorCode") == ""
	}
	// A present uuid must be the request's; only where the page prints none
	// may it be absent.
	ours := uuid == r.uuid || (printed && uuid == "")
	if !success {
		code, msg := wire.String(fields, "errorCode"), wire.String(fields, "errorMessage")
		switch {
		case signed && !ok:
			return nil, transport.Unreadable(couponkit.FaultAuth, "failure answer (errorCode "+code+") whose sign does not verify", nil)
		case signed && !ours, uuid != "" && uuid != r.uuid:
			return nil, transport.Unreadable(couponkit.FaultUnknown, "failure answer for uuid "+uuid+", not this request's "+r.uuid, nil)
		}
		if signed {
			if err := wire.CheckSeparators(fields); err != nil {
				return nil, transport.Unreadable(couponkit.FaultUnknown, "signed failure answer that cannot be trusted: "+err.Error(), err)
			}
		}
		// An unsigned failure is trusted with its code: gateways often do
		// not sign their own refusals.
		resp.RequestID = uuid
		if code == "" && msg == "" {
			msg = "e-Buy did not report success"
		}
		return nil, &couponkit.Error{Code: code, Message: msg, Fault: c.fault(code)}
	}
	switch {
	case !signed:
		return nil, transport.Unreadable(couponkit.FaultAuth, "success answer is not signed", nil)
	case !ok:
		return nil, transport.Unreadable(couponkit.FaultAuth, "response signature does not match", nil)
	case !ours:
		return nil, transport.Unreadable(couponkit.FaultUnknown, "signed answer for uuid "+uuid+", not this request's "+r.uuid, nil)
	}
	if err := wire.CheckSeparators(fields); err != nil {
		return nil, transport.Unreadable(couponkit.FaultUnknown, "signed answer that cannot be trusted: "+err.Error(), err)
	}
	resp.RequestID = uuid
	if wholeAnswer(op) {
		return resp.Body, nil
	}
	content := wire.Get(fields, "content")
	if string(content) == "null" {
		content = nil
	}
	return content, nil
}

// wholeAnswer reports whether op's decoder reads the whole verified answer
// rather than its content: the cancellations, whose pages print outerOrderId
// and createTime beside content (cfa08, 9de6d).
func wholeAnswer(op *transport.Op) bool { return op == opCancelRedemption || op == opCancelSynced }

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

// checkTime refuses a time e-Buy's yyyyMMdd… layouts cannot carry: outside
// the years 0000–9999 in Beijing time.
func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.In(cntime.Location()).Year(); y < 0 || y > 9999 {
		return couponkit.Invalid(field, "year %d cannot be written as yyyyMMdd (0000–9999)", y)
	}
	return nil
}
