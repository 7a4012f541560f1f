package houcaller

import (
	"encoding/json"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
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

// envelope is every response: {"msg": …, "code": 0, "data": …}. One of the
// vendor's examples spells msg as "smg"; code arrives as a number or a string.
type envelope struct {
	Code jsonx.Flex `json:"code"`
	Msg  string     `json:"msg"`
	Smg  string     `json:"smg"`
	Data rawData    `json:"data"`
}

// rawData is the JSON text of data, a slice of the response body (which
// nobody changes and which outlives the call's decoding), so it is not copied
// as json.RawMessage would.
type rawData []byte

func (d *rawData) UnmarshalJSON(b []byte) error {
	*d = b
	return nil
}

func (e *envelope) message() string {
	if e.Msg != "" {
		return e.Msg
	}
	return e.Smg
}

// open classifies an answer: the data of code 0, a *couponkit.Error for any
// other integer code (a definite vendor answer), and an unreadable answer
// (ambiguous for a write) for anything else: an empty body, a page that is
// not JSON, malformed JSON, no code, or a code that is not an integer.
func (c *Client) open(_ *transport.Op, _ string, _ []byte, r *transport.Response) ([]byte, error) {
	var env envelope
	if err := json.Unmarshal(r.Body, &env); err != nil {
		return nil, transport.DecodeError(err, r.Body)
	}
	if env.Code == "" {
		return nil, transport.Unreadable(couponkit.FaultUnknown, "response has no code: "+transport.Snapshot(r.Body), nil)
	}
	n, err := parseInt(string(env.Code))
	if err != nil {
		return nil, transport.Unreadable(couponkit.FaultUnknown, "response code is not an integer: "+transport.Snapshot(r.Body), err)
	}
	if n != 0 {
		msg := env.message()
		if msg == "" {
			msg = "no message"
		}
		return nil, &couponkit.Error{Code: string(env.Code), Message: msg, Fault: c.faultOf(string(env.Code))}
	}
	return env.Data, nil
}

// faultOf classifies a non-zero vendor code: Config.CodeFaults, else FaultFor.
func (c *Client) faultOf(code string) couponkit.Fault {
	if f, ok := c.faults[code]; ok {
		return f
	}
	return FaultFor(code)
}
