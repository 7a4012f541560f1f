package zvcms

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// envelope is every zvcms response: {status, code, message, data}. status and
// code arrive as strings ("true", "0") on the vendor's page and as a bool and a
// number on its sibling platform; both decode.
type envelope struct {
	Status  jsonx.Flex      `json:"status"`
	Code    jsonx.Flex      `json:"code"`
	Message jsonx.Flex      `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// ok reports whether the envelope is a success: status true and code 0.
func (e *envelope) ok() bool { return e.Status.Bool() && isZero(string(e.Code)) }

// isZero reports whether code is a decimal zero ("0", 0, "00").
func isZero(code string) bool {
	if code == "" {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] != '0' {
			return false
		}
	}
	return true
}

// decodeEnvelope decodes a response body; a body that is not an envelope is a
// decode error, and an envelope that is not a success is a *couponkit.Error
// carrying the vendor's code and message.
func (c *Client) decodeEnvelope(body []byte) (*envelope, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	if !env.ok() {
		return nil, c.vendorError(env)
	}
	return env, nil
}

func parseEnvelope(body []byte) (*envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, transport.DecodeError(err, body)
	}
	if env.Status == "" {
		return nil, transport.DecodeError(errors.New("no status"), body)
	}
	return &env, nil
}

func (c *Client) vendorError(env *envelope) *couponkit.Error {
	code, msg := string(env.Code), string(env.Message)
	if msg == "" {
		msg = "status " + string(env.Status)
	}
	f, ok := c.faults[code]
	if !ok {
		f = classify(env.Status.Bool(), msg)
	}
	return &couponkit.Error{Code: code, Message: msg, Fault: f}
}

// Lenient layouts of the vendor's times. Go's non-padded fields also accept
// padded input, so "2019-10-15 17:10:2" (the vendor's own example) and
// "2019-10-15 17:10:02" both parse; a fractional second is accepted too.
const (
	looseLayout     = "2006-1-2 15:4:5"
	looseDateLayout = "2006-1-2"
)

// parseTime reads a vendor time in Beijing time: "yyyy-MM-dd HH:mm:ss" (with
// or without zero padding), "yyyy-MM-dd", or epoch seconds (10 digits) or
// milliseconds (13 digits). Empty means the zero time.
func parseTime(s string) (time.Time, error) {
	switch {
	case s == "":
		return time.Time{}, nil
	case allDigits(s) && (len(s) == 10 || len(s) == 13):
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, err
		}
		if len(s) == 10 {
			n *= 1000
		}
		return cntime.FromMilli(n), nil
	}
	layout := looseLayout
	if len(s) <= len("2006-01-02") {
		layout = looseDateLayout
	}
	t, err := time.ParseInLocation(layout, s, cntime.Location())
	if err != nil {
		return time.Time{}, errors.New("bad time " + strconv.Quote(s))
	}
	return t, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
