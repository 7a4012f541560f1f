package houcaller

import (
	"encoding/json"
	"strconv"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// CodeOK is the response code of success. Houcaller documents no other code
// [open]: every other code is an error with couponkit.FaultUnknown unless
// Config.CodeFaults classifies it. HTTP statuses are classified by the
// pipeline (5xx Server, 429 Throttle, 401/403 Auth).
const CodeOK = "0"

// envelope is every response: {"msg": …, "code": 0, "data": …}. One of the
// vendor's examples spells msg as "smg"; code arrives as a number or a string.
type envelope[T any] struct {
	Code jsonx.Flex `json:"code"`
	Msg  string     `json:"msg"`
	Smg  string     `json:"smg"`
	Data T          `json:"data"`
}

func (e *envelope[T]) message() string {
	if e.Msg != "" {
		return e.Msg
	}
	return e.Smg
}

// isOK reports whether code is the integer 0, as a number or a string.
func isOK(code jsonx.Flex) bool {
	if code == CodeOK {
		return true
	}
	n, err := strconv.Atoi(string(code))
	return err == nil && n == 0
}

// decode reads a response envelope into env in one pass, its data into
// env.Data. A non-zero code is a *couponkit.Error with the vendor's message,
// even when the data does not fit. env is reset first, so a retried call
// decodes into the same envelope.
func decode[T any](c *Client, body []byte, env *envelope[T]) error {
	*env = envelope[T]{}
	if err := json.Unmarshal(body, env); err != nil {
		// The data may not fit T on a failure: read code and message alone.
		var raw envelope[json.RawMessage]
		if json.Unmarshal(body, &raw) == nil && raw.Code != "" {
			if !isOK(raw.Code) {
				return c.vendorError(raw.Code, raw.message())
			}
			// The call took effect; only its data is unreadable.
			return &couponkit.Error{Code: string(raw.Code), Message: "accepted (code 0) but data does not decode: " + err.Error() + ": " + transport.Snapshot(body), Fault: couponkit.FaultUnknown, Err: err}
		}
		return transport.DecodeError(err, body)
	}
	if env.Code == "" {
		return &couponkit.Error{Message: "response has no code: " + transport.Snapshot(body), Fault: couponkit.FaultUnknown}
	}
	if !isOK(env.Code) {
		return c.vendorError(env.Code, env.message())
	}
	return nil
}

func (c *Client) vendorError(code jsonx.Flex, msg string) *couponkit.Error {
	if msg == "" {
		msg = "no message"
	}
	return &couponkit.Error{Code: string(code), Message: msg, Fault: c.faultOf(string(code))}
}

// faultOf classifies a non-zero vendor code.
func (c *Client) faultOf(code string) couponkit.Fault {
	if f, ok := c.faults[code]; ok {
		return f
	}
	return couponkit.FaultUnknown
}
