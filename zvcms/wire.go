package zvcms

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// frame is one attempt's request: the params (encoded once per logical call)
// in the envelope, with the fields in the order of the vendor's example
// (openId, grantCode, timestamp, nonce, token, params) and a fresh
// timestamp, nonce and token. The token is this attempt's secret.
func (c *Client) frame(_ *transport.Op, _ int, _ string, params []byte) (transport.Payload, error) {
	ts := strconv.AppendInt(make([]byte, 0, 20), c.clock.Now().Unix(), 10)
	nonce := c.nonce()
	token := c.token(c.openKey, c.openID, c.grantCode, string(ts), nonce)
	b := make([]byte, 0, len(c.prefix)+len(ts)+len(nonce)+len(token)+len(params)+48)
	b = append(b, c.prefix...)
	b = append(b, ts...)
	b = append(b, `","nonce":`...)
	b = jsonx.AppendString(b, nonce)
	b = append(b, `,"token":`...)
	b = jsonx.AppendString(b, token)
	b = append(b, `,"params":`...)
	b = append(b, params...)
	b = append(b, '}')
	secrets := make([]string, 1, 2)
	secrets[0] = token
	if raw, err := url.QueryUnescape(token); err == nil && raw != token {
		// A gateway that decodes the token before echoing it shows the Base64.
		secrets = append(secrets, raw)
	}
	return transport.Payload{Body: b, ContentType: "application/json", Secrets: secrets}, nil
}

// envelope is every zvcms response: {status, code, message, data}. status and
// code arrive as strings ("true", "0") on the vendor's page and as a bool and a
// number on its sibling platform; both decode.
type envelope struct {
	Status  jsonx.Flex      `json:"status"`
	Code    jsonx.Flex      `json:"code"`
	Message jsonx.Flex      `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// open reads an answer: the data of a success, a *couponkit.Error for a
// failure envelope, or an unreadable answer for anything else (not JSON, no
// status or a status that is neither true nor false, status true without a
// code).
func (c *Client) open(_ *transport.Op, _ string, _ []byte, r *transport.Response) ([]byte, error) {
	env, err := parseEnvelope(r.Body)
	if err != nil {
		return nil, transport.DecodeError(err, r.Body)
	}
	if env.Status.Bool() && isZero(string(env.Code)) {
		return env.Data, nil
	}
	return nil, c.vendorError(env)
}

// parseEnvelope decodes a body that is a definite vendor answer, or says why
// it is not one.
func parseEnvelope(body []byte) (*envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	switch strings.ToLower(string(env.Status)) {
	case "true", "1":
		if env.Code == "" {
			return nil, errors.New("status true without a code")
		}
	case "false", "0":
	case "":
		return nil, errors.New("no status")
	default:
		return nil, errors.New("status is neither true nor false")
	}
	return &env, nil
}

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

func (c *Client) vendorError(env *envelope) *couponkit.Error {
	code, msg := string(env.Code), string(env.Message)
	if msg == "" {
		msg = "status " + string(env.Status)
	}
	f, ok := c.faults[code]
	if !ok {
		if f = FaultFor(code); f == couponkit.FaultUnknown {
			f = classify(env.Status.Bool(), msg)
		}
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
