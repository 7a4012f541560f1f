package houcaller

import (
	"bytes"
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

// head is the part of every response the client reads whatever the
// operation: {"msg": …, "code": 0, …}. One of the vendor's examples spells
// msg as "smg"; code arrives as a number or a string.
type head struct {
	Code jsonx.Flex `json:"code"`
	Msg  text       `json:"msg"`
	Smg  text       `json:"smg"`
}

func (h *head) message() string {
	if len(h.Msg) != 0 {
		return string(h.Msg)
	}
	return string(h.Smg)
}

// text is a JSON string kept as bytes: a slice of the response body when it
// has no escapes (the body is never changed and outlives the decoding), so a
// message nobody reads costs nothing. null is empty; anything but a string
// or null does not decode.
type text []byte

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
		*t = b[1 : len(b)-1]
		return nil
	case string(b) == "null":
		*t = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = []byte(s)
	return nil
}

// envelope is a response whose data is kept as JSON text: what the generic
// Call reads, and what open falls back to when a typed answer does not decode.
type envelope = reply[rawData]

// rawData is the JSON text of data, a slice of the response body (which
// nobody changes and which outlives the call's decoding), so it is not copied
// as json.RawMessage would.
type rawData []byte

func (d *rawData) UnmarshalJSON(b []byte) error {
	*d = b
	return nil
}

// reply is a whole response with its data typed, so that an answer is
// decoded in one pass: the envelope and the data together.
type reply[T any] struct {
	head
	Data T `json:"data"`
}

func (r *reply[T]) top() *head { return &r.head }

func (r *reply[T]) reset() { *r = reply[T]{} }

func (r *reply[T]) decodeData(data []byte) error {
	r.Data = *new(T)
	return json.Unmarshal(data, &r.Data)
}

// complete returns why a success's data lacks what the call exists for, when
// the data type knows (a completer), or nil.
func (r *reply[T]) complete() error {
	if c, ok := any(&r.Data).(completer); ok {
		return c.complete()
	}
	return nil
}

// completer is the data of a typed call that can tell whether a success
// carries what the call exists for: a sale's codes or card, a record's id, a
// listing's list, a found coupon's code.
type completer interface{ complete() error }

// answer is a reply of any data type: what one call's answers are decoded into.
type answer interface {
	// top returns the envelope's code and message.
	top() *head
	// reset clears what an earlier attempt's answer left.
	reset()
	// decodeData decodes data alone, for the error of data that does not fit.
	decodeData(data []byte) error
	// complete returns why a success's data lacks what the call exists for,
	// or nil.
	complete() error
}

// exchange is one logical call: the sealed fixed part of its body (see seal)
// and the reply every answer is decoded into.
type exchange struct {
	fixed []byte
	reply answer
}

// open classifies an answer, decoding it into the call's reply in one pass:
// nil for code 0 (the reply then holds the data), a *couponkit.Error for any
// other integer code (a definite vendor answer), and an unreadable answer
// (ambiguous for a write) for anything else: an empty body, a page that is
// not JSON, malformed JSON, no code, a code that is not an integer, or, after
// code 0 with a 2xx status, data that does not decode or that lacks what the
// typed call exists for (see completer).
func (c *Client) open(_ *transport.Op, _ string, ex *exchange, r *transport.Response) ([]byte, error) {
	rep := ex.reply
	rep.reset()
	err := json.Unmarshal(r.Body, rep)
	if err == nil {
		if err := c.verdict(rep.top(), r.Body); err != nil || r.StatusCode < 200 || r.StatusCode > 299 {
			return nil, err
		}
		if err := rep.complete(); err != nil {
			return nil, transport.DecodeError(err, r.Body)
		}
		return nil, nil
	}
	// Either the answer is not an envelope, or it is one whose data does not
	// fit the reply (a vendor error may carry anything in data): read the
	// envelope alone to tell which.
	var env envelope
	if err := json.Unmarshal(r.Body, &env); err != nil {
		return nil, transport.DecodeError(err, r.Body)
	}
	if err := c.verdict(&env.head, r.Body); err != nil {
		return nil, err
	}
	if r.StatusCode < 200 || r.StatusCode > 299 {
		return nil, nil // the pipeline classifies the status
	}
	if derr := rep.decodeData(env.Data); derr != nil {
		err = derr
	}
	return nil, transport.DecodeError(err, env.Data)
}

// verdict is nil for code 0, a *couponkit.Error for another integer code, and
// an unreadable answer when the code is missing or not an integer.
func (c *Client) verdict(h *head, body []byte) error {
	if h.Code == "" {
		return transport.Unreadable(couponkit.FaultUnknown, "response has no code: "+transport.Snapshot(body), nil)
	}
	n, err := parseInt(string(h.Code))
	if err != nil {
		return transport.Unreadable(couponkit.FaultUnknown, "response code is not an integer: "+transport.Snapshot(body), err)
	}
	if n != 0 {
		msg := h.message()
		if msg == "" {
			msg = "no message"
		}
		return &couponkit.Error{Code: string(h.Code), Message: msg, Fault: c.faultOf(string(h.Code))}
	}
	return nil
}

// faultOf classifies a non-zero vendor code: Config.CodeFaults, else FaultFor.
func (c *Client) faultOf(code string) couponkit.Fault {
	if f, ok := c.faults[code]; ok {
		return f
	}
	return FaultFor(code)
}
