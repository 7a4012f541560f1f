package transport

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// Op describes one vendor operation once, as a package-level value: its name,
// where it is sent, how it may be retried and what its idempotency key is.
type Op struct {
	// Name is the vendor's API name, used in errors, logs and observers.
	Name string
	// Path is appended to the Endpoint's Base; empty sends to Base itself.
	Path string
	// Method is the HTTP method; empty means POST.
	Method string
	// Class is the retry class. The zero value is Unsafe.
	Class Class
	// KeyName is the vendor's name for the idempotency key ("bizId", "uuid").
	KeyName string
	// NewKey generates a key when the caller gives none, from the client's
	// clock (Beijing-dated keys read it). Nil means the caller must give one
	// for a Keyed operation; an Unsafe operation without one has no key.
	NewKey func(now time.Time) string
	// AppliedCodes are the vendor error codes (matched against
	// couponkit.Error Code or SubCode) that the vendor publishes, for this
	// operation, as "a write with this key was applied before". A definite
	// refusal with one of them is marked couponkit.Error.AlreadyApplied
	// (see couponkit.AlreadyApplied). Declare only codes the vendor
	// publishes so; nil marks none.
	AppliedCodes []string
	// Notes says what about the operation is an assumption about the
	// vendor ([likely], [open]: its path, params, answer), for the
	// package's registry (couponkit.API.Notes, see [Describe]) and from it
	// the package doc. The pipeline does not read it.
	Notes string

	// generic marks an Op made for one generic call (GenericOp), whose URL
	// the Endpoint does not cache: a new Op per call would grow the cache
	// with every call.
	generic bool
}

// Endpoint is one vendor's adapter on the pipeline: Frame turns a request of
// type R into the bytes of one attempt (envelope, signature or encryption;
// called again for every attempt, so timestamps and signatures are fresh
// while the key stays fixed), and Open verifies and classifies an answer.
type Endpoint[R any] struct {
	// Client is the pipeline.
	Client *Client
	// Base is the gateway URL that Op.Path is appended to.
	Base string
	// Frame returns the payload of one attempt of op with key and req.
	Frame func(op *Op, attempt int, key string, req R) (Payload, error)
	// Open verifies an answer to op sent with key and req, and returns its
	// business data (what the typed decoder reads), or an error: a
	// *couponkit.Error for a definite vendor answer, or one made with
	// [Unreadable] or [DecodeError] for anything else. It may set
	// Response.RequestID.
	Open func(op *Op, key string, req R, resp *Response) ([]byte, error)
	// DataDeferred declares that Open returns the data of an answer
	// without having checked that the data itself is well-formed JSON: Open
	// checked the rest of the body and only delimited the data
	// (jsonx.ScanDeferred), because encoding/json, which the typed calls
	// decode data with, validates its whole input before decoding. The
	// pipeline then checks the data wherever encoding/json does not read
	// it: before Invoke's decode (which may walk it by hand, or be nil),
	// and in an answer whose HTTP status is not 2xx; malformed data is
	// unreadable there as it is in Send's decode. Open itself must check
	// the data of an answer it turns into an error (a vendor failure), as
	// nobody reads it after Open.
	DataDeferred bool
	// NewKey, when set, replaces the generator of every Op that has one (a
	// Config's key hook).
	NewKey func(now time.Time) string
	// Auth, when set, gives every call an access token and renews it once
	// when the vendor refuses it as expired (see [Auth]).
	Auth *Auth[R]
	// Paths moves operations to other paths than their own, by Op.Name (a
	// Config's paths by API name, checked by [Paths.Named]); nil moves
	// none. It is read-only once the Endpoint is in use.
	Paths map[string]string

	urls sync.Map // *Op → Base + Path
}

// Key returns the key of one logical call of op: given when not empty,
// otherwise a new one from the endpoint's or op's generator. A Keyed op with
// neither is a *couponkit.ValidationError naming field.
func (e *Endpoint[R]) Key(op *Op, field, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	gen := op.NewKey
	if gen != nil && e.NewKey != nil {
		gen = e.NewKey
	}
	if gen != nil {
		return gen(e.Client.opts.Clock.Now()), nil
	}
	if op.Class == Keyed {
		return "", couponkit.Invalid(field, "is required: it is the idempotency key (%s)", op.KeyName)
	}
	return "", nil
}

