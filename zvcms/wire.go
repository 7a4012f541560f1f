package zvcms

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// frame is one attempt's request: the params (a logical call's business
// object, encoded once) in the envelope, with the fields in the order of
// the vendor's example (openId, grantCode, timestamp, nonce, token, params)
// and a fresh timestamp, nonce and token. The token is this attempt's
// secret.
func (c *Client) frame(_ *transport.Op, _ int, _ string, params []byte) (transport.Payload, error) {
	ts := strconv.FormatInt(c.clock.Now().Unix(), 10)
	nonce := c.nonce()
	token := c.token(c.openKey, c.openID, c.grantCode, ts, nonce)
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
	return transport.Payload{Body: b, ContentType: "application/json", Secrets: tokenSecrets(token)}, nil
}

// tokenSecrets are an attempt's secrets: its token, and the token
// unescaped (a gateway that decodes the token before echoing it shows the
// Base64).
func tokenSecrets(token string) []string {
	secrets := make([]string, 1, 2)
	secrets[0] = token
	if raw, err := url.QueryUnescape(token); err == nil && raw != token {
		secrets = append(secrets, raw)
	}
	return secrets
}

// wrap is a typed call's request: its params as transport.Send encoded
// them, which the endpoint carries as they are.
func wrap(_ *transport.Op, _ string, params []byte) ([]byte, error) {
	return params, nil
}

// envelope is every zvcms response: {status, code, message, data}. status and
// code arrive as strings ("true", "0") on the vendor's page and as a bool and a
// number on its sibling platform; both decode. The members' texts are as
// jsonx.Flex reads them, slices of the body unless a string has escapes.
type envelope struct {
	Status  []byte
	Code    []byte
	Message []byte
	// OK is status true ("true" or 1, in any case).
	OK bool
	// Data is the data member's JSON text as it stands in the body, or nil
	// when it is absent, null or "" (the vendor's "nothing").
	Data []byte
}

// open reads an answer: the data of a success (nil for none), a
// *couponkit.Error for a failure envelope, or an unreadable answer for
// anything else (not JSON, no status or a status that is neither true nor
// false, status true without a code). It decodes no call's data: a typed
// call's answer is decoded by transport.Send, a generic one by Call.
func (c *Client) open(_ *transport.Op, _ string, _ []byte, r *transport.Response) ([]byte, error) {
	env, err := parseEnvelope(r.Body)
	if err != nil {
		return nil, transport.DecodeError(err, r.Body)
	}
	if env.OK && isZero(env.Code) {
		return env.Data, nil
	}
	return nil, c.vendorError(&env)
}

var envelopeFields = []string{"status", "code", "message", "data"}

// parseEnvelope reads a body that is a definite vendor answer, or says why
// it is not one. The body is validated once (as encoding/json does), then its
// members are found where they stand. Members may come in any order; of a
// repeated one the last counts, and names match without regard to case, as
// with encoding/json.
func parseEnvelope(body []byte) (env envelope, err error) {
	if err := jsonx.Check(body); err != nil {
		return env, err
	}
	if v := bytes.TrimSpace(body); string(v) != "null" {
		ok := jsonx.EachMember(v, func(name, value []byte) bool {
			switch jsonx.FieldIndex(name, envelopeFields) {
			case 0:
				env.Status, err = scalar(value)
			case 1:
				env.Code, err = scalar(value)
			case 2:
				env.Message, err = scalar(value)
			case 3:
				env.Data = dataValue(value)
			}
			return err == nil
		})
		if !ok {
			return env, errors.New("the answer is not a JSON object")
		}
		if err != nil {
			return env, err
		}
	}
	switch st := env.Status; {
	case bytes.EqualFold(st, []byte("true")), string(st) == "1":
		if len(env.Code) == 0 {
			return env, errors.New("status true without a code")
		}
		env.OK = true
	case bytes.EqualFold(st, []byte("false")), string(st) == "0":
	case len(st) == 0:
		return env, errors.New("no status")
	default:
		return env, errors.New("status is neither true nor false")
	}
	return env, nil
}

// scalar returns the text of the scalar JSON value v as jsonx.Flex reads it
// (a string's value, a number's or a bool's text, nothing for null), or an
// error for an object or an array.
func scalar(v []byte) ([]byte, error) {
	text, ok := jsonx.Scalar(v)
	if !ok {
		return nil, errors.New("want a string, number, bool or null, got " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	return text, nil
}

// dataValue is a data member's value, or nil for the vendor's "nothing":
// null or "".
func dataValue(v []byte) []byte {
	if string(v) == "null" || string(v) == `""` {
		return nil
	}
	return v
}

// isZero reports whether code is a decimal zero ("0", 0, "00").
func isZero[T string | []byte](code T) bool {
	for i := range len(code) {
		if code[i] != '0' {
			return false
		}
	}
	return len(code) > 0
}

func (c *Client) vendorError(env *envelope) *couponkit.Error {
	code, msg := string(env.Code), string(env.Message)
	if msg == "" {
		msg = "status " + string(env.Status)
	}
	f, ok := c.faults[code]
	if !ok {
		if f = FaultFor(code); f == couponkit.FaultUnknown {
			f = classify(env.OK, msg)
		}
	}
	return &couponkit.Error{Code: code, Message: msg, Fault: f}
}

// The wire types zvcms's answers and params share beside internal/wiretype's.

// count is an integer a vendor may leave out (a list's total, an issue's
// num): a JSON number or a string of digits; absent, null and "" are no
// count. Of a repeated member the last counts, null and "" included.
type count struct {
	n  int64
	ok bool
}

// UnmarshalJSON reads a number or a string; null and "" are no count.
func (c *count) UnmarshalJSON(b []byte) error {
	*c = count{}
	if string(b) == "null" || string(b) == `""` {
		return nil
	}
	var n wiretype.Int
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*c = count{n: int64(n), ok: true}
	return nil
}

// or returns the count, or def when there is none.
func (c count) or(def int64) int64 {
	if c.ok {
		return c.n
	}
	return def
}

// jsonText is a value the vendor may send as any JSON (coupon.extra): a
// string's value, "" for null, and any other value as its JSON text.
type jsonText string

// UnmarshalJSON reads any JSON value.
func (t *jsonText) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '"':
		var s wiretype.Text
		if err := s.UnmarshalJSON(b); err != nil {
			return err
		}
		*t = jsonText(s)
	case 'n':
		*t = ""
	default:
		*t = jsonText(b)
	}
	return nil
}

// intText is s where the vendor's page types an int (writeOffCoupon's
// customerId and ext.channelType): a json.Number when s is a decimal
// integer a Java long holds (digits, no sign, no leading zero, at most
// 2^63-1), s itself (a JSON string) otherwise, and nil when s is empty, so
// that omitempty leaves it out. encoding/json writes a json.Number as the
// number it holds.
func intText(s string) any {
	switch {
	case s == "":
		return nil
	case isDecimal(s):
		return json.Number(s)
	}
	return s
}

// isDecimal reports whether s is "0" or digits without a leading zero, at
// most 2^63-1.
func isDecimal(s string) bool {
	if s == "" || strings.Trim(s, "0123456789") != "" || s[0] == '0' && s != "0" {
		return false // ParseUint would allocate its error
	}
	_, err := strconv.ParseUint(s, 10, 63)
	return err == nil
}
