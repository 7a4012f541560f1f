package couponkit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Fault says who is at fault for a failed call and so what a program can do.
type Fault int

const (
	// FaultUnknown is a failure the vendor did not document; treat it as not retryable.
	FaultUnknown Fault = iota
	// FaultClient is a caller error (bad arguments, a business rule refused): do not retry unchanged.
	FaultClient
	// FaultAuth is a credential, signature, session or permission failure: fix the configuration.
	FaultAuth
	// FaultThrottle is a rate limit: retry after the vendor's window.
	FaultThrottle
	// FaultServer is a vendor-side or network failure: a read may be retried; a write's outcome may be unknown.
	FaultServer
)

// String returns the fault's name in lower case, such as "throttle".
func (f Fault) String() string {
	switch f {
	case FaultClient:
		return "client"
	case FaultAuth:
		return "auth"
	case FaultThrottle:
		return "throttle"
	case FaultServer:
		return "server"
	default:
		return "unknown"
	}
}

// Retryable reports whether a failure of this fault may succeed when tried again
// unchanged (Throttle and Server).
func (f Fault) Retryable() bool { return f == FaultThrottle || f == FaultServer }

// Error is a failed vendor call: the vendor said no, the response could not be
// trusted (a bad signature, a body that does not decode), or the network failed.
// Use errors.As to reach it. Its text holds no secret, key, signature or session.
type Error struct {
	// Vendor is the vendor package's name, such as "ebuy".
	Vendor string
	// Operation is the vendor's API name, such as "batchActivateCode".
	Operation string
	// Code is the vendor's error code as the vendor spells it ("7", "sys.check.app-sign:app_sign_invalid").
	Code string
	// SubCode is the vendor's secondary code where it has one (TOP sub_code).
	SubCode string
	// Message is the vendor's message, or a description of a local failure.
	Message string
	// RequestID is the vendor's request id when the response carried one.
	RequestID string
	// HTTPStatus is the HTTP status of the response, or 0 when none arrived.
	HTTPStatus int
	// Fault classifies the failure.
	Fault Fault
	// RetryAfter is the wait the vendor asked for (Retry-After, a throttle window), or 0.
	RetryAfter time.Duration
	// Err is the underlying cause (a network error, a decode error), or nil.
	Err error
	// AlreadyApplied is set when Code (or SubCode) is one the vendor
	// publishes, for this operation, as "a write with this idempotency key
	// was applied before": the write took effect in an earlier request, and
	// this answer carries none of its result. See [AlreadyApplied].
	AlreadyApplied bool
}

