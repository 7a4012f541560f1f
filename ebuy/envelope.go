package ebuy

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
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
	content []byte
}

// wrap is the typed calls' Typed.Wrap: the request of one logical call of
// op, its params as content. The uuid is key where the uuid is op's key (a
// chunk's or a call's uuid), else a fresh one kept for every attempt (a
// read; a write keyed on cashierTransNo, requestId or outerOrderId).
func (c *Client) wrap(op *transport.Op, key string, params []byte) (*request, error) {
	uuid := key
	if op.KeyName != "uuid" || key == "" {
		uuid = c.newUUID()
	}
	return &request{action: c.action(op.Name), uuid: uuid, content: params}, nil
}

// typedWithUUID returns the typed adapter of a call that sends the caller's
// uuid (SyncRedemptions, MakeCodes) though its key is another field; an
// empty uuid is the client's own adapter, which makes a fresh one.
func (c *Client) typedWithUUID(uuid string) *transport.Typed[*request] {
	if uuid == "" {
		return &c.typed
	}
	t := c.typed
	t.Wrap = func(op *transport.Op, _ string, params []byte) (*request, error) {
		return &request{action: c.action(op.Name), uuid: uuid, content: params}, nil
	}
	return &t
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
	// The fields in key order, as e-Buy hashes them.
	var d sign.EbuyDigest
	d.AddString("action", r.action)
	d.AddString("appId", c.appID)
	d.Add("content", r.content)
	if c.headers == HeadersSigned {
		d.AddString("headers", c.headersJSON)
	}
	d.AddString("lang", c.lang)
	d.AddString("signType", wire.SignType)
	d.Add("timestamp", ts)
	d.AddString("uuid", r.uuid)
	sig := d.Sum(c.secret)

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
	data := wire.Get(fields, "content")
	if wholeAnswer(op) {
		data = resp.Body
	}
	if string(data) == "null" {
		data = nil
	}
	if err := tie(op, r, data); err != nil {
		return nil, err
	}
	return data, nil
}

// wholeAnswer reports whether op's answer is read whole rather than its
// content: the typed cancellations, whose pages print outerOrderId and
// createTime beside content (cfa08, 9de6d). Client.Call on the same APIs
// (another Op) reads content, as it does for every API.
func wholeAnswer(op *transport.Op) bool { return op == opCancelRedemption || op == opCancelSynced }

// tie checks, for the calls whose answer names what it answers, that a
// verified success is about what r asked for: the productId of
// _getBrandProductDetailDirect, the outerOrderId of makeCode (when the
// answer names one), and the codes of verify-syncVerifyVoidNotify, whose
// page prints no uuid to tie the answer to its request (each code listed
// must be one the request named, when it named codes). Any other answer is
// for another request: unreadable.
func tie(op *transport.Op, r *request, data []byte) error {
	if data == nil {
		return nil
	}
	switch op.Name {
	case apiProductDetail, apiMakeCodes:
		name := "productId"
		if op.Name == apiMakeCodes {
			name = "outerOrderId"
		}
		got, asked := wire.ScalarMember(data, name), wire.ScalarMember(r.content, name)
		if got != "" && got != asked {
			return transport.Unreadable(couponkit.FaultUnknown, "success answer for "+name+" "+got+", not "+asked, nil)
		}
	case apiCancelSynced:
		content := data
		if wholeAnswer(op) {
			content = wire.Member(data, "content")
		}
		var asked struct {
			Codes []string `json:"codes"`
		}
		var answer struct {
			List []struct {
				Code wiretype.Text `json:"code"`
			} `json:"voidNotifyResultBOList"`
		}
		if json.Unmarshal(r.content, &asked) != nil || len(asked.Codes) == 0 || content == nil || json.Unmarshal(content, &answer) != nil {
			return nil // nothing to compare; an answer that does not decode fails its decoding
		}
		for _, it := range answer.List {
			if !slices.Contains(asked.Codes, string(it.Code)) {
				return transport.Unreadable(couponkit.FaultUnknown, "success answer lists code "+string(it.Code)+", which the request did not name", nil)
			}
		}
	}
	return nil
}

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
