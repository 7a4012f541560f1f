package transport

import (
	"net/http"

	"github.com/couponkit/couponkit"
)

// Class says how an operation may be retried: [couponkit.Class] under the
// pipeline's names.
type Class = couponkit.Class

const (
	// Safe is a read: retried on network failures, 5xx, throttle, server
	// faults and unreadable answers.
	Safe = couponkit.ClassRead
	// Keyed is a write the vendor de-duplicates on a key the caller fixes for
	// the logical call (Call.Key): retried like Safe, re-signed every attempt.
	// When its last attempt leaves the outcome unknown, the error carries the key.
	Keyed = couponkit.ClassKeyed
	// Unsafe is a write with no de-duplication: retried only when the request
	// provably never left, or the vendor refused it by throttling; once it may
	// have left, an ambiguous answer is an unknown outcome at once.
	Unsafe = couponkit.ClassUnsafe
)

// Payload is what one attempt sends.
type Payload struct {
	// Body is sent as is; the pipeline never re-encodes it.
	Body []byte
	// ContentType is the Content-Type header.
	ContentType string
	// Header holds extra headers (signatures, vendor parameters), or nil.
	// Keys must be in canonical form (http.CanonicalHeaderKey).
	Header http.Header
	// Query, when not empty, is appended to the URL after a '?' (already
	// encoded).
	Query string
	// Secrets are this attempt's own secret values (a signature, a token) to
	// remove from error texts in every encoding, beside the client's secrets.
	Secrets []string
}

// Call is one logical vendor call.
type Call struct {
	// Operation is the vendor's API name, used in errors and logs.
	Operation string
	// Method is the HTTP method; empty means POST.
	Method string
	// URL is the full endpoint URL.
	URL string
	// Class is the retry class. The zero value is Unsafe.
	Class Class
	// KeyName and Key are the idempotency key's vendor name and value (Keyed
	// and Unsafe writes), reported when the outcome is unknown.
	KeyName, Key string
	// Applied are the vendor codes that mean "this key was applied before"
	// ([Op.AppliedCodes]); a definite refusal with one is marked
	// couponkit.Error.AlreadyApplied.
	Applied []string
	// Build returns the payload of one attempt (attempt counts from 1). It is
	// called for every attempt so timestamps and signatures are fresh; an error
	// from it is returned as is and nothing is sent.
	Build func(attempt int) (Payload, error)
	// Check classifies a response that arrived: nil for success, else an
	// error, preferably a *couponkit.Error with its Fault set. An answer that
	// is not a definite vendor answer (empty, not JSON, a proxy's page,
	// malformed, missing its success flag, a signature that does not verify,
	// an answer to another request) must be reported with [Unreadable] or
	// [DecodeError], so that a write's outcome is known to be unknown. It may
	// set Response.RequestID. The pipeline fills Vendor, Operation, HTTPStatus
	// and RequestID where Check left them empty, and treats a non-2xx status
	// that Check accepted as a failure.
	Check func(*Response) error
	// exchange, when set, replaces Build and Check (Endpoint.Invoke uses it
	// to make one allocation per call instead of a closure for each).
	exchange exchange
	// authToken and authHeader, set by an Endpoint's Auth, are the access
	// token every attempt carries (a secret of each) and the header it goes
	// in, if any.
	authToken, authHeader string
}

// exchange builds the payloads of a call and checks its answers.
type exchange interface {
	build(attempt int) (Payload, error)
	check(*Response) error
}

// alreadyApplied reports whether e's code or sub-code is one of c.Applied.
func (c *Call) alreadyApplied(e *couponkit.Error) bool {
	for _, code := range c.Applied {
		if code != "" && (e.Code == code || e.SubCode == code) {
			return true
		}
	}
	return false
}

func (c *Call) build(attempt int) (p Payload, err error) {
	if c.exchange != nil {
		p, err = c.exchange.build(attempt)
	} else {
		p, err = c.Build(attempt)
	}
	return c.withAuth(p), err
}

func (c *Call) check(r *Response) error {
	if c.exchange != nil {
		return c.exchange.check(r)
	}
	return c.Check(r)
}

// Response is a response that arrived.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header is the response header.
	Header http.Header
	// Body is the whole response body.
	Body []byte
	// Attempts is the number of attempts made, this one included.
	Attempts int
	// RequestID is the vendor's request id, when Check found one.
	RequestID string
}

// Meta returns the response's metadata for a typed result.
func (r *Response) Meta() couponkit.Meta {
	return couponkit.Meta{RequestID: r.RequestID, HTTPStatus: r.StatusCode, Attempts: r.Attempts, Raw: r.Body}
}
