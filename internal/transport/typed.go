package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// Typed calls: a call is its wire params and wire answer (structs with json
// tags, money and time through internal/wiretype), an Op, and a method that
// validates the public request and hands both structs to [Send]:
//
//	func (c *Client) GetCouponDetail(ctx context.Context, req *CouponDetailRequest) (*CouponDetail, error) {
//		if err := req.validate(); err != nil {
//			return nil, err
//		}
//		var a couponDetailAnswer
//		meta, err := transport.Send(ctx, &c.typed, opCouponDetail, "", req.params(), &a)
//		if err != nil {
//			return nil, err
//		}
//		return a.result(meta), nil
//	}
//
// There is one decode path: the Endpoint's Open verifies an answer and
// returns its data member (the bytes a vendor's page calls data, content,
// the method's response object), and Send decodes those bytes into the
// answer with encoding/json. Open decodes nothing typed itself. It reads
// the body once (jsonx.ScanDeferred) and may leave the data's own check to
// that decode (Endpoint.DataDeferred): json.Unmarshal validates its input
// before decoding it, so the data is read twice in all, as a hand-written
// encoding/json call reads its body, not three times.

// Typed is a vendor's adapter for typed calls on its Endpoint, built once in
// NewClient. It is safe for concurrent use once built.
type Typed[R any] struct {
	// Endpoint frames and opens the attempts. Its Open must return the data
	// member of a success as it stands in the body (nil when it is absent,
	// null, or spelled as the vendor spells "nothing"), and decode nothing;
	// with Endpoint.DataDeferred, the data need not have been checked.
	Endpoint *Endpoint[R]
	// Wrap returns the endpoint's request for one logical call of op with
	// key (empty for a read), carrying params: the JSON text of the call's
	// wire params, encoded once by Send (compact, no HTML escaping, fields
	// in declaration order). params is not changed afterwards.
	Wrap func(op *Op, key string, params []byte) (R, error)
	// WrapCopies declares that Wrap keeps nothing of params after it
	// returns (it encrypts, signs or copies them into the request): Send
	// then lends it the pooled buffer the params were encoded into, instead
	// of copying them into a slice of their own for every call.
	WrapCopies bool
	// Fault classifies the code of a business failure that an answer
	// reports inside its data (see [Failer]); nil means
	// couponkit.FaultUnknown.
	Fault func(code string) couponkit.Fault
}

// Completer is an answer that declares what its call exists for: Complete
// reports, with an error naming the wire field (see [Missing]), a success
// whose decoded answer lacks it (an issue without the codes issued, a
// redemption without its serial). This is the one rule of typed calls: such
// a success is not a definite vendor answer, so Send reports it through
// [Unreadable], and the pipeline treats it as it treats any unreadable
// answer: a read is retried, and a write that may have been applied ends as
// an unknown outcome carrying its key.
type Completer interface {
	Complete() error
}

// Failer is an answer that can carry a business failure inside the data of
// a success envelope (e-Buy's content returnCode, a per-call result code).
// When failed is true, Send returns a *couponkit.Error with code and message
// and the fault Typed.Fault gives code: a definite vendor answer, so a
// write's outcome is known (not applied).
type Failer interface {
	Failure() (code, message string, failed bool)
}

// EncodedParams is a call's params already written as JSON text by a hand
// encoder, which Send sends as is. Use it only where a paired benchmark
// shows that encoding/json's cost matters (CONTRIBUTING.md, "Add an API":
// e-Buy's activation of 10,000 codes in one request), with a differential
// fuzz test holding the encoder to encoding/json's bytes for the call's wire
// params: encoding/json would check and copy a json.Marshaler's or a
// json.RawMessage's text again, which is the cost such an encoder saves.
type EncodedParams []byte

// Resetter is an answer whose one rule compares it with what its call
// asked for (a success must name the activity queried, not another): it
// keeps the request's values in fields of its own, set before Send, and
// Reset clears everything an attempt decodes but those. Send calls Reset
// before decoding each attempt's answer, in place of zeroing the whole
// answer, so that Complete sees the request's values on every attempt and
// an earlier attempt's answer still does not leak into a later one.
type Resetter interface {
	Reset()
}

// Missing is the error a Complete method returns for a wire field that a
// success must carry: "no <name> in the answer".
func Missing(name string) error { return errors.New("no " + name + " in the answer") }