// Error returns a one-line description such as
// "ebuy batchActivateCode: code 1001: 券码不存在 (client fault, http 200, request id 123)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Vendor)
	if e.Operation != "" {
		b.WriteByte(' ')
		b.WriteString(e.Operation)
	}
	b.WriteString(": ")
	if e.Code != "" {
		b.WriteString("code ")
		b.WriteString(e.Code)
		if e.SubCode != "" {
			b.WriteByte('/')
			b.WriteString(e.SubCode)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil && e.Message == "" {
		b.WriteString(e.Err.Error())
	}
	b.WriteString(" (")
	b.WriteString(e.Fault.String())
	b.WriteString(" fault")
	if e.HTTPStatus != 0 {
		b.WriteString(", http ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
	}
	if e.RequestID != "" {
		b.WriteString(", request id ")
		b.WriteString(e.RequestID)
	}
	b.WriteByte(')')
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// ValidationError is bad input, found before any byte was sent.
type ValidationError struct {
	// Field names the offending field as the Go API spells it, with a path for
	// nested values ("Goods[1].Price").
	Field string
	// Reason says what is wrong.
	Reason string
}

// Error returns "invalid <Field>: <Reason>".
func (e *ValidationError) Error() string { return "invalid " + e.Field + ": " + e.Reason }

// Invalid returns a *ValidationError for field, with a reason built by fmt.Sprintf.
func Invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ErrUnknownOutcome is matched (errors.Is) by the error of a write whose result
// cannot be known: the request may have left, and then the connection failed
// or timed out, the caller's context ended, the vendor answered 5xx or a
// server fault, or the answer could not be read as a definite vendor answer
// (empty, a proxy's page, malformed, truncated, a signature that does not
// verify). Once an attempt may have been applied, every later end of the call
// but a verified success is an unknown outcome too: a retry the vendor
// refuses (often because the first attempt was applied, and the retry is a
// duplicate or finds the coupon already in its new state), a throttle that
// outlasts the retries, the caller's cancellation. The write may or may not
// have taken effect; check with the idempotency key ([IdempotencyKey]) before
// writing again, or send it again under the same key where the vendor
// de-duplicates it. The refusal, if any, stays reachable with errors.As
// (*Error), and [AlreadyApplied] reports one the vendor publishes as
// "already applied".
var ErrUnknownOutcome = errors.New("outcome unknown")

// UnknownOutcomeError is the error of a write whose outcome cannot be known. It
// matches [ErrUnknownOutcome] with errors.Is and unwraps to the last attempt's
// failure (usually an *Error).
type UnknownOutcomeError struct {
	// Vendor and Operation name the call.
	Vendor, Operation string
	// KeyName is the vendor's name for the idempotency key ("uuid", "saleNo", "bizId", "enrollInfoCode").
	KeyName string
	// Key is the idempotency key the write was sent with: query the vendor with it.
	Key string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the failure of the last attempt.
	Err error
}

// Error describes the call, the key to check with (or that there is none),
// and the last failure.
func (e *UnknownOutcomeError) Error() string {
	s := e.Vendor + " " + e.Operation + ": outcome unknown after " + strconv.Itoa(e.Attempts) + " attempt(s); "
	if e.Key == "" {
		// A write without a key (one whose vendor publishes none): there is
		// nothing to check by, only the vendor's state.
		s += "no idempotency key: check the vendor's state"
	} else {
		s += "check " + e.KeyName + " " + e.Key
	}
	if e.Err == nil {
		return s
	}
	last := e.Err.Error()
	// The last attempt's *Error names the same vendor and operation: say them once.
	var ce *Error
	if errors.As(e.Err, &ce) && ce.Vendor == e.Vendor && ce.Operation == e.Operation {
		last = strings.TrimPrefix(last, e.Vendor+" "+e.Operation+": ")
	}
	return s + ": " + last
}

// Unwrap returns ErrUnknownOutcome and the last failure.
func (e *UnknownOutcomeError) Unwrap() []error { return []error{ErrUnknownOutcome, e.Err} }

// IdempotencyKey returns the key of a write whose outcome is unknown, and true,
// when err matches [ErrUnknownOutcome].
func IdempotencyKey(err error) (string, bool) {
	var u *UnknownOutcomeError
	if errors.As(err, &u) {
		return u.Key, true
	}
	return "", false
}

// AlreadyApplied reports whether the first *Error in err's chain is a
// refusal the vendor publishes as "this idempotency key was applied before"
// ([Error.AlreadyApplied]). It is true both when such a refusal ends a call
// whose outcome is unknown (an attempt may have been applied, and a retry was
// refused as a duplicate: err also matches [ErrUnknownOutcome]) and when it
// comes on the first attempt (the key was sent again after an earlier call):
// either way the vendor has had a write under that key before: do not send
// the write again, under this key or a new one, and look its result up by the
// key (this answer carries none of it). Which codes count is said in each
// vendor package, per call; a refusal the vendor does not publish so is never
// reported as applied.
func AlreadyApplied(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.AlreadyApplied
}

// FaultOf returns the Fault of the first *Error in err's chain, or FaultUnknown.
func FaultOf(err error) Fault {
	var e *Error
	if errors.As(err, &e) {
		return e.Fault
	}
	return FaultUnknown
}
