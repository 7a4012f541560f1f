package houcaller

import (
	"errors"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// CodeOK is the response code of success. Houcaller documents no other code
// [open]: every other code is an error with the fault [FaultFor] gives it
// (couponkit.FaultUnknown) unless Config.CodeFaults classifies it. HTTP
// statuses are classified by the pipeline (5xx Server, 429 Throttle, 401/403
// Auth, other 4xx Client).
const CodeOK = "0"

// FaultFor returns the fault of a vendor error code as the vendor writes it
// ("500"): the package's default table, which Config.CodeFaults overrides.
// Houcaller documents no error code but 0 [open], so every code is
// couponkit.FaultUnknown: not retried, and for a write not an unknown
// outcome (the gateway answered).
func FaultFor(code string) couponkit.Fault {
	_ = code
	return couponkit.FaultUnknown
}

// envelopeNames are the members of every response the client reads,
// {"msg": …, "code": 0, "data": …}: one of the vendor's examples spells msg
// as "smg". They are matched as encoding/json matches field names (exactly,
// else without regard to case), and the last of a repeated name counts.
var envelopeNames = [...]string{"code", "msg", "smg", "data"}

// dataMember is the index of data in envelopeNames.
const dataMember = 3

var errNotObject = errors.New("the answer is not a JSON object")

// open verifies an answer and returns its data member as it stands in the
// body, nil when it is absent or null; it decodes nothing typed (the typed
// calls' answers are decoded by transport.Send, the generic Call's by
// encoding/json). It returns a *couponkit.Error for any integer code but 0
// (a definite vendor answer), and an unreadable answer (ambiguous for a
// write) for anything else: an empty body, a page that is not JSON,
// malformed JSON anywhere in it, no code, or a code that is not an integer.
//
// The body is read once (jsonx.ScanDeferred): everything but the data
// member is checked, and data, only delimited, is checked by whoever reads
// it: encoding/json, which validates before it decodes, for a success
// (Endpoint.DataDeferred), and open itself for a failure.
func (c *Client) open(_ *transport.Op, _ string, _ sealed, r *transport.Response) ([]byte, error) {
	var v [len(envelopeNames)][]byte
	if err := jsonx.ScanDeferred(r.Body, envelopeNames[:], dataMember, v[:]); err != nil {
		if errors.Is(err, jsonx.ErrNotObject) {
			err = errNotObject
		}
		return nil, transport.DecodeError(err, r.Body)
	}
	code, msg, smg, data := v[0], v[1], v[2], v[dataMember]
	if err := c.verdict(code, msg, smg, r.Body); err != nil {
		if data != nil {
			if err := jsonx.Check(data); err != nil {
				return nil, transport.DecodeError(err, r.Body)
			}
		}
		return nil, err
	}
	if string(data) == "null" {
		data = nil
	}
	return data, nil
}

// verdict is nil for code 0, a *couponkit.Error for another integer code
// (a number or a string holding one), and an unreadable answer when the code
// is missing, null, empty or not an integer.
func (c *Client) verdict(code, msg, smg, body []byte) error {
	text, scalar := jsonx.Scalar(code)
	if code == nil || scalar && len(text) == 0 {
		return transport.Unreadable(couponkit.FaultUnknown, "response has no code: "+transport.Snapshot(body), nil)
	}
	var n wiretype.Int
	if err := n.UnmarshalText(text); !scalar || err != nil {
		return transport.Unreadable(couponkit.FaultUnknown, "response code is not an integer: "+transport.Snapshot(body), err)
	}
	if n == 0 {
		return nil
	}
	m := message(msg)
	if m == "" {
		m = message(smg)
	}
	if m == "" {
		m = "no message"
	}
	return &couponkit.Error{Code: string(text), Message: m, Fault: c.faultOf(string(text))}
}

// message is the text of a msg member: a string's value, or a number's or a
// bool's text; "" for null, an object or an array.
func message(v []byte) string {
	text, _ := jsonx.Scalar(v)
	return string(text)
}

// faultOf classifies a non-zero vendor code: Config.CodeFaults, else FaultFor.
func (c *Client) faultOf(code string) couponkit.Fault {
	if f, ok := c.faults[code]; ok {
		return f
	}
	return FaultFor(code)
}