// Send runs one logical call of op with key (empty for a read, and for an
// Unsafe write without one): params, the call's wire params (a pointer to a
// struct with json tags, or nil for {}), is encoded once with encoding/json
// (an [EncodedParams] is sent as it is);
// every attempt is framed and opened by the Endpoint with the outcome rules
// of [Client.Do] (a refusal with one of op's AppliedCodes is marked
// couponkit.AlreadyApplied, as by [Endpoint.Invoke]). The data of the
// successful answer is decoded into answer (a pointer to the call's wire
// answer, zeroed first, or emptied by its Reset method when it is a
// [Resetter]) with encoding/json; absent data leaves it so. An answer that
// is a json.Unmarshaler (one that decodes itself: a hand codec kept where a
// paired benchmark shows it matters, see CONTRIBUTING.md, or a type whose
// decoding encoding/json cannot express) is handed the data as Open returned
// it, which Open has checked to be valid JSON, without encoding/json's own
// scans. Then, in this order:
//
//   - data that does not decode is a [DecodeError]: unreadable;
//   - an answer that is a [Failer] and failed is a *couponkit.Error;
//   - an answer that is a [Completer] and is not complete is [Unreadable].
//
// Each of these is decided for every attempt's answer, inside the pipeline,
// so the class decides what follows (a read is retried; a write's unknown
// outcome carries key). A params value that does not encode (a wire type
// refusing a value the request's validate method let through) is a
// *couponkit.ValidationError and nothing is sent, as is a Base that only a
// fake's transport reaches (see [Endpoint.Invoke]). The returned Meta
// describes the final exchange.
func Send[R, A any](ctx context.Context, t *Typed[R], op *Op, key string, params any, answer *A) (couponkit.Meta, error) {
	e := t.Endpoint
	if err := e.Client.invalidHost(e.Base); err != nil {
		return couponkit.Meta{}, err
	}
	req, err := wrapParams(t, op, key, params)
	if err != nil {
		return couponkit.Meta{}, err
	}
	tc := &typedCall[R, A]{t: t, op: op, key: key, req: req, answer: answer}
	return e.run(ctx, op, key, req, &tc.call, tc)
}

// typedCall is one logical typed call: the call, and what its attempts are
// built from and decoded into, in one allocation.
type typedCall[R, A any] struct {
	call   Call
	t      *Typed[R]
	op     *Op
	key    string
	req    R
	answer *A
}

func (c *typedCall[R, A]) build(attempt int) (Payload, error) {
	return c.t.Endpoint.Frame(c.op, attempt, c.key, c.req)
}

func (c *typedCall[R, A]) check(r *Response) error {
	data, err := c.t.Endpoint.Open(c.op, c.key, c.req, r)
	if err != nil {
		return err
	}
	if r.StatusCode < 200 || r.StatusCode > 299 {
		// The pipeline classifies the status; data deferred by Open is
		// checked here, as nobody decodes it.
		return c.t.Endpoint.checkDeferred(data, r)
	}
	return decodeAnswer(data, c.answer, c.t.Fault, r.Body, c.t.Endpoint.DataDeferred)
}

// decodeAnswer decodes data, found in body, into answer and applies the
// rules of Send. json.Unmarshal validates data before decoding it, so data
// an Open deferred (Endpoint.DataDeferred) is checked here, once: malformed
// data is a DecodeError quoting the whole body, as Open's own check of the
// body would have been. An answer that decodes itself (a json.Unmarshaler)
// is handed data without encoding/json's scans; deferred data is checked
// for it first.
func decodeAnswer[A any](data []byte, answer *A, fault func(string) couponkit.Fault, body []byte, deferred bool) error {
	// An earlier attempt's answer must not leak into this one.
	if r, ok := any(answer).(Resetter); ok {
		r.Reset()
	} else {
		var zero A
		*answer = zero
	}
	if d := bytes.TrimSpace(data); len(d) > 0 && string(d) != "null" {
		var err error
		if u, ok := any(answer).(json.Unmarshaler); ok {
			if deferred {
				if cerr := jsonx.Check(d); cerr != nil {
					return DecodeError(cerr, body)
				}
			}
			// Open (or the check above) checked the data: json.Unmarshal
			// would scan d twice more (to check it, then to find its end)
			// before calling u.
			err = u.UnmarshalJSON(d)
		} else {
			err = json.Unmarshal(d, answer)
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return DecodeError(err, body)
			}
		}
		if err != nil {
			return DecodeError(err, data)
		}
	}
	if f, ok := any(answer).(Failer); ok {
		if code, msg, failed := f.Failure(); failed {
			fl := couponkit.FaultUnknown
			if fault != nil {
				fl = fault(code)
			}
			if msg == "" {
				msg = "the vendor reported failure " + code
			}
			return &couponkit.Error{Code: code, Message: msg, Fault: fl}
		}
	}
	if c, ok := any(answer).(Completer); ok {
		if err := c.Complete(); err != nil {
			return Unreadable(couponkit.FaultUnknown, "the vendor reported success, but its answer lacks what the call is for: "+err.Error(), err)
		}
	}
	return nil
}

// emptyParams is the text of no params, an empty object. Wrap only reads
// it (Typed.WrapCopies), or gets a copy.
var emptyParams = []byte("{}")

// wrapParams encodes params once and hands them to t.Wrap: in a pooled
// buffer when Wrap copies them (Typed.WrapCopies), else in a slice of their
// own. A params value that does not encode is a *couponkit.ValidationError.
func wrapParams[R any](t *Typed[R], op *Op, key string, params any) (R, error) {
	if p, ok := params.(EncodedParams); ok {
		// A hand encoder's text, sent as it is: it is the caller's own.
		return t.Wrap(op, key, []byte(p))
	}
	body, err := emptyParams, error(nil)
	if params != nil {
		e := jsonx.GetEncoder()
		defer e.Release()
		body, err = e.Encode(params)
	}
	if err != nil {
		var zero R
		return zero, couponkit.Invalid("request", "does not encode for %s: %v", op.Name, err)
	}
	if !t.WrapCopies {
		body = bytes.Clone(body)
	}
	return t.Wrap(op, key, body)
}
