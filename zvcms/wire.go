package zvcms

import (
	"bytes"
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
func (c *Client) frame(_ *transport.Op, _ int, _ string, req *request) (transport.Payload, error) {
	params := req.params
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
	Status  jsonx.Flex
	Code    jsonx.Flex
	Message jsonx.Flex
	// Data is the data member's JSON text as it stands in the body, or nil.
	Data []byte
}

// request is one logical call as the endpoint carries it: the params,
// encoded once, and, for a call whose data the package knows, the decoder
// that reads data from the answer.
type request struct {
	params []byte
	data   dataDecoder
}

// dataDecoder reads a successful answer's data member, given as its JSON
// text in the body (valid JSON, never null). reset forgets what an earlier
// attempt's answer held. done runs once the envelope says success, whether
// data was there or not: it reports an answer that lacks what the call
// exists for (the coupons asked for, the codes issued, the vendor's bizId),
// which is then unreadable, never a success with nothing in it.
type dataDecoder interface {
	reset()
	decodeData(v []byte) error
	done() error
}

// open reads an answer: the data of a success, a *couponkit.Error for a
// failure envelope, or an unreadable answer for anything else (not JSON, no
// status or a status that is neither true nor false, status true without a
// code, data that req's decoder does not read, a success without what the
// call exists for).
func (c *Client) open(_ *transport.Op, _ string, req *request, r *transport.Response) ([]byte, error) {
	env, dataErr, err := parseEnvelope(r.Body, req.data)
	if err != nil {
		return nil, transport.DecodeError(err, r.Body)
	}
	if env.Status.Bool() && isZero(string(env.Code)) {
		if dataErr == nil && req.data != nil {
			dataErr = req.data.done()
		}
		if dataErr != nil {
			return nil, transport.DecodeError(dataErr, r.Body)
		}
		return env.Data, nil
	}
	return nil, c.vendorError(&env)
}

// rawData keeps data as its JSON text in the body, nil for null.
type rawData json.RawMessage

func (d *rawData) reset() { *d = nil }

func (d *rawData) decodeData(v []byte) error {
	*d = rawData(v)
	return nil
}

// done accepts any success: a call whose answer is not documented (a
// reversal, a generic call) has nothing the client could require in it.
func (d *rawData) done() error { return nil }

var envelopeFields = []string{"status", "code", "message", "data"}

// parseEnvelope reads a body that is a definite vendor answer, or says why
// it is not one. The body is validated once (as encoding/json does), then its
// members are walked where they stand: when into is not nil, it decodes a
// data member that is not null (an error it returns is dataErr, for the
// caller to report only if the envelope says success). Members may come in
// any order; of a repeated one the last counts, and names match without
// regard to case, as with encoding/json.
func parseEnvelope(body []byte, into dataDecoder) (env envelope, dataErr error, err error) {
	if into != nil {
		into.reset()
	}
	if err := jsonx.Check(body); err != nil {
		return env, nil, err
	}
	if v := bytes.TrimSpace(body); string(v) != "null" {
		ok := jsonx.EachMember(v, func(name, value []byte) bool {
			switch jsonx.FieldIndex(name, envelopeFields) {
			case 0:
				env.Status, err = flex(value)
			case 1:
				env.Code, err = flex(value)
			case 2:
				env.Message, err = flex(value)
			case 3:
				env.Data, dataErr = nil, nil
				if value[0] != 'n' {
					env.Data = value
				}
				if into != nil {
					into.reset()
					if env.Data != nil {
						dataErr = into.decodeData(value)
					}
				}
			}
			return err == nil
		})
		if !ok {
			return env, nil, errors.New("the answer is not a JSON object")
		}
		if err != nil {
			return env, nil, err
		}
	}
	switch strings.ToLower(string(env.Status)) {
	case "true", "1":
		if env.Code == "" {
			return env, nil, errors.New("status true without a code")
		}
	case "false", "0":
	case "":
		return env, nil, errors.New("no status")
	default:
		return env, nil, errors.New("status is neither true nor false")
	}
	return env, dataErr, nil
}

// scalar returns the text of the scalar JSON value v as jsonx.Flex has it (a
// string's value, a number's or a bool's text, nothing for null), or an error
// for an object or an array.
func scalar(v []byte) ([]byte, error) {
	text, ok := jsonx.Scalar(v)
	if !ok {
		return nil, errors.New("want a string, number, bool or null, got " + strconv.Quote(string(v[:min(len(v), 16)])))
	}
	return text, nil
}

// flex reads the scalar JSON value v into a jsonx.Flex.
func flex(v []byte) (jsonx.Flex, error) {
	b, err := scalar(v)
	return jsonx.Flex(b), err
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

// parseTimeBytes is parseTime for a value's bytes, with a fast path for
// the usual zero-padded "yyyy-MM-dd HH:mm:ss" that checks the same ranges as
// time.Parse.
func parseTimeBytes(b []byte) (time.Time, error) {
	if len(b) != len("2006-01-02 15:04:05") || b[4] != '-' || b[7] != '-' || b[10] != ' ' || b[13] != ':' || b[16] != ':' {
		return parseTime(string(b))
	}
	var v [6]int
	for k, at := range [...]int{0, 5, 8, 11, 14, 17} {
		w := 2
		if k == 0 {
			w = 4
		}
		for _, c := range b[at : at+w] {
			if c < '0' || c > '9' {
				return parseTime(string(b))
			}
			v[k] = v[k]*10 + int(c-'0')
		}
	}
	y, mo, d, h, mi, sec := v[0], time.Month(v[1]), v[2], v[3], v[4], v[5]
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || sec > 59 {
		return parseTime(string(b)) // for its error
	}
	return time.Date(y, mo, d, h, mi, sec, 0, cntime.Location()), nil
}

// daysIn returns the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

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