// Invoke runs one logical call of op through the pipeline with the outcome
// rules of [Client.Do]: req is framed for every attempt, every answer is
// opened, and decode (may be nil) reads the business data of the successful
// one. A Base under .invalid without a transport of the client's own (an
// in-memory fake's URL, without its ClientOption) is a
// *couponkit.ValidationError naming Gateway, and nothing is sent. An error from decode means the answer was not a definite vendor
// answer: a write then has an unknown outcome. The returned Meta describes
// the final exchange.
func (e *Endpoint[R]) Invoke(ctx context.Context, op *Op, key string, req R, decode func(data []byte) error) (couponkit.Meta, error) {
	if err := e.Client.invalidHost(e.Base); err != nil {
		return couponkit.Meta{}, err
	}
	inv := &invocation[R]{e: e, op: op, key: key, req: req, decode: decode}
	return e.run(ctx, op, key, req, &inv.call, inv)
}

// run runs one logical call of op with key through the pipeline: it fills
// c, the call (kept in x's allocation), whose attempts x frames from req
// and whose answers x opens, and returns the Meta of the final exchange.
func (e *Endpoint[R]) run(ctx context.Context, op *Op, key string, req R, c *Call, x exchange) (couponkit.Meta, error) {
	method := op.Method
	if method == "" {
		method = http.MethodPost
	}
	*c = Call{
		Operation: op.Name,
		Method:    method,
		URL:       e.url(op),
		Class:     op.Class,
		KeyName:   op.KeyName,
		Key:       key,
		Applied:   op.AppliedCodes,
		exchange:  x,
	}
	resp, err := e.do(ctx, c, req)
	if err != nil {
		return couponkit.Meta{}, err
	}
	return resp.Meta(), nil
}

// checkDeferred checks data, the data Open returned from r, when Open left
// that to the pipeline (see DataDeferred): malformed data is unreadable, as
// a body that does not decode.
func (e *Endpoint[R]) checkDeferred(data []byte, r *Response) error {
	if !e.DataDeferred || data == nil {
		return nil
	}
	if err := jsonx.Check(data); err != nil {
		return DecodeError(err, r.Body)
	}
	return nil
}

// url returns Base + op.Path (or the path Paths gives op.Name), built once
// per operation (every time for a generic call's Op, which serves one call).
func (e *Endpoint[R]) url(op *Op) string {
	path := op.Path
	if p, ok := e.Paths[op.Name]; ok {
		path = p
	}
	if path == "" {
		return e.Base
	}
	if op.generic {
		return e.Base + path
	}
	if u, ok := e.urls.Load(op); ok {
		return u.(string)
	}
	u := e.Base + path
	e.urls.Store(op, u)
	return u
}

// invocation is one logical call of an Endpoint: the call, and what its
// attempts are built from, in one allocation.
type invocation[R any] struct {
	call   Call
	e      *Endpoint[R]
	op     *Op
	key    string
	req    R
	decode func([]byte) error
}

func (inv *invocation[R]) build(attempt int) (Payload, error) {
	return inv.e.Frame(inv.op, attempt, inv.key, inv.req)
}

func (inv *invocation[R]) check(r *Response) error {
	data, err := inv.e.Open(inv.op, inv.key, inv.req, r)
	if err != nil {
		return err
	}
	if err := inv.e.checkDeferred(data, r); err != nil {
		return err
	}
	if inv.decode == nil || r.StatusCode < 200 || r.StatusCode > 299 {
		return nil
	}
	if err := inv.decode(data); err != nil {
		if IsUnreadable(err) {
			return err
		}
		if _, ok := err.(*couponkit.Error); ok {
			// A business failure carried inside the data.
			return err
		}
		return DecodeError(err, data)
	}
	return nil
}

// GenericOp returns the Op of a generic call named name at path, with the
// retry class and key of s (Unsafe unless the options said otherwise).
func GenericOp(name, path string, s couponkit.CallSettings) *Op {
	return &Op{Name: name, Path: path, Class: s.Class, KeyName: s.KeyName, generic: true}
}
